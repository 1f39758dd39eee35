/*
 * gp.c — the GP surrogate (see gp.h for the model and the parameters).
 *
 * Layout: the Cholesky factor L (lower, column-major, leading dimension
 * cap) lives in one cap x cap buffer, so that appending row n writes
 * L[n + j cap] for j <= n and leaves every earlier entry untouched; that is
 * what makes bo_gp_append O(n^2) and bo_gp_truncate free. The likelihood
 * evaluations of a fit borrow the same buffer (factor, then inverse in
 * place), and the fit ends by refactoring with the chosen theta.
 *
 * Must never: allocate outside grow()/batch_reserve() and creation, print,
 * or depend on anything but its inputs (the fit's random starts come from a
 * generator seeded by the caller).
 */
#include "gp.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "error.h"
#include "gp_fit.h"
#include "kernel.h"

/* Outside this box in log space a hyperparameter is meaningless and exp()
 * nears overflow; the likelihood is replaced by a wall there. */
#define THETA_MAX 25.0

#define BATCH_CHUNK 256
#define LOG_2PI 1.8378770664093454836

struct bo_gp {
    size_t d, n, cap;
    double *x;       /* cap * d, row-major */
    double *y;       /* raw outputs */
    double *ys;      /* standardized outputs */
    double *alpha;   /* K^-1 (ys - m) */
    double *L;       /* cap * cap, column-major lower factor */
    double *kv, *wv; /* cap scratch for single predictions */
    double *gk;      /* cap: g(r_i) of the last gradient prediction */
    double *batch;   /* batch_cap * BATCH_CHUNK scratch */
    size_t batch_cap;
    double *theta, *inv_ls, *tmp_grad;
    double sf2, sn2, mean;
    /* Rows n_noisy .. n-1 were appended by bo_gp_append_noiseless: no
     * noise on their diagonal. They always follow the noisy rows. */
    size_t n_noisy;
    double ymean, yscale;
    double jitter;
    int alpha_ok;
    size_t allocs;
    bo_gp_fitter *fitter;
};

double bo_gp_prior_ls_mu(size_t d)
{
    return log(LS_MU_BASE * sqrt((double)d));
}

void bo_gp_default_theta(size_t d, double *theta)
{
    for (size_t i = 0; i < d; i++)
        theta[i] = bo_gp_prior_ls_mu(d);
    theta[d] = SF_MU;
    theta[d + 1] = NOISE_MU;
    theta[d + 2] = 0.0;
}

static void *count_alloc(bo_gp *gp, size_t bytes)
{
    gp->allocs++;
    return malloc(bytes ? bytes : 1);
}

int bo_gp_create(size_t d, bo_gp **out, bo_error *err)
{
    *out = NULL;
    if (d == 0)
        return bo_error_set(err, BO_EINVAL, "gp: dimension must be > 0");
    /* GSL's default handler aborts the process; a library must not. */
    gsl_set_error_handler_off();
    bo_gp *gp = calloc(1, sizeof *gp);
    if (!gp)
        return bo_error_set(err, BO_ENOMEM, "gp: out of memory");
    gp->allocs = 1;
    gp->d = d;
    size_t np = BO_GP_NPARAMS(d);
    gp->theta = count_alloc(gp, np * sizeof(double));
    gp->tmp_grad = count_alloc(gp, np * sizeof(double));
    gp->inv_ls = count_alloc(gp, d * sizeof(double));
    gp->fitter = bo_gp_fitter_create(d);
    gp->allocs += BO_GP_FITTER_ALLOCS;
    if (!gp->theta || !gp->tmp_grad || !gp->inv_ls || !gp->fitter) {
        bo_gp_free(gp);
        return bo_error_set(err, BO_ENOMEM, "gp: out of memory");
    }
    gp->ymean = 0.0;
    gp->yscale = 1.0;
    double theta[np];
    bo_gp_default_theta(d, theta);
    memcpy(gp->theta, theta, sizeof theta);
    for (size_t i = 0; i < d; i++)
        gp->inv_ls[i] = exp(-theta[i]);
    gp->sf2 = exp(theta[d]);
    gp->sn2 = BO_GP_NOISE_FLOOR + exp(theta[d + 1]);
    gp->mean = theta[d + 2];
    *out = gp;
    return BO_OK;
}

