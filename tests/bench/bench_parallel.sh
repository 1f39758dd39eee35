#!/bin/bash
# bench_parallel.sh — wall time of parallel workers through the real `bo`:
#   1. 12 trials of a program objective that sleeps 0.5 s (not CPU bound),
#      with 1, 2 and 4 workers; ratio to sequential (bar, issue 10: 4
#      workers within 0.4x of sequential);
#   2. what the deterministic mode's waiting costs: 24 `bo` trials, 4
#      workers, evaluation times random in [0.25, 0.75] s, with and without
#      --deterministic; ratio of wall times.
# usage: tests/bench/bench_parallel.sh [BUILD_DIR]   (default build)
set -eu
BUILD=${1:-build}
BO=$(cd "$BUILD" && pwd)/bin/bo
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bo-bench-par.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
export OPENBLAS_NUM_THREADS=1
cat >sleep.sh <<'SH'
#!/bin/sh
read -r line
sleep 0.5
echo "$line" | awk -F'[:,}]' '{ for (i = 1; i <= NF; i++) if ($i ~ /"x"/) x = $(i+1); printf "%.17g\n", (x - 0.3)^2 }'
SH
cat >random.sh <<'SH'
#!/bin/sh
read -r line
r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
sleep "$(awk -v r="$r" 'BEGIN { printf "%.3f", 0.25 + r / 65535 * 0.5 }')"
echo "$line" | awk -F'[:,}]' '{ for (i = 1; i <= NF; i++) { if ($i ~ /"x"/) x = $(i+1); if ($i ~ /"y"/) y = $(i+1) }
    printf "%.17g\n", (x - 0.3)^2 + (y + 0.2)^2 + 0.1 * x * y }'
SH
space='[{"name": "x", "type": "float", "low": -1, "high": 1},
        {"name": "y", "type": "float", "low": -1, "high": 1}]'
cat >sleep.json <<JSON
{"objective": {"command": ["sh", "sleep.sh"]}, "space": $space,
 "strategy": "random", "trials": 12, "seed": 1}
JSON
cat >random.json <<JSON
{"objective": {"command": ["sh", "random.sh"]}, "space": $space,
 "strategy": {"name": "bo", "initial": 6}, "trials": 24, "seed": 1}
JSON
wall() { # wall SECONDS of: bo run ARGS...
    local t0 t1
    t0=$(date +%s.%N)
    "$BO" run "$@" >last.out
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}
echo "12 trials of 0.5 s (program objective), $(nproc) cores:"
t1=$(wall sleep.json --db w1.db --workers 1)
echo "  1 worker:  ${t1} s"
for k in 2 4; do
    tk=$(wall sleep.json --db w$k.db --workers $k)
    r=$(awk -v a="$tk" -v b="$t1" 'BEGIN { printf "%.3f", a / b }')
    bar=""
    [ $k = 4 ] && bar=$(awk -v r="$r" 'BEGIN { print (r <= 0.4 ? "(bar <= 0.4: met)" : "(bar <= 0.4: NOT met)") }')
    echo "  $k workers: ${tk} s, ${r}x of sequential $bar"
done
echo "deterministic mode, 24 bo trials of 0.25-0.75 s, 4 workers (3 runs each):"
for i in 1 2 3; do
    free_t=$(wall random.json --db f$i.db --workers 4)
    det_t=$(wall random.json --db d$i.db --workers 4 --deterministic)
    waited=$(sed -n 's/.*: \([0-9.]*\) s waited.*/\1/p' last.out)
    r=$(awk -v a="$det_t" -v b="$free_t" 'BEGIN { printf "%.3f", a / b }')
    echo "  run $i: free ${free_t} s, deterministic ${det_t} s: ${r}x (waited ${waited} s with a worker idle)"
done
