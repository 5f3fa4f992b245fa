-- One row per LLM call (one agent step). Rows survive project deletion: they are the user's billing record
-- (project_id then points at a deleted project; reports show it without a name).
CREATE TABLE token_usage (
  id UUID PRIMARY KEY,
  user_id UUID NOT NULL,
  project_id UUID NOT NULL,
  session_id UUID,
  message_id UUID,
  provider VARCHAR NOT NULL,
  model VARCHAR NOT NULL,
  step INTEGER NOT NULL,
  input_tokens BIGINT NOT NULL,
  output_tokens BIGINT NOT NULL,
  cached_tokens BIGINT NOT NULL,
  cost_usd DOUBLE NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX token_usage_session ON token_usage (session_id);
CREATE INDEX token_usage_project ON token_usage (project_id);
CREATE INDEX token_usage_user ON token_usage (user_id);

-- Optional per-project settings; token_budget is a cap on input + output tokens over the project's life.
CREATE TABLE project_settings (
  project_id UUID PRIMARY KEY,
  token_budget BIGINT,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
