-- Server-side deployments (nextjs, node-api): the command that serves the stored app and the port it listens on.
-- NULL for static deployments, which Slipway serves from the artifact folder itself.
ALTER TABLE deployments ADD COLUMN start_command VARCHAR;
ALTER TABLE deployments ADD COLUMN port INTEGER;
