/*
 * test_acq_search.c — the acquisition search finds the known maximum of a
 * function built for it (continuous, int and categorical parameters), keeps
 * to the box, never returns an excluded point, reports a used-up finite
 * space, and allocates nothing per run.
 */
#include <math.h>
#include <string.h>

#include "acq_search.h"
#include "check.h"

static const char *const CHOICES[] = {"a", "b", "c", "d"};
static const double C[3] = {0.3, 0.77, 0.123};

/* params: a, b, c floats in [0, 1]; n int 0..9; k categorical of 4.
 * u: (a, b, c, n, k0..k3). */
static bo_space *mixed_space(void)
{
    bo_param_spec p[5];
    memset(p, 0, sizeof p);
    const char *names[3] = {"a", "b", "c"};
    for (int i = 0; i < 3; i++) {
        p[i].name = names[i];
        p[i].type = BO_PARAM_FLOAT;
        p[i].low = 0;
        p[i].high = 1;
    }
    p[3].name = "n";
    p[3].type = BO_PARAM_INT;
    p[3].low = 0;
    p[3].high = 9;
    p[4].name = "k";
    p[4].type = BO_PARAM_CATEGORICAL;
    p[4].choices = CHOICES;
    p[4].n_choices = 4;
    bo_space *sp = NULL;
    bo_error err;
    CHECK(bo_space_create(p, 5, &sp, &err) == BO_OK);
    return sp;
}

static int argmax4(const double *u)
{
    int b = 0;
    for (int i = 1; i < 4; i++)
        if (u[i] > u[b])
            b = i;
    return b;
}

/* Maximum 1.0 at a, b, c = C, n = 6, k = "c" (index 2): a concave
 * quadratic in the floats plus discrete bonuses. */
static double mixed_f(void *ctx, const double *u, double *grad)
{
    (void)ctx;
    double v = 0;
    for (int i = 0; i < 3; i++) {
        v -= (u[i] - C[i]) * (u[i] - C[i]);
        if (grad)
            grad[i] = -2 * (u[i] - C[i]);
    }
    double n = floor(u[3] * 10);
    if (n > 9)
        n = 9;
    v -= 0.1 * (n - 6) * (n - 6);
    v += argmax4(u + 4) == 2 ? 1.0 : 0.0;
    if (grad)
        for (int i = 3; i < 8; i++)
            grad[i] = 0;
    return v;
}

static void test_finds_known_maximum(void)
{
    bo_space *sp = mixed_space();
    bo_acq_search *s;
    bo_error err;
    CHECK(bo_acq_search_create(sp, NULL, &s, &err) == BO_OK);
    bo_acq_fn f = {.value = mixed_f, .values = NULL, .ctx = NULL};
    double u[8], v;
    CHECK(bo_acq_search_run(s, &f, NULL, 0, NULL, 0, 42, u, &v, &err) ==
          BO_OK);
    for (int i = 0; i < 3; i++)
        CHECK_NEAR(u[i], C[i], 1e-4);
    CHECK_NEAR(floor(u[3] * 10), 6, 0);
    CHECK(argmax4(u + 4) == 2);
    CHECK_NEAR(v, 1.0, 1e-7);
    /* canonical: the int at its bin centre, the choice one-hot */
    CHECK_NEAR(u[3], 0.65, 1e-12);
    CHECK(u[4] == 0 && u[5] == 0 && u[6] == 1 && u[7] == 0);
    /* the same seed gives the same point; allocations do not grow */
    size_t allocs = bo_acq_search_alloc_count(s);
    double u2[8];
    CHECK(bo_acq_search_run(s, &f, NULL, 0, NULL, 0, 42, u2, NULL, &err) ==
          BO_OK);
    CHECK(memcmp(u, u2, sizeof u) == 0);
    CHECK(bo_acq_search_alloc_count(s) == allocs);
    bo_acq_search_free(s);
    bo_space_free(sp);
}

