/*
 * optim.h — parameter updates (SGD, SGD with momentum, Adam) and learning-
 * rate schedules (constant, cosine, step), on one flat float vector.
 *
 * The formulas are PyTorch's (torch.optim.SGD with dampening 0 and no
 * Nesterov; torch.optim.Adam without amsgrad), so that a user's tuned values
 * carry over. Weight decay is not applied here: it is already in the
 * gradient (mlp.h), as torch's `weight_decay` does for both.
 *
 * Pure arithmetic: no allocation, no I/O, no state beyond the caller's.
 */
#ifndef BO_NN_OPTIM_H
#define BO_NN_OPTIM_H

#include <stddef.h>

enum bo_nn_opt { BO_NN_SGD = 0, BO_NN_MOMENTUM = 1, BO_NN_ADAM = 2 };
enum bo_nn_sched { BO_NN_CONSTANT = 0, BO_NN_COSINE = 1, BO_NN_STEP = 2 };

typedef struct bo_nn_optim {
    int kind;        /* enum bo_nn_opt */
    /* Doubles, as torch keeps them: 1 - beta2 rounds badly from a float. */
    double momentum;            /* BO_NN_MOMENTUM */
    double beta1, beta2, eps;   /* BO_NN_ADAM */
} bo_nn_optim;

int bo_nn_opt_parse(const char *name);    /* "sgd", "momentum", "adam", or -1 */
const char *bo_nn_opt_name(int kind);
int bo_nn_sched_parse(const char *name);  /* "constant", "cosine", "step", or -1 */
const char *bo_nn_sched_name(int kind);

/* How many state vectors of n_params floats the optimizer keeps (0, 1, 2). */
int bo_nn_optim_n_state(const bo_nn_optim *o);

/* One update of p (n floats) by gradient g at learning rate lr. m and v are
 * the state vectors (zero before step 1; v only for Adam); t is the step
 * number from 1 (Adam's bias correction).
 *   sgd:      p -= lr g
 *   momentum: m = mu m + g;  p -= lr m
 *   adam:     m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;
 *             p -= (lr / (1-b1^t)) m / (sqrt(v / (1-b2^t)) + eps)          */
void bo_nn_optim_step(const bo_nn_optim *o, float *p, const float *g, float *m,
                      float *v, size_t n, float lr, long t);

/* The learning rate of step `step` (from 0) of `total` steps, in epoch
 * `epoch` (from 0):
 *   constant: lr
 *   cosine:   lr (1 + cos(pi step / total)) / 2       (annealed per step to 0)
 *   step:     lr gamma^floor(epoch / step_epochs)                          */
double bo_nn_lr_at(int sched, double lr, long step, long total, long epoch,
                   long step_epochs, double gamma);

#endif
