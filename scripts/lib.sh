# Shared by run.sh, test.sh and the other scripts: install what the project needs on a Debian
# machine, start PostgreSQL, set up the app's database. Sourced, not run.

# The database superuser over TCP, for the tests and bench.sh (which use it themselves) and as the
# first way psql_admin tries. It must name a database (the path), which psql_admin replaces.
ADMIN_DATABASE_URL="${ADMIN_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/postgres}"
# The repository's root, where .session-key and .db-password are kept.
APP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

# Installs the Debian packages given that are not installed yet.
ensure_packages() {
  missing=""
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
  done
  [ -z "$missing" ] && return 0
  say "Installing Debian packages:$missing"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
}

ensure_rust() {
  if ! command -v cargo >/dev/null && [ -x "$HOME/.cargo/bin/cargo" ]; then
    PATH="$HOME/.cargo/bin:$PATH"; export PATH
  fi
  command -v cargo >/dev/null || {
    echo "cargo is missing: install Rust 1.80 or newer with rustup (https://rustup.rs) and try again." >&2
    exit 1
  }
}

# Build needs: a C toolchain, libpq for Diesel, OpenSSL headers for the browser-test client.
ensure_build_deps() {
  ensure_packages build-essential pkg-config libpq-dev libssl-dev
  ensure_rust
}

# The Nu HTML checker for tests/html.rs: Java (Debian's default-jre-headless when `java` is
# missing) and vnu.jar, fetched once from the npm registry at a pinned version into
# target/tools/vnu.jar (gitignored, kept between runs; a different pinned version fetches again).
# The tarball's SHA-256 is checked. Exports VNU_JAR for the test.
VNU_VERSION=26.9.27
VNU_SHA256=5970d3ffca91a627cf0965e5d91bb2e4242307c29292998de0b419d6a901b2b7
ensure_vnu() {
  command -v java >/dev/null || ensure_packages default-jre-headless
  local dir="$APP_ROOT/target/tools"
  export VNU_JAR="$dir/vnu.jar"
  if [ -f "$VNU_JAR" ] && [ "$(cat "$dir/vnu.version" 2>/dev/null)" = "$VNU_VERSION" ]; then return 0; fi
  say "Fetching the Nu HTML checker (vnu-jar $VNU_VERSION from the npm registry)"
  local tmp; tmp=$(mktemp -d)
  if command -v npm >/dev/null; then
    (cd "$tmp" && npm pack --silent "vnu-jar@$VNU_VERSION" >/dev/null)
  else
    curl -fsSL -o "$tmp/vnu-jar-$VNU_VERSION.tgz" "https://registry.npmjs.org/vnu-jar/-/vnu-jar-$VNU_VERSION.tgz"
  fi
  echo "$VNU_SHA256  $tmp/vnu-jar-$VNU_VERSION.tgz" | sha256sum -c --quiet - || {
    echo "vnu-jar-$VNU_VERSION.tgz does not have the expected SHA-256" >&2; rm -rf "$tmp"; exit 1; }
  tar -xzf "$tmp/vnu-jar-$VNU_VERSION.tgz" -C "$tmp" package/build/dist/vnu.jar
  mkdir -p "$dir"
  mv "$tmp/package/build/dist/vnu.jar" "$VNU_JAR"
  echo "$VNU_VERSION" >"$dir/vnu.version"
  rm -rf "$tmp"
}

# True when ADMIN_DATABASE_URL connects over TCP as a superuser (trust, or a known password).
admin_over_tcp() {
  [ "$(psql -X -w "$ADMIN_DATABASE_URL" -qtAc 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user' 2>/dev/null)" = t ]
}

# PostgreSQL running on 127.0.0.1:5432: left alone when it answers, else installed if missing and
# started. It changes no role and no password.
start_postgres() {
  if admin_over_tcp; then return 0; fi
  if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then return 0; fi
  ensure_packages postgresql postgresql-client
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    say "Starting PostgreSQL"
    version=$(ls /etc/postgresql | sort -n | tail -n 1)
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL does not answer on 127.0.0.1:5432" >&2; exit 1; }
}

