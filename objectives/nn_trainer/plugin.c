/*
 * plugin.c — nn_trainer's side of the plugin ABI (include/bo/objective.h):
 * the descriptor and default search space, create() (config, OpenBLAS
 * threads, the data set loaded once, the device opened once), evaluate()
 * (one trial: config + assignment -> bo_nn_train -> outcome) and destroy().
 *
 * The outcome's loss is the BEST validation cross-entropy over the epochs
 * run (with patience, the epoch training stopped improving at), or, for a
 * trial stopped by the host, the last one reported (the ABI's rule).
 * cost_s is the trial's training wall-clock, validation included.
 *
 * Must never print, exit or link libbo; evaluate() depends only on the
 * config, the assignment and host->seed.
 */
#include <bo/objective.h>
#include <cblas.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend_select.h"
#include "config.h"
#include "data.h"
#include "train.h"

typedef struct nn_instance {
    bo_nn_config base;
    bo_nn_data data;
    bo_nn_device dev;
    char device_note[600];
} nn_instance;

static const char *const ACT_CHOICES[] = {"relu", "tanh", "sigmoid", "gelu"};
static const char *const OPT_CHOICES[] = {"adam", "momentum", "sgd"};
static const char *const SCHED_CHOICES[] = {"constant", "cosine"};

/* What a user would tune first; the rest (epochs, betas, ...) stay in the
 * config. Batch size on a log scale: 32 and 512 are equally plausible. */
static const bo_param_spec SPACE[] = {
    {.name = "lr", .type = BO_PARAM_FLOAT, .log = 1, .low = 1e-4, .high = 0.3},
    {.name = "layers", .type = BO_PARAM_INT, .low = 1, .high = 4},
    {.name = "width", .type = BO_PARAM_INT, .log = 1, .low = 32, .high = 1024},
    {.name = "act", .type = BO_PARAM_CATEGORICAL, .choices = ACT_CHOICES, .n_choices = 4},
    {.name = "dropout", .type = BO_PARAM_FLOAT, .low = 0.0, .high = 0.5},
    {.name = "weight_decay", .type = BO_PARAM_FLOAT, .log = 1, .low = 1e-6, .high = 1e-2},
    {.name = "optimizer", .type = BO_PARAM_CATEGORICAL, .choices = OPT_CHOICES,
     .n_choices = 3},
    {.name = "batch_size", .type = BO_PARAM_INT, .log = 1, .low = 32, .high = 512},
    {.name = "schedule", .type = BO_PARAM_CATEGORICAL, .choices = SCHED_CHOICES,
     .n_choices = 2},
};

static void put(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void put(char *buf, size_t len, const char *fmt, ...)
{
    if (buf && len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, len, fmt, ap);
        va_end(ap);
    }
}

static void nn_destroy(void *instance)
{
    nn_instance *in = instance;
    if (!in)
        return;
    bo_nn_device_close(&in->dev);
    bo_nn_data_free(&in->data);
    free(in);
}

static int nn_create(const char *config_json, void **instance, char *err, size_t errlen)
{
    *instance = NULL;
    /* GSL's default handler aborts the process; a plugin must not. */
    gsl_set_error_handler_off();
    nn_instance *in = calloc(1, sizeof *in);
    if (!in) {
        put(err, errlen, "nn_trainer: out of memory");
        return -1;
    }
    char msg[1024];
    bo_nn_config_default(&in->base);
    if (bo_nn_config_parse(&in->base, config_json, msg, sizeof msg) != 0 ||
        bo_nn_config_check(&in->base, msg, sizeof msg) != 0 ||
        bo_nn_data_load(in->base.data_dir, &in->data, msg, sizeof msg) != 0 ||
        bo_nn_device_open(in->base.device, &in->data, &in->dev, in->device_note,
                          sizeof in->device_note, msg, sizeof msg) != 0) {
        put(err, errlen, "nn_trainer: %s", msg);
        nn_destroy(in);
        return -1;
    }
    if (in->base.threads > 0)
        openblas_set_num_threads((int)in->base.threads);
    *instance = in;
    return 0;
}

typedef struct host_bridge {
    const bo_host *host;
} host_bridge;

static void bridge_log(void *ctx, const char *line)
{
    const bo_host *h = ((host_bridge *)ctx)->host;
    if (h && h->log)
        h->log(h->ctx, line);
}