void bo_gp_free(bo_gp *gp)
{
    if (!gp)
        return;
    free(gp->x);
    free(gp->y);
    free(gp->ys);
    free(gp->alpha);
    free(gp->L);
    free(gp->kv);
    free(gp->wv);
    free(gp->gk);
    free(gp->batch);
    free(gp->theta);
    free(gp->inv_ls);
    free(gp->tmp_grad);
    bo_gp_fitter_free(gp->fitter);
    free(gp);
}

size_t bo_gp_dim(const bo_gp *gp) { return gp->d; }
size_t bo_gp_n(const bo_gp *gp) { return gp->n; }
bo_gp_fitter *bo_gp_fitter_of(bo_gp *gp) { return gp->fitter; }
size_t bo_gp_alloc_count(const bo_gp *gp) { return gp->allocs; }
const double *bo_gp_theta(const bo_gp *gp) { return gp->theta; }
double bo_gp_jitter(const bo_gp *gp) { return gp->jitter; }

void bo_gp_standardization(const bo_gp *gp, double *mean, double *scale)
{
    *mean = gp->ymean;
    *scale = gp->yscale;
}

/* Makes room for `need` rows, doubling; the factor's first n rows keep
 * their values at the new leading dimension. */
static int grow(bo_gp *gp, size_t need, bo_error *err)
{
    if (need <= gp->cap)
        return BO_OK;
    size_t cap = gp->cap ? gp->cap : 16;
    while (cap < need)
        cap *= 2;
    size_t d = gp->d;
    double *x = count_alloc(gp, cap * d * sizeof(double));
    double *y = count_alloc(gp, cap * sizeof(double));
    double *ys = count_alloc(gp, cap * sizeof(double));
    double *alpha = count_alloc(gp, cap * sizeof(double));
    double *kv = count_alloc(gp, cap * sizeof(double));
    double *wv = count_alloc(gp, cap * sizeof(double));
    double *gk = count_alloc(gp, cap * sizeof(double));
    double *L = count_alloc(gp, cap * cap * sizeof(double));
    if (!x || !y || !ys || !alpha || !kv || !wv || !gk || !L) {
        free(x); free(y); free(ys); free(alpha); free(kv); free(wv);
        free(gk); free(L);
        return bo_error_set(err, BO_ENOMEM,
                            "gp: out of memory for %zu observations", need);
    }
    if (gp->n) {
        memcpy(x, gp->x, gp->n * d * sizeof(double));
        memcpy(y, gp->y, gp->n * sizeof(double));
        memcpy(ys, gp->ys, gp->n * sizeof(double));
        memcpy(alpha, gp->alpha, gp->n * sizeof(double));
        for (size_t j = 0; j < gp->n; j++)
            memcpy(L + j * cap + j, gp->L + j * gp->cap + j,
                   (gp->n - j) * sizeof(double));
    }
    free(gp->x); free(gp->y); free(gp->ys); free(gp->alpha);
    free(gp->kv); free(gp->wv); free(gp->gk); free(gp->L);
    gp->x = x; gp->y = y; gp->ys = ys; gp->alpha = alpha;
    gp->kv = kv; gp->wv = wv; gp->gk = gk; gp->L = L;
    gp->cap = cap;
    return BO_OK;
}

static void apply_theta(bo_gp *gp, const double *theta)
{
    size_t d = gp->d;
    for (size_t i = 0; i < d; i++)
        gp->inv_ls[i] = exp(-theta[i]);
    gp->sf2 = exp(theta[d]);
    gp->sn2 = BO_GP_NOISE_FLOOR + exp(theta[d + 1]);
    gp->mean = theta[d + 2];
}

/* Lower triangle of K + jitter I for the first n rows, into L; each
 * pair's exp(-sqrt(5) r_ij) into the upper triangle, which LAPACK's
 * lower-triangle routines never touch, so that the likelihood's gradient
 * does not compute it again (a fit on hartmann6: 42.4 -> 38.9 ms). */
