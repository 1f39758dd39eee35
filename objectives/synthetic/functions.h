/*
 * functions.h — the synthetic benchmark functions with known global minima
 * (Branin, Goldstein-Price, six-hump camel, Hartmann 3-D and 6-D, Ackley,
 * Rosenbrock, Rastrigin), as plain functions of a double vector.
 *
 * Pure code: no allocation, no I/O, no state, only libm. The synthetic
 * objective plugin wraps it, and benchmarks elsewhere in the tree compile
 * functions.c directly to measure regret against the known optimum.
 * Nothing here may depend on libbo, GSL or the plugin ABI.
 *
 * Canonical names: "branin", "goldstein-price", "six-hump-camel",
 * "hartmann3", "hartmann6", "ackley", "rosenbrock", "rastrigin".
 * bo_synth_find() also accepts the aliases "goldstein_price",
 * "goldsteinprice", "six_hump_camel", "sixhumpcamel" and "camel".
 */
#ifndef BO_SYNTH_FUNCTIONS_H
#define BO_SYNTH_FUNCTIONS_H

#include <stddef.h>

typedef struct bo_synth_function {
    const char *name;      /* canonical name */
    size_t dim;            /* fixed dimension, or 0 when set by config */
    size_t default_dim;    /* for dim 0 functions (the fixed one otherwise) */
    /* f(x) for x of length d; defined on all of R^d, not only the domain. */
    double (*f)(const double *x, size_t d);
    /* The standard domain of coordinate i (0 <= i < d): [*lo, *hi]. */
    void (*domain)(size_t i, size_t d, double *lo, double *hi);
    double (*optimum)(size_t d);   /* known global minimum value */
    void (*argmin)(size_t d, double *x); /* one global minimizer */
} bo_synth_function;

/* The function called `name` (canonical or alias), or NULL if unknown. */
const bo_synth_function *bo_synth_find(const char *name);

/* The number of functions, and the i-th of them in a fixed order
 * (NULL when i >= bo_synth_count()). */
size_t bo_synth_count(void);
const bo_synth_function *bo_synth_at(size_t i);

#endif
