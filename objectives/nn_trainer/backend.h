/*
 * backend.h — the seam between the training loop (train.c, which owns the
 * schedule, the shuffling, the dropout masks, early stopping and reporting)
 * and the code that holds the network and does the arithmetic: the CPU
 * backend here (backend_cpu.c), or the CUDA one in gpu/ (libbo_nn_cuda.so,
 * issue 7), which exports
 *     const bo_nn_backend *bo_nn_cuda_backend(void);
 * and is dlopen'ed by backend_select.c only when a trial asks for CUDA.
 *
 * The contract, for any backend:
 *  - open() once per plugin instance: make the data set resident (the GPU
 *    copies it to the device here). `data` outlives the backend context.
 *  - run_create() once per trial: allocate everything the trial needs; no
 *    call after it until run_destroy() may allocate.
 *  - parameters cross in the host layout of mlp.h (bo_nn_layout); set_params
 *    also zeroes the optimizer state and its step counter.
 *  - epoch_begin() hands the order of the training rows for the epoch (row
 *    numbers into the train split, valid only during the call: copy it).
 *    train_step() then trains on order[offset .. offset+n).
 *  - masks: NULL when the model has no dropout; otherwise, for each hidden
 *    layer in turn, an n x width block of 0 or 1/(1-p) (host memory, valid
 *    during the call). The loop draws them, so that every backend trains on
 *    the same masks and a GPU run can be checked against the CPU one.
 *  - The arithmetic must be repeatable: same inputs, same bits, run after
 *    run (no atomics in reductions on a GPU).
 *  - Errors: non-zero return and one line in err.
 *
 * Grows only at the end; `version` is checked before anything else.
 */
#ifndef BO_NN_BACKEND_H
#define BO_NN_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "data.h"
#include "mlp.h"
#include "optim.h"

#define BO_NN_BACKEND_VERSION 1u
#define BO_NN_CUDA_ENTRY "bo_nn_cuda_backend"
#define BO_NN_CUDA_LIBRARY "libbo_nn_cuda.so"

/* Everything a backend must know to build one trial's network. */
typedef struct bo_nn_model {
    bo_nn_layout layout;
    bo_nn_optim optim;
    float weight_decay;
    int dropout;          /* non-zero: train_step gets masks */
    size_t batch;         /* largest n of a train_step */
    size_t n_train;       /* rows of the epoch order (a prefix of the split) */
} bo_nn_model;

typedef struct bo_nn_backend {
    uint32_t version;     /* BO_NN_BACKEND_VERSION */
    const char *name;     /* "cpu", "cuda": the `device` it reports */
    int (*open)(const bo_nn_data *data, void **ctx, char *err, size_t errlen);
    void (*close)(void *ctx);
    int (*run_create)(void *ctx, const bo_nn_model *model, void **run,
                      char *err, size_t errlen);
    void (*run_destroy)(void *run);
    int (*set_params)(void *run, const float *params, char *err, size_t errlen);
    int (*get_params)(void *run, float *params, char *err, size_t errlen);
    int (*epoch_begin)(void *run, const int32_t *order, size_t n, char *err, size_t errlen);
    /* One optimizer step on n rows at learning rate lr. */
    int (*train_step)(void *run, size_t offset, size_t n, const float *masks,
                      float lr, char *err, size_t errlen);
    /* Sum of the per-row training losses and rows since epoch_begin (the
     * GPU can keep the sum on the device and sync once per epoch). */
    int (*train_loss)(void *run, double *loss_sum, size_t *rows, char *err, size_t errlen);
    /* Mean cross-entropy and accuracy over the first n rows of a split
     * (enum bo_nn_split_id), without dropout. */
    int (*evaluate)(void *run, int split, size_t n, double *loss, double *accuracy,
                    char *err, size_t errlen);
} bo_nn_backend;

/* The CPU backend (always there). */
extern const bo_nn_backend bo_nn_backend_cpu;

#endif
