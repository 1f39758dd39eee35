/*
 * backend_cuda.cu — the trainer's CUDA backend (backend.h's seam), the one
 * thing libbo_nn_cuda.so exports: bo_nn_cuda_backend().
 *
 * open(): one CUDA context per worker: the device (the first visible one;
 * workers sharing a machine get theirs through CUDA_VISIBLE_DEVICES), a
 * stream, a cuBLAS handle with a fixed workspace, and the whole data set
 * copied to the device as bytes (55 MB), once.
 * run_create(): everything a trial needs in ONE device allocation, carved
 * up (parameters, gradient, optimizer state, activations, masks, the epoch
 * order, counters) plus a small pinned ring for the per-step uploads. No
 * call after it allocates.
 * train_step(): enqueues the step and returns; nothing synchronizes until
 * train_loss(), evaluate() or get_params(). A step is:
 *   gather -> [gemm -> bias+act(+mask)] per hidden layer -> gemm ->
 *   softmax-xent (+ output bias gradient, loss sum) -> per layer, last
 *   first: gemm (weight gradient), gemm (input gradient) -> act backward
 *   (+mask, + bias gradient) -> optimizer (+ weight decay)
 * 5L + 5 launches for L hidden layers (cuBLAS's own aside). The per-step scalars (row offset,
 * learning rate, Adam's corrections) live in device memory, so a full
 * batch's step is captured once as a CUDA graph and replayed: one launch
 * per step instead of 5L + 5, which is what pays for small networks, where
 * the GPU time of a step is a few microseconds per kernel. A short last
 * batch runs the same enqueue directly. BO_NN_CUDA_GRAPH=0 turns graphs
 * off (for comparison).
 *
 * Repeatable: cuBLAS without atomics and with a fixed workspace, our
 * reductions in a fixed order (see the kernel files). TF32 off unless
 * BO_NN_CUDA_TF32=1 (the config has no key for it yet).
 *
 * Errors: every CUDA and cuBLAS status through cudaCheck/cublasCheck: one
 * line with file and line, returned as the seam's error. Never prints,
 * never exits.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda_check.h"
#include "kernels.cuh"

extern "C" {
#include "backend.h"
}

#define EVAL_ROWS 2048                  /* rows per forward pass when evaluating */
#define RING 4                          /* pinned upload slots in flight */
#define WORKSPACE_BYTES (32u << 20)     /* cuBLAS's, fixed, so capture allocates nothing */

typedef struct cuda_ctx {
    const bo_nn_data *data;
    int device;
    cudaStream_t stream;
    cublasHandle_t blas;
    void *workspace;
    uint8_t *pix[3], *lab[3];
    int tf32;
} cuda_ctx;

typedef struct cuda_run {
    cuda_ctx *ctx;
    bo_nn_model model;
    size_t cap;                        /* rows of the activation buffers */
    size_t mask_floats;                /* per step at full batch: batch x layers x width */
    void *block;                       /* the one device allocation */
    float *params, *grad, *m, *v;
    float *x, *h[BO_NN_MAX_LAYERS + 2], *pre[BO_NN_MAX_LAYERS + 2], *delta[2];
    float *masks;
    int32_t *y, *order;
    double *loss_acc, *eval_loss;
    unsigned long long *hits_acc, *eval_hits;
    bo_gpu_step_args *args;
    bo_gpu_decay decay;
    /* Pinned upload ring: slot k holds a step's args and masks until the
     * copies that read them have run (event[k]). */
    char *pinned;
    size_t slot_bytes;
    cudaEvent_t event[RING];
    int events;
    double *host_sums;                 /* pinned: loss, eval loss */
    unsigned long long *host_hits;
    cudaGraphExec_t graph;
    int graphs_on;                     /* 0 after a failed capture or when turned off */
    long t;                            /* optimizer steps since set_params */
    size_t n_order, loss_rows;
} cuda_run;

/* ---- context ---------------------------------------------------------- */

static void cuda_close(void *p)
{
    cuda_ctx *c = (cuda_ctx *)p;
    if (!c)
        return;
    for (int s = 0; s < 3; s++) {
        cudaFree(c->pix[s]);
        cudaFree(c->lab[s]);
    }
    /* the handle first: it may still hold its workspace */
    if (c->blas)
        cublasDestroy(c->blas);
    cudaFree(c->workspace);
    if (c->stream)
        cudaStreamDestroy(c->stream);
    free(c);
}

