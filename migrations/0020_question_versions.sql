-- Every version of every question that was in the bank or a guild's pack, by the sha256 of its
-- JSON (the `content_hash` of `questions`). An interview and a question of the day keep the
-- versions they were asked with, so editing a guild's question (or upgrading the bundled bank)
-- never changes what a running interview asks or the rubric an answer is scored against.
-- Versions are immutable: a process may cache them for as long as it likes.
CREATE TABLE question_versions (
    content_hash bytea       PRIMARY KEY,
    content      jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

INSERT INTO question_versions (content_hash, content)
SELECT content_hash, content FROM questions
ON CONFLICT (content_hash) DO NOTHING;

-- The version of each planned question, in plan order. Empty for interviews started before
-- versions were kept: those are replayed from the bank by id, as before.
ALTER TABLE interviews ADD COLUMN plan_versions bytea[] NOT NULL DEFAULT '{}';

-- The version the post asked. NULL for posts made before versions were kept.
ALTER TABLE qotd_posts ADD COLUMN question_version bytea REFERENCES question_versions;

-- Where organisers review the questions members suggest; NULL: suggestions are off.
ALTER TABLE guilds ADD COLUMN suggestion_channel_id bigint;

-- A question a member proposed with /questions suggest. `draft` holds what they wrote (track,
-- level, topic, prompt, model answer, points, follow-up); an approved one becomes the guild's
-- question `question_id`. The row is the member's data: erasing them erases it.
CREATE TABLE question_suggestions (
    suggestion_id     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild_id          bigint      NOT NULL,
    user_id           bigint      NOT NULL,
    -- Where the member suggested it: told there when their DMs are closed.
    channel_id        bigint      NOT NULL,
    draft             jsonb       NOT NULL,
    status            text        NOT NULL DEFAULT 'open'
                                  CHECK (status IN ('open', 'approved', 'rejected')),
    review_channel_id bigint,
    review_message_id bigint,
    question_id       text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    decided_at        timestamptz,
    FOREIGN KEY (guild_id, user_id) REFERENCES members ON DELETE CASCADE
);
CREATE INDEX question_suggestions_member ON question_suggestions (guild_id, user_id);
