/*
 * test_strategy.c — the ask/add/tell core and the `random` and `sobol`
 * strategies (the grid has its own test file, test_grid.c).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "bo/bo.h"
#include "check.h"
#include "sobol.h"
#include "strategy_impl.h"
#include "stream.h"

static bo_space *make_space(void)
{
    static const char *ch[] = {"relu", "tanh", "gelu"};
    bo_param_spec ps[3] = {{0}};
    ps[0].name = "lr"; ps[0].type = BO_PARAM_FLOAT; ps[0].low = 1e-4;
    ps[0].high = 0.3; ps[0].log = 1;
    ps[1].name = "layers"; ps[1].type = BO_PARAM_INT; ps[1].low = 1;
    ps[1].high = 4;
    ps[2].name = "act"; ps[2].type = BO_PARAM_CATEGORICAL; ps[2].choices = ch;
    ps[2].n_choices = 3;
    bo_space *sp = NULL;
    CHECK(bo_space_create(ps, 3, &sp, NULL) == BO_OK);
    return sp;
}

/* A space of d floats on [0, 1]: u is the value. */
static bo_space *make_cube(size_t d)
{
    static const char *names[] = {"x0", "x1", "x2", "x3", "x4", "x5"};
    bo_param_spec ps[6] = {{0}};
    for (size_t j = 0; j < d; j++) {
        ps[j].name = names[j];
        ps[j].type = BO_PARAM_FLOAT;
        ps[j].high = 1;
    }
    bo_space *sp = NULL;
    CHECK(bo_space_create(ps, d, &sp, NULL) == BO_OK);
    return sp;
}

static bo_strategy *make(const bo_space *sp, const char *name, uint64_t seed,
                         int64_t budget)
{
    bo_strategy_options o = bo_strategy_options_default();
    o.name = name;
    o.seed = seed;
    o.budget = budget;
    bo_strategy *st = NULL;
    bo_error err = {0};
    int rc = bo_strategy_create(sp, &o, &st, &err);
    if (rc)
        fprintf(stderr, "make: %s\n", err.message);
    CHECK(rc == BO_OK);
    return st;
}

/* Defaults as documented in bo.h. */
static void test_options_default(void)
{
    bo_strategy_options o = bo_strategy_options_default();
    CHECK(strcmp(o.name, "bo") == 0);
    CHECK(o.seed == 0);
    CHECK(o.initial == -1);
    CHECK(strcmp(o.acquisition, "ei") == 0);
    CHECK(o.levels == -1);
    CHECK(o.budget == -1);
}

static void test_state_names(void)
{
    const char *names[] = {"pending", "running", "complete", "failed",
                           "crashed", "timeout", "invalid", "abandoned"};
    for (int s = 0; s < 8; s++) {
        CHECK(strcmp(bo_trial_state_name(s), names[s]) == 0);
        CHECK(bo_trial_state_parse(names[s]) == s);
    }
    CHECK(bo_trial_state_name(BO_TRIAL_TIMEOUT) == bo_trial_state_name(5));
    CHECK(bo_trial_state_parse("done") == -1);
    CHECK(bo_trial_state_parse("Complete") == -1);
    CHECK(bo_trial_state_parse(NULL) == -1);
    CHECK(strcmp(bo_trial_state_name(99), "unknown") == 0);
}

/* Unknown names are refused with the list of known ones. */
static void test_unknown_strategy(void)
{
    bo_space *sp = make_space();
    bo_strategy_options o = bo_strategy_options_default();
    o.name = "hyperband";
    bo_strategy *st = (bo_strategy *)&o;
    bo_error err = {0};
    CHECK(bo_strategy_create(sp, &o, &st, &err) == BO_EINVAL);
    CHECK(st == NULL);
    CHECK_STR_CONTAINS(err.message,
                       "unknown strategy 'hyperband' (known: bo, random, sobol, grid)");
    /* "bo" either exists (the GP strategy is linked in) or says it is not
     * built, never "unknown". */
    o.name = "bo";
    int rc = bo_strategy_create(sp, &o, &st, &err);
    if (rc == BO_OK) {
        CHECK(strcmp(bo_strategy_name(st), "bo") == 0);
        bo_strategy_free(st);
    } else {
        CHECK(rc == BO_ENOTFOUND);
        CHECK_STR_CONTAINS(err.message, "strategy 'bo'");
    }
    bo_space_free(sp);
}

