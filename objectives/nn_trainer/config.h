/*
 * config.h — the trainer's settings: their defaults, reading them from the
 * spec's objective.config (JSON) and overriding them with a trial's tuned
 * values, and checking their ranges.
 *
 * Keys (default) — any of the per-trial ones may also be tuned:
 *   per trial:
 *     lr (1e-3)              learning rate, > 0
 *     layers (2)             hidden layers, 0..16
 *     width (256)            units per hidden layer, 1..65536
 *     act ("relu")           relu | tanh | sigmoid | gelu (tanh approximation)
 *     dropout (0)            inverted dropout on hidden activations, [0, 0.95]
 *     weight_decay (0)       L2 coefficient on weights (not biases), >= 0
 *     optimizer ("adam")     sgd | momentum | adam
 *     momentum (0.9)         for momentum, [0, 1)
 *     beta1 (0.9), beta2 (0.999), eps (1e-8)   for adam
 *     batch_size (128)       1..50000
 *     epochs (3)             1..1000
 *     patience (0)           early stopping: stop after this many epochs
 *                            without a better validation loss; 0 = off
 *     schedule ("constant")  constant | cosine | step
 *     step_epochs (2), step_gamma (0.1)   for step: lr x gamma every N epochs
 *     max_train (0)          train on the first N rows of the train split
 *                            (0 = all 50000); the split is shuffled once, so
 *                            a prefix is a fixed random subset
 *     max_val (0)            validate on the first N rows (0 = all 10000)
 *     test (false)           also evaluate the 10000 test images
 *   per worker (config only, fixed at create; tuning them is an error):
 *     data_dir ("/usr/share/datasets/fashion-mnist"), device ("auto": auto |
 *     cpu | cuda), threads (0: leave OpenBLAS's setting, e.g. from
 *     OPENBLAS_NUM_THREADS)
 * Unknown keys are rejected, naming the key.
 *
 * Never prints; the JSON is read with cJSON.
 */
#ifndef BO_NN_CONFIG_H
#define BO_NN_CONFIG_H

#include <stddef.h>
#include <stdint.h>

typedef struct bo_nn_config {
    char data_dir[1024];
    char device[16];
    long threads;
    double lr;
    long layers, width;
    int act;
    double dropout, weight_decay;
    int optimizer;
    double momentum, beta1, beta2, eps;
    long batch_size, epochs, patience;
    int schedule;
    long step_epochs;
    double step_gamma;
    long max_train, max_val;
    int test;
} bo_nn_config;

void bo_nn_config_default(bo_nn_config *c);

/* Value kinds, as in the plugin ABI's bo_value_type. */
enum { BO_NN_V_DOUBLE = 1, BO_NN_V_INT = 2, BO_NN_V_STRING = 3, BO_NN_V_BOOL = 4 };

/* Sets key `name` from one value. tuned: the value comes from a trial's
 * assignment (per-worker keys are then refused). Returns 0, or -1 with a
 * message naming the key. Ranges are checked later, by bo_nn_config_check. */
int bo_nn_config_set(bo_nn_config *c, const char *name, int type, double d, int64_t i,
                     const char *s, int tuned, char *err, size_t errlen);

/* Applies a JSON object (objective.config) over c. */
int bo_nn_config_parse(bo_nn_config *c, const char *json, char *err, size_t errlen);

/* Range checks, naming the first key out of range. */
int bo_nn_config_check(const bo_nn_config *c, char *err, size_t errlen);

#endif
