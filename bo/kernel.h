/*
 * kernel.h — the Matérn-5/2 kernel with one length scale per dimension
 * (ARD), and its derivatives, for the GP surrogate.
 *
 *   r^2  = sum_i s_i^2,  s_i = (x_i - y_i) / l_i
 *   k(r) = (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r)          (unit signal variance)
 *   dk/d(log l_i) = g(r) s_i^2,   dk/dx_i = -g(r) s_i / l_i,
 *   g(r) = 5/3 (1 + sqrt5 r) exp(-sqrt5 r)
 *
 * g is finite at r = 0, so neither derivative needs a special case where
 * two points coincide. Pure functions: no allocation, no state.
 */
#ifndef BO_KERNEL_H
#define BO_KERNEL_H

#include <stddef.h>

/* Squared scaled distance sum_i ((x_i - y_i) inv_ls_i)^2. */
double bo_kernel_r2(const double *x, const double *y, const double *inv_ls,
                    size_t d);

/* k(r) for r = sqrt(r2), unit signal variance. */
double bo_matern52(double r2);

/* k(r) and g(r) together (g as in the header comment). */
double bo_matern52_g(double r2, double *g);
/* bo_matern52, keeping its exp(-sqrt(5) r) in *e; and bo_matern52_g from
 * that exp, without computing it again. Both give the same bits as
 * bo_matern52 / bo_matern52_g (the same operations in the same order). */
double bo_matern52_keep_exp(double r2, double *e);
double bo_matern52_g_from_exp(double r2, double e, double *g);

/* k(x, y) with unit signal variance; if grad_x is not NULL, writes
 * dk/dx (d values). */
double bo_matern52_ard(const double *x, const double *y,
                       const double *inv_ls, size_t d, double *grad_x);

/* dk/d(log l_i) for i < d into grad (d values); returns k. */
double bo_matern52_ard_dlogls(const double *x, const double *y,
                              const double *inv_ls, size_t d, double *grad);

#endif
