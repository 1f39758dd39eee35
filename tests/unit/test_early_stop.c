/*
 * test_early_stop.c — the median stopping rule (early_stop.h) against
 * medians worked out by hand.
 */
#include <math.h>
#include <stdint.h>

#include "check.h"
#include "early_stop.h"

#define ALL INT64_MAX

/* Trials 0..n-1 complete, each with one report at step 1. */
static bo_early_stop *with_reference(const double *v, int n, int64_t min_trials,
                                     int64_t min_step)
{
    bo_early_stop *es = NULL;
    bo_error err;
    CHECK(bo_early_stop_create(min_trials, min_step, &es, &err) == BO_OK);
    for (int i = 0; i < n; i++) {
        int64_t step = 1;
        CHECK(bo_early_stop_add(es, i, &step, &v[i], 1, &err) == BO_OK);
    }
    return es;
}

/* Odd count: median of {3, 1, 2} is 2; a report of 2 is not worse,
 * 2.0001 is. */
static void test_odd_median(void)
{
    bo_error err;
    double v[] = {3, 1, 2};
    bo_early_stop *es = with_reference(v, 3, 3, 0);
    CHECK(bo_early_stop_report(es, 10, 1, 2.0, ALL, &err) == 0);
    CHECK(bo_early_stop_report(es, 11, 1, 2.0001, ALL, &err) == 1);
    bo_early_stop_free(es);
}

/* Even count: median of {1, 2, 4, 8} is (2 + 4) / 2 = 3. */
static void test_even_median(void)
{
    bo_error err;
    double v[] = {8, 1, 4, 2};
    bo_early_stop *es = with_reference(v, 4, 1, 0);
    CHECK(bo_early_stop_report(es, 10, 1, 3.0, ALL, &err) == 0);
    CHECK(bo_early_stop_report(es, 11, 1, 3.5, ALL, &err) == 1);
    bo_early_stop_free(es);
}

/* Fewer than min_trials reference reports at the step, a step below
 * min_step, or a step nobody else reported: no stop. */
static void test_thresholds(void)
{
    bo_error err;
    double v[] = {1, 1};
    bo_early_stop *es = with_reference(v, 2, 3, 0);
    CHECK(bo_early_stop_report(es, 10, 1, 100.0, ALL, &err) == 0);
    bo_early_stop_free(es);

    double w[] = {1, 1, 1};
    es = with_reference(w, 3, 3, 2);
    CHECK(bo_early_stop_report(es, 10, 1, 100.0, ALL, &err) == 0);
    CHECK(bo_early_stop_report(es, 10, 2, 100.0, ALL, &err) == 0); /* none at 2 */
    bo_early_stop_free(es);
}

/* The trial's BEST report so far is compared: after 0.5 at step 1, a
 * 9 at step 2 does not stop it when the median at 2 is 1. */
static void test_best_so_far(void)
{
    bo_error err;
    bo_early_stop *es = NULL;
    CHECK(bo_early_stop_create(1, 0, &es, &err) == BO_OK);
    int64_t steps[] = {1, 2};
    double vals[] = {1.0, 1.0};
    CHECK(bo_early_stop_add(es, 0, steps, vals, 2, &err) == BO_OK);
    CHECK(bo_early_stop_report(es, 5, 1, 0.5, ALL, &err) == 0);
    CHECK(bo_early_stop_report(es, 5, 2, 9.0, ALL, &err) == 0);
    /* a report replacing step 1 (as storage does) removes the 0.5 */
    CHECK(bo_early_stop_report(es, 5, 1, 9.0, ALL, &err) == 1);
    bo_early_stop_free(es);
}

/* `before` keeps later trials out of the reference: with trials 0..2 at
 * {1, 2, 10}, before = 2 leaves {1, 2} (median 1.5); all three give 2. */
static void test_before(void)
{
    bo_error err;
    double v[] = {1, 2, 10};
    bo_early_stop *es = with_reference(v, 3, 1, 0);
    CHECK(bo_early_stop_report(es, 7, 1, 1.8, 2, &err) == 1);
    CHECK(bo_early_stop_report(es, 8, 1, 1.8, ALL, &err) == 0);
    bo_early_stop_free(es);
}

/* A trial's curve joins the reference only when it ends complete;
 * non-finite reports never count. */
static void test_end_and_nonfinite(void)
{
    bo_error err;
    bo_early_stop *es = NULL;
    CHECK(bo_early_stop_create(1, 0, &es, &err) == BO_OK);
    CHECK(bo_early_stop_report(es, 0, 1, 5.0, ALL, &err) == 0); /* no reference */
    CHECK(bo_early_stop_end(es, 0, 0, &err) == BO_OK);         /* failed: dropped */
    CHECK(bo_early_stop_report(es, 1, 1, 7.0, ALL, &err) == 0);
    CHECK(bo_early_stop_end(es, 1, 1, &err) == BO_OK);         /* reference {7} */
    CHECK(bo_early_stop_report(es, 2, 1, 6.0, ALL, &err) == 0); /* 5 was dropped */
    CHECK(bo_early_stop_report(es, 3, 1, 8.0, ALL, &err) == 1);
    CHECK(bo_early_stop_report(es, 4, 1, NAN, ALL, &err) == 0);
    CHECK(bo_early_stop_report(es, 4, 2, INFINITY, ALL, &err) == 0);
    /* a report for a trial that already ended is an error */
    CHECK(bo_early_stop_report(es, 1, 2, 1.0, ALL, &err) == BO_ESTATE);
    bo_early_stop_free(es);
}

/* Reports that arrive out of step order are found at their step. */
static void test_out_of_order(void)
{
    bo_error err;
    bo_early_stop *es = NULL;
    CHECK(bo_early_stop_create(1, 0, &es, &err) == BO_OK);
    CHECK(bo_early_stop_report(es, 0, 3, 3.0, ALL, &err) == 0);
    CHECK(bo_early_stop_report(es, 0, 1, 1.0, ALL, &err) == 0);
    CHECK(bo_early_stop_report(es, 0, 2, 2.0, ALL, &err) == 0);
    CHECK(bo_early_stop_end(es, 0, 1, &err) == BO_OK);
    CHECK(bo_early_stop_report(es, 1, 2, 2.5, ALL, &err) == 1);
    CHECK(bo_early_stop_report(es, 2, 3, 2.5, ALL, &err) == 0);
    bo_early_stop_free(es);
    bo_early_stop *none = NULL;
    CHECK(bo_early_stop_create(0, 0, &none, &err) == BO_EINVAL);
    CHECK(none == NULL);
}

int main(void)
{
    test_odd_median();
    test_even_median();
    test_thresholds();
    test_best_so_far();
    test_before();
    test_end_and_nonfinite();
    test_out_of_order();
    return check_summary();
}
