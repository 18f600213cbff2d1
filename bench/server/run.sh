#!/bin/sh
# bench/server/run.sh: the server's speed, in one run (`make bench-server` builds Release in
# build-bench/ and runs this). A benchmark, not a test: it prints figures, and fails only when
# something is wrong (a request not answered 201, the server not starting).
#
#   (a) the disk's fsync rate in the database's folder (bench_fsync: 4 KiB append +
#       fdatasync): the ceiling of one commit per submission;
#   (b) the /healthz ceiling (wrk GET): the HTTP layer alone;
#   (c) durable submissions per second: wrk POSTs varied valid change-of-address submissions
#       (submissions.lua) to the JSON API as fast as it can; only 201s count, and any other
#       answer or socket error fails the run;
#   (d) p50 and p99 latency at a fixed moderate rate (RATE, 1000/s by default);
#   (e) group commit: the store's saves and commits during (c), from the server's /metrics
#       (askonce_store_saves_total, askonce_store_commits_total) read before and after, as
#       submissions per commit; beside it, the server's fdatasync/fsync calls during (c), counted
#       by perf's syscall tracepoints when perf can (commits plus the checkpoints'). When neither
#       can be read, a bound from (a).
#
# Settings (environment): BUILD (build-bench), DURATION seconds per wrk run (10),
# CONNECTIONS for (b) and (c) (64), WRK_THREADS (2), RATE for (d) (1000), RATE_CONNECTIONS (32),
# BENCH_DIR, the database's folder (BUILD/bench-server: on the project's disk, not /tmp,
# which may be memory); KEEP=1 keeps the database and the full server log there.
# Target (issue 5): at least 5,000 durable submissions per second with p99 under 50 ms.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$root/build-bench}
case $BUILD in /*) ;; *) BUILD=$root/$BUILD ;; esac
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-2}
RATE=${RATE:-1000}
RATE_CONNECTIONS=${RATE_CONNECTIONS:-32}
BENCH_DIR=${BENCH_DIR:-$BUILD/bench-server}
askonce=$BUILD/server/askonce
probe=$BUILD/bench/bench_fsync
lua=$root/bench/server/submissions.lua

fail() {
  echo "bench-server: $*" >&2
  exit 1
}
for f in "$askonce" "$probe"; do [ -x "$f" ] || fail "$f is missing: build the targets askonce and bench_fsync in $BUILD"; done
command -v wrk >/dev/null 2>&1 || fail "wrk is missing: sh scripts/deps.sh --bench installs it"

rm -rf "$BENCH_DIR"
mkdir -p "$BENCH_DIR"
db=$BENCH_DIR/bench.db
load() { uptime | sed 's/.*load average/load average/'; }
# Only the server counts in the load we report: 2 cores are shared with wrk itself.
echo "askonce server benchmark: $(nproc) cores, $(uname -r), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "  before: $(load)"

# (a) the disk
set -- $("$probe" "$BENCH_DIR" --seconds 2)
fsync_rate=$2
echo "(a) fsync rate in $BENCH_DIR: $fsync_rate per second (4 KiB append + fdatasync; p50 $4 ms, p99 $6 ms)"

# The server: the rate limit lifted (every request here comes from one address), the rest as
# shipped. Its JSON log goes to a file, as it would in service.
cat >"$BENCH_DIR/bench.json" <<EOF
{"rate_limit": {"per_minute": 1e9, "burst": 1e9}}
EOF
"$askonce" serve --port 0 --forms "$root/forms" --db "$db" --config "$BENCH_DIR/bench.json" \
  >"$BENCH_DIR/server.log" 2>"$BENCH_DIR/server.err" &
server=$!
# At the end: a graceful stop, then the database (hundreds of MB) and the per-request log
# lines go, unless KEEP=1; the server's other log lines stay, in server-events.log.
stop_server() {
  if kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" != 1 ]; then
    rm -f "$db" "$db-wal" "$db-shm"
    grep -v '"event":"request"' "$BENCH_DIR/server.log" >"$BENCH_DIR/server-events.log" 2>/dev/null || true
    rm -f "$BENCH_DIR/server.log"
  fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM
port=""
tries=0
while [ -z "$port" ]; do
  kill -0 "$server" 2>/dev/null || { cat "$BENCH_DIR/server.err" >&2; fail "the server did not start"; }
  [ $tries -lt 600 ] || fail "the server did not start within 60 s"
  port=$(sed -n 's/.*"event":"started".*"address":"127\.0\.0\.1:\([0-9]*\)".*/\1/p' "$BENCH_DIR/server.log" 2>/dev/null | head -1)
  tries=$((tries + 1))
  [ -n "$port" ] || sleep 0.1