# Sets ADMIN_VIA (tcp or socket), the way psql_admin reaches the superuser, once per script.
choose_admin_way() {
  [ -n "${ADMIN_VIA:-}" ] && return 0
  if admin_over_tcp; then ADMIN_VIA=tcp; else ADMIN_VIA=socket; fi
}

# psql_admin DATABASE [psql arguments...]: psql as the database superuser, connected to DATABASE,
# stopping at the first error. It changes nothing to get there: ADMIN_DATABASE_URL over TCP when
# that works (trust, or a known password), else the postgres system user over the Unix socket (peer
# authentication, which a fresh Debian cluster allows), as root or through sudo. SQL is best given
# on stdin, so that no secret shows in the process list.
psql_admin() {
  local database=$1; shift
  choose_admin_way
  if [ "$ADMIN_VIA" = tcp ]; then
    local url="${ADMIN_DATABASE_URL%%\?*}" query=""
    case "$ADMIN_DATABASE_URL" in *\?*) query="?${ADMIN_DATABASE_URL#*\?}" ;; esac
    psql -X -w -q -v ON_ERROR_STOP=1 "${url%/*}/$database$query" "$@"
  else
    # runuser by its path too: a root shell from plain `su` on Debian may lack /usr/sbin in PATH.
    as_root "$(command -v runuser || echo /usr/sbin/runuser)" -u postgres -- \
      psql -X -w -q -v ON_ERROR_STOP=1 -d "$database" "$@"
  fi
}

# For the tests and bench.sh only, which connect as the postgres superuser over TCP (TEST_DATABASE_URL
# and ADMIN_DATABASE_URL): the tests create one database per test, bench.sh its aa_bench_* databases
# and per-database log settings. A fresh Debian cluster asks for a password over TCP and the postgres
# role has none, so this gives it the password of ADMIN_DATABASE_URL's default, as test.sh always
# did. run.sh never calls this: the app has a role of its own (ensure_app_database).
ensure_superuser_over_tcp() {
  if admin_over_tcp; then return 0; fi
  say "Setting the password of the postgres database role (for the tests)"
  echo "ALTER USER postgres PASSWORD 'postgres'" | psql_admin postgres
  admin_over_tcp || { echo "PostgreSQL is not reachable as a superuser at $ADMIN_DATABASE_URL" >&2; exit 1; }
  ADMIN_VIA=tcp
}

