-- A per-guild LLM model was stored but never read: the model is the host's (LLM_MODEL).
ALTER TABLE guilds DROP COLUMN llm_model;
