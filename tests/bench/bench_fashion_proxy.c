/*
 * bench_fashion_proxy.c — the Fashion-MNIST comparison of issue 9 (bo
 * against an 81-point grid, trials bo needs to match the grid's best) on
 * a stand-in for the trainer, so that a change to a strategy can be
 * judged over a hundred seeds in a minute instead of one hour-long run
 * over five.
 *
 *   OPENBLAS_NUM_THREADS=1 bench_fashion_proxy DIR... [--seeds N]
 *       [--trials T] [--strategy NAME] [--initial N] [--acquisition A]
 *
 * The stand-in: a GP (gp.h) fitted to every complete trial in
 * DIR/trials.csv (a `bo compare` output of the trainer study, such as
 * notebooks-data/fashion/grid and .../search); an evaluation is its
 * posterior mean at the configuration plus Gaussian noise of the fitted
 * noise level, drawn from the run's own stream (seed, trial). Per seed, the
 * grid's best is the lowest of the 81 grid configurations evaluated the
 * same way, and a run matches it at the first trial whose best loss is
 * at or below it (the definition of notebooks-data/fashion/match.csv).
 * Printed: the median trials to match (inf when half the seeds never
 * match), how many seeds match within 20, and the median best at 20 and
 * at T, for the strategy and for random search run on the same seeds.
 * It is a proxy: the real trainer's noise is not Gaussian nor the same
 * everywhere, and a stand-in fitted to a few hundred runs is smoother
 * than the real landscape. A result only counts once the real study
 * (tests/bench/fashion_compare.sh) agrees.
 *
 * What it showed (100 seeds, 40 trials, on the runs committed in
 * notebooks-data/fashion/{grid,search}; trials to match, median, and
 * seeds matching within 20): the default bo 29 and 26 of 100 (the real
 * study: 31, 2 of 5), random never (6 of 100). The grid's best lies about
 * one noise deviation below the stand-in's lowest mean, so matching it
 * takes several runs near the best corner (low lr, widest layers, no
 * decay), and bo's trials 11 to 20 were there in only 12 to 25% of seeds.
 * Tried, not kept: initial designs of 4, 5, 6, 8 (26, 29, 31, 28.5; 36,
 * 30, 26, 27 of 100);
 * the incumbent as the lowest posterior mean (35.5); EI on the noisy
 * outcome (29 to 32); UCB with beta 0.5 to 4 and PI (26 to inf). A linear
 * prior mean (ridge-fitted, chosen over the constant one by the marginal
 * likelihood) with an initial design of d + 1 reached 20 and 50 of 100,
 * but cost the synthetic suite (bench_regret, 10 seeds, at 50 trials:
 * goldstein-price 0.002 -> 0.059, rosenbrock 4.1 -> 6.2, hartmann6
 * 1e-4 -> 1.1e-3), whose optima are inside the box. Offering the linear
 * mean only to a model whose fitted noise is at least 5% of its signal
 * (the trainer's is 10 to 60% once past 15 trials, the noise-free
 * functions' below 5% but for ackley and rastrigin) kept the suite but
 * rastrigin (18 -> 26) and left the proxy at 25 and 35 of 100 (22.5 and
 * 43 with 5 initial points): not enough to pay for a second fit.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "bo/bo.h"
#include "compare_stats.h"
#include "gp.h"

#define D 4
#define MAX_ROWS 8192
#define MAX_SEEDS 1000
#define MAX_TRIALS 200

static bo_space *g_space;
static bo_gp *g_gp;
static double g_noise; /* standard deviation, loss units */
static const char *g_acquisition; /* NULL: the strategy's default */

static int make_space(void)
{
    bo_param_spec p[D];
    memset(p, 0, sizeof p);
    p[0] = (bo_param_spec){.name = "lr", .type = BO_PARAM_FLOAT, .log = 1,
                           .low = 3e-4, .high = 3e-3};
    p[1] = (bo_param_spec){.name = "width", .type = BO_PARAM_INT, .log = 1,
                           .low = 64, .high = 1024};
    p[2] = (bo_param_spec){.name = "dropout", .type = BO_PARAM_FLOAT,
                           .low = 0, .high = 0.4};
    p[3] = (bo_param_spec){.name = "weight_decay", .type = BO_PARAM_FLOAT,
                           .low = 0, .high = 1e-3};
    bo_error err;
    if (bo_space_create(p, D, &g_space, &err))
        return fprintf(stderr, "bench: %s\n", err.message), 1;
    return 0;
}

/* The unit point of a params JSON object, 0 on success. */
static int encode_params(const char *json, double *u)
{
    cJSON *o = cJSON_Parse(json);
    if (!o)
        return 1;
    bo_value v[D];
    const char *names[D] = {"lr", "width", "dropout", "weight_decay"};
    int rc = 0;
    for (int i = 0; i < D && !rc; i++) {
        cJSON *it = cJSON_GetObjectItemCaseSensitive(o, names[i]);
        if (!cJSON_IsNumber(it)) {
            rc = 1;
            break;
        }
        v[i] = (bo_value){.name = names[i]};
        if (i == 1) {
            v[i].type = BO_VALUE_INT;
            v[i].i = (int64_t)it->valuedouble;
        } else {
            v[i].type = BO_VALUE_DOUBLE;
            v[i].d = it->valuedouble;
        }
    }
    bo_error err;
    if (!rc && bo_space_encode(g_space, v, D, u, &err))
        rc = 1;
    cJSON_Delete(o);
    return rc;
}

