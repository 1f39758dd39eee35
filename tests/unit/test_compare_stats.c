/*
 * test_compare_stats.c — the statistics of `bo compare` against published
 * and hand-worked values: Hyndman-Fan type 7 quantiles, the Mann-Whitney U
 * test (exact and normal approximation) and Holm's correction.
 */
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "compare_stats.h"

/* Quartiles of {1, 2, 3, 4} by definition 7: h = 3p, so Q(.25) = 1 + .75,
 * Q(.5) = 2.5, Q(.75) = 3.25 (worked by hand; numpy.quantile agrees). */
static void test_quartiles_hand_worked(void)
{
    const double x[] = {1, 2, 3, 4};
    CHECK_NEAR(bo_compare_quantile(x, 4, 0.25), 1.75, 1e-15);
    CHECK_NEAR(bo_compare_quantile(x, 4, 0.50), 2.5, 1e-15);
    CHECK_NEAR(bo_compare_quantile(x, 4, 0.75), 3.25, 1e-15);
    CHECK_NEAR(bo_compare_quantile(x, 4, 0.0), 1.0, 0);
    CHECK_NEAR(bo_compare_quantile(x, 4, 1.0), 4.0, 0);
    CHECK(isnan(bo_compare_quantile(x, 0, 0.5)));
}

/* The same definition as GSL's gsl_stats_quantile_from_sorted_data, on
 * finite values at many p. */
static void test_quantile_matches_gsl(void)
{
    const double x[] = {-3.5, -1, 0, 0, 2.25, 7, 11, 40};
    for (int i = 0; i <= 20; i++) {
        double p = i / 20.0;
        CHECK_NEAR(bo_compare_quantile(x, 8, p),
                   gsl_stats_quantile_from_sorted_data(x, 1, 8, p), 1e-12);
    }
}

/* A run that never reached the target counts as +inf: {1, 2, inf} has
 * median 2 (h = 1, no weight on inf), Q(.25) = 1.5 and Q(.75) = inf. */
static void test_quantile_with_infinity(void)
{
    const double x[] = {1, 2, INFINITY};
    CHECK_NEAR(bo_compare_quantile(x, 3, 0.5), 2.0, 0);
    CHECK_NEAR(bo_compare_quantile(x, 3, 0.25), 1.5, 1e-15);
    CHECK(isinf(bo_compare_quantile(x, 3, 0.75)));
}

/* R's ?wilcox.test example (Hollander & Wolfe 1973, p. 69): permeability
 * of the chorioamnion at term (x) and at 12-26 weeks (y);
 * wilcox.test(x, y, alternative = "greater") gives W = 35,
 * p-value = 0.1272 (exact; scipy.stats.mannwhitneyu: 0.12720612720...). */
static void test_mann_whitney_exact_textbook(void)
{
    const double x[] = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
    const double y[] = {1.15, 0.88, 0.90, 0.74, 1.21};
    bo_mwu r;
    CHECK(bo_compare_mann_whitney(x, 10, y, 5, &r, NULL) == BO_OK);
    CHECK(r.method == BO_MWU_EXACT);
    CHECK_NEAR(r.u, 35.0, 0);
    CHECK_NEAR(r.p_greater, 0.1272061272061272, 1e-12);
    CHECK_NEAR(r.p_two, 0.2544122544122544, 1e-12);
    /* Swapping the samples swaps the tails: U_y = 50 - 35 = 15. */
    CHECK(bo_compare_mann_whitney(y, 5, x, 10, &r, NULL) == BO_OK);
    CHECK_NEAR(r.u, 15.0, 0);
    CHECK_NEAR(r.p_less, 0.1272061272061272, 1e-12);
}

/* With ties the exact p-value is the share of the C(9, 4) = 126 splits of
 * the pooled mid-ranks whose x rank sum is at most the observed one;
 * counted here by brute force over every split. */
static void test_mann_whitney_exact_ties_brute_force(void)
{
    const double x[] = {1, 2, 2, 3};
    const double y[] = {2, 3, 4, 4, 5};
    /* Pooled sorted: 1 2 2 2 3 3 4 4 5 -> mid-ranks 1, 3, 3, 3, 5.5, 5.5,
     * 7.5, 7.5, 9; x holds ranks 1, 3, 3, 5.5 (sum 12.5, U = 2.5). */
    const double ranks[] = {1, 3, 3, 3, 5.5, 5.5, 7.5, 7.5, 9};
    const double obs = 12.5;
    int le = 0, ge = 0, total = 0;
    for (int mask = 0; mask < 512; mask++) {
        if (__builtin_popcount(mask) != 4)
            continue;
        double s = 0;
        for (int i = 0; i < 9; i++)
            if (mask & (1 << i))
                s += ranks[i];
        total++;
        le += s <= obs + 1e-9;
        ge += s >= obs - 1e-9;
    }
    CHECK(total == 126);
    bo_mwu r;
    CHECK(bo_compare_mann_whitney(x, 4, y, 5, &r, NULL) == BO_OK);
    CHECK_NEAR(r.u, 2.5, 0);
    CHECK_NEAR(r.p_less, (double)le / total, 1e-14);
    CHECK_NEAR(r.p_greater, (double)ge / total, 1e-14);
}