static int ctx_init(cuda_ctx *c, const bo_nn_data *data, char *err, size_t errlen)
{
    int n = 0;
    cudaError_t e = cudaGetDeviceCount(&n);
    if (e != cudaSuccess || n == 0) {
        cudaGetLastError();
        return bo_gpu_fail(err, errlen, "no CUDA device (cudaGetDeviceCount: %s)",
                           e != cudaSuccess ? cudaGetErrorString(e) : "none found");
    }
    c->data = data;
    cudaCheck(cudaGetDevice(&c->device));
    cudaCheck(cudaSetDevice(c->device));
    if ((e = bo_gpu_kernels_runnable()) != cudaSuccess) {
        cudaGetLastError();
        int major = 0, minor = 0;
        cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, c->device);
        cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, c->device);
        if (major * 10 + minor < 75) /* CUDA 13 builds for 7.5 and up */
            return bo_gpu_fail(err, errlen, "CUDA device %d (compute capability "
                               "%d.%d) is older than this CUDA toolkit builds for "
                               "(7.5)", c->device, major, minor);
        return bo_gpu_fail(err, errlen, "CUDA device %d (compute capability %d.%d) "
                           "cannot run this build's kernels (%s): rebuild with "
                           "-DBO_CUDA_ARCHITECTURES=%d%d-real",
                           c->device, major, minor, cudaGetErrorString(e), major, minor);
    }
    cudaCheck(cudaStreamCreateWithFlags(&c->stream, cudaStreamNonBlocking));
    cublasCheck(cublasCreate(&c->blas));
    cublasCheck(cublasSetStream(c->blas, c->stream));
    cudaCheck(cudaMalloc(&c->workspace, WORKSPACE_BYTES));
    cublasCheck(cublasSetWorkspace(c->blas, c->workspace, WORKSPACE_BYTES));
    cublasCheck(cublasSetAtomicsMode(c->blas, CUBLAS_ATOMICS_NOT_ALLOWED));
    const char *tf = getenv("BO_NN_CUDA_TF32");
    c->tf32 = tf && strcmp(tf, "1") == 0;
    cublasCheck(cublasSetMathMode(c->blas,
                                  c->tf32 ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH));
    for (int s = 0; s < 3; s++) {
        const bo_nn_split *sp = &data->split[s];
        if (sp->n == 0)
            continue;
        cudaCheck(cudaMalloc(&c->pix[s], sp->n * BO_NN_PIXELS));
        cudaCheck(cudaMalloc(&c->lab[s], sp->n));
        cudaCheck(cudaMemcpy(c->pix[s], sp->x, sp->n * BO_NN_PIXELS, cudaMemcpyHostToDevice));
        cudaCheck(cudaMemcpy(c->lab[s], sp->y, sp->n, cudaMemcpyHostToDevice));
    }
    /* A pageable cudaMemcpy may return before the device has the data,
     * and it runs on the legacy stream, which the context's non-blocking
     * stream does not wait for: the first gather must not race it. */
    cudaCheck(cudaDeviceSynchronize());
    return 0;
}

static int cuda_open(const bo_nn_data *data, void **ctx, char *err, size_t errlen)
{
    *ctx = NULL;
    cuda_ctx *c = (cuda_ctx *)calloc(1, sizeof *c);
    if (!c)
        return bo_gpu_fail(err, errlen, "cuda backend: out of memory");
    if (ctx_init(c, data, err, errlen) != 0) {
        cuda_close(c);
        return -1;
    }
    *ctx = c;
    return 0;
}

/* ---- run -------------------------------------------------------------- */

static void cuda_run_destroy(void *p)
{
    cuda_run *r = (cuda_run *)p;
    if (!r)
        return;
    if (r->ctx && r->ctx->stream)
        cudaStreamSynchronize(r->ctx->stream);
    if (r->graph)
        cudaGraphExecDestroy(r->graph);
    for (int k = 0; k < r->events; k++)
        cudaEventDestroy(r->event[k]);
    cudaFreeHost(r->pinned);
    cudaFreeHost(r->host_sums);
    cudaFreeHost(r->host_hits);
    cudaFree(r->block);
    free(r);
}

