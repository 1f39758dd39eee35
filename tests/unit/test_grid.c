/*
 * test_grid.c — the `grid` strategy: levels in user units, the cartesian
 * product exactly once, how L follows options.levels and the budget, the
 * seeded order's early coverage, and exhaustion.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "bo/bo.h"
#include "check.h"

static bo_strategy *make(const bo_space *sp, uint64_t seed, int64_t levels,
                         int64_t budget)
{
    bo_strategy_options o = bo_strategy_options_default();
    o.name = "grid";
    o.seed = seed;
    o.levels = levels;
    o.budget = budget;
    bo_strategy *st = NULL;
    bo_error err = {0};
    int rc = bo_strategy_create(sp, &o, &st, &err);
    if (rc)
        fprintf(stderr, "make: %s\n", err.message);
    CHECK(rc == BO_OK);
    return st;
}

static bo_space *space_of(const bo_param_spec *ps, size_t n)
{
    bo_space *sp = NULL;
    CHECK(bo_space_create(ps, n, &sp, NULL) == BO_OK);
    return sp;
}

static const char *acts[] = {"relu", "tanh"};

/* x float [0,1] linear, lr float [1e-3, 1] log, k int [1, 10],
 * act in {relu, tanh}. */
static bo_space *mixed_space(void)
{
    bo_param_spec ps[4] = {{0}};
    ps[0].name = "x"; ps[0].type = BO_PARAM_FLOAT; ps[0].high = 1;
    ps[1].name = "lr"; ps[1].type = BO_PARAM_FLOAT; ps[1].low = 1e-3;
    ps[1].high = 1; ps[1].log = 1;
    ps[2].name = "k"; ps[2].type = BO_PARAM_INT; ps[2].low = 1; ps[2].high = 10;
    ps[3].name = "act"; ps[3].type = BO_PARAM_CATEGORICAL; ps[3].choices = acts;
    ps[3].n_choices = 2;
    return space_of(ps, 4);
}

/* Index of a decoded value among expected levels, or -1. */
static int level_of(double x, const double *levels, int n, double rtol)
{
    for (int i = 0; i < n; i++)
        if (fabs(x - levels[i]) <= rtol * fmax(1.0, fabs(levels[i])))
            return i;
    return -1;
}

/* With 4 levels: x in {0, 1/3, 2/3, 1}; lr geometric {1e-3, 1e-2, 1e-1, 1}
 * (ratio 10 each step); k: 4 of 10 integers spread evenly, round(1 + 3j)
 * = {1, 4, 7, 10}; act both. Size 4*4*4*2 = 128; every combination comes
 * exactly once, then BO_DONE. */
static void test_cartesian_product(void)
{
    bo_space *sp = mixed_space();
    bo_strategy *st = make(sp, 3, 4, -1);
    CHECK(bo_strategy_capacity(st) == 128);
    const double xs[] = {0, 1.0 / 3, 2.0 / 3, 1};
    const double lrs[] = {1e-3, 1e-2, 1e-1, 1};
    const double ks[] = {1, 4, 7, 10};
    int seen[4][4][4][2] = {{{{0}}}};
    int bad = 0;
    for (int i = 0; i < 128; i++) {
        double u[5];
        int64_t t;
        CHECK(bo_strategy_ask(st, u, &t, NULL) == BO_OK);
        CHECK(t == i);
        bo_value v[4];
        bo_space_decode(sp, u, v, NULL);
        int a = level_of(v[0].d, xs, 4, 1e-12);
        int b = level_of(v[1].d, lrs, 4, 1e-12);
        int c = level_of((double)v[2].i, ks, 4, 0);
        int d = strcmp(v[3].s, "relu") == 0 ? 0 : 1;
        if (a < 0 || b < 0 || c < 0) {
            bad++;
            continue;
        }
        seen[a][b][c][d]++;
    }
    CHECK(bad == 0);
    int once = 1;
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 4; b++)
            for (int c = 0; c < 4; c++)
                for (int d = 0; d < 2; d++)
                    once &= seen[a][b][c][d] == 1;
    CHECK(once);
    double u[5];
    int64_t t = -7;
    CHECK(bo_strategy_ask(st, u, &t, NULL) == BO_DONE);
    CHECK(bo_strategy_ask(st, u, &t, NULL) == BO_DONE);
    CHECK(t == -7);
    bo_strategy_free(st);
    bo_space_free(sp);
}

/* Log levels are geometric: 5 levels of [1e-4, 1] are 10^-4, 10^-3, ...,
 * 1: consecutive ratios 10 within 1e-12. */
