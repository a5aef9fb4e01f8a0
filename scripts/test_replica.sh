#!/usr/bin/env bash
# The database router's tests against a real PostgreSQL streaming replica (`make test-replica`; CI runs it).
#
# Starts a throwaway primary (initdb) and a streaming replica of it (pg_basebackup -R) on two free ports in a
# temporary folder, runs gaizao/core/tests/test_db_router.py with DATABASE_URL on the primary and
# GAIZAO_REPLICA_URL on the replica, then stops both and removes the folder, whatever happened. The machine's own
# PostgreSQL is not touched (it need not allow replication connections).
# Prints one line and exits 0 when the PostgreSQL server programs are not installed (PG_BINDIR names them).
set -euo pipefail
cd "$(dirname "$0")/.."

bindir=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)}
for program in initdb pg_ctl pg_basebackup psql; do
  if [ -z "$bindir" ] || [ ! -x "$bindir/$program" ]; then
    echo "== replica tests SKIPPED: no PostgreSQL server programs ($program) in '${bindir:-/usr/lib/postgresql/*/bin}'; set PG_BINDIR"
    exit 0
  fi
done

# PostgreSQL refuses to run as root: the clusters belong to the postgres user then. Its programs run from the
# temporary folder, which that user can enter whatever the checkout's permissions.
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  as_owner=(runuser -u postgres --)
fi
free_port() {
  .venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

dir=$(mktemp -d /tmp/gaizao-replica.XXXXXX)
primary_port=$(free_port)
replica_port=$(free_port)
while [ "$replica_port" = "$primary_port" ]; do replica_port=$(free_port); done
[ "$(id -u)" -eq 0 ] && chown postgres: "$dir"

cleanup() {
  status=$?
  for cluster in replica primary; do
    if [ -f "$dir/$cluster/postmaster.pid" ]; then
      env -C "$dir" "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/$cluster" -m immediate -w stop >/dev/null 2>&1 || true
    fi
  done
  if [ $status -ne 0 ]; then
    for log in "$dir"/*.log; do [ -f "$log" ] && { echo "--- $log"; tail -n 30 "$log"; }; done
  fi
  rm -rf "$dir"
  exit $status
}
trap cleanup EXIT INT TERM

started=$(date +%s)
echo "== throwaway primary on 127.0.0.1:$primary_port and its streaming replica on 127.0.0.1:$replica_port ($dir)"
env -C "$dir" "${as_owner[@]}" "$bindir/initdb" -D "$dir/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync \
  >"$dir/initdb.log"
# initdb's pg_hba.conf with --auth=trust already lets 127.0.0.1 make replication connections.
cat >>"$dir/primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $primary_port
unix_socket_directories = '$dir'
wal_level = replica
max_wal_senders = 4
fsync = off                 # a throwaway cluster: speed over durability
full_page_writes = off
EOF
env -C "$dir" "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w start >/dev/null

env -C "$dir" "${as_owner[@]}" "$bindir/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$dir/replica" \
  -R -X stream -C -S gaizao_test_replica --checkpoint=fast --no-sync
cat >>"$dir/replica/postgresql.conf" <<EOF
port = $replica_port
hot_standby = on
hot_standby_feedback = on   # the primary keeps rows a report on the replica is still reading
EOF
env -C "$dir" "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/replica" -l "$dir/replica.log" -w start >/dev/null

for _ in $(seq 1 50); do
  state=$("$bindir/psql" -h 127.0.0.1 -p "$primary_port" -U postgres -d postgres -Atc \
    "SELECT state FROM pg_stat_replication WHERE application_name <> ''" 2>/dev/null || true)
  [ "$state" = "streaming" ] && break
  sleep 0.2
done
if [ "${state:-}" != "streaming" ]; then
  echo "the replica did not start streaming from the primary"
  exit 1
fi
echo "== replica streaming after $(( $(date +%s) - started )) s: $("$bindir/psql" -h 127.0.0.1 -p "$replica_port" \
  -U postgres -d postgres -Atc 'SELECT CASE WHEN pg_is_in_recovery() THEN '"'"'in recovery (a standby)'"'"' END')"

# The tests stop and start the replica themselves to see the reports fall back to the primary and come back.
export GAIZAO_TEST_REPLICA_STOP="env -C $dir ${as_owner[*]} $bindir/pg_ctl -D $dir/replica -m fast -w stop"
export GAIZAO_TEST_REPLICA_START="env -C $dir ${as_owner[*]} $bindir/pg_ctl -D $dir/replica -l $dir/replica.log -w start"
DATABASE_URL="postgres://postgres@127.0.0.1:$primary_port/gaizao" \
GAIZAO_REPLICA_URL="postgres://postgres@127.0.0.1:$replica_port/gaizao" \
  .venv/bin/pytest gaizao/core/tests/test_db_router.py -q -p no:randomly "$@"
echo "== replica tests done in $(( $(date +%s) - started )) s"
