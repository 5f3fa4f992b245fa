-- Connected third-party accounts (GitHub, Vercel): one per user and provider. The token is sealed
-- with AES-256-GCM (lib/crypto/secret-box.ts); the plaintext never reaches the database.
CREATE TABLE integrations (
  id UUID PRIMARY KEY,
  user_id UUID NOT NULL,
  provider VARCHAR NOT NULL,
  account_login VARCHAR NOT NULL,
  account_id VARCHAR NOT NULL,
  team_id VARCHAR,
  token_sealed VARCHAR NOT NULL,
  -- set when the provider answered 401: the user must reconnect
  revoked_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (user_id, provider)
);

-- The GitHub repository a project is linked to.
CREATE TABLE github_links (
  project_id UUID PRIMARY KEY,
  owner_id UUID NOT NULL,
  repo_full_name VARCHAR NOT NULL,
  html_url VARCHAR NOT NULL,
  clone_url VARCHAR NOT NULL,
  branch VARCHAR NOT NULL,
  private BOOLEAN NOT NULL,
  last_pushed_sha VARCHAR,
  last_pushed_at TIMESTAMPTZ,
  last_pulled_sha VARCHAR,
  last_pulled_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Deployments made on Vercel through its REST API.
CREATE TABLE vercel_deployments (
  id UUID PRIMARY KEY,
  project_id UUID NOT NULL,
  owner_id UUID NOT NULL,
  vercel_id VARCHAR NOT NULL,
  vercel_project VARCHAR NOT NULL,
  url VARCHAR NOT NULL,
  state VARCHAR NOT NULL,
  checkpoint_sha VARCHAR NOT NULL,
  file_count INTEGER NOT NULL,
  uploaded_count INTEGER NOT NULL,
  error VARCHAR,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX vercel_deployments_project ON vercel_deployments (project_id, created_at);

-- Preview deployments built and served by Slipway itself (immutable artifacts under DATABASE_DIR/deployments/<id>).
CREATE TABLE deployments (
  id UUID PRIMARY KEY,
  project_id UUID NOT NULL,
  owner_id UUID NOT NULL,
  checkpoint_sha VARCHAR NOT NULL,
  state VARCHAR NOT NULL,
  visibility VARCHAR NOT NULL,
  log VARCHAR NOT NULL DEFAULT '',
  error VARCHAR,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  started_at TIMESTAMPTZ,
  finished_at TIMESTAMPTZ
);
CREATE INDEX deployments_project ON deployments (project_id, created_at);

-- The deployment served at a project's stable URL (<slug>.<DEPLOY_BASE_DOMAIN>); one per project.
CREATE TABLE deployment_promotions (
  project_id UUID PRIMARY KEY,
  deployment_id UUID NOT NULL,
  promoted_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