static void test_log_levels_geometric(void)
{
    bo_param_spec p = {0};
    p.name = "lr"; p.type = BO_PARAM_FLOAT; p.low = 1e-4; p.high = 1; p.log = 1;
    bo_space *sp = space_of(&p, 1);
    bo_strategy *st = make(sp, 0, 5, -1);
    CHECK(bo_strategy_capacity(st) == 5);
    double got[5];
    for (int i = 0; i < 5; i++) {
        double u;
        int64_t t;
        bo_strategy_ask(st, &u, &t, NULL);
        bo_value v;
        bo_space_decode(sp, &u, &v, NULL);
        got[i] = v.d;
    }
    /* sort */
    for (int i = 1; i < 5; i++)
        for (int j = i; j > 0 && got[j] < got[j - 1]; j--) {
            double tmp = got[j]; got[j] = got[j - 1]; got[j - 1] = tmp;
        }
    CHECK(got[0] == 1e-4 && got[4] == 1.0);
    for (int i = 1; i < 5; i++)
        CHECK_CLOSE(got[i] / got[i - 1], 10.0, 1e-12);
    bo_strategy_free(st);
    bo_space_free(sp);
}

/* An int range smaller than L gives every integer once: [0, 2] with L = 10
 * gives 3 levels; a log int range [1, 1000] with L = 4 gives
 * round(10^{0,1,2,3}) = {1, 10, 100, 1000}. */
static void test_int_levels(void)
{
    bo_param_spec p = {0};
    p.name = "k"; p.type = BO_PARAM_INT; p.low = 0; p.high = 2;
    bo_space *sp = space_of(&p, 1);
    bo_strategy *st = make(sp, 0, 10, -1);
    CHECK(bo_strategy_capacity(st) == 3);
    int seen[3] = {0};
    for (int i = 0; i < 3; i++) {
        double u;
        int64_t t;
        bo_strategy_ask(st, &u, &t, NULL);
        bo_value v;
        bo_space_decode(sp, &u, &v, NULL);
        if (v.i >= 0 && v.i <= 2)
            seen[v.i]++;
    }
    CHECK(seen[0] == 1 && seen[1] == 1 && seen[2] == 1);
    bo_strategy_free(st);
    bo_space_free(sp);

    p.low = 1; p.high = 1000; p.log = 1;
    sp = space_of(&p, 1);
    st = make(sp, 0, 4, -1);
    CHECK(bo_strategy_capacity(st) == 4);
    int64_t sum = 0, prod_ok = 1;
    for (int i = 0; i < 4; i++) {
        double u;
        int64_t t;
        bo_strategy_ask(st, &u, &t, NULL);
        bo_value v;
        bo_space_decode(sp, &u, &v, NULL);
        sum += v.i;
        prod_ok &= v.i == 1 || v.i == 10 || v.i == 100 || v.i == 1000;
    }
    CHECK(prod_ok && sum == 1111);
    bo_strategy_free(st);
    bo_space_free(sp);
}

/* L from the budget: the largest L >= 2 with size <= budget. With two
 * floats and act (2 choices), size = 2 L^2: budget 50 -> L = 5 (50),
 * budget 49 -> L = 4 (32), budget 3 -> L = 2 (8, over budget but at least
 * 2 levels); no budget -> L = 5. Two ints of 3 values each saturate at 9
 * points, whatever the budget. */
static void test_levels_from_budget(void)
{
    bo_param_spec ps[3] = {{0}};
    ps[0].name = "a"; ps[0].type = BO_PARAM_FLOAT; ps[0].high = 1;
    ps[1].name = "b"; ps[1].type = BO_PARAM_FLOAT; ps[1].high = 1;
    ps[2].name = "act"; ps[2].type = BO_PARAM_CATEGORICAL; ps[2].choices = acts;
    ps[2].n_choices = 2;
    bo_space *sp = space_of(ps, 3);
    const int64_t budget[] = {50, 49, 3, -1, 1000000};
    const int64_t want[] = {50, 32, 8, 50, 2 * 707 * 707};
    for (int k = 0; k < 5; k++) {
        bo_strategy *st = make(sp, 0, -1, budget[k]);
        CHECK(bo_strategy_capacity(st) == want[k]);
        bo_strategy_free(st);
    }
    /* explicit levels win over the budget */
    bo_strategy *st = make(sp, 0, 3, 1000);
    CHECK(bo_strategy_capacity(st) == 18);
    bo_strategy_free(st);
    bo_space_free(sp);

    bo_param_spec is[2] = {{0}};
    is[0].name = "i"; is[0].type = BO_PARAM_INT; is[0].high = 2;
    is[1].name = "j"; is[1].type = BO_PARAM_INT; is[1].high = 2;
    sp = space_of(is, 2);
    st = make(sp, 0, -1, 1000);
    CHECK(bo_strategy_capacity(st) == 9);
    bo_strategy_free(st);
    bo_space_free(sp);
}

/* Early coverage: with 6 x 6 levels (two floats) and 3 choices, every
 * level of every parameter appears within the first 6 points (the most
 * levels any parameter has, so the least possible), for several seeds;
 * and any 6 consecutive points from an aligned block do too. */
