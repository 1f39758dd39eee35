/*
 * k_softmax_xent.cu — the output layer's epilogue and the loss in one
 * kernel: logits = product + bias, log-sum-exp per row (in double, as
 * mlp.c), the summed loss and the argmax hits added to device counters,
 * and for training the logits' gradient (softmax - onehot) / n and its
 * column sums (the output bias gradient).
 *
 * One block does it all: a warp per row (a lane per class, c <= 32, the
 * trainer has 10), rows dealt to the 32 warps in turn; the per-warp sums
 * are then added by one thread in warp order, and the column sums by 32
 * row groups in the same way. That fixed order is what makes the loss and
 * gradient repeatable bit for bit without atomics; a single block is ample
 * for a batch (10 classes x 128 rows) and for evaluation chunks.
 *
 * Holds: the CPU reference, the kernel, its launcher, the host wrapper for
 * the test, and the benchmark. Never prints.
 */
#include <math.h>
#include <string.h>

#include "cuda_check.h"
#include "gpu.h"
#include "kernels.cuh"

#define WARPS 32
#define FULL 0xffffffffu

__global__ static void __launch_bounds__(WARPS * 32)
    softmax_xent_kernel(float *z, const float *b, const int32_t *y, size_t n, int c, int grad,
                        float *gb, double *loss_acc, unsigned long long *hits_acc)
{
    __shared__ double s_loss[WARPS];
    __shared__ unsigned long long s_hits[WARPS];
    __shared__ float s_col[WARPS][33];
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    float inv_n = 1.0f / (float)n;
    double loss = 0.0;
    unsigned long long hits = 0;
    for (size_t r = (size_t)warp; r < n; r += WARPS) {
        float *row = z + r * (size_t)c;
        float v = lane < c ? row[lane] + b[lane] : -INFINITY;
        /* Argmax, the lowest index among equal maxima (mlp.c keeps the first). */
        float mx = v;
        int arg = lane < c ? lane : 32;
        for (int off = 16; off; off >>= 1) {
            float ov = __shfl_xor_sync(FULL, mx, off);
            int oa = __shfl_xor_sync(FULL, arg, off);
            if (ov > mx || (ov == mx && oa < arg)) {
                mx = ov;
                arg = oa;
            }
        }
        double se = lane < c ? exp((double)(v - mx)) : 0.0;
        for (int off = 16; off; off >>= 1)
            se += __shfl_xor_sync(FULL, se, off);
        double lse = (double)mx + log(se);
        int yr = y[r];
        float vy = __shfl_sync(FULL, v, yr & 31);
        if (lane == 0) {
            loss += lse - (double)vy;
            hits += arg == yr;
        }
        if (grad && lane < c)
            row[lane] = ((float)exp((double)v - lse) - (lane == yr ? 1.0f : 0.0f)) * inv_n;
    }
    if (lane == 0) {
        s_loss[warp] = loss;
        s_hits[warp] = hits;
    }
    float col = 0.0f;
    if (grad && lane < c)
        for (size_t r = (size_t)warp; r < n; r += WARPS) /* rows this thread wrote */
            col += z[r * (size_t)c + lane];
    s_col[warp][lane] = col;
    __syncthreads();
    if (threadIdx.x == 0) {
        double t = 0.0;
        unsigned long long h = 0;
        for (int w = 0; w < WARPS; w++) {
            t += s_loss[w];
            h += s_hits[w];
        }
        *loss_acc += t;
        *hits_acc += h;
    }
    if (grad && threadIdx.x < (unsigned)c) {
        float s = s_col[0][threadIdx.x];
        for (int w = 1; w < WARPS; w++)
            s += s_col[w][threadIdx.x];
        gb[threadIdx.x] = s;
    }
}

cudaError_t bo_gpu_launch_softmax_xent(float *z, const float *b, const int32_t *y, size_t n,
                                       size_t c, int grad, float *gb, double *loss_acc,
                                       unsigned long long *hits_acc, cudaStream_t s)
{
    if (c == 0 || c > 32 || n == 0)
        return cudaErrorInvalidValue;
    softmax_xent_kernel<<<1, WARPS * 32, 0, s>>>(z, b, y, n, (int)c, grad, gb, loss_acc,
                                                 hits_acc);
    return cudaGetLastError();
}

extern "C" void bo_gpu_softmax_xent_ref(size_t n, size_t c, float *z, const float *b,
                                        const int32_t *y, int grad, float *gb,
                                        double *loss_sum, uint64_t *hits)
{
    float inv_n = 1.0f / (float)n;
    for (size_t r = 0; r < n; r++) {
        float *row = z + r * c;
        for (size_t j = 0; j < c; j++)
            row[j] += b[j];
        size_t arg = 0, yr = (size_t)y[r];
        float mx = row[0];
        for (size_t j = 1; j < c; j++)
            if (row[j] > mx) {
                mx = row[j];
                arg = j;
            }
        *hits += arg == yr;
        double se = 0.0;
        for (size_t j = 0; j < c; j++)
            se += exp((double)(row[j] - mx));
        double lse = (double)mx + log(se);
        *loss_sum += lse - (double)row[yr];
        if (grad)
            for (size_t j = 0; j < c; j++)
                row[j] = ((float)exp((double)row[j] - lse) - (j == yr ? 1.0f : 0.0f)) * inv_n;
    }
    if (grad) {
        for (size_t j = 0; j < c; j++)
            gb[j] = z[j];
        for (size_t r = 1; r < n; r++)
            for (size_t j = 0; j < c; j++)
                gb[j] += z[r * c + j];
    }
}

