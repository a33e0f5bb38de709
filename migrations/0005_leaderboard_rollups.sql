-- Leaderboard roll-ups, kept up to date in the same statement that changes what they count
-- (a job completing, an interview finishing, a review added or removed), so a board reads a
-- guild's members, never its answers. track '' holds the sum over all tracks. Counters are not
-- indexed, so their updates stay on the page (HOT; hence the fillfactor) and a guild's rows stay
-- together.

CREATE TABLE member_totals (
    guild_id   bigint  NOT NULL,
    user_id    bigint  NOT NULL,
    track      text    NOT NULL,
    answers    integer NOT NULL DEFAULT 0,
    points     bigint  NOT NULL DEFAULT 0,
    interviews integer NOT NULL DEFAULT 0,
    reviews    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, track, user_id),
    FOREIGN KEY (guild_id, user_id) REFERENCES members ON DELETE CASCADE
) WITH (fillfactor = 80);

CREATE TABLE member_days (
    guild_id   bigint  NOT NULL,
    user_id    bigint  NOT NULL,
    track      text    NOT NULL,
    day        date    NOT NULL,
    answers    integer NOT NULL DEFAULT 0,
    points     bigint  NOT NULL DEFAULT 0,
    interviews integer NOT NULL DEFAULT 0,
    reviews    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, track, day, user_id),
    FOREIGN KEY (guild_id, user_id) REFERENCES members ON DELETE CASCADE
) WITH (fillfactor = 80);

-- Each member's current run of consecutive QOTD posts answered, ending at last_day.
CREATE TABLE qotd_streaks (
    guild_id bigint  NOT NULL,
    user_id  bigint  NOT NULL,
    current  integer NOT NULL CHECK (current > 0),
    best     integer NOT NULL CHECK (best >= current),
    last_day date    NOT NULL,
    PRIMARY KEY (guild_id, user_id),
    FOREIGN KEY (guild_id, user_id) REFERENCES members ON DELETE CASCADE
);
