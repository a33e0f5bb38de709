-- An interview started without a difficulty adapts its level to the candidate's answers: it
-- asks this many main questions, chosen from the candidates in `plan` (every level's). NULL:
-- the plan is asked as it stands, in order.
ALTER TABLE interviews ADD COLUMN adaptive_questions smallint
    CHECK (adaptive_questions BETWEEN 1 AND 10);
