#!/bin/sh
# bench/server/run.sh: the server's speed on each backend, in one run (`make bench-server`
# builds Release in build-bench/ and runs this). A benchmark, not a test: it prints figures, and
# fails only when something is wrong (a request not answered 201, a server not starting).
#
#   (a) the disk's fsync rate in the databases' folder (bench_fsync: 4 KiB append +
#       fdatasync): the ceiling of one commit per submission; measured once, for both backends.
# Then, for SQLite, for PostgreSQL with one askonce process, and for PostgreSQL with two (two
# `askonce serve` with different server.node on one database, each driven by its own wrk with
# half the connections and half the rate; their figures added), each on an empty database:
#   (b) the /healthz ceiling (wrk GET): the HTTP layer alone;
#   (c) durable submissions per second: wrk POSTs varied valid change-of-address submissions
#       (submissions.lua) to the JSON API as fast as it can; only 201s count, and any other
#       answer or socket error fails the run;
#   (d) p50 and p99 latency at a fixed moderate rate (RATE, 1000/s by default; with two nodes,
#       the higher of the two wrks' figures);
#   (e) group commit: the store's saves and commits during (c), from each server's /metrics
#       (askonce_store_saves_total, askonce_store_commits_total) read before and after, as
#       submissions per commit; beside it, the fdatasync/fsync calls during (c) of whatever
#       makes the commits durable (the askonce process on SQLite; PostgreSQL's processes, its
#       backends and WAL writer, on PostgreSQL), counted by perf's syscall tracepoints when perf
#       can; and the CPU the askonce process(es) and PostgreSQL's processes used during (c),
#       per submission (/proc/PID/stat).
# SQLite and PostgreSQL with one node run twice: with the published figures kept (the default)
# and without (performance.publish false, as a deployment that does not publish sets), one
# after the other, each on an empty database: what keeping the figures costs the submission
# rate, beside the /healthz ceiling of each run.
# At the end, a summary table, PostgreSQL's durable rate over SQLite's, and each backend's rate
# without the figures over its rate with them, from this same run (the machine may be shared:
# compare figures of one run, not across runs).
#
# The PostgreSQL cluster is a throwaway one (scripts/test-postgres.sh) in BENCH_DIR/pg, with
# fsync and synchronous_commit on (checked), stopped and removed at the end.
#
# Settings (environment): BUILD (build-bench), DURATION seconds per wrk run (10),
# CONNECTIONS for (b) and (c) (64), WRK_THREADS (2), RATE for (d) (1000), RATE_CONNECTIONS (32),
# BENCH_DIR (BUILD/bench-server), KEEP=1 (bench/server/lib.sh).
# Targets: (issue 5) at least 5,000 durable submissions per second with p99 under 50 ms;
# (issue 10) PostgreSQL's durable rate at least SQLite's.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
bench="bench-server"
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-2}
RATE=${RATE:-1000}
RATE_CONNECTIONS=${RATE_CONNECTIONS:-32}
BENCH_DIR=${BENCH_DIR:-${BUILD:-$root/build-bench}/bench-server}
case $BENCH_DIR in /*) ;; *) BENCH_DIR=$root/$BENCH_DIR ;; esac
. "$root/bench/server/lib.sh"
probe=$BUILD/bench/bench_fsync
[ -x "$probe" ] || fail "$probe is missing: build the target bench_fsync in $BUILD"

rm -rf "$BENCH_DIR"
mkdir -p "$BENCH_DIR"
cleanup() {
  servers_stop
  pg_stop
  [ "${KEEP:-0}" = 1 ] || rm -f "$BENCH_DIR"/sqlite/bench.db*
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "askonce server benchmark: $(nproc) cores, $(uname -r), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "  before: $(load)"

# (a) the disk
set -- $("$probe" "$BENCH_DIR" --seconds 2)
fsync_rate=$2
echo "(a) fsync rate in $BENCH_DIR: $fsync_rate per second (4 KiB append + fdatasync; p50 $4 ms, p99 $6 ms)"

pg_start "$BENCH_DIR/pg"
echo "  PostgreSQL $(pg_sql "$pg_admin" 'SHOW server_version'), a throwaway cluster in $pg_dir:" \
  "fsync $(pg_sql "$pg_admin" 'SHOW fsync'), synchronous_commit $(pg_sql "$pg_admin" 'SHOW synchronous_commit')," \
  "wal_sync_method $(pg_sql "$pg_admin" 'SHOW wal_sync_method'), full_page_writes $(pg_sql "$pg_admin" 'SHOW full_page_writes')," \
  "shared_buffers $(pg_sql "$pg_admin" 'SHOW shared_buffers')"

# wrk_nodes NAME PATH CONNECTIONS [RATE] [-s SCRIPT]: one wrk per node of this backend at once
# (the node's share of the connections, threads and rate), into OUT/NAME.K.txt; waits for all.
# Sets wrk_files to their outputs.
wrk_nodes() {
  name=$1 path=$2 conns=$3 rate=$4
  shift 4
  per_conns=$((conns / nodes))
  per_threads=$((WRK_THREADS / nodes))
  [ "$per_threads" -ge 1 ] || per_threads=1
  [ "$per_conns" -ge "$per_threads" ] || fail "$conns connections cannot be shared by $nodes nodes"
  wrk_files=""
  wrk_pids=""
  k=0
  for base in $bases; do
    k=$((k + 1))
    if [ -n "$rate" ]; then
      RATE=$((rate / nodes)) THREADS=$per_threads wrk -t"$per_threads" -c"$per_conns" -d"${DURATION}s" --latency "$@" \
        "$base$path" >"$out/$name.$k.txt" 2>&1 &
    else
      wrk -t"$per_threads" -c"$per_conns" -d"${DURATION}s" --latency "$@" "$base$path" >"$out/$name.$k.txt" 2>&1 &
    fi
    wrk_pids="$wrk_pids $!"
    wrk_files="$wrk_files $out/$name.$k.txt"
  done
  for pid in $wrk_pids; do
    wait "$pid" || { cat $wrk_files >&2; fail "$label: wrk failed ($name)"; }
  done
}
# Over wrk_files: the sum of 201s (failing unless all were 201), the sum of requests per
# second, the longest run time, and the highest value of an askonce-latency key.
created_all() {
  n=0
  for f in $wrk_files; do
    c=$(all_201 "$f" "$label, $1") || exit 1
    n=$((n + c))
  done
  echo "$n"
}
rps_all() { for f in $wrk_files; do rps "$f"; done | awk '{ s += $1 } END { printf "%d", s }'; }
elapsed_all() { for f in $wrk_files; do elapsed_of "$f"; done | sort -g | tail -1; }
latency_max() { for f in $wrk_files; do field askonce-latency "$1" "$f"; done | sort -g | tail -1; }
# A /metrics counter summed over this backend's nodes.
metric_all() {
  n=0
  for base in $bases; do
    v=$(metric "$(metrics "$base")" "$1")
    [ -n "$v" ] || fail "$base/metrics has no $1"
    n=$((n + v))
  done
  echo "$n"
}

rm -f "$BENCH_DIR/summary.txt"
# bench_backend SLUG LABEL DB NODES: (b) to (e) on DB with NODES askonce processes; adds a line
# to the summary; leaves the durable rate in `durable`.
bench_backend() {
  slug=$1 label=$2 db=$3 nodes=$4
  out=$BENCH_DIR/$slug
  mkdir -p "$out"
  echo
  echo "== $label: $(describe_db "$db") =="
  bases=""
  pids=""
  k=0
  while [ $k -lt "$nodes" ]; do
    k=$((k + 1))
    server_start "$out" "$db" "node-$k"
    bases="$bases $server_base"
    pids="$pids,$server_pid"
    echo "  server node-$k: pid $server_pid on $server_base"
  done
  api=/api/v1/forms/change_of_address/submissions
  # Which run this is, as the server says it: /performance is served only with the figures kept.
  for base in $bases; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$base/performance")
    want=200
    [ "${ASKONCE_PERFORMANCE__PUBLISH:-true}" != false ] || want=404
    [ "$code" = "$want" ] || fail "$label: $base/performance answered $code, expected $want"
  done

  # Warm-up: the first connections, page cache, the database's statement and page caches.
  save_duration=$DURATION
  DURATION=2
  wrk_nodes warmup "$api" 8 "" -s "$lua"
  DURATION=$save_duration
  created_all warm-up >/dev/null

  # (b) /healthz
  echo "  load before (b): $(load)"
  wrk_nodes healthz /healthz "$CONNECTIONS" ""
  healthz=$(rps_all)
  healthz_p99=$(for f in $wrk_files; do sed -n 's/^ *99% *//p' "$f"; done | tr '\n' ' ' | sed 's/ $//')
  echo "(b) /healthz ceiling: $healthz requests per second (wrk -t$WRK_THREADS -c$CONNECTIONS -d${DURATION}s over $nodes node(s); p99 $healthz_p99)"

  # (c) durable submissions per second, and (e) the fsyncs meanwhile.
  echo "  load before (c): $(load)"
  fsync_pids=${pids#,}
  if is_pg "$db"; then fsync_pids=$fsync_pids,$(pg_pids); fi
  perf_out=$out/perf.txt
  perf_pid=""
  if command -v perf >/dev/null 2>&1 &&
    perf stat -e syscalls:sys_enter_fdatasync true >/dev/null 2>&1; then
    # For as long as wrk runs (a background job of sh ignores SIGINT, so it is not stopped by one).
    perf stat -x, -e syscalls:sys_enter_fdatasync,syscalls:sys_enter_fsync -p "$fsync_pids" -o "$perf_out" \
      -- sleep "$DURATION" &
    perf_pid=$!
  fi
  askonce_cpu_before=$(cpu_seconds "${pids#,}")
  pg_cpu_before=""
  if is_pg "$db"; then pg_cpu_before=$(cpu_seconds "$(pg_pids)"); fi
  stored_before=$(stored_count "$db")
  saves_before=$(metric_all askonce_store_saves_total)
  commits_before=$(metric_all askonce_store_commits_total)
  wrk_nodes submit "$api" "$CONNECTIONS" "" -s "$lua"
  saves_after=$(metric_all askonce_store_saves_total)
  commits_after=$(metric_all askonce_store_commits_total)
  askonce_cpu=$(calc %.2f "$(cpu_seconds "${pids#,}") - $askonce_cpu_before")
  if is_pg "$db"; then pg_cpu=$(calc %.2f "$(cpu_seconds "$(pg_pids)") - $pg_cpu_before"); fi
  [ -z "$perf_pid" ] || wait "$perf_pid" || true
  stored_after=$(stored_count "$db")
  created=$(created_all "(c)")
  elapsed=$(elapsed_all)
  [ -n "$elapsed" ] || fail "$label: no run time in wrk's outputs"
  durable=$(calc %d "$created / $elapsed")
  c_p50=$(latency_max p50_us)
  c_p99=$(latency_max p99_us)
  echo "(c) durable submissions per second: $durable ($created answered 201 in $elapsed s, every answer 201;" \
    "wrk -t$WRK_THREADS -c$CONNECTIONS over $nodes node(s); p50 $((c_p50 / 1000)) ms, p99 $((c_p99 / 1000)) ms at full load)"
  echo "    rows stored meanwhile: $((stored_after - stored_before)) (counted by the database; at least the 201s:" \
    "wrk does not count answers still in flight at the end)"
  # Where the CPU went: on a machine without a spare core, the CPU per submission (not the
  # disk) decides the durable rate.
  cpu_line="askonce $askonce_cpu s ($(calc %d "$askonce_cpu * 1000000 / $created") us per submission)"
  if is_pg "$db"; then
    cpu_line="$cpu_line + PostgreSQL $pg_cpu s ($(calc %d "$pg_cpu * 1000000 / $created") us per submission)"
  fi
  echo "    CPU during (c): $cpu_line, of $(nproc) cores x $elapsed s (/proc/PID/stat, user + system)"
  [ $((stored_after - stored_before)) -ge "$created" ] ||
    fail "$label: the database holds fewer new rows ($((stored_after - stored_before))) than the 201s ($created)"

  # (e) group commit
  saves=$((saves_after - saves_before))
  commits=$((commits_after - commits_before))
  [ "$commits" -gt 0 ] || fail "$label: /metrics counted no commit during (c)"
  per_commit=$(calc %.1f "$saves / $commits")
  largest=$(metric_all askonce_store_largest_group)
  echo "(e) group commit: the store wrote $saves saves in $commits commits during (c) (/metrics):" \
    "$per_commit submissions per commit, $(calc %d "$commits / $elapsed") commits per second," \
    "largest group since the start $largest (summed over the nodes)"
  if [ -n "$perf_pid" ] && [ -s "$perf_out" ]; then
    syncs=$(awk -F, '/sys_enter_f(data)?sync/ { n += $1 } END { print n + 0 }' "$perf_out")
    who="the askonce process(es)"
    is_pg "$db" && who="PostgreSQL's processes"
    if [ "$syncs" -gt 0 ]; then
      echo "    fsyncs: $who called fdatasync/fsync $syncs times during (c) (perf syscall tracepoints):" \
        "$(calc %.1f "$created / $syncs") submissions per fsync, $(calc %d "$syncs / $elapsed") fsyncs per second" \
        "(the commits', plus checkpoints' and WAL segments')"
    else
      echo "    fsyncs: perf saw no fsync by $who during (c)"
    fi
  fi

  # (d) latency at a fixed moderate rate
  echo "  load before (d): $(load)"
  wrk_nodes paced "$api" "$RATE_CONNECTIONS" "$RATE" -s "$lua"
  paced=$(created_all "(d)")
  d_rps=$(rps_all)
  d_p50=$(latency_max p50_us)
  d_p99=$(latency_max p99_us)
  d_p999=$(latency_max p999_us)
  echo "(d) latency at $RATE submissions per second (achieved $d_rps/s, $paced answered 201;" \
    "wrk -t$WRK_THREADS -c$RATE_CONNECTIONS over $nodes node(s)):" \
    "p50 $(calc %.2f "$d_p50 / 1000") ms, p99 $(calc %.2f "$d_p99 / 1000") ms, p99.9 $(calc %.2f "$d_p999 / 1000") ms"
  if [ "$(calc %d "($d_rps < $RATE * 0.95)")" = 1 ]; then
    echo "    below $RATE/s: the servers (or the machine) could not keep the pace; wrk times each request from when it" \
      "was sent, so the delay of requests sent late is not in these figures"
  fi
  echo "  after: $(load)"

  verdict="below"
  if [ "$durable" -ge 5000 ] && [ "$d_p99" -lt 50000 ]; then verdict="meets"; fi
  echo "target (issue 5): >= 5000 durable submissions/s with p99 < 50 ms: $verdict it ($durable/s;" \
    "p99 $((d_p99 / 1000)) ms at $RATE/s, $((c_p99 / 1000)) ms at full load)"

  servers_stop
  printf '%s|%s|%s|%s|%s|%s\n' "$label" "$healthz" "$durable" "$(calc %.2f "$d_p50 / 1000") ms" \
    "$(calc %.2f "$d_p99 / 1000") ms" "$per_commit" >>"$BENCH_DIR/summary.txt"
}

mkdir -p "$BENCH_DIR/sqlite"
bench_backend sqlite "SQLite" "$BENCH_DIR/sqlite/bench.db" 1
durable_sqlite=$durable
[ "${KEEP:-0}" = 1 ] || rm -f "$BENCH_DIR"/sqlite/bench.db*
# The same without keeping the figures (the servers read it from the environment).
export ASKONCE_PERFORMANCE__PUBLISH=false
bench_backend sqlite-nofigures "SQLite, no figures" "$BENCH_DIR/sqlite/bench.db" 1
durable_sqlite_nofigures=$durable
unset ASKONCE_PERFORMANCE__PUBLISH
[ "${KEEP:-0}" = 1 ] || rm -f "$BENCH_DIR"/sqlite/bench.db*
pg_fresh_db askonce_bench
bench_backend pg1 "PostgreSQL, 1 node" "$pg_db" 1
durable_pg1=$durable
pg_fresh_db askonce_bench
export ASKONCE_PERFORMANCE__PUBLISH=false
bench_backend pg1-nofigures "PostgreSQL 1, no figs" "$pg_db" 1
durable_pg1_nofigures=$durable
unset ASKONCE_PERFORMANCE__PUBLISH
pg_fresh_db askonce_bench
bench_backend pg2 "PostgreSQL, 2 nodes" "$pg_db" 2
durable_pg2=$durable

echo
echo "summary (one run; $(load)):"
{
  echo "backend|healthz req/s|durable subs/s|p50 at $RATE/s|p99 at $RATE/s|subs per commit"
  cat "$BENCH_DIR/summary.txt"
} | awk -F'|' '{ printf "  %-20s | %13s | %14s | %14s | %14s | %15s\n", $1, $2, $3, $4, $5, $6 }'
verdict() { if [ "$1" -ge "$durable_sqlite" ]; then echo "meets"; else echo "below"; fi; }
echo "PostgreSQL durable rate / SQLite durable rate: $(calc %.2f "$durable_pg1 / $durable_sqlite") with 1 node" \
  "($(verdict "$durable_pg1") the target >= 1.00), $(calc %.2f "$durable_pg2 / $durable_sqlite") with 2 nodes ($(verdict "$durable_pg2") it)"
echo "keeping the published figures: durable rate with them / without them: $(calc %.2f "$durable_sqlite / $durable_sqlite_nofigures")" \
  "on SQLite ($durable_sqlite/s vs $durable_sqlite_nofigures/s), $(calc %.2f "$durable_pg1 / $durable_pg1_nofigures") on PostgreSQL" \
  "with 1 node ($durable_pg1/s vs $durable_pg1_nofigures/s)"
echo "  wrk outputs and the servers' log lines: $BENCH_DIR"
