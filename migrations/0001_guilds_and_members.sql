-- Servers and the people in them. Settings are typed columns so a bad value is refused by the
-- database, not discovered by the scheduler at 9 a.m.

CREATE TABLE guilds (
    guild_id           bigint      PRIMARY KEY,
    -- IANA zone name; leaderboard periods and QOTD days follow it.
    timezone           text        NOT NULL DEFAULT 'UTC',
    qotd_channel_id    bigint,
    qotd_time          time        NOT NULL DEFAULT '09:00',
    qotd_track         text,
    qotd_difficulty    text        CHECK (qotd_difficulty IN ('junior', 'mid', 'senior')),
    qotd_ping_role_id  bigint,
    qotd_paused        boolean     NOT NULL DEFAULT false,
    llm_model          text,
    -- NULL: no daily limit.
    daily_token_budget bigint      CHECK (daily_token_budget >= 0),
    -- NULL: every member may start an interview; else only members with this role.
    interview_role_id  bigint,
    private_threads    boolean     NOT NULL DEFAULT false,
    archive_on_finish  boolean     NOT NULL DEFAULT true,
    -- Minimum time between the end of a member's interview and the start of their next one.
    quiet_period_secs  integer     NOT NULL DEFAULT 0 CHECK (quiet_period_secs >= 0),
    idle_timeout_secs  integer     NOT NULL DEFAULT 1800 CHECK (idle_timeout_secs > 0),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

-- The scheduler's question: which guilds post a QOTD, and when.
CREATE INDEX guilds_qotd_enabled ON guilds (qotd_time)
    WHERE qotd_channel_id IS NOT NULL AND NOT qotd_paused;

CREATE TABLE members (
    guild_id     bigint      NOT NULL REFERENCES guilds ON DELETE CASCADE,
    user_id      bigint      NOT NULL,
    display_name text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (guild_id, user_id)
);
