-- What interview steps leave to post in their threads. A step writes its effects here in the
-- transaction that saves it; a dispatcher posts them after the commit, so no transaction waits
-- on Discord. An effect is deleted once posted. Effects of one thread post in effect_id order.
CREATE TABLE outbox (
    effect_id    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    interview_id bigint      NOT NULL REFERENCES interviews ON DELETE CASCADE,
    thread_id    bigint      NOT NULL,
    effect       jsonb       NOT NULL,
    attempts     integer     NOT NULL DEFAULT 0,
    -- Not tried again before this (a retry's backoff).
    due_at       timestamptz NOT NULL DEFAULT now(),
    -- A dispatcher holds it until then; after, any dispatcher may take it again.
    leased_until timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- The head of each thread's queue, and the check that nothing earlier is pending.
CREATE INDEX outbox_thread_order ON outbox (thread_id, effect_id);
