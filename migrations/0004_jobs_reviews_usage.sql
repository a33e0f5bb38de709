-- The durable scoring queue, peer reviews and LLM usage.

CREATE TABLE scoring_jobs (
    job_id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    answer_id   bigint      NOT NULL UNIQUE REFERENCES answers ON DELETE CASCADE,
    status      text        NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts    integer     NOT NULL DEFAULT 0,
    run_after   timestamptz NOT NULL DEFAULT now(),
    lease_until timestamptz,
    locked_by   text,
    last_error  text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    -- When the job may next be claimed: a queued job once due, a running one once its lease
    -- expired (its worker is presumed dead). One column, so one index serves the claim.
    due_at      timestamptz GENERATED ALWAYS AS
                (CASE WHEN status = 'running' THEN lease_until ELSE run_after END) STORED,
    CHECK (status <> 'running' OR (lease_until IS NOT NULL AND locked_by IS NOT NULL))
);

CREATE INDEX scoring_jobs_due ON scoring_jobs (due_at) WHERE status IN ('queued', 'running');

CREATE TABLE reviews (
    answer_id   bigint      NOT NULL REFERENCES answers ON DELETE CASCADE,
    reviewer_id bigint      NOT NULL,
    guild_id    bigint      NOT NULL,
    value       smallint    NOT NULL CHECK (value BETWEEN -5 AND 5),
    emoji       text        NOT NULL,
    -- The guild's local date of the first reaction: the period the review counts in.
    day         date        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (answer_id, reviewer_id),
    FOREIGN KEY (guild_id, reviewer_id) REFERENCES members ON DELETE CASCADE
);

CREATE INDEX reviews_reviewer ON reviews (guild_id, reviewer_id);

CREATE TABLE llm_usage (
    guild_id          bigint  NOT NULL REFERENCES guilds ON DELETE CASCADE,
    day               date    NOT NULL,
    prompt_tokens     bigint  NOT NULL DEFAULT 0,
    completion_tokens bigint  NOT NULL DEFAULT 0,
    requests          integer NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, day)
);