/* A maximum outside the box (at 1.3) is found on the boundary, exactly. */
static double outside_f(void *ctx, const double *u, double *grad)
{
    (void)ctx;
    if (grad) {
        grad[0] = -2 * (u[0] - 1.3);
        grad[1] = -2 * (u[1] - 0.4);
    }
    return -(u[0] - 1.3) * (u[0] - 1.3) - (u[1] - 0.4) * (u[1] - 0.4);
}

static void test_stays_in_box(void)
{
    bo_param_spec p[2];
    memset(p, 0, sizeof p);
    p[0].name = "x";
    p[1].name = "y";
    for (int i = 0; i < 2; i++) {
        p[i].type = BO_PARAM_FLOAT;
        p[i].low = -1;
        p[i].high = 1;
    }
    bo_space *sp;
    bo_acq_search *s;
    bo_error err;
    CHECK(bo_space_create(p, 2, &sp, &err) == BO_OK);
    CHECK(bo_acq_search_create(sp, NULL, &s, &err) == BO_OK);
    bo_acq_fn f = {.value = outside_f, .values = NULL, .ctx = NULL};
    double u[2];
    CHECK(bo_acq_search_run(s, &f, NULL, 0, NULL, 0, 1, u, NULL, &err) ==
          BO_OK);
    CHECK(u[0] == 1.0);
    CHECK_NEAR(u[1], 0.4, 1e-5);
    bo_acq_search_free(s);
    bo_space_free(sp);
}

/* Discrete only: n in 0..4, k of 3 choices (15 configurations); the best is
 * n = 2, k = "b". */
static double discrete_f(void *ctx, const double *u, double *grad)
{
    (void)ctx;
    double n = fmin(floor(u[0] * 5), 4);
    int k = u[2] > u[1] && u[2] >= u[3] ? 1 : u[3] > u[1] ? 2 : 0;
    if (grad)
        memset(grad, 0, 4 * sizeof *grad);
    return -(n - 2) * (n - 2) + (k == 1 ? 0.5 : 0.0);
}

static void test_never_returns_excluded(void)
{
    bo_param_spec p[2];
    memset(p, 0, sizeof p);
    p[0].name = "n";
    p[0].type = BO_PARAM_INT;
    p[0].low = 0;
    p[0].high = 4;
    p[1].name = "k";
    p[1].type = BO_PARAM_CATEGORICAL;
    p[1].choices = CHOICES;
    p[1].n_choices = 3;
    bo_space *sp;
    bo_acq_search *s;
    bo_error err;
    CHECK(bo_space_create(p, 2, &sp, &err) == BO_OK);
    CHECK(bo_acq_search_create(sp, NULL, &s, &err) == BO_OK);
    bo_acq_fn f = {.value = discrete_f, .values = NULL, .ctx = NULL};
    double ex[15 * 4], u[4], v;
    size_t n_ex = 0;
    /* take all 15 in turn: each new, each no better than the one before */
    double last = INFINITY;
    int ok_new = 1, ok_order = 1;
    for (int i = 0; i < 15; i++) {
        int rc = bo_acq_search_run(s, &f, NULL, 0, ex, n_ex, (uint64_t)i, u,
                                   &v, &err);
        CHECK(rc == BO_OK);
        if (rc)
            break;
        ok_new &= !bo_acq_point_in(u, ex, n_ex, 4);
        ok_order &= v <= last;
        last = v;
        memcpy(ex + n_ex++ * 4, u, sizeof u);
        if (i == 0) {
            CHECK_NEAR(u[0], 0.5, 1e-12); /* n = 2 */
            CHECK(u[2] == 1.0);            /* k = "b" */
        }
    }
    CHECK(ok_new);
    CHECK(ok_order);
    CHECK(bo_acq_search_run(s, &f, NULL, 0, ex, n_ex, 99, u, &v, &err) ==
          BO_DONE);
    bo_acq_search_free(s);
    bo_space_free(sp);
}

int main(void)
{
    test_finds_known_maximum();
    test_stays_in_box();
    test_never_returns_excluded();
    return check_summary();
}
