/*
 * strategy_impl.h — what a strategy implementation sees.
 *
 * strategy.c owns the history of trials (points, origins, states, losses,
 * costs) and the ask/add/tell bookkeeping; an implementation only proposes
 * the next point. A proposal must be a pure function of the options (seed
 * included), the history so far and the trial number: never of the budget
 * (grid aside) or of wall-clock time (EI per second aside), so that a
 * resumed study, which replays its history through bo_strategy_add/tell,
 * proposes exactly what an uninterrupted one would.
 */
#ifndef BO_STRATEGY_IMPL_H
#define BO_STRATEGY_IMPL_H

#include "bo/bo.h"

typedef struct bo_strategy_vtable {
    const char *name;
    /* Sets s->impl. Called once by bo_strategy_create. */
    int (*init)(bo_strategy *s, bo_error *err);
    /* Writes the proposal for trial number `trial` into u (canonical).
     * Returns BO_DONE when nothing is left. */
    int (*propose)(bo_strategy *s, int64_t trial, double *u, bo_error *err);
    /* Optional: called after a trial was told (its history entry is final). */
    int (*observe)(bo_strategy *s, int64_t trial, bo_error *err);
    /* Frees s->impl. */
    void (*destroy)(bo_strategy *s);
    /* Optional: how many proposals in all, -1 unbounded. */
    int64_t (*capacity)(const bo_strategy *s);
} bo_strategy_vtable;

struct bo_strategy {
    const bo_strategy_vtable *vt;
    const bo_space *space;
    size_t dim;
    bo_strategy_options opt;   /* strings copied into name_/acquisition_ */
    char name_[32];
    char acquisition_[32];

    /* History, indexed by trial number; grown by doubling. */
    size_t n, cap;
    double *u;                 /* n * dim, canonical points */
    int *origin;               /* enum bo_origin */
    int *state;                /* enum bo_trial_state */
    double *loss;
    double *cost_s;
    size_t n_proposed;         /* entries with origin BO_ORIGIN_STRATEGY */

    void *impl;
};

/* Looked up by name in strategy.c. */
extern const bo_strategy_vtable bo_strategy_bo_vt;
extern const bo_strategy_vtable bo_strategy_random_vt;
extern const bo_strategy_vtable bo_strategy_sobol_vt;
extern const bo_strategy_vtable bo_strategy_grid_vt;

#endif