/* Hands out 256-byte-aligned pieces of the run's block; with base NULL it
 * only counts, so the same code sizes the block and then carves it. */
typedef struct carver {
    char *base;
    size_t used;
} carver;

static void *carve(carver *k, size_t bytes)
{
    size_t at = k->used;
    k->used += (bytes + 255u) & ~(size_t)255u;
    return k->base ? k->base + at : NULL;
}

static void layout_run(cuda_run *r, carver *k)
{
    const bo_nn_layout *lo = &r->model.layout;
    size_t L = lo->layers, width = L ? lo->dims[1] : 0, np = lo->n_params, cap = r->cap;
    int keep_pre = r->model.dropout || lo->act == BO_NN_GELU;
    /* optim.h's bo_nn_optim_n_state, without linking the CPU core. */
    int kind = r->model.optim.kind;
    int n_state = kind == BO_NN_ADAM ? 2 : kind == BO_NN_MOMENTUM ? 1 : 0;
    r->params = (float *)carve(k, np * sizeof(float));
    r->grad = (float *)carve(k, np * sizeof(float));
    r->m = n_state >= 1 ? (float *)carve(k, np * sizeof(float)) : NULL;
    r->v = n_state >= 2 ? (float *)carve(k, np * sizeof(float)) : NULL;
    r->x = r->h[0] = (float *)carve(k, cap * BO_NN_PIXELS * sizeof(float));
    for (size_t l = 1; l <= L; l++) {
        r->h[l] = (float *)carve(k, cap * width * sizeof(float));
        r->pre[l] = keep_pre ? (float *)carve(k, cap * width * sizeof(float)) : NULL;
    }
    r->h[L + 1] = (float *)carve(k, cap * lo->dims[L + 1] * sizeof(float));
    r->delta[0] = (float *)carve(k, cap * width * sizeof(float));
    r->delta[1] = (float *)carve(k, cap * width * sizeof(float));
    r->masks = r->mask_floats ? (float *)carve(k, r->mask_floats * sizeof(float)) : NULL;
    r->y = (int32_t *)carve(k, cap * sizeof(int32_t));
    r->order = (int32_t *)carve(k, (r->model.n_train ? r->model.n_train : 1) * sizeof(int32_t));
    r->loss_acc = (double *)carve(k, sizeof(double));
    r->eval_loss = (double *)carve(k, sizeof(double));
    r->hits_acc = (unsigned long long *)carve(k, sizeof(unsigned long long));
    r->eval_hits = (unsigned long long *)carve(k, sizeof(unsigned long long));
    r->args = (bo_gpu_step_args *)carve(k, sizeof(bo_gpu_step_args));
}

static int run_init(cuda_run *r, char *err, size_t errlen)
{
    const bo_nn_layout *lo = &r->model.layout;
    if (lo->dims[lo->layers + 1] > 32)
        return bo_gpu_fail(err, errlen, "cuda backend: %zu classes, the softmax kernel takes "
                           "at most 32", lo->dims[lo->layers + 1]);
    if (lo->dims[0] != BO_NN_PIXELS)
        return bo_gpu_fail(err, errlen, "cuda backend: %zu inputs, the data has %d",
                           lo->dims[0], BO_NN_PIXELS);
    carver k = {NULL, 0};
    layout_run(r, &k);
    cudaCheck(cudaMalloc(&r->block, k.used));
    /* on the context's stream: set_params' uploads (same stream) then
     * follow it, which a legacy-stream memset would not guarantee */
    cudaCheck(cudaMemsetAsync(r->block, 0, k.used, r->ctx->stream));
    k.base = (char *)r->block;
    k.used = 0;
    layout_run(r, &k);
    bo_gpu_decay_init(&r->decay, lo);
    r->slot_bytes = (sizeof(bo_gpu_step_args) + r->mask_floats * sizeof(float) + 255u) &
                    ~(size_t)255u;
    cudaCheck(cudaMallocHost(&r->pinned, RING * r->slot_bytes));
    cudaCheck(cudaMallocHost(&r->host_sums, 2 * sizeof(double)));
    cudaCheck(cudaMallocHost(&r->host_hits, sizeof(unsigned long long)));
    for (; r->events < RING; r->events++)
        cudaCheck(cudaEventCreateWithFlags(&r->event[r->events], cudaEventDisableTiming));
    const char *g = getenv("BO_NN_CUDA_GRAPH");
    r->graphs_on = !(g && strcmp(g, "0") == 0);
    return 0;
}

