#!/usr/bin/env bash
# Runs every test: installs what is missing (PostgreSQL, Chromium and chromedriver, Java and the Nu
# HTML checker), then cargo test.
# Extra arguments go to cargo test, e.g. scripts/test.sh browser
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_build_deps
ensure_packages chromium chromium-driver
ensure_vnu
start_postgres
# The tests create one database per test as the postgres superuser over TCP: on a fresh Debian
# cluster this sets its password (see ensure_superuser_over_tcp in lib.sh).
ensure_superuser_over_tcp
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432}"

say "Running the tests"
cargo test --locked --workspace "$@"
