# Shared by run.sh and test.sh: install what the project needs on a Debian machine, start PostgreSQL.
# Sourced, not run.

ADMIN_DATABASE_URL="${ADMIN_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/postgres}"

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

# PostgreSQL on 127.0.0.1:5432 reachable as postgres/postgres: started, or installed and started.
ensure_postgres() {
  if psql "$ADMIN_DATABASE_URL" -qtAc 'SELECT 1' >/dev/null 2>&1; then return 0; fi
  ensure_packages postgresql postgresql-client
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    say "Starting PostgreSQL"
    version=$(ls /etc/postgresql | sort -n | tail -n 1)
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  if ! psql "$ADMIN_DATABASE_URL" -qtAc 'SELECT 1' >/dev/null 2>&1; then
    # A fresh Debian cluster asks for a password over TCP: give the postgres role the one we use.
    say "Setting the password of the postgres database role"
    as_root su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  fi
  psql "$ADMIN_DATABASE_URL" -qtAc 'SELECT 1' >/dev/null || {
    echo "PostgreSQL is not reachable at $ADMIN_DATABASE_URL" >&2; exit 1; }
}

# Creates the database named in DATABASE_URL when it does not exist.
ensure_database() {
  name="${DATABASE_URL##*/}"; name="${name%%\?*}"
  exists=$(psql "$ADMIN_DATABASE_URL" -qtAc "SELECT 1 FROM pg_database WHERE datname = '$name'")
  [ "$exists" = 1 ] || { say "Creating database $name"; psql "$ADMIN_DATABASE_URL" -qc "CREATE DATABASE \"$name\""; }
}