static int cuda_run_create(void *ctx, const bo_nn_model *model, void **run, char *err,
                           size_t errlen)
{
    *run = NULL;
    cuda_run *r = (cuda_run *)calloc(1, sizeof *r);
    if (!r)
        return bo_gpu_fail(err, errlen, "cuda backend: out of memory");
    r->ctx = (cuda_ctx *)ctx;
    r->model = *model;
    r->cap = model->batch > EVAL_ROWS ? model->batch : EVAL_ROWS;
    size_t L = model->layout.layers;
    r->mask_floats = model->dropout && L ? model->batch * L * model->layout.dims[1] : 0;
    if (run_init(r, err, errlen) != 0) {
        cuda_run_destroy(r);
        return -1;
    }
    *run = r;
    return 0;
}

static int cuda_set_params(void *run, const float *params, char *err, size_t errlen)
{
    cuda_run *r = (cuda_run *)run;
    size_t bytes = r->model.layout.n_params * sizeof(float);
    cudaStream_t s = r->ctx->stream;
    /* From pageable memory the copy returns once the data is staged, so the
     * caller may reuse params at once; stream order keeps it after the
     * steps already enqueued. */
    cudaCheck(cudaMemcpyAsync(r->params, params, bytes, cudaMemcpyHostToDevice, s));
    if (r->m)
        cudaCheck(cudaMemsetAsync(r->m, 0, bytes, s));
    if (r->v)
        cudaCheck(cudaMemsetAsync(r->v, 0, bytes, s));
    r->t = 0;
    return 0;
}

static int cuda_get_params(void *run, float *params, char *err, size_t errlen)
{
    cuda_run *r = (cuda_run *)run;
    cudaCheck(cudaMemcpyAsync(params, r->params, r->model.layout.n_params * sizeof(float),
                              cudaMemcpyDeviceToHost, r->ctx->stream));
    cudaCheck(cudaStreamSynchronize(r->ctx->stream));
    return 0;
}

static int cuda_epoch_begin(void *run, const int32_t *order, size_t n, char *err,
                            size_t errlen)
{
    cuda_run *r = (cuda_run *)run;
    if (n > r->model.n_train)
        return bo_gpu_fail(err, errlen, "cuda backend: epoch of %zu rows, room for %zu", n,
                           r->model.n_train);
    cudaStream_t s = r->ctx->stream;
    cudaCheck(cudaMemcpyAsync(r->order, order, n * sizeof *order, cudaMemcpyHostToDevice, s));
    cudaCheck(cudaMemsetAsync(r->loss_acc, 0, sizeof(double), s));
    cudaCheck(cudaMemsetAsync(r->hits_acc, 0, sizeof(unsigned long long), s));
    r->n_order = n;
    r->loss_rows = 0;
    return 0;
}

/* Forward pass of n rows already in r->x; masks: device, per hidden layer
 * an n x width block (NULL: none). The logits (without their bias, which
 * the softmax kernel adds) land in h[L + 1]. */
static int enqueue_forward(cuda_run *r, size_t n, const float *masks, char *err,
                           size_t errlen)
{
    const bo_nn_layout *lo = &r->model.layout;
    size_t L = lo->layers;
    cudaStream_t s = r->ctx->stream;
    for (size_t k = 0; k <= L; k++) {
        size_t in = lo->dims[k], out = lo->dims[k + 1];
        const float *W = r->params + lo->w_off[k], *b = r->params + lo->b_off[k];
        if (k == L) {
            cublasCheck(bo_gpu_gemm_forward(r->ctx->blas, n, in, out, r->h[k], W, r->h[k + 1]));
            break;
        }
        const float *mask = masks ? masks + k * n * out : NULL;
        int keep_pre = mask || lo->act == BO_NN_GELU;
        float *dst = keep_pre ? r->pre[k + 1] : r->h[k + 1];
        cublasCheck(bo_gpu_gemm_forward(r->ctx->blas, n, in, out, r->h[k], W, dst));
        cudaCheck(bo_gpu_launch_bias_act(lo->act, b, dst, r->h[k + 1], mask, n, out, keep_pre,
                                         s));
    }
    return 0;
}

