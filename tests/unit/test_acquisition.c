/*
 * test_acquisition.c — EI, log-EI, PI, UCB against closed forms and their
 * limits (zero variance, huge improvement, tiny improvement where plain EI
 * underflows but log-EI stays accurate), the log-space derivative, and the
 * gradients w.r.t. x through a GP against finite differences.
 */
#include <math.h>

#include "acquisition.h"
#include "check.h"
#include "gp.h"

#define LOG_SQRT_2PI 0.91893853320467274178

/* Published values of the standard normal: phi(0) = 0.3989422804014327,
 * Phi(1) = 0.8413447460685429, phi(1) = 0.24197072451914337. EI with
 * mu = 0, sigma = 1 is h(best): h(0) = phi(0), h(1) = Phi(1) + phi(1). */
static void test_ei_closed_form(void)
{
    CHECK_NEAR(bo_acq_ei(0.0, 1.0, 0.0), 0.3989422804014327, 1e-15);
    CHECK_NEAR(bo_acq_ei(0.0, 1.0, 1.0), 0.8413447460685429 +
                                         0.24197072451914337, 1e-15);
    /* scaling: EI(mu, s, best) = s h((best - mu) / s) */
    CHECK_NEAR(bo_acq_ei(2.0, 0.5, 2.5), 0.5 * (0.8413447460685429 +
                                                0.24197072451914337), 1e-15);
    CHECK_NEAR(bo_acq_log_ei(2.0, 0.5, 2.5),
               log(0.5 * (0.8413447460685429 + 0.24197072451914337)), 1e-14);
    /* where plain EI is accurate, log EI is its log */
    CHECK_NEAR(bo_acq_log_ei(0.0, 1.0, -5.0), log(bo_acq_ei(0.0, 1.0, -5.0)),
               1e-10);
    CHECK_NEAR(bo_acq_log_ei(0.0, 1.0, -1.5), log(bo_acq_ei(0.0, 1.0, -1.5)),
               1e-12);
}

/* sigma = 0: EI is the plain improvement max(best - mu, 0); PI is a step. */
static void test_zero_variance(void)
{
    CHECK_NEAR(bo_acq_ei(1.0, 0.0, 3.0), 2.0, 0);
    CHECK_NEAR(bo_acq_ei(3.0, 0.0, 1.0), 0.0, 0);
    CHECK_NEAR(bo_acq_log_ei(1.0, 0.0, 3.0), log(2.0), 0);
    CHECK(bo_acq_log_ei(3.0, 0.0, 1.0) == -INFINITY);
    CHECK(bo_acq_pi(1.0, 0.0, 3.0) == 1.0);
    CHECK(bo_acq_pi(3.0, 0.0, 1.0) == 0.0);
    CHECK(bo_acq_log_pi(3.0, 0.0, 1.0) == -INFINITY);
}

/* z = 40: Phi(z) = 1 and phi(z) ~ 1e-348, so EI = best - mu to rounding. */
static void test_huge_improvement(void)
{
    CHECK_CLOSE(bo_acq_ei(0.0, 1.0, 40.0), 40.0, 1e-15);
    CHECK_NEAR(bo_acq_log_ei(0.0, 1.0, 40.0), log(40.0), 1e-15);
    CHECK_NEAR(bo_acq_log_pi(0.0, 1.0, 40.0), 0.0, 1e-15);
}

/*
 * z = -40: phi(40) = e^-800 / sqrt(2 pi) underflows, so plain EI is 0, but
 * from the Mills-ratio expansion Q(u)/phi(u) = 1/u - 1/u^3 + 3/u^5 - ...,
 *   log h(-u) = log phi(u) - 2 log u + log(1 - 3/u^2 + 15/u^4 - 105/u^6 ...)
 * whose first dropped term changes the log by about 945/u^8 = 1.4e-10 at
 * u = 40. For PI, log Phi(-u) = log phi(u) - log u + log(1 - 1/u^2 + 3/u^4
 * - 15/u^6 ...). The library uses GSL's hazard function here, not this
 * series, so this is an independent reference.
 */
static void test_tiny_improvement(void)
{
    double u = 40.0, t = 1.0 / (u * u);
    double ref = -0.5 * u * u - LOG_SQRT_2PI - 2.0 * log(u) +
                 log(1.0 - 3.0 * t + 15.0 * t * t - 105.0 * t * t * t);
    CHECK(bo_acq_ei(0.0, 1.0, -u) == 0.0);
    double got = bo_acq_log_ei(0.0, 1.0, -u);
    CHECK(isfinite(got));
    CHECK_NEAR(got, ref, 1e-9);
    /* sigma scales in: log EI = log sigma + log h(z) */
    CHECK_NEAR(bo_acq_log_ei(1.0, 0.01, 1.0 - 0.4), log(0.01) + ref, 1e-9);
    double pref = -0.5 * u * u - LOG_SQRT_2PI - log(u) +
                  log(1.0 - t + 3.0 * t * t - 15.0 * t * t * t);
    CHECK_NEAR(bo_acq_log_pi(0.0, 1.0, -u), pref, 1e-9);
    /* far out (u = 1000, the series branch) and across the branch point
     * the value stays continuous and ordered */
    double a = bo_acq_log_h(-100.0 + 1e-9), b = bo_acq_log_h(-100.0 - 1e-9);
    CHECK_NEAR(a, b, 1e-6);
    CHECK(bo_acq_log_h(-1000.0) < bo_acq_log_h(-999.0));
    CHECK(isfinite(bo_acq_log_h(-1e6)));
}

