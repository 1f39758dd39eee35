/*
 * strategy_bo.c — the `bo` strategy: a GP surrogate (gp.h) and an
 * acquisition (acquisition.h) maximized by acq_search.h.
 *
 * A proposal is a pure function of the options, the history and the trial
 * number, so that a resumed study (history replayed through add/tell)
 * proposes exactly what an uninterrupted one would:
 *
 * - Initial design: Sobol points (sobol.h, seeded from the stream
 *   ("initial", 0) of the study seed), the i-th strategy proposal taking
 *   point i, until options.initial proposals were made (default: a
 *   function of the dimension) and at least two trials completed.
 * - Observations are the told trials in trial order. Hyperparameters are
 *   refitted FROM SCRATCH (fixed starts, nothing warm-started, nothing
 *   stored) on the first N observations, N = a schedule point <= n: every
 *   n up to 64, then every 2^(floor(log2 n) - 4) (every 4 at 64, 64 at
 *   1024: a refit each ~6% of growth). Rows after N are added by O(n^2)
 *   extensions of the Cholesky factor with the fitted hyperparameters, in
 *   trial order. The model is cached between asks; whenever the cache
 *   cannot be extended exactly as an uninterrupted run would have (a trial
 *   told out of order, a jitter change), it is rebuilt along the same
 *   path: set data to the first N rows, refit (or reuse the fit when its
 *   rows are unchanged), extend row by row. Same arithmetic, same bits.
 * - Failed trials (failed, crashed, timeout, invalid) are observations at a
 *   pessimistic value, the worst loss among the complete trials: the model
 *   then predicts bad losses around a failure, so EI there shrinks with the
 *   distance the length scales say the objective varies over, and the
 *   search's exclusion list keeps the very same configuration from coming
 *   back. A separate failure classifier would let failures far from good
 *   points cost nothing, but needs a second model and its own fit; the
 *   pessimistic value costs nothing and cannot pull the incumbent.
 *   (Inside the fitted prefix the worst loss is the prefix's own, so that
 *   a later, worse loss does not change an earlier fit.)
 * - Outputs pass through a Yeo-Johnson transform fitted with the
 *   hyperparameters (tf_fit below); the regret benchmark showed the gain
 *   (Rosenbrock 4-D at 100 trials: median regret 13 -> 1.8).
 * - Pending trials: "kriging believer": appended (only for this ask) at
 *   their posterior mean. The mean surface stays the same and the variance
 *   collapses around them, so EI stops pointing at what is being
 *   evaluated. Abandoned trials are neither observations nor pending.
 * - Nothing already in the history, abandoned trials included, is ever
 *   proposed again (canonical points compared).
 * - EI per second models measured time and is, as documented, not
 *   reproducible.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <stdio.h>

#include "acq_search.h"
#include "acquisition.h"
#include "error.h"
#include "gp.h"
#include "gp_fit.h"
#include "sobol.h"
#include "stream.h"
#include "strategy_bo.h"

/* How many times in a row the initial design may skip a point that is
 * already in the history (int/categorical spaces) before giving up on it. */
#define INITIAL_SKIPS 1024
#define N_CENTRES 5
/* Hyperparameters are fitted on at most this many observations (an even
 * stride through the fitted prefix, in trial order): a fit costs
 * O(FIT_MAX^3) per likelihood evaluation, so a refit ask stays well under
 * a second however long the history, while the model itself still
 * conditions on every observation. */
#define FIT_MAX 256

enum { ROW_COMPLETE = 0, ROW_FAILED = 1 };

typedef struct bo_impl {
    int acq_kind;
    size_t n_init;
    bo_sobol *init;
    bo_gp *gp, *cost_gp, *alt_gp;
    bo_acq_search *search;

    /* Observations of the current ask, in trial order. */
    size_t cap, n_obs, n_complete;
    double *x, *y;
    int64_t *tid;
    int *kind;
    double *pend;        /* pending points */
    size_t n_pend;
    double *centres;
    double *cx, *cy;     /* eips: cost data */
    double *sub_x, *sub_y; /* the fit's subsample (FIT_MAX rows) */

    /* The fit: theta of the first fit_n observations (fit_tid). */
    size_t fit_n;
    int64_t *fit_tid;
    double *fit_theta;
    /* The output transform of the current fit (see tf_fit). */
    double tf_mu, tf_s, tf_lambda;
    /* The model's rows: the first model_n observations (model_tid). */
    size_t model_n;
    int64_t *model_tid;

    size_t allocs;
    bo_strategy_bo_profile prof;
} bo_impl;

