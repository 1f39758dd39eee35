/*
 * gpu_bench.cu — what the kernel files' benchmarks share: event timing
 * (median of many calls after warm-up), a non-zero fill pattern, the
 * device-to-device copy that measures the memory ceiling, and a one-line
 * description of the device. Never prints.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cuda_check.h"
#include "gpu.h"
#include "kernels.cuh"

/* A hash of the index, not a generator: benchmarks only need data that is
 * not all zeros and not all equal. */
__global__ static void fill_kernel(float *p, size_t n, float lo, float hi, unsigned salt)
{
    size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
    for (; i < n; i += (size_t)gridDim.x * blockDim.x) {
        unsigned h = (unsigned)i * 2654435761u ^ salt;
        h ^= h >> 15;
        h *= 2246822519u;
        h ^= h >> 13;
        p[i] = lo + (hi - lo) * (float)(h & 0xffffffu) * (1.0f / 16777216.0f);
    }
}

cudaError_t bo_gpu_launch_fill(float *p, size_t n, float lo, float hi, unsigned salt,
                               cudaStream_t s)
{
    fill_kernel<<<bo_gpu_blocks(n, 256), 256, 0, s>>>(p, n, lo, hi, salt);
    return cudaGetLastError();
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int bo_gpu_time(int (*fn)(void *ctx, char *err, size_t errlen), void *ctx, int reps,
                double *s_per_call, char *err, size_t errlen)
{
    int rc = 0;
    cudaEvent_t a = NULL, b = NULL;
    double *each = (double *)calloc((size_t)(reps > 0 ? reps : 1), sizeof *each);
    if (!each)
        return bo_gpu_fail(err, errlen, "gpu bench: out of memory");
    cudaTry(cudaEventCreate(&a));
    cudaTry(cudaEventCreate(&b));
    for (int i = 0; i < 3; i++)
        if ((rc = fn(ctx, err, errlen)) != 0)
            goto done;
    cudaTry(cudaDeviceSynchronize());
    for (int i = 0; i < reps; i++) {
        float ms = 0.0f;
        cudaTry(cudaEventRecord(a, 0));
        if ((rc = fn(ctx, err, errlen)) != 0)
            goto done;
        cudaTry(cudaEventRecord(b, 0));
        cudaTry(cudaEventSynchronize(b));
        cudaTry(cudaEventElapsedTime(&ms, a, b));
        each[i] = 1e-3 * (double)ms;
    }
    qsort(each, (size_t)reps, sizeof *each, cmp_double);
    *s_per_call = reps > 0 ? each[reps / 2] : 0.0;
done:
    if (a)
        cudaEventDestroy(a);
    if (b)
        cudaEventDestroy(b);
    free(each);
    return rc;
}

typedef struct copy_ctx {
    void *dst;
    const void *src;
    size_t bytes;
} copy_ctx;

static int copy_once(void *ctx, char *err, size_t errlen)
{
    copy_ctx *c = (copy_ctx *)ctx;
    cudaCheck(cudaMemcpyAsync(c->dst, c->src, c->bytes, cudaMemcpyDeviceToDevice, 0));
    return 0;
}

int bo_gpu_bench_copy(size_t bytes, int reps, bo_gpu_timing *t, char *err, size_t errlen)
{
    int rc = 0;
    float *src = NULL, *dst = NULL;
    copy_ctx c;
    cudaTry(cudaMalloc(&src, bytes));
    cudaTry(cudaMalloc(&dst, bytes));
    cudaTry(bo_gpu_launch_fill(src, bytes / sizeof(float), -1.0f, 1.0f, 7u, 0));
    c.dst = dst;
    c.src = src;
    c.bytes = bytes;
    if ((rc = bo_gpu_time(copy_once, &c, reps, &t->s, err, errlen)) != 0)
        goto done;
    t->bytes = 2.0 * (double)bytes; /* read + write */
    t->flops = 0.0;
done:
    cudaFree(src);
    cudaFree(dst);
    return rc;
}

int bo_gpu_describe(char *line, size_t len, char *err, size_t errlen)
{
    int dev = 0;
    cudaDeviceProp p;
    cudaCheck(cudaGetDevice(&dev));
    cudaCheck(cudaGetDeviceProperties(&p, dev));
    int rt = 0, drv = 0;
    cudaCheck(cudaRuntimeGetVersion(&rt));
    cudaCheck(cudaDriverGetVersion(&drv));
    snprintf(line, len, "%s (sm_%d%d, %d SMs, %.1f GiB, L2 %d MiB; runtime %d, driver %d)",
             p.name, p.major, p.minor, p.multiProcessorCount,
             (double)p.totalGlobalMem / (1024.0 * 1024.0 * 1024.0), p.l2CacheSize >> 20, rt,
             drv);
    return 0;
}
