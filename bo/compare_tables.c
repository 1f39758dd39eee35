/*
 * compare_tables.c — trials.csv, summary.csv and tests.csv of a
 * comparison, from the loaded runs (see cli_compare.c's help for the
 * columns and how targets are chosen).
 *
 * Everything written here is a function of the stored trials and the plan,
 * so the same command gives the same bytes, the timing columns of
 * trials.csv (cost_s, wall_s) aside. Never prints; never reads a clock.
 */
#include "compare.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_stats.h"
#include "error.h"

/* Regrets below this count as this: log10 of an exact hit is not -inf. */
#define REGRET_FLOOR 1e-12

static void put_num(FILE *f, double x)
{
    if (isnan(x))
        return;
    if (isinf(x))
        fputs(x > 0 ? "inf" : "-inf", f);
    else
        fprintf(f, "%.17g", x);
}

static void put_sep_num(FILE *f, double x)
{
    fputc(',', f);
    put_num(f, x);
}

/* RFC 4180: quoted when it holds a comma, quote, CR or LF. */
static void put_text(FILE *f, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static char *out_path(const bo_compare_plan *p, const char *name)
{
    size_t n = strlen(p->out_dir) + strlen(name) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", p->out_dir, name);
    return s;
}

static int finish_file(char *path, FILE *f, bo_error *err)
{
    int rc = bo_compare_file_commit(path, f, err);
    free(path);
    return rc;
}

static int open_out(const bo_compare_plan *p, const char *name, char **path,
                    FILE **f, bo_error *err)
{
    *path = out_path(p, name);
    if (!*path)
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    int rc = bo_compare_file_open(*path, f, err);
    if (rc) {
        free(*path);
        *path = NULL;
    }
    return rc;
}

/* ------------------------------------------------------------ trials.csv */

int bo_compare_write_trials(const bo_compare_plan *p, bo_error *err)
{
    char *path;
    FILE *f;
    int rc = open_out(p, "trials.csv", &path, &f, err);
    if (rc)
        return rc;
    fputs("objective,strategy,seed,trial,state,loss,best,regret,cost_s,wall_s,"
          "params\n", f);
    for (size_t k = 0; k < p->n_runs; k++) {
        const bo_compare_run *r = &p->runs[k];
        double opt = p->obj[r->obj].optimum;
        for (size_t i = 0; i < r->n; i++) {
            const bo_trial_record *t = &r->recs[i];
            put_text(f, p->obj[r->obj].name);
            fputc(',', f);
            put_text(f, p->strategy[r->strat]);
            fprintf(f, ",%" PRIu64 ",%" PRId64 ",%s", r->seed, t->number,
                    bo_trial_state_name(t->state));
            put_sep_num(f, t->state == BO_TRIAL_COMPLETE ? t->loss : NAN);
            put_sep_num(f, r->best[i]);
            put_sep_num(f, r->best[i] - opt);
            put_sep_num(f, t->cost_s);
            put_sep_num(f, t->wall_s);
            fputc(',', f);
            put_text(f, t->params_json);
            fputc('\n', f);
        }
    }
    return finish_file(path, f, err);
}

/* ----------------------------------------------------------- summary.csv */

/* Writes ",q1,median,q3" of v (n values, sorted here). */
static void put_quartiles(FILE *f, double *v, size_t n)
{
    qsort(v, n, sizeof *v, bo_compare_doubles);
    put_sep_num(f, bo_compare_quantile(v, n, 0.25));
    put_sep_num(f, bo_compare_quantile(v, n, 0.5));
    put_sep_num(f, bo_compare_quantile(v, n, 0.75));
}

static const bo_compare_run *run_of(const bo_compare_plan *p, size_t o,
                                    size_t s, size_t i)
{
    return &p->runs[(o * p->n_strat + s) * p->n_seeds + i];
}

/* The trials a run took to reach `target` (1-based), +inf if it never did. */
static double trials_to(const bo_compare_run *r, double target)
{
    for (size_t i = 0; i < r->n; i++)
        if (!isnan(r->best[i]) && r->best[i] <= target)
            return (double)(i + 1);
    return INFINITY;
}

/* The worst regret any run of objective o reached: what a run "knows"
 * before it completed a trial. A best so far only falls, so each run's
 * worst is its first. NaN when no run completed a trial. */
static double worst_regret(const bo_compare_plan *p, size_t o)
{
    double worst = -INFINITY;
    for (size_t k = 0; k < p->n_runs; k++) {
        const bo_compare_run *r = &p->runs[k];
        for (size_t i = 0; r->obj == o && i < r->n; i++)
            if (!isnan(r->best[i])) {
                worst = fmax(worst, r->best[i]);
                break;
            }
    }
    return isfinite(worst) ? worst - p->obj[o].optimum : NAN;
}

/* Mean of log10(regret) over the study's T trials: the area under the
 * log-regret curve divided by T, the same length for every run. A trial
 * before the run's first complete one counts at `worst` (the worst regret
 * of any run: failures cost), and a run that ended early (a grid out of
 * points) keeps its final best to T. */
static double log_regret_auc(const bo_compare_run *r, int64_t trials,
                             double optimum, double worst)
{
    double sum = 0.0;
    for (int64_t t = 0; t < trials; t++) {
        double best = bo_compare_best_at(r, t + 1);
        double regret = isfinite(best) ? best - optimum : worst;
        sum += log10(fmax(regret, REGRET_FLOOR));
    }
    return trials > 0 ? sum / (double)trials : NAN;
}

/* Median final best of strategy s on objective o; NaN when s is absent,
 * or when most of its runs completed no trial (no target to reach). */
static double median_final(const bo_compare_plan *p, size_t o, size_t s,
                           double *scratch)
{
    if (s == (size_t)-1)
        return NAN;
    for (size_t i = 0; i < p->n_seeds; i++)
        scratch[i] = bo_compare_final_best(run_of(p, o, s, i));
    qsort(scratch, p->n_seeds, sizeof *scratch, bo_compare_doubles);
    double m = bo_compare_quantile(scratch, p->n_seeds, 0.5);
    return isfinite(m) ? m : NAN;
}

static void put_targets(FILE *f, const bo_compare_plan *p, size_t o, size_t s,
                        double target, double *v)
{
    put_sep_num(f, target);
    if (isnan(target)) {
        fputs(",,,,", f);
        return;
    }
    size_t reached = 0;
    for (size_t i = 0; i < p->n_seeds; i++) {
        v[i] = trials_to(run_of(p, o, s, i), target);
        reached += isfinite(v[i]);
    }
    fprintf(f, ",%zu", reached);
    put_quartiles(f, v, p->n_seeds);
}

int bo_compare_write_summary(const bo_compare_plan *p, bo_error *err)
{
    double *v = malloc((p->n_seeds ? p->n_seeds : 1) * sizeof *v);
    if (!v)
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    char *path;
    FILE *f;
    int rc = open_out(p, "summary.csv", &path, &f, err);
    if (rc) {
        free(v);
        return rc;
    }
    fputs("objective,strategy,runs,trials,optimum", f);
    for (size_t c = 0; c < p->n_checkpoints; c++)
        fprintf(f, ",best_q1_%" PRId64 ",best_median_%" PRId64 ",best_q3_%" PRId64,
                p->checkpoint[c], p->checkpoint[c], p->checkpoint[c]);
    fputs(",target_ref,reached_ref,trials_to_ref_q1,trials_to_ref_median,"
          "trials_to_ref_q3,target_opt,reached_opt,trials_to_opt_q1,"
          "trials_to_opt_median,trials_to_opt_q3,log_regret_auc_q1,"
          "log_regret_auc_median,log_regret_auc_q3\n", f);
    size_t ref = bo_compare_strategy_index(p, p->target_strategy);
    for (size_t o = 0; o < p->n_obj; o++) {
        double opt = p->obj[o].optimum;
        double target_ref = median_final(p, o, ref, v);
        double target_opt = isnan(opt) ? NAN
                                       : opt + p->tolerance * fmax(1.0, fabs(opt));
        double worst = worst_regret(p, o); /* NaN without an optimum */
        for (size_t s = 0; s < p->n_strat; s++) {
            put_text(f, p->obj[o].name);
            fputc(',', f);
            put_text(f, p->strategy[s]);
            fprintf(f, ",%zu,%" PRId64, p->n_seeds, p->trials);
            put_sep_num(f, opt);
            for (size_t c = 0; c < p->n_checkpoints; c++) {
                for (size_t i = 0; i < p->n_seeds; i++)
                    v[i] = bo_compare_best_at(run_of(p, o, s, i), p->checkpoint[c]);
                put_quartiles(f, v, p->n_seeds);
            }
            put_targets(f, p, o, s, target_ref, v);
            put_targets(f, p, o, s, target_opt, v);
            if (isnan(worst)) {
                fputs(",,,", f); /* no optimum, or no trial completed */
            } else {
                for (size_t i = 0; i < p->n_seeds; i++)
                    v[i] = log_regret_auc(run_of(p, o, s, i), p->trials, opt,
                                          worst);
                put_quartiles(f, v, p->n_seeds);
            }
            fputc('\n', f);
        }
    }
    free(v);
    return finish_file(path, f, err);
}

/* ------------------------------------------------------------- tests.csv */

typedef struct test_row {
    size_t obj, strat, cp;
    double med, med_base;
    bo_mwu r;
} test_row;

/* One row per strategy (other than the baseline), checkpoint and
 * objective; one Holm family per strategy and checkpoint: its tests on
 * every objective. */
int bo_compare_write_tests(const bo_compare_plan *p, bo_error *err)
{
    size_t base = bo_compare_strategy_index(p, p->baseline);
    size_t n_rows = base == (size_t)-1 ? 0
                                       : p->n_obj * (p->n_strat - 1) * p->n_checkpoints;
    size_t ns = p->n_seeds ? p->n_seeds : 1;
    test_row *rows = calloc(n_rows ? n_rows : 1, sizeof *rows);
    double *x = malloc(ns * sizeof *x), *y = malloc(ns * sizeof *y);
    double *pv = malloc((p->n_obj ? p->n_obj : 1) * sizeof *pv);
    double *adj = malloc((n_rows ? n_rows : 1) * sizeof *adj);
    int rc = rows && x && y && pv && adj ? BO_OK
                                        : bo_error_set(err, BO_ENOMEM, "out of memory");
    size_t k = 0;
    for (size_t s = 0; !rc && base != (size_t)-1 && s < p->n_strat; s++) {
        if (s == base)
            continue;
        for (size_t c = 0; !rc && c < p->n_checkpoints; c++) {
            int64_t at = p->checkpoint[c];
            size_t first = k;
            for (size_t o = 0; !rc && o < p->n_obj; o++, k++) {
                for (size_t i = 0; i < p->n_seeds; i++) {
                    x[i] = bo_compare_best_at(run_of(p, o, s, i), at);
                    y[i] = bo_compare_best_at(run_of(p, o, base, i), at);
                }
                rows[k].obj = o;
                rows[k].strat = s;
                rows[k].cp = c;
                rc = bo_compare_mann_whitney(x, p->n_seeds, y, p->n_seeds,
                                             &rows[k].r, err);
                qsort(x, p->n_seeds, sizeof *x, bo_compare_doubles);
                qsort(y, p->n_seeds, sizeof *y, bo_compare_doubles);
                rows[k].med = bo_compare_quantile(x, p->n_seeds, 0.5);
                rows[k].med_base = bo_compare_quantile(y, p->n_seeds, 0.5);
                pv[o] = rows[k].r.p_less;
            }
            if (!rc)
                rc = bo_compare_holm(pv, p->n_obj, adj + first, err);
        }
    }
    char *path = NULL;
    FILE *f = NULL;
    if (!rc)
        rc = open_out(p, "tests.csv", &path, &f, err);
    if (!rc) {
        fputs("objective,strategy,baseline,trials,runs,runs_baseline,median_best,"
              "median_best_baseline,u,p_value,method,p_holm,significant\n", f);
        for (size_t i = 0; i < n_rows; i++) {
            const test_row *t = &rows[i];
            put_text(f, p->obj[t->obj].name);
            fputc(',', f);
            put_text(f, p->strategy[t->strat]);
            fputc(',', f);
            put_text(f, p->baseline);
            fprintf(f, ",%" PRId64 ",%zu,%zu", p->checkpoint[t->cp], p->n_seeds,
                    p->n_seeds);
            put_sep_num(f, t->med);
            put_sep_num(f, t->med_base);
            put_sep_num(f, t->r.u);
            put_sep_num(f, t->r.p_less);
            fprintf(f, ",%s", t->r.method == BO_MWU_EXACT ? "exact" : "normal");
            put_sep_num(f, adj[i]);
            fprintf(f, ",%d\n", adj[i] < 0.05);
        }
        rc = finish_file(path, f, err);
    }
    free(rows);
    free(x);
    free(y);
    free(pv);
    free(adj);
    return rc;
}
