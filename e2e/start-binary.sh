#!/usr/bin/env bash
# Starts dist/supportdesk from a new, empty directory: no node_modules, no data, no config file
# beside it, which is how a new user runs the downloaded binary.
set -euo pipefail
binary="$(cd "$(dirname "$0")/.." && pwd)/dist/supportdesk"
[ -x "$binary" ] || { echo "dist/supportdesk is missing: run 'bun run build' first" >&2; exit 1; }
workdir="$(mktemp -d -t supportdesk-e2e-XXXXXX)"
cd "$workdir"
exec "$binary"