/* d log h / dz = Phi(z) / h(z) against central differences of log h over
 * the whole range, both branches included. */
static void test_dlog_h_fd(void)
{
    const double zs[] = {3.0, 0.5, -0.5, -1.0, -2.5, -8.0, -30.0, -99.0,
                         -150.0};
    for (size_t i = 0; i < sizeof zs / sizeof zs[0]; i++) {
        double z = zs[i], h = 1e-6 * fmax(1.0, fabs(z));
        double fd = (bo_acq_log_h(z + h) - bo_acq_log_h(z - h)) / (2 * h);
        CHECK_NEAR(bo_acq_dlog_h(z), fd, 1e-6 * fmax(1.0, fabs(fd)));
    }
}

/* PI = Phi(z); UCB = beta sigma - mu. */
static void test_pi_ucb(void)
{
    CHECK_NEAR(bo_acq_pi(0.0, 1.0, 1.0), 0.8413447460685429, 1e-15);
    CHECK_NEAR(bo_acq_log_pi(0.0, 1.0, 1.0), log(0.8413447460685429), 1e-15);
    CHECK_NEAR(bo_acq_pi(0.0, 2.0, -2.0), 1.0 - 0.8413447460685429, 1e-15);
    CHECK_NEAR(bo_acq_ucb(1.5, 0.5, 2.0), -0.5, 1e-15);
    CHECK(bo_acq_kind_parse("ei") == BO_ACQ_EI);
    CHECK(bo_acq_kind_parse("eips") == BO_ACQ_EIPS);
    CHECK(bo_acq_kind_parse("nope") == -1);
}

/* The gradient of every acquisition w.r.t. x through a small GP against
 * central differences, and the batch values equal to the single ones. */
static void test_acq_gradient_fd(void)
{
    enum { N = 8, D = 2 };
    double x[N * D] = {0.1, 0.2, 0.8, 0.3, 0.4, 0.9, 0.6, 0.6,
                       0.2, 0.7, 0.95, 0.9, 0.5, 0.1, 0.3, 0.45};
    double y[N], cy[N];
    for (int i = 0; i < N; i++) {
        y[i] = sin(5 * x[i * D]) + cos(3 * x[i * D + 1]);
        cy[i] = 0.5 + x[i * D];
    }
    bo_gp *gp, *cgp;
    bo_error err;
    CHECK(bo_gp_create(D, &gp, &err) == BO_OK);
    CHECK(bo_gp_create(D, &cgp, &err) == BO_OK);
    CHECK(bo_gp_set_data(gp, x, y, N, &err) == BO_OK);
    CHECK(bo_gp_set_data(cgp, x, cy, N, &err) == BO_OK);
    double th[D + 3] = {log(0.3), log(0.4), 0.0, log(1e-4), 0.0};
    CHECK(bo_gp_set_theta(gp, th, &err) == BO_OK);
    CHECK(bo_gp_set_theta(cgp, th, &err) == BO_OK);
    double best = 1e9;
    for (int i = 0; i < N; i++)
        best = fmin(best, y[i]);
    const int kinds[] = {BO_ACQ_EI, BO_ACQ_PI, BO_ACQ_UCB, BO_ACQ_EIPS};
    double pts[3 * D] = {0.33, 0.52, 0.71, 0.15, 0.05, 0.95};
    for (int k = 0; k < 4; k++) {
        bo_acq a = {.kind = kinds[k], .gp = gp, .cost_gp = cgp, .best = best,
                    .beta = 2.0};
        double batch[3], work[12];
        CHECK(bo_acq_values(&a, pts, 3, batch, work, &err) == BO_OK);
        for (int p = 0; p < 3; p++) {
            double *u = pts + p * D, g[D];
            double v = bo_acq_value(&a, u, g);
            CHECK_NEAR(batch[p], v, 1e-10 * fmax(1.0, fabs(v)));
            for (int j = 0; j < D; j++) {
                double up[D] = {u[0], u[1]}, um[D] = {u[0], u[1]}, h = 1e-6;
                up[j] += h;
                um[j] -= h;
                double fd = (bo_acq_value(&a, up, NULL) -
                             bo_acq_value(&a, um, NULL)) / (2 * h);
                CHECK_NEAR(g[j], fd, 1e-5 * fmax(1.0, fabs(fd)));
            }
        }
    }
    bo_gp_free(gp);
    bo_gp_free(cgp);
}

int main(void)
{
    test_ei_closed_form();
    test_zero_variance();
    test_huge_improvement();
    test_tiny_improvement();
    test_dlog_h_fd();
    test_pi_ucb();
    test_acq_gradient_fd();
    return check_summary();
}
