/*
 * gpu.h — the plain-C face of gpu/ for the tests and the benchmark (the
 * trainer itself reaches the CUDA code only through bo_nn_cuda_backend(),
 * backend.h). No CUDA type appears here, so C files include it freely.
 *
 * For each kernel: *_host runs it on host arrays (upload, launch, download:
 * slow, for checks only), *_ref is its CPU reference, written from the
 * formulas of mlp.c and optim.c, and bo_gpu_bench_* times it on the device
 * and says how many bytes and FLOPs one call moves and does, for napkin
 * math against the GPU's limits. Functions return 0, or -1 with one line in
 * err; none prints or exits.
 */
#ifndef BO_GPU_H
#define BO_GPU_H

#include <stddef.h>
#include <stdint.h>

#include "mlp.h"
#include "optim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Number of CUDA devices; 0 with "no CUDA device (...)" in err when there
 * is no driver, no device or the runtime fails. */
int bo_gpu_device_count(char *err, size_t errlen);

/* Rows order[0..n) (or 0..n when order is NULL) of an n_rows x 784 byte
 * image block, scaled by BO_NN_PIXEL_SCALE into x (n x 784), labels into y. */
int bo_gpu_gather_host(const uint8_t *pix, const uint8_t *lab, size_t n_rows,
                       const int32_t *order, size_t n, float *x, int32_t *y, char *err,
                       size_t errlen);
void bo_gpu_gather_ref(const uint8_t *pix, const uint8_t *lab, const int32_t *order,
                       size_t n, float *x, int32_t *y);

/* Hidden layer epilogue on the product z (n x w): h = act(z + b) (x mask).
 * pre (written only when mask or GELU, else may be NULL) = the unmasked
 * activation, or z + b for GELU: what backward reads (mlp.c's `pre`). */
int bo_gpu_bias_act_host(int act, size_t n, size_t w, const float *z, const float *b,
                         const float *mask, float *h, float *pre, char *err, size_t errlen);
void bo_gpu_bias_act_ref(int act, size_t n, size_t w, const float *z, const float *b,
                         const float *mask, float *h, float *pre);

/* Backward through a hidden layer's activation, in place on d (n x w):
 * d = d x act'(a) (x mask), a = pre when mask or GELU, else h; and the
 * layer's bias gradient gb[j] = sum over rows of the new d. */
int bo_gpu_act_backward_host(int act, size_t n, size_t w, float *d, const float *a,
                             const float *mask, float *gb, char *err, size_t errlen);
void bo_gpu_act_backward_ref(int act, size_t n, size_t w, float *d, const float *a,
                             const float *mask, float *gb);

/* Softmax cross-entropy of logits z + b (n x c, c <= 32) against y: adds
 * the sum of -log p(y) to *loss_sum and the argmax hits to *hits; with grad,
 * z becomes (softmax - onehot) / n and gb its column sums. */
int bo_gpu_softmax_xent_host(size_t n, size_t c, float *z, const float *b, const int32_t *y,
                             int grad, float *gb, double *loss_sum, uint64_t *hits, char *err,
                             size_t errlen);
void bo_gpu_softmax_xent_ref(size_t n, size_t c, float *z, const float *b, const int32_t *y,
                             int grad, float *gb, double *loss_sum, uint64_t *hits);

/* One optimizer step t (from 1) on the flat parameter vector of layout lo,
 * weight decay wd added to the weights' gradient first (not the biases'),
 * as mlp.c's backward does. p, m, v in/out; g is not changed. The CPU
 * reference is bo_nn_optim_step (optim.c) after that decay. */
int bo_gpu_optim_host(const bo_nn_optim *o, const bo_nn_layout *lo, float wd, float lr,
                      long t, float *p, const float *g, float *m, float *v, char *err,
                      size_t errlen);

/* The three products of a layer (row-major, as mlp.c): form 0 forward
 * Z = H W (n x out), 1 weight gradient G = H^T D (in x out), 2 input
 * gradient E = D W^T (n x in); a and b are the two operands in that order.
 * tf32 non-zero lets cuBLAS use TF32 tensor cores. */
enum { BO_GPU_GEMM_FORWARD = 0, BO_GPU_GEMM_WGRAD = 1, BO_GPU_GEMM_IGRAD = 2 };
int bo_gpu_gemm_host(int form, size_t n, size_t in, size_t out, const float *a,
                     const float *b, float *c, int tf32, char *err, size_t errlen);

/* Benchmarks: seconds per call (median of `reps` timed with CUDA events
 * after warm-up), and the fewest bytes one call must move through device
 * memory and the FLOPs it does. */
typedef struct bo_gpu_timing {
    double s;
    double bytes;
    double flops;
} bo_gpu_timing;

int bo_gpu_bench_copy(size_t bytes, int reps, bo_gpu_timing *t, char *err, size_t errlen);
int bo_gpu_bench_gemm(int form, size_t n, size_t in, size_t out, int tf32, int reps,
                      bo_gpu_timing *t, char *err, size_t errlen);
int bo_gpu_bench_bias_act(int act, size_t n, size_t w, int mask, int reps, bo_gpu_timing *t,
                          char *err, size_t errlen);
int bo_gpu_bench_act_backward(int act, size_t n, size_t w, int mask, int reps,
                              bo_gpu_timing *t, char *err, size_t errlen);
int bo_gpu_bench_softmax_xent(size_t n, size_t c, int reps, bo_gpu_timing *t, char *err,
                              size_t errlen);
int bo_gpu_bench_optim(int kind, size_t n_params, int reps, bo_gpu_timing *t, char *err,
                       size_t errlen);

/* The device's name, multiprocessors and memory, one line, for reports. */
int bo_gpu_describe(char *line, size_t len, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
