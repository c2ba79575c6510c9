#!/usr/bin/env bash
# Starts dist/supportdesk from a new, empty directory: no node_modules, no data, no config file
# beside it, which is how a new user runs the downloaded binary.
set -euo pipefail
binary="$(cd "$(dirname "$0")/.." && pwd)/dist/supportdesk"
[ -x "$binary" ] || { echo "dist/supportdesk is missing: run 'bun run build' first" >&2; exit 1; }
workdir="$(mktemp -d -t supportdesk-e2e-XXXXXX)"
cd "$workdir"
# Every customer of the browser tests comes from 127.0.0.1: the default budget of 30 new
# conversations per address per hour would run out partway through the suite.
export CONVERSATIONS_PER_IP_PER_HOUR="${CONVERSATIONS_PER_IP_PER_HOUR:-10000}"
exec "$binary"
