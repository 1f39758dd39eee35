#!/bin/sh
# tests/fuzz/run.sh — build the spec parser's libFuzzer target with clang
# (-fsanitize=fuzzer,address,undefined) straight from the bo/ sources it
# needs, and fuzz it.
#
#   tests/fuzz/run.sh [SECONDS] [JOBS]   fuzz for SECONDS (default 60) with
#                                        JOBS processes (default 1)
#   tests/fuzz/run.sh --replay           run every input under regressions/
#
# Work files (binary, growing corpus, crash artifacts) go to $BO_FUZZ_DIR
# (default build-fuzz/ at the top of the checkout), never into the source
# tree: copy a crashing input into tests/fuzz/regressions/ by hand, named
# ok-* or einval-* for the outcome the fixed parser must give, so that
# test_spec_regressions replays it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${BO_FUZZ_DIR:-$root/build-fuzz}
cc=${CC_FUZZ:-clang}
mkdir -p "$work/corpus" "$work/artifacts"

"$cc" -std=c11 -g -O1 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
    -Wall -Wextra -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I"$root/include" -I"$root/bo" \
    "$here/fuzz_spec.c" "$root"/bo/spec*.c "$root/bo/space.c" \
    "$root/bo/error.c" -lcjson -lm -o "$work/fuzz_spec"

if [ "${1:-}" = "--replay" ]; then
    exec "$work/fuzz_spec" "$here"/regressions/*
fi

seconds=${1:-60}
jobs=${2:-1}
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1
set -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=4096 -dict="$here/spec.dict" \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1
if [ "$jobs" -gt 1 ]; then
    set -- "$@" -jobs="$jobs" -workers="$jobs"
fi
cd "$work"
"$work/fuzz_spec" "$@" "$work/corpus" "$here/corpus" "$here/regressions"
