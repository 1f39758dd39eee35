#!/usr/bin/env bash
# Builds bench_trainer and runs it beside PyTorch (Debian python3-torch) on
# the same split, with the same thread count, in the same run:
#   tests/bench/bench_trainer.sh [THREADS] [EPOCHS]      (default 2 and 5)
# Prints samples/s, GFLOP/s and validation accuracy for both, and the
# throughput ratio. Uses build-bench/ beside the source (override: BUILD=dir)
# and Debian's interpreter, where python3-torch lives (override: PYTHON=...).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${BUILD:-$src/build-bench}
threads=${1:-2}
epochs=${2:-5}
py=${PYTHON:-/usr/bin/python3}

cmake -S "$src" -B "$build" -DBO_CUDA=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target bench_trainer >/dev/null
bench=$build/tests/bench_trainer
"$py" -c 'import torch' 2>/dev/null || {
    echo "bench_trainer: PyTorch missing (apt-get install -y python3-torch)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bench" --dump "$tmp"

echo "reference network 784-256-256-10 relu adam 1e-3 batch 128, $epochs epochs, $threads threads"
OPENBLAS_NUM_THREADS=$threads "$bench" --epochs "$epochs" --threads "$threads" >"$tmp/c.txt"
OMP_NUM_THREADS=$threads "$py" "$here/bench_trainer.py" "$tmp" --epochs "$epochs" \
    --threads "$threads" >"$tmp/torch.txt"

get() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
printf '%-8s %12s %10s %10s %10s\n' "" "samples/s" "GFLOP/s" "val_acc" "val_loss"
for who in c torch; do
    f=$tmp/$who.txt
    name=$([ $who = c ] && echo bo || echo pytorch)
    printf '%-8s %12s %10s %10s %10s\n' "$name" "$(get "$f" samples_per_s)" \
        "$(get "$f" gflops)" "$(get "$f" val_accuracy)" "$(get "$f" val_loss)"
done
awk -v a="$(get "$tmp/c.txt" samples_per_s)" -v b="$(get "$tmp/torch.txt" samples_per_s)" \
    -v ca="$(get "$tmp/c.txt" val_accuracy)" -v cb="$(get "$tmp/torch.txt" val_accuracy)" \
    'BEGIN { printf "ratio bo/pytorch: %.2fx throughput; accuracy difference %+.2f points\n", a / b, 100 * (ca - cb) }'
