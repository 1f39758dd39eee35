/*
 * test_gp.c — the GP surrogate: log-marginal-likelihood gradient against
 * finite differences, the posterior against one- and two-point cases
 * worked by hand, variance never negative, the jitter path, O(n^2)
 * appends against a full factorization, the workspace's reuse, and the fit.
 */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "gp.h"

static double k52(double r)
{
    return (1.0 + sqrt(5.0) * r + 5.0 * r * r / 3.0) * exp(-sqrt(5.0) * r);
}

/* theta for d = 1: length scale l, signal 1, noise variance sn2, mean m. */
static void theta1(double *th, double l, double sn2, double m)
{
    th[0] = log(l);
    th[1] = 0.0;
    th[2] = log(sn2 - BO_GP_NOISE_FLOOR);
    th[3] = m;
}

/*
 * One point x0 = 0, y0 = 3 (standardized: mean 3, scale 1, ys = 0), l = 1,
 * sf2 = 1, sn2 = 0.25, m = 0.5. At x = 1 (r = 1), k = c = 0.5239941088:
 *   mean_s = m + c (0 - m) / 1.25 = 0.5 - 0.5 c / 1.25 = 0.2904023565
 *   var_s  = 1 - c^2 / 1.25 = 0.7803441391
 * raw: mean = 3 + mean_s, var = var_s.
 */
static void test_one_point_by_hand(void)
{
    bo_gp *gp;
    bo_error err;
    CHECK(bo_gp_create(1, &gp, &err) == BO_OK);
    double x0 = 0.0, y0 = 3.0, th[4], mean, var;
    theta1(th, 1.0, 0.25, 0.5);
    CHECK(bo_gp_set_data(gp, &x0, &y0, 1, &err) == BO_OK);
    CHECK(bo_gp_set_theta(gp, th, &err) == BO_OK);
    double x = 1.0;
    bo_gp_predict(gp, &x, &mean, &var, NULL, NULL);
    CHECK_NEAR(mean, 3.0 + 0.29040235646727186, 1e-12);
    CHECK_NEAR(var, 0.7803441391276371, 1e-12);
    bo_gp_free(gp);
}

/*
 * Two points x = (0, 1), y = (0, 2): standardized mean 1, scale 1 (the
 * population standard deviation), ys = (-1, 1). l = 1, sf2 = 1,
 * sn2 = 0.25, m = 0: K = [[1.25, c], [c, 1.25]], c = k(1) = 0.5239941088.
 * K^-1 ys = (-1, 1) / (1.25 - c). At x* = 0.25, k* = (k(0.25), k(0.75))
 * = (0.9509599217, 0.6756478000):
 *   mean_s = (k2 - k1) / (1.25 - c) = -0.3792147213    raw mean = 1 + mean_s
 *   var_s  = 1 - (1.25 (k1^2 + k2^2) - 2 c k1 k2) / (1.25^2 - c^2)
 *          = 0.2020655746
 */
static void test_two_points_by_hand(void)
{
    bo_gp *gp;
    bo_error err;
    CHECK(bo_gp_create(1, &gp, &err) == BO_OK);
    double x[2] = {0.0, 1.0}, y[2] = {0.0, 2.0}, th[4], mean, var;
    theta1(th, 1.0, 0.25, 0.0);
    CHECK(bo_gp_set_data(gp, x, y, 2, &err) == BO_OK);
    CHECK(bo_gp_set_theta(gp, th, &err) == BO_OK);
    double xs = 0.25;
    bo_gp_predict(gp, &xs, &mean, &var, NULL, NULL);
    CHECK_NEAR(mean, 1.0 - 0.37921472127035, 1e-12);
    CHECK_NEAR(var, 0.20206557463973474, 1e-12);
    /* the same from the formula with k typed here */
    double c = k52(1.0), k1 = k52(0.25), k2 = k52(0.75);
    CHECK_NEAR(var, 1 - (1.25 * (k1 * k1 + k2 * k2) - 2 * c * k1 * k2) /
                            (1.25 * 1.25 - c * c), 1e-12);
    /* batch prediction agrees */
    double bm, bv;
    CHECK(bo_gp_predict_batch(gp, &xs, 1, &bm, &bv, &err) == BO_OK);
    CHECK_NEAR(bm, mean, 1e-13);
    CHECK_NEAR(bv, var, 1e-13);
    bo_gp_free(gp);
}

static double urand(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return ((*s >> 8) & 0xffffff) / 16777216.0;
}

static double testfn(const double *x, size_t d)
{
    double v = 0;
    for (size_t i = 0; i < d; i++)
        v += sin(3.0 * x[i] + i) + (x[i] - 0.3) * (x[i] - 0.3);
    return v;
}