done
base=http://127.0.0.1:$port
api=$base/api/v1/forms/change_of_address/submissions
echo "  server: pid $server on $base, database $db"

# The server's /metrics text (empty when it cannot be read), and one unlabelled value in it.
metrics() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS "$base/metrics" 2>/dev/null || true
  elif command -v wget >/dev/null 2>&1; then
    wget -qO- "$base/metrics" 2>/dev/null || true
  fi
}
metric() { printf '%s\n' "$1" | sed -n "s/^$2 \([0-9][0-9]*\)\$/\1/p" | head -1; }
# Arithmetic with decimals (awk: bc is not always installed): calc FORMAT EXPRESSION.
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
# The last value of a line "PREFIX key value key value ..." for `key`.
field() { sed -n "s/^$1.* $2 \([0-9.]*\).*/\1/p" "$3" | head -1; }
# wrk's "Requests/sec: N".
rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1"; }
# Fails the run unless every answer in wrk's output $1 was a 201 and no socket failed.
all_201() {
  statuses=$(sed -n 's/^askonce-statuses//p' "$1")
  other=$(echo "$statuses" | tr ' ' '\n' | grep -v '^201=' | grep -v '^$' || true)
  errors=$(sed -n 's/^askonce-errors //p' "$1")
  if [ -n "$other" ] || [ "$(echo "$errors" | tr -cd '1-9')" != "" ]; then
    cat "$1" >&2
    fail "$2: not every request was answered 201 (answers:$statuses; socket errors: $errors)"
  fi
  sed -n 's/^askonce-statuses 201=\([0-9]*\).*/\1/p' "$1"
}

# Warm-up: the first connections, page cache, SQLite's statement and page caches.
wrk -t1 -c8 -d2s -s "$lua" "$api" >"$BENCH_DIR/warmup.txt" 2>&1
all_201 "$BENCH_DIR/warmup.txt" "warm-up" >/dev/null

# (b) /healthz
echo "  load before (b): $(load)"
wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$base/healthz" >"$BENCH_DIR/healthz.txt" 2>&1
healthz=$(rps "$BENCH_DIR/healthz.txt")
healthz_p99=$(sed -n 's/^ *99% *//p' "$BENCH_DIR/healthz.txt")
echo "(b) /healthz ceiling: $healthz requests per second (wrk -t$WRK_THREADS -c$CONNECTIONS -d${DURATION}s; p99 $healthz_p99)"

# (c) durable submissions per second, and (e) the server's fsyncs meanwhile.
echo "  load before (c): $(load)"
perf_out=$BENCH_DIR/perf.txt
perf_pid=""
if command -v perf >/dev/null 2>&1 &&
  perf stat -e syscalls:sys_enter_fdatasync true >/dev/null 2>&1; then
  # For as long as wrk runs (a background job of sh ignores SIGINT, so it is not stopped by one).
  perf stat -x, -e syscalls:sys_enter_fdatasync,syscalls:sys_enter_fsync -p "$server" -o "$perf_out" \
    -- sleep "$DURATION" &
  perf_pid=$!
fi
stored_before=$(sqlite3 "$db" "SELECT count(*) FROM submissions" 2>/dev/null || echo "")
metrics_before=$(metrics)
wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$lua" "$api" >"$BENCH_DIR/submit.txt" 2>&1
metrics_after=$(metrics)
[ -z "$perf_pid" ] || wait "$perf_pid" || true
stored_after=$(sqlite3 "$db" "SELECT count(*) FROM submissions" 2>/dev/null || echo "")
created=$(all_201 "$BENCH_DIR/submit.txt" "(c)")
seconds=$(sed -n 's/.* requests in \([0-9.]*\)\(m\{0,1\}s\),.*/\1 \2/p' "$BENCH_DIR/submit.txt")
set -- $seconds
case $2 in ms) elapsed=$(calc %.3f "$1 / 1000") ;; *) elapsed=$1 ;; esac
durable=$(calc %d "$created / $elapsed")
c_p50=$(field askonce-latency p50_us "$BENCH_DIR/submit.txt")
c_p99=$(field askonce-latency p99_us "$BENCH_DIR/submit.txt")
echo "(c) durable submissions per second: $durable ($created answered 201 in $elapsed s, every answer 201; wrk -t$WRK_THREADS -c$CONNECTIONS; p50 $((c_p50 / 1000)) ms, p99 $((c_p99 / 1000)) ms at full load)"
if [ -n "$stored_before" ] && [ -n "$stored_after" ]; then
  echo "    rows stored meanwhile: $((stored_after - stored_before)) (sqlite3; at least the 201s: wrk does not count answers still in flight at the end)"
