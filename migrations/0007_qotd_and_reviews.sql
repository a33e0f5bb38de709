-- Question of the day options and the peer-review scale, per guild; finding the answer a
-- reaction is on.

-- Scores of QOTD answers stay hidden in the thread until the reveal.
ALTER TABLE guilds ADD COLUMN qotd_hide_scores boolean NOT NULL DEFAULT false;
-- Local time of day the previous post is revealed; NULL: with the next post.
ALTER TABLE guilds ADD COLUMN qotd_reveal_time time;
-- The review scale: a JSON object from emoji to value (-5..5), e.g. {"👍": 1, "👎": -1, "⭐": 2};
-- NULL: that default.
ALTER TABLE guilds ADD COLUMN review_scale jsonb
    CHECK (review_scale IS NULL OR jsonb_typeof(review_scale) = 'object');

-- A reaction names a message; the answer holding it is found through this index.
CREATE INDEX answers_message_ids ON answers USING gin (message_ids);
