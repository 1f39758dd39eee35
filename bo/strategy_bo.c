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
 *   function of the dimension) and at least two trials completed. A point
 *   already tried is skipped; after INITIAL_SKIPS of them in a row, uniform
 *   draws of the stream ("initial-rest", trial) look for an untried one
 *   (a discrete space nearly run through), and BO_DONE says none was found.
 * - Observations are the told trials in trial order. Hyperparameters are
 *   refitted FROM SCRATCH (fixed starts, nothing warm-started, nothing
 *   stored) on the first N observations, N = a schedule point <= n: every
 *   n up to 64, then every 2^(floor(log2 n) - 4) (every 4 at 64, 64 at
 *   1024: a refit each ~6% of growth; past FIT_MAX observations the fit
 *   sees an even stride of FIT_MAX of them). Rows after N are added by O(n^2)
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
 * - Outputs pass through a robust standardization and a Yeo-Johnson
 *   transform (output_tf.h) fitted with the hyperparameters; the regret
 *   benchmark showed the gain (Rosenbrock 4-D at 100 trials: median
 *   regret 13 -> 1.8 with Yeo-Johnson, -> 0.5 with the robust centre and
 *   scale; Goldstein-Price 0.069 -> 7e-6).
 * - Pending trials: "kriging believer": appended (only for this ask) at
 *   their posterior mean, as noiseless rows (the belief is about the
 *   latent value). The mean surface stays the same and the variance
 *   collapses around them, whatever noise the model has learned, so EI
 *   stops pointing at what is being evaluated. Abandoned trials are
 *   neither observations nor pending. Chosen by bench_parallel_regret
 *   (hartmann6, 4 workers, 48 trials, median of 20 seeds), with the
 *   earlier noise prior: believer 0.018, fantasized EI (8 joint samples of
 *   the pending outcomes, EI averaged; 2.6x the ask time) 0.021, ignoring
 *   pending trials 0.075, constant liar at the best 0.69; with the current
 *   one: believer 0.020, local penalization (EI times d^2 / (d^2 + r^2)
 *   per pending point, r its Lipschitz radius (|mu - best| + gamma sigma)
 *   / max |grad mu|, gamma 0.5 to 2) 0.039 to 0.067, believed values kept
 *   out of the incumbent 0.069. Over 40 seeds (believer 0.0085): pending
 *   rows with noise c times their posterior variance (c 0.01 to 1; a
 *   partial collapse) 0.0036 to 0.090, c 0.1 best but worse on hartmann3
 *   and rosenbrock at K = 4; pending trials left out of the model and log
 *   EI penalized by log(1 - exp(-d^2 / 2)) per pending point, d its
 *   distance in units of r times the length scales (r 0.005 to 0.4),
 *   0.013 to 0.099.
 * - Tried and not kept (bench_regret, 20 seeds):
 *   - EI averaged over 8 slice-sampled hyperparameter sets: hartmann6 @50
 *     1.2e-5 -> 9.5e-5, 3x the ask time, no stuck seed freed;
 *   - Kumaraswamy input warping learned with the kernel: a gain on branin
 *     only, 1.45x the ask time;
 *   - the output transform's lambda chosen by the GP's likelihood;
 *   - the incumbent as the lowest posterior mean at the observed points
 *     ("plug-in" EI) instead of the lowest observed loss: rastrigin @100
 *     20.1 -> 5.2 and ackley @100 2.18 -> 0.65, but goldstein-price @50
 *     0.0035 -> 0.021, branin @50 4.8e-6 -> 1.3e-5, rosenbrock @100 0.32
 *     -> 0.80, and on the Fashion-MNIST trainer the same median best at 20
 *     trials (0.3233) with fewer runs reaching the grid's best (0 of 5
 *     against 2).
 * - While every complete trial has the same loss (a plateau, a constant
 *   objective), proposals go on along the Sobol sequence: EI on a flat
 *   model is the posterior spread, largest at the box's corners, and
 *   spent 20 of 30 trials there on a 2-D plateau whose good region
 *   (13% of the square) random search found on all 10 seeds of 10.
 * - Nothing already in the history, abandoned trials included, is ever
 *   proposed again (canonical points compared).
 * - EI per second models measured time and is, as documented, not
 *   reproducible.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_rng.h>

