-- Discord refusing a guild's question of the day (403 Missing Access, 404 Unknown Channel) is
-- counted; after three refusals in a row the schedule pauses itself, keeping why, so that no
-- process retries against the refusal all day and /qotd status can say what to fix.
ALTER TABLE guilds
    ADD COLUMN qotd_refusals smallint NOT NULL DEFAULT 0,
    ADD COLUMN qotd_paused_reason text;
