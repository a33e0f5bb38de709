-- The question bank as the database sees it: the bundled bank (guild_id NULL), synced at start-up
-- by id and content hash, and each guild's own pack. Answers point at a row here, so a question
-- that leaves the bank is retired, never deleted.

CREATE TABLE questions (
    question_key bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild_id     bigint      REFERENCES guilds ON DELETE CASCADE,
    id           text        NOT NULL,
    -- Never '': the leaderboard roll-ups use '' for "every track".
    track        text        NOT NULL CHECK (track <> ''),
    topic        text        NOT NULL,
    difficulty   text        NOT NULL CHECK (difficulty IN ('junior', 'mid', 'senior')),
    content      jsonb       NOT NULL,
    -- sha256 of the question's JSON: a sync rewrites only the rows whose hash changed.
    content_hash bytea       NOT NULL,
    retired      boolean     NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- One question per id per scope (0 stands for the bundled bank: Discord ids are never 0).
CREATE UNIQUE INDEX questions_scope_id ON questions ((coalesce(guild_id, 0)), id);
-- A guild's pack, for export and listing.
CREATE INDEX questions_guild ON questions (guild_id, track, id) WHERE guild_id IS NOT NULL;
