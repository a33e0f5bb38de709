-- How many interviews a member may start in an hour, per guild: a bound on leaderboard
-- farming (and on the LLM tokens one member can spend), set with /config interviews.
-- Counting a member's recent starts uses interviews_member (guild_id, user_id, started_at).
ALTER TABLE guilds
    ADD COLUMN interviews_per_hour smallint NOT NULL DEFAULT 6
        CHECK (interviews_per_hour BETWEEN 1 AND 60);
