#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs and starts what the tests need (Docker engine,
# Chromium), type-checks, lints, builds the production app, runs every test against it, then `npm run eval -- --scripted`.
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_node_modules
ensure_docker
apt_install chromium git
echo "==> typecheck"; npx tsc --noEmit
echo "==> lint"; npx eslint . --max-warnings=0
echo "==> dependency direction"; npm run --silent lint:deps
echo "==> format"; npx prettier --check . >/dev/null || { npx prettier --check . | tail -20; exit 1; }
echo "==> next build"; npx next build >/tmp/slipway-build.log 2>&1 || { tail -50 /tmp/slipway-build.log; exit 1; }
echo "==> tests"
mkdir -p test-artifacts
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest.json "$@" || status=$?
# One plain closing line that any CI can read.
node -e 'const r=require("./test-artifacts/vitest.json");console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`)' || true
# The agent scenarios end to end against their scripted model (same build, Docker and Chromium), when the whole
# suite runs (no file arguments); any failed scenario fails the run.
if [ $# -eq 0 ]; then
  echo "==> eval (scripted)"
  npm run eval -- --scripted || status=$?
fi
exit $status