/* Normal approximation past BO_MWU_EXACT_MAX: x = 1..60, y = 21..80
 * (40 tied pairs). U = sum_{k=0}^{39} (k + 1/2) = 800, mean 60*60/2 = 1800,
 * variance 60*60/12 (121 - 40*6/(120*119)) = 36294.958, so
 * z = (800 - 1800 + 1/2) / 190.5123 = -5.2464 and p_less = Phi(z) =
 * 7.7559e-8 (scipy.stats.mannwhitneyu, asymptotic: 7.755887945212682e-08). */
static void test_mann_whitney_normal_with_ties(void)
{
    double x[60], y[60];
    for (int i = 0; i < 60; i++) {
        x[i] = i + 1;
        y[i] = i + 21;
    }
    bo_mwu r;
    CHECK(bo_compare_mann_whitney(x, 60, y, 60, &r, NULL) == BO_OK);
    CHECK(r.method == BO_MWU_NORMAL);
    CHECK_NEAR(r.u, 800.0, 0);
    CHECK_NEAR(r.p_less, 7.755887945212682e-08, 1e-15);
    CHECK_NEAR(r.p_greater, 0.9999999246195901, 1e-12);
}

/* +inf is a value like any other (a run with no complete trial), NaN is
 * refused with a message naming it. */
static void test_mann_whitney_inf_and_nan(void)
{
    const double x[] = {1, 2, 3};
    const double y[] = {4, 5, INFINITY};
    bo_mwu r;
    CHECK(bo_compare_mann_whitney(x, 3, y, 3, &r, NULL) == BO_OK);
    /* Complete separation: U = 0, p_less = 1 / C(6, 3) = 0.05. */
    CHECK_NEAR(r.u, 0.0, 0);
    CHECK_NEAR(r.p_less, 0.05, 1e-15);
    const double z[] = {1, NAN};
    bo_error err = {0};
    CHECK(bo_compare_mann_whitney(z, 2, y, 3, &r, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "value 1 of x is NaN");
}

/* Holm on p = (0.01, 0.04, 0.03, 0.005), worked by hand: sorted 0.005,
 * 0.01, 0.03, 0.04 times 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04; the running
 * maximum makes the last 0.06. Back in the given order: 0.03, 0.06, 0.06,
 * 0.02. */
static void test_holm_hand_worked(void)
{
    const double p[] = {0.01, 0.04, 0.03, 0.005};
    double adj[4];
    CHECK(bo_compare_holm(p, 4, adj, NULL) == BO_OK);
    CHECK_NEAR(adj[0], 0.03, 1e-15);
    CHECK_NEAR(adj[1], 0.06, 1e-15);
    CHECK_NEAR(adj[2], 0.06, 1e-15);
    CHECK_NEAR(adj[3], 0.02, 1e-15);
}

/* Capped at 1; a NaN stays NaN and leaves the family smaller: (0.3, NaN,
 * 0.6) is a family of 2: 0.6 and max(0.6, 0.6). */
static void test_holm_cap_and_nan(void)
{
    double p[] = {0.3, NAN, 0.6};
    CHECK(bo_compare_holm(p, 3, p, NULL) == BO_OK);
    CHECK_NEAR(p[0], 0.6, 1e-15);
    CHECK(isnan(p[1]));
    CHECK_NEAR(p[2], 0.6, 1e-15);
    double q[] = {0.5, 0.9}, adj[2];
    CHECK(bo_compare_holm(q, 2, adj, NULL) == BO_OK);
    CHECK_NEAR(adj[0], 1.0, 0);
    CHECK_NEAR(adj[1], 1.0, 0);
    bo_error err = {0};
    double bad[] = {1.5};
    CHECK(bo_compare_holm(bad, 1, adj, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "not in [0, 1]");
}

int main(void)
{
    test_quartiles_hand_worked();
    test_quantile_matches_gsl();
    test_quantile_with_infinity();
    test_mann_whitney_exact_textbook();
    test_mann_whitney_exact_ties_brute_force();
    test_mann_whitney_normal_with_ties();
    test_mann_whitney_inf_and_nan();
    test_holm_hand_worked();
    test_holm_cap_and_nan();
    return check_summary();
}
