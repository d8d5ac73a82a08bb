#!/usr/bin/env bash
# Measures the release binary's start-up: from exec to the first answered request (GET /healthz
# answering 200) on an already-migrated database. Prints each run and the median, in ms.
# Usage: scripts/startup-time.sh [runs]   (DATABASE_URL as for the app: unless set, run.sh's role and
# database, set up the same way; BIND_ADDR defaults to 127.0.0.1:18080)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
runs="${1:-9}"
start_postgres
ensure_app_database   # exports DATABASE_URL unless it is set already
export BIND_ADDR="${BIND_ADDR:-127.0.0.1:18080}"
cargo build --release --locked -q
bin="${CARGO_TARGET_DIR:-target}/release/academy-admin"
"$bin" migrate >/dev/null 2>&1
times=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  "$bin" serve >/dev/null 2>&1 &
  pid=$!
  until curl -sf "http://$BIND_ADDR/healthz" >/dev/null; do sleep 0.001; done
  end=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  times+=($(( (end - start) / 1000000 )))
  echo "run $i: ${times[-1]} ms"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
echo "median: $median ms over $runs runs"
