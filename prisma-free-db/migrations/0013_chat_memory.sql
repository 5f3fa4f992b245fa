-- The model's memory of a long chat session: older turns summarised into one text (lib/chat/compaction.ts). The
-- summary stands for every message up to and including (summary_through_at, summary_through_id) in the
-- session's (created_at, id) order; later messages are read verbatim.
ALTER TABLE chat_sessions ADD COLUMN summary VARCHAR;
ALTER TABLE chat_sessions ADD COLUMN summary_through_at TIMESTAMPTZ;
ALTER TABLE chat_sessions ADD COLUMN summary_through_id UUID;
-- 'plan' for a plan-mode message and its answer (read-only tools, answered with a plan); NULL for a build turn.
ALTER TABLE chat_messages ADD COLUMN mode VARCHAR;
