-- Each message of an answer, beside its id in `message_ids`: editing a message before the answer
-- is submitted replaces its part, deleting it removes the part, and `body` is always the parts
-- joined by newlines. Answers still open when this runs are given parts where that is exact
-- (one message); the rest keep NULL, and edits to them are ignored.
ALTER TABLE answers ADD COLUMN parts text[];
UPDATE answers SET parts = ARRAY[body] WHERE status = 'open' AND cardinality(message_ids) = 1;

-- A member whose QOTD answer is in was offered, once, to make a later message their new answer
-- (the "Answer again" button); later remarks are left alone. Cleared when the answer is
-- replaced.
ALTER TABLE answers ADD COLUMN again_offered boolean NOT NULL DEFAULT false;
