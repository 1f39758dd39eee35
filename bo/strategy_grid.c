/*
 * strategy_grid.c — grid search, in a seeded order that covers the space
 * early.
 *
 * The grid is built in user units (levels per parameter: evenly spaced
 * floats, log-spaced on log scales; spread-out distinct integers; every
 * choice) and each point is encoded with bo_space_encode, so it is
 * canonical. The number of levels L comes from options.levels, else from
 * the budget (the largest L >= 2 whose grid fits), else 5. The grid is the
 * one strategy allowed to read the budget. Grids past 2^20 levels per
 * parameter or 2^62 points are refused rather than half-built.
 *
 * The order. A study stopped early sees a prefix of the order, so the
 * prefix should spread over every parameter's levels, not sweep one corner
 * the way lexicographic order does; a uniformly random permutation spreads
 * only on average and needs the whole grid in memory. Instead, index i is
 * written in mixed radix with the largest parameter as the fastest digit
 * d0, and parameter k takes level
 *     perm_k[(d_k + d_0 + sum_{0<q<k} a_kq d_q) mod n_k]
 * (k in that radix order). Adding earlier digits is a triangular shear,
 * so i -> point is a bijection onto the grid. Because d_0 runs through n_0
 * consecutive values, which covers every residue mod n_k <= n_0, every
 * aligned block of n_0 points holds every level of every parameter: the
 * first max_p(n_p) points already do, which no order can beat. The seeded
 * level permutations perm_k and shear coefficients a_kq (stream "grid")
 * make the pairing of levels across parameters differ from block to block
 * and from seed to seed. Point i costs O(D^2) and memory is O(sum n_p).
 * This file must never let a proposal depend on anything but the options
 * and the number of grid points proposed so far.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "error.h"
#include "strategy_impl.h"
#include "stream.h"

#define GRID_MAX_POINTS (INT64_C(1) << 62)
#define GRID_DEFAULT_LEVELS 5
/* Levels are held in memory, so L stays well inside it. */
#define GRID_MAX_LEVELS (INT64_C(1) << 20)

typedef struct grid_param {
    size_t n;            /* levels */
    bo_value *level;     /* n values in user units */
    size_t *perm;        /* n: seeded permutation of the levels */
    uint64_t *shear;     /* coefficients a_kq for the radix positions q < k */
} grid_param;

typedef struct grid {
    size_t np;
    grid_param *p;       /* in parameter order */
    size_t *order;       /* radix position -> parameter, largest n first */
    int64_t size;
    bo_value *vals;      /* scratch for one point */
    uint64_t *digit;     /* scratch: mixed-radix digits by radix position */
} grid;

/* How many integers of [lo, hi] L levels give (before deduplication). */
static double int_levels(const bo_param_spec *ps, double L)
{
    double count = ps->high - ps->low + 1.0;
    return L < count ? L : count;
}

/* Grid size for L levels, saturated at 2 GRID_MAX_POINTS. */
static double grid_size(const bo_space *sp, double L)
{
    double size = 1.0;
    for (size_t i = 0; i < bo_space_n_params(sp); i++) {
        const bo_param_spec *ps = bo_space_param(sp, i);
        double n = ps->type == BO_PARAM_FLOAT ? L
                   : ps->type == BO_PARAM_INT ? int_levels(ps, L)
                                              : (double)ps->n_choices;
        size *= n;
        if (size > (double)GRID_MAX_POINTS)
            return 2.0 * (double)GRID_MAX_POINTS;
    }
    return size;
}

/* L from the options: levels if given, else the largest L >= 2 whose grid
 * fits the budget (found by bisection: the size grows with L), else 5. */
