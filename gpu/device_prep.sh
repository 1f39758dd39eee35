#!/usr/bin/env bash
# Run HERE (the Debian build machine): fills .device/ (ignored by git, sent
# with the working tree by naming it in the device tool's `carry`) with what
# the accelerator machine lacks: a Release build of libbo_nn_cuda.so, the
# GPU tests and bench_gpu; the Debian runtime packages they load (found
# with ldd + dpkg -S, fetched with apt-get download, unpacked there); and
# the Fashion-MNIST files. Then gpu/device_run.sh runs everything there.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=$src/.device
build=$src/build-gpu-bench
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target bo_nn_cuda bench_gpu test_gpu_kernels test_gpu_train \
    test_gpu_select >/dev/null
rm -rf "$out"
mkdir -p "$out/debs" "$out/build/tests" "$out/build/lib" "$out/data"
cp "$build"/tests/bench_gpu "$build"/tests/test_gpu_* "$out/build/tests/"
cp "$build/lib/libbo_nn_cuda.so" "$out/build/lib/"
cp /usr/share/datasets/fashion-mnist/*-ubyte.gz "$out/data/"
# The packages of every shared library they load, but glibc's, gcc's and
# CUDA's (the device image has its own).
pkgs=$(for b in "$out"/build/tests/* "$out"/build/lib/*.so; do ldd "$b"; done |
    awk '$3 ~ /^\// { print $3 }' | sort -u | grep -v -E '/usr/local/cuda|libc\.so|libm\.so|ld-linux|libdl|libpthread|librt|libgcc_s|libstdc' |
    while read -r f; do dpkg -S "$(readlink -f "$f")" 2>/dev/null || dpkg -S "${f#/usr}" 2>/dev/null || dpkg -S "/usr$f"; done |
    cut -d: -f1 | sort -u)
echo "packages: $pkgs"
(cd "$out/debs" && apt-get download $pkgs >/dev/null)
du -sh "$out"