/* Everything of a step after the per-step uploads: reads r->args. */
static int enqueue_step(cuda_run *r, size_t n, int with_masks, char *err, size_t errlen)
{
    const bo_nn_layout *lo = &r->model.layout;
    size_t L = lo->layers, C = lo->dims[L + 1];
    cudaStream_t s = r->ctx->stream;
    cublasHandle_t blas = r->ctx->blas;
    const float *masks = with_masks ? r->masks : NULL;
    cudaCheck(bo_gpu_launch_gather(r->ctx->pix[BO_NN_SPLIT_TRAIN], r->ctx->lab[BO_NN_SPLIT_TRAIN],
                                   r->order, r->args, 0, n, r->x, r->y, s));
    if (enqueue_forward(r, n, masks, err, errlen) != 0)
        return -1;
    cudaCheck(bo_gpu_launch_softmax_xent(r->h[L + 1], r->params + lo->b_off[L], r->y, n, C, 1,
                                         r->grad + lo->b_off[L], r->loss_acc, r->hits_acc, s));
    float *d = r->h[L + 1];
    for (size_t k = L + 1; k-- > 0;) {
        size_t in = lo->dims[k], out = lo->dims[k + 1];
        const float *W = r->params + lo->w_off[k];
        cublasCheck(bo_gpu_gemm_wgrad(blas, n, in, out, r->h[k], d, r->grad + lo->w_off[k]));
        if (k == 0)
            break;
        float *dn = r->delta[k & 1];
        cublasCheck(bo_gpu_gemm_igrad(blas, n, in, out, d, W, dn));
        const float *mask = masks ? masks + (k - 1) * n * in : NULL;
        const float *a = mask || lo->act == BO_NN_GELU ? r->pre[k] : r->h[k];
        cudaCheck(bo_gpu_launch_act_backward(lo->act, dn, a, mask, n, in,
                                             r->grad + lo->b_off[k - 1], s));
        d = dn;
    }
    cudaCheck(bo_gpu_launch_optim(&r->model.optim, r->params, r->grad, r->m, r->v,
                                  lo->n_params, r->args, r->model.weight_decay, &r->decay, s));
    return 0;
}

/* Captures one full-batch step as a graph. A failure to capture is not an
 * error of the step: graphs are turned off and the step runs directly. */
static void capture(cuda_run *r, int with_masks)
{
    char ignored[256];
    cudaStream_t s = r->ctx->stream;
    cudaGraph_t g = NULL;
    if (cudaStreamBeginCapture(s, cudaStreamCaptureModeThreadLocal) != cudaSuccess) {
        cudaGetLastError();
        r->graphs_on = 0;
        return;
    }
    int rc = enqueue_step(r, r->model.batch, with_masks, ignored, sizeof ignored);
    cudaError_t e = cudaStreamEndCapture(s, &g);
    if (rc != 0 || e != cudaSuccess || !g ||
        cudaGraphInstantiate(&r->graph, g, 0) != cudaSuccess) {
        cudaGetLastError();
        r->graph = NULL;
        r->graphs_on = 0;
    }
    if (g)
        cudaGraphDestroy(g);
}

