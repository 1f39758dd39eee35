/*
 * gemm.cu — the three products of a layer, mlp.c's row-major cblas_sgemm
 * calls mapped onto cuBLAS, which is column-major.
 *
 * The mapping: a row-major r x c matrix with leading dimension c is, byte
 * for byte, the column-major c x r matrix (its transpose) with the same
 * leading dimension. So a row-major product C = A B is computed as the
 * column-major C^T = B^T A^T: swap the operands, keep the flags, and give
 * cuBLAS the shapes transposed (m = columns of C, n = rows of C). No data
 * is ever transposed or copied:
 *   forward   Z (n x out) = H (n x in) W (in x out)
 *             -> Z^T = W^T H^T:  sgemm(N, N, m=out, n=n,  k=in,  W,ld=out, H,ld=in,  Z,ld=out)
 *   wgrad     G (in x out) = H^T (in x n) D (n x out)
 *             -> G^T = D^T H:    sgemm(N, T, m=out, n=in, k=n,   D,ld=out, H,ld=in,  G,ld=out)
 *   igrad     E (n x in) = D (n x out) W^T (out x in)
 *             -> E^T = W D^T:    sgemm(T, N, m=in,  n=n,  k=out, W,ld=out, D,ld=out, E,ld=in)
 * (the column-major view of H is H^T with ld = in, so "H" in wgrad is the
 * transpose flag on it; likewise W in igrad).
 *
 * TF32 is off unless asked for (the handle's math mode, set by the
 * caller): float32 products then match the CPU path to float rounding.
 *
 * Holds: the wrappers, the host wrapper for the test (the reference is
 * OpenBLAS's cblas_sgemm, the CPU path's own call, in the test), and the
 * benchmark. Never prints.
 */
#include <string.h>

#include "cuda_check.h"
#include "gpu.h"
#include "kernels.cuh"

static const float ONE = 1.0f, ZERO = 0.0f;

cublasStatus_t bo_gpu_gemm_forward(cublasHandle_t h, size_t n, size_t in, size_t out,
                                   const float *H, const float *W, float *Z)
{
    return cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, (int)out, (int)n, (int)in, &ONE, W,
                       (int)out, H, (int)in, &ZERO, Z, (int)out);
}

cublasStatus_t bo_gpu_gemm_wgrad(cublasHandle_t h, size_t n, size_t in, size_t out,
                                 const float *H, const float *D, float *G)
{
    return cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_T, (int)out, (int)in, (int)n, &ONE, D,
                       (int)out, H, (int)in, &ZERO, G, (int)out);
}

cublasStatus_t bo_gpu_gemm_igrad(cublasHandle_t h, size_t n, size_t in, size_t out,
                                 const float *D, const float *W, float *E)
{
    return cublasSgemm(h, CUBLAS_OP_T, CUBLAS_OP_N, (int)in, (int)n, (int)out, &ONE, W,
                       (int)out, D, (int)out, &ZERO, E, (int)in);
}

/* Sizes of the operands and result of each form, as rows x cols. */
static void shapes(int form, size_t n, size_t in, size_t out, size_t *a, size_t *b, size_t *c)
{
    switch (form) {
    case BO_GPU_GEMM_FORWARD:
        *a = n * in, *b = in * out, *c = n * out;
        break;
    case BO_GPU_GEMM_WGRAD:
        *a = n * in, *b = n * out, *c = in * out;
        break;
    default:
        *a = n * out, *b = in * out, *c = n * in;
        break;
    }
}

static cublasStatus_t run_form(cublasHandle_t h, int form, size_t n, size_t in, size_t out,
                               const float *a, const float *b, float *c)
{
    switch (form) {
    case BO_GPU_GEMM_FORWARD:
        return bo_gpu_gemm_forward(h, n, in, out, a, b, c);
    case BO_GPU_GEMM_WGRAD:
        return bo_gpu_gemm_wgrad(h, n, in, out, a, b, c);
    default:
        return bo_gpu_gemm_igrad(h, n, in, out, a, b, c);
    }
}

extern "C" int bo_gpu_gemm_host(int form, size_t n, size_t in, size_t out, const float *a,
                                const float *b, float *c, int tf32, char *err, size_t errlen)
{
    int rc = 0;
    size_t na, nb, nc;
    float *d_a = NULL, *d_b = NULL, *d_c = NULL;
    cublasHandle_t h = NULL;
    shapes(form, n, in, out, &na, &nb, &nc);
    cublasTry(cublasCreate(&h));
    cublasTry(cublasSetMathMode(h, tf32 ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH));
    cudaTry(cudaMalloc(&d_a, na * sizeof(float)));
    cudaTry(cudaMalloc(&d_b, nb * sizeof(float)));
    cudaTry(cudaMalloc(&d_c, nc * sizeof(float)));
    cudaTry(cudaMemcpy(d_a, a, na * sizeof(float), cudaMemcpyHostToDevice));
    cudaTry(cudaMemcpy(d_b, b, nb * sizeof(float), cudaMemcpyHostToDevice));
    cublasTry(run_form(h, form, n, in, out, d_a, d_b, d_c));
    cudaTry(cudaMemcpy(c, d_c, nc * sizeof(float), cudaMemcpyDeviceToHost));
done:
    if (h)
        cublasDestroy(h);
    cudaFree(d_a);
    cudaFree(d_b);
    cudaFree(d_c);
    return rc;
}

typedef struct bench_ctx {
    cublasHandle_t h;
    int form;
    size_t n, in, out;
    float *a, *b, *c;
} bench_ctx;

static int bench_once(void *ctx, char *err, size_t errlen)
{
    bench_ctx *k = (bench_ctx *)ctx;
    cublasCheck(run_form(k->h, k->form, k->n, k->in, k->out, k->a, k->b, k->c));
    return 0;
}

extern "C" int bo_gpu_bench_gemm(int form, size_t n, size_t in, size_t out, int tf32, int reps,
                                 bo_gpu_timing *t, char *err, size_t errlen)
{
    int rc = 0;
    size_t na, nb, nc;
    bench_ctx k;
    memset(&k, 0, sizeof k);
    k.form = form;
    k.n = n;
    k.in = in;
    k.out = out;
    shapes(form, n, in, out, &na, &nb, &nc);
    cublasTry(cublasCreate(&k.h));
    cublasTry(cublasSetMathMode(k.h, tf32 ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH));
    cudaTry(cudaMalloc(&k.a, na * sizeof(float)));
    cudaTry(cudaMalloc(&k.b, nb * sizeof(float)));
    cudaTry(cudaMalloc(&k.c, nc * sizeof(float)));
    cudaTry(bo_gpu_launch_fill(k.a, na, -1.0f, 1.0f, 14u, 0));
    cudaTry(bo_gpu_launch_fill(k.b, nb, -1.0f, 1.0f, 15u, 0));
    if ((rc = bo_gpu_time(bench_once, &k, reps, &t->s, err, errlen)) != 0)
        goto done;
    t->bytes = (double)(na + nb + nc) * sizeof(float);
    t->flops = 2.0 * (double)n * (double)in * (double)out;
done:
    if (k.h)
        cublasDestroy(k.h);
    cudaFree(k.a);
    cudaFree(k.b);
    cudaFree(k.c);
    return rc;
}
