-- Every step and every answer message updates last_activity_at. Indexed, that column made each
-- of those updates write new index entries (no HOT update): thousands of dead tuples per
-- hundred interviews in the bot's benchmark. The idle sweep reads the running interviews
-- through interviews_one_active instead (there are few of them), and the rows keep room on
-- their pages for in-place updates.
DROP INDEX interviews_active_idle;
ALTER TABLE interviews SET (fillfactor = 70);
