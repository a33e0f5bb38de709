-- Tokens held for LLM calls in flight. A worker reserves a call's allowance before calling and
-- settles it after with what the call used, so concurrent workers cannot together overshoot a
-- guild's daily budget. A process that dies mid-call leaves its reservation for the rest of
-- that day: the budget errs on the side of spending less.
ALTER TABLE llm_usage ADD COLUMN reserved_tokens bigint NOT NULL DEFAULT 0;
