/*
 * kernels.cuh — the launchers of gpu/'s kernels, for backend_cuda.cu and the
 * kernel files' own checks and benchmarks. Each launcher enqueues on the
 * given stream and returns cudaGetLastError() (a bad launch configuration);
 * faults inside a kernel surface at the next synchronizing call.
 *
 * Nothing here allocates, synchronizes or uses atomics: every reduction is a
 * fixed order inside one block, so a run is repeatable bit for bit.
 */
#ifndef BO_GPU_KERNELS_CUH
#define BO_GPU_KERNELS_CUH

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <stddef.h>
#include <stdint.h>

extern "C" {
#include "data.h"
#include "mlp.h"
#include "optim.h"
}

/* Scalars that change every step, kept in device memory so that a captured
 * CUDA graph of the step replays unchanged while they move: the host writes
 * them with one small copy before each launch. */
struct bo_gpu_step_args {
    int64_t offset;      /* first row of the step in the epoch order */
    float lr;            /* sgd, momentum */
    float adam_step;     /* lr / (1 - beta1^t) */
    float adam_vscale;   /* 1 / (1 - beta2^t) */
    float pad_;
};

/* Where the weights are in the flat vector (weight decay skips biases). */
struct bo_gpu_decay {
    int blocks;
    unsigned long long w_off[BO_NN_MAX_LAYERS + 1];
    unsigned long long b_off[BO_NN_MAX_LAYERS + 1];
};

/* x (n x 784) and y from rows order[base + i] of pix/lab (order NULL: rows
 * base + i), base = first + (args ? args->offset : 0). */
cudaError_t bo_gpu_launch_gather(const uint8_t *pix, const uint8_t *lab, const int32_t *order,
                                 const bo_gpu_step_args *args, size_t first, size_t n, float *x,
                                 int32_t *y, cudaStream_t s);

/* src holds the product (n x w). keep_pre: src becomes pre (activation, or
 * z for GELU) and h = act (x mask); otherwise h == src, in place. */
cudaError_t bo_gpu_launch_bias_act(int act, const float *b, float *src, float *h,
                                   const float *mask, size_t n, size_t w, int keep_pre,
                                   cudaStream_t s);

cudaError_t bo_gpu_launch_act_backward(int act, float *d, const float *a, const float *mask,
                                       size_t n, size_t w, float *gb, cudaStream_t s);

/* One block; c <= 32. loss_acc and hits_acc are added to, not set. */
cudaError_t bo_gpu_launch_softmax_xent(float *z, const float *b, const int32_t *y, size_t n,
                                       size_t c, int grad, float *gb, double *loss_acc,
                                       unsigned long long *hits_acc, cudaStream_t s);

cudaError_t bo_gpu_launch_optim(const bo_nn_optim *o, float *p, const float *g, float *m,
                                float *v, size_t n, const bo_gpu_step_args *args, float wd,
                                const bo_gpu_decay *dec, cudaStream_t s);
void bo_gpu_decay_init(bo_gpu_decay *d, const bo_nn_layout *lo);
/* The host-side scalars of step t (Adam's bias corrections in double, as
 * optim.c computes them). */
void bo_gpu_step_args_init(bo_gpu_step_args *a, const bo_nn_optim *o, float lr, long t,
                           size_t offset);

/* The row-major products of mlp.c on cuBLAS (see gemm.cu for the mapping). */
cublasStatus_t bo_gpu_gemm_forward(cublasHandle_t h, size_t n, size_t in, size_t out,
                                   const float *H, const float *W, float *Z);
cublasStatus_t bo_gpu_gemm_wgrad(cublasHandle_t h, size_t n, size_t in, size_t out,
                                 const float *H, const float *D, float *G);
cublasStatus_t bo_gpu_gemm_igrad(cublasHandle_t h, size_t n, size_t in, size_t out,
                                 const float *D, const float *W, float *E);

/* Fills p with a deterministic non-zero pattern in [lo, hi] (benchmarks:
 * timing on zeros flatters). */
cudaError_t bo_gpu_launch_fill(float *p, size_t n, float lo, float hi, unsigned salt,
                               cudaStream_t s);

/* Event timing for the benchmarks: median seconds per call of `reps` calls
 * of fn(ctx) after 3 untimed ones. fn returns 0 or -1 (message in err). */
int bo_gpu_time(int (*fn)(void *ctx, char *err, size_t errlen), void *ctx, int reps,
                double *s_per_call, char *err, size_t errlen);

/* cudaSuccess when the current device can run these kernels. */
cudaError_t bo_gpu_kernels_runnable(void);

/* Grid size for an elementwise kernel over `count` items. */
static inline unsigned bo_gpu_blocks(size_t count, unsigned threads)
{
    size_t b = (count + threads - 1) / threads;
    return (unsigned)(b ? (b < 65535u * 32u ? b : 65535u * 32u) : 1);
}

#endif
