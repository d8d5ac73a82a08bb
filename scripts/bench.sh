#!/usr/bin/env bash
# Benchmark of issue 7: for each academy size, the read pages under wrk next to pgbench replaying
# each page's own SQL (the database's own limit), and the write paths "creating an enrollment" and
# "enrolling into a class" (issue 18).
#
#   scripts/bench.sh [--students "10000 100000 1000000"] [--connections 32] [--duration 10s]
#                    [--keep-scripts DIR] [--only "calendar enroll-class"]
#
# Per size: seeds aa_bench_<N> if it holds no benchmark data; captures the SQL of one request of
# each read page from PostgreSQL's log (a separate server instance with log_statement = 'all',
# requests bracketed by psql marker statements; see src/bench/replay.rs); checks each replay script
# once with pgbench -t 1; then, against a normal server instance, wrk per page followed by pgbench
# with the same connections and duration, and the enrollment write path. Not part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

sizes="10000 100000 1000000"; connections=32; duration=10s; threads=2; keep_scripts=""; only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --students) sizes=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    # Keeps each page's replay script (DIR/<size>/<page>.sql and .vars) for profiling statements.
    --keep-scripts) keep_scripts=$2; shift 2 ;;
    # Only these rows (keys: list search deep student pricing price dashboard calendar balances
    # statement, and the write rows enroll and enroll-class); all of them when not given.
    --only) only=$2; shift 2 ;;
    *) echo "unknown flag $1" >&2; exit 2 ;;
  esac
done
command_line="scripts/bench.sh --students \"$sizes\" --connections $connections --duration $duration${only:+ --only \"$only\"}"

ensure_build_deps
ensure_packages wrk curl postgresql-client
start_postgres
# bench.sh works as the postgres superuser over TCP, like the tests (see lib.sh).
ensure_superuser_over_tcp
cargo build --release --locked -q --workspace
bin="${CARGO_TARGET_DIR:-target}/release/academy-admin"
# The generator and the replay tool live in their own crate (bench/), not in the app.
bench_bin="${CARGO_TARGET_DIR:-target}/release/academy-admin-bench"
work=$(mktemp -d)
server=""; capturing_db=""
cleanup() {
  stop_server
  [ -z "$capturing_db" ] || psql "$ADMIN_DATABASE_URL" -qc "ALTER DATABASE \"$capturing_db\" RESET log_statement" || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- helpers -------------------------------------------------------------------------------------

# The log file of the cluster on port 5432 (Debian's stderr log; pg_current_logfile() is only set
# with logging_collector on).
pg_log_file() {
  pg_lsclusters --no-header 2>/dev/null | awk '$3 == 5432 { print $7; exit }'
}

# wrk takes 10s / 1m; pgbench -T wants whole seconds.
seconds() {
  case "$1" in
    *ms) echo 1 ;;
    *m) echo $(( ${1%m} * 60 )) ;;
    *s) echo "${1%s}" ;;
    *) echo "$1" ;;
  esac
}

sql() { psql "$DATABASE_URL" -qtAc "$1"; }

seed_if_missing() {
  local students=$1 seeded
  seeded=$(sql "SELECT count(*) FROM programs WHERE name LIKE 'Bench %'" 2>/dev/null || echo 0)
  if [ "${seeded:-0}" = 0 ]; then
    say "Generating $students students and $((students * 3)) enrollments"
    $bench_bin bench-seed --students "$students" --enrollments $((students * 3))
  fi
  # Last month invoiced for every generated program (the app's own invoice run, timed) and a share
  # of it paid: the balances and statement pages read them.
  if [ "$(sql "SELECT count(*) FROM invoices i JOIN programs p ON p.id = i.program_id WHERE p.name LIKE 'Bench %'")" = 0 ]; then
    local month
    month=$(sql "SELECT to_char((date_trunc('month', now() AT TIME ZONE 'Africa/Lagos') - interval '1 day')::date, 'YYYY-MM')")
    say "Invoicing $month for every generated program"
    $bench_bin bench-invoice-run --month "$month"
    sql "VACUUM (ANALYZE)" >/dev/null
  fi
}

start_server() {
  local port=$1
  # The app's own pool size (twice the cores) unless DATABASE_POOL_SIZE is set.
  BIND_ADDR="127.0.0.1:$port" RUST_LOG=warn $bin serve &
  server=$!
  base="http://127.0.0.1:$port"
  until curl -sf "$base/healthz" >/dev/null; do
    kill -0 "$server" 2>/dev/null || { echo "the server did not start" >&2; exit 1; }
    sleep 0.1
  done
}

