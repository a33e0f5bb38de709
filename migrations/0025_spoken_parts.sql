-- How each voice-message part of an answer was spoken (pace, fillers, long pauses), read from
-- its transcript. Keyed by the message, like the answer's own `message_ids`, so that an answer
-- finds its spoken parts when it is scored, and a deleted message's part simply stops being
-- one of them. No audio and no text: counts and filler words only. It goes with the member.
CREATE TABLE spoken_parts (
    message_id  bigint PRIMARY KEY,
    guild_id    bigint NOT NULL,
    user_id     bigint NOT NULL,
    speaking    jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (guild_id, user_id) REFERENCES members (guild_id, user_id) ON DELETE CASCADE
);

-- The sum over an answer's spoken parts, stored with its assessment when it is scored.
ALTER TABLE answers ADD COLUMN speaking jsonb;
