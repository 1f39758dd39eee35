/*
 * k_optim.cu — the parameter update of one step over the flat vector, with
 * L2 weight decay folded in: g + wd x p on the weights (not the biases), as
 * mlp.c's backward adds it before optim.c's update; then SGD, momentum or
 * Adam with optim.c's formulas (torch.optim's). Adam's bias corrections are
 * scalars of the step, computed on the host in double as optim.c does and
 * read from device memory (bo_gpu_step_args) so a captured graph replays.
 *
 * Holds: the kernel, its launcher, the host wrapper the test compares with
 * the CPU path itself (bo_nn_optim_step after the decay: the reference is
 * the existing code, not a copy), and the benchmark (memory-bound: p, g,
 * m, v read and p, m, v written for Adam). Never prints.
 */
#include <math.h>
#include <string.h>

#include "cuda_check.h"
#include "gpu.h"
#include "kernels.cuh"

void bo_gpu_decay_init(bo_gpu_decay *d, const bo_nn_layout *lo)
{
    memset(d, 0, sizeof *d);
    d->blocks = (int)lo->layers + 1;
    for (size_t k = 0; k <= lo->layers; k++) {
        d->w_off[k] = lo->w_off[k];
        d->b_off[k] = lo->b_off[k];
    }
}

void bo_gpu_step_args_init(bo_gpu_step_args *a, const bo_nn_optim *o, float lr, long t,
                           size_t offset)
{
    memset(a, 0, sizeof *a);
    a->offset = (int64_t)offset;
    a->lr = lr;
    if (o->kind == BO_NN_ADAM) {
        a->adam_step = (float)((double)lr / (1.0 - pow(o->beta1, (double)t)));
        a->adam_vscale = (float)(1.0 / (1.0 - pow(o->beta2, (double)t)));
    }
}

/* Weights and biases alternate: W_0 b_0 W_1 b_1 ...; i is a weight when it
 * lies in some [w_off[k], b_off[k]). */
__device__ static inline bool is_weight(const bo_gpu_decay &d, size_t i)
{
    for (int k = 0; k < d.blocks; k++)
        if (i < d.b_off[k])
            return i >= d.w_off[k];
    return false;
}

__global__ static void optim_kernel(int kind, float *p, const float *g, float *m, float *v,
                                    size_t n, const bo_gpu_step_args *args, float mu, float b1,
                                    float b2, float eps, float c1, float c2, float wd,
                                    bo_gpu_decay dec)
{
    float lr = args->lr, step = args->adam_step, vscale = args->adam_vscale;
    for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n;
         i += (size_t)gridDim.x * blockDim.x) {
        float gi = g[i];
        if (wd != 0.0f && is_weight(dec, i))
            gi += wd * p[i];
        switch (kind) {
        case BO_NN_SGD:
            p[i] -= lr * gi;
            break;
        case BO_NN_MOMENTUM: {
            float mi = mu * m[i] + gi;
            m[i] = mi;
            p[i] -= lr * mi;
            break;
        }
        default: { /* BO_NN_ADAM */
            float mi = b1 * m[i] + c1 * gi;
            float vi = b2 * v[i] + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] -= step * mi / (sqrtf(vi * vscale) + eps);
            break;
        }
        }
    }
}

cudaError_t bo_gpu_launch_optim(const bo_nn_optim *o, float *p, const float *g, float *m,
                                float *v, size_t n, const bo_gpu_step_args *args, float wd,
                                const bo_gpu_decay *dec, cudaStream_t s)
{
    /* As optim.c: the decay rates rounded from double once. */
    float b1 = (float)o->beta1, b2 = (float)o->beta2, eps = (float)o->eps;
    float c1 = (float)(1.0 - o->beta1), c2 = (float)(1.0 - o->beta2);
    unsigned blocks = bo_gpu_blocks(n, 256);
    if (blocks > 132u * 16u) /* a few waves over an H100's 132 SMs; the loop strides */
        blocks = 132u * 16u;
    optim_kernel<<<blocks, 256, 0, s>>>(o->kind, p, g, m, v, n, args, (float)o->momentum, b1,
                                        b2, eps, c1, c2, wd, *dec);
    return cudaGetLastError();
}

