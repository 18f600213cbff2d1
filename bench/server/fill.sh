#!/bin/sh
# bench/server/fill.sh: does ingest slow down as the database grows? (`make bench-fill` builds
# Release in build-bench/ and runs this.) For SQLite and then PostgreSQL, each from an empty
# database, one askonce process is filled to FILL stored submissions through its JSON API, by
# wrk with bench/server/submissions.lua (the same varied valid submissions, connections and
# client as `make bench-server`'s (c), so the figures compare), and it prints:
#   - the ingest rate at the start (the first chunk of about CHUNK submissions, after a short
#     warm-up) and at the end (the last chunk, the one that reaches FILL), and end / start
#     (target, issue 10: >= 0.90);
#   - the rate every tenth of the way (all chunks in BENCH_DIR/BACKEND/chunks.txt), and the
#     rates over the first and the last tenth of the fill and their ratio (steadier than one
#     chunk's on a shared machine);
#   - the /healthz ceiling before and after the fill, and the load average: the machine's own
#     drift (it may be shared) beside the database's;
#   - the database's size at the end (SQLite: the file and its WAL; PostgreSQL:
#     pg_database_size), and on PostgreSQL the checkpoints, WAL and autovacuum passes the fill
#     caused.
# The fill is a series of wrk runs of equal length (as many seconds as the warm-up's rate needs
# for CHUNK submissions): wrk cannot stop after a count of requests. Only 201s count, and any
# other answer fails the run; the database must hold at least the 201s at the end. The last
# chunk may take the count up to one chunk past FILL.
#
# Settings (environment): FILL (1000000), CHUNK (20000), BACKENDS ("sqlite postgresql"),
# CONNECTIONS (64), WRK_THREADS (2), BENCH_DIR (BUILD/bench-fill), BUILD, KEEP=1
# (bench/server/lib.sh). The databases take several GB at 1,000,000 (printed at the end); they
# are removed unless KEEP=1.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
bench="bench-fill"
FILL=${FILL:-1000000}
CHUNK=${CHUNK:-20000}
BACKENDS=${BACKENDS:-sqlite postgresql}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-2}
BENCH_DIR=${BENCH_DIR:-${BUILD:-$root/build-bench}/bench-fill}
case $BENCH_DIR in /*) ;; *) BENCH_DIR=$root/$BENCH_DIR ;; esac
. "$root/bench/server/lib.sh"
[ "$FILL" -ge $((2 * CHUNK)) ] || fail "FILL ($FILL) must be at least two chunks (CHUNK=$CHUNK)"

rm -rf "$BENCH_DIR"
mkdir -p "$BENCH_DIR"
cleanup() {
  servers_stop
  pg_stop
  [ "${KEEP:-0}" = 1 ] || rm -f "$BENCH_DIR"/sqlite/fill.db*
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "askonce fill benchmark: $(nproc) cores, $(uname -r), $(date -u +%Y-%m-%dT%H:%M:%SZ), to $FILL submissions per backend"
echo "  before: $(load)"

api=/api/v1/forms/change_of_address/submissions
# healthz_probe: /healthz requests per second over 3 s (the HTTP layer alone: a reference for
# the machine's drift during the fill).
healthz_probe() {
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d3s "$server_base/healthz" >"$out/healthz.txt" 2>&1 ||
    { cat "$out/healthz.txt" >&2; fail "wrk failed on /healthz"; }
  calc %d "$(rps "$out/healthz.txt")"
}
# chunk SECONDS FILE: one wrk run of submissions; sets chunk_created and chunk_rate.
chunk() {
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$1s" -s "$lua" "$server_base$api" >"$2" 2>&1 ||
    { cat "$2" >&2; fail "$label: wrk failed"; }
  chunk_created=$(all_201 "$2" "$label, at $total stored") || exit 1
  chunk_seconds=$(elapsed_of "$2") || exit 1
  chunk_rate=$(calc %d "$chunk_created / $chunk_seconds")
}

# What PostgreSQL does beside the inserts, for a chunk's line: autovacuum workers running now,
# and autovacuum passes and checkpoints so far ("- - -" on SQLite).
background() {
  if is_pg "$1"; then
    pg_sql "$1" "SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker') || ' ' ||
      (SELECT sum(autovacuum_count) FROM pg_stat_user_tables) || ' ' ||
      (SELECT checkpoints_req + checkpoints_timed FROM pg_stat_bgwriter)" | tr '|' ' '
  else
    echo "- - -"
  fi
}

# fill_backend LABEL DB: the fill and its figures on DB.
fill_backend() {
  label=$1 db=$2
  echo
  echo "== $label: $(describe_db "$db") =="
  server_start "$out" "$db" node-1
  echo "  server: pid $server_pid on $server_base"
  healthz_before=$(healthz_probe)
  # Warm-up (2 s): connections, caches; its rate sets the chunks' length.
  total=0
  chunk 2 "$out/warmup.txt"
  total=$chunk_created
  seconds=$(calc %d "$CHUNK / $chunk_rate + 0.5")
  [ "$seconds" -ge 1 ] || seconds=1
  echo "  warm-up: $chunk_created stored at $chunk_rate/s; chunks of $seconds s (about $CHUNK submissions each)"
  : >"$out/chunks.txt"
  start_rate=""
  next_tenth=$((FILL / 10))
  while [ "$total" -lt "$FILL" ]; do
    before=$total
    chunk "$seconds" "$out/chunk.txt"
    total=$((total + chunk_created))
    echo "$before $total $chunk_rate $(background "$db") $(load)" >>"$out/chunks.txt"
    if [ -z "$start_rate" ]; then
      start_rate=$chunk_rate
      echo "  start: $chunk_rate submissions/s (submissions $before to $total; $(load))"
    fi
    if [ "$total" -ge "$next_tenth" ] && [ "$total" -lt "$FILL" ]; then
      echo "    at $total: $chunk_rate/s ($(load))"
      while [ "$next_tenth" -le "$total" ]; do next_tenth=$((next_tenth + FILL / 10)); done
    fi
  done
  end_rate=$chunk_rate
  echo "  end: $end_rate submissions/s (submissions $before to $total; $(load))"
  healthz_after=$(healthz_probe)
  stored=$(stored_count "$db")
  [ "$stored" -ge "$total" ] || fail "$label: the database holds $stored submissions, fewer than the $total answered 201"
  ratio=$(calc %.2f "$end_rate / $start_rate")
  # One chunk is a few seconds, so a busy neighbour moves it; the first and last tenth (several
  # chunks each: submissions over their seconds) are steadier.
  tenths=$(awk -v fill="$FILL" -v total="$total" '
    { n = $2 - $1; t = n / $3 }
    NR == 1 || $1 < fill / 10 { fn += n; ft += t }
    $1 >= total - fill / 10 { ln += n; lt += t }
    END {
      if (lt == 0) { ln = n; lt = t }  # chunks longer than a tenth: the last one
      printf "%d %d %.2f", fn / ft, ln / lt, (ln / lt) / (fn / ft)
    }' "$out/chunks.txt")
  set -- $tenths
  verdict=below
  [ "$(calc %d "($end_rate * 100 >= $start_rate * 90)")" = 1 ] && verdict=meets
  echo "  end / start: ${ratio}x ($verdict the target >= 0.90); the first tenth of the fill $1/s, the last $2/s: ${3}x;" \
    "/healthz ${healthz_before}/s before the fill, ${healthz_after}/s after ($(calc %.2f "$healthz_after / $healthz_before")x: the machine's drift)"
  tenth_ratio=$3
  if is_pg "$db"; then
    # What grows with the database on PostgreSQL: checkpoints (and the full-page images after
    # each), WAL, autovacuum's passes over the insert-only tables.
    echo "  PostgreSQL during the fill: $(pg_sql "$db" "SELECT checkpoints_req || ' checkpoints requested (WAL full), ' ||
      checkpoints_timed || ' timed' FROM pg_stat_bgwriter"); $(pg_sql "$db" "SELECT round(wal_bytes / 1048576) || ' MB of WAL (' ||
      round(wal_bytes / greatest((SELECT count(*) FROM submissions), 1)) || ' bytes per submission), ' || wal_fpi || ' full-page images'
      FROM pg_stat_wal"), max_wal_size $(pg_sql "$db" 'SHOW max_wal_size'); autovacuum $(pg_sql "$db" "SELECT string_agg(relname ||
      ' ' || autovacuum_count || 'x', ', ' ORDER BY relname) FROM pg_stat_user_tables WHERE relname IN ('submissions', 'outbox')")"
    # The chunks during which PostgreSQL vacuumed or checkpointed against the others: whether
    # the slowdown is that background work or the size itself.
    awk '{ n = $2 - $1; t = n / $3; busy = ($4 > 0 || (NR > 1 && ($5 != av || $6 != cp))); av = $5; cp = $6 }
      NR > 1 && busy { bn += n; bt += t; bc++ } NR > 1 && !busy { qn += n; qt += t; qc++ }
      END { printf "  chunks with autovacuum running or a checkpoint requested: %d, at %d/s; without: %d, at %d/s\n",
        bc, bt ? bn / bt : 0, qc, qt ? qn / qt : 0 }' "$out/chunks.txt"
    size=$(pg_sql "$db" "SELECT pg_database_size(current_database())")
    echo "  database: $stored submissions; pg_database_size $(calc %.0f "$size / 1048576") MB ($(calc %d "$size / $stored") bytes per submission)"
  else
    main=$(stat -c %s "$db")
    wal=$(stat -c %s "$db-wal" 2>/dev/null || echo 0)
    echo "  database: $stored submissions; $db $(calc %.0f "$main / 1048576") MB + WAL $(calc %.0f "$wal / 1048576") MB" \
      "($(calc %d "($main + $wal) / $stored") bytes per submission)"
  fi
  servers_stop
  printf '%s|%s|%s|%s|%s|%s|%s\n' "$label" "$start_rate" "$end_rate" "$ratio" "$tenth_ratio" "$stored" \
    "$(calc %.2f "$healthz_after / $healthz_before")" >>"$BENCH_DIR/summary.txt"
}

: >"$BENCH_DIR/summary.txt"
for backend in $BACKENDS; do
  case $backend in
    sqlite)
      out=$BENCH_DIR/sqlite
      mkdir -p "$out"
      fill_backend "SQLite" "$out/fill.db"
      [ "${KEEP:-0}" = 1 ] || rm -f "$out"/fill.db*
      ;;
    postgresql)
      out=$BENCH_DIR/postgresql
      mkdir -p "$out"
      pg_start "$BENCH_DIR/pg"
      pg_fresh_db askonce_fill
      fill_backend "PostgreSQL" "$pg_db"
      pg_stop
      ;;
    *) fail "unknown backend '$backend' in BACKENDS (sqlite, postgresql)" ;;
  esac
done

echo
echo "summary (one run; $(load)):"
{
  echo "backend|start subs/s|end subs/s|end / start|last / first tenth|stored|healthz after / before"
  cat "$BENCH_DIR/summary.txt"
} | awk -F'|' '{ printf "  %-12s | %12s | %10s | %11s | %18s | %9s | %22s\n", $1, $2, $3, $4, $5, $6, $7 }'
echo "  every chunk (from, to, rate; PostgreSQL: autovacuum workers running, autovacuum passes and checkpoints so far; load): $BENCH_DIR/*/chunks.txt"
