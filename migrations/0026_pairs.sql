-- Peer interviews: one member interviews another. `pairs` is the invitation and then the
-- session in its thread; each round has an interviewer and a candidate (a swap starts the next
-- round with the roles reversed). `pair_answers` is one question of a round: the candidate's
-- answer, the interviewer's mark for each rubric point, and the bot's second opinion.
CREATE TABLE pairs (
    pair_id            bigserial PRIMARY KEY,
    guild_id           bigint NOT NULL,
    channel_id         bigint NOT NULL,
    invite_message_id  bigint,
    thread_id          bigint UNIQUE,
    -- Who invited, and whom: round 1's interviewer and candidate.
    host_id            bigint NOT NULL,
    guest_id           bigint NOT NULL CHECK (guest_id <> host_id),
    track              text,
    difficulty         text,
    questions          integer NOT NULL CHECK (questions BETWEEN 1 AND 10),
    -- The questions to pick from, in the planner's order, several per question asked.
    choices            text[] NOT NULL,
    status             text NOT NULL DEFAULT 'invited'
                       CHECK (status IN ('invited', 'declined', 'expired', 'active', 'ended')),
    round              integer NOT NULL DEFAULT 1 CHECK (round >= 1),
    -- The round's report is due (every answer graded, or the round ended) or posted.
    reporting          boolean NOT NULL DEFAULT false,
    reported_round     integer NOT NULL DEFAULT 0,
    invited_at         timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (guild_id, host_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE,
    FOREIGN KEY (guild_id, guest_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
);
CREATE INDEX pairs_invited ON pairs (invited_at) WHERE status = 'invited';

CREATE TABLE pair_answers (
    pair_id         bigint NOT NULL REFERENCES pairs ON DELETE CASCADE,
    round           integer NOT NULL,
    position        integer NOT NULL CHECK (position >= 1),
    guild_id        bigint NOT NULL,
    interviewer_id  bigint NOT NULL,
    -- `user_id`: the candidate, the member whose answer this is.
    user_id         bigint NOT NULL,
    question_id     text NOT NULL,
    body            text NOT NULL DEFAULT '',
    message_ids     bigint[] NOT NULL DEFAULT '{}',
    -- Point id -> 'covered' | 'partly' | 'not', as the interviewer marked it.
    marks           jsonb NOT NULL DEFAULT '{}',
    note            text,
    peer_score      real,
    graded_at       timestamptz,
    -- The bot's second opinion, and when a worker took it up (a lease against scoring twice).
    assessment      jsonb,
    scoring_since   timestamptz,
    asked_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (pair_id, round, position),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE,
    FOREIGN KEY (guild_id, interviewer_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
);
CREATE INDEX pair_answers_member ON pair_answers (guild_id, user_id);
CREATE INDEX pair_answers_interviewer ON pair_answers (guild_id, interviewer_id);