/* Reads DIR/trials.csv's complete rows into x, y; returns the new count. */
static size_t read_trials(const char *dir, double *x, double *y, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/trials.csv", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "bench: cannot open %s\n", path);
        exit(1);
    }
    char line[8192];
    if (!fgets(line, sizeof line, f)) { /* header */
        fclose(f);
        return n;
    }
    while (n < MAX_ROWS && fgets(line, sizeof line, f)) {
        /* objective,strategy,seed,trial,state,loss,best,regret,cost_s,
         * wall_s,"params" with "" for a quote inside */
        char *field[10];
        char *p = line;
        int k = 0;
        for (; k < 10; k++) {
            field[k] = p;
            p = strchr(p, ',');
            if (!p)
                break;
            *p++ = '\0';
        }
        if (k < 10 || strcmp(field[4], "complete") != 0 || *p != '"')
            continue;
        char json[8192];
        size_t j = 0;
        for (p++; *p && j + 1 < sizeof json; p++) {
            if (*p == '"' && p[1] == '"')
                json[j++] = *p++;
            else if (*p == '"')
                break;
            else
                json[j++] = *p;
        }
        json[j] = '\0';
        if (encode_params(json, x + n * D))
            continue;
        y[n++] = strtod(field[5], NULL);
    }
    fclose(f);
    return n;
}

static double evaluate(const double *u, gsl_rng *r)
{
    double mu, var;
    bo_gp_predict(g_gp, u, &mu, &var, NULL, NULL);
    return mu + gsl_ran_gaussian(r, g_noise);
}

static gsl_rng *stream(uint64_t seed, uint64_t salt)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, (unsigned long)(seed * 2654435761u + salt * 40503u + 1u));
    return r;
}

static double grid_best(uint64_t seed)
{
    static const double lr[] = {3e-4, 1e-3, 3e-3}, w[] = {64, 256, 1024},
                        dr[] = {0, 0.2, 0.4}, wd[] = {0, 1e-4, 1e-3};
    const char *names[D] = {"lr", "width", "dropout", "weight_decay"};
    gsl_rng *r = stream(seed, 7);
    double best = INFINITY;
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            for (int c = 0; c < 3; c++)
                for (int e = 0; e < 3; e++) {
                    bo_value v[D] = {
                        {.name = names[0], .type = BO_VALUE_DOUBLE, .d = lr[a]},
                        {.name = names[1], .type = BO_VALUE_INT,
                         .i = (int64_t)w[b]},
                        {.name = names[2], .type = BO_VALUE_DOUBLE, .d = dr[c]},
                        {.name = names[3], .type = BO_VALUE_DOUBLE, .d = wd[e]}};
                    double u[D];
                    bo_error err;
                    if (bo_space_encode(g_space, v, D, u, &err))
                        exit(1);
                    best = fmin(best, evaluate(u, r));
                }
    gsl_rng_free(r);
    return best;
}

/* Where the stand-in is lowest, by sampling: for the reader, to set the
 * grid's best against. Every other sample lies on the lr-low, width-high,
 * no-decay edge, where the trainer runs were best. */
static void print_lowest_mean(void)
{
    gsl_rng *r = stream(12345, 1);
    double bu[D], bm = INFINITY, u[D];
    for (int i = 0; i < 200000; i++) {
        for (int k = 0; k < D; k++)
            u[k] = gsl_rng_uniform(r);
        if (i % 2)
            u[0] = 0, u[1] = 1, u[3] = 0;
        double mu, var;
        bo_gp_predict(g_gp, u, &mu, &var, NULL, NULL);
        if (mu < bm)
            bm = mu, memcpy(bu, u, sizeof u);
    }
    gsl_rng_free(r);
    bo_value v[D];
    bo_error err;
    if (bo_space_decode(g_space, bu, v, &err) == BO_OK)
        printf("stand-in's lowest mean %.4f, at lr %.3g width %lld dropout "
               "%.3f weight_decay %.3g\n", bm, v[0].d, (long long)v[1].i,
               v[2].d, v[3].d);
}

