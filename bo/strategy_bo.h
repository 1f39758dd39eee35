/*
 * strategy_bo.h — internals of the `bo` strategy (strategy_bo.c) that the
 * study loop, the tests and the benchmarks may call. The strategy itself is
 * reached through bo_strategy_create with options.name "bo".
 */
#ifndef BO_STRATEGY_BO_H
#define BO_STRATEGY_BO_H

#include "strategy_impl.h"

/* The initial design size used when options.initial is -1: a function of
 * the dimension only, never of the budget. */
size_t bo_strategy_bo_default_initial(size_t dim);

/* For noisy objectives: among the complete trials, the one whose posterior
 * mean under the current model is lowest, with that mean. Beside the best
 * observed loss, this is the study's best estimate of the true optimum.
 * BO_DONE when the model has no data yet (fewer than two complete trials):
 * *trial = -1. */
int bo_strategy_bo_best_mean(bo_strategy *s, int64_t *trial, double *mean,
                             bo_error *err);

/* Allocations made by the strategy's workspaces so far (GP, acquisition
 * search, buffers): constant across asks at steady state. */
size_t bo_strategy_bo_alloc_count(const bo_strategy *s);

/* Where the strategy's time goes (seconds, summed over asks; for
 * benchmarks only: no proposal depends on a clock). */
typedef struct bo_strategy_bo_profile {
    double fit_s;      /* hyperparameter fits (scheduled refits) */
    double model_s;    /* factorizations and O(n^2) appends */
    double search_s;   /* acquisition search: candidates and refinement */
    size_t n_asks, n_fits;
    size_t n_scored, n_refine_evals; /* totals from the searches */
} bo_strategy_bo_profile;
const bo_strategy_bo_profile *bo_strategy_bo_get_profile(const bo_strategy *s);

#endif