static void build_K(bo_gp *gp, size_t n, double jitter)
{
    size_t d = gp->d, cap = gp->cap;
    for (size_t j = 0; j < n; j++) {
        const double *xj = gp->x + j * d;
        gp->L[j + j * cap] = gp->sf2 + (j < gp->n_noisy ? gp->sn2 : 0.0) +
                             jitter;
        for (size_t i = j + 1; i < n; i++) {
            double r2 = bo_kernel_r2(gp->x + i * d, xj, gp->inv_ls, d);
            gp->L[i + j * cap] =
                gp->sf2 * bo_matern52_keep_exp(r2, &gp->L[j + i * cap]);
        }
    }
}

/* Cholesky of the first n rows; when dpotrf finds K not positive definite
 * (duplicated points, a tiny noise), retries with a jitter raised tenfold
 * each time from max(first, 1e-9 sf2) up to 0.1 sf2. */
static int factor(bo_gp *gp, size_t n, double first)
{
    double jitter = first;
    for (;;) {
        build_K(gp, n, jitter);
        if (n == 0)
            break;
        lapack_int info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'L', (lapack_int)n,
                                         gp->L, (lapack_int)gp->cap);
        if (info == 0)
            break;
        if (jitter >= 0.1 * gp->sf2)
            return BO_ERUNTIME;
        jitter = jitter > 0 ? jitter * 10.0 : 1e-9 * gp->sf2;
    }
    gp->jitter = jitter;
    return BO_OK;
}

static void refresh_alpha(bo_gp *gp)
{
    size_t n = gp->n;
    for (size_t i = 0; i < n; i++)
        gp->alpha[i] = gp->ys[i] - gp->mean;
    if (n)
        LAPACKE_dpotrs(LAPACK_COL_MAJOR, 'L', (lapack_int)n, 1, gp->L,
                       (lapack_int)gp->cap, gp->alpha, (lapack_int)n);
    gp->alpha_ok = 1;
}

static int refactor(bo_gp *gp, bo_error *err)
{
    gp->alpha_ok = 0;
    if (factor(gp, gp->n, 0.0) != BO_OK)
        return bo_error_set(err, BO_ERUNTIME,
                            "gp: covariance of %zu observations is not "
                            "positive definite even with jitter", gp->n);
    refresh_alpha(gp);
    return BO_OK;
}

static void standardize(bo_gp *gp)
{
    size_t n = gp->n;
    double mean = 0.0, var = 0.0;
    for (size_t i = 0; i < n; i++)
        mean += gp->y[i];
    mean = n ? mean / (double)n : 0.0;
    for (size_t i = 0; i < n; i++)
        var += (gp->y[i] - mean) * (gp->y[i] - mean);
    var = n > 1 ? var / (double)n : 0.0;
    double scale = sqrt(var);
    /* A constant output carries no scale: keep the raw units. */
    if (!(scale > 1e-300) || !isfinite(scale))
        scale = 1.0;
    gp->ymean = mean;
    gp->yscale = scale;
    for (size_t i = 0; i < n; i++)
        gp->ys[i] = (gp->y[i] - mean) / scale;
}

int bo_gp_set_data(bo_gp *gp, const double *x, const double *y, size_t n,
                   bo_error *err)
{
    int rc = grow(gp, n, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(y[i]))
            return bo_error_set(err, BO_EINVAL,
                                "gp: output %zu is not finite", i);
    memcpy(gp->x, x, n * gp->d * sizeof(double));
    memcpy(gp->y, y, n * sizeof(double));
    gp->n = n;
    gp->n_noisy = n;
    standardize(gp);
    return refactor(gp, err);
}

int bo_gp_set_theta(bo_gp *gp, const double *theta, bo_error *err)
{
    memcpy(gp->theta, theta, BO_GP_NPARAMS(gp->d) * sizeof(double));
    apply_theta(gp, theta);
    return refactor(gp, err);
}

/* ------------------------------------------------------ the likelihood */

static double log_prior(size_t d, const double *theta, double *grad)
{
    double lp = 0.0, mu = bo_gp_prior_ls_mu(d);
    for (size_t i = 0; i < d; i++) {
        double z = (theta[i] - mu) / LS_SD;
        lp -= 0.5 * z * z;
        if (grad)
            grad[i] = -z / LS_SD;
    }
    double z = (theta[d] - SF_MU) / SF_SD;
    lp -= 0.5 * z * z;
    if (grad)
        grad[d] = -z / SF_SD;
    z = (theta[d + 1] - NOISE_MU) / NOISE_SD;
    lp -= 0.5 * z * z;
    if (grad)
        grad[d + 1] = -z / NOISE_SD;
    z = theta[d + 2] / MEAN_SD;
    lp -= 0.5 * z * z;
    if (grad)
        grad[d + 2] = -z / MEAN_SD;
    return lp;
}

