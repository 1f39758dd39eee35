/*
 * backend_cpu.c — the CPU backend: mlp.c's passes and optim.c's updates on
 * host memory, OpenBLAS doing the products with however many threads the
 * process was given.
 *
 * A step gathers its rows from the byte images into the workspace's
 * contiguous float batch (scaling to [0,1] on the way), so the products read
 * one dense block. run_create allocates everything; the step allocates
 * nothing. Must never print.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "backend.h"

/* Rows per forward pass when evaluating (also the workspace's least size). */
#define EVAL_ROWS 256

typedef struct cpu_ctx {
    const bo_nn_data *data;
} cpu_ctx;

typedef struct cpu_run {
    const bo_nn_data *data;
    bo_nn_model model;
    bo_nn_ws ws;
    float *params, *grad, *m, *v;  /* one block; m, v as the optimizer needs */
    int32_t *order;
    size_t n_order;
    long t;
    double loss_sum;
    size_t loss_rows;
} cpu_run;

static int cpu_open(const bo_nn_data *data, void **ctx, char *err, size_t errlen)
{
    cpu_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return bo_nn_fail(err, errlen, "cpu backend: out of memory");
    c->data = data;
    *ctx = c;
    return 0;
}

static void cpu_close(void *ctx)
{
    free(ctx);
}

static void cpu_run_destroy(void *run)
{
    cpu_run *r = run;
    if (!r)
        return;
    bo_nn_ws_free(&r->ws);
    free(r->params);
    free(r->order);
    free(r);
}

static int cpu_run_create(void *ctx, const bo_nn_model *model, void **run, char *err,
                          size_t errlen)
{
    cpu_ctx *c = ctx;
    cpu_run *r = calloc(1, sizeof *r);
    if (!r)
        return bo_nn_fail(err, errlen, "cpu backend: out of memory");
    r->data = c->data;
    r->model = *model;
    size_t np = model->layout.n_params;
    size_t n_vec = 2 + (size_t)bo_nn_optim_n_state(&model->optim);
    size_t cap = model->batch > EVAL_ROWS ? model->batch : EVAL_ROWS;
    r->params = calloc(n_vec * np, sizeof(float));
    r->order = malloc((model->n_train ? model->n_train : 1) * sizeof *r->order);
    if (!r->params || !r->order ||
        bo_nn_ws_alloc(&r->ws, &model->layout, cap, model->dropout) != 0) {
        cpu_run_destroy(r);
        return bo_nn_fail(err, errlen, "cpu backend: out of memory for a %zu-parameter network "
                    "with batch %zu", np, model->batch);
    }
    r->grad = r->params + np;
    r->m = n_vec > 2 ? r->params + 2 * np : NULL;
    r->v = n_vec > 3 ? r->params + 3 * np : NULL;
    *run = r;
    return 0;
}

static int cpu_set_params(void *run, const float *params, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    cpu_run *r = run;
    size_t np = r->model.layout.n_params;
    memcpy(r->params, params, np * sizeof(float));
    if (r->m)
        memset(r->m, 0, np * sizeof(float));
    if (r->v)
        memset(r->v, 0, np * sizeof(float));
    r->t = 0;
    return 0;
}

static int cpu_get_params(void *run, float *params, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    cpu_run *r = run;
    memcpy(params, r->params, r->model.layout.n_params * sizeof(float));
    return 0;
}

static int cpu_epoch_begin(void *run, const int32_t *order, size_t n, char *err,
                           size_t errlen)
{
    cpu_run *r = run;
    if (n > r->model.n_train)
        return bo_nn_fail(err, errlen, "cpu backend: epoch of %zu rows, room for %zu", n,
                    r->model.n_train);
    memcpy(r->order, order, n * sizeof *order);
    r->n_order = n;
    r->loss_sum = 0.0;
    r->loss_rows = 0;
    return 0;
}

/* Copies rows idx[0..n) (or first..first+n when idx is NULL) of a split into
 * the workspace's float batch and labels. */
static void gather(bo_nn_ws *ws, const bo_nn_split *s, const int32_t *idx, size_t first,
                   size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t row = idx ? (size_t)idx[i] : first + i;
        const uint8_t *src = s->x + row * BO_NN_PIXELS;
        float *dst = ws->x + i * BO_NN_PIXELS;
        for (size_t j = 0; j < BO_NN_PIXELS; j++)
            dst[j] = (float)src[j] * BO_NN_PIXEL_SCALE;
        ws->y[i] = s->y[row];
    }
}

static int cpu_train_step(void *run, size_t offset, size_t n, const float *masks, float lr,
                          char *err, size_t errlen)
{
    cpu_run *r = run;
    if (n == 0 || n > r->model.batch || offset + n > r->n_order)
        return bo_nn_fail(err, errlen, "cpu backend: step of rows %zu..%zu outside the epoch's %zu "
                    "(batch %zu)", offset, offset + n, r->n_order, r->model.batch);
    if (r->model.dropout && !masks)
        return bo_nn_fail(err, errlen, "cpu backend: dropout model stepped without masks");
    const bo_nn_layout *lo = &r->model.layout;
    gather(&r->ws, &r->data->split[BO_NN_SPLIT_TRAIN], r->order + offset, 0, n);
    bo_nn_forward(lo, r->params, &r->ws, n, masks);
    r->loss_sum += bo_nn_softmax_xent(lo, &r->ws, n, NULL, 1);
    r->loss_rows += n;
    bo_nn_backward(lo, r->params, &r->ws, n, masks, r->model.weight_decay, r->grad);
    r->t++;
    bo_nn_optim_step(&r->model.optim, r->params, r->grad, r->m, r->v, lo->n_params, lr, r->t);
    return 0;
}

static int cpu_train_loss(void *run, double *loss_sum, size_t *rows, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    cpu_run *r = run;
    *loss_sum = r->loss_sum;
    *rows = r->loss_rows;
    return 0;
}

static int cpu_evaluate(void *run, int split, size_t n, double *loss, double *accuracy,
                        char *err, size_t errlen)
{
    cpu_run *r = run;
    if (split < 0 || split > 2 || n == 0 || n > r->data->split[split].n)
        return bo_nn_fail(err, errlen, "cpu backend: cannot evaluate %zu rows of split %d", n, split);
    const bo_nn_split *s = &r->data->split[split];
    double sum = 0.0;
    size_t hits = 0;
    for (size_t first = 0; first < n; first += r->ws.cap) {
        size_t m = n - first < r->ws.cap ? n - first : r->ws.cap;
        gather(&r->ws, s, NULL, first, m);
        bo_nn_forward(&r->model.layout, r->params, &r->ws, m, NULL);
        sum += bo_nn_softmax_xent(&r->model.layout, &r->ws, m, &hits, 0);
    }
    *loss = sum / (double)n;
    *accuracy = (double)hits / (double)n;
    return 0;
}

const bo_nn_backend bo_nn_backend_cpu = {
    .version = BO_NN_BACKEND_VERSION,
    .name = "cpu",
    .open = cpu_open,
    .close = cpu_close,
    .run_create = cpu_run_create,
    .run_destroy = cpu_run_destroy,
    .set_params = cpu_set_params,
    .get_params = cpu_get_params,
    .epoch_begin = cpu_epoch_begin,
    .train_step = cpu_train_step,
    .train_loss = cpu_train_loss,
    .evaluate = cpu_evaluate,
};
