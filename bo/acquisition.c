/*
 * acquisition.c — EI, PI, UCB and EI per second in a numerically safe form
 * (see acquisition.h). Never allocates; never returns NaN for finite input.
 */
#include "acquisition.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_sf_erf.h>

#define INV_SQRT2 0.70710678118654752440
#define LOG_SQRT_2PI 0.91893853320467274178
/* Past this |z| the asymptotic series of the Mills ratio is used: the
 * direct form loses about eps z^2 to cancellation (2e-12 here), the
 * series' first dropped term is 945 / z^8 (1e-13 here). */
#define SERIES_Z 100.0

int bo_acq_kind_parse(const char *name)
{
    static const char *const names[] = {"ei", "pi", "ucb", "eips"};
    if (!name)
        return -1;
    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

static double phi(double z) { return exp(-0.5 * z * z - LOG_SQRT_2PI); }
static double Phi(double z) { return 0.5 * erfc(-z * INV_SQRT2); }

/*
 * For z <= -1, write u = -z. Then Phi(z) = Q(u) and
 *   h(z) = phi(u) - u Q(u) = phi(u) (1 - u / H(u)),  H = phi / Q (hazard),
 * so log h = log phi(u) + log((H - u) / H). H - u ~ 1/u is a difference
 * of two nearby numbers but H itself is accurate (GSL), which bounds the
 * loss by eps u^2. Far out, with Q/phi = 1/u - 1/u^3 + 3/u^5 - 15/u^7...
 *   1 - u Q/phi = u^-2 (1 - 3 u^-2 + 15 u^-4 - 105 u^-6 ...).
 */
double bo_acq_log_h(double z)
{
    if (z > -1.0)
        return log(z * Phi(z) + phi(z));
    double u = -z, lphi = -0.5 * u * u - LOG_SQRT_2PI;
    if (u > SERIES_Z) {
        double t = 1.0 / (u * u);
        return lphi - 2.0 * log(u) +
               log1p(t * (-3.0 + t * (15.0 - 105.0 * t)));
    }
    double H = gsl_sf_hazard(u);
    return lphi + log((H - u) / H);
}

/* Phi(z)/h(z): for z <= -1 it is (Q/phi) / (1 - u Q/phi) = 1 / (H - u). */
double bo_acq_dlog_h(double z)
{
    if (z > -1.0)
        return Phi(z) / (z * Phi(z) + phi(z));
    double u = -z;
    if (u > SERIES_Z) {
        double t = 1.0 / (u * u);
        double m = 1.0 + t * (-1.0 + t * (3.0 - 15.0 * t));  /* u Q/phi */
        double r = 1.0 + t * (-3.0 + t * (15.0 - 105.0 * t)); /* u^2 (1 - uQ/phi) */
        return u * m / r;
    }
    return 1.0 / (gsl_sf_hazard(u) - u);
}

double bo_acq_log_phi_cdf(double z)
{
    if (z >= 0.0)
        return log1p(-0.5 * erfc(z * INV_SQRT2));
    return log(0.5) + gsl_sf_log_erfc(-z * INV_SQRT2);
}

/* d/dz log Phi(z) = phi(z) / Phi(z); for z < 0 the hazard H(-z). */
static double dlog_phi_cdf(double z)
{
    if (z >= 0.0)
        return phi(z) / Phi(z);
    return gsl_sf_hazard(-z);
}

double bo_acq_ei(double mu, double sigma, double best)
{
    if (!(sigma > 0.0))
        return best > mu ? best - mu : 0.0;
    double z = (best - mu) / sigma;
    return sigma * (z * Phi(z) + phi(z));
}

double bo_acq_log_ei(double mu, double sigma, double best)
{
    if (!(sigma > 0.0))
        return best > mu ? log(best - mu) : -INFINITY;
    return log(sigma) + bo_acq_log_h((best - mu) / sigma);
}

double bo_acq_pi(double mu, double sigma, double best)
{
    if (!(sigma > 0.0))
        return best > mu ? 1.0 : 0.0;
    return Phi((best - mu) / sigma);
}

double bo_acq_log_pi(double mu, double sigma, double best)
{
    if (!(sigma > 0.0))
        return best > mu ? 0.0 : -INFINITY;
    return bo_acq_log_phi_cdf((best - mu) / sigma);
}

double bo_acq_ucb(double mu, double sigma, double beta)
{
    return beta * sigma - mu;
}

/* The value and gradient from mu, var and their gradients. */
static double combine(const bo_acq *a, size_t d, double mu, double var,
                      const double *dmu, const double *dvar, double *grad)
{
    double sigma = sqrt(var);
    double z = (a->best - mu) / sigma;
    double v, r = 0.0;
    switch (a->kind) {
    case BO_ACQ_PI:
        v = bo_acq_log_phi_cdf(z);
        if (grad)
            r = dlog_phi_cdf(z);
        break;
    case BO_ACQ_UCB:
        v = bo_acq_ucb(mu, sigma, a->beta);
        if (grad)
            for (size_t k = 0; k < d; k++)
                grad[k] = a->beta * dvar[k] / (2.0 * sigma) - dmu[k];
        return v;
    default: /* EI, EIPS */
        v = log(sigma) + bo_acq_log_h(z);
        if (grad)
            r = bo_acq_dlog_h(z);
        break;
    }
    if (grad) {
        /* dz = (-dmu - z dsigma) / sigma, dsigma = dvar / (2 sigma) */
        for (size_t k = 0; k < d; k++) {
            double ds = dvar[k] / (2.0 * sigma);
            double dz = (-dmu[k] - z * ds) / sigma;
            grad[k] = r * dz + (a->kind == BO_ACQ_PI ? 0.0 : ds / sigma);
        }
    }
    return v;
}

double bo_acq_value(const bo_acq *a, const double *u, double *grad)
{
    size_t d = bo_gp_dim(a->gp);
    double mu, var, dmu[d], dvar[d];
    bo_gp_predict(a->gp, u, &mu, &var, grad ? dmu : NULL,
                  grad ? dvar : NULL);
    double v = combine(a, d, mu, var, dmu, dvar, grad);
    if (a->kind == BO_ACQ_EIPS && a->cost_gp) {
        double cm, cv, dcm[d];
        bo_gp_predict(a->cost_gp, u, &cm, &cv, grad ? dcm : NULL, NULL);
        v -= cm;
        if (grad)
            for (size_t k = 0; k < d; k++)
                grad[k] -= dcm[k];
    }
    return v;
}

int bo_acq_values(const bo_acq *a, const double *u, size_t m, double *out,
                  double *work, bo_error *err)
{
    double *mu = work, *var = work + m, *cm = work + 2 * m;
    int rc = bo_gp_predict_batch(a->gp, u, m, mu, var, err);
    if (rc)
        return rc;
    int eips = a->kind == BO_ACQ_EIPS && a->cost_gp;
    if (eips && (rc = bo_gp_predict_batch(a->cost_gp, u, m, cm, NULL, err)))
        return rc;
    size_t d = bo_gp_dim(a->gp);
    for (size_t i = 0; i < m; i++) {
        out[i] = combine(a, d, mu[i], var[i], NULL, NULL, NULL);
        if (eips)
            out[i] -= cm[i];
    }
    return BO_OK;
}
