/*
 * gp.h — the Gaussian-process surrogate of the `bo` strategy.
 *
 * Model: y = m + f(x) + noise, f ~ GP(0, sf2 k(x, x')) with k the Matérn-5/2
 * ARD kernel (kernel.h), inputs in the unit cube, outputs standardized with
 * the mean and standard deviation of the y given to bo_gp_set_data (kept
 * fixed by later appends, so that an appended row never changes the model
 * of the rows before it). Hyperparameters theta (BO_GP_NPARAMS(d) values):
 *
 *   theta[i]   = log l_i                 i < d, length scales
 *   theta[d]   = log sf2                 signal variance (standardized units)
 *   theta[d+1] = log (sn2 - noise floor) noise variance (standardized units)
 *   theta[d+2] = m                       constant mean (standardized units)
 *
 * fitted by maximizing the log marginal likelihood plus weak priors
 * (bo_gp_log_posterior) with multi-start GSL vector BFGS.
 *
 * Memory: a bo_gp is a workspace. Its buffers grow by doubling when rows
 * are added and are reused otherwise; bo_gp_alloc_count says how many
 * allocations it has made, so a caller can check that a steady state
 * allocates nothing. Linear algebra: LAPACKE dpotrf/dpotrs/dpotri and CBLAS.
 * Nothing here prints, exits or reads a clock; every result is a pure
 * function of the calls made, in order.
 */
#ifndef BO_GP_H
#define BO_GP_H

#include <stddef.h>
#include <stdint.h>

#include "bo/bo.h"

#define BO_GP_NPARAMS(d) ((d) + 3)
/* Smallest noise variance, relative to the standardized output variance:
 * small enough to let a deterministic objective be resolved to 1e-5 of its
 * spread, which the regret targets need. */
#define BO_GP_NOISE_FLOOR 1e-10
/* Predictive variances below this fraction of sf2 are clamped to it: they
 * come from rounding (k' K^-1 k slightly above sf2), never from the model. */
#define BO_GP_VAR_FLOOR 1e-12

typedef struct bo_gp bo_gp;

typedef struct bo_gp_fit_options {
    size_t n_scored;   /* random starts drawn from the priors, scored by value */
    size_t n_starts;   /* BFGS runs: the default start plus the best scored */
    size_t max_iter;   /* BFGS iterations per run */
    uint64_t seed;     /* seeds the random starts: the fit is a pure function
                          of (data, options) */
} bo_gp_fit_options;

bo_gp_fit_options bo_gp_fit_options_default(void);

int bo_gp_create(size_t d, bo_gp **out, bo_error *err);
void bo_gp_free(bo_gp *gp);

size_t bo_gp_dim(const bo_gp *gp);
size_t bo_gp_n(const bo_gp *gp);
/* Allocations made so far (creation included). */
size_t bo_gp_alloc_count(const bo_gp *gp);
/* The current hyperparameters (BO_GP_NPARAMS(d) values). */
const double *bo_gp_theta(const bo_gp *gp);
/* Jitter added to the diagonal by the last factorization (0 when none). */
double bo_gp_jitter(const bo_gp *gp);
/* Output standardization: y_std = (y - mean) / scale. */
void bo_gp_standardization(const bo_gp *gp, double *mean, double *scale);

/* The prior's centre: a deterministic default theta for d dimensions. */
void bo_gp_default_theta(size_t d, double *theta);

/* Replaces the data with n rows x (n*d, row-major) and raw outputs y, and
 * recomputes the standardization from y. Keeps theta; refactors. */
int bo_gp_set_data(bo_gp *gp, const double *x, const double *y, size_t n,
                   bo_error *err);
/* Sets theta and refactors the current data. */
int bo_gp_set_theta(bo_gp *gp, const double *theta, bo_error *err);
/* Fits theta on the current data from scratch (deterministic starts),
 * sets it and refactors. */
int bo_gp_fit(bo_gp *gp, const bo_gp_fit_options *o, bo_error *err);

/* Log marginal likelihood of the current (standardized) data plus the log
 * priors, at theta; the gradient w.r.t. theta into grad when not NULL.
 * Returns 0, or BO_ERUNTIME when K cannot be factored (value -inf). Uses
 * the factor's buffer: the model must be refactored (bo_gp_set_theta)
 * before predicting again; bo_gp_fit does this. */
int bo_gp_log_posterior(bo_gp *gp, const double *theta, double *value,
                        double *grad);

/* Appends one row, keeping theta and the standardization: extends the
 * Cholesky factor in O(n^2) (refactoring with more jitter only when the
 * extension loses positive definiteness). */
int bo_gp_append(bo_gp *gp, const double *x, double y, bo_error *err);
/* The same for a row observed without noise (its own noise variance 0,
 * only the jitter): a pending point believed at the latent mean, whose
 * variance must collapse whatever noise the model has learned. Noisy rows
 * cannot follow it (BO_ESTATE); bo_gp_truncate removes it. */
int bo_gp_append_noiseless(bo_gp *gp, const double *x, double y,
                           bo_error *err);
/* Drops rows n and up (e.g. pending points appended for one ask). The
 * factor of the rows kept is unchanged. */
void bo_gp_truncate(bo_gp *gp, size_t n);
/* Changes the raw output of row i (the factor does not depend on it). */
void bo_gp_set_y(bo_gp *gp, size_t i, double y);

/* Posterior of the latent f at x, in raw output units: mean and variance
 * (never below the floor); their gradients w.r.t. x when dmean / dvar are
 * not NULL (dvar is 0 where the floor clamps). */
void bo_gp_predict(bo_gp *gp, const double *x, double *mean, double *var,
                   double *dmean, double *dvar);
/* The same at m points (rows of x), without gradients; var may be NULL. */
int bo_gp_predict_batch(bo_gp *gp, const double *x, size_t m, double *mean,
                        double *var, bo_error *err);

#endif
