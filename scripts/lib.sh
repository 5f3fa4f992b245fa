# Shared by setup-and-start.sh and test.sh: install what Slipway needs on a fresh Debian machine.
set -euo pipefail
# Next.js sends no usage telemetry from Slipway's builds and server.
export NEXT_TELEMETRY_DISABLED=1

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> installing ${missing[*]}"
  if [ $apt_updated = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_node_modules() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "==> npm ci"
    npm ci --no-audit --no-fund
  fi
}

# A real Docker engine: Debian's docker.io, started in the background when nothing answers.
ensure_docker() {
  if docker info >/dev/null 2>&1; then return 0; fi
  if ! command -v dockerd >/dev/null 2>&1; then apt_install docker.io; fi
  if ! docker info >/dev/null 2>&1; then
    echo "==> starting dockerd (log: /tmp/slipway-dockerd.log)"
    as_root sh -c 'nohup dockerd >/tmp/slipway-dockerd.log 2>&1 &'
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  docker info >/dev/null 2>&1 || { echo "dockerd did not start; see /tmp/slipway-dockerd.log" >&2; return 1; }
}

ensure_env_file() {
  if [ ! -f .env ]; then
    echo "==> creating .env with a fresh AUTH_SECRET"
    printf 'AUTH_SECRET=%s\n' "$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))')" > .env
  fi
}