/* One run; best[t] the best loss after t + 1 trials. */
static int run(const char *strategy, int64_t initial, uint64_t seed,
               int trials, double *best)
{
    bo_strategy_options o = bo_strategy_options_default();
    o.name = strategy;
    o.seed = seed;
    o.initial = initial;
    o.acquisition = g_acquisition;
    bo_strategy *st;
    bo_error err;
    if (bo_strategy_create(g_space, &o, &st, &err))
        return fprintf(stderr, "bench: %s\n", err.message), 1;
    gsl_rng *r = stream(seed, 11);
    double b = INFINITY, u[D];
    for (int t = 0; t < trials; t++) {
        int64_t id;
        if (bo_strategy_ask(st, u, &id, &err))
            return fprintf(stderr, "bench: %s\n", err.message), 1;
        double y = evaluate(u, r);

        if (bo_strategy_tell(st, id, BO_TRIAL_COMPLETE, y, NAN, &err))
            return fprintf(stderr, "bench: %s\n", err.message), 1;
        b = fmin(b, y);
        best[t] = b;
    }
    gsl_rng_free(r);
    bo_strategy_free(st);
    return 0;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, bo_compare_doubles);
    return bo_compare_quantile(v, (size_t)n, 0.5);
}

static int report(const char *strategy, int64_t initial, int seeds,
                  int trials, const double *gbest)
{
    double to_match[MAX_SEEDS], at20[MAX_SEEDS], at_t[MAX_SEEDS];
    double best[MAX_TRIALS];
    int within20 = 0;
    for (int s = 0; s < seeds; s++) {
        if (run(strategy, initial, (uint64_t)s, trials, best))
            return 1;
        to_match[s] = INFINITY;
        for (int t = 0; t < trials; t++)
            if (best[t] <= gbest[s]) {
                to_match[s] = t + 1;
                break;
            }
        within20 += to_match[s] <= 20;
        at20[s] = best[(trials < 20 ? trials : 20) - 1];
        at_t[s] = best[trials - 1];
    }
    printf("  %-7s trials to match the grid's best: median %g, within 20 on "
           "%d of %d seeds; median best at 20 %.4f, at %d %.4f\n",
           strategy, median(to_match, seeds), within20, seeds,
           median(at20, seeds), trials, median(at_t, seeds));
    return 0;
}

int main(int argc, char **argv)
{
    int seeds = 100, trials = 40;
    int64_t initial = -1;
    const char *strategy = "bo";
    const char *dirs[16];
    int n_dirs = 0;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && !strcmp(argv[i], "--seeds"))
            seeds = atoi(argv[++i]);
        else if (i + 1 < argc && !strcmp(argv[i], "--trials"))
            trials = atoi(argv[++i]);
        else if (i + 1 < argc && !strcmp(argv[i], "--strategy"))
            strategy = argv[++i];
        else if (i + 1 < argc && !strcmp(argv[i], "--acquisition"))
            g_acquisition = argv[++i];
        else if (i + 1 < argc && !strcmp(argv[i], "--initial"))
            initial = atoll(argv[++i]);
        else if (n_dirs < 16 && argv[i][0] != '-')
            dirs[n_dirs++] = argv[i];
        else
            n_dirs = -100;
    }
    if (n_dirs < 1 || seeds < 1 || seeds > MAX_SEEDS || trials < 1 ||
        trials > MAX_TRIALS) {
        fprintf(stderr, "usage: bench_fashion_proxy DIR... [--seeds 1..%d] "
                "[--trials 1..%d] [--strategy NAME] [--initial N] [--acquisition ei|pi|ucb]\n",
                MAX_SEEDS, MAX_TRIALS);
        return 2;
    }
    if (make_space())
        return 1;
    double *x = malloc(MAX_ROWS * D * sizeof *x), *y = malloc(MAX_ROWS * sizeof *y);
    size_t n = 0;
    for (int i = 0; i < n_dirs; i++)
        n = read_trials(dirs[i], x, y, n);
    bo_error err;
    bo_gp_fit_options fo = bo_gp_fit_options_default();
    if (n < 20 || bo_gp_create(D, &g_gp, &err) ||
        bo_gp_set_data(g_gp, x, y, n, &err) || bo_gp_fit(g_gp, &fo, &err)) {
        fprintf(stderr, "bench: cannot fit the stand-in on %zu trials\n", n);
        return 1;
    }
    double mean, scale;
    bo_gp_standardization(g_gp, &mean, &scale);
    const double *th = bo_gp_theta(g_gp);
    g_noise = sqrt(exp(th[D + 1]) + BO_GP_NOISE_FLOOR) * scale;
    printf("stand-in: GP on %zu trainer runs; noise sd %.4f; length scales "
           "lr %.2f width %.2f dropout %.2f weight_decay %.2f\n", n, g_noise,
           exp(th[0]), exp(th[1]), exp(th[2]), exp(th[3]));
    print_lowest_mean();
    double gb[MAX_SEEDS];
    for (int s = 0; s < seeds; s++)
        gb[s] = grid_best((uint64_t)s);
    double gbc[MAX_SEEDS];
    memcpy(gbc, gb, (size_t)seeds * sizeof *gb);
    printf("%d seeds, %d trials; the grid's best (81 runs): median %.4f\n",
           seeds, trials, median(gbc, seeds));
    if (report(strategy, initial, seeds, trials, gb) ||
        report("random", -1, seeds, trials, gb))
        return 1;
    bo_gp_free(g_gp);
    bo_space_free(g_space);
    free(x);
    free(y);
    return 0;
}
