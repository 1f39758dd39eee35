/*
 * early_stop.h — the median stopping rule: a running trial whose best
 * intermediate report so far is worse than the median of what completed
 * trials reported at the same step is asked to stop.
 *
 * The reference set is the complete trials' reports (trials stopped early
 * are complete too, with the loss they stopped at: they make the median
 * more lenient at the steps they reached, never stricter). A decision at
 * step s needs at least `min_trials` reference trials that reported at
 * exactly step s, and s >= min_step; below that nothing is stopped.
 * Reports are losses: lower is better.
 *
 * Decisions are a pure function of the reports given, so a sequential
 * study decides the same on resume (the complete trials' reports come back
 * from storage). `before` limits the reference set to trials numbered
 * below it: the deterministic parallel mode passes t - K + 1, the trials
 * it knows are finished whatever the timing.
 *
 * Must never: print, read a clock, or keep a decision that depends on the
 * order reports of different trials arrived in (beyond `before`).
 */
#ifndef BO_EARLY_STOP_H
#define BO_EARLY_STOP_H

#include <stddef.h>
#include <stdint.h>

#include "bo/bo.h"

typedef struct bo_early_stop bo_early_stop;

int bo_early_stop_create(int64_t min_trials, int64_t min_step,
                         bo_early_stop **out, bo_error *err);
void bo_early_stop_free(bo_early_stop *es);

/* A report of a trial in flight, kept until bo_early_stop_end. Returns 1
 * when the trial should stop, 0 to go on, or a negative BO_E* code. */
int bo_early_stop_report(bo_early_stop *es, int64_t trial, int64_t step,
                         double value, int64_t before, bo_error *err);
/* The trial ended: its reports join the reference set if it is complete,
 * and are dropped otherwise. */
int bo_early_stop_end(bo_early_stop *es, int64_t trial, int complete,
                      bo_error *err);
/* A complete trial from storage (resume): its reports, steps ascending. */
int bo_early_stop_add(bo_early_stop *es, int64_t trial, const int64_t *steps,
                      const double *values, size_t n, bo_error *err);

#endif