fi

# (e) group commit
saves_before=$(metric "$metrics_before" askonce_store_saves_total)
saves_after=$(metric "$metrics_after" askonce_store_saves_total)
commits_before=$(metric "$metrics_before" askonce_store_commits_total)
commits_after=$(metric "$metrics_after" askonce_store_commits_total)
largest=$(metric "$metrics_after" askonce_store_largest_group)
measured=""
if [ -n "$saves_before" ] && [ -n "$saves_after" ] && [ -n "$commits_before" ] && [ -n "$commits_after" ] &&
  [ "$commits_after" -gt "$commits_before" ]; then
  saves=$((saves_after - saves_before))
  commits=$((commits_after - commits_before))
  echo "(e) group commit: the store wrote $saves saves in $commits commits during (c) (/metrics):" \
    "$(calc %.1f "$saves / $commits") submissions per commit, $(calc %d "$commits / $elapsed") commits per second," \
    "largest group since the start $largest"
  measured=1
fi
if [ -n "$perf_pid" ] && [ -s "$perf_out" ]; then
  # Under the /metrics line, or (e) itself when /metrics could not be read.
  label="    fsyncs"
  [ -n "$measured" ] || label="(e) group commit"
  syncs=$(awk -F, '/sys_enter_f(data)?sync/ { n += $1 } END { print n + 0 }' "$perf_out")
  if [ "$syncs" -gt 0 ]; then
    echo "$label: the server called fdatasync/fsync $syncs times during (c) (perf syscall tracepoints):" \
      "$(calc %.1f "$created / $syncs") submissions per fsync, $(calc %d "$syncs / $elapsed") fsyncs per second" \
      "(one per commit, plus the checkpoints')"
    measured=1
  else
    echo "$label: perf saw no fsync by the server during (c)"
  fi
fi
if [ -z "$measured" ]; then
  echo "(e) group commit: neither /metrics nor perf's syscall tracepoints could be read;" \
    "estimate: at $fsync_rate fsyncs per second the disk allows at most that many commits, so $durable per second" \
    "means at least $(calc %.1f "$durable / $fsync_rate") submissions per commit"
fi

# (d) latency at a fixed moderate rate
echo "  load before (d): $(load)"
RATE=$RATE THREADS=$WRK_THREADS wrk -t"$WRK_THREADS" -c"$RATE_CONNECTIONS" -d"${DURATION}s" --latency -s "$lua" "$api" \
  >"$BENCH_DIR/paced.txt" 2>&1
paced=$(all_201 "$BENCH_DIR/paced.txt" "(d)")
d_rps=$(rps "$BENCH_DIR/paced.txt")
d_p50=$(field askonce-latency p50_us "$BENCH_DIR/paced.txt")
d_p99=$(field askonce-latency p99_us "$BENCH_DIR/paced.txt")
d_p999=$(field askonce-latency p999_us "$BENCH_DIR/paced.txt")
echo "(d) latency at $RATE submissions per second (achieved $d_rps/s, $paced answered 201; wrk -t$WRK_THREADS -c$RATE_CONNECTIONS):" \
  "p50 $(calc %.2f "$d_p50 / 1000") ms, p99 $(calc %.2f "$d_p99 / 1000") ms, p99.9 $(calc %.2f "$d_p999 / 1000") ms"
echo "  after: $(load)"

verdict="below"
if [ "$durable" -ge 5000 ] && [ "$d_p99" -lt 50000 ]; then verdict="meets"; fi
echo "target (issue 5): >= 5000 durable submissions/s with p99 < 50 ms: $verdict it ($durable/s; p99 $((d_p99 / 1000)) ms at $RATE/s, $((c_p99 / 1000)) ms at full load)"
echo "  wrk outputs and the server's log lines: $BENCH_DIR"
