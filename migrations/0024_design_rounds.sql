-- A system-design round: one question taken in stages (clarify, estimate, design, deep dive,
-- wrap-up). `design` holds the round's soft time boxes as they were at its start; null for
-- every other interview.
ALTER TABLE interviews ADD COLUMN design jsonb;

-- A stage's answer is stored with turn -10 - stage (clarify -10 … wrap-up -14); its deep
-- dive asks the bank's follow-ups, stored as they always were.
ALTER TABLE answers DROP CONSTRAINT answers_turn_check;
ALTER TABLE answers ADD CONSTRAINT answers_turn_check CHECK (turn >= -14);
