/*
 * test_kernel.c — the Matérn-5/2 ARD kernel: values against the closed
 * form, and both derivatives (w.r.t. log length scales and w.r.t. x)
 * against central finite differences.
 */
#include <math.h>

#include "check.h"
#include "kernel.h"

/* Closed form, typed independently of kernel.c:
 * k(r) = (1 + sqrt(5) r + 5 r^2 / 3) exp(-sqrt(5) r). */
static double matern_ref(double r)
{
    return (1.0 + sqrt(5.0) * r + 5.0 * r * r / 3.0) * exp(-sqrt(5.0) * r);
}

/* k(0) = 1; k(1) = (1 + 2.2360680 + 1.6666667) e^-2.2360680 = 0.52399411;
 * and at a scaled distance built from two dimensions. */
static void test_values(void)
{
    CHECK_NEAR(bo_matern52(0.0), 1.0, 1e-15);
    CHECK_NEAR(bo_matern52(1.0), 0.5239941088318203, 1e-15);
    double x[2] = {0.1, 0.7}, y[2] = {0.4, 0.3}, inv_ls[2] = {2.0, 0.5};
    /* s = (-0.6, 0.2): r = sqrt(0.36 + 0.04) */
    CHECK_NEAR(bo_matern52_ard(x, y, inv_ls, 2, NULL), matern_ref(sqrt(0.4)),
               1e-15);
}

/* dk/dlog l_i against (k(l_i e^h) - k(l_i e^-h)) / 2h. */
static void test_dlogls_fd(void)
{
    double x[3] = {0.1, 0.8, 0.45}, y[3] = {0.3, 0.2, 0.5};
    double logl[3] = {log(0.3), log(0.9), log(0.05)};
    double inv[3], grad[3];
    for (int i = 0; i < 3; i++)
        inv[i] = exp(-logl[i]);
    bo_matern52_ard_dlogls(x, y, inv, 3, grad);
    const double h = 1e-5;
    for (int i = 0; i < 3; i++) {
        double ip[3], im[3];
        for (int j = 0; j < 3; j++)
            ip[j] = im[j] = inv[j];
        ip[i] = exp(-(logl[i] + h));
        im[i] = exp(-(logl[i] - h));
        double fd = (bo_matern52_ard(x, y, ip, 3, NULL) -
                     bo_matern52_ard(x, y, im, 3, NULL)) / (2 * h);
        CHECK_NEAR(grad[i], fd, 1e-8);
    }
}

/* dk/dx against central differences, and 0 where x = y (the kernel is
 * smooth there: Matérn-5/2 is twice differentiable). */
static void test_dx_fd(void)
{
    double x[3] = {0.1, 0.8, 0.45}, y[3] = {0.3, 0.2, 0.5};
    double inv[3] = {1.0 / 0.3, 1.0 / 0.9, 1.0 / 0.2}, grad[3];
    bo_matern52_ard(x, y, inv, 3, grad);
    const double h = 1e-6;
    for (int i = 0; i < 3; i++) {
        double xp[3] = {x[0], x[1], x[2]}, xm[3] = {x[0], x[1], x[2]};
        xp[i] += h;
        xm[i] -= h;
        double fd = (bo_matern52_ard(xp, y, inv, 3, NULL) -
                     bo_matern52_ard(xm, y, inv, 3, NULL)) / (2 * h);
        CHECK_NEAR(grad[i], fd, 1e-8);
    }
    bo_matern52_ard(y, y, inv, 3, grad);
    for (int i = 0; i < 3; i++)
        CHECK(grad[i] == 0.0);
}

/* The kept-exp pair gives the very bits of bo_matern52 / bo_matern52_g
 * (the GP's fit relies on it: its proposals must not change), and the
 * exp it keeps is exp(-sqrt(5) r). */
static void test_keep_exp_same_bits(void)
{
    const double r2s[] = {0.0, 1e-12, 0.013, 0.5, 1.0, 2.7, 40.0, 800.0};
    for (size_t i = 0; i < sizeof r2s / sizeof r2s[0]; i++) {
        double e, g1, g2;
        double k1 = bo_matern52_keep_exp(r2s[i], &e);
        double k2 = bo_matern52_g_from_exp(r2s[i], e, &g2);
        double k0 = bo_matern52_g(r2s[i], &g1);
        CHECK(k1 == bo_matern52(r2s[i]));
        CHECK(k2 == k0);
        CHECK(g2 == g1);
        CHECK_CLOSE(e, exp(-sqrt(5.0 * r2s[i])), 1e-15);
    }
}

int main(void)
{
    test_values();
    test_keep_exp_same_bits();
    test_dlogls_fd();
    test_dx_fd();
    return check_summary();
}
