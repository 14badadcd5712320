#!/usr/bin/env bash
# Starts (or stops) a throwaway Citus cluster on loopback ports: a coordinator and two workers, each a
# PostgreSQL server of its own (scripts/postgres-throwaway.sh) with Citus preloaded.
#   scripts/citus-throwaway.sh start DIR [PORT]   prints the coordinator's connection URL on stdout;
#                                                 the workers listen on PORT+1 and PORT+2
#   scripts/citus-throwaway.sh stop DIR
# Citus must be installed into the machine's PostgreSQL first (../shared/citus/install.sh); without it the
# script exits 3 and says so. The database is `postgres` on every node, with the citus extension created and
# the workers added to the coordinator (idempotent: a second start of a running cluster changes nothing).
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?directory}
port=${3:-56432}
here=$(cd "$(dirname "$0")" && pwd)

pg_config=$(command -v pg_config || true)
[[ -n $pg_config ]] || for v in 17 16 15; do [[ -x /usr/lib/postgresql/$v/bin/pg_config ]] && pg_config=/usr/lib/postgresql/$v/bin/pg_config && break; done
psql_bin=$(command -v psql || echo "$(dirname "${pg_config:-/usr/bin/pg_config}")/psql")

case $cmd in
  start)
    if [[ -z $pg_config || ! -f $("$pg_config" --pkglibdir)/citus.so ]]; then
      echo "Citus is not installed into this machine's PostgreSQL: run ../shared/citus/install.sh (as root)" >&2
      exit 3
    fi
    nodes=(coordinator worker1 worker2)
    for i in 0 1 2; do
      node_dir="$dir/${nodes[$i]}"
      mkdir -p "$node_dir"
      # Citus is preloaded through the server's own configuration, written before its first start
      PGTHROWAWAY_OPTIONS="-c shared_preload_libraries=citus -c max_prepared_transactions=100" \
        "$here/postgres-throwaway.sh" start "$node_dir" $((port + i)) >/dev/null
    done
    node_url() { echo "postgres://postgres@127.0.0.1:$1/postgres"; }
    export PGOPTIONS="-c client_min_messages=warning"
    for i in 0 1 2; do "$psql_bin" -qAt "$(node_url $((port + i)))" -c "create extension if not exists citus" >/dev/null; done
    coordinator=$(node_url "$port")
    "$psql_bin" -qAt "$coordinator" -c "select citus_set_coordinator_host('127.0.0.1', $port)" >/dev/null
    for i in 1 2; do
      "$psql_bin" -qAt "$coordinator" -c "select citus_add_node('127.0.0.1', $((port + i))) where not exists (select 1 from pg_dist_node where nodeport = $((port + i)))" >/dev/null
    done
    echo "$coordinator"
    ;;
  stop)
    for node in coordinator worker1 worker2; do "$here/postgres-throwaway.sh" stop "$dir/$node"; done
    ;;
  *) echo "unknown command: $cmd" >&2; exit 2 ;;
esac
