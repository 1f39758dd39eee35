/*
 * k_act_backward.cu — backward through a hidden layer's activation and
 * dropout mask, fused with that layer's bias gradient (the column sums of
 * the result), so the gradient block is read and written once.
 *
 * The column sums are deterministic: a block owns 32 columns; its 32 x 16
 * threads each add every 16th row of one column in row order, then one
 * thread per column adds the 16 partial sums in a fixed order. No atomics,
 * so the same inputs give the same bits on every run. The order differs
 * from mlp.c's row-by-row sum, hence the test's tolerance.
 *
 * Holds: the CPU reference, the kernel, its launcher, the host wrapper for
 * the test, and the benchmark (memory-bound: d read and written, a and the
 * mask read). Never prints.
 */
#include <string.h>

#include "act.cuh"
#include "cuda_check.h"
#include "gpu.h"
#include "kernels.cuh"

#define COLS 32
#define GROUPS 16

__global__ static void __launch_bounds__(COLS *GROUPS)
    act_backward_kernel(int act, float *d, const float *a, const float *mask, size_t n,
                        size_t w, float *gb)
{
    __shared__ float part[GROUPS][COLS + 1];
    size_t col = blockIdx.x * (size_t)COLS + threadIdx.x;
    float sum = 0.0f;
    if (col < w)
        for (size_t r = threadIdx.y; r < n; r += GROUPS) {
            size_t i = r * w + col;
            float v = bo_gpu_act_back(act, d[i], a[i]);
            if (mask)
                v *= mask[i];
            d[i] = v;
            sum += v;
        }
    part[threadIdx.y][threadIdx.x] = sum;
    __syncthreads();
    if (threadIdx.y == 0 && col < w) {
        float s = part[0][threadIdx.x];
        for (int g = 1; g < GROUPS; g++)
            s += part[g][threadIdx.x];
        gb[col] = s;
    }
}

cudaError_t bo_gpu_launch_act_backward(int act, float *d, const float *a, const float *mask,
                                       size_t n, size_t w, float *gb, cudaStream_t s)
{
    dim3 block(COLS, GROUPS);
    act_backward_kernel<<<(unsigned)((w + COLS - 1) / COLS), block, 0, s>>>(act, d, a, mask,
                                                                            n, w, gb);
    return cudaGetLastError();
}

extern "C" void bo_gpu_act_backward_ref(int act, size_t n, size_t w, float *d, const float *a,
                                        const float *mask, float *gb)
{
    for (size_t i = 0; i < n * w; i++) {
        d[i] = bo_gpu_act_back(act, d[i], a[i]);
        if (mask)
            d[i] *= mask[i];
    }
    for (size_t j = 0; j < w; j++)
        gb[j] = d[j];
    for (size_t r = 1; r < n; r++)
        for (size_t j = 0; j < w; j++)
            gb[j] += d[r * w + j];
}

extern "C" int bo_gpu_act_backward_host(int act, size_t n, size_t w, float *d, const float *a,
                                        const float *mask, float *gb, char *err, size_t errlen)
{
    int rc = 0;
    size_t bytes = n * w * sizeof(float);
    float *d_d = NULL, *d_a = NULL, *d_mask = NULL, *d_gb = NULL;
    cudaTry(cudaMalloc(&d_d, bytes));
    cudaTry(cudaMalloc(&d_a, bytes));
    cudaTry(cudaMalloc(&d_gb, w * sizeof(float)));
    cudaTry(cudaMemcpy(d_d, d, bytes, cudaMemcpyHostToDevice));
    cudaTry(cudaMemcpy(d_a, a, bytes, cudaMemcpyHostToDevice));
    if (mask) {
        cudaTry(cudaMalloc(&d_mask, bytes));
        cudaTry(cudaMemcpy(d_mask, mask, bytes, cudaMemcpyHostToDevice));
    }
    cudaTry(bo_gpu_launch_act_backward(act, d_d, d_a, d_mask, n, w, d_gb, 0));
    cudaTry(cudaMemcpy(d, d_d, bytes, cudaMemcpyDeviceToHost));
    cudaTry(cudaMemcpy(gb, d_gb, w * sizeof(float), cudaMemcpyDeviceToHost));
done:
    cudaFree(d_d);
    cudaFree(d_a);
    cudaFree(d_mask);
    cudaFree(d_gb);
    return rc;
}

typedef struct bench_ctx {
    int act;
    float *d, *a, *mask, *gb;
    size_t n, w;
} bench_ctx;

static int bench_once(void *ctx, char *err, size_t errlen)
{
    bench_ctx *c = (bench_ctx *)ctx;
    cudaCheck(bo_gpu_launch_act_backward(c->act, c->d, c->a, c->mask, c->n, c->w, c->gb, 0));
    return 0;
}

extern "C" int bo_gpu_bench_act_backward(int act, size_t n, size_t w, int mask, int reps,
                                         bo_gpu_timing *t, char *err, size_t errlen)
{
    int rc = 0;
    size_t count = n * w;
    bench_ctx c;
    memset(&c, 0, sizeof c);
    c.act = act;
    c.n = n;
    c.w = w;
    cudaTry(cudaMalloc(&c.d, count * sizeof(float)));
    cudaTry(cudaMalloc(&c.a, count * sizeof(float)));
    cudaTry(cudaMalloc(&c.gb, w * sizeof(float)));
    /* Values that stay finite however many times the pass runs in place. */
    cudaTry(bo_gpu_launch_fill(c.d, count, -1e-3f, 1e-3f, 4u, 0));
    cudaTry(bo_gpu_launch_fill(c.a, count, 0.1f, 0.9f, 5u, 0));
    if (mask) {
        cudaTry(cudaMalloc(&c.mask, count * sizeof(float)));
        cudaTry(bo_gpu_launch_fill(c.mask, count, 0.9f, 1.1f, 6u, 0));
    }
    if ((rc = bo_gpu_time(bench_once, &c, reps, &t->s, err, errlen)) != 0)
        goto done;
    t->bytes = (double)count * sizeof(float) * (mask ? 4 : 3);
    t->flops = 3.0 * (double)count;
done:
    cudaFree(c.d);
    cudaFree(c.a);
    cudaFree(c.mask);
    cudaFree(c.gb);
    return rc;
}