static int cuda_train_step(void *run, size_t offset, size_t n, const float *masks, float lr,
                           char *err, size_t errlen)
{
    cuda_run *r = (cuda_run *)run;
    if (n == 0 || n > r->model.batch || offset + n > r->n_order)
        return bo_gpu_fail(err, errlen, "cuda backend: step of rows %zu..%zu outside the "
                           "epoch's %zu (batch %zu)", offset, offset + n, r->n_order,
                           r->model.batch);
    if (r->model.dropout && !masks)
        return bo_gpu_fail(err, errlen, "cuda backend: dropout model stepped without masks");
    cudaStream_t s = r->ctx->stream;
    r->t++;
    /* The slot's previous copies must have read it before it is rewritten;
     * with RING slots this waits only when the host is RING steps ahead. */
    int slot = (int)(r->t % RING);
    cudaCheck(cudaEventSynchronize(r->event[slot]));
    char *p = r->pinned + (size_t)slot * r->slot_bytes;
    bo_gpu_step_args a;
    bo_gpu_step_args_init(&a, &r->model.optim, lr, r->t, offset);
    memcpy(p, &a, sizeof a);
    cudaCheck(cudaMemcpyAsync(r->args, p, sizeof a, cudaMemcpyHostToDevice, s));
    int with_masks = r->model.dropout && r->mask_floats;
    if (with_masks) {
        size_t bytes = n * r->model.layout.layers * r->model.layout.dims[1] * sizeof(float);
        memcpy(p + sizeof a, masks, bytes);
        cudaCheck(cudaMemcpyAsync(r->masks, p + sizeof a, bytes, cudaMemcpyHostToDevice, s));
    }
    cudaCheck(cudaEventRecord(r->event[slot], s));
    r->loss_rows += n;
    /* The first full step runs directly (cuBLAS picks and loads its kernels
     * then); the second is captured; every later one replays. */
    if (n == r->model.batch && r->graphs_on && r->t >= 2 && !r->graph)
        capture(r, with_masks);
    if (n == r->model.batch && r->graph) {
        cudaCheck(cudaGraphLaunch(r->graph, s));
        return 0;
    }
    return enqueue_step(r, n, with_masks, err, errlen);
}

static int cuda_train_loss(void *run, double *loss_sum, size_t *rows, char *err, size_t errlen)
{
    cuda_run *r = (cuda_run *)run;
    cudaStream_t s = r->ctx->stream;
    cudaCheck(cudaMemcpyAsync(r->host_sums, r->loss_acc, sizeof(double), cudaMemcpyDeviceToHost,
                              s));
    cudaCheck(cudaStreamSynchronize(s));
    *loss_sum = r->host_sums[0];
    *rows = r->loss_rows;
    return 0;
}

static int cuda_evaluate(void *run, int split, size_t n, double *loss, double *accuracy,
                         char *err, size_t errlen)
{
    cuda_run *r = (cuda_run *)run;
    cuda_ctx *c = r->ctx;
    if (split < 0 || split > 2 || n == 0 || n > c->data->split[split].n)
        return bo_gpu_fail(err, errlen, "cuda backend: cannot evaluate %zu rows of split %d", n,
                           split);
    const bo_nn_layout *lo = &r->model.layout;
    size_t L = lo->layers;
    cudaStream_t s = c->stream;
    cudaCheck(cudaMemsetAsync(r->eval_loss, 0, sizeof(double), s));
    cudaCheck(cudaMemsetAsync(r->eval_hits, 0, sizeof(unsigned long long), s));
    for (size_t first = 0; first < n; first += r->cap) {
        size_t m = n - first < r->cap ? n - first : r->cap;
        cudaCheck(bo_gpu_launch_gather(c->pix[split], c->lab[split], NULL, NULL, first, m, r->x,
                                       r->y, s));
        if (enqueue_forward(r, m, NULL, err, errlen) != 0)
            return -1;
        cudaCheck(bo_gpu_launch_softmax_xent(r->h[L + 1], r->params + lo->b_off[L], r->y, m,
                                             lo->dims[L + 1], 0, NULL, r->eval_loss,
                                             r->eval_hits, s));
    }
    cudaCheck(cudaMemcpyAsync(r->host_sums + 1, r->eval_loss, sizeof(double),
                              cudaMemcpyDeviceToHost, s));
    cudaCheck(cudaMemcpyAsync(r->host_hits, r->eval_hits, sizeof(unsigned long long),
                              cudaMemcpyDeviceToHost, s));
    cudaCheck(cudaStreamSynchronize(s));
    *loss = r->host_sums[1] / (double)n;
    *accuracy = (double)*r->host_hits / (double)n;
    return 0;
}

static const bo_nn_backend CUDA_BACKEND = {
    BO_NN_BACKEND_VERSION,
    "cuda",
    cuda_open,
    cuda_close,
    cuda_run_create,
    cuda_run_destroy,
    cuda_set_params,
    cuda_get_params,
    cuda_epoch_begin,
    cuda_train_step,
    cuda_train_loss,
    cuda_evaluate,
};

extern "C" __attribute__((visibility("default"))) const bo_nn_backend *bo_nn_cuda_backend(void)
{
    return &CUDA_BACKEND;
}
