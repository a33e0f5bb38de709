#!/usr/bin/env bash
# Runs a command with DATABASE_URL pointing at a PostgreSQL server that answers:
#   1. $DATABASE_URL when it is set;
#   2. else the local server on 127.0.0.1:5432 as `postgres`, when it answers;
#   3. else a throwaway cluster in a temporary folder on a free port, when initdb and pg_ctl are
#      installed (also looked for in /usr/lib/postgresql/*/bin), stopped and deleted on exit.
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."

local_server_answers() {
    if command -v psql >/dev/null; then
        psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atqc 'SELECT 1' >/dev/null 2>&1
    elif command -v pg_isready >/dev/null; then
        pg_isready -q -h 127.0.0.1 -p 5432
    else
        (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null
    fi
}

pg_bin_dir() {
    local dir
    for dir in "$(dirname "$(command -v initdb || echo /none/initdb)")" /usr/lib/postgresql/*/bin; do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then echo "$dir"; return 0; fi
    done
    return 1
}

free_port() {
    local port
    for port in $(seq 54330 54400); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
    done
    return 1
}

start_throwaway_cluster() {
    local bin=$1 port tmp as=()
    port=$(free_port)
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/mockingbird-pg.XXXXXX")
    # initdb refuses to run as root: run the cluster as the postgres (or nobody) user then.
    if [[ $(id -u) -eq 0 ]]; then
        local user=postgres
        id "$user" >/dev/null 2>&1 || user=nobody
        chown "$user" "$tmp"
        as=(runuser -u "$user" --)
    fi
    "${as[@]}" "$bin/initdb" -D "$tmp/data" -U postgres --auth=trust -E UTF8 >"$tmp/initdb.log"
    # shellcheck disable=SC2064 # expand now: these values are fixed for the run.
    trap "${as[*]} '$bin/pg_ctl' -D '$tmp/data' -m immediate stop >/dev/null 2>&1; rm -rf '$tmp'" EXIT
    "${as[@]}" "$bin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w start \
        -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" >/dev/null
    echo "using a throwaway PostgreSQL cluster on port $port" >&2
    export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

if [[ -z "${DATABASE_URL:-}" ]]; then
    if local_server_answers; then
        export DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres
    elif bin=$(pg_bin_dir); then
        start_throwaway_cluster "$bin"
    else
        echo "No PostgreSQL found: set DATABASE_URL, run one on 127.0.0.1:5432 (user postgres)," >&2
        echo "or install the server (initdb, pg_ctl) so a throwaway cluster can be started." >&2
        exit 1
    fi
fi

"$@"
