-- Questions an organiser took out of their guild's interviews and question of the day, by id
-- (a bundled question or the guild's own). The bank itself is untouched: other guilds still
-- ask them, and enabling one again puts it back.
CREATE TABLE hidden_questions (
    guild_id    bigint      NOT NULL REFERENCES guilds ON DELETE CASCADE,
    question_id text        NOT NULL,
    hidden_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (guild_id, question_id)
);
