-- When the bot was removed from a guild (NULL while it is in it). A guild gone longer than the
-- operator's grace period (LEFT_GUILD_PURGE_DAYS) has its data purged; the bot seeing the guild
-- again clears it.
ALTER TABLE guilds ADD COLUMN left_at timestamptz;
CREATE INDEX guilds_left ON guilds (left_at) WHERE left_at IS NOT NULL;

-- A guild's retention of answers' text, in days (NULL: kept). Past it an answer's text, its
-- parts and the quotes of it in its points' evidence are erased; its scores stay for the boards.
ALTER TABLE guilds ADD COLUMN answer_retention_days smallint
    CHECK (answer_retention_days BETWEEN 1 AND 3650);
ALTER TABLE answers ADD COLUMN text_erased_at timestamptz;
-- The retention sweep's look-up; created_at and guild_id never change, and submitting or
-- scoring an answer leaves text_erased_at alone, so those updates stay HOT.
CREATE INDEX answers_text_kept ON answers (guild_id, created_at) WHERE text_erased_at IS NULL;
