/*
 * train.h — one trial's training run: initialization, epochs of shuffled
 * mini-batches, validation after each epoch, report and early stopping, and
 * the test-set figures when asked. Works through any backend (backend.h).
 *
 * Randomness comes only from `seed`, through three GSL mt19937 generators
 * (weights, shuffling, dropout) each seeded from bo_nn_stream_seed(seed, k)
 * so that, for instance, turning dropout on leaves the batch order alone.
 */
#ifndef BO_NN_TRAIN_H
#define BO_NN_TRAIN_H

#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "config.h"

typedef struct bo_nn_hooks {
    void *ctx;
    void (*log)(void *ctx, const char *line);                 /* may be NULL */
    int (*report)(void *ctx, int64_t epoch, double val_loss); /* may be NULL */
} bo_nn_hooks;

typedef struct bo_nn_result {
    int stopped;           /* report() asked to stop */
    int early_stopped;     /* patience ran out */
    int diverged;          /* a loss became NaN or infinite: the run ended */
    long epochs_run;
    long best_epoch;       /* 1-based epoch of the best validation loss */
    double best_val_loss, best_val_acc;     /* at best_epoch */
    double last_val_loss, last_val_acc;     /* after the last epoch run */
    double train_loss;     /* mean over the last epoch's batches (dropout on) */
    double test_loss, test_acc;   /* with the best epoch's weights; NaN unless cfg->test */
    double train_s;        /* time inside training steps only */
    double total_s;        /* the whole run, validation included */
    double samples_per_s;  /* training rows / train_s */
    double gflops;         /* bo_nn_layout_train_flops x rows / train_s / 1e9 */
} bo_nn_result;

/* A 32-bit seed for stream k of a trial with seed `seed` (splitmix64's
 * finalizer of seed + (k+1) * 0x9e3779b97f4a7c15, folded to 32 bits: GSL's
 * mt19937 uses 32 bits of its seed). */
unsigned long bo_nn_stream_seed(uint64_t seed, unsigned k);

/* The model a config asks for (layout, optimizer, batch, training rows). */
int bo_nn_model_from_config(const bo_nn_config *cfg, const bo_nn_data *data,
                            bo_nn_model *model, char *err, size_t errlen);

/* Runs the trial. Returns 0 with *res filled (a diverged run is 0 with
 * res->diverged), or -1 with a message when the backend fails. */
int bo_nn_train(const bo_nn_backend *be, void *be_ctx, const bo_nn_data *data,
                const bo_nn_config *cfg, uint64_t seed, const bo_nn_hooks *hooks,
                bo_nn_result *res, char *err, size_t errlen);

#endif