static int bridge_report(void *ctx, int64_t epoch, double val_loss)
{
    const bo_host *h = ((host_bridge *)ctx)->host;
    return h && h->report ? h->report(h->ctx, epoch, val_loss) : 0;
}

static void metric(bo_outcome *out, const char *name, double value)
{
    if (out->n_metrics >= BO_METRICS_MAX)
        return;
    bo_metric *m = &out->metrics[out->n_metrics++];
    snprintf(m->name, sizeof m->name, "%s", name);
    m->value = value;
}

/* The instance's config with the assignment's settings over it, checked:
 * 0, or non-zero with the reason in err. */
static int config_for(const nn_instance *in, const bo_value *assignment,
                      size_t n_assignment, bo_nn_config *cfg, char *err,
                      size_t errlen)
{
    *cfg = in->base;
    for (size_t i = 0; i < n_assignment; i++) {
        const bo_value *v = &assignment[i];
        if (bo_nn_config_set(cfg, v->name, v->type, v->d, v->i, v->s, 1, err,
                             errlen) != 0)
            return 1;
    }
    return bo_nn_config_check(cfg, err, errlen) != 0;
}

static int nn_check(void *instance, const bo_value *assignment,
                    size_t n_assignment, char *err, size_t errlen)
{
    bo_nn_config cfg;
    return config_for(instance, assignment, n_assignment, &cfg, err, errlen);
}

static int nn_evaluate(void *instance, const bo_value *assignment, size_t n_assignment,
                       const bo_host *host, bo_outcome *out)
{
    nn_instance *in = instance;
    bo_nn_config cfg;
    char msg[BO_MESSAGE_MAX];
    out->status = BO_STATUS_FAILED;
    if (config_for(in, assignment, n_assignment, &cfg, msg, sizeof msg) != 0) {
        put(out->message, sizeof out->message, "%s", msg);
        return 0;
    }
    host_bridge bridge = {host};
    bo_nn_hooks hooks = {&bridge, bridge_log, bridge_report};
    bridge_log(&bridge, in->device_note);
    bo_nn_result r;
    if (bo_nn_train(in->dev.backend, in->dev.ctx, &in->data, &cfg, host ? host->seed : 0,
                    &hooks, &r, msg, sizeof msg) != 0) {
        put(out->message, sizeof out->message, "%s", msg);
        return 0;
    }
    out->cost_s = r.total_s;
    metric(out, "val_accuracy", r.stopped ? r.last_val_acc : r.best_val_acc);
    metric(out, "train_loss", r.train_loss);
    metric(out, "epochs_run", (double)r.epochs_run);
    metric(out, "best_epoch", (double)r.best_epoch);
    metric(out, "final_val_loss", r.last_val_loss);
    metric(out, "samples_per_s", r.samples_per_s);
    metric(out, "gflops", r.gflops);
    metric(out, "train_s", r.train_s);
    metric(out, "device_cuda", strcmp(in->dev.backend->name, "cuda") == 0 ? 1.0 : 0.0);
    metric(out, "early_stopped", r.early_stopped ? 1.0 : 0.0);
    if (cfg.test) {
        metric(out, "test_loss", r.test_loss);
        metric(out, "test_accuracy", r.test_acc);
    }
    if (r.diverged) {
        put(out->message, sizeof out->message,
            "training diverged: loss is not finite after epoch %ld (lr %g, optimizer %s)",
            r.epochs_run, cfg.lr, bo_nn_opt_name(cfg.optimizer));
        out->loss = NAN;
        return 0;
    }
    out->status = r.stopped ? BO_STATUS_STOPPED : BO_STATUS_OK;
    out->loss = r.stopped ? r.last_val_loss : r.best_val_loss;
    return 0;
}

static const bo_objective DESCRIPTOR = {
    .abi_version = BO_OBJECTIVE_ABI_VERSION,
    .struct_size = sizeof(bo_objective),
    .name = "nn_trainer",
    .description = "MLP on Fashion-MNIST (784 -> hidden layers -> 10), trained on the CPU "
                   "(OpenBLAS) or CUDA; loss = best validation cross-entropy",
    .space = SPACE,
    .n_space = sizeof SPACE / sizeof SPACE[0],
    .create = nn_create,
    .evaluate = nn_evaluate,
    .destroy = nn_destroy,
    .check = nn_check,
};

BO_OBJECTIVE_EXPORT const bo_objective *bo_objective_entry(void)
{
    return &DESCRIPTOR;
}
