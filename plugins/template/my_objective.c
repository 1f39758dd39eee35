/*
 * my_objective.c — the smallest useful bo objective: copy this folder,
 * rename, and replace the body of my_evaluate() with your own training.
 *
 * It pretends to train a model for `epochs` epochs. The validation loss
 * after epoch e is
 *     best(lr, layers, act) + 0.5 / e  (+ noise)
 * where best() is smallest (0.1) at lr = 0.01, layers = 2, act = "relu".
 * After each epoch it reports the loss to bo (host->report), which may ask
 * it to stop early. The noise comes from host->seed only, so a trial is a
 * pure function of (config, assignment, seed): bo's reproducibility rests
 * on that (see bo/objective.h, "Determinism contract").
 *
 * Config (the spec's objective.config, JSON): {"epochs": 5, "noise": 0}.
 *
 * Rules a plugin keeps: never exit the process, never install signal
 * handlers, never keep pointers to what bo passes in after the call
 * returns, and export only bo_objective_entry.
 */
#include <bo/objective.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The default search space: a spec's "space" replaces it. */
static const char *const activations[] = {"relu", "tanh"};
static const bo_param_spec my_space[] = {
    {.name = "lr", .type = BO_PARAM_FLOAT, .low = 1e-4, .high = 1, .log = 1},
    {.name = "layers", .type = BO_PARAM_INT, .low = 1, .high = 6},
    {.name = "act", .type = BO_PARAM_CATEGORICAL, .choices = activations,
     .n_choices = 2},
};

/* One instance per worker process: create() runs once, then evaluate()
 * many times. Load data sets here, not per trial. */
typedef struct my_instance {
    int epochs;
    double noise;
} my_instance;

static int my_create(const char *config_json, void **instance, char *err,
                     size_t errlen)
{
    cJSON *config = cJSON_Parse(config_json);
    if (!cJSON_IsObject(config)) {
        cJSON_Delete(config);
        snprintf(err, errlen, "my_objective: the config is not a JSON object");
        return 1;
    }
    my_instance *m = calloc(1, sizeof *m);
    if (!m) {
        cJSON_Delete(config);
        snprintf(err, errlen, "my_objective: out of memory");
        return 1;
    }
    m->epochs = 5;
    const cJSON *epochs = cJSON_GetObjectItemCaseSensitive(config, "epochs");
    const cJSON *noise = cJSON_GetObjectItemCaseSensitive(config, "noise");
    if (cJSON_IsNumber(epochs))
        m->epochs = epochs->valueint;
    if (cJSON_IsNumber(noise))
        m->noise = noise->valuedouble;
    cJSON_Delete(config);
    if (m->epochs < 1 || m->epochs > 10000 || !(m->noise >= 0)) {
        snprintf(err, errlen, "my_objective: config: epochs must be 1..10000 "
                 "and noise >= 0");
        free(m);
        return 1;
    }
    *instance = m;
    return 0;
}

/* The assignment holds one value per tuned parameter, found by name. */
static const bo_value *find(const bo_value *a, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(a[i].name, name) == 0)
            return &a[i];
    return NULL;
}

/* What my_evaluate needs of an assignment: 0, or non-zero with why. */
static int my_check(void *instance, const bo_value *assignment, size_t n,
                    char *err, size_t errlen)
{
    (void)instance;
    const bo_value *lr = find(assignment, n, "lr");
    const bo_value *layers = find(assignment, n, "layers");
    const bo_value *act = find(assignment, n, "act");
    if (!lr || lr->type != BO_VALUE_DOUBLE || !(lr->d > 0) || !layers ||
        layers->type != BO_VALUE_INT || !act || act->type != BO_VALUE_STRING) {
        snprintf(err, errlen, "my_objective: needs lr (float > 0), layers "
                 "(int) and act (string)");
        return 1;
    }
    return 0;
}

static int my_evaluate(void *instance, const bo_value *assignment, size_t n,
                       const bo_host *host, bo_outcome *outcome)
{
    const my_instance *m = instance;
    if (my_check(instance, assignment, n, outcome->message,
                 sizeof outcome->message)) {
        /* A failed trial, not a broken instance: return 0. */
        outcome->status = BO_STATUS_FAILED;
        return 0;
    }
    const bo_value *lr = find(assignment, n, "lr");
    const bo_value *layers = find(assignment, n, "layers");
    const bo_value *act = find(assignment, n, "act");

    /* A config key that is tuned too: the tuned value wins (objective.h
     * leaves this to the plugin). */
    const bo_value *ep = find(assignment, n, "epochs");
    const bo_value *nz = find(assignment, n, "noise");
    int epochs = ep && ep->type == BO_VALUE_INT ? (int)ep->i : m->epochs;
    double noise = nz && nz->type == BO_VALUE_DOUBLE ? nz->d : m->noise;
    if (epochs < 1 || epochs > 10000 || !(noise >= 0)) {
        outcome->status = BO_STATUS_FAILED;
        snprintf(outcome->message, sizeof outcome->message, "my_objective: "
                 "epochs must be 1..10000 and noise >= 0");
        return 0;
    }

    double d = log10(lr->d) + 2;          /* 0 at lr = 0.01 */
    double l = (double)(layers->i - 2);   /* 0 at 2 layers */
    double best = 0.1 + 0.5 * d * d + 0.05 * l * l +
                  (strcmp(act->s, "relu") == 0 ? 0 : 0.1);
    /* erand48: libc's generator, seeded from the trial's seed only. The
     * outcome is zero-filled: status is BO_STATUS_OK unless we say so. */
    unsigned short state[3] = {(unsigned short)host->seed,
                               (unsigned short)(host->seed >> 16),
                               (unsigned short)(host->seed >> 32)};

    char line[128];
    snprintf(line, sizeof line, "training: lr=%g layers=%lld act=%s", lr->d,
             (long long)layers->i, act->s);
    host->log(host->ctx, line);
    for (int e = 1; e <= epochs; e++) {
        outcome->loss = best + 0.5 / e + noise * (erand48(state) - 0.5);
        /* Non-zero: bo asks us to stop; return what we have. */
        if (host->report(host->ctx, e, outcome->loss)) {
            outcome->status = BO_STATUS_STOPPED;
            break;
        }
    }
    outcome->n_metrics = 1;
    snprintf(outcome->metrics[0].name, sizeof outcome->metrics[0].name,
             "best_possible");
    outcome->metrics[0].value = best;
    /* outcome->cost_s stays NaN: bo measures the wall-clock time itself. */
    return 0;
}

static void my_destroy(void *instance)
{
    free(instance);
}

static const bo_objective my_descriptor = {
    .abi_version = BO_OBJECTIVE_ABI_VERSION,
    .struct_size = sizeof(bo_objective),
    .name = "my_objective",
    .description = "a pretend training run with a known best configuration",
    .space = my_space,
    .n_space = sizeof my_space / sizeof *my_space,
    .create = my_create,
    .evaluate = my_evaluate,
    .destroy = my_destroy,
    /* optional: bo asks it about a spec's space before the study starts */
    .check = my_check,
};

/* The one symbol bo looks up. */
BO_OBJECTIVE_EXPORT const bo_objective *bo_objective_entry(void)
{
    return &my_descriptor;
}