size_t bo_strategy_bo_default_initial(size_t dim)
{
    size_t mult = getenv("GP2_INIT") ? (size_t)atoi(getenv("GP2_INIT")) : 2;
    size_t n = mult * (dim + 1);
    return n > 10 * mult ? 10 * mult : n;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void impl_free(bo_impl *m)
{
    if (!m)
        return;
    bo_sobol_free(m->init);
    bo_gp_free(m->gp);
    bo_gp_free(m->cost_gp);
    bo_gp_free(m->alt_gp);
    bo_acq_search_free(m->search);
    free(m->x);
    free(m->y);
    free(m->tid);
    free(m->kind);
    free(m->pend);
    free(m->centres);
    free(m->cx);
    free(m->cy);
    free(m->sub_x);
    free(m->sub_y);
    free(m->fit_tid);
    free(m->fit_theta);
    free(m->model_tid);
    free(m);
}

static void bo_destroy(bo_strategy *s)
{
    impl_free(s->impl);
    s->impl = NULL;
}

static int bo_init(bo_strategy *s, bo_error *err)
{
    int kind = bo_acq_kind_parse(s->opt.acquisition);
    if (kind < 0)
        return bo_error_set(err, BO_EINVAL,
                            "strategy.acquisition: unknown acquisition '%s' "
                            "(known: ei, pi, ucb, eips)", s->opt.acquisition);
    bo_impl *m = calloc(1, sizeof *m);
    if (!m)
        return bo_error_set(err, BO_ENOMEM, "bo: out of memory");
    m->allocs = 1;
    m->acq_kind = kind;
    m->n_init = s->opt.initial >= 0 ? (size_t)s->opt.initial
                                    : bo_strategy_bo_default_initial(s->dim);
    s->impl = m;
    if (s->dim == 0)
        return BO_OK;
    int rc = bo_sobol_create(s->dim, bo_stream_seed(s->opt.seed, "initial", 0),
                             1, &m->init, err);
    if (!rc)
        rc = bo_gp_create(s->dim, &m->gp, err);
    if (!rc)
        rc = bo_gp_create(s->dim, &m->alt_gp, err);
    if (!rc && kind == BO_ACQ_EIPS)
        rc = bo_gp_create(s->dim, &m->cost_gp, err);
    if (!rc)
        rc = bo_acq_search_create(s->space, NULL, &m->search, err);
    if (!rc) {
        m->fit_theta = malloc(BO_GP_NPARAMS(s->dim) * sizeof(double));
        m->centres = malloc(N_CENTRES * s->dim * sizeof(double));
        m->sub_x = malloc(FIT_MAX * s->dim * sizeof(double));
        m->sub_y = malloc(FIT_MAX * sizeof(double));
        m->allocs += 4;
        if (!m->fit_theta || !m->centres || !m->sub_x || !m->sub_y)
            rc = bo_error_set(err, BO_ENOMEM, "bo: out of memory");
    }
    if (rc) {
        impl_free(m);
        s->impl = NULL;
    }
    return rc;
}

static int reserve(bo_impl *m, size_t need, size_t dim, bo_error *err)
{
    if (need <= m->cap)
        return BO_OK;
    size_t cap = m->cap ? m->cap : 32;
    while (cap < need)
        cap *= 2;
#define GROW(p, n)                                                         \
    do {                                                                   \
        void *q_ = realloc((p), (n) * sizeof *(p));                        \
        if (!q_)                                                           \
            return bo_error_set(err, BO_ENOMEM, "bo: out of memory");      \
        (p) = q_;                                                          \
        m->allocs++;                                                       \
    } while (0)
    GROW(m->x, cap * dim);
    GROW(m->y, cap);
    GROW(m->tid, cap);
    GROW(m->kind, cap);
    GROW(m->pend, cap * dim);
    GROW(m->cx, cap * dim);
    GROW(m->cy, cap);
    GROW(m->fit_tid, cap);
    GROW(m->model_tid, cap);
#undef GROW
    m->cap = cap;
    return BO_OK;
}

static int is_failure(int state)
{
    return state == BO_TRIAL_FAILED || state == BO_TRIAL_CRASHED ||
           state == BO_TRIAL_TIMEOUT || state == BO_TRIAL_INVALID;
}

/* Observations and pending points from the history, in trial order. */
static int gather(bo_strategy *s, bo_impl *m, bo_error *err)
{
    int rc = reserve(m, s->n + 1, s->dim, err);
    if (rc)
        return rc;
    size_t dim = s->dim;
    m->n_obs = m->n_complete = m->n_pend = 0;
    for (size_t i = 0; i < s->n; i++) {
        int st = s->state[i];
        const double *u = s->u + i * dim;
        if (st == BO_TRIAL_PENDING || st == BO_TRIAL_RUNNING) {
            memcpy(m->pend + m->n_pend++ * dim, u, dim * sizeof *u);
        } else if (st == BO_TRIAL_COMPLETE || is_failure(st)) {
            size_t r = m->n_obs++;
            memcpy(m->x + r * dim, u, dim * sizeof *u);
            m->tid[r] = (int64_t)i;
            m->kind[r] = st == BO_TRIAL_COMPLETE ? ROW_COMPLETE : ROW_FAILED;
            m->y[r] = st == BO_TRIAL_COMPLETE ? s->loss[i] : NAN;
            if (st == BO_TRIAL_COMPLETE)
                m->n_complete++;
        }
    }
    return BO_OK;
}

/* Worst complete loss among the first n observations (-inf if none). */
static double worst_of(const bo_impl *m, size_t n)
{
    double w = -INFINITY;
    for (size_t r = 0; r < n; r++)
        if (m->kind[r] == ROW_COMPLETE && m->y[r] > w)
            w = m->y[r];
    return w;
}

/* The largest refit point <= n (see the head comment). */
static size_t fit_point(size_t n)
{
    if (n <= 64)
        return n;
    size_t p = 0;
    while ((n >> (p + 1)) != 0)
        p++;
    size_t step = (size_t)1 << (p - 4);
    return n / step * step;
}

/*
 * Output transform: standardize, then Yeo-Johnson (Yeo & Johnson 2000)
 * with lambda in [-2, 2] chosen by maximum likelihood on the fitted
 * prefix, as HEBO does. Losses are often heavy-tailed (a few huge values,
 * or a plateau with rare deep dips); a GP fitted to them directly spends
 * its variance on the tail and predicts the region that matters poorly.
 * The transform is monotone, so minimizing the transformed loss is
 * minimizing the loss, and EI is computed on the transformed scale. It is
 * frozen with the fit: rows appended later use the same map. lambda <= 2
 * keeps the better-than-seen side unbounded (no saturation of
 * improvements).
 */
static double yj(double lambda, double z)
{
    if (z >= 0.0)
        return fabs(lambda) < 1e-12 ? log1p(z)
                                    : (pow(z + 1.0, lambda) - 1.0) / lambda;
    double l2 = 2.0 - lambda;
    return fabs(l2) < 1e-12 ? -log1p(-z) : -(pow(1.0 - z, l2) - 1.0) / l2;
}

static double yj_inverse(double lambda, double v)
{
    if (v >= 0.0) {
        if (fabs(lambda) < 1e-12)
            return expm1(v);
        double b = v * lambda + 1.0;
        return b > 0.0 ? pow(b, 1.0 / lambda) - 1.0 : INFINITY;
    }
    double l2 = 2.0 - lambda;
    if (fabs(l2) < 1e-12)
        return -expm1(-v);
    double b = 1.0 - l2 * v;
    return b > 0.0 ? 1.0 - pow(b, 1.0 / l2) : -INFINITY;
}

/* Profile log-likelihood of lambda for standardized z (normal model). */
static double yj_loglik(double lambda, const double *z, size_t n)
{
    double mean = 0.0, var = 0.0, jac = 0.0;
    for (size_t i = 0; i < n; i++)
        mean += yj(lambda, z[i]);
    mean /= (double)n;
    for (size_t i = 0; i < n; i++) {
        double t = yj(lambda, z[i]) - mean;
        var += t * t;
        jac += (z[i] >= 0 ? 1.0 : -1.0) * log1p(fabs(z[i]));
    }
    var /= (double)n;
    if (!(var > 0.0))
        return -INFINITY;
    return -0.5 * (double)n * log(var) + (lambda - 1.0) * jac;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Quantile of sorted[0..n) by linear interpolation. */
static double quantile(const double *sorted, size_t n, double q)
{
    double pos = q * (double)(n - 1);
    size_t i = (size_t)pos;
    double f = pos - (double)i;
    return i + 1 < n ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
}

/* Fits the transform to y[0..n) (raw). Uses z as scratch (n values). */
static void tf_fit(bo_impl *m, const double *y, size_t n, double *z)
{
    double mean = 0.0, var = 0.0;
    for (size_t i = 0; i < n; i++)
        mean += y[i];
    mean /= (double)(n ? n : 1);
    for (size_t i = 0; i < n; i++)
        var += (y[i] - mean) * (y[i] - mean);
    var /= (double)(n ? n : 1);
    m->tf_mu = mean;
    m->tf_s = var > 0.0 && isfinite(var) ? sqrt(var) : 1.0;
    m->tf_lambda = 1.0; /* identity */
    if (n < 3 || !(var > 0.0) || getenv("GP2_NOYJ"))
        return;
    if (getenv("GP2_ROBUST")) {
        memcpy(z, y, n * sizeof *z);
        qsort(z, n, sizeof *z, cmp_double);
        double med = quantile(z, n, 0.5), iqr = quantile(z, n, 0.75) - quantile(z, n, 0.25);
        if (iqr > 0.0 && isfinite(iqr)) {
            m->tf_mu = med;
            m->tf_s = iqr / 1.3489795003921634;
        }
    }
    for (size_t i = 0; i < n; i++)
        z[i] = (y[i] - m->tf_mu) / m->tf_s;
    /* grid, then golden-section refinement around the best grid point */
    double best_l = 1.0, best_v = yj_loglik(1.0, z, n);
    for (int k = 0; k <= 80; k++) {
        double l = -2.0 + 0.05 * k, v = yj_loglik(l, z, n);
        if (v > best_v) {
            best_v = v;
            best_l = l;
        }
    }
    double a = fmax(-2.0, best_l - 0.05), b = fmin(2.0, best_l + 0.05);
    const double g = 0.6180339887498949;
    double c = b - g * (b - a), d = a + g * (b - a);
    double fc = yj_loglik(c, z, n), fd = yj_loglik(d, z, n);
    for (int it = 0; it < 30; it++) {
        if (fc > fd) {
            b = d; d = c; fd = fc;
            c = b - g * (b - a); fc = yj_loglik(c, z, n);
        } else {
            a = c; c = d; fc = fd;
            d = a + g * (b - a); fd = yj_loglik(d, z, n);
        }
    }
    double l = 0.5 * (a + b);
    m->tf_lambda = yj_loglik(l, z, n) > best_v ? l : best_l;
}

static double tf(const bo_impl *m, double y)
{
    return yj(m->tf_lambda, (y - m->tf_mu) / m->tf_s);
}

static double tf_inverse(const bo_impl *m, double v)
{
    return m->tf_mu + m->tf_s * yj_inverse(m->tf_lambda, v);
}

/* Writes the first n observations' outputs into y (failures at `worst`). */
static void outputs(const bo_impl *m, size_t n, double worst, double *y)
{
    for (size_t r = 0; r < n; r++)
        y[r] = m->kind[r] == ROW_COMPLETE ? m->y[r] : worst;
}

/*
 * Brings the GP to the current observations, along the one path a resumed
 * run would take too (head comment). The GP's output of a failure row is
 * set to the current worst loss after the factor is up to date.
 */
static int update_model(bo_strategy *s, bo_impl *m, bo_error *err)
{
    size_t dim = s->dim, n = m->n_obs;
    /* The fit's prefix: a schedule point, holding at least two complete
     * trials (there are two in all, or the strategy would still be in its
     * initial design). */
    size_t N = fit_point(n), c = 0, first2 = 0;
    for (size_t r = 0; r < n; r++)
        if (m->kind[r] == ROW_COMPLETE && ++c == 2) {
            first2 = r + 1;
            break;
        }
    if (N < first2)
        N = first2;
    double *ybuf = m->cy; /* scratch, cap long; eips refills it later */
    int rc;
    int fit_ok = m->fit_n == N &&
                 memcmp(m->fit_tid, m->tid, N * sizeof *m->tid) == 0;
    int model_ok = fit_ok && m->model_n >= N && m->model_n <= n &&
                   memcmp(m->model_tid, m->tid,
                          m->model_n * sizeof *m->tid) == 0;
    if (!model_ok) {
        double t0 = now_s();
        double w = worst_of(m, N);
        outputs(m, N, w, ybuf);
        tf_fit(m, ybuf, N, m->cx); /* cx: scratch here */
        for (size_t r = 0; r < N; r++)
            ybuf[r] = tf(m, ybuf[r]);
        m->model_n = 0;
        if ((rc = bo_gp_set_data(m->gp, m->x, ybuf, N, err)))
            return rc;
        if (!fit_ok) {
            bo_gp_fit_options o = bo_gp_fit_options_default();
            o.seed = N;
            if (N > FIT_MAX) {
                for (size_t i = 0; i < FIT_MAX; i++) {
                    size_t r = i * N / FIT_MAX;
                    memcpy(m->sub_x + i * dim, m->x + r * dim,
                           dim * sizeof(double));
                    m->sub_y[i] = ybuf[r];
                }
                if ((rc = bo_gp_set_data(m->gp, m->sub_x, m->sub_y, FIT_MAX,
                                         err)))
                    return rc;
            }
            if ((rc = bo_gp_fit(m->gp, &o, err)))
                return rc;
            if (N > FIT_MAX &&
                (rc = bo_gp_set_data(m->gp, m->x, ybuf, N, err)))
                return rc;
            memcpy(m->fit_theta, bo_gp_theta(m->gp),
                   BO_GP_NPARAMS(dim) * sizeof(double));
            memcpy(m->fit_tid, m->tid, N * sizeof *m->tid);
            m->fit_n = N;
            if (getenv("GP2_DEBUG")) { const double *th = bo_gp_theta(m->gp); fprintf(stderr, "fit N=%zu:", N); for (size_t i = 0; i < BO_GP_NPARAMS(dim); i++) fprintf(stderr, " %.3g", i < dim ? exp(th[i]) : th[i]); fprintf(stderr, " lam %.2f\n", m->tf_lambda); }
            m->prof.n_fits++;
            m->prof.fit_s += now_s() - t0;
            t0 = now_s();
        }
        if ((rc = bo_gp_set_theta(m->gp, m->fit_theta, err)))
            return rc;
        memcpy(m->model_tid, m->tid, N * sizeof *m->tid);
        m->model_n = N;
        m->prof.model_s += now_s() - t0;
    }
    double t0 = now_s();
    double w = worst_of(m, n);
    for (size_t r = m->model_n; r < n; r++) {
        double yr = tf(m, m->kind[r] == ROW_COMPLETE ? m->y[r] : w);
        if ((rc = bo_gp_append(m->gp, m->x + r * dim, yr, err)))
            return rc;
        m->model_tid[r] = m->tid[r];
        m->model_n = r + 1;
    }
    for (size_t r = 0; r < n; r++)
        if (m->kind[r] == ROW_FAILED)
            bo_gp_set_y(m->gp, r, tf(m, w));
    m->prof.model_s += now_s() - t0;
    return BO_OK;
}

/* The cost model for EI per second: log cost_s of the complete trials
 * with a positive cost, refitted at every ask (measured time is not
 * reproducible anyway). Returns 0 with *ok = 0 when there is too little. */
static int update_cost_model(bo_strategy *s, bo_impl *m, int *ok,
                             bo_error *err)
{
    size_t dim = s->dim, k = 0;
    *ok = 0;
    for (size_t r = 0; r < m->n_obs; r++) {
        size_t i = (size_t)m->tid[r];
        double c = s->cost_s[i];
        if (m->kind[r] != ROW_COMPLETE || !(c > 0.0) || !isfinite(c))
            continue;
        memcpy(m->cx + k * dim, m->x + r * dim, dim * sizeof(double));
        m->cy[k++] = log(c);
    }
    if (k < 2)
        return BO_OK;
    int rc = bo_gp_set_data(m->cost_gp, m->cx, m->cy, k, err);
    bo_gp_fit_options o = bo_gp_fit_options_default();
    o.n_scored = 4;
    o.n_starts = 1;
    if (!rc)
        rc = bo_gp_fit(m->cost_gp, &o, err);
    *ok = rc == BO_OK;
    return rc;
}

static int initial_point(bo_strategy *s, bo_impl *m, double *u, bo_error *err)
{
    for (size_t k = 0; k < INITIAL_SKIPS; k++) {
        int rc = bo_sobol_point(m->init, (uint64_t)(s->n_proposed + k), u, err);
        if (rc)
            return rc;
        bo_space_canonical(s->space, u, u);
        if (!bo_acq_point_in(u, s->u, s->n, s->dim))
            return BO_OK;
    }
    return BO_DONE;
}

static int explore_model(bo_strategy *s, bo_impl *m, bo_error *err)
{
    size_t dim = s->dim, n = m->n_obs, np = BO_GP_NPARAMS(dim);
    double th[np], *ybuf = m->cy;
    memcpy(th, m->fit_theta, np * sizeof(double));
    int mode = getenv("GP2_MODE") ? atoi(getenv("GP2_MODE")) : 1;
    double cap;
    if (mode == 1) {
        double ls[dim];
        memcpy(ls, th, dim * sizeof(double));
        for (size_t i = 1; i < dim; i++)
            for (size_t j = i; j > 0 && ls[j - 1] > ls[j]; j--) {
                double t = ls[j]; ls[j] = ls[j - 1]; ls[j - 1] = t;
            }
        cap = ls[dim / 2];
    } else {
        cap = bo_gp_prior_ls_mu(dim) + (getenv("GP2_CAPOFF") ? atof(getenv("GP2_CAPOFF")) : 0.0);
    }
    for (size_t i = 0; i < dim; i++)
        if (th[i] > cap)
            th[i] = cap;
    outputs(m, n, worst_of(m, n), ybuf);
    for (size_t r = 0; r < n; r++)
        ybuf[r] = tf(m, ybuf[r]);
    bo_gp_truncate(m->alt_gp, 0);
    int rc = bo_gp_set_theta(m->alt_gp, th, err);
    if (!rc)
        rc = bo_gp_set_data(m->alt_gp, m->x, ybuf, n, err);
    return rc;
}

static double acq_value(void *ctx, const double *u, double *grad)
{
    return bo_acq_value(ctx, u, grad);
}

static int acq_values(void *ctx, const double *u, size_t n, double *out,
                      double *work, bo_error *err)
{
    return bo_acq_values(ctx, u, n, out, work, err);
}

/* Up to N_CENTRES best complete observations, by repeated scans. */
static size_t pick_centres(bo_strategy *s, bo_impl *m)
{
    size_t nc = 0, dim = s->dim;
    double last = -INFINITY;
    int64_t last_t = -1;
    for (size_t k = 0; k < N_CENTRES; k++) {
        size_t bi = SIZE_MAX;
        for (size_t r = 0; r < m->n_obs; r++) {
            if (m->kind[r] != ROW_COMPLETE)
                continue;
            double v = m->y[r];
            /* strictly after (last, last_t) in (loss, trial) order */
            if (v < last || (v == last && m->tid[r] <= last_t))
                continue;
            if (bi == SIZE_MAX || v < m->y[bi] ||
                (v == m->y[bi] && m->tid[r] < m->tid[bi]))
                bi = r;
        }
        if (bi == SIZE_MAX)
            break;
        last = m->y[bi];
        last_t = m->tid[bi];
        memcpy(m->centres + nc++ * dim, m->x + bi * dim, dim * sizeof(double));
    }
    return nc;
}

static int bo_propose(bo_strategy *s, int64_t trial, double *u, bo_error *err)
{
    bo_impl *m = s->impl;
    size_t dim = s->dim;
    if (dim == 0)
        return s->n ? BO_DONE : BO_OK;
    int rc = gather(s, m, err);
    if (rc)
        return rc;
    m->prof.n_asks++;
    if (s->n_proposed < m->n_init || m->n_complete < 2) {
        rc = initial_point(s, m, u, err);
        if (rc != BO_DONE || m->n_complete < 2)
            return rc;
    }
    if ((rc = update_model(s, m, err)))
        return rc;

    double t0 = now_s();
    bo_acq a = {.kind = m->acq_kind, .gp = m->gp, .cost_gp = NULL,
                .best = INFINITY, .beta = BO_ACQ_UCB_BETA};
    int K = getenv("GP2_K") ? atoi(getenv("GP2_K")) : 0;
    if (K > 0 && trial % K == K - 1) {
        if ((rc = explore_model(s, m, err)))
            return rc;
        a.gp = m->alt_gp;
    }
    for (size_t r = 0; r < m->n_obs; r++)
        if (m->kind[r] == ROW_COMPLETE && m->y[r] < a.best)
            a.best = m->y[r];
    a.best = tf(m, a.best); /* monotone: the transformed incumbent */
    if (m->acq_kind == BO_ACQ_EIPS) {
        int ok;
        if ((rc = update_cost_model(s, m, &ok, err)))
            return rc;
        if (ok)
            a.cost_gp = m->cost_gp;
    }

    /* Kriging believer for the pending trials (for this ask only). */
    size_t base = bo_gp_n(a.gp);
    double jitter0 = bo_gp_jitter(a.gp);
    for (size_t p = 0; p < m->n_pend && !rc; p++) {
        double mu, var;
        const double *xp = m->pend + p * dim;
        bo_gp_predict(a.gp, xp, &mu, &var, NULL, NULL);
        rc = bo_gp_append(a.gp, xp, mu, err);
    }
    size_t nc = pick_centres(s, m);
    bo_acq_fn fn = {.value = acq_value, .values = acq_values, .ctx = &a};
    uint64_t seed = bo_stream_seed(s->opt.seed, "acquisition",
                                   (uint64_t)trial);
    if (!rc)
        rc = bo_acq_search_run(m->search, &fn, m->centres, nc, s->u, s->n,
                               seed, u, NULL, err);
    if (getenv("GP2_DEBUG") && dim == 6 && !rc) {
        static const double g[6] = {0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573};
        double mu, var, mu2, var2;
        bo_gp_predict(a.gp, g, &mu, &var, NULL, NULL);
        bo_gp_predict(a.gp, u, &mu2, &var2, NULL, NULL);
        fprintf(stderr, "t%lld %s best %.3g glob mu %.3g sd %.3g acq %.3g | pick mu %.3g sd %.3g acq %.3g\n", (long long)trial, a.gp == m->gp ? "main" : "alt ", a.best, mu, sqrt(var), bo_acq_value(&a, g, NULL), mu2, sqrt(var2), bo_acq_value(&a, u, NULL));
    }
    bo_gp_truncate(a.gp, base);
    /* A jitter raised by a pending row refactored the committed rows too:
     * rebuild next time, along the path a resumed run takes. */
    if (a.gp == m->gp && bo_gp_jitter(m->gp) != jitter0)
        m->model_n = 0;
    const bo_acq_search_stats *st = bo_acq_search_last_stats(m->search);
    m->prof.n_scored += st->n_scored;
    m->prof.n_refine_evals += st->n_refine_evals;
    m->prof.search_s += now_s() - t0;
    return rc;
}

int bo_strategy_bo_best_mean(bo_strategy *s, int64_t *trial, double *mean,
                             bo_error *err)
{
    *trial = -1;
    *mean = NAN;
    if (!s || s->vt != &bo_strategy_bo_vt)
        return bo_error_set(err, BO_EINVAL, "best mean: not a bo strategy");
    bo_impl *m = s->impl;
    if (s->dim == 0)
        return BO_DONE;
    int rc = gather(s, m, err);
    if (rc)
        return rc;
    if (m->n_complete < 2)
        return BO_DONE;
    if ((rc = update_model(s, m, err)))
        return rc;
    /* Compared on the transformed scale; reported back in loss units (the
     * transform is monotone, so this is the posterior median). */
    double best = INFINITY;
    for (size_t r = 0; r < m->n_obs; r++) {
        if (m->kind[r] != ROW_COMPLETE)
            continue;
        double mu, var;
        bo_gp_predict(m->gp, m->x + r * s->dim, &mu, &var, NULL, NULL);
        if (*trial < 0 || mu < best) {
            best = mu;
            *trial = m->tid[r];
        }
    }
    *mean = tf_inverse(m, best);
    return BO_OK;
}

size_t bo_strategy_bo_alloc_count(const bo_strategy *s)
{
    const bo_impl *m = s->impl;
    size_t n = m->allocs;
    if (m->gp)
        n += bo_gp_alloc_count(m->gp);
    if (m->cost_gp)
        n += bo_gp_alloc_count(m->cost_gp);
    if (m->alt_gp)
        n += bo_gp_alloc_count(m->alt_gp);
    if (m->search)
        n += bo_acq_search_alloc_count(m->search);
    return n;
}

const bo_strategy_bo_profile *bo_strategy_bo_get_profile(const bo_strategy *s)
{
    const bo_impl *m = s->impl;
    return &m->prof;
}

const bo_strategy_vtable bo_strategy_bo_vt = {
    .name = "bo",
    .init = bo_init,
    .propose = bo_propose,
    .observe = NULL,
    .destroy = bo_destroy,
    .capacity = NULL,
};
