/*
 * gp_fit.c — fits a GP's hyperparameters by maximizing
 * bo_gp_log_posterior with GSL's vector BFGS (gsl_multimin), from several
 * deterministic starts (see bo_gp_fit in gp.h).
 *
 * Must never: keep state between fits that could change a result (the
 * workspace is scratch only), or allocate after bo_gp_fitter_create.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "error.h"
#include "gp_fit.h"

#define MAX_SCORED 64

struct bo_gp_fitter {
    size_t np;
    gsl_multimin_fdfminimizer *min;
    gsl_vector *xv;
    gsl_rng *rng;
    double *scored; /* MAX_SCORED rows of (value, theta) */
};

bo_gp_fit_options bo_gp_fit_options_default(void)
{
    bo_gp_fit_options o = {.n_scored = 16, .n_starts = 2, .max_iter = 60,
                           .seed = 0};
    return o;
}

bo_gp_fitter *bo_gp_fitter_create(size_t d)
{
    bo_gp_fitter *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->np = BO_GP_NPARAMS(d);
    f->min = gsl_multimin_fdfminimizer_alloc(
        gsl_multimin_fdfminimizer_vector_bfgs2, f->np);
    f->xv = gsl_vector_alloc(f->np);
    f->rng = gsl_rng_alloc(gsl_rng_mt19937);
    f->scored = malloc(MAX_SCORED * (f->np + 1) * sizeof(double));
    if (!f->min || !f->xv || !f->rng || !f->scored) {
        bo_gp_fitter_free(f);
        return NULL;
    }
    return f;
}

void bo_gp_fitter_free(bo_gp_fitter *f)
{
    if (!f)
        return;
    if (f->min)
        gsl_multimin_fdfminimizer_free(f->min);
    if (f->xv)
        gsl_vector_free(f->xv);
    if (f->rng)
        gsl_rng_free(f->rng);
    free(f->scored);
    free(f);
}

/* GSL minimizes: f = -log posterior. A failed factorization reads as a
 * huge value so that the line search backs off. */
static double fit_f(const gsl_vector *v, void *params)
{
    bo_gp *gp = params;
    size_t np = BO_GP_NPARAMS(bo_gp_dim(gp));
    double th[np], val;
    for (size_t i = 0; i < np; i++)
        th[i] = gsl_vector_get(v, i);
    bo_gp_log_posterior(gp, th, &val, NULL);
    return isfinite(val) ? -val : 1e300;
}

static void fit_fdf(const gsl_vector *v, void *params, double *f,
                    gsl_vector *g)
{
    bo_gp *gp = params;
    size_t np = BO_GP_NPARAMS(bo_gp_dim(gp));
    double th[np], gr[np], val;
    for (size_t i = 0; i < np; i++)
        th[i] = gsl_vector_get(v, i);
    bo_gp_log_posterior(gp, th, &val, gr);
    *f = isfinite(val) ? -val : 1e300;
    for (size_t i = 0; i < np; i++)
        gsl_vector_set(g, i, isfinite(val) ? -gr[i] : 0.0);
}

static void fit_df(const gsl_vector *v, void *params, gsl_vector *g)
{
    double f;
    fit_fdf(v, params, &f, g);
}

/* A random start: the priors, narrowed so that starts stay plausible. */
static void draw_start(gsl_rng *rng, size_t d, double *theta)
{
    double mu = bo_gp_prior_ls_mu(d);
    for (size_t i = 0; i < d; i++)
        theta[i] = mu + gsl_ran_gaussian(rng, LS_SD * 0.75);
    theta[d] = SF_MU + gsl_ran_gaussian(rng, 0.5);
    theta[d + 1] = NOISE_MU + gsl_ran_gaussian(rng, NOISE_SD * 0.75);
    theta[d + 2] = gsl_ran_gaussian(rng, 0.3);
}

/*
 * Multi-start: the prior's centre always runs; n_scored random draws are
 * scored by value alone (one Cholesky each, no inverse), and the best
 * n_starts - 1 of them also run BFGS. The best end point wins; if every
 * run failed numerically, the prior's centre is used.
 */
int bo_gp_fit(bo_gp *gp, const bo_gp_fit_options *o, bo_error *err)
{
    size_t d = bo_gp_dim(gp), np = BO_GP_NPARAMS(d);
    bo_gp_fitter *F = bo_gp_fitter_of(gp);
    bo_gp_fit_options def = bo_gp_fit_options_default();
    if (!o)
        o = &def;
    size_t n_scored = o->n_scored > MAX_SCORED ? MAX_SCORED : o->n_scored;
    double best_theta[np], best_f = INFINITY, start[np];
    bo_gp_default_theta(d, start);
    if (bo_gp_n(gp) == 0)
        return bo_gp_set_theta(gp, start, err);

    gsl_rng_set(F->rng, (unsigned long)(uint32_t)(o->seed ^ (o->seed >> 32)));
    double *sc = F->scored;
    for (size_t s = 0; s < n_scored; s++) {
        double *row = sc + s * (np + 1);
        draw_start(F->rng, d, row + 1);
        double v;
        bo_gp_log_posterior(gp, row + 1, &v, NULL);
        row[0] = isfinite(v) ? -v : INFINITY;
    }
    size_t runs = o->n_starts ? o->n_starts : 1;
    for (size_t r = 0; r < runs; r++) {
        if (r > 0) {
            /* the best scored start not yet used (n_scored is small) */
            size_t bi = SIZE_MAX;
            for (size_t s = 0; s < n_scored; s++) {
                double v = sc[s * (np + 1)];
                if (isfinite(v) && (bi == SIZE_MAX || v < sc[bi * (np + 1)]))
                    bi = s;
            }
            if (bi == SIZE_MAX)
                break;
            memcpy(start, sc + bi * (np + 1) + 1, np * sizeof(double));
            sc[bi * (np + 1)] = INFINITY;
        }
        gsl_multimin_function_fdf fdf = {.f = fit_f, .df = fit_df,
                                         .fdf = fit_fdf, .n = np,
                                         .params = gp};
        for (size_t i = 0; i < np; i++)
            gsl_vector_set(F->xv, i, start[i]);
        if (gsl_multimin_fdfminimizer_set(F->min, &fdf, F->xv, 0.1, 0.1))
            continue;
        for (size_t it = 0; it < o->max_iter; it++) {
            if (gsl_multimin_fdfminimizer_iterate(F->min))
                break;
            if (gsl_multimin_test_gradient(
                    gsl_multimin_fdfminimizer_gradient(F->min), 1e-4) ==
                GSL_SUCCESS)
                break;
        }
        double f = gsl_multimin_fdfminimizer_minimum(F->min);
        if (isfinite(f) && f < best_f) {
            best_f = f;
            gsl_vector *xm = gsl_multimin_fdfminimizer_x(F->min);
            for (size_t i = 0; i < np; i++)
                best_theta[i] = gsl_vector_get(xm, i);
        }
    }
    if (!isfinite(best_f))
        bo_gp_default_theta(d, best_theta);
    return bo_gp_set_theta(gp, best_theta, err);
}
