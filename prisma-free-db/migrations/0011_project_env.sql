-- Environment variables of a project's app (PUT /projects/{id}/env), passed to its container and its deployments.
-- A secret's value is sealed (lib/crypto/secret-box.ts, purpose "project-env", context "<project_id>:<key>") and
-- only its hint is ever shown; a plain value is stored as is in `value`.
CREATE TABLE project_env (
  project_id UUID NOT NULL,
  key VARCHAR NOT NULL,
  position INTEGER NOT NULL,
  secret BOOLEAN NOT NULL,
  value VARCHAR,
  value_sealed VARCHAR,
  hint VARCHAR,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, key)
);

-- The variables a deployment was built with (sealed as one JSON list, purpose "deployment-env", context the
-- deployment id): its server container starts with the same ones even after the project's list changes.
CREATE TABLE deployment_env (
  deployment_id UUID PRIMARY KEY,
  env_sealed VARCHAR NOT NULL
);