# Creates the database named in DATABASE_URL when it does not exist (owned by the superuser).
ensure_database() {
  choose_admin_way
  name="${DATABASE_URL##*/}"; name="${name%%\?*}"
  exists=$(psql_admin postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")
  [ "$exists" = 1 ] || { say "Creating database $name"; psql_admin postgres -c "CREATE DATABASE \"$name\""; }
}

# ensure_app_database [DATABASE]: the app's own database, for run.sh and startup-time.sh; DATABASE
# defaults to academy_admin (another name is for trying this on a scratch database). Unless
# DATABASE_URL is set already (then only its database is created when missing, as before), it
# makes sure of, each step idempotent:
# - a login role academy_admin, neither superuser nor allowed to create roles or databases, whose
#   password is generated once (32 hex characters) and kept in .db-password (mode 600, gitignored)
#   beside .session-key; a missing file, or a password the server refuses, gets the role a new one;
# - the database, owned by that role. The migrations need nothing more: their extensions (pg_trgm,
#   btree_gin, uuid-ossp) are trusted since PostgreSQL 13, so the database owner creates them;
# - in a database made before the role (run.sh used to migrate it as postgres), the role owns the
#   database and the tables, sequences, views, types and functions in schema public, so that later
#   migrations can alter them. Not REASSIGN OWNED BY postgres: that would also take objects of the
#   superuser elsewhere in the cluster. Objects of extensions stay as they are.
# The postgres role is left as it was. Exports DATABASE_URL for the app.
ensure_app_database() {
  # APP_DB_ROLE and APP_DB_PASSWORD_FILE are for the test that runs this on a scratch role.
  local database="${1:-academy_admin}" role="${APP_DB_ROLE:-academy_admin}"
  local file="${APP_DB_PASSWORD_FILE:-$APP_ROOT/.db-password}"
  local password="" fresh="" owner
  if [ -n "${DATABASE_URL:-}" ]; then ensure_database; return; fi
  choose_admin_way

  [ -f "$file" ] && password=$(tr -d ' \n' <"$file")
  if ! [[ "$password" =~ ^[0-9a-f]{32,}$ ]]; then
    password=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n'); fresh=1
  fi
  if [ "$(psql_admin postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" != 1 ]; then
    say "Creating the database role $role"
    echo "CREATE ROLE $role LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$password'" | psql_admin postgres
  else
    echo "ALTER ROLE $role LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE" | psql_admin postgres
    if [ -n "$fresh" ]; then
      say "Setting a new password for the database role $role (no $file)"
      echo "ALTER ROLE $role PASSWORD '$password'" | psql_admin postgres
    fi
  fi
  if [ -n "$fresh" ]; then
    rm -f "$file"; (umask 077; printf '%s\n' "$password" >"$file")
  fi
  chmod 600 "$file"

  owner=$(psql_admin postgres -tAc "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$database'")
  if [ -z "$owner" ]; then
    say "Creating database $database"
    psql_admin postgres -c "CREATE DATABASE \"$database\" OWNER $role"
  elif [ "$owner" != "$role" ]; then
    say "Giving database $database (owned by $owner) to $role"
    psql_admin postgres -c "ALTER DATABASE \"$database\" OWNER TO $role"
  fi
  # Cheap when there is nothing to change; also catches objects made by a migration run as postgres.
  psql_admin "$database" <<SQL
DO \$\$
DECLARE
  me oid := '$role'::regrole;
  r record;
BEGIN
  FOR r IN
    SELECT format('ALTER %s %s OWNER TO $role',
             CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                            WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE'
                            ELSE 'TABLE' END, c.oid::regclass) AS stmt
      FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace AND c.relowner <> me
       AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
       -- not extension members; not sequences that belong to a column (they follow their table)
       AND NOT EXISTS (SELECT 1 FROM pg_depend d
                        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                          AND (d.deptype = 'e' OR (c.relkind = 'S' AND d.deptype IN ('a', 'i'))))
    UNION ALL
    SELECT format('ALTER TYPE %s OWNER TO $role', t.oid::regtype)
      FROM pg_type t
     WHERE t.typnamespace = 'public'::regnamespace AND t.typowner <> me
       -- enums, domains, ranges and multiranges (arrays follow their element type)
       AND t.typtype IN ('e', 'd', 'r', 'm')
       AND NOT EXISTS (SELECT 1 FROM pg_depend d
                        WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
    UNION ALL
    SELECT format('ALTER %s %s OWNER TO $role',
             CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, p.oid::regprocedure)
      FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace AND p.proowner <> me AND p.prokind IN ('f', 'p')
       AND NOT EXISTS (SELECT 1 FROM pg_depend d
                        WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE r.stmt;
  END LOOP;
END
\$\$;
SQL

  # The password must open the door over TCP (a role whose password someone changed gets the file's).
  if ! PGPASSWORD=$password psql -X -w -h 127.0.0.1 -p 5432 -U "$role" -d "$database" -qtAc 'SELECT 1' >/dev/null 2>&1; then
    say "Setting the password of the database role $role from $file"
    echo "ALTER ROLE $role PASSWORD '$password'" | psql_admin postgres
    PGPASSWORD=$password psql -X -w -h 127.0.0.1 -p 5432 -U "$role" -d "$database" -qtAc 'SELECT 1' >/dev/null || {
      echo "cannot connect to database $database as $role over 127.0.0.1:5432" >&2; exit 1; }
  fi
  export DATABASE_URL="postgres://$role:$password@127.0.0.1:5432/$database?sslmode=disable"
}
