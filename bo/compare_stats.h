/*
 * compare_stats.h — the statistics behind `bo compare`: quantiles, the
 * Mann-Whitney U rank test and Holm's step-down correction.
 *
 * Pure functions of their arguments: no I/O, no global state. Nothing here
 * knows about studies, files or the command line.
 */
#ifndef BO_COMPARE_STATS_H
#define BO_COMPARE_STATS_H

#include <stddef.h>

#include "bo/bo.h"

/* The p-quantile (0 <= p <= 1) of n >= 1 ascending values, by Hyndman &
 * Fan's definition 7 (R's and NumPy's default, GSL's
 * gsl_stats_quantile_from_sorted_data): h = (n - 1) p,
 *     Q(p) = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
 * Values may be +inf (a run that never reached a target): a quantile that
 * puts any weight on +inf is +inf, one that puts none is finite. NaN when
 * n == 0. */
/* qsort's order for doubles (ascending). */
int bo_compare_doubles(const void *a, const void *b);

double bo_compare_quantile(const double *sorted, size_t n, double p);

enum bo_mwu_method { BO_MWU_EXACT = 1, BO_MWU_NORMAL = 2 };

typedef struct bo_mwu {
    double u;          /* U of x: #{x_i > y_j} + #{x_i == y_j} / 2 (R's W) */
    double p_less;     /* one-sided, alternative: x tends to be smaller */
    double p_greater;  /* one-sided, alternative: x tends to be larger */
    double p_two;      /* two-sided: min(1, 2 min(p_less, p_greater)) */
    int method;        /* BO_MWU_EXACT or BO_MWU_NORMAL */
} bo_mwu;

/* Largest pooled sample given the exact permutation distribution. */
#define BO_MWU_EXACT_MAX 100

/* The Mann-Whitney U test of x (nx) against y (ny), both >= 1 values (+inf
 * allowed, NaN refused). Ties get mid-ranks. When nx + ny <=
 * BO_MWU_EXACT_MAX the p-values are exact: the permutation distribution of
 * the (mid-)rank sum of x, counted over all C(nx + ny, nx) ways to split
 * the pooled ranks, which with ties is the conditional distribution given
 * the ties. Larger samples use the normal approximation with the tie
 * correction of the variance and a continuity correction of 1/2. */
int bo_compare_mann_whitney(const double *x, size_t nx, const double *y,
                            size_t ny, bo_mwu *out, bo_error *err);

/* Holm's step-down adjustment of m p-values (Holm 1979): with the finite
 * ones sorted ascending p_(1) <= ... <= p_(k),
 *     adj_(i) = min(1, max_{j <= i} (k - j + 1) p_(j)).
 * A NaN (a test that could not be made) stays NaN and does not count in k.
 * adj may alias p. */
int bo_compare_holm(const double *p, size_t m, double *adj, bo_error *err);

#endif