#include "acq_search.h"
#include "acquisition.h"
#include "error.h"
#include "gp.h"
#include "output_tf.h"
#include "sobol.h"
#include "stream.h"
#include "strategy_bo.h"

/* How many times in a row the initial design may skip a point that is
 * already in the history (int/categorical spaces) before giving up on it. */
#define INITIAL_SKIPS 1024
/* ...and then how many uniform draws look for an untried point. */
#define RANDOM_SKIPS 16384
#define N_CENTRES 5
/* Hyperparameters are fitted on at most this many observations (an even
 * stride through the fitted prefix, in trial order): a fit costs
 * O(FIT_MAX^3) per likelihood evaluation, so a refit ask stays well under
 * a second however long the history, while the model itself still
 * conditions on every observation. */
#define FIT_MAX 192

enum { ROW_COMPLETE = 0, ROW_FAILED = 1 };

typedef struct bo_impl {
    int acq_kind;
    size_t n_init;
    bo_sobol *init;
    bo_gp *gp, *cost_gp;
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
    /* The output transform of the current fit, frozen with it: rows
     * appended later use the same map (output_tf.h). */
    bo_output_tf otf;
    /* The model's rows: the first model_n observations (model_tid). */
    size_t model_n;
    int64_t *model_tid;

    size_t allocs;
    bo_strategy_bo_profile prof;
} bo_impl;

size_t bo_strategy_bo_default_initial(size_t dim)
{
    size_t n = 2 * (dim + 1);
    return n > 20 ? 20 : n;
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

static double tf(const bo_impl *m, double y)
{
    return bo_output_tf_apply(&m->otf, y);
}

static double tf_inverse(const bo_impl *m, double v)
{
    return bo_output_tf_inverse(&m->otf, v);
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
        bo_output_tf_fit(&m->otf, ybuf, N, m->cx); /* cx: scratch here */
        for (size_t r = 0; r < N; r++)
            ybuf[r] = tf(m, ybuf[r]);
        m->model_n = 0;
        /* A fit on all N rows ends (bo_gp_fit -> bo_gp_set_theta) with the
         * GP holding exactly the model built below: same rows, outputs,
         * theta and factorization; building it again would repeat the
         * O(N^3) Cholesky. A subsampled fit holds other rows. */
        int built = 0;
        if (!fit_ok) {
            const double *fx = m->x, *fy = ybuf;
            size_t fn = N;
            if (N > FIT_MAX) {
                for (size_t i = 0; i < FIT_MAX; i++) {
                    size_t r = i * N / FIT_MAX;
                    memcpy(m->sub_x + i * dim, m->x + r * dim,
                           dim * sizeof(double));
                    m->sub_y[i] = ybuf[r];
                }
                fx = m->sub_x;
                fy = m->sub_y;
                fn = FIT_MAX;
            }
            bo_gp_fit_options o = bo_gp_fit_options_default();
            o.seed = N;
            /* From the prior's centre, so that nothing of an earlier
             * theta can reach the fit (bo_gp_fit starts from scratch, but
             * set_data factors with the current theta first). */
            double th0[BO_GP_NPARAMS(dim)];
            bo_gp_default_theta(dim, th0);
            bo_gp_truncate(m->gp, 0);
            if ((rc = bo_gp_set_theta(m->gp, th0, err)) ||
                (rc = bo_gp_set_data(m->gp, fx, fy, fn, err)) ||
                (rc = bo_gp_fit(m->gp, &o, err)))
                return rc;
            memcpy(m->fit_theta, bo_gp_theta(m->gp),
                   BO_GP_NPARAMS(dim) * sizeof(double));
            memcpy(m->fit_tid, m->tid, N * sizeof *m->tid);
            m->fit_n = N;
            m->prof.n_fits++;
            m->prof.fit_s += now_s() - t0;
            t0 = now_s();
            built = fn == N;
        }
        /* Theta first, on no rows (free), then the one factorization. */
        if (!built) {
            bo_gp_truncate(m->gp, 0);
            if ((rc = bo_gp_set_theta(m->gp, m->fit_theta, err)) ||
                (rc = bo_gp_set_data(m->gp, m->x, ybuf, N, err)))
                return rc;
        }
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
    /* A discrete space nearly run through: the few points left may lie
     * where Sobol's next draws do not (one-hot blocks). Uniform draws of
     * their own stream find them, or say there are none worth looking for. */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!r)
        return bo_error_set(err, BO_ENOMEM, "bo: out of memory");
    bo_stream_set(r, s->opt.seed, "initial-rest", (uint64_t)s->n_proposed);
    int rc = BO_DONE;
    for (size_t k = 0; k < RANDOM_SKIPS && rc == BO_DONE; k++) {
        for (size_t j = 0; j < s->dim; j++)
            u[j] = gsl_rng_uniform(r);
        bo_space_canonical(s->space, u, u);
        if (!bo_acq_point_in(u, s->u, s->n, s->dim))
            rc = BO_OK;
    }
    gsl_rng_free(r);
    return rc;
}

