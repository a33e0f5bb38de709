-- The candidate asked for each question to be read aloud too (`/interview start spoken:`).
ALTER TABLE interviews ADD COLUMN spoken_questions boolean NOT NULL DEFAULT false;