static void make_data(size_t n, size_t d, double *x, double *y, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < d; k++)
            x[i * d + k] = urand(&seed);
        y[i] = testfn(x + i * d, d);
    }
}

/* d/dtheta of the log posterior against central differences, at a theta
 * away from the optimum (noise and mean included). */
static void test_log_posterior_gradient_fd(void)
{
    enum { N = 12, D = 3, NP = D + 3 };
    bo_gp *gp;
    bo_error err;
    double x[N * D], y[N];
    make_data(N, D, x, y, 7);
    CHECK(bo_gp_create(D, &gp, &err) == BO_OK);
    CHECK(bo_gp_set_data(gp, x, y, N, &err) == BO_OK);
    double th[NP] = {log(0.3), log(0.8), log(0.2), 0.4, log(0.01), 0.3};
    double v, g[NP];
    CHECK(bo_gp_log_posterior(gp, th, &v, g) == BO_OK);
    CHECK(isfinite(v));
    for (int i = 0; i < NP; i++) {
        double tp[NP], tm[NP], vp, vm, h = 1e-5;
        for (int j = 0; j < NP; j++)
            tp[j] = tm[j] = th[j];
        tp[i] += h;
        tm[i] -= h;
        bo_gp_log_posterior(gp, tp, &vp, NULL);
        bo_gp_log_posterior(gp, tm, &vm, NULL);
        CHECK_NEAR(g[i], (vp - vm) / (2 * h), 1e-5 * fmax(1.0, fabs(g[i])));
    }
    bo_gp_free(gp);
}

/* Gradients of the predictive mean and variance w.r.t. x against central
 * differences. */
static void test_predict_gradient_fd(void)
{
    enum { N = 10, D = 2 };
    bo_gp *gp;
    bo_error err;
    double x[N * D], y[N];
    make_data(N, D, x, y, 11);
    CHECK(bo_gp_create(D, &gp, &err) == BO_OK);
    CHECK(bo_gp_set_data(gp, x, y, N, &err) == BO_OK);
    double th[D + 3] = {log(0.3), log(0.5), 0.0, log(1e-3), 0.0};
    CHECK(bo_gp_set_theta(gp, th, &err) == BO_OK);
    double xs[D] = {0.37, 0.61}, m, v, dm[D], dv[D];
    bo_gp_predict(gp, xs, &m, &v, dm, dv);
    for (int k = 0; k < D; k++) {
        double xp[D] = {xs[0], xs[1]}, xm[D] = {xs[0], xs[1]}, h = 1e-6;
        double mp, vp, mm, vm;
        xp[k] += h;
        xm[k] -= h;
        bo_gp_predict(gp, xp, &mp, &vp, NULL, NULL);
        bo_gp_predict(gp, xm, &mm, &vm, NULL, NULL);
        CHECK_NEAR(dm[k], (mp - mm) / (2 * h), 1e-6);
        CHECK_NEAR(dv[k], (vp - vm) / (2 * h), 1e-6);
    }
    bo_gp_free(gp);
}

/* At the data with a tiny noise, k' K^-1 k rounds to slightly above sf2:
 * the variance is clamped at the floor, never negative, single or batch. */
static void test_variance_never_negative(void)
{
    enum { N = 40, D = 2 };
    bo_gp *gp;
    bo_error err;
    double x[N * D], y[N], var[N], mean[N];
    make_data(N, D, x, y, 3);
    /* near-duplicates */
    for (int i = 20; i < N; i++) {
        x[i * D] = x[(i - 20) * D] + 1e-9;
        x[i * D + 1] = x[(i - 20) * D + 1];
    }
    CHECK(bo_gp_create(D, &gp, &err) == BO_OK);
    CHECK(bo_gp_set_data(gp, x, y, N, &err) == BO_OK);
    double th[D + 3] = {log(2.0), log(2.0), 0.0, log(1e-9), 0.0};
    CHECK(bo_gp_set_theta(gp, th, &err) == BO_OK);
    int ok = 1;
    for (int i = 0; i < N; i++) {
        double m, v, dv[D];
        bo_gp_predict(gp, x + i * D, &m, &v, NULL, dv);
        ok &= v > 0.0 && isfinite(v);
    }
    CHECK(ok);
    CHECK(bo_gp_predict_batch(gp, x, N, mean, var, &err) == BO_OK);
    ok = 1;
    for (int i = 0; i < N; i++)
        ok &= var[i] > 0.0 && isfinite(var[i]) && isfinite(mean[i]);
    CHECK(ok);
    bo_gp_free(gp);
}

/* Exact duplicates with a signal variance e^20 times the noise floor make
 * K numerically singular: dpotrf fails, the jitter is raised until it
 * succeeds, and the model still predicts finite values. Appending one
 * more duplicate extends (or refactors) without error. */
