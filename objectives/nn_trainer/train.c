/*
 * train.c — the epoch loop of one trial (see train.h).
 *
 * Every buffer (epoch order, dropout masks, weight snapshots, generators,
 * the backend's run) is allocated before the first step; the step loop only
 * draws random numbers and calls the backend. Must never print: lines go
 * through hooks->log.
 */
#include "fail.h"
#include "train.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { STREAM_INIT = 0, STREAM_SHUFFLE = 1, STREAM_DROPOUT = 2 };

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void logf_(const bo_nn_hooks *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void logf_(const bo_nn_hooks *h, const char *fmt, ...)
{
    if (!h || !h->log)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    h->log(h->ctx, line);
}

unsigned long bo_nn_stream_seed(uint64_t seed, unsigned k)
{
    uint64_t z = seed + (uint64_t)(k + 1) * 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return (unsigned long)((z ^ (z >> 32)) & 0xffffffffULL);
}

int bo_nn_model_from_config(const bo_nn_config *cfg, const bo_nn_data *data,
                            bo_nn_model *model, char *err, size_t errlen)
{
    memset(model, 0, sizeof *model);
    if (bo_nn_layout_init(&model->layout, BO_NN_PIXELS, (size_t)cfg->layers,
                          (size_t)cfg->width, BO_NN_CLASSES, cfg->act) != 0)
        return bo_nn_fail(err, errlen, "layers: %ld hidden layers of width %ld is not a network",
                    cfg->layers, cfg->width);
    model->optim = (bo_nn_optim){cfg->optimizer, cfg->momentum, cfg->beta1, cfg->beta2,
                                 cfg->eps};
    model->weight_decay = (float)cfg->weight_decay;
    model->dropout = cfg->dropout > 0 && cfg->layers > 0;
    size_t n_train = data->split[BO_NN_SPLIT_TRAIN].n;
    if (cfg->max_train > 0 && (size_t)cfg->max_train < n_train)
        n_train = (size_t)cfg->max_train;
    model->n_train = n_train;
    model->batch = (size_t)cfg->batch_size < n_train ? (size_t)cfg->batch_size : n_train;
    return 0;
}

/* He-uniform weights for relu/gelu layers (a = sqrt(6 / fan_in)), Glorot-
 * uniform for tanh/sigmoid and for the output layer (a = sqrt(6 / (fan_in +
 * fan_out))); biases zero. */
static void init_params(const bo_nn_layout *lo, float *p, gsl_rng *r)
{
    memset(p, 0, lo->n_params * sizeof *p);
    for (size_t k = 0; k <= lo->layers; k++) {
        double in = (double)lo->dims[k], out = (double)lo->dims[k + 1];
        int he = k < lo->layers && (lo->act == BO_NN_RELU || lo->act == BO_NN_GELU);
        double a = he ? sqrt(6.0 / in) : sqrt(6.0 / (in + out));
        float *w = p + lo->w_off[k];
        for (size_t i = 0; i < lo->dims[k] * lo->dims[k + 1]; i++)
            w[i] = (float)(a * (2.0 * gsl_rng_uniform(r) - 1.0));
    }
}

/* Inverted-dropout masks: each entry kept with probability 1 - p' and then
 * worth 1/(1-p'), where p' is p rounded to 1/65536 (two entries per 32-bit
 * draw). */
static void fill_masks(float *m, size_t count, double p, gsl_rng *r)
{
    uint32_t thr = (uint32_t)lround(p * 65536.0);
    float scale = 65536.0f / (float)(65536u - thr);
    for (size_t i = 0; i < count; i += 2) {
        uint32_t u = (uint32_t)gsl_rng_get(r);
        m[i] = (u & 0xffffu) >= thr ? scale : 0.0f;
        if (i + 1 < count)
            m[i + 1] = (u >> 16) >= thr ? scale : 0.0f;
    }
}

int bo_nn_train(const bo_nn_backend *be, void *be_ctx, const bo_nn_data *data,
                const bo_nn_config *cfg, uint64_t seed, const bo_nn_hooks *hooks,
                bo_nn_result *res, char *err, size_t errlen)
{
    memset(res, 0, sizeof *res);
    res->test_loss = res->test_acc = NAN;
    res->best_val_loss = INFINITY;
    double t_start = now_s();
    bo_nn_model model;
    if (bo_nn_model_from_config(cfg, data, &model, err, errlen) != 0)
        return -1;
    const bo_nn_layout *lo = &model.layout;
    size_t n_train = model.n_train, batch = model.batch;
    size_t n_val = cfg->max_val > 0 ? (size_t)cfg->max_val : data->split[BO_NN_SPLIT_VAL].n;
    size_t steps = (n_train + batch - 1) / batch;
    size_t mask_per_row = model.dropout ? lo->layers * lo->dims[1] : 0;

    int32_t *order = malloc(n_train * sizeof *order);
    float *masks = mask_per_row ? malloc(batch * mask_per_row * sizeof *masks) : NULL;
    float *params = malloc(lo->n_params * sizeof *params);
    gsl_rng *rng[3] = {gsl_rng_alloc(gsl_rng_mt19937), gsl_rng_alloc(gsl_rng_mt19937),
                       gsl_rng_alloc(gsl_rng_mt19937)};
    void *run = NULL;
    int rc = 0;
    if (!order || (mask_per_row && !masks) || !params || !rng[0] || !rng[1] || !rng[2]) {
        rc = bo_nn_fail(err, errlen, "out of memory for a %zu-parameter network", lo->n_params);
        goto done;
    }
    for (unsigned k = 0; k < 3; k++)
        gsl_rng_set(rng[k], bo_nn_stream_seed(seed, k));
    for (size_t i = 0; i < n_train; i++)
        order[i] = (int32_t)i;
    init_params(lo, params, rng[STREAM_INIT]);
    if ((rc = be->run_create(be_ctx, &model, &run, err, errlen)) != 0 ||
        (rc = be->set_params(run, params, err, errlen)) != 0)
        goto done;

    long since_best = 0;
    double flops = bo_nn_layout_train_flops(lo), rows_done = 0.0;
    for (long e = 0; e < cfg->epochs; e++) {
        double t0 = now_s();
        gsl_ran_shuffle(rng[STREAM_SHUFFLE], order, n_train, sizeof *order);
        if ((rc = be->epoch_begin(run, order, n_train, err, errlen)) != 0)
            goto done;
        for (size_t s = 0; s < steps; s++) {
            size_t off = s * batch, n = n_train - off < batch ? n_train - off : batch;
            if (masks)
                fill_masks(masks, n * mask_per_row, cfg->dropout, rng[STREAM_DROPOUT]);
            double lr = bo_nn_lr_at(cfg->schedule, cfg->lr, e * (long)steps + (long)s,
                                    cfg->epochs * (long)steps, e, cfg->step_epochs,
                                    cfg->step_gamma);
            if ((rc = be->train_step(run, off, n, masks, (float)lr, err, errlen)) != 0)
                goto done;
        }
        double loss_sum;
        size_t rows;
        if ((rc = be->train_loss(run, &loss_sum, &rows, err, errlen)) != 0)
            goto done;
        res->train_s += now_s() - t0;
        rows_done += (double)rows;
        res->train_loss = rows ? loss_sum / (double)rows : NAN;
        double vl, va;
        if ((rc = be->evaluate(run, BO_NN_SPLIT_VAL, n_val, &vl, &va, err, errlen)) != 0)
            goto done;
        res->epochs_run = e + 1;
        res->last_val_loss = vl;
        res->last_val_acc = va;
        logf_(hooks, "epoch %ld: train_loss %.6f val_loss %.6f val_accuracy %.4f (%.1f s)",
              e + 1, res->train_loss, vl, va, now_s() - t0);
        if (!isfinite(res->train_loss) || !isfinite(vl)) {
            res->diverged = 1;
            break;
        }
        if (vl < res->best_val_loss) {
            res->best_val_loss = vl;
            res->best_val_acc = va;
            res->best_epoch = e + 1;
            since_best = 0;
            if (cfg->test && (rc = be->get_params(run, params, err, errlen)) != 0)
                goto done;
        } else {
            since_best++;
        }
        if (hooks && hooks->report && hooks->report(hooks->ctx, e + 1, vl)) {
            res->stopped = 1;
            break;
        }
        if (cfg->patience > 0 && since_best >= cfg->patience && e + 1 < cfg->epochs) {
            res->early_stopped = 1;
            logf_(hooks, "early stop: no better validation loss for %ld epochs", since_best);
            break;
        }
    }
    if (cfg->test && !res->diverged && res->best_epoch > 0) {
        if ((rc = be->set_params(run, params, err, errlen)) != 0 ||
            (rc = be->evaluate(run, BO_NN_SPLIT_TEST, data->split[BO_NN_SPLIT_TEST].n,
                               &res->test_loss, &res->test_acc, err, errlen)) != 0)
            goto done;
    }
    res->samples_per_s = res->train_s > 0 ? rows_done / res->train_s : 0.0;
    res->gflops = res->train_s > 0 ? flops * rows_done / res->train_s * 1e-9 : 0.0;
done:
    if (run)
        be->run_destroy(run);
    for (int k = 0; k < 3; k++)
        if (rng[k])
            gsl_rng_free(rng[k]);
    free(order);
    free(masks);
    free(params);
    res->total_s = now_s() - t_start;
    return rc;
}
