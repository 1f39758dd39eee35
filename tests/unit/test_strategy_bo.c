/*
 * test_strategy_bo.c — the `bo` strategy through the public ask/tell API:
 * no configuration proposed twice (continuous and small discrete spaces),
 * failures not repeated and their region avoided, pending trials kept
 * apart, a resumed history proposing bit for bit what the uninterrupted
 * run did (also past the fit's subsample size), a workspace that stops allocating, the best posterior mean, the
 * options, and a short regret race against random on Branin.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sobol.h"
#include "strategy_bo.h"

static const char *const CHOICES[] = {"x", "y", "z"};

static bo_space *floats(size_t d)
{
    static const char *const names[] = {"a", "b", "c", "d", "e", "f"};
    bo_param_spec p[6];
    memset(p, 0, sizeof p);
    for (size_t i = 0; i < d; i++) {
        p[i].name = names[i];
        p[i].type = BO_PARAM_FLOAT;
        p[i].low = 0;
        p[i].high = 1;
    }
    bo_space *sp = NULL;
    bo_error err;
    CHECK(bo_space_create(p, d, &sp, &err) == BO_OK);
    return sp;
}

static bo_strategy *make(const bo_space *sp, uint64_t seed, int64_t initial,
                         const char *acq)
{
    bo_strategy_options o = bo_strategy_options_default();
    o.name = "bo";
    o.seed = seed;
    o.initial = initial;
    o.acquisition = acq;
    bo_strategy *st = NULL;
    bo_error err;
    int rc = bo_strategy_create(sp, &o, &st, &err);
    CHECK(rc == BO_OK);
    if (rc)
        fprintf(stderr, "%s\n", err.message);
    return st;
}

/* Branin on the unit square mapped to [-5, 10] x [0, 15]; minimum
 * 5 / (4 pi) = 0.397887 (Surjanovic & Bingham). */
static double branin_u(const double *u)
{
    const double pi = 3.14159265358979323846;
    double x0 = -5 + 15 * u[0], x1 = 15 * u[1];
    double b = 5.1 / (4 * pi * pi), c = 5 / pi, t = 1 / (8 * pi);
    double q = x1 - b * x0 * x0 + c * x0 - 6;
    return q * q + 10 * (1 - t) * cos(x0) + 10;
}

static int distinct(const double *u, size_t n, size_t d)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (memcmp(u + i * d, u + j * d, d * sizeof *u) == 0)
                return 0;
    return 1;
}

/* 40 Branin trials: all 40 points differ, and the first `initial` are the
 * Sobol points of the stream ("initial", 0). */
static void test_continuous_no_repeat_and_initial_design(void)
{
    bo_space *sp = floats(2);
    bo_strategy *st = make(sp, 5, -1, NULL);
    size_t n_init = bo_strategy_bo_default_initial(2);
    CHECK(n_init == bo_strategy_bo_default_initial(2));
    CHECK(n_init >= 3);
    bo_sobol *q;
    bo_error err;
    CHECK(bo_sobol_create(2, bo_stream_seed(5, "initial", 0), 1, &q, &err) ==
          BO_OK);
    double u[40 * 2];
    int init_ok = 1;
    for (int t = 0; t < 40; t++) {
        int64_t trial;
        CHECK(bo_strategy_ask(st, u + 2 * t, &trial, &err) == BO_OK);
        if ((size_t)t < n_init) {
            double s[2];
            bo_sobol_point(q, (uint64_t)t, s, &err);
            init_ok &= s[0] == u[2 * t] && s[1] == u[2 * t + 1];
        }
        bo_strategy_tell(st, trial, BO_TRIAL_COMPLETE, branin_u(u + 2 * t),
                         NAN, &err);
    }
    CHECK(init_ok);
    CHECK(distinct(u, 40, 2));
    bo_sobol_free(q);
    bo_strategy_free(st);
    bo_space_free(sp);
}

