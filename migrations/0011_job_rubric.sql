-- The rubric an interview answer is scored against, as the interview engine chose it when the
-- answer was submitted: the worker scores with exactly that, never a rubric rebuilt from a bank
-- that may have changed since. NULL for question-of-the-day answers (their question's rubric)
-- and jobs queued before this column.
ALTER TABLE scoring_jobs ADD COLUMN rubric jsonb;
