#!/usr/bin/env bash
# Run ON THE ACCELERATOR MACHINE from the repository root, after
# gpu/device_prep.sh here and with .device carried:
#   bash gpu/device_run.sh [EPOCHS]
# Unpacks the Debian runtime packages into /tmp (never into /), points the
# loader at them and at CUDA, runs the GPU tests, then the benchmark.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
d=$root/.device
sys=/tmp/bo-sys
mkdir -p "$sys"
for f in "$d"/debs/*.deb; do dpkg -x "$f" "$sys"; done
lib=$sys/usr/lib/x86_64-linux-gnu
export LD_LIBRARY_PATH=$lib:$lib/openblas-pthread:$lib/blas:$lib/lapack:$sys/lib/x86_64-linux-gnu:/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}
export BO_NN_CUDA_LIB=$d/build/lib/libbo_nn_cuda.so BO_NN_DATA_DIR=$d/data OPENBLAS_NUM_THREADS=4
nvidia-smi -L || true
status=0
for t in "$d"/build/tests/test_gpu_*; do
    echo "== $(basename "$t")"
    "$t" || status=1
done
echo "== bench"
SKIP_BUILD=1 BUILD=$d/build bash "$root/tests/bench/bench_gpu.sh" "${1:-5}" || status=1
exit $status