stop_server() {
  [ -n "$server" ] || return 0
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
}

# Signs in as bench.coord; prints the Cookie header value.
sign_in() {
  local jar token cookie
  jar="$work/jar"; rm -f "$jar"
  token=$(curl -s -c "$jar" -b "$jar" "$base/login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n1)
  curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$token" \
    --data-urlencode "username=bench.coord" --data-urlencode "password=academy-bench" "$base/login"
  cookie=$(awk '$6 == "academy_session" { print $6 "=" $7 }' "$jar")
  [ -n "$cookie" ] || { echo "could not sign in as bench.coord" >&2; exit 1; }
  echo "$cookie"
}

# The value of a hidden form field in a page.
hidden_field() {
  sed -n "s/.*name=\"$1\" value=\"\([^\"]*\)\".*/\1/p" | head -n1
}

# The page of the student list that starts at the middle of the program's students (page
# ~1,000 of 2,000 at 1M students), by the list's own cursor: the list pages by key, so a link
# there is `?after=<the student before it>`, in the list's default order (name).
deep_page_url() {
  local middle
  middle=$(sql "SELECT id FROM students WHERE program_id = $program
                ORDER BY last_name, first_name, id
                OFFSET (SELECT count(*) / 2 FROM students WHERE program_id = $program) LIMIT 1")
  echo "/students?after=$middle"
}

# Samples the server's RSS every second; the maximum (kB) ends in $1.
sample_rss() {
  local out=$1 max=0 rss
  echo 0 >"$out"
  while kill -0 "$server" 2>/dev/null; do
    rss=$(ps -o rss= -p "$server" 2>/dev/null | tr -d ' ')
    if [ -n "$rss" ] && [ "$rss" -gt "$max" ]; then max=$rss; echo "$max" >"$out"; fi
    sleep 1
  done
}

# --- capture: one request of each page, its SQL from PostgreSQL's log -----------------------------

# Runs one request of every page between psql markers on a server instance whose connections log
# every statement, then turns each page's log excerpt into $work/<key>.sql and $work/<key>.vars.
# A warm-up request first, so one-off work (a new pooled connection's SET statements, the session
# remembering the program) stays out of the page's SQL.
capture_pages() {
  local log_file offset cookie key status
  log_file=$(pg_log_file)
  [ -r "${log_file:-/nonexistent}" ] || { echo "PostgreSQL's log is not readable: no replay scripts" >&2; return 0; }
  capturing_db=$database
  psql "$ADMIN_DATABASE_URL" -qc "ALTER DATABASE \"$database\" SET log_statement = 'all'"
  offset=$(stat -c %s "$log_file")
  start_server 18501
  cookie=$(sign_in)
  for key in "${keys[@]}"; do
    curl -s -o /dev/null -b "$cookie" "$base${paths[$key]}"
    sql "$(marker_sql begin "$key")" >/dev/null
    status=$(curl -s -o /dev/null -w '%{http_code}' -b "$cookie" "$base${paths[$key]}")
    sql "$(marker_sql end "$key")" >/dev/null
    [ "$status" = 200 ] || echo "capture of $key: HTTP $status" >&2
  done
  stop_server
  psql "$ADMIN_DATABASE_URL" -qc "ALTER DATABASE \"$database\" RESET log_statement"
  capturing_db=""
  tail -c +"$((offset + 1))" "$log_file" >"$work/capture.log"
  for key in "${keys[@]}"; do make_script "$key"; done
  if [ -n "$keep_scripts" ]; then
    mkdir -p "$keep_scripts/$students"
    cp "$work"/*.sql "$work"/*.vars "$keep_scripts/$students/" 2>/dev/null || true
  fi
}

# The marker statements; src/bench/replay.rs looks for exactly these.
marker_sql() { echo "SELECT 'bench-capture-$1:$2'"; }

# $work/<key>.sql, .vars and .count, checked once with pgbench -t 1; on any failure the page gets
# no script, so its pgbench column shows an error.
make_script() {
  local key=$1 count defines
  if ! count=$($bench_bin bench-replay-script --database "$database" --page "$key" \
      --script "$work/$key.sql" --vars "$work/$key.vars" <"$work/capture.log" 2>"$work/$key.err"); then
    echo "replay script of $key: $(cat "$work/$key.err")" >&2
    rm -f "$work/$key.sql"; return 0
  fi
  echo "$count" >"$work/$key.count"
  mapfile -d '' -t defines <"$work/$key.vars"
  if ! pgbench -n -M prepared -c 1 -t 1 -f "$work/$key.sql" "${defines[@]}" "$DATABASE_URL" \
      >"$work/$key.check" 2>&1; then
    echo "replay script of $key fails once under pgbench:" >&2; tail -n 5 "$work/$key.check" >&2
    rm -f "$work/$key.sql"
  fi
}

# --- measuring ----------------------------------------------------------------------------------

# Prints "req/s p50 p99 errors" of wrk on one read page.
wrk_page() {
  local cookie=$1 path=$2 status out rps p50 p99 bad
  status=$(curl -s -o /dev/null -w '%{http_code}' -b "$cookie" "$base$path")
  out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -H "Cookie: $cookie" "$base$path")
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  bad=$(awk '/Non-2xx/ { n += $5 } /Socket errors/ { n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<<"$out")
  [ "$status" = 200 ] || bad="${bad}(HTTP-$status)"
  echo "${rps:--} ${p50:--} ${p99:--} $bad"
}

# Prints pgbench's tps replaying a page's script, or "error".
pgbench_page() {
  local key=$1 defines out tps
  [ -f "$work/$key.sql" ] || { echo error; return; }
  mapfile -d '' -t defines <"$work/$key.vars"
  if ! out=$(pgbench -n -M prepared -c "$connections" -j "$threads" -T "$(seconds "$duration")" \
      -f "$work/$key.sql" "${defines[@]}" "$DATABASE_URL" 2>&1); then
    echo "pgbench on $key failed: $(tail -n 3 <<<"$out")" >&2; echo error; return
  fi
  tps=$(awk '/^tps = / { print $3; exit }' <<<"$out")
  [ -n "$tps" ] && printf '%.1f\n' "$tps" || echo error
}

# --- write paths: creating an enrollment, enrolling into a class ---------------------------------

# $1: one line per enrollment that the app should accept: an active student of the program with no
# running enrollment in that course at that facility and not on a waitlist there (the app refuses
# both), and a configuration with a price in force.
write_work_file() {
  sql "
    WITH p AS (SELECT id FROM programs WHERE name = 'Bench 001'),
    configs AS (
      SELECT DISTINCT ON (f.course_id, f.facility_id) f.course_id, f.facility_id,
             f.age_group, f.location_type, f.session_type
        FROM facility_course_pricing f
        JOIN courses c ON c.id = f.course_id AND c.is_active
        JOIN facilities fa ON fa.id = f.facility_id AND fa.status = 'active'
       WHERE f.program_id = (SELECT id FROM p) AND f.is_active
         AND f.effective_date <= DATE '$enroll_date' AND (f.end_date IS NULL OR f.end_date > DATE '$enroll_date')
       ORDER BY f.course_id, f.facility_id, f.age_group, f.location_type, f.session_type)
    SELECT s.id || ',' || k.course_id || ',' || k.facility_id || ',' || k.age_group || ',' ||
           k.location_type || ',' || k.session_type
      FROM students s CROSS JOIN configs k
     WHERE s.program_id = (SELECT id FROM p) AND s.status = 'active'
       AND NOT EXISTS (SELECT 1 FROM course_enrollments e
                        WHERE e.student_id = s.id AND e.course_id = k.course_id
                          AND e.facility_id = k.facility_id AND e.status IN ('active', 'paused', 'waitlisted'))
     ORDER BY s.student_id, k.course_id, k.facility_id
     LIMIT 300000" >"$1"
}

# Deletes the enrollments a write run made (tagged by their note, $2); prints how many.
delete_written() {
  sql "WITH gone AS (DELETE FROM course_enrollments WHERE assignment_notes = '$2'
         AND created_at >= TIMESTAMPTZ '$1' RETURNING 1) SELECT count(*) FROM gone"
}

# $1: one line per enrollment into a class that the app should accept, as write_work_file's lines
# with the class last: each class of "Bench 001" (active, priced today) gets at most as many lines
# as it has free places, each line a student with no running or waitlisted enrollment in the
# class's course at its facility (no student twice for one course and facility). Lines go round
# the classes (the first free place of every class, then the second...), so that concurrent
# requests mostly lock different class rows, as enrollments spread over a term's classes would.
write_class_work_file() {
  sql "
    WITH p AS (SELECT id FROM programs WHERE name = 'Bench 001'),
    open AS (
      SELECT c.id, c.course_id, c.facility_id, c.age_group, c.location_type, c.session_type,
             c.capacity - (SELECT count(*) FROM course_enrollments e
                            WHERE e.class_id = c.id AND e.status IN ('active', 'paused')) AS free
        FROM classes c
        JOIN courses co ON co.id = c.course_id AND co.is_active
        JOIN facilities fa ON fa.id = c.facility_id AND fa.status = 'active'
       WHERE c.program_id = (SELECT id FROM p) AND c.status = 'active'
         AND EXISTS (SELECT 1 FROM facility_course_pricing f
                      WHERE f.facility_id = c.facility_id AND f.course_id = c.course_id
                        AND f.age_group = c.age_group AND f.location_type = c.location_type
                        AND f.session_type = c.session_type AND f.is_active
                        AND f.effective_date <= DATE '$enroll_date'
                        AND (f.end_date IS NULL OR f.end_date > DATE '$enroll_date'))),
    places AS (
      SELECT o.*, n, row_number() OVER (PARTITION BY o.course_id, o.facility_id ORDER BY n, o.id) AS k
        FROM open o CROSS JOIN LATERAL generate_series(1, o.free::int) n),
    needs AS (SELECT course_id, facility_id, count(*) AS need FROM places GROUP BY course_id, facility_id),
    candidates AS (
      SELECT d.course_id, d.facility_id, s.id AS student_id,
             row_number() OVER (PARTITION BY d.course_id, d.facility_id ORDER BY s.student_id) AS k
        FROM needs d CROSS JOIN LATERAL (
          SELECT s.id, s.student_id FROM students s
           WHERE s.program_id = (SELECT id FROM p) AND s.status = 'active'
             AND NOT EXISTS (SELECT 1 FROM course_enrollments e
                              WHERE e.student_id = s.id AND e.course_id = d.course_id
                                AND e.facility_id = d.facility_id
                                AND e.status IN ('active', 'paused', 'waitlisted'))
           ORDER BY s.student_id LIMIT d.need) s)
    SELECT c.student_id || ',' || l.course_id || ',' || l.facility_id || ',' || l.age_group || ',' ||
           l.location_type || ',' || l.session_type || ',' || l.id
      FROM places l JOIN candidates c ON c.course_id = l.course_id AND c.facility_id = l.facility_id AND c.k = l.k
     ORDER BY l.n, l.id" >"$1"
}

# Classes of any program with more running (active or paused) enrollments than places.
overfull_classes() {
  sql "SELECT count(*) FROM classes c
        WHERE c.capacity < (SELECT count(*) FROM course_enrollments e
                             WHERE e.class_id = c.id AND e.status IN ('active', 'paused'))"
}

# Prints "req/s p50 p99 errors" of wrk posting the enrollment form; errors are every answer that
# is not the handler's success (303 to the student), and a mismatch between successes and the rows
# the run created. $2: plain (no class), or class (each post names a class with a free place;
# then also an error: a created row not running in its class, and any class over its places
# afterwards, read from the database before the rows are deleted).
wrk_enroll() {
  local cookie=$1 mode=${2:-plain} form csrf program started out rps p50 p99 ok bad exhausted created
  local repeats_refused note work_file overfull misplaced
  form=$(curl -s -b "$cookie" "$base/enrollments/new")
  csrf=$(hidden_field csrf_token <<<"$form"); program=$(hidden_field program_context <<<"$form")
  work_file="$work/enroll-$mode.work"
  if [ "$mode" = class ]; then
    note=$class_write_note
    write_class_work_file "$work_file"
  else
    note=$write_note
    write_work_file "$work_file"
  fi
  if [ ! -s "$work_file" ]; then
    # Databases seeded before the generator fix have no active student in "Bench 001", and those
    # seeded before issue 18 no classes.
    echo "write path ($mode): nothing to enroll in Bench 001 ($(sql "SELECT count(*) FROM students s JOIN programs p ON p.id = s.program_id WHERE p.name = 'Bench 001' AND s.status = 'active'") active students, $(sql "SELECT count(*) FROM classes c JOIN programs p ON p.id = c.program_id WHERE p.name = 'Bench 001'") classes); reseed $database" >&2
    echo "- - - no-work"; return
  fi
  [ "$mode" = plain ] || echo "write path ($mode): $(wc -l <"$work_file") free places to fill in $(cut -d, -f7 "$work_file" | sort -u | wc -l) classes" >&2
  sql "DELETE FROM course_enrollments WHERE assignment_notes = '$note'" >/dev/null
  started=$(sql "SELECT now()")
  # One signed-in coordinator per connection, as a front desk of several people posts (one session
  # for all would make every request wait on that one session row).
  local sessions="$work/sessions" other i
  : >"$sessions"
  for ((i = 0; i < connections; i++)); do
    other=$(sign_in)
    echo "$other $(curl -s -b "$other" "$base/enrollments/new" | hidden_field csrf_token)" >>"$sessions"
  done
  out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -H "Cookie: $cookie" \
    -s scripts/bench-enroll.lua "$base/enrollments" -- \
    "$work_file" "$threads" "$csrf" "$program" "$enroll_date" "$note" "$sessions")
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  read -r ok bad exhausted < <(awk '/^bench-enroll/ { print $3, $5, $7 }' <<<"$out")
  # A small academy can run out of students to enroll within the run; the requests that repeat an
  # item get the app's refusal of a duplicate (422), which is right, not an error. Only failures
  # beyond those repeats count.
  repeats_refused=$(awk '/^bench-enroll/ { if (match($9, /(^|,)422x[0-9]+/)) {
      n = substr($9, RSTART, RLENGTH); sub(/.*x/, "", n); print n + 0; exit } } END { print 0 }' <<<"$out" | head -n1)
  [ "$repeats_refused" -le "${exhausted:-0}" ] || repeats_refused=${exhausted:-0}
  bad=$(( ${bad:-0} - repeats_refused ))
  bad=$(( ${bad:-0} + $(awk '/Socket errors/ { n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<<"$out") ))
  # wrk has stopped; a request still in flight may yet commit, so let it before reading.
  sleep 1
  if [ "$mode" = class ]; then
    overfull=$(overfull_classes)
    misplaced=$(sql "SELECT count(*) FROM course_enrollments WHERE assignment_notes = '$note'
                       AND created_at >= TIMESTAMPTZ '$started' AND (class_id IS NULL OR status <> 'active')")
    echo "write path ($mode): $overfull classes over their places afterwards, $misplaced created rows not running in a class" >&2
    [ "$overfull" = 0 ] || bad="${bad}(overfull-classes-$overfull)"
    [ "$misplaced" = 0 ] || bad="${bad}(not-in-class-$misplaced)"
  fi
  created=$(delete_written "$started" "$note")
  # wrk stops with up to one request per connection in flight: the server may finish and save
  # those after wrk stopped counting, so up to $connections more rows than successes are expected.
  echo "write path ($mode): $created rows created for ${ok:-0} successes" >&2
  if [ "${created:-0}" -lt "${ok:-0}" ] || [ "${created:-0}" -gt $(( ${ok:-0} + connections )) ]; then
    bad="${bad}(rows-$created/ok-${ok:-0})"
  fi
  [ "${exhausted:-0}" = 0 ] || echo "write path ($mode): work file ran out ($(wc -l <"$work_file") items; $exhausted requests repeated one; $repeats_refused refused as duplicates or a full class, not counted as errors)" >&2
  grep '^bench-enroll' <<<"$out" >&2 || true
  echo "${rps:--} ${p50:--} ${p99:--} $bad"
}

# --- one size ------------------------------------------------------------------------------------

declare -A names paths
keys=()
for key in list search deep student pricing price dashboard calendar balances statement; do
  [ -z "$only" ] || [[ " $only " == *" $key "* ]] && keys+=("$key")
done
# Whether the row KEY runs (--only).
wanted() { [ -z "$only" ] || [[ " $only " == *" $1 "* ]]; }

bench_size() {
  local students=$1 cookie student facility course key program debtor
  database="aa_bench_${students}"
  export DATABASE_URL="postgres://postgres:postgres@127.0.0.1:5432/${database}?sslmode=disable"
  ensure_database
  seed_if_missing "$students"
  program="(SELECT id FROM programs WHERE name = 'Bench 001')"
  student=$(sql "SELECT id FROM students WHERE program_id = $program ORDER BY student_id LIMIT 1 OFFSET 100")
  facility=$(sql "SELECT id FROM facilities WHERE program_id = $program ORDER BY name LIMIT 1")
  course=$(sql "SELECT id FROM courses WHERE program_id = $program ORDER BY name LIMIT 1")
  enroll_date=$(sql "SELECT (now() AT TIME ZONE 'Africa/Lagos')::date")
  # A family that was invoiced and paid part: their statement has both.
  debtor=$(sql "SELECT student_id FROM payments WHERE program_id = $program ORDER BY number LIMIT 1 OFFSET 1")
  write_note="bench write path"; class_write_note="bench class write path"
  # The week calendar shows the fifth week of the current term (bench-seed: the week the seed ran
  # in), whenever the database was seeded.
  calendar_week=$(sql "SELECT min(start_date) + 28 FROM classes WHERE program_id = $program")
  if [ -z "$calendar_week" ]; then
    echo "$database has no classes in Bench 001 (seeded before issue 18): drop it and run again to reseed" >&2
    calendar_week=$enroll_date
  fi

  start_server 18500
  cookie=$(sign_in)
  # Read pages, each with a short key (the capture markers and file names use it).
  names=([list]="student list page 1" [search]="student search" [deep]="student list deep page"
         [student]="student page" [pricing]="pricing matrix" [price]="live price fragment"
         [dashboard]="program dashboard" [calendar]="week calendar"
         [balances]="balances (outstanding, aged)" [statement]="student statement")
  paths=([list]="/students" [search]="/students?q=okafor" [deep]="$(deep_page_url)"
         [student]="/students/$student" [pricing]="/facilities/$facility/pricing"
         [price]="/enrollments/form?student_id=$student&course_id=$course&age_group=9-12&location_type=our-facility&session_type=group"
         [dashboard]="/dashboard" [calendar]="/calendar?week=$calendar_week"
         [balances]="/fees/balances" [statement]="/students/$debtor/statement")
  stop_server

  if [ ${#keys[@]} -gt 0 ]; then
    say "Capturing each page's SQL ($database)"
    capture_pages
  fi

  say "Measuring ($database, $connections connections, $duration per row)"
  start_server 18500
  sample_rss "$work/rss" & local sampler=$!
  cookie=$(sign_in)
  local rows=()
  for key in "${keys[@]}"; do
    curl -s -o /dev/null -b "$cookie" "$base${paths[$key]}"   # the same warm-up as the capture
    rows+=("${names[$key]}|$(wrk_page "$cookie" "${paths[$key]}")|$(pgbench_page "$key")|$(cat "$work/$key.count" 2>/dev/null || echo -)")
  done
  wanted enroll && rows+=("creating an enrollment (POST /enrollments)|$(wrk_enroll "$cookie" plain)|-|-")
  wanted enroll-class && rows+=("enrolling into a class (POST /enrollments)|$(wrk_enroll "$cookie" class)|-|-")
  stop_server
  wait "$sampler" 2>/dev/null || true
  print_table "$students" "${rows[@]}"
  for key in "${keys[@]}"; do printf '  %-24s %s\n' "${names[$key]}" "${paths[$key]}"; done
}

# Rows: "page|req/s p50 p99 errors|pgbench tps|statements".
print_table() {
  local students=$1; shift
  printf '\n%s students, %s connections, %s per row\n' "$students" "$connections" "$duration"
  printf '%-40s %9s %9s %9s %10s %11s %9s %6s\n' page "app req/s" p50 p99 errors "pgbench tps" "app/pgb" "stmts"
  local row name app tps count rps p50 p99 bad ratio
  for row in "$@"; do
    IFS='|' read -r name app tps count <<<"$row"
    read -r rps p50 p99 bad <<<"$app"
    ratio=$(awk -v a="$rps" -v b="$tps" 'BEGIN { if (b + 0 > 0 && a + 0 > 0) printf "%.2f", a / b; else print "-" }')
    printf '%-40s %9s %9s %9s %10s %11s %9s %6s\n' "$name" "$rps" "$p50" "$p99" "$bad" "$tps" "$ratio" "$count"
  done
  printf 'server memory (RSS, max of 1 s samples): %s MB\n' "$(( $(cat "$work/rss") / 1024 ))"
}

for students in $sizes; do bench_size "$students"; done
printf '\ncommand: %s\n' "$command_line"