/*
 * log p(y | theta) = -1/2 r' K^-1 r - 1/2 log|K| - n/2 log 2 pi, r = ys - m,
 * and its gradient d/dtheta_j = 1/2 tr((a a' - K^-1) dK/dtheta_j), a = K^-1 r.
 * With W = a a' - K^-1 (symmetric) only the lower triangle is visited:
 *   d/dlog l_k = 1/2 sum_ij W_ij sf2 g(r_ij) s_ijk^2      (kernel.h)
 *   d/dlog sf2 = 1/2 sum_ij W_ij sf2 k(r_ij)
 *   d/dt       = 1/2 tr(W) e^t          (sn2 = floor + e^t)
 *   d/dm       = sum_i a_i
 * The jitter, when one is needed, is a numerical device, not a parameter:
 * it is left out of the derivatives.
 */
int bo_gp_log_posterior(bo_gp *gp, const double *theta, double *value,
                        double *grad)
{
    size_t d = gp->d, n = gp->n, cap = gp->cap, np = BO_GP_NPARAMS(d);
    double lp = log_prior(d, theta, grad);
    int inside = 1;
    for (size_t i = 0; i < np - 1; i++)
        if (!(fabs(theta[i]) <= THETA_MAX))
            inside = 0;
    if (!inside || !isfinite(theta[np - 1])) {
        /* The prior's gradient leads the optimizer back. */
        *value = lp - 1e10;
        return BO_OK;
    }
    apply_theta(gp, theta);
    gp->alpha_ok = 0;
    if (n == 0) {
        *value = lp;
        return BO_OK;
    }
    if (factor(gp, n, 0.0) != BO_OK) {
        *value = -INFINITY;
        if (grad)
            memset(grad, 0, np * sizeof(double));
        return BO_ERUNTIME;
    }
    double *a = gp->alpha;
    for (size_t i = 0; i < n; i++)
        a[i] = gp->ys[i] - gp->mean;
    double rr = 0.0;
    LAPACKE_dpotrs(LAPACK_COL_MAJOR, 'L', (lapack_int)n, 1, gp->L,
                   (lapack_int)cap, a, (lapack_int)n);
    double logdet = 0.0;
    for (size_t i = 0; i < n; i++) {
        rr += (gp->ys[i] - gp->mean) * a[i];
        logdet += log(gp->L[i + i * cap]);
    }
    *value = lp - 0.5 * rr - logdet - 0.5 * (double)n * LOG_2PI;
    if (!grad)
        return BO_OK;

    LAPACKE_dpotri(LAPACK_COL_MAJOR, 'L', (lapack_int)n, gp->L,
                   (lapack_int)cap);
    double g_sf = 0.0, tr_w = 0.0, sum_a = 0.0;
    double *g_ls = gp->tmp_grad;
    memset(g_ls, 0, d * sizeof(double));
    double s2[d];
    for (size_t j = 0; j < n; j++) {
        const double *xj = gp->x + j * d;
        double wjj = a[j] * a[j] - gp->L[j + j * cap];
        tr_w += wjj;
        g_sf += 0.5 * wjj * gp->sf2;
        sum_a += a[j];
        for (size_t i = j + 1; i < n; i++) {
            const double *xi = gp->x + i * d;
            double w = a[i] * a[j] - gp->L[i + j * cap];
            double r2 = 0.0;
            for (size_t k = 0; k < d; k++) {
                double s = (xi[k] - xj[k]) * gp->inv_ls[k];
                s2[k] = s * s;
                r2 += s2[k];
            }
            double g, kv = bo_matern52_g_from_exp(r2, gp->L[j + i * cap], &g);
            double wsf = w * gp->sf2;
            g_sf += wsf * kv;
            double wg = wsf * g;
            for (size_t k = 0; k < d; k++)
                g_ls[k] += wg * s2[k];
        }
    }
    for (size_t k = 0; k < d; k++)
        grad[k] += g_ls[k];
    grad[d] += g_sf;
    grad[d + 1] += 0.5 * tr_w * exp(theta[d + 1]);
    grad[d + 2] += sum_a;
    return BO_OK;
}

