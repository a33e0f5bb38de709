-- quiet_period_secs now means what the bot needs it for: how long the candidate's thread stays
-- quiet before their answer (which may span several messages) is submitted on its own. 0 means
-- "only with the Submit button". No code used the old meaning (a cooldown between interviews).
ALTER TABLE guilds ALTER COLUMN quiet_period_secs SET DEFAULT 20;
UPDATE guilds SET quiet_period_secs = 20 WHERE quiet_period_secs = 0;
COMMENT ON COLUMN guilds.quiet_period_secs IS
    'Seconds of quiet after the candidate''s last message before their answer is submitted; 0: Submit button only.';
