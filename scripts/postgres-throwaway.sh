#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL server on a loopback port for the test suite.
#   scripts/postgres-throwaway.sh start DIR [PORT]   prints the connection URL on stdout
#                                                    (PGTHROWAWAY_OPTIONS: more server options, `-c name=value`)
#   scripts/postgres-throwaway.sh stop DIR
#   scripts/postgres-throwaway.sh crash DIR          stops it as a crash would (immediate: no checkpoint,
#                                                    recovery at the next start empties unlogged tables)
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user.
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?directory}
port=${3:-55432}

bin=$(command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)" || true)
if [[ -z $bin ]]; then
  for v in 17 16 15; do [[ -x /usr/lib/postgresql/$v/bin/initdb ]] && bin=/usr/lib/postgresql/$v/bin && break; done
fi
[[ -n $bin ]] || { echo "PostgreSQL binaries (initdb) not found: install the 'postgresql' package or set TEST_DATABASE_URL" >&2; exit 3; }

as_pg() {
  if [[ $(id -u) -eq 0 ]]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

case $cmd in
  start)
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$dir"
    if [[ ! -f $dir/data/PG_VERSION ]]; then
      as_pg "'$bin/initdb' -D '$dir/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! as_pg "'$bin/pg_ctl' -D '$dir/data' status" >/dev/null 2>&1; then
      as_pg "'$bin/pg_ctl' -D '$dir/data' -l '$dir/log' -w -t 60 \
        -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${PGTHROWAWAY_OPTIONS:-}\" start" >/dev/null \
        || { cat "$dir/log" >&2; exit 1; }
    fi
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    [[ -f $dir/data/PG_VERSION ]] && as_pg "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop" >/dev/null 2>&1 || true
    ;;
  crash)
    as_pg "'$bin/pg_ctl' -D '$dir/data' -m immediate -w stop" >/dev/null
    ;;
  *) echo "unknown command: $cmd" >&2; exit 2 ;;
esac
