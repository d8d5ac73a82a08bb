#!/usr/bin/env bash
# Starts Academy Admin on http://127.0.0.1:8080 with demo data, setting up what is missing first.
# The app connects as its own database role, academy_admin (password in .db-password), never as
# the postgres superuser, whose password this leaves as it was.
#   scripts/run.sh [--setup-only]   (--setup-only: PostgreSQL, role, database and keys, then stop)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

setup_only=""
case "${1:-}" in
  "") ;;
  --setup-only) setup_only=1 ;;
  *) echo "unknown argument $1 (scripts/run.sh [--setup-only])" >&2; exit 2 ;;
esac

start_postgres
ensure_app_database   # exports DATABASE_URL unless it is set already

# A stable session key, so a restart does not sign everybody out.
if [ -z "${SESSION_KEY:-}" ]; then
  [ -s .session-key ] || (umask 077; head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n' > .session-key)
  SESSION_KEY=$(cat .session-key); export SESSION_KEY
fi
if [ -n "$setup_only" ]; then say "Set up: database ${DATABASE_URL##*@}"; exit 0; fi

ensure_build_deps
say "Building (release)"
cargo build --release --locked
bin="${CARGO_TARGET_DIR:-target}/release/academy-admin"
"$bin" seed-demo
say "Serving on http://${BIND_ADDR:-127.0.0.1:8080} (Ctrl+C stops)"
exec "$bin" serve
