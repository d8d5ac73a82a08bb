#!/usr/bin/env bash
# Starts Academy Admin on http://127.0.0.1:8080 with demo data, setting up what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_build_deps
ensure_postgres
export DATABASE_URL="${DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/academy_admin?sslmode=disable}"
ensure_database

# A stable session key, so a restart does not sign everybody out.
if [ -z "${SESSION_KEY:-}" ]; then
  [ -s .session-key ] || head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n' > .session-key
  SESSION_KEY=$(cat .session-key); export SESSION_KEY
fi

say "Building (release)"
cargo build --release --locked
./target/release/academy-admin seed-demo
say "Serving on http://${BIND_ADDR:-127.0.0.1:8080} (Ctrl+C stops)"
exec ./target/release/academy-admin serve
