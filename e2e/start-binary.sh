#!/usr/bin/env bash
# Starts dist/supportdesk from a new, empty directory: no node_modules, no data, no config file
# beside it, which is how a new user runs the downloaded binary.
set -euo pipefail
binary="$(cd "$(dirname "$0")/.." && pwd)/dist/supportdesk"
[ -x "$binary" ] || { echo "dist/supportdesk is missing: run 'bun run build' first" >&2; exit 1; }
workdir="$(mktemp -d -t supportdesk-e2e-XXXXXX)"
cd "$workdir"
# Every customer and agent of the browser tests comes from 127.0.0.1: per-IP budgets meant for one
# office (30 new conversations an hour, 100 open sockets...) would run out partway through the
# suite. The per-visitor limits stay at their defaults: each test's visitor is one person.
for limit in CONVERSATIONS_PER_IP_PER_HOUR MESSAGES_PER_IP_PER_MINUTE SESSIONS_PER_IP_PER_MINUTE \
  HISTORY_FETCHES_PER_IP_PER_MINUTE READ_FRAMES_PER_IP_PER_MINUTE TYPING_FRAMES_PER_IP_PER_SECOND \
  HANDOFFS_PER_IP_PER_MINUTE TRANSCRIPTS_PER_IP_PER_HOUR OPEN_WIDGET_SOCKETS_PER_IP OPEN_AGENT_SOCKETS_PER_IP LOGIN_ATTEMPTS_PER_IP_PER_15_MINUTES; do
  export "$limit=${!limit:-10000}"
done
exec "$binary"
