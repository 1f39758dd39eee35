#!/usr/bin/env bash
# The CUDA trainer against PyTorch on the same GPU and the same data, in
# the same run, and its products against cuBLAS's peak (see bench_gpu.c):
#   tests/bench/bench_gpu.sh [EPOCHS]                 (default 5)
# Builds bench_gpu and libbo_nn_cuda.so in build-gpu-bench/ beside the
# source (BUILD=dir to change; SKIP_BUILD=1 to use a build carried from
# elsewhere, as on the accelerator machine: gpu/README.md). Data from
# BO_NN_DATA_DIR (default /usr/share/datasets/fashion-mnist); PyTorch from
# PYTHON (default python3). Prints the tables, then our epoch time, eager
# PyTorch's, and the ratio.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${BUILD:-$src/build-gpu-bench}
epochs=${1:-5}
py=${PYTHON:-python3}
data=${BO_NN_DATA_DIR:-/usr/share/datasets/fashion-mnist}

if [ -z "${SKIP_BUILD:-}" ]; then
    cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$build" -j"$(nproc)" --target bench_gpu bo_nn_cuda >/dev/null
fi
bench=$build/tests/bench_gpu
export BO_NN_CUDA_LIB=${BO_NN_CUDA_LIB:-$build/lib/libbo_nn_cuda.so}
"$py" -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null || {
    echo "bench_gpu: PyTorch with CUDA missing (python: $py)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bench" --data "$data" --dump "$tmp"

"$bench" --data "$data" --epochs "$epochs" | tee "$tmp/c.txt"
"$py" "$here/bench_gpu.py" "$tmp" --epochs "$epochs" >"$tmp/torch.txt"
if [ -n "${TORCH_COMPILE:-}" ]; then
    "$py" "$here/bench_gpu.py" "$tmp" --epochs "$epochs" --compile >"$tmp/torchc.txt" || true
fi

get() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
echo
head -1 "$tmp/torch.txt"
printf '%-22s %10s %12s %10s %10s\n' "" "epoch ms" "samples/s" "val_acc" "val_loss"
row() { printf '%-22s %10.2f %12s %10s %10s\n' "$1" "$(awk -v s="$(get "$2" epoch_s)" 'BEGIN{print s*1000}')" \
        "$(get "$2" samples_per_s)" "$(get "$2" val_accuracy)" "$(get "$2" val_loss)"; }
row "bo cuda (graphs)" "$tmp/c.txt"
printf '%-22s %10.2f\n' "bo cuda (no graphs)" "$(awk -v s="$(get "$tmp/c.txt" epoch_direct_s)" 'BEGIN{print s*1000}')"
row "pytorch eager" "$tmp/torch.txt"
[ -s "$tmp/torchc.txt" ] 2>/dev/null && row "pytorch compile" "$tmp/torchc.txt"
awk -v a="$(get "$tmp/c.txt" epoch_s)" -v b="$(get "$tmp/torch.txt" epoch_s)" \
    'BEGIN { printf "speed-up over eager PyTorch: %.2fx (bar: 3x)\n", b / a }'
