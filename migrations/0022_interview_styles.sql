-- An interview run in an interviewer style keeps the style as it was at the start (its voice,
-- follow-up policy, weights, time box and bar), so replaying the interview's steps never
-- depends on style files changed or removed since. NULL: the standard interviewer.
ALTER TABLE interviews ADD COLUMN style jsonb;
-- When the question now awaiting an answer was asked, for the time an answer took.
ALTER TABLE interviews ADD COLUMN asked_at timestamptz;
-- Seconds from the question being asked to the answer being submitted (NULL: not measured,
-- e.g. answers from before this column, and QOTD answers).
ALTER TABLE answers ADD COLUMN answer_secs integer CHECK (answer_secs >= 0);