static int64_t choose_levels(const bo_strategy *s)
{
    if (s->opt.levels > 0)
        return s->opt.levels;
    if (s->opt.budget <= 0)
        return GRID_DEFAULT_LEVELS;
    double budget = (double)s->opt.budget;
    int64_t lo = 2, hi = s->opt.budget > 2 ? s->opt.budget : 2;
    if (hi > GRID_MAX_LEVELS)
        hi = GRID_MAX_LEVELS;
    if (grid_size(s->space, (double)lo) > budget)
        return lo; /* two levels each, even over budget */
    while (lo < hi) { /* invariant: size(lo) <= budget */
        int64_t mid = lo + (hi - lo + 1) / 2;
        if (grid_size(s->space, (double)mid) <= budget)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static void fill_float_levels(const bo_param_spec *ps, size_t L, bo_value *v)
{
    for (size_t j = 0; j < L; j++) {
        double x;
        if (L == 1)
            x = ps->log ? sqrt(ps->low) * sqrt(ps->high)
                        : 0.5 * (ps->low + ps->high);
        else if (j == 0)
            x = ps->low;
        else if (j == L - 1)
            x = ps->high;
        else if (ps->log)
            x = exp(log(ps->low) +
                    (double)j / (double)(L - 1) * (log(ps->high) - log(ps->low)));
        else
            x = ps->low + (double)j / (double)(L - 1) * (ps->high - ps->low);
        v[j].type = BO_VALUE_DOUBLE;
        v[j].d = x;
    }
}

/* Writes up to m distinct integers of [low, high], rising; returns how
 * many (log spacing can round two levels onto one integer). */
static size_t fill_int_levels(const bo_param_spec *ps, size_t m, bo_value *v)
{
    size_t k = 0;
    for (size_t j = 0; j < m; j++) {
        double x;
        if (m == 1)
            x = ps->log ? sqrt(ps->low) * sqrt(ps->high)
                        : 0.5 * (ps->low + ps->high);
        else if (ps->log)
            x = exp(log(ps->low) +
                    (double)j / (double)(m - 1) * (log(ps->high) - log(ps->low)));
        else
            x = ps->low + (double)j / (double)(m - 1) * (ps->high - ps->low);
        x = round(x);
        x = x < ps->low ? ps->low : x > ps->high ? ps->high : x;
        if (k > 0 && (double)v[k - 1].i == x)
            continue;
        v[k].type = BO_VALUE_INT;
        v[k].i = (int64_t)x;
        v[k].d = x;
        k++;
    }
    return k;
}

static void grid_free(grid *g)
{
    if (!g)
        return;
    for (size_t i = 0; g->p && i < g->np; i++) {
        free(g->p[i].level);
        free(g->p[i].perm);
        free(g->p[i].shear);
    }
    free(g->p);
    free(g->order);
    free(g->vals);
    free(g->digit);
    free(g);
}

static int build_levels(grid *g, const bo_space *sp, int64_t L, bo_error *err)
{
    for (size_t i = 0; i < g->np; i++) {
        const bo_param_spec *ps = bo_space_param(sp, i);
        grid_param *gp = &g->p[i];
        size_t n = ps->type == BO_PARAM_FLOAT ? (size_t)L
                   : ps->type == BO_PARAM_INT
                       ? (size_t)int_levels(ps, (double)L)
                       : ps->n_choices;
        gp->level = calloc(n, sizeof *gp->level);
        gp->perm = calloc(n, sizeof *gp->perm);
        gp->shear = calloc(g->np, sizeof *gp->shear);
        if (!gp->level || !gp->perm || !gp->shear)
            return bo_error_set(err, BO_ENOMEM, "out of memory (grid levels "
                                "of '%s')", ps->name);
        if (ps->type == BO_PARAM_FLOAT) {
            fill_float_levels(ps, n, gp->level);
        } else if (ps->type == BO_PARAM_INT) {
            n = fill_int_levels(ps, n, gp->level);
        } else {
            for (size_t c = 0; c < n; c++) {
                gp->level[c].type = BO_VALUE_STRING;
                gp->level[c].s = ps->choices[c];
            }
        }
        for (size_t j = 0; j < n; j++) {
            gp->level[j].name = ps->name;
            gp->perm[j] = j;
        }
        gp->n = n;
    }
    return BO_OK;
}

/* Radix positions: parameters by decreasing level count, ties in
 * parameter order (an insertion sort: D is small and it is stable). */
static void sort_order(grid *g)
{
    for (size_t i = 0; i < g->np; i++)
        g->order[i] = i;
    for (size_t i = 1; i < g->np; i++) {
        size_t v = g->order[i], j = i;
        while (j > 0 && g->p[g->order[j - 1]].n < g->p[v].n) {
            g->order[j] = g->order[j - 1];
            j--;
        }
        g->order[j] = v;
    }
}

static int grid_init(bo_strategy *s, bo_error *err)
{
    const bo_space *sp = s->space;
    grid *g = calloc(1, sizeof *g);
    if (!g)
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    g->np = bo_space_n_params(sp);
    size_t np1 = g->np ? g->np : 1;
    g->p = calloc(np1, sizeof *g->p);
    g->order = calloc(np1, sizeof *g->order);
    g->vals = calloc(np1, sizeof *g->vals);
    g->digit = calloc(np1, sizeof *g->digit);
    if (!g->p || !g->order || !g->vals || !g->digit) {
        grid_free(g);
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    }
    int64_t L = choose_levels(s);
    if (L > GRID_MAX_LEVELS) {
        grid_free(g);
        return bo_error_set(err, BO_EINVAL,
                            "grid: %lld levels per parameter is too many "
                            "(at most %lld)", (long long)L,
                            (long long)GRID_MAX_LEVELS);
    }
    if (grid_size(sp, (double)L) > (double)GRID_MAX_POINTS) {
        grid_free(g);
        return bo_error_set(err, BO_EINVAL,
                            "grid: %lld levels per parameter make too many "
                            "points (over 2^62)", (long long)L);
    }
    int rc = build_levels(g, sp, L, err);
    if (rc) {
        grid_free(g);
        return rc;
    }
    g->size = 1;
    for (size_t i = 0; i < g->np; i++)
        g->size *= (int64_t)g->p[i].n;
    sort_order(g);

    gsl_rng *r = bo_stream_rng(s->opt.seed, "grid", 0);
    if (!r) {
        grid_free(g);
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < g->np; i++)
        gsl_ran_shuffle(r, g->p[i].perm, g->p[i].n, sizeof(size_t));
    for (size_t k = 0; k < g->np; k++) {
        grid_param *gp = &g->p[g->order[k]];
        gp->shear[0] = 1; /* keeps each block of n_0 points covering */
        for (size_t q = 1; q < k; q++)
            gp->shear[q] = gsl_rng_uniform_int(r, gp->n);
    }
    gsl_rng_free(r);
    s->impl = g;
    return BO_OK;
}

static int grid_propose(bo_strategy *s, int64_t trial, double *u,
                        bo_error *err)
{
    (void)trial;
    grid *g = s->impl;
    if ((int64_t)s->n_proposed >= g->size)
        return BO_DONE;
    uint64_t i = (uint64_t)s->n_proposed;
    for (size_t k = 0; k < g->np; k++) {
        uint64_t n = g->p[g->order[k]].n;
        g->digit[k] = i % n;
        i /= n;
    }
    for (size_t k = 0; k < g->np; k++) {
        grid_param *gp = &g->p[g->order[k]];
        uint64_t n = gp->n;
        uint64_t lev = g->digit[k] % n;
        /* No overflow: a_kq < n_k and d_q < n_q, and n_k n_q <= size <= 2^62. */
        for (size_t q = 0; q < k; q++)
            lev = (lev + (gp->shear[q] % n) * (g->digit[q] % n)) % n;
        g->vals[g->order[k]] = gp->level[gp->perm[lev]];
    }
    return bo_space_encode(s->space, g->vals, g->np, u, err);
}

static void grid_destroy(bo_strategy *s)
{
    grid_free(s->impl);
    s->impl = NULL;
}

static int64_t grid_capacity(const bo_strategy *s)
{
    const grid *g = s->impl;
    return g->size;
}

const bo_strategy_vtable bo_strategy_grid_vt = {
    .name = "grid",
    .init = grid_init,
    .propose = grid_propose,
    .observe = NULL,
    .destroy = grid_destroy,
    .capacity = grid_capacity,
};