/* ------------------------------------------------- incremental updates */

static int append(bo_gp *gp, const double *x, double y, int noisy,
                  bo_error *err)
{
    if (!isfinite(y))
        return bo_error_set(err, BO_EINVAL, "gp: appended output is not finite");
    if (noisy && gp->n_noisy != gp->n)
        return bo_error_set(err, BO_ESTATE, "gp: a noisy row after a "
                            "noiseless one");
    int rc = grow(gp, gp->n + 1, err);
    if (rc)
        return rc;
    size_t n = gp->n, d = gp->d, cap = gp->cap;
    memcpy(gp->x + n * d, x, d * sizeof(double));
    gp->y[n] = y;
    gp->ys[n] = (y - gp->ymean) / gp->yscale;
    double *row = gp->L + n; /* row n: stride cap */
    for (size_t j = 0; j < n; j++)
        row[j * cap] = gp->sf2 *
                       bo_matern52(bo_kernel_r2(gp->x + j * d, x, gp->inv_ls, d));
    if (n)
        cblas_dtrsv(CblasColMajor, CblasLower, CblasNoTrans, CblasNonUnit,
                    (blasint)n, gp->L, (blasint)cap, row, (blasint)cap);
    gp->n_noisy += noisy != 0;
    double dd = gp->sf2 + (noisy ? gp->sn2 : 0.0) + gp->jitter -
                (n ? cblas_ddot((blasint)n, row, (blasint)cap, row,
                                (blasint)cap) : 0.0);
    gp->n = n + 1;
    gp->alpha_ok = 0;
    if (dd > 0.0 && isfinite(dd)) {
        gp->L[n + n * cap] = sqrt(dd);
    } else if (factor(gp, gp->n, gp->jitter > 0 ? gp->jitter * 10.0
                                                   : 1e-9 * gp->sf2)) {
        gp->n = n;
        gp->n_noisy -= noisy != 0;
        factor(gp, n, gp->jitter);
        refresh_alpha(gp);
        return bo_error_set(err, BO_ERUNTIME,
                            "gp: covariance of %zu observations is not "
                            "positive definite even with jitter", n + 1);
    }
    /* alpha is left stale (alpha_ok = 0): the next prediction solves for
     * it once, however many appends and set_y calls come before it. */
    return BO_OK;
}

int bo_gp_append(bo_gp *gp, const double *x, double y, bo_error *err)
{
    return append(gp, x, y, 1, err);
}

int bo_gp_append_noiseless(bo_gp *gp, const double *x, double y,
                           bo_error *err)
{
    return append(gp, x, y, 0, err);
}

void bo_gp_truncate(bo_gp *gp, size_t n)
{
    if (n < gp->n) {
        gp->n = n;
        if (gp->n_noisy > n)
            gp->n_noisy = n;
        gp->alpha_ok = 0;
    }
}

void bo_gp_set_y(bo_gp *gp, size_t i, double y)
{
    if (i < gp->n) {
        gp->y[i] = y;
        gp->ys[i] = (y - gp->ymean) / gp->yscale;
        gp->alpha_ok = 0;
    }
}

/* ------------------------------------------------------- predictions */

