#!/bin/sh
# tests/fuzz/run.sh SECONDS [libFuzzer flags...]: build the fuzz target in build-fuzz and run it.
#
# New inputs go to build-fuzz/corpus (the seeds in tests/fuzz/corpus and the saved
# regressions are read, never written); crashes, timeouts and leaks go to build-fuzz/artifacts.
# Flags given after SECONDS override the defaults, e.g. `run.sh 600 -max_len=65536`.
# JOBS=N runs N fuzzing processes (libFuzzer -fork=N).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$root/build-fuzz"
seconds=${1:-60}
[ $# -gt 0 ] && shift

cmake -S "$root" -B "$build" -DASKONCE_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target fuzz_parser -j"$(nproc)"

mkdir -p "$build/corpus" "$build/artifacts"
fork=""
[ -n "${JOBS:-}" ] && fork="-fork=$JOBS"
exec "$build/tests/fuzz/fuzz_parser" \
  -max_total_time="$seconds" -max_len=4096 -timeout=5 -rss_limit_mb=2048 \
  -dict="$here/form.dict" -artifact_prefix="$build/artifacts/" -print_final_stats=1 \
  $fork "$@" "$build/corpus" "$here/corpus" "$here/regressions"
