-- A drill is an interview over the questions due for review (spaced repetition): no
-- follow-ups, and its report says when each question comes back. The schedule itself is
-- derived from the member's scored answers, so nothing else about drills is stored.
ALTER TABLE interviews ADD COLUMN drill boolean NOT NULL DEFAULT false;

-- A member's opt-in daily DM about questions due, at a time in their own time zone.
CREATE TABLE drill_reminders (
    guild_id       bigint      NOT NULL,
    user_id        bigint      NOT NULL,
    remind_at      time        NOT NULL,
    time_zone      text        NOT NULL,
    -- The member's local day of the last reminder looked at (sent, or nothing was due).
    last_sent_on   date,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (guild_id, user_id),
    FOREIGN KEY (guild_id, user_id) REFERENCES members ON DELETE CASCADE
);
