#!/usr/bin/env bash
# A throwaway PostgreSQL for the SqlSensor tests, on 127.0.0.1 only.
#
#   eval "$(scripts/test-postgres.sh start)"   # install if needed, init once, start; prints the exports below
#   scripts/test-postgres.sh env               # print the exports without starting anything
#   scripts/test-postgres.sh status            # exit 0 when the cluster is running
#   scripts/test-postgres.sh stop              # stop it (the data stays in target/pgdata until `mvn clean`)
#
# `start` is idempotent: it installs Debian's `postgresql` package only when no initdb/pg_ctl can be found (as
# root, through apt-get, without the package's own "main" cluster), initialises target/pgdata only when it does
# not hold a cluster yet, and starts the server only when it is not running. The server belongs to the
# `postgres` user when this runs as root (PostgreSQL refuses to run as root), listens on 127.0.0.1 only
# (no Unix socket) and asks every client for a password (SCRAM). It creates the database and the login role
# `sensor_test`, whose random password is kept beside the cluster and printed as SENSOR_ENGINE_TEST_PG_PASSWORD.
# Everything but the exports goes to stderr.
#
# Overrides: SENSOR_ENGINE_TEST_PG_PORT (default 55432), SENSOR_ENGINE_TEST_PG_DIR (default <project>/target, or,
# as root when the postgres user cannot enter the project (a private temporary directory, a home of mode 700),
# /var/tmp/sensor-engine-test-pg-<hash of the project path>).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${SENSOR_ENGINE_TEST_PG_PORT:-55432}
NAME=sensor_test

say() { echo "test-postgres: $*" >&2; }
die() { say "$*"; exit 1; }

# Runs a PostgreSQL server program as the cluster's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
    if [ "$(id -u)" -ne 0 ]; then
        "$@"
    elif command -v runuser >/dev/null; then
        (cd / && runuser -u postgres -- "$@") # from /: the working directory may be closed to postgres
    else
        (cd / && su postgres -s /bin/sh -c "$(printf '%q ' "$@")")
    fi
}

# Where the cluster lives: somewhere its owner can reach. As root the owner is the postgres user, which cannot
# enter a checkout under a private directory; the cluster then lives under /var/tmp, one per checkout.
choose_base() {
    if [ -n "${SENSOR_ENGINE_TEST_PG_DIR:-}" ]; then
        BASE=$SENSOR_ENGINE_TEST_PG_DIR
    elif [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1 && ! as_owner test -x "$ROOT"; then
        BASE=/var/tmp/sensor-engine-test-pg-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)
        mkdir -p "$BASE"
    else
        BASE=$ROOT/target
    fi
    DATA=$BASE/pgdata
    LOG=$BASE/pgdata.log
    SUPERUSER_PASSWORD_FILE=$BASE/pgdata.superuser-password
    PASSWORD_FILE=$BASE/pgdata.password
}
choose_base

# The directory of initdb and pg_ctl: the version that made an existing cluster, else PATH, else Debian's layout.
bindir() {
    local dir
    if [ -f "$DATA/PG_VERSION" ] && [ -x "/usr/lib/postgresql/$(cat "$DATA/PG_VERSION")/bin/pg_ctl" ]; then
        echo "/usr/lib/postgresql/$(cat "$DATA/PG_VERSION")/bin"
        return
    fi
    if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
        dirname "$(readlink -f "$(command -v pg_ctl)")"
        return
    fi
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
        echo "$dir"
    fi
}

install_postgres() {
    [ "$(id -u)" -eq 0 ] || die "PostgreSQL (initdb, pg_ctl) is not installed; run this as root to apt-get it, or install the postgresql package"
    command -v apt-get >/dev/null || die "PostgreSQL is not installed and there is no apt-get here; install PostgreSQL 13 or later"
    say "installing Debian's postgresql package (without a default cluster)"
    # Debian's package would otherwise create and start a "main" cluster on port 5432, which the tests do not use.
    mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/sensor-engine-tests.conf
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
}

