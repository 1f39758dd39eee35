/*
 * early_stop.c — the median stopping rule (see early_stop.h).
 *
 * Each trial's reports are kept sorted by step (a report for a step already
 * seen replaces it, as storage does), so that the median at a step is one
 * binary search per reference trial. Non-finite reports are stored by
 * storage but play no part here: they neither stop a trial nor move a
 * median.
 */
#include "early_stop.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

typedef struct curve {
    int64_t trial;
    int complete;       /* in the reference set */
    int64_t *steps;
    double *values;
    size_t n, cap;
    double best;        /* lowest finite value, +inf when none */
} curve;

struct bo_early_stop {
    int64_t min_trials, min_step;
    curve *c;
    size_t n, cap;
    double *scratch;    /* reference values at one step */
    size_t scratch_cap;
};

int bo_early_stop_create(int64_t min_trials, int64_t min_step,
                         bo_early_stop **out, bo_error *err)
{
    *out = NULL;
    if (min_trials < 1)
        return bo_error_set(err, BO_EINVAL, "early stopping: min_trials "
                            "must be at least 1");
    bo_early_stop *es = calloc(1, sizeof *es);
    if (!es)
        return bo_error_set(err, BO_ENOMEM, "early stopping: out of memory");
    es->min_trials = min_trials;
    es->min_step = min_step;
    *out = es;
    return BO_OK;
}

void bo_early_stop_free(bo_early_stop *es)
{
    if (!es)
        return;
    for (size_t i = 0; i < es->n; i++) {
        free(es->c[i].steps);
        free(es->c[i].values);
    }
    free(es->c);
    free(es->scratch);
    free(es);
}

static int nomem(bo_error *err)
{
    return bo_error_set(err, BO_ENOMEM, "early stopping: out of memory");
}

/* The trial's curve, created (empty, running) when absent. Curves in
 * flight are few and recent, so the search starts from the end. */
static curve *curve_of(bo_early_stop *es, int64_t trial, bo_error *err)
{
    for (size_t i = es->n; i-- > 0;)
        if (es->c[i].trial == trial)
            return &es->c[i];
    if (es->n == es->cap) {
        size_t cap = es->cap ? 2 * es->cap : 16;
        curve *c = realloc(es->c, cap * sizeof *c);
        if (!c) {
            nomem(err);
            return NULL;
        }
        es->c = c;
        es->cap = cap;
    }
    curve *c = &es->c[es->n++];
    memset(c, 0, sizeof *c);
    c->trial = trial;
    c->best = INFINITY;
    return c;
}

/* Index of the first step >= step. */
static size_t lower_bound(const curve *c, int64_t step)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->steps[mid] < step)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int curve_put(curve *c, int64_t step, double value, bo_error *err)
{
    size_t i = lower_bound(c, step);
    if (i < c->n && c->steps[i] == step) {
        c->values[i] = value;
        c->best = INFINITY;
        for (size_t k = 0; k < c->n; k++)
            if (isfinite(c->values[k]) && c->values[k] < c->best)
                c->best = c->values[k];
        return BO_OK;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        int64_t *s = realloc(c->steps, cap * sizeof *s);
        if (!s)
            return nomem(err);
        c->steps = s;
        double *v = realloc(c->values, cap * sizeof *v);
        if (!v)
            return nomem(err);
        c->values = v;
        c->cap = cap;
    }
    memmove(c->steps + i + 1, c->steps + i, (c->n - i) * sizeof *c->steps);
    memmove(c->values + i + 1, c->values + i, (c->n - i) * sizeof *c->values);
    c->steps[i] = step;
    c->values[i] = value;
    c->n++;
    if (isfinite(value) && value < c->best)
        c->best = value;
    return BO_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of the reference values at `step` (trials below `before`);
 * *enough = 0 when fewer than min_trials reported there. */
static int median_at(bo_early_stop *es, int64_t step, int64_t before,
                     double *median, int *enough, bo_error *err)
{
    size_t k = 0;
    for (size_t i = 0; i < es->n; i++) {
        const curve *c = &es->c[i];
        if (!c->complete || c->trial >= before)
            continue;
        size_t j = lower_bound(c, step);
        if (j == c->n || c->steps[j] != step || !isfinite(c->values[j]))
            continue;
        if (k == es->scratch_cap) {
            size_t cap = es->scratch_cap ? 2 * es->scratch_cap : 64;
            double *s = realloc(es->scratch, cap * sizeof *s);
            if (!s)
                return nomem(err);
            es->scratch = s;
            es->scratch_cap = cap;
        }
        es->scratch[k++] = c->values[j];
    }
    *enough = k > 0 && (int64_t)k >= es->min_trials;
    if (!*enough)
        return BO_OK;
    qsort(es->scratch, k, sizeof *es->scratch, cmp_double);
    *median = k % 2 ? es->scratch[k / 2]
                    : 0.5 * (es->scratch[k / 2 - 1] + es->scratch[k / 2]);
    return BO_OK;
}

int bo_early_stop_report(bo_early_stop *es, int64_t trial, int64_t step,
                         double value, int64_t before, bo_error *err)
{
    curve *c = curve_of(es, trial, err);
    if (!c)
        return BO_ENOMEM;
    if (c->complete)
        return bo_error_set(err, BO_ESTATE, "early stopping: a report for "
                            "trial %lld, which has ended", (long long)trial);
    int rc = curve_put(c, step, value, err);
    if (rc || step < es->min_step || !isfinite(c->best))
        return rc;
    double median;
    int enough;
    rc = median_at(es, step, before, &median, &enough, err);
    if (rc)
        return rc;
    return enough && c->best > median;
}

int bo_early_stop_end(bo_early_stop *es, int64_t trial, int complete,
                      bo_error *err)
{
    for (size_t i = es->n; i-- > 0;) {
        curve *c = &es->c[i];
        if (c->trial != trial || c->complete)
            continue;
        if (complete && c->n > 0) {
            c->complete = 1;
            return BO_OK;
        }
        free(c->steps);
        free(c->values);
        es->c[i] = es->c[--es->n];
        return BO_OK;
    }
    (void)err; /* a trial that never reported has nothing to keep */
    return BO_OK;
}

int bo_early_stop_add(bo_early_stop *es, int64_t trial, const int64_t *steps,
                      const double *values, size_t n, bo_error *err)
{
    if (n == 0)
        return BO_OK;
    curve *c = curve_of(es, trial, err);
    if (!c)
        return BO_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        int rc = curve_put(c, steps[i], values[i], err);
        if (rc)
            return rc;
    }
    c->complete = 1;
    return BO_OK;
}