/* Same seed, same sequence; another seed, another sequence (random, sobol). */
static void test_seeded_sequences(void)
{
    const char *names[] = {"random", "sobol"};
    bo_space *sp = make_space();
    size_t d = bo_space_dim(sp);
    for (int k = 0; k < 2; k++) {
        bo_strategy *a = make(sp, names[k], 5, -1), *b = make(sp, names[k], 5, -1),
                    *c = make(sp, names[k], 6, -1);
        CHECK(strcmp(bo_strategy_name(a), names[k]) == 0);
        CHECK(bo_strategy_capacity(a) == -1);
        int same = 1, differ = 0;
        for (int i = 0; i < 20; i++) {
            double ua[5], ub[5], uc[5];
            int64_t ta, tb, tc;
            CHECK(bo_strategy_ask(a, ua, &ta, NULL) == BO_OK);
            CHECK(bo_strategy_ask(b, ub, &tb, NULL) == BO_OK);
            CHECK(bo_strategy_ask(c, uc, &tc, NULL) == BO_OK);
            CHECK(ta == i && tb == i && tc == i);
            same &= memcmp(ua, ub, d * sizeof *ua) == 0;
            differ |= memcmp(ua, uc, d * sizeof *ua) != 0;
        }
        CHECK(same);
        CHECK(differ);
        bo_strategy_free(a);
        bo_strategy_free(b);
        bo_strategy_free(c);
    }
    bo_space_free(sp);
}

/* Asked points are canonical: canonical(u) == u bit for bit. */
static void test_ask_is_canonical(void)
{
    const char *names[] = {"random", "sobol", "grid"};
    bo_space *sp = make_space();
    for (int k = 0; k < 3; k++) {
        bo_strategy *st = make(sp, names[k], 1, 30);
        int ok = 1;
        for (int i = 0; i < 30; i++) {
            double u[5], c[5];
            int64_t t;
            if (bo_strategy_ask(st, u, &t, NULL) != BO_OK)
                break;
            bo_space_canonical(sp, u, c);
            ok &= memcmp(u, c, sizeof u) == 0;
        }
        CHECK(ok);
        bo_strategy_free(st);
    }
    bo_space_free(sp);
}

/* random: trial t's point is the stream ("random", t) of the seed, drawn
 * dimension by dimension with gsl_rng_uniform (strategy.c's contract). */
static void test_random_uses_its_stream(void)
{
    bo_space *sp = make_cube(3);
    bo_strategy *st = make(sp, "random", 77, -1);
    int ok = 1;
    for (uint64_t t = 0; t < 5; t++) {
        double u[3];
        int64_t trial;
        bo_strategy_ask(st, u, &trial, NULL);
        gsl_rng *r = bo_stream_rng(77, "random", t);
        for (int j = 0; j < 3; j++)
            ok &= u[j] == gsl_rng_uniform(r);
        gsl_rng_free(r);
    }
    CHECK(ok);
    bo_strategy_free(st);
    bo_space_free(sp);
}

/* random is uniform-ish: over 2000 draws the mean of each of 4 dims is
 * within 0.03 of 1/2 (sd of the mean is sqrt(1/12/2000) = 0.0065, so 0.03
 * is 4.6 sd), and each quarter of [0,1] gets 500 +- 80 (sd 19.4). */