extern "C" int bo_gpu_softmax_xent_host(size_t n, size_t c, float *z, const float *b,
                                        const int32_t *y, int grad, float *gb,
                                        double *loss_sum, uint64_t *hits, char *err,
                                        size_t errlen)
{
    int rc = 0;
    size_t bytes = n * c * sizeof(float);
    float *d_z = NULL, *d_b = NULL, *d_gb = NULL;
    int32_t *d_y = NULL;
    double *d_loss = NULL, loss = 0.0;
    unsigned long long *d_hits = NULL, h = 0;
    cudaTry(cudaMalloc(&d_z, bytes));
    cudaTry(cudaMalloc(&d_b, c * sizeof(float)));
    cudaTry(cudaMalloc(&d_gb, c * sizeof(float)));
    cudaTry(cudaMalloc(&d_y, n * sizeof(int32_t)));
    cudaTry(cudaMalloc(&d_loss, sizeof(double)));
    cudaTry(cudaMalloc(&d_hits, sizeof(unsigned long long)));
    cudaTry(cudaMemcpy(d_z, z, bytes, cudaMemcpyHostToDevice));
    cudaTry(cudaMemcpy(d_b, b, c * sizeof(float), cudaMemcpyHostToDevice));
    cudaTry(cudaMemcpy(d_y, y, n * sizeof(int32_t), cudaMemcpyHostToDevice));
    cudaTry(cudaMemcpy(d_loss, loss_sum, sizeof(double), cudaMemcpyHostToDevice));
    h = *hits;
    cudaTry(cudaMemcpy(d_hits, &h, sizeof h, cudaMemcpyHostToDevice));
    cudaTry(bo_gpu_launch_softmax_xent(d_z, d_b, d_y, n, c, grad, d_gb, d_loss, d_hits, 0));
    cudaTry(cudaMemcpy(&loss, d_loss, sizeof loss, cudaMemcpyDeviceToHost));
    cudaTry(cudaMemcpy(&h, d_hits, sizeof h, cudaMemcpyDeviceToHost));
    *loss_sum = loss;
    *hits = h;
    if (grad) {
        cudaTry(cudaMemcpy(z, d_z, bytes, cudaMemcpyDeviceToHost));
        cudaTry(cudaMemcpy(gb, d_gb, c * sizeof(float), cudaMemcpyDeviceToHost));
    }
done:
    cudaFree(d_z);
    cudaFree(d_b);
    cudaFree(d_gb);
    cudaFree(d_y);
    cudaFree(d_loss);
    cudaFree(d_hits);
    return rc;
}

typedef struct bench_ctx {
    float *z, *b, *gb;
    int32_t *y;
    double *loss;
    unsigned long long *hits;
    size_t n, c;
} bench_ctx;

static int bench_once(void *ctx, char *err, size_t errlen)
{
    bench_ctx *k = (bench_ctx *)ctx;
    /* grad = 0 keeps the logits unchanged between calls. */
    cudaCheck(bo_gpu_launch_softmax_xent(k->z, k->b, k->y, k->n, k->c, 0, k->gb, k->loss,
                                         k->hits, 0));
    return 0;
}

extern "C" int bo_gpu_bench_softmax_xent(size_t n, size_t c, int reps, bo_gpu_timing *t,
                                         char *err, size_t errlen)
{
    int rc = 0;
    bench_ctx k;
    memset(&k, 0, sizeof k);
    k.n = n;
    k.c = c;
    cudaTry(cudaMalloc(&k.z, n * c * sizeof(float)));
    cudaTry(cudaMalloc(&k.b, c * sizeof(float)));
    cudaTry(cudaMalloc(&k.gb, c * sizeof(float)));
    cudaTry(cudaMalloc(&k.y, n * sizeof(int32_t)));
    cudaTry(cudaMalloc(&k.loss, sizeof(double)));
    cudaTry(cudaMalloc(&k.hits, sizeof(unsigned long long)));
    cudaTry(cudaMemset(k.y, 0, n * sizeof(int32_t)));
    cudaTry(cudaMemset(k.loss, 0, sizeof(double)));
    cudaTry(cudaMemset(k.hits, 0, sizeof(unsigned long long)));
    cudaTry(bo_gpu_launch_fill(k.z, n * c, -3.0f, 3.0f, 8u, 0));
    cudaTry(bo_gpu_launch_fill(k.b, c, -0.1f, 0.1f, 9u, 0));
    if ((rc = bo_gpu_time(bench_once, &k, reps, &t->s, err, errlen)) != 0)
        goto done;
    t->bytes = (double)n * (c * sizeof(float) + sizeof(int32_t));
    t->flops = 4.0 * (double)(n * c);
done:
    cudaFree(k.z);
    cudaFree(k.b);
    cudaFree(k.gb);
    cudaFree(k.y);
    cudaFree(k.loss);
    cudaFree(k.hits);
    return rc;
}