/* int 1..5 x categorical of 3: 15 configurations. 15 asks give 15
 * different ones, the 16th is BO_DONE. */
static void test_discrete_no_repeat_until_done(void)
{
    bo_param_spec p[2];
    memset(p, 0, sizeof p);
    p[0].name = "n";
    p[0].type = BO_PARAM_INT;
    p[0].low = 1;
    p[0].high = 5;
    p[1].name = "k";
    p[1].type = BO_PARAM_CATEGORICAL;
    p[1].choices = CHOICES;
    p[1].n_choices = 3;
    bo_space *sp;
    bo_error err;
    CHECK(bo_space_create(p, 2, &sp, &err) == BO_OK);
    bo_strategy *st = make(sp, 1, 3, NULL);
    double u[16 * 4];
    int n = 0;
    for (int t = 0; t < 16; t++) {
        int64_t trial;
        int rc = bo_strategy_ask(st, u + 4 * n, &trial, &err);
        if (t < 15) {
            CHECK(rc == BO_OK);
        } else {
            CHECK(rc == BO_DONE);
        }
        if (rc != BO_OK)
            break;
        double loss = (u[4 * n] - 0.5) * (u[4 * n] - 0.5) + u[4 * n + 2];
        bo_strategy_tell(st, trial, BO_TRIAL_COMPLETE, loss, NAN, &err);
        n++;
    }
    CHECK(n == 15);
    CHECK(distinct(u, (size_t)n, 4));
    bo_strategy_free(st);
    bo_space_free(sp);
}

/* Every trial fails, so bo never leaves its initial design: it still
 * proposes all 10 x 10 x 4 configurations, each once, before BO_DONE
 * (Sobol's draws miss the last few one-hot corners; uniform ones of their
 * own stream find them). */
static void test_all_failing_discrete_run_through(void)
{
    static const char *const ten[] = {"a", "b", "c", "d", "e",
                                      "f", "g", "h", "i", "j"};
    bo_param_spec p[3];
    memset(p, 0, sizeof p);
    p[0].name = "c1";
    p[1].name = "c2";
    p[0].type = p[1].type = BO_PARAM_CATEGORICAL;
    p[0].choices = p[1].choices = ten;
    p[0].n_choices = p[1].n_choices = 10;
    p[2].name = "k";
    p[2].type = BO_PARAM_INT;
    p[2].low = 1;
    p[2].high = 4;
    bo_space *sp;
    bo_error err;
    CHECK(bo_space_create(p, 3, &sp, &err) == BO_OK);
    bo_strategy *st = make(sp, 1, -1, NULL);
    static double u[401 * 21];
    int n = 0, rc = BO_OK;
    int64_t trial;
    while (n <= 400 && (rc = bo_strategy_ask(st, u + 21 * n, &trial, &err)) == BO_OK) {
        bo_strategy_tell(st, trial, BO_TRIAL_FAILED, NAN, NAN, &err);
        n++;
    }
    CHECK(n == 400);
    CHECK(rc == BO_DONE);
    CHECK(distinct(u, (size_t)n, 21));
    bo_strategy_free(st);
    bo_space_free(sp);
}

/* Trials with a < 0.4 fail. A failure is never proposed again (all points
 * distinct) and, treated as the worst loss, teaches the model to stay out:
 * after the initial design at most 15% of proposals land deep inside
 * (a < 0.3), although the unconstrained optimum (0.2, 0.5) is there. */
