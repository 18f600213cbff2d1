#!/bin/sh
# tests/fuzz/run.sh SECONDS [libFuzzer flags...]: build a fuzz target in build-fuzz and run it.
#
# TARGET=parser (the default) fuzzes the compiler with .form text; TARGET=submission fuzzes
# the engine with submissions (JSON and form posts) to every shipped form.
# New inputs go to build-fuzz/corpus-TARGET (the seeds and the saved regressions are read,
# never written); crashes, timeouts and leaks go to build-fuzz/artifacts.
# Flags given after SECONDS override the defaults, e.g. `run.sh 600 -max_len=65536`.
# JOBS=N runs N fuzzing processes (libFuzzer -fork=N).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$root/build-fuzz"
seconds=${1:-60}
[ $# -gt 0 ] && shift
target=${TARGET:-parser}

case "$target" in
  parser)
    seeds="$here/corpus $here/regressions"
    dict="$here/form.dict"
    max_len=4096
    # The parser's own corpus kept its first name.
    corpus="$build/corpus"
    ;;
  submission)
    seeds="$here/submission_corpus $here/submission_regressions $root/tests/va/submissions"
    dict="$here/submission.dict"
    max_len=16384
    corpus="$build/corpus-submission"
    ;;
  *)
    echo "run.sh: TARGET must be parser or submission, not '$target'" >&2
    exit 2
    ;;
esac

cmake -S "$root" -B "$build" -DASKONCE_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target "fuzz_$target" -j"$(nproc)"

mkdir -p "$corpus" "$build/artifacts"
fork=""
[ -n "${JOBS:-}" ] && fork="-fork=$JOBS"
# shellcheck disable=SC2086 # $seeds is a list of directories
exec "$build/tests/fuzz/fuzz_$target" \
  -max_total_time="$seconds" -max_len="$max_len" -timeout=5 -rss_limit_mb=2048 \
  -dict="$dict" -artifact_prefix="$build/artifacts/" -print_final_stats=1 \
  $fork "$@" "$corpus" $seeds
