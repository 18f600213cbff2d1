# bench/server/lib.sh: what the server benchmarks (run.sh: `make bench-server`; fill.sh:
# `make bench-fill`) share: settings, starting and stopping askonce servers, the throwaway
# PostgreSQL cluster, and reading wrk's and /metrics' figures. Sourced by them (POSIX sh), after
# they set `root` (the project) and `bench` (their name, for messages).
#
# Settings (environment): BUILD (build-bench), BENCH_DIR, the folder of the databases (on the
# project's disk, not /tmp, which may be memory); KEEP=1 keeps the databases (the PostgreSQL
# cluster stopped, not removed) and the servers' full logs there.

BUILD=${BUILD:-$root/build-bench}
case $BUILD in /*) ;; *) BUILD=$root/$BUILD ;; esac
askonce=$BUILD/server/askonce
lua=$root/bench/server/submissions.lua

fail() {
  echo "$bench: $*" >&2
  exit 1
}
[ -x "$askonce" ] || fail "$askonce is missing: build the target askonce in $BUILD"
command -v wrk >/dev/null 2>&1 || fail "wrk is missing: sh scripts/deps.sh --bench installs it"
command -v curl >/dev/null 2>&1 || fail "curl is missing (it reads /metrics)"

# ---- figures --------------------------------------------------------------------------------

load() { uptime | sed 's/.*load average/load average/'; }
# Arithmetic with decimals (awk: bc is not always installed): calc FORMAT EXPRESSION.
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
# The last value of a line "PREFIX key value key value ..." for `key`.
field() { sed -n "s/^$1.* $2 \([0-9.]*\).*/\1/p" "$3" | head -1; }
# wrk's "Requests/sec: N".
rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1"; }
# wrk's run time in seconds ("N requests in 10.00s" or "in 950.12ms").
elapsed_of() {
  set -- $(sed -n 's/.* requests in \([0-9.]*\)\(m\{0,1\}s\),.*/\1 \2/p' "$1")
  [ $# -eq 2 ] || fail "no run time in wrk's output $1"
  case $2 in ms) calc %.3f "$1 / 1000" ;; *) echo "$1" ;; esac
}
# One unlabelled value in a /metrics text.
metric() { printf '%s\n' "$1" | sed -n "s/^$2 \([0-9][0-9]*\)\$/\1/p" | head -1; }
# The /metrics text of the server at base URL $1; fails the run when it cannot be read.
metrics() { curl -fsS "$1/metrics" || fail "cannot read $1/metrics"; }
# Prints the number of 201s in wrk's output $1 (submissions.lua's lines); fails the run unless
# every answer was a 201 and no socket failed ($2 names the run in the message).
all_201() {
  grep -q '^askonce-statuses' "$1" || { cat "$1" >&2; fail "$2: wrk printed no statuses (did it run?)"; }
  statuses=$(sed -n 's/^askonce-statuses//p' "$1")
  other=$(echo "$statuses" | tr ' ' '\n' | grep -v '^201=' | grep -v '^$' || true)
  errors=$(sed -n 's/^askonce-errors //p' "$1")
  if [ -n "$other" ] || [ "$(echo "$errors" | tr -cd '1-9')" != "" ]; then
    cat "$1" >&2
    fail "$2: not every request was answered 201 (answers:$statuses; socket errors: $errors)"
  fi
  created=$(sed -n 's/^askonce-statuses 201=\([0-9]*\).*/\1/p' "$1")
  [ -n "$created" ] || fail "$2: no request was answered 201"
  echo "$created"
}

# ---- servers --------------------------------------------------------------------------------

# The config of every server: the rate limit lifted (every request here comes from one
# address), the rest as shipped.
servers=""
server_config() {
  [ -f "$BENCH_DIR/bench.json" ] ||
    echo '{"rate_limit": {"per_minute": 1e9, "burst": 1e9}}' >"$BENCH_DIR/bench.json"
  # The keys that seal drafts, shared by every node (docs/operations.md, "Keys").
  [ -f "$BENCH_DIR/keys" ] || (umask 077 && echo "bench:$(openssl rand -base64 32)" >"$BENCH_DIR/keys")
}

# server_start DIR DB NODE: starts `askonce serve` on DB named NODE (server.node), logging to
# DIR/NODE.log (its JSON log, as in service) and DIR/NODE.err; sets server_pid and server_base
# (http://127.0.0.1:PORT) once it listens. Fails the run when it does not start.
server_start() {
  server_config
  ASKONCE_SERVER__NODE=$3 ASKONCE_KEYS__FILE="$BENCH_DIR/keys" "$askonce" serve --port 0 --forms "$root/forms" --db "$2" --config "$BENCH_DIR/bench.json" \
    >"$1/$3.log" 2>"$1/$3.err" &
  server_pid=$!
  servers="$servers $server_pid"
  server_port=""
  tries=0
  while [ -z "$server_port" ]; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$1/$3.err" >&2; fail "the server $3 did not start (on $(describe_db "$2"))"; }
    [ $tries -lt 600 ] || fail "the server $3 did not start within 60 s"
    server_port=$(sed -n 's/.*"event":"started".*"address":"127\.0\.0\.1:\([0-9]*\)".*/\1/p' "$1/$3.log" 2>/dev/null | head -1)
    tries=$((tries + 1))
    [ -n "$server_port" ] || sleep 0.1
  done
  server_base=http://127.0.0.1:$server_port
}

