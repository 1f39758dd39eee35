/*
 * bench_overhead.c — the `bo` strategy's own time per trial (fit +
 * acquisition), and where it goes, in 6-D (Hartmann-6).
 *
 *   OPENBLAS_NUM_THREADS=1 bench_overhead [--sizes 50,200,1000] [--trials 200]
 *
 * Part 1: a full study of --trials trials on hartmann6 (seed 0); the
 * average ask time against the bar (50 ms per trial over the first 200),
 * split into fits, factor updates and acquisition search, with the cost of
 * one Sobol ask measured in the same run as the baseline.
 * Part 2: at each size n, a strategy given n observations (Sobol points)
 * through add/tell; the first ask refits from scratch, the next ones only
 * extend the factor (refits come every 2^(floor(log2 n) - 4) trials past
 * 64): both are timed, with the amortized cost per ask. Then the search's
 * two halves on the same model: scoring the candidates, and refining.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "acq_search.h"
#include "acquisition.h"
#include "bo/bo.h"
#include "functions.h"
#include "gp.h"
#include "sobol.h"
#include "strategy_bo.h"

#define D 6

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static bo_space *space6(void)
{
    static const char *const names[D] = {"x0", "x1", "x2", "x3", "x4", "x5"};
    bo_param_spec p[D];
    memset(p, 0, sizeof p);
    for (int i = 0; i < D; i++) {
        p[i].name = names[i];
        p[i].type = BO_PARAM_FLOAT;
        p[i].low = 0;
        p[i].high = 1;
    }
    bo_space *sp = NULL;
    bo_error err;
    if (bo_space_create(p, D, &sp, &err)) {
        fprintf(stderr, "bench_overhead: %s\n", err.message);
        exit(1);
    }
    return sp;
}

static bo_strategy *make(const bo_space *sp, const char *name)
{
    bo_strategy_options o = bo_strategy_options_default();
    o.name = name;
    o.seed = 0;
    bo_strategy *st = NULL;
    bo_error err;
    if (bo_strategy_create(sp, &o, &st, &err)) {
        fprintf(stderr, "bench_overhead: %s\n", err.message);
        exit(1);
    }
    return st;
}

static void study(const bo_synth_function *fn, int trials)
{
    bo_space *sp = space6();
    const char *names[2] = {"sobol", "bo"};
    double per[2];
    for (int k = 0; k < 2; k++) {
        bo_strategy *st = make(sp, names[k]);
        double ask_s = 0, u[D];
        bo_error err;
        for (int t = 0; t < trials; t++) {
            int64_t tr;
            double t0 = now_s();
            if (bo_strategy_ask(st, u, &tr, &err)) {
                fprintf(stderr, "bench_overhead: %s\n", err.message);
                exit(1);
            }
            ask_s += now_s() - t0;
            bo_strategy_tell(st, tr, BO_TRIAL_COMPLETE, fn->f(u, D), NAN, &err);
        }
        per[k] = ask_s / trials;
        if (k == 1) {
            const bo_strategy_bo_profile *p = bo_strategy_bo_get_profile(st);
            printf("hartmann6, %d trials: bo %.2f ms per ask on average "
                   "(bar: <= 50 ms: %s); sobol %.4f ms (ratio %.0f)\n",
                   trials, 1e3 * per[1], per[1] <= 0.05 ? "met" : "NOT met",
                   1e3 * per[0], per[1] / per[0]);
            printf("  split: fits %.1f%% (%zu fits, %.1f ms each), factor "
                   "updates %.1f%%, search %.1f%% (%.1f ms per ask)\n",
                   100 * p->fit_s / ask_s, p->n_fits,
                   1e3 * p->fit_s / (p->n_fits ? p->n_fits : 1),
                   100 * p->model_s / ask_s, 100 * p->search_s / ask_s,
                   1e3 * p->search_s / trials);
        }
        bo_strategy_free(st);
    }
    bo_space_free(sp);
}

static size_t refit_step(size_t n)
{
    if (n <= 64)
        return 1;
    size_t p = 0;
    while ((n >> (p + 1)) != 0)
        p++;
    return (size_t)1 << (p - 4);
}

static double value_cb(void *ctx, const double *u, double *g)
{
    return bo_acq_value(ctx, u, g);
}

static int values_cb(void *ctx, const double *u, size_t m, double *out,
                     double *work, bo_error *err)
{
    return bo_acq_values(ctx, u, m, out, work, err);
}

static void at_size(const bo_synth_function *fn, size_t n)
{
    bo_space *sp = space6();
    bo_strategy *st = make(sp, "bo");
    bo_error err;
    bo_sobol *q;
    bo_sobol_create(D, 123, 1, &q, &err);
    double *x = malloc(n * D * sizeof(double)), *y = malloc(n * sizeof(double));
    for (size_t i = 0; i < n; i++) {
        int64_t tr;
        bo_sobol_point(q, i, x + i * D, &err);
        y[i] = fn->f(x + i * D, D);
        bo_strategy_add(st, x + i * D, BO_ORIGIN_STRATEGY, &tr, &err);
        bo_strategy_tell(st, tr, BO_TRIAL_COMPLETE, y[i], NAN, &err);
    }
    /* The first ask refits from scratch (nothing is cached yet); the
     * next ones extend the factor when n is past 64 (and refit below). */
    double u[D], t_fit_ask = 0, t_plain = 0, fit_first = 0;
    int plain = 0;
    for (int k = 0; k < 4; k++) {
        int64_t tr;
        double t0 = now_s();
        bo_strategy_ask(st, u, &tr, &err);
        double dt = now_s() - t0;
        if (k == 0) {
            t_fit_ask = dt;
            fit_first = bo_strategy_bo_get_profile(st)->fit_s;
        }
        else {
            t_plain += dt;
            plain++;
        }
        bo_strategy_tell(st, tr, BO_TRIAL_COMPLETE, fn->f(u, D), NAN, &err);
    }
    t_plain /= plain;
    size_t step = refit_step(n);
    double amort = t_plain + (t_fit_ask - t_plain) / (double)step;
    printf("n = %4zu: ask with refit %.1f ms (fit %.1f ms), without %.1f ms; "
           "refit every %zu -> %.1f ms per ask amortized%s\n",
           n, 1e3 * t_fit_ask, 1e3 * fit_first, 1e3 * t_plain, step,
           1e3 * amort, n >= 1000 ? (amort <= 1.0 ? " (bar <= 1 s: met)"
                                                   : " (bar <= 1 s: NOT met)")
                                  : "");

    /* The search's halves on a model fitted to the same data. */
    bo_gp *gp;
    bo_gp_create(D, &gp, &err);
    bo_gp_set_data(gp, x, y, n, &err);
    bo_gp_fit(gp, NULL, &err);
    double best = INFINITY;
    for (size_t i = 0; i < n; i++)
        best = fmin(best, y[i]);
    bo_acq a = {.kind = BO_ACQ_EI, .gp = gp, .best = best, .beta = 2.0};
    bo_acq_fn f = {.value = value_cb, .values = values_cb, .ctx = &a};
    bo_acq_search_options o = bo_acq_search_options_default();
    bo_acq_search *full, *noref;
    bo_acq_search_create(sp, &o, &full, &err);
    o.max_iter = 0;
    bo_acq_search_create(sp, &o, &noref, &err);
    double t0 = now_s();
    bo_acq_search_run(noref, &f, x, 5, x, n, 1, u, NULL, &err);
    double t_cand = now_s() - t0;
    t0 = now_s();
    bo_acq_search_run(full, &f, x, 5, x, n, 1, u, NULL, &err);
    double t_full = now_s() - t0;
    const bo_acq_search_stats *s = bo_acq_search_last_stats(full);
    printf("          search: candidates %.1f ms (%zu scored), refinement "
           "%.1f ms (%zu gradient evaluations)\n",
           1e3 * t_cand, s->n_scored, 1e3 * (t_full - t_cand),
           s->n_refine_evals);
    bo_acq_search_free(full);
    bo_acq_search_free(noref);
    bo_gp_free(gp);
    bo_sobol_free(q);
    free(x);
    free(y);
    bo_strategy_free(st);
    bo_space_free(sp);
}

int main(int argc, char **argv)
{
    const char *sizes = "50,200,1000";
    int trials = 200;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--sizes"))
            sizes = argv[i + 1];
        else if (!strcmp(argv[i], "--trials"))
            trials = atoi(argv[i + 1]);
        else {
            fprintf(stderr, "bench_overhead: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    const bo_synth_function *fn = bo_synth_find("hartmann6");
    if (!fn) {
        fprintf(stderr, "bench_overhead: no hartmann6\n");
        return 1;
    }
    printf("OPENBLAS_NUM_THREADS=%s\n", getenv("OPENBLAS_NUM_THREADS")
                                            ? getenv("OPENBLAS_NUM_THREADS")
                                            : "(unset)");
    if (trials > 0)
        study(fn, trials);
    for (const char *p = sizes; p && *p;) {
        size_t n = (size_t)strtoul(p, NULL, 10);
        if (n >= 2)
            at_size(fn, n);
        p = strchr(p, ',');
        if (p)
            p++;
    }
    return 0;
}
