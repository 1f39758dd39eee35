/*
 * bench_parallel_regret.c — what evaluating K trials at once costs the
 * `bo` strategy in regret: hartmann6, 48 trials, K = 4 workers against
 * sequential (K = 1), by trial count and at equal wall time.
 *
 *   OPENBLAS_NUM_THREADS=1 bench_parallel_regret [--seeds N] [--trials T]
 *       [--workers K] [--function NAME] [--per-seed 1] [--curve 1]
 *
 * The study loop is simulated in-process through the library's ask/tell
 * (exactly what study.c does with K workers: K trials pending, a new one
 * asked as soon as one finishes), on a simulated clock: each evaluation
 * takes a random 0.5 to 1.5 time units (its own stream per seed and
 * trial), so trials finish out of order as real ones do, and the wall
 * time is the simulated one (proposal time excluded: it is milliseconds
 * here, printed apart). Equal wall time: sequential's best at the time
 * the K-worker run finished its T trials.
 * Bars (issue 10): K workers' median regret at T trials within 2x of
 * sequential's.
 * Also printed: the trial count at which sequential's median regret first
 * falls to K workers' (the lag, in trials, that K workers cost), and
 * sequential's own median a few trials before T: with K workers the
 * proposal of trial t cannot know the K-1 results before it, so a lag of
 * at least a trial or two is built in; where one or two trials of lag
 * already cost more than 2x (the steep part of a convergence curve), the
 * bar measures the curve's slope more than the strategy.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_rng.h>

#include "bench_synth.h"
#include "compare_stats.h"
#include "bo/bo.h"
#include "functions.h"

#define MAX_SEEDS 200
#define MAX_K 64
#define MAX_D 16

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, bo_compare_doubles);
    return bo_compare_quantile(v, (size_t)n, 0.5);
}

typedef struct run_out {
    double regret;       /* best - optimum after all trials */
    double wall;         /* simulated time when the last trial finished */
    double *best_at;     /* per finished trial: (time, best regret) */
    double *time_at;
    int n_done;
    double ask_s;
} run_out;

/* Regret at simulated time t (the best among trials finished by then). */
static double regret_at_time(const run_out *r, double t)
{
    double best = INFINITY;
    for (int i = 0; i < r->n_done && r->time_at[i] <= t; i++)
        best = r->best_at[i];
    return best;
}

static int run(const bo_synth_function *fn, size_t d, uint64_t seed, int k,
               int trials, run_out *out)
{
    bo_error err;
    bo_space *sp = NULL;
    bo_strategy *st = NULL;
    if (bench_synth_space(fn, d, MAX_D, &sp))
        return 1;
    bo_strategy_options o = bo_strategy_options_default();
    o.name = "bo";
    o.seed = seed;
    if (bo_strategy_create(sp, &o, &st, &err))
        return fprintf(stderr, "bench: %s\n", err.message), 1;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, (unsigned long)(seed * 1000003u + 17u));
    int64_t fl_trial[MAX_K];
    double fl_end[MAX_K], fl_y[MAX_K], u[MAX_D], x[MAX_D];
    bo_value v[MAX_D];
    int n_fl = 0, asked = 0;
    double clock = 0, best = INFINITY, opt = fn->optimum(d);
    out->n_done = 0;
    out->ask_s = 0;
    while (out->n_done < trials) {
        while (n_fl < k && asked < trials) {
            double t0 = now_s();
            if (bo_strategy_ask(st, u, &fl_trial[n_fl], &err) ||
                bo_space_decode(sp, u, v, &err)) {
                fprintf(stderr, "bench: seed %llu: %s\n",
                        (unsigned long long)seed, err.message);
                return 1;
            }
            out->ask_s += now_s() - t0;
            for (size_t i = 0; i < d; i++)
                x[i] = v[i].d;
            fl_y[n_fl] = fn->f(x, d);
            fl_end[n_fl] = clock + 0.5 + gsl_rng_uniform(rng);
            n_fl++;
            asked++;
        }
        int first = 0;
        for (int i = 1; i < n_fl; i++)
            if (fl_end[i] < fl_end[first])
                first = i;
        clock = fl_end[first];
        bo_strategy_tell(st, fl_trial[first], BO_TRIAL_COMPLETE, fl_y[first],
                         NAN, &err);
        if (fl_y[first] < best)
            best = fl_y[first];
        out->time_at[out->n_done] = clock;
        out->best_at[out->n_done] = best - opt;
        out->n_done++;
        fl_trial[first] = fl_trial[n_fl - 1];
        fl_end[first] = fl_end[n_fl - 1];
        fl_y[first] = fl_y[n_fl - 1];
        n_fl--;
    }
    out->regret = best - opt;
    out->wall = clock;
    gsl_rng_free(rng);
    bo_strategy_free(st);
    bo_space_free(sp);
    return 0;
}