/* Every complete trial had the same loss (a plateau, diverged runs at
 * chance level, a constant objective): the model has nothing to go on,
 * and EI would reduce to the posterior spread, which peaks at the box's
 * corners. The Sobol sequence goes on instead, spreading the trials until
 * one loss differs. */
static int losses_flat(const bo_impl *m)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t r = 0; r < m->n_obs; r++)
        if (m->kind[r] == ROW_COMPLETE) {
            lo = fmin(lo, m->y[r]);
            hi = fmax(hi, m->y[r]);
        }
    return lo == hi;
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
    if (s->n_proposed < m->n_init || m->n_complete < 2 || losses_flat(m)) {
        rc = initial_point(s, m, u, err);
        if (rc != BO_DONE || m->n_complete < 2)
            return rc;
    }
    if ((rc = update_model(s, m, err)))
        return rc;

    double t0 = now_s();
    bo_acq a = {.kind = m->acq_kind, .gp = m->gp, .cost_gp = NULL,
                .best = INFINITY, .beta = BO_ACQ_UCB_BETA};
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
    size_t base = bo_gp_n(m->gp);
    double jitter0 = bo_gp_jitter(m->gp);
    for (size_t p = 0; p < m->n_pend && !rc; p++) {
        double mu, var;
        const double *xp = m->pend + p * dim;
        bo_gp_predict(m->gp, xp, &mu, &var, NULL, NULL);
        rc = bo_gp_append_noiseless(m->gp, xp, mu, err);
        /* a believed value is an observation: it may be the incumbent
         * (else EI stays best - mu > 0 at the pending point itself) */
        if (mu < a.best)
            a.best = mu;
    }
    size_t nc = pick_centres(s, m);
    bo_acq_fn fn = {.value = acq_value, .values = acq_values, .ctx = &a};
    uint64_t seed = bo_stream_seed(s->opt.seed, "acquisition",
                                   (uint64_t)trial);
    if (!rc)
        rc = bo_acq_search_run(m->search, &fn, m->centres, nc, s->u, s->n,
                               seed, u, NULL, err);
    bo_gp_truncate(m->gp, base);
    /* A jitter raised by a pending row refactored the committed rows too:
     * rebuild next time, along the path a resumed run takes. */
    if (bo_gp_jitter(m->gp) != jitter0)
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
     * transform is monotone, so this is the posterior median). Means only,
     * in one batch: a variance per row would make this O(n^3), seconds at
     * a few thousand trials. */
    double *mu = malloc((m->n_obs ? m->n_obs : 1) * sizeof *mu);
    if (!mu)
        return bo_error_set(err, BO_ENOMEM, "bo: out of memory");
    rc = bo_gp_predict_batch(m->gp, m->x, m->n_obs, mu, NULL, err);
    /* The mean is reported inside the observed range: beyond it, it is
     * extrapolation, and where the transform's scale dwarfs the losses (a
     * few diverged runs at 1e300) the inverse of a rounded value is
     * meaningless. */
    double best = INFINITY, lo = INFINITY, hi = -INFINITY;
    for (size_t r = 0; !rc && r < m->n_obs; r++) {
        if (m->kind[r] != ROW_COMPLETE)
            continue;
        lo = fmin(lo, m->y[r]);
        hi = fmax(hi, m->y[r]);
        if (*trial < 0 || mu[r] < best) {
            best = mu[r];
            *trial = m->tid[r];
        }
    }
    free(mu);
    if (rc)
        return rc;
    *mean = fmin(fmax(tf_inverse(m, best), lo), hi);
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