void bo_gp_predict(bo_gp *gp, const double *x, double *mean, double *var,
                   double *dmean, double *dvar)
{
    size_t n = gp->n, d = gp->d, cap = gp->cap;
    if (!gp->alpha_ok)
        refresh_alpha(gp);
    double m = gp->mean, v = gp->sf2;
    /* With gradients, g(r_i) comes from the same pass as k(r_i) (one exp
     * per row); the value bo_matern52_g returns is bo_matern52's. */
    int grads = dmean || dvar;
    for (size_t i = 0; i < n; i++) {
        double r2 = bo_kernel_r2(gp->x + i * d, x, gp->inv_ls, d);
        gp->kv[i] = gp->sf2 * (grads ? bo_matern52_g(r2, &gp->gk[i])
                                     : bo_matern52(r2));
        m += gp->kv[i] * gp->alpha[i];
    }
    if (n) {
        /* v = L^-1 k; var = sf2 - v'v; w = L^-T v = K^-1 k. */
        memcpy(gp->wv, gp->kv, n * sizeof(double));
        cblas_dtrsv(CblasColMajor, CblasLower, CblasNoTrans, CblasNonUnit,
                    (blasint)n, gp->L, (blasint)cap, gp->wv, 1);
        v -= cblas_ddot((blasint)n, gp->wv, 1, gp->wv, 1);
    }
    double floor = BO_GP_VAR_FLOOR * gp->sf2;
    int clamped = !(v > floor);
    if (clamped)
        v = floor;
    double s = gp->yscale;
    *mean = gp->ymean + s * m;
    *var = s * s * v;
    if (!grads)
        return;
    if (dvar && n && !clamped)
        cblas_dtrsv(CblasColMajor, CblasLower, CblasTrans, CblasNonUnit,
                    (blasint)n, gp->L, (blasint)cap, gp->wv, 1);
    double gm[d], gv[d];
    memset(gm, 0, sizeof gm);
    memset(gv, 0, sizeof gv);
    for (size_t i = 0; i < n; i++) {
        const double *xi = gp->x + i * d;
        double g = gp->gk[i];
        double ca = -gp->sf2 * g * gp->alpha[i];
        double cw = clamped ? 0.0 : 2.0 * gp->sf2 * g * gp->wv[i];
        for (size_t k = 0; k < d; k++) {
            double t = (x[k] - xi[k]) * gp->inv_ls[k] * gp->inv_ls[k];
            gm[k] += ca * t;
            gv[k] += cw * t; /* -2 w_i dk_i/dx, dk_i/dx = -sf2 g t */
        }
    }
    for (size_t k = 0; k < d; k++) {
        if (dmean)
            dmean[k] = s * gm[k];
        if (dvar)
            dvar[k] = s * s * gv[k];
    }
}

static int batch_reserve(bo_gp *gp, bo_error *err)
{
    if (gp->batch_cap >= gp->cap && gp->batch)
        return BO_OK;
    free(gp->batch);
    gp->batch = count_alloc(gp, gp->cap * BATCH_CHUNK * sizeof(double));
    if (!gp->batch) {
        gp->batch_cap = 0;
        return bo_error_set(err, BO_ENOMEM, "gp: out of memory");
    }
    gp->batch_cap = gp->cap;
    return BO_OK;
}

int bo_gp_predict_batch(bo_gp *gp, const double *x, size_t m, double *mean,
                        double *var, bo_error *err)
{
    size_t n = gp->n, d = gp->d;
    if (!gp->alpha_ok)
        refresh_alpha(gp);
    double s = gp->yscale, floor = BO_GP_VAR_FLOOR * gp->sf2;
    if (n == 0) {
        for (size_t c = 0; c < m; c++) {
            mean[c] = gp->ymean + s * gp->mean;
            if (var)
                var[c] = s * s * gp->sf2;
        }
        return BO_OK;
    }
    int rc = batch_reserve(gp, err);
    if (rc)
        return rc;
    for (size_t c0 = 0; c0 < m; c0 += BATCH_CHUNK) {
        size_t mc = m - c0 < BATCH_CHUNK ? m - c0 : BATCH_CHUNK;
        double *K = gp->batch; /* n x mc, column-major, ld n */
        for (size_t c = 0; c < mc; c++) {
            const double *xc = x + (c0 + c) * d;
            double *col = K + c * n;
            for (size_t i = 0; i < n; i++)
                col[i] = gp->sf2 * bo_matern52(bo_kernel_r2(gp->x + i * d, xc,
                                                            gp->inv_ls, d));
            mean[c0 + c] = gp->ymean +
                           s * (gp->mean + cblas_ddot((blasint)n, col, 1,
                                                      gp->alpha, 1));
        }
        if (!var)
            continue;
        cblas_dtrsm(CblasColMajor, CblasLeft, CblasLower, CblasNoTrans,
                    CblasNonUnit, (blasint)n, (blasint)mc, 1.0, gp->L,
                    (blasint)gp->cap, K, (blasint)n);
        for (size_t c = 0; c < mc; c++) {
            double *col = K + c * n;
            double v = gp->sf2 - cblas_ddot((blasint)n, col, 1, col, 1);
            var[c0 + c] = s * s * (v > floor ? v : floor);
        }
    }
    return BO_OK;
}
