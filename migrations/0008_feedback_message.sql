-- The message that shows an answer's feedback, so peer reviews arriving later can update it.
ALTER TABLE answers ADD COLUMN feedback_message_id bigint;
