/*
 * bench_regret.c — simple regret of the `bo` strategy against `random`
 * and `sobol`, measured in the same run, on synthetic functions with known
 * optima: median and quartiles over seeds at 25, 50 and 100 trials, and
 * the ratio of bo's median to each baseline's.
 *
 *   OPENBLAS_NUM_THREADS=1 bench_regret [--seeds N] [--trials T]
 *       [--functions branin,hartmann6,...] [--strategies bo,random,sobol]
 *       [--per-seed 1] [--first-seed S]
 *
 * Defaults: 20 seeds (0..19, or from --first-seed), 100 trials, branin,
 * hartmann6, ackley (5-D), rosenbrock (4-D), goldstein-price; bo, random,
 * sobol. Also available through --functions: six-hump-camel, hartmann3,
 * rastrigin (4-D). Each function is minimized over its standard domain
 * (linear float parameters). The bars are printed beside the
 * figures they apply to.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_synth.h"
#include "compare_stats.h"
#include "bo/bo.h"
#include "functions.h"

#define MAX_SEEDS 200
#define MAX_D 32
static const int CHECKPOINTS[] = {25, 50, 100};
#define N_CP 3

typedef struct bench_fn {
    const char *name;
    size_t dim;
} bench_fn;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Runs one study; writes the best regret after each checkpoint. */
static int run_one(const bo_synth_function *fn, size_t d, const char *strategy,
                   uint64_t seed, int trials, double *regret_at, double *secs)
{
    bo_error err;
    bo_space *sp = NULL;
    bo_strategy *st = NULL;
    if (bench_synth_space(fn, d, MAX_D, &sp))
        return 1;
    bo_strategy_options o = bo_strategy_options_default();
    o.name = strategy;
    o.seed = seed;
    if (bo_strategy_create(sp, &o, &st, &err)) {
        fprintf(stderr, "bench_regret: %s\n", err.message);
        bo_space_free(sp);
        return 1;
    }
    double opt = fn->optimum(d), best = INFINITY, u[MAX_D], x[MAX_D];
    bo_value v[MAX_D];
    int cp = 0;
    double t0 = now_s();
    for (int t = 1; t <= trials; t++) {
        int64_t trial;
        if (bo_strategy_ask(st, u, &trial, &err) ||
            bo_space_decode(sp, u, v, &err)) {
            fprintf(stderr, "bench_regret: %s seed %llu trial %d: %s\n",
                    strategy, (unsigned long long)seed, t, err.message);
            break;
        }
        for (size_t i = 0; i < d; i++)
            x[i] = v[i].d;
        double y = fn->f(x, d);
        if (y < best)
            best = y;
        bo_strategy_tell(st, trial, BO_TRIAL_COMPLETE, y, NAN, &err);
        while (cp < N_CP && CHECKPOINTS[cp] == t)
            regret_at[cp++] = best - opt;
    }
    *secs = now_s() - t0;
    while (cp < N_CP)
        regret_at[cp++] = NAN;
    bo_strategy_free(st);
    bo_space_free(sp);
    return 0;
}

static int has(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0)
            return 1;
        p = c ? c + 1 : NULL;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int seeds = 20, trials = 100, per_seed = 0, first = 0;
    const char *functions = "branin,hartmann6,ackley,rosenbrock,goldstein-price";
    const char *strategies = "bo,random,sobol";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--seeds"))
            seeds = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--trials"))
            trials = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--functions"))
            functions = argv[i + 1];
        else if (!strcmp(argv[i], "--strategies"))
            strategies = argv[i + 1];
        else if (!strcmp(argv[i], "--first-seed"))
            first = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--per-seed"))
            per_seed = atoi(argv[i + 1]);
        else {
            fprintf(stderr, "bench_regret: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (seeds < 1 || seeds > MAX_SEEDS || trials < 1) {
        fprintf(stderr, "bench_regret: bad --seeds or --trials\n");
        return 2;
    }
    static const bench_fn fns[] = {{"branin", 2}, {"hartmann6", 6},
                                   {"ackley", 5}, {"rosenbrock", 4},
                                   {"goldstein-price", 2},
                                   {"six-hump-camel", 2}, {"hartmann3", 3},
                                   {"rastrigin", 4}};
    static const char *const strats[] = {"bo", "random", "sobol"};
    printf("simple regret over %d seeds (median [q1, q3]); trials %d; "
           "OPENBLAS_NUM_THREADS=%s\n", seeds, trials,
           getenv("OPENBLAS_NUM_THREADS") ? getenv("OPENBLAS_NUM_THREADS")
                                          : "(unset)");
    for (size_t f = 0; f < sizeof fns / sizeof fns[0]; f++) {
        if (!has(functions, fns[f].name))
            continue;
        const bo_synth_function *fn = bo_synth_find(fns[f].name);
        if (!fn) {
            fprintf(stderr, "bench_regret: no function %s\n", fns[f].name);
            return 1;
        }
        size_t d = fn->dim ? fn->dim : fns[f].dim;
        double med[3][N_CP];
        for (int s = 0; s < 3; s++)
            for (int c = 0; c < N_CP; c++)
                med[s][c] = NAN;
        printf("\n%s (%zu-D)\n", fns[f].name, d);
        for (int s = 0; s < 3; s++) {
            if (!has(strategies, strats[s]))
                continue;
            double r[N_CP][MAX_SEEDS], total_s = 0;
            for (int k = 0; k < seeds; k++) {
                double at[N_CP], secs;
                if (run_one(fn, d, strats[s], (uint64_t)(first + k), trials,
                            at, &secs))
                    return 1;
                total_s += secs;
                if (per_seed)
                    printf("    %s seed %d: %.3g %.3g %.3g\n", strats[s],
                           first + k,
                           at[0], at[1], at[2]);
                for (int c = 0; c < N_CP; c++)
                    r[c][k] = at[c];
            }
            printf("  %-7s", strats[s]);
            for (int c = 0; c < N_CP; c++) {
                if (CHECKPOINTS[c] > trials)
                    continue;
                qsort(r[c], (size_t)seeds, sizeof(double), bo_compare_doubles);
                med[s][c] = bo_compare_quantile(r[c], (size_t)seeds, 0.5);
                printf("  @%-3d %.3g [%.3g, %.3g]", CHECKPOINTS[c], med[s][c],
                       bo_compare_quantile(r[c], (size_t)seeds, 0.25),
                       bo_compare_quantile(r[c], (size_t)seeds, 0.75));
            }
            printf("  (%.1f ms/trial)\n",
                   1e3 * total_s / ((double)seeds * trials));
            fflush(stdout);
        }
        for (int b = 1; b < 3; b++) {
            if (!has(strategies, "bo") || !has(strategies, strats[b]))
                continue;
            printf("  bo/%-6s median ratio", strats[b]);
            for (int c = 0; c < N_CP; c++)
                if (CHECKPOINTS[c] <= trials)
                    printf("  @%-3d %.3g", CHECKPOINTS[c],
                           med[0][c] / med[b][c]);
            printf("\n");
        }
        if (!strcmp(fns[f].name, "branin") && trials >= 50)
            printf("  bar: bo median @50 <= 0.00025: %s\n",
                   med[0][1] <= 0.00025 ? "met" : "NOT met");
        if (!strcmp(fns[f].name, "hartmann6") && trials >= 50)
            printf("  bar: bo median @50 <= 0.04: %s\n",
                   med[0][1] <= 0.04 ? "met" : "NOT met");
        fflush(stdout);
    }
    return 0;
}
