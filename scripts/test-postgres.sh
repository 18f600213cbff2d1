#!/bin/sh
# scripts/test-postgres.sh: a throwaway PostgreSQL cluster for the tests.
#   scripts/test-postgres.sh start DIR   makes a cluster in DIR, starts it, writes DIR/conninfo
#   scripts/test-postgres.sh stop DIR    stops it and removes DIR
#   scripts/test-postgres.sh stop-server DIR / start-server DIR
#                                        stops the server (pg_ctl stop -m fast) and starts it
#                                        again on the same socket, keeping DIR (reconnect tests)
# The server listens only on a unix socket in DIR (no TCP port, so parallel runs and a system
# cluster never meet), with fsync and synchronous_commit on as in production: the crash tests
# mean nothing on a cluster that may lose commits. No autovacuum (unless AUTOVACUUM=on, as the
# benchmarks set): its ANALYZE takes a transaction id, which would hold agency lists back at
# moments no test chose. Trust
# authentication: only this user can reach the socket in DIR. As root, initdb and pg_ctl run as the `postgres` user (PostgreSQL
# refuses to run as root). Anything wrong is an error, never a skip.
set -eu

die() {
  echo "test-postgres.sh: $*" >&2
  exit 1
}

[ $# -eq 2 ] || die "usage: $0 start|stop|stop-server|start-server DIR"
action=$1
dir=$2

# The newest PostgreSQL installed (Debian keeps each major version under /usr/lib/postgresql).
bin=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
  [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && bin=$d
done
if [ -z "$bin" ] && command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
  bin=$(dirname "$(command -v pg_ctl)")
fi
[ -n "$bin" ] || die "no PostgreSQL server found (/usr/lib/postgresql/*/bin): install the 'postgresql' package (scripts/deps.sh)"

# as_owner CMD...: runs CMD as the cluster's owner (postgres when we are root, else us).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# start_server: pg_ctl start with the options `start` chose, waiting until it accepts connections.
start_server() {
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$(cat "$dir/options")" start >/dev/null 2>&1 ||
    { cat "$dir/server.log" >&2 2>/dev/null; die "pg_ctl start failed in $dir"; }
}

case "$action" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    # A cluster an interrupted run left here (ours: it has the marker) is stopped and replaced;
    # anything else in the way is not ours to remove.
    if [ -e "$dir/data" ]; then
      [ -f "$dir/askonce-test-cluster" ] || die "$dir/data exists and is not a test cluster of this script"
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
      [ -f "$dir/socketdir" ] && rm -rf "$(cat "$dir/socketdir")"
      rm -rf "$dir/data" "$dir/conninfo" "$dir/options" "$dir/socketdir"
    fi
    # A unix socket path may not exceed 107 bytes: in a checkout deep in the file system the
    # socket goes to a short folder of its own under /tmp instead (DIR/socketdir names it).
    sockdir=$dir
    if [ ${#dir} -gt 80 ]; then
      sockdir=$(mktemp -d /tmp/askonce-pg-XXXXXX)
      echo "$sockdir" >"$dir/socketdir"
    fi
    if [ "$(id -u)" -eq 0 ]; then
      id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' user (Debian's postgresql package makes it)"
      chown postgres "$dir" "$sockdir"
      chmod 700 "$dir" "$sockdir"
      runuser -u postgres -- test -w "$dir" ||
        die "the postgres user cannot reach $dir: a folder above it is closed to other users"
    fi
    as_owner "$bin/initdb" -D "$dir/data" --auth=trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; die "initdb failed in $dir"; }
    # A port number that nothing listens on here: it names the socket file (.s.PGSQL.PORT).
    port=$(( 20000 + $$ % 20000 ))
    while [ -e "$sockdir/.s.PGSQL.$port" ]; do port=$((port + 1)); done
    touch "$dir/askonce-test-cluster"
    # AUTOVACUUM=on (the benchmarks) keeps PostgreSQL's default: what a deployment runs with.
    echo "-c listen_addresses='' -c unix_socket_directories='$sockdir' -p $port -c fsync=on -c synchronous_commit=on -c max_connections=200 -c autovacuum=${AUTOVACUUM:-off}" >"$dir/options"
    start_server
    # -w waited until it accepts connections; check it once more with a query.
    as_owner "$bin/psql" -h "$sockdir" -p "$port" -U postgres -d postgres -Atqc "SELECT 1" >/dev/null 2>&1 ||
      [ ! -x "$bin/psql" ] || die "the cluster in $dir does not answer"
    echo "host=$sockdir port=$port user=postgres dbname=postgres" >"$dir/conninfo"
    ;;
  stop)
    # Nothing there is nothing to stop (ctest --repeat runs the cleanup more than once).
    [ -e "$dir" ] || exit 0
    [ -f "$dir/askonce-test-cluster" ] || die "$dir is not a test cluster of this script"
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    [ -f "$dir/socketdir" ] && rm -rf "$(cat "$dir/socketdir")"
    rm -rf "$dir"
    ;;
  stop-server)
    [ -d "$dir/data" ] || die "no cluster in $dir"
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || die "pg_ctl stop failed in $dir"
    ;;
  start-server)
    [ -f "$dir/options" ] || die "no cluster in $dir"
    dir=$(cd "$dir" && pwd)
    start_server
    ;;
  *)
    die "usage: $0 start|stop|stop-server|start-server DIR"
    ;;
esac
