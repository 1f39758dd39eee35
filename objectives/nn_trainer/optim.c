/*
 * optim.c — the updates and schedules declared in optim.h. The loops are
 * written plainly so the compiler vectorizes them; the scalar factors of
 * Adam's bias correction are computed once per step in double.
 *
 * Must stay pure arithmetic: no allocation, no I/O.
 */
#include "optim.h"

#include <math.h>
#include <string.h>

static const char *const OPT_NAMES[] = {"sgd", "momentum", "adam"};
static const char *const SCHED_NAMES[] = {"constant", "cosine", "step"};

int bo_nn_opt_parse(const char *name)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(name, OPT_NAMES[i]) == 0)
            return i;
    return -1;
}

const char *bo_nn_opt_name(int kind)
{
    return kind >= 0 && kind < 3 ? OPT_NAMES[kind] : "?";
}

int bo_nn_sched_parse(const char *name)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(name, SCHED_NAMES[i]) == 0)
            return i;
    return -1;
}

const char *bo_nn_sched_name(int kind)
{
    return kind >= 0 && kind < 3 ? SCHED_NAMES[kind] : "?";
}

int bo_nn_optim_n_state(const bo_nn_optim *o)
{
    return o->kind == BO_NN_ADAM ? 2 : o->kind == BO_NN_MOMENTUM ? 1 : 0;
}

void bo_nn_optim_step(const bo_nn_optim *o, float *restrict p, const float *restrict g,
                      float *restrict m, float *restrict v, size_t n, float lr, long t)
{
    switch (o->kind) {
    case BO_NN_SGD:
        for (size_t i = 0; i < n; i++)
            p[i] -= lr * g[i];
        break;
    case BO_NN_MOMENTUM: {
        float mu = (float)o->momentum;
        for (size_t i = 0; i < n; i++) {
            m[i] = mu * m[i] + g[i];
            p[i] -= lr * m[i];
        }
        break;
    }
    case BO_NN_ADAM: {
        float b1 = (float)o->beta1, b2 = (float)o->beta2, eps = (float)o->eps;
        float c1 = (float)(1.0 - o->beta1), c2 = (float)(1.0 - o->beta2);
        float step = (float)((double)lr / (1.0 - pow(o->beta1, (double)t)));
        float vscale = (float)(1.0 / (1.0 - pow(o->beta2, (double)t)));
        for (size_t i = 0; i < n; i++) {
            m[i] = b1 * m[i] + c1 * g[i];
            v[i] = b2 * v[i] + c2 * g[i] * g[i];
            p[i] -= step * m[i] / (sqrtf(v[i] * vscale) + eps);
        }
        break;
    }
    }
}

double bo_nn_lr_at(int sched, double lr, long step, long total, long epoch,
                   long step_epochs, double gamma)
{
    switch (sched) {
    case BO_NN_COSINE:
        return total > 0 ? lr * 0.5 * (1.0 + cos(M_PI * (double)step / (double)total)) : lr;
    case BO_NN_STEP:
        return lr * pow(gamma, (double)(epoch / (step_epochs > 0 ? step_epochs : 1)));
    default:
        return lr;
    }
}
