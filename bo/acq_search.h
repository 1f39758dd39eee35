/*
 * acq_search.h — maximizes an acquisition over a search space's unit cube.
 *
 * Many quasi-random candidates (a Sobol set, randomly rotated per search)
 * plus Gaussian perturbations of given centres (the best points so far, at
 * two scales) are scored; the best few are refined by projected gradient
 * ascent kept inside the box, over the continuous dimensions only (floats,
 * and ints with more than BO_ACQ_ENUM_MAX values, snapped afterwards); the
 * discrete dimensions of the best point (small ints, categorical one-hot
 * blocks, read from bo_space_param) are then enumerated one parameter at a
 * time. Every point scored is canonical (bo_space_canonical), and the
 * point returned is never one of the `exclude` points (evaluated or
 * pending trials).
 *
 * A workspace sized at creation: a search allocates nothing. The result is
 * a pure function of the space, the options, the function, the centres,
 * the exclusions and the seed. Never prints or reads a clock.
 */
#ifndef BO_ACQ_SEARCH_H
#define BO_ACQ_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "bo/bo.h"

/* Int parameters with at most this many values are enumerated. */
#define BO_ACQ_ENUM_MAX 32

/* The function to maximize. value() writes the gradient (dim values) when
 * grad is not NULL; values() (optional) scores m points at once, with work
 * holding 4 m doubles. Non-finite values count as -inf. */
typedef struct bo_acq_fn {
    double (*value)(void *ctx, const double *u, double *grad);
    int (*values)(void *ctx, const double *u, size_t m, double *out,
                  double *work, bo_error *err);
    void *ctx;
} bo_acq_fn;

typedef struct bo_acq_search_options {
    size_t n_candidates; /* quasi-random candidates; 0: 1000 + 100 dim, <= 4000 */
    size_t n_local;      /* perturbations of the centres; 0: 400 + 20 dim,
                            <= 4000 (both fewer past 2^24 candidate values) */
    double local_sd;     /* their larger scale; the smaller is a tenth */
    size_t n_refine;     /* starts of the gradient refinement */
    size_t max_iter;     /* iterations per refinement */
} bo_acq_search_options;

bo_acq_search_options bo_acq_search_options_default(void);

typedef struct bo_acq_search bo_acq_search;

int bo_acq_search_create(const bo_space *space,
                         const bo_acq_search_options *o,
                         bo_acq_search **out, bo_error *err);
void bo_acq_search_free(bo_acq_search *s);
size_t bo_acq_search_alloc_count(const bo_acq_search *s);

/* Statistics of the last run, for benchmarks. */
typedef struct bo_acq_search_stats {
    size_t n_scored;      /* points scored in batch */
    size_t n_refine_evals;/* value+gradient evaluations in refinement */
    size_t n_enum_evals;  /* evaluations enumerating discrete parameters */
    size_t n_rejected;    /* better points skipped as already evaluated */
} bo_acq_search_stats;
const bo_acq_search_stats *bo_acq_search_last_stats(const bo_acq_search *s);

/* Maximizes f. centres: n_centres points (rows of dim values) to search
 * around; exclude: n_exclude canonical points never to return. Writes the
 * canonical maximizer into u and its value into *value (may be NULL).
 * Returns BO_OK, BO_DONE when no point outside `exclude` was found (a
 * finite space used up), or an error from f. */
int bo_acq_search_run(bo_acq_search *s, const bo_acq_fn *f,
                      const double *centres, size_t n_centres,
                      const double *exclude, size_t n_exclude, uint64_t seed,
                      double *u, double *value, bo_error *err);

/* Whether u equals one of the n rows of `points` (canonical points; a
 * coordinate difference up to 1e-12 counts as equal). */
int bo_acq_point_in(const double *u, const double *points, size_t n,
                    size_t dim);

#endif
