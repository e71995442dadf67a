#!/usr/bin/env bash
# A throwaway PostgreSQL server for the indexer's tests and benchmark, from Debian's packages (installed
# when missing). Data in $PG_DIR (default: /tmp/compute-market-pg), listening on 127.0.0.1:$PG_PORT
# (default 55432), trusting local connections: never use it for anything but tests.
#
#   postgres.sh start   install if needed, create the cluster if needed, start it; prints its URL
#   postgres.sh stop    stop it (the data stays)
#   postgres.sh url     print its URL
set -euo pipefail

PG_DIR="${PG_DIR:-/tmp/compute-market-pg}"
PG_PORT="${PG_PORT:-55432}"
URL="postgres://postgres@127.0.0.1:${PG_PORT}/postgres"

bin_dir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

install() {
    bin_dir >/dev/null && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "postgres.sh: PostgreSQL is missing; install it as root: apt-get install postgresql" >&2
        exit 1
    fi
    echo "postgres.sh: installing Debian's postgresql" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    # The package starts its own cluster on 5432; the tests use their own.
    service postgresql stop >/dev/null 2>&1 || true
}

# Runs a server command as the unprivileged postgres user (PostgreSQL refuses to run as root).
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    install
    local bin
    bin=$(bin_dir)
    if [ ! -f "$PG_DIR/PG_VERSION" ]; then
        mkdir -p "$PG_DIR"
        [ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DIR"
        as_owner "$bin/initdb" -D "$PG_DIR" -U postgres --auth=trust -E UTF8 >/dev/null
    fi
    if ! as_owner "$bin/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1; then
        as_owner "$bin/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -w -t 60 \
            -o "-h 127.0.0.1 -p $PG_PORT -k /tmp -c fsync=off -c max_connections=200" start >/dev/null
    fi
    echo "$URL"
}

stop() {
    local bin
    bin=$(bin_dir) || exit 0
    as_owner "$bin/pg_ctl" -D "$PG_DIR" -m fast -w stop >/dev/null 2>&1 || true
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) echo "$URL" ;;
    *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