static void test_failures_avoided(void)
{
    bo_space *sp = floats(2);
    bo_strategy *st = make(sp, 2, 5, NULL);
    bo_error err;
    double u[40 * 2];
    int deep = 0;
    for (int t = 0; t < 40; t++) {
        int64_t trial;
        CHECK(bo_strategy_ask(st, u + 2 * t, &trial, &err) == BO_OK);
        double a = u[2 * t], b = u[2 * t + 1];
        if (a < 0.4) {
            bo_strategy_tell(st, trial, BO_TRIAL_FAILED, NAN, NAN, &err);
            deep += t >= 5 && a < 0.3;
        } else {
            bo_strategy_tell(st, trial, BO_TRIAL_COMPLETE,
                             (a - 0.2) * (a - 0.2) + (b - 0.5) * (b - 0.5),
                             NAN, &err);
        }
    }
    CHECK(distinct(u, 40, 2));
    CHECK(deep <= 5);
    bo_strategy_free(st);
    bo_space_free(sp);
}

/* Three asks with nothing told (three workers): three different points,
 * not bunched together (kriging believer shrinks EI around pending ones). */
static void test_pending_apart(void)
{
    bo_space *sp = floats(2);
    bo_strategy *st = make(sp, 4, 4, NULL);
    bo_error err;
    double u[2];
    for (int t = 0; t < 10; t++) {
        int64_t trial;
        bo_strategy_ask(st, u, &trial, &err);
        bo_strategy_tell(st, trial, BO_TRIAL_COMPLETE, branin_u(u), NAN, &err);
    }
    double p[3 * 2];
    for (int i = 0; i < 3; i++) {
        int64_t trial;
        CHECK(bo_strategy_ask(st, p + 2 * i, &trial, &err) == BO_OK);
    }
    double dmin = INFINITY;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < i; j++)
            dmin = fmin(dmin, hypot(p[2 * i] - p[2 * j],
                                    p[2 * i + 1] - p[2 * j + 1]));
    CHECK(dmin > 1e-3);
    bo_strategy_free(st);
    bo_space_free(sp);
}

/*
 * Resume: run A asks and tells, once with a trial told out of order (t6
 * pending while t7 and t8 are asked); run B is a fresh strategy given A's
 * history through add/tell in trial order, as the study runner replays a
 * database. Its next ask must be A's next proposal, bit for bit, both at
 * the out-of-order point and after 30 trials.
 */
static void test_resume_same_proposal(void)
{
    bo_space *sp = floats(3);
    bo_error err;
    enum { T = 30 };
    double ua[(T + 1) * 3], loss[T + 1];
    int64_t tr;
    bo_strategy *a = make(sp, 9, 3, NULL);
    for (int t = 0; t < 6; t++) {
        bo_strategy_ask(a, ua + 3 * t, &tr, &err);
        loss[t] = branin_u(ua + 3 * t) + ua[3 * t + 2];
        bo_strategy_tell(a, tr, BO_TRIAL_COMPLETE, loss[t], NAN, &err);
    }
    bo_strategy_ask(a, ua + 18, &tr, &err); /* t6, stays pending */
    bo_strategy_ask(a, ua + 21, &tr, &err); /* t7 */
    loss[7] = branin_u(ua + 21) + ua[23];
    bo_strategy_tell(a, 7, BO_TRIAL_COMPLETE, loss[7], NAN, &err);
    bo_strategy_ask(a, ua + 24, &tr, &err); /* t8: t6 pending */
    loss[6] = branin_u(ua + 18) + ua[20];
    bo_strategy_tell(a, 6, BO_TRIAL_COMPLETE, loss[6], NAN, &err);
    loss[8] = branin_u(ua + 24) + ua[26];
    bo_strategy_tell(a, 8, BO_TRIAL_COMPLETE, loss[8], NAN, &err);
    for (int t = 9; t <= T; t++) {
        bo_strategy_ask(a, ua + 3 * t, &tr, &err);
        loss[t] = branin_u(ua + 3 * t) + ua[3 * t + 2];
        if (t < T)
            bo_strategy_tell(a, tr, BO_TRIAL_COMPLETE, loss[t], NAN, &err);
    }
    /* B1: the history as it stood when t8 was asked */
    bo_strategy *b = make(sp, 9, 3, NULL);
    for (int t = 0; t < 8; t++)
        bo_strategy_add(b, ua + 3 * t, BO_ORIGIN_STRATEGY, &tr, &err);
    for (int t = 0; t < 8; t++)
        if (t != 6)
            bo_strategy_tell(b, t, BO_TRIAL_COMPLETE, loss[t], NAN, &err);
    double ub[3];
    CHECK(bo_strategy_ask(b, ub, &tr, &err) == BO_OK);
    CHECK(tr == 8);
    CHECK(memcmp(ub, ua + 24, sizeof ub) == 0);
    bo_strategy_free(b);
    /* B2: the first T trials, then the next ask */
    b = make(sp, 9, 3, NULL);
    for (int t = 0; t < T; t++) {
        bo_strategy_add(b, ua + 3 * t, BO_ORIGIN_STRATEGY, &tr, &err);
        bo_strategy_tell(b, t, BO_TRIAL_COMPLETE, loss[t], NAN, &err);
    }
    CHECK(bo_strategy_ask(b, ub, &tr, &err) == BO_OK);
    CHECK(memcmp(ub, ua + 3 * T, sizeof ub) == 0);
    bo_strategy_free(b);
    bo_strategy_free(a);
    bo_space_free(sp);
}

