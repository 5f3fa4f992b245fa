-- LLM providers a user configured in Settings → Models & keys. The key is sealed (lib/crypto/secret-box.ts, purpose
-- "llm-provider-key", context "<user_id>:<provider>"); key_hint is its last 4 characters, the only part ever shown.
-- A row's settings serve that user's turns only; the server's env keys stay the default for everyone.
CREATE TABLE user_providers (
  user_id UUID NOT NULL,
  provider VARCHAR NOT NULL,
  api_key_sealed VARCHAR,
  key_hint VARCHAR,
  base_url VARCHAR,
  -- The last successful POST /me/providers/{provider}/test.
  last_tested_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, provider)
);

-- Whose key paid for a call: 'user' (the caller's own, from user_providers) or 'server' (the env's).
ALTER TABLE token_usage ADD COLUMN key_source VARCHAR DEFAULT 'server';

-- The model the project's last turn asked for; the chat's model picker starts with it.
ALTER TABLE projects ADD COLUMN last_model VARCHAR;