# servers_stop: a graceful stop of every server started; unless KEEP=1, their per-request log
# lines go (the other lines stay, in NODE-events.log).
servers_stop() {
  for pid in $servers; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  servers=""
  if [ "${KEEP:-0}" != 1 ]; then
    for log in $(find "$BENCH_DIR" -name '*.log' -path '*/node-*' 2>/dev/null); do
      case $log in *-events.log) continue ;; esac
      grep -v '"event":"request"' "$log" >"${log%.log}-events.log" 2>/dev/null || true
      rm -f "$log"
    done
  fi
}

# ---- the databases --------------------------------------------------------------------------

is_pg() { case $1 in host=*) return 0 ;; *) return 1 ;; esac; }
# A database for messages: the SQLite path, or PostgreSQL's socket folder and database (the
# cluster uses trust authentication on a socket only this user reaches: no password anywhere).
describe_db() {
  if is_pg "$1"; then
    echo "PostgreSQL $(echo "$1" | sed -n 's/.*dbname=\([^ ]*\).*/\1/p') on the socket in $pg_dir"
  else
    echo "SQLite $1"
  fi
}

# The throwaway cluster (scripts/test-postgres.sh: a unix socket in its folder, fsync and
# synchronous_commit on). pg_start DIR starts it and sets pg_dir and pg_admin (the conninfo of
# its `postgres` database).
pg_dir=""
pg_start() {
  command -v psql >/dev/null 2>&1 || fail "psql is missing: install postgresql-client"
  # With autovacuum, as a deployment runs (the tests' clusters run without it).
  AUTOVACUUM=on sh "$root/scripts/test-postgres.sh" start "$1" || fail "the PostgreSQL cluster did not start in $1"
  pg_dir=$(cd "$1" && pwd)
  pg_admin=$(cat "$pg_dir/conninfo")
  # The durability the figures assume, as the cluster reports it (not as the script meant it).
  [ "$(pg_sql "$pg_admin" 'SHOW fsync')" = on ] || fail "the cluster in $pg_dir runs with fsync off"
  [ "$(pg_sql "$pg_admin" 'SHOW synchronous_commit')" = on ] || fail "the cluster in $pg_dir runs with synchronous_commit off"
  [ "$(pg_sql "$pg_admin" 'SHOW autovacuum')" = on ] || fail "the cluster in $pg_dir runs without autovacuum"
}
# pg_sql CONNINFO SQL: one query, unaligned, fails the run on an error.
pg_sql() {
  PGOPTIONS='-c client_min_messages=warning' psql -X -v ON_ERROR_STOP=1 -Atq -d "$1" -c "$2" || fail "psql failed on: $2"
}
# pg_fresh_db NAME: an empty database NAME in the cluster, migrated by `askonce db migrate`;
# sets pg_db to its conninfo.
pg_fresh_db() {
  pg_sql "$pg_admin" "DROP DATABASE IF EXISTS $1" >/dev/null
  pg_sql "$pg_admin" "CREATE DATABASE $1" >/dev/null
  pg_db=$(echo "$pg_admin" | sed "s/dbname=[^ ]*/dbname=$1/")
  "$askonce" db migrate --db "$pg_db" >"$BENCH_DIR/migrate.txt" 2>&1 ||
    { cat "$BENCH_DIR/migrate.txt" >&2; fail "askonce db migrate failed on $(describe_db "$pg_db")"; }
}
# The processes of the cluster (the postmaster and its children: backends, WAL writer,
# checkpointer), comma-separated, for perf -p.
pg_pids() {
  pm=$(head -1 "$pg_dir/data/postmaster.pid")
  echo "$pm $(ps -o pid= --ppid "$pm")" | tr -s ' \n' ',' | sed 's/^,//; s/,$//'
}
pg_stop() {
  [ -n "$pg_dir" ] || return 0
  if [ "${KEEP:-0}" = 1 ]; then
    sh "$root/scripts/test-postgres.sh" stop-server "$pg_dir" || true
  else
    sh "$root/scripts/test-postgres.sh" stop "$pg_dir" || true
  fi
  pg_dir=""
}

# CPU time (seconds, user + system, all threads) the processes PIDS (comma-separated) have
# used so far; a process gone counts nothing.
cpu_seconds() {
  for pid in $(echo "$1" | tr ',' ' '); do
    # After the command's closing parenthesis, utime and stime are the 12th and 13th fields.
    sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null || true
  done | awk -v hz="$(getconf CLK_TCK)" '{ s += $12 + $13 } END { printf "%.2f", s / hz }'
}

# Submissions stored in DB, counted by the database itself.
stored_count() {
  if is_pg "$1"; then
    pg_sql "$1" "SELECT count(*) FROM submissions"
  else
    sqlite3 "$1" "SELECT count(*) FROM submissions" 2>/dev/null || fail "sqlite3 cannot count $1"
  fi
}