static void test_order_covers_early(void)
{
    static const char *ch3[] = {"a", "b", "c"};
    bo_param_spec ps[3] = {{0}};
    ps[0].name = "x"; ps[0].type = BO_PARAM_FLOAT; ps[0].high = 5;
    ps[1].name = "y"; ps[1].type = BO_PARAM_FLOAT; ps[1].high = 5;
    ps[2].name = "c"; ps[2].type = BO_PARAM_CATEGORICAL; ps[2].choices = ch3;
    ps[2].n_choices = 3;
    bo_space *sp = space_of(ps, 3);
    for (uint64_t seed = 0; seed < 5; seed++) {
        bo_strategy *st = make(sp, seed, 6, -1);
        CHECK(bo_strategy_capacity(st) == 108);
        int ok = 1;
        for (int block = 0; block < 18; block++) {
            int sx[6] = {0}, sy[6] = {0}, sc[3] = {0};
            for (int i = 0; i < 6; i++) {
                double u[5];
                int64_t t;
                bo_strategy_ask(st, u, &t, NULL);
                bo_value v[3];
                bo_space_decode(sp, u, v, NULL);
                /* levels 0..5 of [0,5] are the integers */
                sx[(int)lround(v[0].d)]++;
                sy[(int)lround(v[1].d)]++;
                sc[v[2].s[0] - 'a']++;
            }
            for (int l = 0; l < 6; l++)
                ok &= sx[l] == 1 && sy[l] == 1;
            for (int l = 0; l < 3; l++)
                ok &= sc[l] == 2;
        }
        CHECK(ok);
        bo_strategy_free(st);
    }
    bo_space_free(sp);
}

/* The order is seeded: the same seed repeats it, another seed differs,
 * and both visit the same set of points (checked by capacity and the
 * product test above). */
static void test_order_seeded(void)
{
    bo_space *sp = mixed_space();
    bo_strategy *a = make(sp, 1, 3, -1), *b = make(sp, 1, 3, -1),
                *c = make(sp, 2, 3, -1);
    int same = 1, differ = 0;
    for (int i = 0; i < 54; i++) {
        double ua[5], ub[5], uc[5];
        int64_t t;
        bo_strategy_ask(a, ua, &t, NULL);
        bo_strategy_ask(b, ub, &t, NULL);
        bo_strategy_ask(c, uc, &t, NULL);
        same &= memcmp(ua, ub, sizeof ua) == 0;
        differ |= memcmp(ua, uc, sizeof ua) != 0;
    }
    CHECK(same);
    CHECK(differ);
    bo_strategy_free(a);
    bo_strategy_free(b);
    bo_strategy_free(c);
    bo_space_free(sp);
}

/* Enqueued (user) trials do not use up grid points: with 2 levels of one
 * float, two user adds and two asks, then BO_DONE; trial numbers run on. */
static void test_user_trials_do_not_consume(void)
{
    bo_param_spec p = {0};
    p.name = "x"; p.type = BO_PARAM_FLOAT; p.high = 1;
    bo_space *sp = space_of(&p, 1);
    bo_strategy *st = make(sp, 0, 2, -1);
    double u = 0.3, got[2];
    int64_t t;
    CHECK(bo_strategy_add(st, &u, BO_ORIGIN_USER, &t, NULL) == 0 && t == 0);
    CHECK(bo_strategy_ask(st, &got[0], &t, NULL) == BO_OK && t == 1);
    CHECK(bo_strategy_add(st, &u, BO_ORIGIN_USER, &t, NULL) == 0 && t == 2);
    CHECK(bo_strategy_ask(st, &got[1], &t, NULL) == BO_OK && t == 3);
    CHECK(bo_strategy_ask(st, &u, &t, NULL) == BO_DONE);
    CHECK(fmin(got[0], got[1]) == 0.0 && fmax(got[0], got[1]) == 1.0);
    bo_strategy_free(st);
    bo_space_free(sp);
}

/* Grids that cannot be held are refused with one line: more than 2^20
 * levels per parameter, or more than 2^62 points (30 floats at 5 levels
 * is 5^30 = 9.3e20 > 2^62 = 4.6e18). */
static void test_too_large(void)
{
    static const char *names[30] = {
        "p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9",
        "p10", "p11", "p12", "p13", "p14", "p15", "p16", "p17", "p18", "p19",
        "p20", "p21", "p22", "p23", "p24", "p25", "p26", "p27", "p28", "p29"};
    bo_param_spec ps[30] = {{0}};
    for (int j = 0; j < 30; j++) {
        ps[j].name = names[j];
        ps[j].type = BO_PARAM_FLOAT;
        ps[j].high = 1;
    }
    bo_space *sp = space_of(ps, 30);
    bo_strategy_options o = bo_strategy_options_default();
    o.name = "grid";
    bo_strategy *st = NULL;
    bo_error err = {0};
    CHECK(bo_strategy_create(sp, &o, &st, &err) == BO_EINVAL);
    CHECK(st == NULL);
    CHECK_STR_CONTAINS(err.message, "grid: 5 levels per parameter make too many points");
    bo_space_free(sp);
    sp = space_of(ps, 1);
    o.levels = (INT64_C(1) << 20) + 1;
    CHECK(bo_strategy_create(sp, &o, &st, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "grid: 1048577 levels per parameter is too many");
    bo_space_free(sp);
}

int main(void)
{
    test_too_large();
    test_cartesian_product();
    test_log_levels_geometric();
    test_int_levels();
    test_levels_from_budget();
    test_order_covers_early();
    test_order_seeded();
    test_user_trials_do_not_consume();
    return check_summary();
}