/*
 * Past FIT_MAX (192) observations the hyperparameters are fitted on a
 * stride subsample: the path must stay as reproducible as the rest. A is
 * given 299 Branin trials (Sobol points, a seed of their own) through
 * add/tell, asks (a refit on the first 288 = fit_point(299) rows), is
 * told, and asks again (a factor extension). B, a fresh strategy given
 * the 300 trials at once, must propose A's second point bit for bit.
 */
static void test_resume_past_fit_subsample(void)
{
    bo_space *sp = floats(2);
    bo_error err;
    enum { N = 299 };
    static double u[(N + 2) * 2], loss[N + 2];
    bo_sobol *sob = NULL;
    CHECK(bo_sobol_create(2, 77, 1, &sob, &err) == BO_OK);
    for (int t = 0; t < N; t++) {
        bo_sobol_point(sob, (uint64_t)t, u + 2 * t, &err);
        loss[t] = branin_u(u + 2 * t);
    }
    bo_sobol_free(sob);
    int64_t tr;
    bo_strategy *a = make(sp, 3, 5, NULL);
    for (int t = 0; t < N; t++) {
        bo_strategy_add(a, u + 2 * t, BO_ORIGIN_STRATEGY, &tr, &err);
        bo_strategy_tell(a, t, BO_TRIAL_COMPLETE, loss[t], NAN, &err);
    }
    CHECK(bo_strategy_ask(a, u + 2 * N, &tr, &err) == BO_OK);
    CHECK(tr == N);
    loss[N] = branin_u(u + 2 * N);
    bo_strategy_tell(a, tr, BO_TRIAL_COMPLETE, loss[N], NAN, &err);
    CHECK(bo_strategy_ask(a, u + 2 * (N + 1), &tr, &err) == BO_OK);
    bo_strategy *b = make(sp, 3, 5, NULL);
    for (int t = 0; t <= N; t++) {
        bo_strategy_add(b, u + 2 * t, BO_ORIGIN_STRATEGY, &tr, &err);
        bo_strategy_tell(b, t, BO_TRIAL_COMPLETE, loss[t], NAN, &err);
    }
    double ub[2];
    CHECK(bo_strategy_ask(b, ub, &tr, &err) == BO_OK);
    CHECK(tr == N + 1);
    CHECK(memcmp(ub, u + 2 * (N + 1), sizeof ub) == 0);
    /* and the proposals are sensible: near a Branin minimum (within 0.05
     * of one of the three in unit coordinates), as 300 trials allow */
    static const double mins[3][2] = {{(-3.14159265 + 5) / 15, 12.275 / 15},
                                      {(3.14159265 + 5) / 15, 2.275 / 15},
                                      {(9.42478 + 5) / 15, 2.475 / 15}};
    double dmin = INFINITY;
    for (int k = 0; k < 3; k++)
        dmin = fmin(dmin, hypot(ub[0] - mins[k][0], ub[1] - mins[k][1]));
    CHECK(dmin < 0.05);
    bo_strategy_free(b);
    bo_strategy_free(a);
    bo_space_free(sp);
}

