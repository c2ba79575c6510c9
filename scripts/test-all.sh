#!/usr/bin/env bash
# Everything CI checks, from a fresh Debian machine with only Node.js/npm: installs what is
# missing (dependencies from the lockfile, Chromium from apt, PostgreSQL and Redis if absent),
# starts PostgreSQL and Redis if they are stopped, then type-checks, checks the file budget, scans views for XSS,
# checks the Prometheus rules of deploy/ (promtool, from Debian's prometheus package if missing),
# makes sure moto (an S3-compatible server for the bucket store's tests) is there, runs `bun test` on
# the embedded database and on PostgreSQL + Redis, builds the binary and runs the browser tests against it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@"; }
# Polls a check for up to 30 s.
wait_for() { for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done; "$@"; }

PG_HOST=127.0.0.1 PG_PORT=5432
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@$PG_HOST:$PG_PORT/postgres}"
export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

step "dependencies (bun comes from npm)"
# Installed again only when the lockfile or patches/ changed since the last install here (npm's own
# node_modules/.package-lock.json never equals package-lock.json, so it cannot tell).
install_stamp="$(cat package-lock.json patches/* | sha256sum | cut -d' ' -f1)"
if [ ! -x node_modules/.bin/bun ] || [ "$(cat node_modules/.install-stamp 2>/dev/null)" != "$install_stamp" ]; then
  npm ci --no-audit --no-fund # its postinstall applies patches/
  echo "$install_stamp" > node_modules/.install-stamp
fi
bun --version

step "Chromium for the browser tests"
[ -x "$CHROMIUM_PATH" ] || apt_install chromium
"$CHROMIUM_PATH" --version 2>/dev/null || true

step "PostgreSQL"
if ! pg_isready -h "$PG_HOST" -p "$PG_PORT" -q 2>/dev/null; then
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  wait_for pg_isready -h "$PG_HOST" -p "$PG_PORT" -q
fi
pg_isready -h "$PG_HOST" -p "$PG_PORT"

step "Redis"
if ! redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then
  command -v redis-server >/dev/null || apt_install redis-server
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  wait_for redis-cli -h 127.0.0.1 -p 6379 ping
fi
redis-cli -h 127.0.0.1 -p 6379 ping
# Rate-limit budgets the tests spent in an earlier run (they last up to an hour) would refuse this
# run's requests from 127.0.0.1: each run starts with full ones. Only the limiter's own keys go.
redis-cli -h 127.0.0.1 -p 6379 --scan --pattern 'supportdesk:rl:*' | xargs -r redis-cli -h 127.0.0.1 -p 6379 del >/dev/null

step "type check"
tsc --noEmit

step "file budget: no source file over 250 lines"
bun scripts/file-budget.ts

step "XSS scan of the views (kitajs)"
xss-scan

step "Prometheus alert rules and config (deploy/prometheus)"
# Debian's prometheus package ships promtool.
command -v promtool >/dev/null || apt_install prometheus
promtool check rules deploy/prometheus/alerts.yml
promtool test rules deploy/prometheus/alerts.test.yml
# Syntax only: the bearer token file it names exists only inside the Prometheus container.
promtool check config --syntax-only deploy/prometheus/prometheus.yml

step "moto, an S3-compatible server for the bucket store's tests"
# Preinstalled with the CI machines' Python. Elsewhere: Debian's python3-moto where the release
# has it (bookworm does not), else the pinned moto in a virtualenv of its own (kept for next runs).
# The tests start $MOTO_SERVER_CMD, or moto_server from PATH.
MOTO_VENV="${XDG_CACHE_HOME:-$HOME/.cache}/supportdesk/moto-5.2.1"
if [ -z "${MOTO_SERVER_CMD:-}" ] && ! command -v moto_server >/dev/null; then
  if [ -x "$MOTO_VENV/bin/moto_server" ]; then
    export MOTO_SERVER_CMD="$MOTO_VENV/bin/moto_server"
  elif as_root apt-get update -qq && apt-cache policy python3-moto | grep -q 'Candidate: [0-9]'; then
    apt_install python3-moto python3-flask python3-flask-cors
    # Debian's package may ship only the module, not the command.
    command -v moto_server >/dev/null || export MOTO_SERVER_CMD="python3 -m moto.server"
  else
    python3 -m venv "$MOTO_VENV" 2>/dev/null || { apt_install python3-venv && python3 -m venv --clear "$MOTO_VENV"; }
    "$MOTO_VENV/bin/pip" install --quiet "moto[server]==5.2.1"
    export MOTO_SERVER_CMD="$MOTO_VENV/bin/moto_server"
  fi
fi
${MOTO_SERVER_CMD:-moto_server} --help >/dev/null

step "bun test: embedded PostgreSQL (PGlite), in-process bus"
env -u TEST_DATABASE_URL -u TEST_REDIS_URL bun test --timeout 30000

step "bun test: PostgreSQL ($TEST_DATABASE_URL) and Redis ($TEST_REDIS_URL)"
bun test --timeout 30000

step "build the single executable"
bun run build

step "browser tests (Playwright + Debian Chromium) against dist/supportdesk"
playwright test

step "all checks passed"
