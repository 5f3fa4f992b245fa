-- Images attached to chat messages (POST /projects/{id}/attachments). The bytes live outside the project's files,
-- in DATABASE_DIR/attachments/<project id>/<attachment id>; a user message names its images in its parts.
-- No foreign keys (DuckDB has no cascade): project delete removes these rows in its transaction.
CREATE TABLE chat_attachments (
  id UUID PRIMARY KEY,
  project_id UUID NOT NULL,
  user_id UUID NOT NULL,
  mime VARCHAR NOT NULL,
  size INTEGER NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX chat_attachments_project ON chat_attachments (project_id);
