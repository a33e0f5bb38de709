-- Interviews, QOTD posts and the answers given to either. An answer is committed before anything
-- else happens to it; its scores land on the same row when its scoring job completes. Answers
-- keep room on their pages (fillfactor) so those two updates stay on the page.

CREATE TABLE interviews (
    interview_id     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild_id         bigint      NOT NULL,
    user_id          bigint      NOT NULL,
    channel_id       bigint      NOT NULL,
    thread_id        bigint      NOT NULL UNIQUE,
    -- Never '': the roll-ups use '' for "every track".
    track            text        NOT NULL CHECK (track <> ''),
    difficulty       text        NOT NULL CHECK (difficulty IN ('junior', 'mid', 'senior')),
    -- Question ids, in the order they are asked.
    plan             jsonb       NOT NULL,
    -- The engine's position, enough to resume after a restart.
    state            jsonb       NOT NULL DEFAULT '{}',
    status           text        NOT NULL DEFAULT 'active'
                     CHECK (status IN ('active', 'completed', 'ended', 'abandoned')),
    started_at       timestamptz NOT NULL DEFAULT now(),
    last_activity_at timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    FOREIGN KEY (guild_id, user_id) REFERENCES members ON DELETE CASCADE,
    CHECK ((status = 'active') = (finished_at IS NULL))
);

-- One active interview per member per guild.
CREATE UNIQUE INDEX interviews_one_active ON interviews (guild_id, user_id) WHERE status = 'active';
-- Resume at start-up and the idle sweep.
CREATE INDEX interviews_active_idle ON interviews (last_activity_at) WHERE status = 'active';
-- A member's past interviews (and the quiet period check).
CREATE INDEX interviews_member ON interviews (guild_id, user_id, started_at DESC);

CREATE TABLE qotd_posts (
    qotd_post_id bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild_id     bigint      NOT NULL REFERENCES guilds ON DELETE CASCADE,
    -- The guild's local date: two processes can never post twice on one day.
    day          date        NOT NULL,
    question_key bigint      NOT NULL REFERENCES questions,
    question_id  text        NOT NULL,
    message_id   bigint,
    thread_id    bigint      UNIQUE,
    revealed     boolean     NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revealed_at  timestamptz,
    UNIQUE (guild_id, day)
);

CREATE TABLE answers (
    answer_id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild_id       bigint      NOT NULL,
    user_id        bigint      NOT NULL,
    interview_id   bigint      REFERENCES interviews ON DELETE CASCADE,
    qotd_post_id   bigint      REFERENCES qotd_posts ON DELETE CASCADE,
    question_key   bigint      NOT NULL REFERENCES questions,
    question_id    text        NOT NULL,
    track          text        NOT NULL CHECK (track <> ''),
    -- 0: the main question; n: the bank's n-th follow-up of it; -1: the follow-up the scorer
    -- wrote from the answer to the main question.
    turn           smallint    NOT NULL DEFAULT 0 CHECK (turn >= -1),
    body           text        NOT NULL,
    message_ids    bigint[]    NOT NULL DEFAULT '{}',
    hinted         boolean     NOT NULL DEFAULT false,
    status         text        NOT NULL DEFAULT 'open'
                   CHECK (status IN ('open', 'submitted', 'scored', 'failed')),
    technical      real,
    tradeoffs      real,
    communication  real,
    overall        real,
    -- overall × 10, rounded: what the points boards add up.
    points         integer,
    covered        jsonb,
    partial        jsonb,
    missed         jsonb,
    pitfalls       jsonb,
    feedback       jsonb,
    -- How the score came about (e.g. the LLM was unavailable and the offline scorer took over).
    notes          jsonb,
    -- The answer tried to instruct the grader; its score was capped.
    flagged        boolean     NOT NULL DEFAULT false,
    -- The follow-up the scorer wrote from this answer (prompt and points), when it wrote one:
    -- what the answer to the written turn is scored against.
    follow_up      jsonb,
    scorer         text,
    model          text,
    prompt_version text,
    tokens_in      integer,
    tokens_out     integer,
    -- The guild's local date of submission: the period the answer counts in.
    day            date,
    created_at     timestamptz NOT NULL DEFAULT now(),
    submitted_at   timestamptz,
    scored_at      timestamptz,
    FOREIGN KEY (guild_id, user_id) REFERENCES members ON DELETE CASCADE,
    CHECK (num_nonnulls(interview_id, qotd_post_id) = 1),
    CHECK ((status = 'open') = (submitted_at IS NULL)),
    CHECK (status <> 'scored' OR (overall IS NOT NULL AND points IS NOT NULL))
) WITH (fillfactor = 70);

-- One answer per turn of an interview, one per member per QOTD post.
CREATE UNIQUE INDEX answers_interview_turn ON answers (interview_id, question_id, turn)
    WHERE interview_id IS NOT NULL;
CREATE UNIQUE INDEX answers_qotd_member ON answers (qotd_post_id, user_id)
    WHERE qotd_post_id IS NOT NULL;
-- A member's history (newest first, paged by keyset) and profile. Deliberately on columns an
-- answer never changes after it is opened: submitting and scoring then update the row in place
-- (HOT, see the fillfactor), writing no index entries, which is most of the queue's cost.
CREATE INDEX answers_member ON answers (guild_id, user_id, created_at DESC, answer_id DESC);
