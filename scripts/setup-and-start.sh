#!/usr/bin/env bash
# Quick start: install, build and start Slipway on its embedded defaults (DuckDB file, local sign-in).
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_node_modules
apt_install git # project checkpoints use the git CLI
ensure_docker || echo "warning: no Docker engine; projects work, previews and the agent's commands do not" >&2
ensure_env_file
echo "==> next build"
npx next build
echo "==> starting on http://localhost:${PORT:-3000}"
exec env NODE_ENV=production node --max-semi-space-size=64 --import tsx server.ts