static void test_jitter_with_duplicates(void)
{
    enum { N = 6, D = 2 };
    bo_gp *gp;
    bo_error err;
    double x[N * D], y[N];
    for (int i = 0; i < N; i++) {
        x[i * D] = 0.5;
        x[i * D + 1] = 0.25;
        y[i] = 1.0 + i;
    }
    CHECK(bo_gp_create(D, &gp, &err) == BO_OK);
    double th[D + 3] = {0.0, 0.0, 20.0, -25.0, 0.0};
    CHECK(bo_gp_set_data(gp, x, y, N, &err) == BO_OK);
    CHECK(bo_gp_set_theta(gp, th, &err) == BO_OK);
    CHECK(bo_gp_jitter(gp) > 0.0);
    double m, v;
    bo_gp_predict(gp, x, &m, &v, NULL, NULL);
    CHECK(isfinite(m) && v > 0.0);
    CHECK(bo_gp_append(gp, x, 7.0, &err) == BO_OK);
    CHECK(bo_gp_n(gp) == N + 1);
    bo_gp_predict(gp, x, &m, &v, NULL, NULL);
    CHECK(isfinite(m) && v > 0.0);
    bo_gp_free(gp);
}

/* Appending rows one by one (O(n^2) each) gives the same predictions as
 * factoring all rows at once. The outputs are chosen so that the
 * standardization (mean 0, scale 1) is the same either way. */
static void test_append_matches_full(void)
{
    enum { N = 8, D = 2 };
    double x[N * D], y[N] = {-1, 1, -1, 1, -1, 1, 1, -1}, dummy[N];
    make_data(N, D, x, dummy, 5);
    double th[D + 3] = {log(0.4), log(0.3), 0.2, log(1e-4), 0.1};
    bo_gp *a, *b;
    bo_error err;
    CHECK(bo_gp_create(D, &a, &err) == BO_OK);
    CHECK(bo_gp_create(D, &b, &err) == BO_OK);
    CHECK(bo_gp_set_data(a, x, y, 4, &err) == BO_OK);
    CHECK(bo_gp_set_theta(a, th, &err) == BO_OK);
    for (int i = 4; i < N; i++)
        CHECK(bo_gp_append(a, x + i * D, y[i], &err) == BO_OK);
    CHECK(bo_gp_set_data(b, x, y, N, &err) == BO_OK);
    CHECK(bo_gp_set_theta(b, th, &err) == BO_OK);
    double xs[3 * D] = {0.1, 0.2, 0.5, 0.5, 0.9, 0.05};
    for (int i = 0; i < 3; i++) {
        double ma, va, mb, vb;
        bo_gp_predict(a, xs + i * D, &ma, &va, NULL, NULL);
        bo_gp_predict(b, xs + i * D, &mb, &vb, NULL, NULL);
        CHECK_NEAR(ma, mb, 1e-10);
        CHECK_NEAR(va, vb, 1e-10);
    }
    /* truncating back to 4 rows gives the 4-row model again */
    bo_gp *c;
    CHECK(bo_gp_create(D, &c, &err) == BO_OK);
    CHECK(bo_gp_set_data(c, x, y, 4, &err) == BO_OK);
    CHECK(bo_gp_set_theta(c, th, &err) == BO_OK);
    bo_gp_truncate(a, 4);
    double ma, va, mc, vc;
    bo_gp_predict(a, xs, &ma, &va, NULL, NULL);
    bo_gp_predict(c, xs, &mc, &vc, NULL, NULL);
    CHECK(ma == mc && va == vc);
    bo_gp_free(a);
    bo_gp_free(b);
    bo_gp_free(c);
}

/* Once the capacity is reached, data, fits, appends and predictions
 * allocate nothing more. */
static void test_workspace_reused(void)
{
    enum { N = 30, D = 3 };
    double x[N * D], y[N], mean[N], var[N];
    make_data(N, D, x, y, 9);
    bo_gp *gp;
    bo_error err;
    CHECK(bo_gp_create(D, &gp, &err) == BO_OK);
    CHECK(bo_gp_set_data(gp, x, y, N, &err) == BO_OK);
    CHECK(bo_gp_predict_batch(gp, x, N, mean, var, &err) == BO_OK);
    size_t before = bo_gp_alloc_count(gp);
    for (int rep = 0; rep < 3; rep++) {
        CHECK(bo_gp_set_data(gp, x, y, 20, &err) == BO_OK);
        CHECK(bo_gp_fit(gp, NULL, &err) == BO_OK);
        for (int i = 20; i < N; i++)
            CHECK(bo_gp_append(gp, x + i * D, y[i], &err) == BO_OK);
        CHECK(bo_gp_predict_batch(gp, x, N, mean, var, &err) == BO_OK);
    }
    CHECK(bo_gp_alloc_count(gp) == before);
    bo_gp_free(gp);
}