/* Past the growth of its buffers, an ask allocates nothing: between the
 * 40th and the 60th trial the count stays put (capacities 64). */
static void test_steady_state_allocates_nothing(void)
{
    bo_space *sp = floats(3);
    bo_strategy *st = make(sp, 6, 4, NULL);
    bo_error err;
    double u[3];
    size_t at40 = 0;
    for (int t = 0; t < 60; t++) {
        int64_t tr;
        CHECK(bo_strategy_ask(st, u, &tr, &err) == BO_OK);
        bo_strategy_tell(st, tr, BO_TRIAL_COMPLETE, branin_u(u) + u[2], NAN,
                         &err);
        if (t == 40)
            at40 = bo_strategy_bo_alloc_count(st);
    }
    CHECK(at40 > 0);
    CHECK(bo_strategy_bo_alloc_count(st) == at40);
    bo_strategy_free(st);
    bo_space_free(sp);
}

static double noise(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (((*s >> 8) & 0xffffff) / 16777216.0 - 0.5) * 0.1;
}

/* Noisy 1-D quadratic, minimum at 0.5: the best posterior mean is reported
 * for a complete trial near 0.5; before two trials complete there is none. */
static void test_best_posterior_mean(void)
{
    bo_param_spec p;
    memset(&p, 0, sizeof p);
    p.name = "x";
    p.type = BO_PARAM_FLOAT;
    p.low = 0;
    p.high = 1;
    bo_space *sp;
    bo_error err;
    CHECK(bo_space_create(&p, 1, &sp, &err) == BO_OK);
    bo_strategy *st = make(sp, 3, 4, NULL);
    int64_t best;
    double mean, u;
    CHECK(bo_strategy_bo_best_mean(st, &best, &mean, &err) == BO_DONE);
    CHECK(best == -1);
    unsigned s = 17;
    double us[30];
    for (int t = 0; t < 30; t++) {
        int64_t tr;
        CHECK(bo_strategy_ask(st, &u, &tr, &err) == BO_OK);
        us[t] = u;
        bo_strategy_tell(st, tr, BO_TRIAL_COMPLETE,
                         (u - 0.5) * (u - 0.5) + noise(&s), NAN, &err);
    }
    CHECK(bo_strategy_bo_best_mean(st, &best, &mean, &err) == BO_OK);
    CHECK(best >= 0 && best < 30);
    CHECK(isfinite(mean) && fabs(mean) < 0.1);
    if (best >= 0 && best < 30)
        CHECK(fabs(us[best] - 0.5) < 0.15);
    bo_strategy_free(st);
    bo_space_free(sp);
}