extern "C" int bo_gpu_optim_host(const bo_nn_optim *o, const bo_nn_layout *lo, float wd,
                                 float lr, long t, float *p, const float *g, float *m,
                                 float *v, char *err, size_t errlen)
{
    int rc = 0;
    size_t n = lo->n_params, bytes = n * sizeof(float);
    float *d_p = NULL, *d_g = NULL, *d_m = NULL, *d_v = NULL;
    bo_gpu_step_args a, *d_a = NULL;
    bo_gpu_decay dec;
    bo_gpu_step_args_init(&a, o, lr, t, 0);
    bo_gpu_decay_init(&dec, lo);
    cudaTry(cudaMalloc(&d_p, bytes));
    cudaTry(cudaMalloc(&d_g, bytes));
    cudaTry(cudaMalloc(&d_m, bytes));
    cudaTry(cudaMalloc(&d_v, bytes));
    cudaTry(cudaMalloc(&d_a, sizeof a));
    cudaTry(cudaMemcpy(d_a, &a, sizeof a, cudaMemcpyHostToDevice));
    cudaTry(cudaMemcpy(d_p, p, bytes, cudaMemcpyHostToDevice));
    cudaTry(cudaMemcpy(d_g, g, bytes, cudaMemcpyHostToDevice));
    if (m)
        cudaTry(cudaMemcpy(d_m, m, bytes, cudaMemcpyHostToDevice));
    if (v)
        cudaTry(cudaMemcpy(d_v, v, bytes, cudaMemcpyHostToDevice));
    cudaTry(bo_gpu_launch_optim(o, d_p, d_g, d_m, d_v, n, d_a, wd, &dec, 0));
    cudaTry(cudaMemcpy(p, d_p, bytes, cudaMemcpyDeviceToHost));
    if (m)
        cudaTry(cudaMemcpy(m, d_m, bytes, cudaMemcpyDeviceToHost));
    if (v)
        cudaTry(cudaMemcpy(v, d_v, bytes, cudaMemcpyDeviceToHost));
done:
    cudaFree(d_p);
    cudaFree(d_g);
    cudaFree(d_m);
    cudaFree(d_v);
    cudaFree(d_a);
    return rc;
}

typedef struct bench_ctx {
    bo_nn_optim o;
    float *p, *g, *m, *v;
    bo_gpu_step_args *args;
    bo_gpu_decay dec;
    size_t n;
} bench_ctx;

static int bench_once(void *ctx, char *err, size_t errlen)
{
    bench_ctx *c = (bench_ctx *)ctx;
    cudaCheck(bo_gpu_launch_optim(&c->o, c->p, c->g, c->m, c->v, c->n, c->args, 1e-4f, &c->dec,
                                  0));
    return 0;
}

extern "C" int bo_gpu_bench_optim(int kind, size_t n_params, int reps, bo_gpu_timing *t,
                                  char *err, size_t errlen)
{
    int rc = 0;
    size_t bytes = n_params * sizeof(float);
    bench_ctx c;
    bo_gpu_step_args a;
    memset(&c, 0, sizeof c);
    c.o.kind = kind;
    c.o.momentum = 0.9;
    c.o.beta1 = 0.9;
    c.o.beta2 = 0.999;
    c.o.eps = 1e-8;
    c.n = n_params;
    /* One weight block and one bias block: the decay test runs as in training. */
    c.dec.blocks = 1;
    c.dec.w_off[0] = 0;
    c.dec.b_off[0] = n_params - n_params / 100;
    bo_gpu_step_args_init(&a, &c.o, 1e-3f, 10, 0);
    cudaTry(cudaMalloc(&c.p, bytes));
    cudaTry(cudaMalloc(&c.g, bytes));
    cudaTry(cudaMalloc(&c.m, bytes));
    cudaTry(cudaMalloc(&c.v, bytes));
    cudaTry(cudaMalloc(&c.args, sizeof a));
    cudaTry(cudaMemcpy(c.args, &a, sizeof a, cudaMemcpyHostToDevice));
    cudaTry(bo_gpu_launch_fill(c.p, n_params, -0.1f, 0.1f, 10u, 0));
    cudaTry(bo_gpu_launch_fill(c.g, n_params, -1e-3f, 1e-3f, 11u, 0));
    cudaTry(bo_gpu_launch_fill(c.m, n_params, -1e-3f, 1e-3f, 12u, 0));
    cudaTry(bo_gpu_launch_fill(c.v, n_params, 1e-8f, 1e-6f, 13u, 0));
    if ((rc = bo_gpu_time(bench_once, &c, reps, &t->s, err, errlen)) != 0)
        goto done;
    {
        double vecs_read = kind == BO_NN_ADAM ? 4 : kind == BO_NN_MOMENTUM ? 3 : 2;
        double vecs_written = kind == BO_NN_ADAM ? 3 : kind == BO_NN_MOMENTUM ? 2 : 1;
        t->bytes = (double)bytes * (vecs_read + vecs_written);
        t->flops = (double)n_params * (kind == BO_NN_ADAM ? 12 : kind == BO_NN_MOMENTUM ? 4 : 2);
    }
done:
    cudaFree(c.p);
    cudaFree(c.g);
    cudaFree(c.m);
    cudaFree(c.v);
    cudaFree(c.args);
    return rc;
}