static void test_random_uniform(void)
{
    bo_space *sp = make_cube(4);
    bo_strategy *st = make(sp, "random", 2024, -1);
    double sum[4] = {0};
    int quarter[4][4] = {{0}};
    for (int i = 0; i < 2000; i++) {
        double u[4];
        int64_t t;
        bo_strategy_ask(st, u, &t, NULL);
        for (int j = 0; j < 4; j++) {
            sum[j] += u[j];
            quarter[j][(int)(u[j] * 4)]++;
        }
    }
    for (int j = 0; j < 4; j++) {
        CHECK_NEAR(sum[j] / 2000, 0.5, 0.03);
        for (int q = 0; q < 4; q++)
            CHECK_NEAR(quarter[j][q], 500, 80);
    }
    bo_strategy_free(st);
    bo_space_free(sp);
}

/* sobol: the i-th strategy proposal is shifted Sobol point i; enqueued
 * (user) trials in between do not consume points. */
static void test_sobol_indexing(void)
{
    bo_space *sp = make_cube(2);
    bo_strategy *st = make(sp, "sobol", 3, -1);
    bo_sobol *ref = NULL;
    CHECK(bo_sobol_create(2, 3, 1, &ref, NULL) == BO_OK);
    double u[2], want[2], user[2] = {0.1, 0.2};
    int64_t t;
    bo_strategy_ask(st, u, &t, NULL);
    bo_sobol_point(ref, 0, want, NULL);
    CHECK(t == 0 && u[0] == want[0] && u[1] == want[1]);
    CHECK(bo_strategy_add(st, user, BO_ORIGIN_USER, &t, NULL) == BO_OK);
    CHECK(t == 1);
    bo_strategy_ask(st, u, &t, NULL);
    bo_sobol_point(ref, 1, want, NULL);
    CHECK(t == 2 && u[0] == want[0] && u[1] == want[1]);
    bo_sobol_free(ref);
    bo_strategy_free(st);
    bo_space_free(sp);
}

/* A proposal does not depend on the budget: random and sobol with budgets
 * 5, 100 and unknown give the same first points. */
static void test_independent_of_budget(void)
{
    const char *names[] = {"random", "sobol"};
    bo_space *sp = make_space();
    for (int k = 0; k < 2; k++) {
        bo_strategy *a = make(sp, names[k], 9, 5), *b = make(sp, names[k], 9, 100),
                    *c = make(sp, names[k], 9, -1);
        int same = 1;
        for (int i = 0; i < 5; i++) {
            double ua[5], ub[5], uc[5];
            int64_t t;
            bo_strategy_ask(a, ua, &t, NULL);
            bo_strategy_ask(b, ub, &t, NULL);
            bo_strategy_ask(c, uc, &t, NULL);
            same &= !memcmp(ua, ub, sizeof ua) && !memcmp(ua, uc, sizeof ua);
        }
        CHECK(same);
        bo_strategy_free(a);
        bo_strategy_free(b);
        bo_strategy_free(c);
    }
    bo_space_free(sp);
}

/* A resumed study replays its history with add/tell and then asks: it
 * must get what the uninterrupted run got (sobol and random). */
static void test_replay_continues(void)
{
    const char *names[] = {"random", "sobol"};
    bo_space *sp = make_space();
    for (int k = 0; k < 2; k++) {
        bo_strategy *run = make(sp, names[k], 4, -1);
        double hist[6][5];
        int64_t t;
        for (int i = 0; i < 6; i++) {
            bo_strategy_ask(run, hist[i], &t, NULL);
            bo_strategy_tell(run, t, BO_TRIAL_COMPLETE, i, NAN, NULL);
        }
        double next[5];
        bo_strategy_ask(run, next, &t, NULL);
        bo_strategy *resumed = make(sp, names[k], 4, -1);
        for (int i = 0; i < 6; i++) {
            bo_strategy_add(resumed, hist[i], BO_ORIGIN_STRATEGY, &t, NULL);
            bo_strategy_tell(resumed, t, BO_TRIAL_COMPLETE, i, NAN, NULL);
        }
        double again[5];
        CHECK(bo_strategy_ask(resumed, again, &t, NULL) == BO_OK);
        CHECK(t == 6);
        CHECK(memcmp(next, again, sizeof next) == 0);
        bo_strategy_free(run);
        bo_strategy_free(resumed);
    }
    bo_space_free(sp);
}

