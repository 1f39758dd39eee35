/*
 * compare_stats.c — quantiles, the Mann-Whitney U test and Holm's
 * correction for `bo compare` (see compare_stats.h).
 *
 * Must never print, keep state between calls, or treat a NaN as a number.
 */
#include "compare_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "error.h"

int bo_compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bo_compare_quantile(const double *sorted, size_t n, double p)
{
    if (n == 0 || !(p >= 0.0 && p <= 1.0))
        return NAN;
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    if (lo >= n - 1)
        return sorted[n - 1];
    double frac = h - (double)lo;
    /* 0 * inf is NaN: a weight of zero must not look at the value at all. */
    if (frac == 0.0)
        return sorted[lo];
    if (isinf(sorted[lo + 1]) || isinf(sorted[lo]))
        return sorted[lo + 1] > 0 ? INFINITY : sorted[lo];
    return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

/* ------------------------------------------------------------ Mann-Whitney */

typedef struct pooled {
    double v;
    int from_x;
} pooled;

static int pooled_cmp(const void *a, const void *b)
{
    double x = ((const pooled *)a)->v, y = ((const pooled *)b)->v;
    return (x > y) - (x < y);
}

/*
 * The exact distribution of the rank sum of a group of k values drawn from
 * the pooled (mid-)ranks. Doubled mid-ranks are whole numbers, so the
 * count of k-subsets by doubled sum is a knapsack table, filled one pooled
 * value at a time (k descending, so each value is used at most once).
 * Counts reach C(100, 50) ~ 1e29: far inside a double's range, and the
 * p-value is a ratio of sums of them, exact to rounding.
 */
static int mwu_exact(const long *rank2, size_t n, size_t k, long s2_obs,
                     double *p_le, double *p_ge, bo_error *err)
{
    long max_s = 0;
    for (size_t i = 0; i < n; i++)
        max_s += rank2[i];
    size_t width = (size_t)max_s + 1;
    double *cnt = calloc((k + 1) * width, sizeof *cnt);
    if (!cnt)
        return bo_error_set(err, BO_ENOMEM, "out of memory for the exact "
                                            "Mann-Whitney distribution");
    cnt[0] = 1.0;
    for (size_t i = 0; i < n; i++) {
        size_t w = (size_t)rank2[i];
        size_t top = i + 1 < k ? i + 1 : k;
        for (size_t j = top; j >= 1; j--) {
            double *row = cnt + j * width;
            const double *prev = cnt + (j - 1) * width;
            for (size_t s = width - 1; s >= w; s--) {
                row[s] += prev[s - w];
                if (s == w)
                    break;
            }
        }
    }
    const double *last = cnt + k * width;
    double total = 0.0, le = 0.0, ge = 0.0;
    for (size_t s = 0; s < width; s++) {
        total += last[s];
        if ((long)s <= s2_obs)
            le += last[s];
        if ((long)s >= s2_obs)
            ge += last[s];
    }
    free(cnt);
    *p_le = fmin(1.0, le / total);
    *p_ge = fmin(1.0, ge / total);
    return BO_OK;
}

int bo_compare_mann_whitney(const double *x, size_t nx, const double *y,
                            size_t ny, bo_mwu *out, bo_error *err)
{
    if (nx == 0 || ny == 0)
        return bo_error_set(err, BO_EINVAL,
                            "Mann-Whitney test: both samples need a value");
    size_t n = nx + ny;
    pooled *pool = malloc(n * sizeof *pool);
    long *rank2 = malloc(n * sizeof *rank2);
    if (!pool || !rank2) {
        free(pool);
        free(rank2);
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    }
    int rc = BO_OK;
    for (size_t i = 0; i < n; i++) {
        pool[i].v = i < nx ? x[i] : y[i - nx];
        pool[i].from_x = i < nx;
        if (isnan(pool[i].v))
            rc = bo_error_set(err, BO_EINVAL,
                              "Mann-Whitney test: value %zu of %s is NaN",
                              i < nx ? i : i - nx, i < nx ? "x" : "y");
    }
    if (rc) {
        free(pool);
        free(rank2);
        return rc;
    }
    qsort(pool, n, sizeof *pool, pooled_cmp);

    /* Mid-ranks, doubled to stay whole: a run of equal values at 1-based
     * ranks a..b gets (a + b) / 2 each. */
    long s2_x = 0;
    double tie_term = 0.0;   /* sum of t^3 - t over runs of t ties */
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b + 1 < n && pool[b + 1].v == pool[a].v)
            b++;
        long r2 = (long)(a + 1) + (long)(b + 1);
        double t = (double)(b - a + 1);
        tie_term += t * t * t - t;
        for (size_t i = a; i <= b; i++) {
            rank2[i] = r2;
            if (pool[i].from_x)
                s2_x += r2;
        }
        a = b + 1;
    }
    double dnx = (double)nx, dny = (double)ny, dn = (double)n;
    out->u = 0.5 * (double)s2_x - dnx * (dnx + 1.0) / 2.0;

    if (n <= BO_MWU_EXACT_MAX) {
        /* Count subsets of the smaller group: U_x small <=> x's sum small,
         * and x's sum is the total minus y's. */
        long total2 = (long)(n * (n + 1));
        if (nx <= ny) {
            rc = mwu_exact(rank2, n, nx, s2_x, &out->p_less, &out->p_greater,
                           err);
        } else {
            rc = mwu_exact(rank2, n, ny, total2 - s2_x, &out->p_greater,
                           &out->p_less, err);
        }
        out->method = BO_MWU_EXACT;
    } else {
        double mu = dnx * dny / 2.0;
        double var = dnx * dny / 12.0 * ((dn + 1.0) - tie_term / (dn * (dn - 1.0)));
        if (var <= 0.0) {
            out->p_less = out->p_greater = 1.0;
        } else {
            double sd = sqrt(var);
            out->p_less = gsl_cdf_ugaussian_P((out->u - mu + 0.5) / sd);
            out->p_greater = gsl_cdf_ugaussian_Q((out->u - mu - 0.5) / sd);
        }
        out->method = BO_MWU_NORMAL;
    }
    out->p_two = fmin(1.0, 2.0 * fmin(out->p_less, out->p_greater));
    free(pool);
    free(rank2);
    return rc;
}

/* ------------------------------------------------------------------ Holm */

typedef struct ranked_p {
    double p;
    size_t i;
} ranked_p;

static int ranked_cmp(const void *a, const void *b)
{
    const ranked_p *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

int bo_compare_holm(const double *p, size_t m, double *adj, bo_error *err)
{
    ranked_p *r = malloc((m ? m : 1) * sizeof *r);
    if (!r)
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        if (isnan(p[i]))
            continue;
        if (p[i] < 0.0 || p[i] > 1.0) {
            free(r);
            return bo_error_set(err, BO_EINVAL,
                                "Holm correction: p-value %zu is %g, not in [0, 1]",
                                i, p[i]);
        }
        r[k].p = p[i];
        r[k].i = i;
        k++;
    }
    qsort(r, k, sizeof *r, ranked_cmp);
    for (size_t i = 0; i < m; i++)
        if (isnan(p[i]))
            adj[i] = NAN;
    double running = 0.0;
    for (size_t j = 0; j < k; j++) {
        double a = fmin(1.0, (double)(k - j) * r[j].p);
        running = fmax(running, a);
        adj[r[j].i] = running;
    }
    free(r);
    return BO_OK;
}
