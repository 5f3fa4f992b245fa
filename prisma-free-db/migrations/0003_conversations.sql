-- Chat conversations of a project. The chat issue writes them; GET /projects/{id}/conversations reads them.
-- No foreign keys (DuckDB has no cascade): project delete removes these rows in its transaction.
CREATE TABLE chat_sessions (
  id UUID PRIMARY KEY,
  project_id UUID NOT NULL,
  user_id UUID NOT NULL,
  title VARCHAR,
  created_at TIMESTAMPTZ DEFAULT now(),
  updated_at TIMESTAMPTZ DEFAULT now()
);
CREATE INDEX chat_sessions_project ON chat_sessions (project_id, created_at);

CREATE TABLE chat_messages (
  id UUID PRIMARY KEY,
  session_id UUID NOT NULL,
  project_id UUID NOT NULL,
  user_id UUID NOT NULL,
  role VARCHAR NOT NULL,
  content VARCHAR NOT NULL,
  parts JSON,
  status VARCHAR NOT NULL DEFAULT 'complete',
  model VARCHAR,
  checkpoint_before VARCHAR,
  checkpoint_after VARCHAR,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX chat_messages_project ON chat_messages (project_id, created_at);
CREATE INDEX chat_messages_session ON chat_messages (session_id, created_at);