/* A noiseless row collapses the variance at its point whatever the
 * model's noise, and a noisy one by the closed form of one more noisy
 * observation: v' = v sn2 / (v + sn2) in standardized units. Believing
 * the posterior mean leaves the mean where it was. A noisy row cannot
 * follow a noiseless one until it is truncated away. */
static void test_append_noiseless(void)
{
    enum { D = 1 };
    double x[2] = {0.2, 0.45}, y[2] = {1.0, -1.0};
    double th[D + 3] = {log(0.3), 0.0, log(0.1), 0.0};
    bo_gp *gp;
    bo_error err;
    CHECK(bo_gp_create(D, &gp, &err) == BO_OK);
    CHECK(bo_gp_set_data(gp, x, y, 2, &err) == BO_OK);
    CHECK(bo_gp_set_theta(gp, th, &err) == BO_OK);
    double ym, ys;
    bo_gp_standardization(gp, &ym, &ys);
    double xp[1] = {0.8}, m0, v0, m1, v1, m2, v2;
    bo_gp_predict(gp, xp, &m0, &v0, NULL, NULL);
    double sn2 = 0.1 + BO_GP_NOISE_FLOOR, vs = v0 / (ys * ys);

    CHECK(bo_gp_append_noiseless(gp, xp, m0, &err) == BO_OK);
    bo_gp_predict(gp, xp, &m1, &v1, NULL, NULL);
    CHECK_NEAR(m1, m0, 1e-12);
    CHECK(v1 < 1e-6 * v0);
    CHECK(bo_gp_append(gp, x, 0.5, &err) == BO_ESTATE);
    bo_gp_truncate(gp, 2);

    CHECK(bo_gp_append(gp, xp, m0, &err) == BO_OK);
    bo_gp_predict(gp, xp, &m2, &v2, NULL, NULL);
    CHECK_NEAR(m2, m0, 1e-12);
    CHECK_CLOSE(v2, ys * ys * vs * sn2 / (vs + sn2), 1e-9);
    bo_gp_free(gp);
}

/* The fit raises the log posterior above the prior centre's, to within
 * 0.01 of what a fit given 10 times the iterations reaches (a deterministic
 * function leaves a long, nearly flat valley as the noise falls towards
 * its floor: BFGS stops there with gradients of a few 1e-2 that are worth
 * thousandths in value), and is a pure function of its inputs. */
static void test_fit(void)
{
    enum { N = 25, D = 2, NP = D + 3 };
    double x[N * D], y[N];
    make_data(N, D, x, y, 13);
    bo_gp *gp;
    bo_error err;
    CHECK(bo_gp_create(D, &gp, &err) == BO_OK);
    CHECK(bo_gp_set_data(gp, x, y, N, &err) == BO_OK);
    double th0[NP], v0, v1, v_long;
    bo_gp_default_theta(D, th0);
    bo_gp_log_posterior(gp, th0, &v0, NULL);
    CHECK(bo_gp_fit(gp, NULL, &err) == BO_OK);
    double th1[NP];
    for (int i = 0; i < NP; i++)
        th1[i] = bo_gp_theta(gp)[i];
    bo_gp_log_posterior(gp, th1, &v1, NULL);
    CHECK(v1 > v0 + 1.0);
    bo_gp_fit_options lo = bo_gp_fit_options_default();
    lo.max_iter *= 10;
    CHECK(bo_gp_fit(gp, &lo, &err) == BO_OK);
    bo_gp_log_posterior(gp, bo_gp_theta(gp), &v_long, NULL);
    CHECK(v_long >= v1 - 1e-9);
    CHECK(v1 > v_long - 0.01);
    CHECK(bo_gp_set_theta(gp, th0, &err) == BO_OK);
    CHECK(bo_gp_fit(gp, NULL, &err) == BO_OK);
    int same = 1;
    for (int i = 0; i < NP; i++)
        same &= bo_gp_theta(gp)[i] == th1[i];
    CHECK(same);
    bo_gp_free(gp);
}

static void test_rejects_non_finite(void)
{
    bo_gp *gp;
    bo_error err;
    double x[2] = {0.1, 0.2}, y[2] = {1.0, NAN};
    CHECK(bo_gp_create(1, &gp, &err) == BO_OK);
    CHECK(bo_gp_set_data(gp, x, y, 2, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "output 1 is not finite");
    bo_gp_free(gp);
}

int main(void)
{
    test_one_point_by_hand();
    test_two_points_by_hand();
    test_log_posterior_gradient_fd();
    test_predict_gradient_fd();
    test_variance_never_negative();
    test_jitter_with_duplicates();
    test_append_matches_full();
    test_workspace_reused();
    test_append_noiseless();
    test_fit();
    test_rejects_non_finite();
    return check_summary();
}