int main(int argc, char **argv)
{
    int seeds = 20, trials = 48, k = 4, per_seed = 0, curve = 0;
    const char *fname = "hartmann6";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--seeds"))
            seeds = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--trials"))
            trials = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--workers"))
            k = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--function"))
            fname = argv[i + 1];
        else if (!strcmp(argv[i], "--per-seed"))
            per_seed = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--curve"))
            curve = atoi(argv[i + 1]);
    }
    const bo_synth_function *fn = bo_synth_find(fname);
    if (!fn || seeds < 1 || seeds > MAX_SEEDS || k < 1 || k > MAX_K ||
        trials < 2) {
        fprintf(stderr, "usage: bench_parallel_regret [--seeds 1..%d] "
                "[--trials T] [--workers 1..%d] [--function NAME]\n",
                MAX_SEEDS, MAX_K);
        return 2;
    }
    size_t d = fn->default_dim;
    double r1[MAX_SEEDS], rk[MAX_SEEDS], r1_eq[MAX_SEEDS], w1[MAX_SEEDS],
        wk[MAX_SEEDS];
    double ask1 = 0, askk = 0;
    /* sequential's regret after n + 1 trials, per seed: seq_at[n][s] */
    double *seq_at = malloc((size_t)trials * MAX_SEEDS * sizeof(double));
    double *k_at = malloc((size_t)trials * MAX_SEEDS * sizeof(double));
    run_out a, b;
    a.best_at = malloc((size_t)trials * sizeof(double));
    a.time_at = malloc((size_t)trials * sizeof(double));
    b.best_at = malloc((size_t)trials * sizeof(double));
    b.time_at = malloc((size_t)trials * sizeof(double));
    for (int s = 0; s < seeds; s++) {
        if (run(fn, d, (uint64_t)s, 1, trials, &a) ||
            run(fn, d, (uint64_t)s, k, trials, &b))
            return 1;
        r1[s] = a.regret;
        rk[s] = b.regret;
        w1[s] = a.wall;
        wk[s] = b.wall;
        r1_eq[s] = regret_at_time(&a, b.wall);
        for (int n = 0; n < trials; n++)
            seq_at[(size_t)n * MAX_SEEDS + (size_t)s] = a.best_at[n],
            k_at[(size_t)n * MAX_SEEDS + (size_t)s] = b.best_at[n];
        if (per_seed)
            printf("seed %d: regret K=1 %.4g, K=%d %.4g, K=1 at K=%d's wall "
                   "%.4g\n", s, r1[s], k, rk[s], k, r1_eq[s]);
        ask1 += a.ask_s;
        askk += b.ask_s;
    }
    double m1 = median(r1, seeds), mk = median(rk, seeds);
    double m1eq = median(r1_eq, seeds);
    double mw1 = median(w1, seeds), mwk = median(wk, seeds);
    printf("%s, %d trials, %d seeds, evaluation times uniform in [0.5, 1.5]\n",
           fname, trials, seeds);
    printf("  median regret, sequential (K=1): %.4g   (simulated wall %.1f)\n",
           m1, mw1);
    printf("  median regret, K=%d workers:     %.4g   (simulated wall %.1f, "
           "%.2fx of sequential's)\n", k, mk, mwk, mwk / mw1);
    printf("  by trial count:  K=%d / sequential = %.2f  (bar: <= 2, %s)\n",
           k, mk / m1, mk <= 2 * m1 ? "met" : "NOT met");
    int lag_n = trials;
    double seq_med[trials];
    for (int n = trials - 1; n >= 0; n--) {
        seq_med[n] = median(seq_at + (size_t)n * MAX_SEEDS, seeds);
        if (seq_med[n] <= mk)
            lag_n = n + 1;
    }
    if (curve)
        for (int n = 0; n < trials; n++)
            printf("  after %2d trials: median regret sequential %.4g, "
                   "K=%d %.4g\n", n + 1,
                   median(seq_at + (size_t)n * MAX_SEEDS, seeds), k,
                   median(k_at + (size_t)n * MAX_SEEDS, seeds));
    printf("  lag: sequential's median first reaches K=%d's at trial %d "
           "(%d trials of lag)\n", k, lag_n, trials - lag_n);
    printf("  sequential's median");
    for (int l = 1; l <= 3 && trials - 1 - l >= 0; l++)
        printf("%s %d trials before: %.4g (%.2fx)", l > 1 ? ";" : "", l,
               seq_med[trials - 1 - l], seq_med[trials - 1 - l] / m1);
    printf("\n");
    printf("  equal wall time: sequential at K=%d's finishing time has regret "
           "%.4g; K=%d / sequential = %.2f\n", k, m1eq, k, mk / m1eq);
    printf("  proposal time per study: sequential %.2f s, K=%d %.2f s (mean)\n",
           ask1 / seeds, k, askk / seeds);
    free(seq_at);
    free(k_at);
    free(a.best_at);
    free(a.time_at);
    free(b.best_at);
    free(b.time_at);
    return 0;
}
