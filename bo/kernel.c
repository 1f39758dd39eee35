/*
 * kernel.c — Matérn-5/2 ARD kernel values and derivatives (see kernel.h).
 * Must stay allocation-free and branch-light: it runs n^2 d times per
 * likelihood evaluation.
 */
#include "kernel.h"

#include <math.h>

#define BO_SQRT5 2.23606797749978969641

double bo_kernel_r2(const double *x, const double *y, const double *inv_ls,
                    size_t d)
{
    double r2 = 0.0;
    for (size_t i = 0; i < d; i++) {
        double s = (x[i] - y[i]) * inv_ls[i];
        r2 += s * s;
    }
    return r2;
}

/* One formula each for k and g; the other entry points only supply the
 * exp, so every caller gets the same bits. */
double bo_matern52_keep_exp(double r2, double *e)
{
    double r = sqrt(r2);
    *e = exp(-BO_SQRT5 * r);
    return (1.0 + BO_SQRT5 * r + (5.0 / 3.0) * r2) * *e;
}

double bo_matern52_g_from_exp(double r2, double e, double *g)
{
    double r = sqrt(r2);
    *g = (5.0 / 3.0) * (1.0 + BO_SQRT5 * r) * e;
    return (1.0 + BO_SQRT5 * r + (5.0 / 3.0) * r2) * e;
}

double bo_matern52(double r2)
{
    double e;
    return bo_matern52_keep_exp(r2, &e);
}

double bo_matern52_g(double r2, double *g)
{
    return bo_matern52_g_from_exp(r2, exp(-BO_SQRT5 * sqrt(r2)), g);
}

double bo_matern52_ard(const double *x, const double *y,
                       const double *inv_ls, size_t d, double *grad_x)
{
    double r2 = bo_kernel_r2(x, y, inv_ls, d);
    if (!grad_x)
        return bo_matern52(r2);
    double g;
    double k = bo_matern52_g(r2, &g);
    for (size_t i = 0; i < d; i++)
        grad_x[i] = -g * (x[i] - y[i]) * inv_ls[i] * inv_ls[i];
    return k;
}

double bo_matern52_ard_dlogls(const double *x, const double *y,
                              const double *inv_ls, size_t d, double *grad)
{
    double r2 = bo_kernel_r2(x, y, inv_ls, d);
    double g;
    double k = bo_matern52_g(r2, &g);
    for (size_t i = 0; i < d; i++) {
        double s = (x[i] - y[i]) * inv_ls[i];
        grad[i] = g * s * s;
    }
    return k;
}
