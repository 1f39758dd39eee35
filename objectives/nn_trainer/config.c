/*
 * config.c — the key table behind config.h: one row per key with its kind,
 * where it lives in bo_nn_config and its enum names, so that JSON config
 * and tuned values go through the same setter.
 *
 * Never prints; never keeps a pointer into the caller's JSON or values.
 */
#include "fail.h"
#include "config.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "data.h"
#include "mlp.h"
#include "optim.h"

enum kind { K_DOUBLE, K_LONG, K_BOOL, K_STR, K_ACT, K_OPT, K_SCHED };

typedef struct key {
    const char *name;
    enum kind kind;
    size_t off;
    size_t len;       /* K_STR: buffer size */
    int per_worker;
} key;

#define F(field) offsetof(bo_nn_config, field)
static const key KEYS[] = {
    {"data_dir", K_STR, F(data_dir), sizeof(((bo_nn_config *)0)->data_dir), 1},
    {"device", K_STR, F(device), sizeof(((bo_nn_config *)0)->device), 1},
    {"threads", K_LONG, F(threads), 0, 1},
    {"lr", K_DOUBLE, F(lr), 0, 0},
    {"layers", K_LONG, F(layers), 0, 0},
    {"width", K_LONG, F(width), 0, 0},
    {"act", K_ACT, F(act), 0, 0},
    {"dropout", K_DOUBLE, F(dropout), 0, 0},
    {"weight_decay", K_DOUBLE, F(weight_decay), 0, 0},
    {"optimizer", K_OPT, F(optimizer), 0, 0},
    {"momentum", K_DOUBLE, F(momentum), 0, 0},
    {"beta1", K_DOUBLE, F(beta1), 0, 0},
    {"beta2", K_DOUBLE, F(beta2), 0, 0},
    {"eps", K_DOUBLE, F(eps), 0, 0},
    {"batch_size", K_LONG, F(batch_size), 0, 0},
    {"epochs", K_LONG, F(epochs), 0, 0},
    {"patience", K_LONG, F(patience), 0, 0},
    {"schedule", K_SCHED, F(schedule), 0, 0},
    {"step_epochs", K_LONG, F(step_epochs), 0, 0},
    {"step_gamma", K_DOUBLE, F(step_gamma), 0, 0},
    {"max_train", K_LONG, F(max_train), 0, 0},
    {"max_val", K_LONG, F(max_val), 0, 0},
    {"test", K_BOOL, F(test), 0, 0},
};
#undef F

void bo_nn_config_default(bo_nn_config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->data_dir, sizeof c->data_dir, "%s", BO_NN_DEFAULT_DATA_DIR);
    snprintf(c->device, sizeof c->device, "auto");
    c->lr = 1e-3;
    c->layers = 2;
    c->width = 256;
    c->act = BO_NN_RELU;
    c->optimizer = BO_NN_ADAM;
    c->momentum = 0.9;
    c->beta1 = 0.9;
    c->beta2 = 0.999;
    c->eps = 1e-8;
    c->batch_size = 128;
    c->epochs = 3;
    c->schedule = BO_NN_CONSTANT;
    c->step_epochs = 2;
    c->step_gamma = 0.1;
}

static const char *kind_word(enum kind k)
{
    switch (k) {
    case K_DOUBLE: return "a number";
    case K_LONG: return "an integer";
    case K_BOOL: return "true or false";
    case K_STR: return "a string";
    case K_ACT: return "one of relu, tanh, sigmoid, gelu";
    case K_OPT: return "one of sgd, momentum, adam";
    case K_SCHED: return "one of constant, cosine, step";
    }
    return "?";
}

int bo_nn_config_set(bo_nn_config *c, const char *name, int type, double d, int64_t i,
                     const char *s, int tuned, char *err, size_t errlen)
{
    const key *k = NULL;
    for (size_t j = 0; j < sizeof KEYS / sizeof KEYS[0]; j++)
        if (strcmp(KEYS[j].name, name) == 0)
            k = &KEYS[j];
    if (!k) {
        char known[512] = "";
        size_t used = 0;
        for (size_t j = 0; j < sizeof KEYS / sizeof KEYS[0] && used < sizeof known; j++)
            used += (size_t)snprintf(known + used, sizeof known - used, "%s%s",
                                     j ? ", " : "", KEYS[j].name);
        return bo_nn_fail(err, errlen, "%s: unknown nn_trainer setting (known: %s)", name,
                          known);
    }
    if (tuned && k->per_worker)
        return bo_nn_fail(err, errlen, "%s: cannot be tuned, it is fixed when the worker starts "
                    "(set it in objective.config)", name);
    char *field = (char *)c + k->off;
    int is_num = type == BO_NN_V_DOUBLE || type == BO_NN_V_INT;
    double num = type == BO_NN_V_INT ? (double)i : d;
    switch (k->kind) {
    case K_DOUBLE:
        if (!is_num)
            break;
        *(double *)field = num;
        return 0;
    case K_LONG:
        if (!is_num || num != floor(num) || fabs(num) > 1e15)
            break;
        *(long *)field = type == BO_NN_V_INT ? (long)i : (long)num;
        return 0;
    case K_BOOL:
        if (type == BO_NN_V_BOOL || (type == BO_NN_V_INT && (i == 0 || i == 1))) {
            *(int *)field = i != 0;
            return 0;
        }
        /* a categorical's choices are text: ["false", "true"] */
        if (type == BO_NN_V_STRING && (!strcmp(s, "true") || !strcmp(s, "false"))) {
            *(int *)field = s[0] == 't';
            return 0;
        }
        break;
    case K_STR:
        if (type != BO_NN_V_STRING)
            break;
        if (strlen(s) >= k->len)
            return bo_nn_fail(err, errlen, "%s: longer than %zu characters", name, k->len - 1);
        snprintf(field, k->len, "%s", s);
        return 0;
    case K_ACT:
    case K_OPT:
    case K_SCHED: {
        if (type != BO_NN_V_STRING)
            break;
        int v = k->kind == K_ACT ? bo_nn_act_parse(s)
              : k->kind == K_OPT ? bo_nn_opt_parse(s) : bo_nn_sched_parse(s);
        if (v < 0)
            return bo_nn_fail(err, errlen, "%s: unknown value \"%s\" (want %s)", name, s,
                        kind_word(k->kind));
        *(int *)field = v;
        return 0;
    }
    }
    return bo_nn_fail(err, errlen, "%s: must be %s", name, kind_word(k->kind));
}

