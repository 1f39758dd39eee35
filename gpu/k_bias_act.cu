/*
 * k_bias_act.cu — a hidden layer's epilogue after its product: bias,
 * activation and the dropout mask in one pass (mlp.c's bias_act), so the
 * layer's output is read and written once instead of three times.
 *
 * Holds: the CPU reference, the kernel, its launcher, the host wrapper the
 * test compares with the reference, and the benchmark (bytes: z read, b
 * read once, mask read, pre and h written: memory-bound, so its figure is
 * GB/s against the copy ceiling). Never prints.
 */
#include <stdlib.h>
#include <string.h>

#include "act.cuh"
#include "cuda_check.h"
#include "gpu.h"
#include "kernels.cuh"

__global__ static void bias_act_kernel(int act, const float *b, float *src, float *h,
                                       const float *mask, size_t n, size_t w, int keep_pre)
{
    size_t count = n * w;
    for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < count;
         i += (size_t)gridDim.x * blockDim.x) {
        float z = src[i] + b[i % w];
        float a = bo_gpu_act(act, z);
        if (!keep_pre) {
            h[i] = a;
            continue;
        }
        src[i] = act == BO_NN_GELU ? z : a;
        h[i] = mask ? a * mask[i] : a;
    }
}

cudaError_t bo_gpu_launch_bias_act(int act, const float *b, float *src, float *h,
                                   const float *mask, size_t n, size_t w, int keep_pre,
                                   cudaStream_t s)
{
    bias_act_kernel<<<bo_gpu_blocks(n * w, 256), 256, 0, s>>>(act, b, src, h, mask, n, w,
                                                              keep_pre);
    return cudaGetLastError();
}

extern "C" void bo_gpu_bias_act_ref(int act, size_t n, size_t w, const float *z,
                                    const float *b, const float *mask, float *h, float *pre)
{
    int keep_pre = mask || act == BO_NN_GELU;
    for (size_t r = 0; r < n; r++)
        for (size_t j = 0; j < w; j++) {
            size_t i = r * w + j;
            float v = z[i] + b[j], a = bo_gpu_act(act, v);
            if (keep_pre)
                pre[i] = act == BO_NN_GELU ? v : a;
            h[i] = mask ? a * mask[i] : a;
        }
}

extern "C" int bo_gpu_bias_act_host(int act, size_t n, size_t w, const float *z,
                                    const float *b, const float *mask, float *h, float *pre,
                                    char *err, size_t errlen)
{
    int rc = 0, keep_pre = mask || act == BO_NN_GELU;
    size_t bytes = n * w * sizeof(float);
    float *d_src = NULL, *d_h = NULL, *d_b = NULL, *d_mask = NULL;
    cudaTry(cudaMalloc(&d_src, bytes));
    cudaTry(cudaMalloc(&d_b, w * sizeof(float)));
    cudaTry(cudaMemcpy(d_src, z, bytes, cudaMemcpyHostToDevice));
    cudaTry(cudaMemcpy(d_b, b, w * sizeof(float), cudaMemcpyHostToDevice));
    if (keep_pre)
        cudaTry(cudaMalloc(&d_h, bytes));
    if (mask) {
        cudaTry(cudaMalloc(&d_mask, bytes));
        cudaTry(cudaMemcpy(d_mask, mask, bytes, cudaMemcpyHostToDevice));
    }
    cudaTry(bo_gpu_launch_bias_act(act, d_b, d_src, keep_pre ? d_h : d_src, d_mask, n, w,
                                   keep_pre, 0));
    cudaTry(cudaMemcpy(h, keep_pre ? d_h : d_src, bytes, cudaMemcpyDeviceToHost));
    if (keep_pre)
        cudaTry(cudaMemcpy(pre, d_src, bytes, cudaMemcpyDeviceToHost));
done:
    cudaFree(d_src);
    cudaFree(d_h);
    cudaFree(d_b);
    cudaFree(d_mask);
    return rc;
}

typedef struct bench_ctx {
    int act, keep_pre;
    float *src, *h, *b, *mask;
    size_t n, w;
} bench_ctx;

static int bench_once(void *ctx, char *err, size_t errlen)
{
    bench_ctx *c = (bench_ctx *)ctx;
    cudaCheck(bo_gpu_launch_bias_act(c->act, c->b, c->src, c->h, c->mask, c->n, c->w,
                                     c->keep_pre, 0));
    return 0;
}

extern "C" int bo_gpu_bench_bias_act(int act, size_t n, size_t w, int mask, int reps,
                                     bo_gpu_timing *t, char *err, size_t errlen)
{
    int rc = 0;
    size_t count = n * w;
    bench_ctx c;
    memset(&c, 0, sizeof c);
    c.act = act;
    c.keep_pre = mask || act == BO_NN_GELU;
    c.n = n;
    c.w = w;
    cudaTry(cudaMalloc(&c.src, count * sizeof(float)));
    if (c.keep_pre)
        cudaTry(cudaMalloc(&c.h, count * sizeof(float)));
    cudaTry(cudaMalloc(&c.b, w * sizeof(float)));
    cudaTry(bo_gpu_launch_fill(c.src, count, -2.0f, 2.0f, 1u, 0));
    cudaTry(bo_gpu_launch_fill(c.b, w, -0.1f, 0.1f, 2u, 0));
    if (mask) {
        cudaTry(cudaMalloc(&c.mask, count * sizeof(float)));
        cudaTry(bo_gpu_launch_fill(c.mask, count, 0.0f, 2.0f, 3u, 0));
    }
    if (!c.keep_pre)
        c.h = c.src; /* in place, as the trainer runs it */
    if ((rc = bo_gpu_time(bench_once, &c, reps, &t->s, err, errlen)) != 0)
        goto done;
    t->bytes = (double)count * sizeof(float) * (c.keep_pre ? (mask ? 4 : 3) : 2);
    t->flops = 2.0 * (double)count;
done:
    if (c.h != c.src)
        cudaFree(c.h);
    cudaFree(c.src);
    cudaFree(c.b);
    cudaFree(c.mask);
    return rc;
}