/* add: numbering is sequential across ask and add, the origin is kept,
 * the point is canonicalized; a bad origin is refused. */
static void test_add(void)
{
    bo_space *sp = make_space();
    bo_strategy *st = make(sp, "random", 0, -1);
    double u[5] = {0.5, 0.6, 0.1, 0.9, 0.3};
    int64_t t;
    CHECK(bo_strategy_add(st, u, BO_ORIGIN_USER, &t, NULL) == BO_OK);
    CHECK(t == 0);
    CHECK(bo_strategy_ask(st, u, &t, NULL) == BO_OK && t == 1);
    double v[5] = {2.0, 0.0, 0.5, 0.5, 0.7};
    CHECK(bo_strategy_add(st, v, BO_ORIGIN_USER, &t, NULL) == BO_OK && t == 2);
    CHECK(bo_strategy_ask(st, u, &t, NULL) == BO_OK && t == 3);
    /* The history (strategy_impl.h) keeps each origin and the canonical
     * point: lr's u = 2 clamps to 1, layers' u = 0 is bin 0's centre 1/8,
     * the categorical block becomes one-hot at its argmax (0.7, index 2). */
    CHECK(st->n == 4 && st->n_proposed == 2);
    CHECK(st->origin[0] == BO_ORIGIN_USER && st->origin[1] == BO_ORIGIN_STRATEGY);
    CHECK(st->origin[2] == BO_ORIGIN_USER && st->origin[3] == BO_ORIGIN_STRATEGY);
    const double *h = st->u + 2 * st->dim;
    CHECK(h[0] == 1.0 && h[1] == 0.125);
    CHECK(h[2] == 0 && h[3] == 0 && h[4] == 1);
    CHECK(st->state[2] == BO_TRIAL_PENDING);
    bo_error err = {0};
    CHECK(bo_strategy_add(st, v, 7, &t, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "unknown origin 7");
    for (int64_t i = 0; i < 4; i++)
        CHECK(bo_strategy_tell(st, i, BO_TRIAL_COMPLETE, 1.0 + i, 2.0, NULL) == BO_OK);
    CHECK(st->state[3] == BO_TRIAL_COMPLETE && st->loss[3] == 4.0);
    CHECK(st->cost_s[3] == 2.0);
    bo_strategy_free(st);
    bo_space_free(sp);
}

/* tell errors: unknown trial, told twice, non-final state, complete
 * without a finite loss. Each is refused with a message naming the trial. */
static void test_tell_errors(void)
{
    bo_space *sp = make_space();
    bo_strategy *st = make(sp, "sobol", 0, -1);
    double u[5];
    int64_t t;
    bo_strategy_ask(st, u, &t, NULL);
    bo_error err = {0};
    CHECK(bo_strategy_tell(st, 5, BO_TRIAL_COMPLETE, 1, NAN, &err) == BO_ESTATE);
    CHECK_STR_CONTAINS(err.message, "trial 5 is unknown");
    CHECK(bo_strategy_tell(st, -1, BO_TRIAL_COMPLETE, 1, NAN, &err) == BO_ESTATE);
    CHECK_STR_CONTAINS(err.message, "trial -1 is unknown");
    CHECK(bo_strategy_tell(st, 0, BO_TRIAL_RUNNING, 1, NAN, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "trial 0: 'running' is not a final state");
    CHECK(bo_strategy_tell(st, 0, BO_TRIAL_COMPLETE, NAN, NAN, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "trial 0: complete with a non-finite loss");
    CHECK(bo_strategy_tell(st, 0, BO_TRIAL_FAILED, NAN, 1.5, &err) == BO_OK);
    CHECK(bo_strategy_tell(st, 0, BO_TRIAL_COMPLETE, 1, NAN, &err) == BO_ESTATE);
    CHECK_STR_CONTAINS(err.message, "trial 0 was already told (failed)");
    /* every final state is accepted once */
    for (int s = BO_TRIAL_COMPLETE; s <= BO_TRIAL_ABANDONED; s++) {
        bo_strategy_ask(st, u, &t, NULL);
        CHECK(bo_strategy_tell(st, t, s, 0.5, NAN, NULL) == BO_OK);
    }
    bo_strategy_free(st);
    bo_space_free(sp);
}

/* The history grows by doubling past its first allocation: 1000 trials. */
static void test_many_trials(void)
{
    bo_space *sp = make_space();
    bo_strategy *st = make(sp, "random", 1, -1);
    int ok = 1;
    for (int i = 0; i < 1000; i++) {
        double u[5];
        int64_t t;
        ok &= bo_strategy_ask(st, u, &t, NULL) == BO_OK && t == i;
        if (i % 2)
            ok &= bo_strategy_tell(st, t, BO_TRIAL_COMPLETE, i, NAN, NULL) == 0;
    }
    for (int i = 0; i < 1000; i += 2)
        ok &= bo_strategy_tell(st, i, BO_TRIAL_CRASHED, NAN, NAN, NULL) == 0;
    CHECK(ok);
    bo_strategy_free(st);
    bo_space_free(sp);
}

/* Options that mean nothing are refused, naming the option, instead of
 * quietly becoming the default; the library's own -1 defaults pass. */
static void test_bad_options(void)
{
    bo_space *sp = make_space();
    static const struct {
        const char *name;
        int64_t initial, levels, budget;
        const char *acq, *want;
    } cases[] = {
        {"bo", -5, -1, -1, NULL, "initial: -5"},
        {"grid", -1, 0, -1, NULL, "levels: 0"},
        {"grid", -1, 1, -1, NULL, "levels: 1"},
        {"grid", -1, -7, -1, NULL, "levels: -7"},
        {"grid", -1, -1, 0, NULL, "budget: 0"},
        {"random", -1, -1, -1, "nope", "unknown acquisition 'nope'"},
        {"sobol", -1, -1, -1, "", "unknown acquisition ''"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bo_strategy_options o = bo_strategy_options_default();
        o.name = cases[i].name;
        o.initial = cases[i].initial;
        o.levels = cases[i].levels;
        o.budget = cases[i].budget;
        o.acquisition = cases[i].acq;
        bo_strategy *st = NULL;
        bo_error err = {0};
        CHECK(bo_strategy_create(sp, &o, &st, &err) == BO_EINVAL);
        CHECK(st == NULL);
        CHECK_STR_CONTAINS(err.message, cases[i].want);
    }
    bo_strategy_options o = bo_strategy_options_default();
    o.name = "grid";
    o.levels = 2;
    o.budget = 1;
    o.initial = 0;
    o.acquisition = "ucb";
    bo_strategy *st = NULL;
    CHECK(bo_strategy_create(sp, &o, &st, NULL) == BO_OK);
    bo_strategy_free(st);
    bo_space_free(sp);
}

/* A space of no parameters: ask may be given no buffer for its point. */
static void test_empty_space_null_point(void)
{
    bo_space *sp = NULL;
    CHECK(bo_space_create(NULL, 0, &sp, NULL) == BO_OK);
    const char *names[] = {"random", "sobol", "bo"};
    for (size_t i = 0; i < 3; i++) {
        bo_strategy_options o = bo_strategy_options_default();
        o.name = names[i];
        bo_strategy *st = NULL;
        CHECK(bo_strategy_create(sp, &o, &st, NULL) == BO_OK);
        int64_t t = -1;
        CHECK(st && bo_strategy_ask(st, NULL, &t, NULL) == BO_OK && t == 0);
        bo_strategy_free(st);
    }
    bo_space_free(sp);
}

int main(void)
{
    test_options_default();
    test_state_names();
    test_unknown_strategy();
    test_seeded_sequences();
    test_ask_is_canonical();
    test_random_uses_its_stream();
    test_random_uniform();
    test_sobol_indexing();
    test_independent_of_budget();
    test_replay_continues();
    test_add();
    test_tell_errors();
    test_many_trials();
    test_bad_options();
    test_empty_space_null_point();
    return check_summary();
}
