#!/usr/bin/env bash
# HTTP benchmark of the read pages (issue 7, first part): a generated academy of --students students,
# the release binary, a signed-in coordinator, wrk at --connections connections for --duration per
# page; prints requests/s, p50, p99 and errors per page in one table.
# Not yet here: pgbench replaying each page's statements (the app/pgbench ratio) and the write path.
#
#   scripts/bench.sh [--students 100000] [--connections 32] [--duration 10s]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

students=100000; connections=32; duration=10s
while [ $# -gt 0 ]; do
  case "$1" in
    --students) students=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    *) echo "unknown flag $1" >&2; exit 2 ;;
  esac
done

ensure_build_deps
ensure_packages wrk curl
ensure_postgres
database="aa_bench_${students}"
export DATABASE_URL="postgres://postgres:postgres@127.0.0.1:5432/${database}"
ensure_database
cargo build --release --locked -q
bin="${CARGO_TARGET_DIR:-target}/release/academy-admin"
seeded=$(psql "$DATABASE_URL" -qtAc "SELECT count(*) FROM programs WHERE name LIKE 'Bench %'" 2>/dev/null || echo 0)
if [ "${seeded:-0}" = 0 ]; then
  say "Generating $students students and $((students * 3)) enrollments"
  $bin bench-seed --students "$students" --enrollments $((students * 3))
fi

port=18500
export BIND_ADDR="127.0.0.1:$port" DATABASE_POOL_SIZE="${DATABASE_POOL_SIZE:-16}" RUST_LOG=warn
$bin serve & server=$!
trap 'kill $server 2>/dev/null || true' EXIT
until curl -sf "http://$BIND_ADDR/healthz" >/dev/null; do sleep 0.1; done

jar=$(mktemp)
token=$(curl -s -c "$jar" -b "$jar" "http://$BIND_ADDR/login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n1)
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$token" \
  --data-urlencode "username=bench.coord" --data-urlencode "password=academy-bench" "http://$BIND_ADDR/login"
cookie=$(awk '$6 == "academy_session" { print $6 "=" $7 }' "$jar")
[ -n "$cookie" ] || { echo "could not sign in as bench.coord" >&2; exit 1; }

program="(SELECT id FROM programs WHERE name = 'Bench 001')"
student=$(psql "$DATABASE_URL" -qtAc "SELECT id FROM students WHERE program_id = $program ORDER BY student_id LIMIT 1 OFFSET 100")
facility=$(psql "$DATABASE_URL" -qtAc "SELECT id FROM facilities WHERE program_id = $program ORDER BY name LIMIT 1")
course=$(psql "$DATABASE_URL" -qtAc "SELECT id FROM courses WHERE program_id = $program ORDER BY name LIMIT 1")
deep=$(( students / 20 / 25 / 2 ))

pages=(
  "student list page 1|/students"
  "student search|/students?q=okafor"
  "student list page $deep|/students?page=$deep"
  "student page|/students/$student"
  "pricing matrix|/facilities/$facility/pricing"
  "live price fragment|/enrollments/form?student_id=$student&course_id=$course&age_group=9-12&location_type=our-facility&session_type=group"
  "program dashboard|/dashboard"
)

printf '\n%-28s %10s %10s %10s %8s\n' "page ($students students)" "req/s" "p50" "p99" "errors"
for entry in "${pages[@]}"; do
  name=${entry%%|*}; path=${entry#*|}
  status=$(curl -s -o /dev/null -w '%{http_code}' -b "$cookie" "http://$BIND_ADDR$path")
  out=$(wrk -t2 -c"$connections" -d"$duration" --latency -H "Cookie: $cookie" "http://$BIND_ADDR$path")
  rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  p50=$(echo "$out" | awk '$1 == "50%" { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
  bad=$(echo "$out" | awk '/Non-2xx/ { n += $5 } /Socket errors/ { n += $4 + $6 + $8 + $10 } END { print n + 0 }')
  [ "$status" = 200 ] || bad="$bad (HTTP $status)"
  printf '%-28s %10s %10s %10s %8s\n' "$name" "$rps" "$p50" "$p99" "$bad"
done
rss=$(ps -o rss= -p "$server")
echo "server memory (RSS): $((rss / 1024)) MB"