/* An unknown acquisition is refused with its name; the others run. */
static void test_acquisitions(void)
{
    bo_space *sp = floats(2);
    bo_strategy_options o = bo_strategy_options_default();
    o.name = "bo";
    o.acquisition = "magic";
    bo_strategy *st = NULL;
    bo_error err;
    CHECK(bo_strategy_create(sp, &o, &st, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "'magic'");
    const char *acqs[] = {"ei", "pi", "ucb", "eips"};
    for (int k = 0; k < 4; k++) {
        st = make(sp, 1, 3, acqs[k]);
        double u[2 * 8];
        for (int t = 0; t < 8; t++) {
            int64_t tr;
            CHECK(bo_strategy_ask(st, u + 2 * t, &tr, &err) == BO_OK);
            bo_strategy_tell(st, tr, BO_TRIAL_COMPLETE, branin_u(u + 2 * t),
                             0.1 + u[2 * t], &err);
        }
        CHECK(distinct(u, 8, 2));
        bo_strategy_free(st);
    }
    bo_space_free(sp);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Branin, 30 trials, 5 seeds: bo's median regret is at least 20 times
 * smaller than random's (measured: bo ~1e-3, random ~1 at 30 trials). */
static void test_beats_random_on_branin(void)
{
    bo_space *sp = floats(2);
    const char *names[2] = {"bo", "random"};
    double med[2];
    for (int k = 0; k < 2; k++) {
        double r[5];
        for (int seed = 0; seed < 5; seed++) {
            bo_strategy_options o = bo_strategy_options_default();
            o.name = names[k];
            o.seed = (uint64_t)seed;
            bo_strategy *st;
            bo_error err;
            CHECK(bo_strategy_create(sp, &o, &st, &err) == BO_OK);
            double best = INFINITY, u[2];
            for (int t = 0; t < 30; t++) {
                int64_t tr;
                bo_strategy_ask(st, u, &tr, &err);
                double y = branin_u(u);
                best = fmin(best, y);
                bo_strategy_tell(st, tr, BO_TRIAL_COMPLETE, y, NAN, &err);
            }
            r[seed] = best - 5.0 / (4.0 * 3.14159265358979323846);
            bo_strategy_free(st);
        }
        qsort(r, 5, sizeof r[0], cmp);
        med[k] = r[2];
    }
    printf("branin @30, median regret: bo %.3g, random %.3g\n", med[0],
           med[1]);
    CHECK(med[0] * 20 < med[1]);
    bo_space_free(sp);
}

/* A plateau: min(2.3, 50 |u - (0.15, 0.8)|^2), a good region of about
 * 13% of the square. While every loss is 2.3 the model is flat; its EI
 * is then the posterior spread, largest in the corners, where an earlier
 * version spent 20 of 30 trials and missed the region on 3 seeds of 10.
 * Now: a few trials in the corners at most (4 of 30), and the region is
 * found on every seed (a uniform point lands in it with probability about
 * 0.13: some 8 trials on average for random search). */
static double plateau(const double *u)
{
    double a = u[0] - 0.15, b = u[1] - 0.8;
    return fmin(2.3, 50 * (a * a + b * b));
}

static void test_flat_losses_spread(void)
{
    int found = 0, worst_corners = 0;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        bo_space *sp = floats(2);
        bo_strategy *st = make(sp, seed, -1, "ei");
        double u[2], best = INFINITY;
        int corners = 0;
        bo_error err;
        for (int i = 0; i < 30 && st; i++) {
            int64_t t;
            if (bo_strategy_ask(st, u, &t, &err) != BO_OK)
                break;
            double y = plateau(u);
            best = fmin(best, y);
            corners += (u[0] < 0.03 || u[0] > 0.97) &&
                       (u[1] < 0.03 || u[1] > 0.97);
            bo_strategy_tell(st, t, BO_TRIAL_COMPLETE, y, NAN, &err);
        }
        found += best < 2.3;
        if (corners > worst_corners)
            worst_corners = corners;
        bo_strategy_free(st);
        bo_space_free(sp);
    }
    CHECK(found == 10);
    CHECK(worst_corners <= 8);
    if (found != 10 || worst_corners > 8)
        fprintf(stderr, "plateau: found on %d of 10 seeds, up to %d trials "
                "in corners\n", found, worst_corners);
}

int main(void)
{
    test_continuous_no_repeat_and_initial_design();
    test_discrete_no_repeat_until_done();
    test_all_failing_discrete_run_through();
    test_failures_avoided();
    test_pending_apart();
    test_resume_same_proposal();
    test_resume_past_fit_subsample();
    test_steady_state_allocates_nothing();
    test_best_posterior_mean();
    test_acquisitions();
    test_beats_random_on_branin();
    test_flat_losses_spread();
    return check_summary();
}