int bo_nn_config_parse(bo_nn_config *c, const char *json, char *err, size_t errlen)
{
    cJSON *root = cJSON_Parse(json ? json : "{}");
    if (!root)
        return bo_nn_fail(err, errlen, "objective.config: not valid JSON");
    int rc = 0;
    if (!cJSON_IsObject(root)) {
        rc = bo_nn_fail(err, errlen, "objective.config: must be a JSON object");
        goto done;
    }
    char sub[512];
    for (cJSON *it = root->child; it; it = it->next) {
        int type = cJSON_IsBool(it) ? BO_NN_V_BOOL
                 : cJSON_IsNumber(it) ? BO_NN_V_DOUBLE
                 : cJSON_IsString(it) ? BO_NN_V_STRING : 0;
        double d = cJSON_IsNumber(it) ? it->valuedouble : 0.0;
        int64_t i = cJSON_IsBool(it) ? cJSON_IsTrue(it) : 0;
        rc = bo_nn_config_set(c, it->string, type, d, i, it->valuestring, 0, sub, sizeof sub);
        if (rc != 0) {
            bo_nn_fail(err, errlen, "objective.config.%s", sub);
            goto done;
        }
    }
done:
    cJSON_Delete(root);
    return rc;
}

int bo_nn_config_check(const bo_nn_config *c, char *err, size_t errlen)
{
#define NEED(cond, key, what)                                                   \
    if (!(cond))                                                                \
        return bo_nn_fail(err, errlen, "%s: must be %s", key, what)
    NEED(isfinite(c->lr) && c->lr > 0, "lr", "a finite number > 0");
    NEED(c->layers >= 0 && c->layers <= BO_NN_MAX_LAYERS, "layers", "in 0..16");
    NEED(c->width >= 1 && c->width <= 65536, "width", "in 1..65536");
    NEED(c->dropout >= 0 && c->dropout <= 0.95, "dropout", "in [0, 0.95]");
    NEED(isfinite(c->weight_decay) && c->weight_decay >= 0, "weight_decay", ">= 0");
    NEED(c->momentum >= 0 && c->momentum < 1, "momentum", "in [0, 1)");
    NEED(c->beta1 >= 0 && c->beta1 < 1, "beta1", "in [0, 1)");
    NEED(c->beta2 >= 0 && c->beta2 < 1, "beta2", "in [0, 1)");
    NEED(isfinite(c->eps) && c->eps > 0, "eps", "> 0");
    NEED(c->batch_size >= 1 && c->batch_size <= BO_NN_TRAIN_N, "batch_size", "in 1..50000");
    NEED(c->epochs >= 1 && c->epochs <= 1000, "epochs", "in 1..1000");
    NEED(c->patience >= 0, "patience", ">= 0");
    NEED(c->step_epochs >= 1, "step_epochs", ">= 1");
    NEED(c->step_gamma > 0 && c->step_gamma <= 1, "step_gamma", "in (0, 1]");
    NEED(c->max_train >= 0 && c->max_train <= BO_NN_TRAIN_N, "max_train", "in 0..50000");
    NEED(c->max_val >= 0 && c->max_val <= BO_NN_VAL_N, "max_val", "in 0..10000");
    NEED(c->threads >= 0 && c->threads <= 1024, "threads", "in 0..1024");
#undef NEED
    /* layers and width are each in range, but together may ask for more
     * than a machine holds (2 x 65536 wide: 4.3e9 weights, 17 GB, and 4x
     * that with the optimizer's state): at most 2^28 weights (1 GiB). */
    double n_w = 784.0 * (double)c->width + 10.0 * (double)c->width +
                 (double)(c->layers > 1 ? c->layers - 1 : 0) *
                     (double)c->width * (double)c->width;
    if (c->layers == 0)
        n_w = 784.0 * 10.0;
    if (n_w > 268435456.0)
        return bo_nn_fail(err, errlen, "layers x width: a %lld x %lld network "
                          "has %.3g weights, more than 2^28 (1 GiB); make it "
                          "narrower or shallower", (long long)c->layers,
                          (long long)c->width, n_w);
    return 0;
}