random_password() {
    head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n'
}

running() {
    [ -f "$DATA/PG_VERSION" ] && [ -n "$BIN" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

exports() {
    [ -f "$PASSWORD_FILE" ] || die "no cluster in $DATA yet; run '$0 start'"
    echo "export SENSOR_ENGINE_TEST_PG_URL=jdbc:postgresql://127.0.0.1:$PORT/$NAME"
    echo "export SENSOR_ENGINE_TEST_PG_USER=$NAME"
    echo "export SENSOR_ENGINE_TEST_PG_PASSWORD=$(cat "$PASSWORD_FILE")"
}

init_cluster() {
    say "initialising a cluster in $DATA"
    rm -rf "$DATA"
    mkdir -p "$DATA"
    random_password > "$SUPERUSER_PASSWORD_FILE"
    random_password > "$PASSWORD_FILE"
    : >"$LOG"
    chmod 600 "$SUPERUSER_PASSWORD_FILE" "$PASSWORD_FILE"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$DATA" "$SUPERUSER_PASSWORD_FILE" "$LOG"
        as_owner test -w "$DATA" || die "user postgres cannot write $DATA (is a parent directory closed to it?); set SENSOR_ENGINE_TEST_PG_DIR"
    fi
    chmod 700 "$DATA"
    as_owner "$BIN/initdb" -D "$DATA" -U postgres --pwfile="$SUPERUSER_PASSWORD_FILE" --auth=scram-sha-256 \
        -E UTF8 --no-locale >>"$LOG" 2>&1 || { cat "$LOG" >&2; die "initdb failed"; }
    # A test cluster: loopback TCP only, no Unix socket, durability traded for speed.
    cat >>"$DATA/postgresql.conf" <<'EOF'

# test-postgres.sh
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
EOF
}

psql_super() {
    PGPASSWORD=$(cat "$SUPERUSER_PASSWORD_FILE") "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" \
        -U postgres -d postgres "$@"
}

create_role_and_database() {
    local password
    password=$(cat "$PASSWORD_FILE")
    if [ "$(psql_super -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$NAME'")" != 1 ]; then
        psql_super -c "CREATE ROLE $NAME LOGIN PASSWORD '$password'"
    fi
    if [ "$(psql_super -tAc "SELECT 1 FROM pg_database WHERE datname = '$NAME'")" != 1 ]; then
        psql_super -c "CREATE DATABASE $NAME OWNER $NAME"
    fi
}

start() {
    BIN=$(bindir)
    if [ -z "$BIN" ]; then
        install_postgres
        BIN=$(bindir)
        [ -n "$BIN" ] || die "installed postgresql, but found no initdb and pg_ctl"
        choose_base # the postgres user exists now
    fi
    mkdir -p "$BASE"
    exec 9>"$BASE/pgdata.lock"
    flock 9
    [ -x "$BIN/psql" ] || die "no psql beside $BIN/pg_ctl"
    if [ ! -f "$DATA/PG_VERSION" ] || [ ! -f "$PASSWORD_FILE" ] || [ ! -f "$SUPERUSER_PASSWORD_FILE" ]; then
        init_cluster
    fi
    if running; then
        say "already running ($DATA)"
    else
        say "starting PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT ($DATA)"
        as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -o "-p $PORT" -w -t 60 start >/dev/null 9>&- \
            || { tail -n 20 "$LOG" >&2; die "PostgreSQL did not start; is port $PORT taken? (set SENSOR_ENGINE_TEST_PG_PORT)"; }
    fi
    create_role_and_database
    exports
}

stop() {
    BIN=$(bindir)
    if running; then
        say "stopping PostgreSQL ($DATA)"
        as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
    else
        say "not running"
    fi
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    status) BIN=$(bindir); running ;;
    env) exports ;;
    *) die "usage: $0 start|stop|status|env" ;;
esac
