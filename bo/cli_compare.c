/*
 * cli_compare.c — `bo compare`: every objective x strategy x seed as its
 * own study, K at a time, then the tables of the comparison.
 *
 * Each run is a child `bo run` (or `bo resume` for one that was
 * interrupted) on OUT/runs/OBJ-STRATEGY-sSEED.db, evaluating its trials one
 * at a time; a finished run is never touched again. The tables are written
 * only once every run has finished, from the stored trials alone, so the
 * same command gives the same numbers however the runs were scheduled or
 * interrupted. Prints progress on stdout and at most one error line.
 */
#include "cli.h"
#include "aprintf.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "compare.h"
#include "objective_files.h"
#include "error.h"
#include "runner.h"
#include "study.h"

static const char compare_help[] =
    "usage: bo compare SPEC.json... --out DIR [--strategies bo,random,sobol,grid]\n"
    "                  [--seeds N] [--seed-base B] [--trials T] [--jobs K]\n"
    "                  [--baseline random] [--target-strategy NAME]\n"
    "                  [--tolerance 0.01] [--checkpoints 10,25,50,100]\n"
    "\n"
    "Runs every objective (spec) x strategy x seed B..B+N-1 (default 0..4) as\n"
    "a study of T trials (default 50) evaluated one at a time, K studies at\n"
    "once (default 1), each in DIR/runs/NAME-STRATEGY-sSEED.db with its output\n"
    "in the .log beside it. Run it again after an interruption: finished runs\n"
    "are kept, unfinished ones resumed (a run whose strategy ran out of\n"
    "points, a grid's, is finished short of T; a grid's DIR is refused with\n"
    "another T, the grid depending on it). NAME is the spec's name. Children\n"
    "get OPENBLAS_NUM_THREADS=1 and OMP_NUM_THREADS=1 unless these are set.\n"
    "\n"
    "Then writes into DIR:\n"
    "  trials.csv   objective,strategy,seed,trial,state,loss,best,regret,\n"
    "               cost_s,wall_s,params: every trial; best is the lowest loss\n"
    "               so far, regret best minus the objective's 'optimum' metric\n"
    "               (empty when it reports none), params the trial's JSON.\n"
    "  summary.csv  per objective x strategy: quartiles over seeds (type 7,\n"
    "               as R and NumPy) of the best at each checkpoint and T;\n"
    "               trials to reach target_ref (the median final best of the\n"
    "               target strategy, default the baseline) and target_opt (the\n"
    "               optimum + tolerance x max(1, |optimum|)), with how many\n"
    "               runs reached it (inf: not reached); quartiles of the mean\n"
    "               log10 regret over the T trials (floored at 1e-12; before\n"
    "               a run's first complete trial, the worst regret of any run;\n"
    "               past a run that ended early, its final best).\n"
    "  tests.csv    per strategy, checkpoint and objective: one-sided\n"
    "               Mann-Whitney U test that its best at the checkpoint is lower\n"
    "               than the baseline's (exact up to 100 runs in all, ties\n"
    "               by mid-ranks: the permutation distribution given the\n"
    "               ties), p Holm-corrected across objectives (per strategy\n"
    "               and checkpoint); significant: Holm p < 0.05.\n"
    "  manifest.json  the command, bo's version and commit, seeds, specs,\n"
    "               the objectives' files (CRC-32), library versions,\n"
    "               OpenBLAS core, CPU.\n"
    "Exit status: 0 done, 1 a run failed (run again to resume), 2 usage or\n"
    "spec error.\n";

static const char *const known_strategies[] = {"bo", "random", "sobol", "grid"};

static int known_strategy(const char *s)
{
    for (size_t i = 0; i < sizeof known_strategies / sizeof *known_strategies; i++)
        if (strcmp(s, known_strategies[i]) == 0)
            return 1;
    return 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* "a,b,c" into p->strategy; 0 or the exit status. */
static int parse_strategies(bo_compare_plan *p, const char *list)
{
    /* strtok would pass over an empty entry ("bo,,random") */
    size_t len = strlen(list);
    if (len && (list[0] == ',' || list[len - 1] == ',' || strstr(list, ",,")))
        return bo_cli_usage("compare", "--strategies: an empty entry in '%s'",
                            list);
    char *copy = strdup(list);
    if (!copy)
        return bo_cli_usage("compare", "out of memory");
    int st = 0;
    size_t cap = 1;
    for (const char *c = list; *c; c++)
        cap += *c == ',';
    p->strategy = calloc(cap, sizeof *p->strategy);
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); !st && tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (!known_strategy(tok)) {
            st = bo_cli_usage("compare", "--strategies: unknown strategy '%s' "
                                         "(known: bo, random, sobol, grid)", tok);
            break;
        }
        if (bo_compare_strategy_index(p, tok) != (size_t)-1)
            st = bo_cli_usage("compare", "--strategies: '%s' given twice", tok);
        if (!st && !(p->strategy[p->n_strat++] = strdup(tok)))
            st = bo_cli_usage("compare", "out of memory");
    }
    free(copy);
    if (!st && p->n_strat == 0)
        st = bo_cli_usage("compare", "--strategies wants a list such as bo,random");
    return st;
}

static int among_strategies(const bo_compare_plan *p, const char *name)
{
    return bo_compare_strategy_index(p, name) != (size_t)-1;
}

/* A baseline or target strategy the user named must be run; the default
 * baseline missing is a note, since curves alone may be all one wants. */
static int check_references(const bo_compare_plan *p, int baseline_given,
                            int target_given)
{
    if (baseline_given && !among_strategies(p, p->baseline))
        return bo_cli_usage("compare", "--baseline %s is not among "
                            "--strategies", p->baseline);
    if (target_given && !among_strategies(p, p->target_strategy))
        return bo_cli_usage("compare", "--target-strategy %s is not among "
                            "--strategies", p->target_strategy);
    if (!among_strategies(p, p->baseline))
        printf("compare: note: without the baseline strategy (%s) there are "
               "no rank tests (tests.csv) and no target_ref; add it to "
               "--strategies or give --baseline\n", p->baseline);
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Checkpoints within 1..T, T always last, sorted, each once. */
static int parse_checkpoints(bo_compare_plan *p, const char *list)
{
    int64_t v[BO_COMPARE_MAX_CHECKPOINTS + 1];
    size_t n = 0;
    char *copy = strdup(list), *save = NULL;
    if (!copy)
        return bo_cli_usage("compare", "out of memory");
    int st = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        int64_t c;
        if (bo_cli_int(tok, 1, 10000000, &c) || n == BO_COMPARE_MAX_CHECKPOINTS - 1) {
            st = bo_cli_usage("compare", "--checkpoints wants up to %d whole "
                                         "numbers >= 1, such as 10,25,50",
                              BO_COMPARE_MAX_CHECKPOINTS - 1);
            break;
        }
        if (c < p->trials)
            v[n++] = c;
    }
    free(copy);
    if (st)
        return st;
    v[n++] = p->trials;
    qsort(v, n, sizeof *v, cmp_i64);
    p->n_checkpoints = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || v[i] != v[i - 1])
            p->checkpoint[p->n_checkpoints++] = v[i];
    return 0;
}

/* The spec's name must make a file name on its own. */
static int safe_name(const char *s)
{
    if (!*s || *s == '.')
        return 0;
    for (; *s; s++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                    "0123456789_.-", *s))
            return 0;
    return 1;
}

static int load_specs(bo_compare_plan *p, char **paths, size_t n)
{
    p->obj = calloc(n, sizeof *p->obj);
    if (!p->obj)
        return bo_cli_usage("compare", "out of memory");
    for (size_t i = 0; i < n; i++) {
        bo_spec *spec = NULL;
        bo_error err = {0};
        int rc = bo_spec_load(paths[i], &spec, &err);
        if (rc)
            return bo_cli_fail(&err, rc);
        /* A spec mistake fails every run of it the same way: said before
         * any starts, as bo run would (a missing plugin or program, a
         * config its objective refuses, no space, an enqueued point out
         * of it). */
        rc = bo_study_check(spec, &err);
        if (rc) {
            bo_spec_free(spec);
            return bo_cli_fail(&err, rc);
        }
        bo_compare_objective *o = &p->obj[p->n_obj++];
        o->name = strdup(spec->name);
        o->spec_path = strdup(paths[i]);
        o->spec_json = strdup(spec->json);
        o->files_json = bo_objective_files_json(spec);
        o->optimum = NAN;
        bo_spec_free(spec);
        if (!o->name || !o->spec_path || !o->spec_json || !o->files_json)
            return bo_cli_usage("compare", "out of memory");
        if (!safe_name(o->name)) {
            fprintf(stderr, "bo: %s: name: '%s' must be letters, digits, '_', "
                            "'-' or '.', not '.' first, to name the runs' "
                            "files\n",
                    paths[i], o->name);
            return 2;
        }
        for (size_t j = 0; j + 1 < p->n_obj; j++)
            if (strcmp(p->obj[j].name, o->name) == 0) {
                fprintf(stderr, "bo: %s: name: '%s' is also the name of %s; "
                                "each objective needs its own\n",
                        paths[i], o->name, p->obj[j].spec_path);
                return 2;
            }
    }
    return 0;
}

typedef struct opts {
    const char *strategies, *checkpoints, *out;
    int64_t seeds, seed_base, trials, jobs;
    const char *baseline, *target;
    double tolerance;
    char **specs;
    size_t n_specs;
} opts;

/* Whether `name` was seen before; records it. */
static int seen_once(const char **seen, size_t *n, const char *name)
{
    for (size_t k = 0; k < *n; k++)
        if (strcmp(seen[k], name) == 0)
            return 1;
    seen[(*n)++] = name;
    return 0;
}

/* 0, -1 for --help, or the exit status. */
static int parse_args(int argc, char **argv, opts *o)
{
    const char *seen[16];
    size_t n_seen = 0;
    o->specs = calloc((size_t)argc + 1, sizeof *o->specs);
    if (!o->specs)
        return bo_cli_usage("compare", "out of memory");
    int i = 0;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *v = NULL;
        int m;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(compare_help, stdout);
            return -1;
        }
/* An option given twice is refused: which one was meant is a guess. */
#define ONCE(name)                                                            \
        if (seen_once(seen, &n_seen, name))                                   \
            return bo_cli_usage("compare", "--" name " given twice");
#define INT_OPT(name, field, lo, hi, what)                                    \
        if ((m = bo_cli_option(argc, argv, &i, name, &v)) != 0) {             \
            if (m < 0 || bo_cli_int(v, lo, hi, &o->field))                    \
                return bo_cli_usage("compare", "--" name " wants " what);     \
            ONCE(name)                                                         \
            continue;                                                          \
        }
#define STR_OPT(name, field)                                                  \
        if ((m = bo_cli_option(argc, argv, &i, name, &v)) != 0) {             \
            if (m < 0 || !*v)                                                  \
                return bo_cli_usage("compare", "--" name " wants a value");   \
            ONCE(name)                                                         \
            o->field = v;                                                      \
            continue;                                                          \
        }
        INT_OPT("seeds", seeds, 1, 100000, "a whole number from 1 to 100000")
        /* a run's seed (base + index) must stay within 2^53 (cli_run.c) */
        INT_OPT("seed-base", seed_base, 0, 9007199254740992LL - 100000,
                "a whole number from 0 to 2^53 - 100000")
        INT_OPT("trials", trials, 1, 10000000, "a whole number from 1 to 10000000")
        INT_OPT("jobs", jobs, 1, 1024, "a whole number from 1 to 1024")
        STR_OPT("strategies", strategies)
        STR_OPT("checkpoints", checkpoints)
        STR_OPT("out", out)
        STR_OPT("baseline", baseline)
        STR_OPT("target-strategy", target)
#undef INT_OPT
#undef STR_OPT
        if ((m = bo_cli_option(argc, argv, &i, "tolerance", &v)) != 0) {
            char *end = NULL;
            double t = m < 0 ? NAN : strtod(v, &end);
            if (m < 0 || end == v || *end || !(t >= 0 && isfinite(t)))
                return bo_cli_usage("compare", "--tolerance wants a number >= 0");
            ONCE("tolerance")
            o->tolerance = t;
            continue;
        }
#undef ONCE
        if (argv[i][0] == '-' && argv[i][1])
            return bo_cli_usage("compare", "unknown option '%s'", argv[i]);
        o->specs[o->n_specs++] = argv[i];
    }
    for (i++; i < argc; i++) /* after "--" */
        o->specs[o->n_specs++] = argv[i];
    if (!o->n_specs)
        return bo_cli_usage("compare", "missing SPEC.json");
    if (!o->out)
        return bo_cli_usage("compare", "missing --out DIR");
    return 0;
}

/* The last non-empty line of a run's log, for the error line. */
static void log_tail(const char *path, char *buf, size_t len)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0]) {
            size_t n = strlen(line) < len ? strlen(line) : len - 1;
            memcpy(buf, line, n);
            buf[n] = '\0';
        }
    }
    fclose(f);
}

static const char *run_label(const bo_compare_plan *p, const bo_compare_run *r,
                             char *buf, size_t len)
{
    snprintf(buf, len, "%s-%s-s%" PRIu64, p->obj[r->obj].name,
             p->strategy[r->strat], r->seed);
    return buf;
}

typedef struct slot {
    pid_t pid;
    size_t run;
    double t0;
} slot;

/* Runs the runs that are not finished, K at a time. Returns the number
 * that failed (their first failure described in *first). */
static int execute(bo_compare_plan *p, const int *state, const char *exe,
                   size_t n_todo, char *first, size_t first_len,
                   char *spec_error, size_t spec_error_len, bo_error *err)
{
    slot *slots = calloc((size_t)p->jobs, sizeof *slots);
    /* Objectives whose spec a run refused (it exited 2, a usage or spec
     * error): every other run of theirs would be refused the same way. */
    char *bad = calloc(p->n_obj ? p->n_obj : 1, 1);
    spec_error[0] = '\0';
    if (!slots || !bad) {
        free(slots);
        free(bad);
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    }
    size_t next = 0, running = 0, done = 0;
    int failed = 0, rc = BO_OK;
    char label[512];
    first[0] = '\0';
    while (!rc && (next < p->n_runs || running > 0)) {
        while (!rc && running < (size_t)p->jobs && next < p->n_runs) {
            size_t k = next++;
            if (state[k] == BO_COMPARE_FINISHED || bad[p->runs[k].obj])
                continue;
            size_t s = 0;
            while (slots[s].pid)
                s++;
            rc = bo_compare_run_start(p, &p->runs[k], state[k], exe, &slots[s].pid,
                                      err);
            if (rc == BO_EINVAL) {
                /* its spec changed since the comparison began: no more of
                 * its runs, as for a spec its runs refuse; the others go on */
                bad[p->runs[k].obj] = 1;
                if (!spec_error[0])
                    snprintf(spec_error, spec_error_len, "%s", err->message);
                rc = BO_OK;
                continue;
            }
            slots[s].run = k;
            slots[s].t0 = now_s();
            running += !rc;
        }
        if (rc || running == 0)
            break;
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            rc = bo_error_set(err, BO_ERUNTIME, "waiting for runs: %s",
                              strerror(errno));
            break;
        }
        size_t s = 0;
        while (s < (size_t)p->jobs && slots[s].pid != pid)
            s++;
        if (s == (size_t)p->jobs)
            continue;
        const bo_compare_run *r = &p->runs[slots[s].run];
        double took = now_s() - slots[s].t0;
        slots[s].pid = 0;
        running--;
        done++;
        run_label(p, r, label, sizeof label);
        int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        /* A run that ran all its trials but completed none (every trial
         * failed), or stopped after max_failures failures in a row, exits
         * 1, yet is finished: a second call would count it so, and must
         * agree with the first. */
        int st_after = BO_COMPARE_PARTIAL;
        bo_error ignored;
        if (!ok && WIFEXITED(status) && WEXITSTATUS(status) == 1 &&
            bo_compare_run_state(p, r, &st_after, &ignored) == BO_OK &&
            st_after == BO_COMPARE_FINISHED) {
            char tail[512];
            log_tail(r->log, tail, sizeof tail);
            printf("[%zu/%zu] %s: done in %.1fs, but: %s\n",
                   done, n_todo, label, took, tail);
        } else if (ok) {
            printf("[%zu/%zu] %s: done in %.1fs\n", done, n_todo, label, took);
        } else {
            char tail[512];
            log_tail(r->log, tail, sizeof tail);
            char why[64];
            if (WIFEXITED(status))
                snprintf(why, sizeof why, "exit %d", WEXITSTATUS(status));
            else
                snprintf(why, sizeof why, "signal %d", WTERMSIG(status));
            /* a run that exited with an error it could not write: the
             * likeliest reason is the disk it writes to */
            if (!tail[0])
                snprintf(tail, sizeof tail, "%s", WIFEXITED(status)
                         ? "no output (its log is empty: a full disk?)"
                         : "no output");
            printf("[%zu/%zu] %s: FAILED (%s): %s\n", done, n_todo, label, why, tail);
            if (!failed++)
                snprintf(first, first_len, "%s (%s): %s", r->log, why, tail);
            if (WIFEXITED(status) && WEXITSTATUS(status) == 2 && !bad[r->obj]) {
                bad[r->obj] = 1;
                if (!spec_error[0])
                    snprintf(spec_error, spec_error_len, "%s", tail);
            }
        }
        fflush(stdout);
    }
    /* Only reached with runs in flight on an internal failure: they die
     * with us anyway, but wait so no zombie outlives the message. */
    for (size_t s = 0; s < (size_t)p->jobs; s++)
        if (slots[s].pid) {
            kill(slots[s].pid, SIGTERM);
            waitpid(slots[s].pid, NULL, 0);
        }
    free(slots);
    free(bad);
    return rc ? rc : failed;
}

static void print_tests(const bo_compare_plan *p)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tests.csv", p->out_dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[2048];
    int header = 1, n_tests = 0;
    while (fgets(line, sizeof line, f)) {
        if (header) {
            header = 0;
            continue;
        }
        /* objective,strategy,baseline,trials,runs,runs_baseline,median_best,
         * median_best_baseline,u,p_value,method,p_holm,significant */
        char *field[13] = {0};
        size_t n = 0;
        char *save = NULL;
        for (char *t = strtok_r(line, ",\n", &save); t && n < 13;
             t = strtok_r(NULL, ",\n", &save))
            field[n++] = t;
        if (n < 13 || atoll(field[3]) != p->trials)
            continue;
        printf("  %s: %s vs %s at %s trials: median best %.6g vs %.6g, "
               "p = %.3g, Holm p = %.3g\n",
               field[0], field[1], field[2], field[3], atof(field[6]),
               atof(field[7]), atof(field[9]), atof(field[11]));
        n_tests++;
    }
    fclose(f);
    if (!n_tests) /* no strategy against a baseline: nothing to power */
        return;
    /* The smallest one-sided exact p with n runs a side is 1 / C(2n, n);
     * Holm multiplies it by the number of objectives. */
    double c = 1.0;
    for (size_t k = 1; k <= p->n_seeds; k++)
        c = c * (double)(p->n_seeds + k) / (double)k;
    double least = (double)p->n_obj / c;
    if (least >= 0.05)
        printf("  note: with %zu seed(s) and %zu objective(s) no test can "
               "reach Holm p < 0.05 (the least possible is %.3g): use more "
               "seeds\n", p->n_seeds, p->n_obj, least);
}

/* An objective none of whose runs completed a trial has only inf in the
 * tables: say so rather than let a p = 1 speak for it. Likewise one whose
 * losses go below the optimum it reports. */
static void print_empty_objectives(const bo_compare_plan *p)
{
    for (size_t o = 0; o < p->n_obj; o++) {
        /* the lowest loss of any run: inf when none completed a trial */
        double low = INFINITY;
        for (size_t k = 0; k < p->n_runs; k++)
            if (p->runs[k].obj == o)
                low = fmin(low, bo_compare_final_best(&p->runs[k]));
        char *logs = isfinite(low) ? NULL : bo_compare_runs_glob(p, o, ".log");
        if (!isfinite(low))
            printf("  note: %s: no run completed a trial (its logs: %s)\n",
                   p->obj[o].name, logs ? logs : "?");
        free(logs);
        /* an optimum the objective reported wrong makes regret negative,
         * which reads as better than perfect */
        double opt = p->obj[o].optimum;
        if (isfinite(opt) && low < opt - 1e-9 * fmax(1.0, fabs(opt)))
            printf("  note: %s: a loss of %.10g is below the optimum it "
                   "reports (%.10g): its regret figures are negative\n",
                   p->obj[o].name, low, opt);
    }
}

/* The folder's earlier comparison had objectives or strategies this one
 * leaves out: its tables are rewritten without them (their runs stay in
 * runs/), which is worth a line rather than silence. */
static void note_left_out(const bo_compare_plan *p)
{
    char *path = bo_aprintf("%s/manifest.json", p->out_dir);
    FILE *f = path ? fopen(path, "r") : NULL;
    free(path);
    if (!f)
        return;
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    char *buf = size >= 0 && size < (64L << 20) ? malloc((size_t)size + 1)
                                                : NULL;
    size_t n = buf && fseek(f, 0, SEEK_SET) == 0
                   ? fread(buf, 1, (size_t)size, f) : 0;
    fclose(f);
    if (!buf)
        return;
    buf[n] = '\0';
    cJSON *m = cJSON_Parse(buf);
    free(buf);
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(m, "objectives"))
    {
        const char *name = cJSON_GetStringValue(
            cJSON_GetObjectItemCaseSensitive(item, "name"));
        size_t o = 0;
        while (name && o < p->n_obj && strcmp(p->obj[o].name, name) != 0)
            o++;
        if (name && o == p->n_obj)
            printf("note: %s's earlier comparison also had objective %s, "
                   "which this one leaves out of its tables (its runs stay "
                   "in %s/runs/)\n", p->out_dir, name, p->out_dir);
    }
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(m, "strategies"))
    {
        const char *name = cJSON_GetStringValue(item);
        if (name && bo_compare_strategy_index(p, name) == (size_t)-1)
            printf("note: %s's earlier comparison also had strategy %s, "
                   "which this one leaves out of its tables (its runs stay "
                   "in %s/runs/)\n", p->out_dir, name, p->out_dir);
    }
    cJSON_Delete(m);
}

/* Runs kept from before an edit of their objective's code: said, not
 * refused (the spec is the same; the user decides). */
static void note_edited_objectives(const bo_compare_plan *p, const int *state)
{
    for (size_t o = 0; o < p->n_obj; o++) {
        size_t n_changed = 0, n_old = 0;
        char name[512] = "";
        for (size_t k = 0; k < p->n_runs; k++)
            if (p->runs[k].obj == o && state[k] != BO_COMPARE_NEW) {
                n_old++;
                n_changed += bo_compare_run_files_changed(p, &p->runs[k],
                                                          name, sizeof name);
            }
        char *glob = n_changed ? bo_compare_runs_glob(p, o, "") : NULL;
        if (n_changed)
            printf("note: %s: its objective's file %s changed since %zu of "
                   "its %zu earlier runs began; their trials are kept (remove "
                   "%s to run them again)\n", p->obj[o].name, name,
                   n_changed, n_old, glob ? glob : "?");
        free(glob);
    }
}

int bo_cli_compare(int argc, char **argv)
{
    opts o = {.strategies = "bo,random,sobol,grid", .checkpoints = "10,25,50,100",
              .seeds = 5, .seed_base = 0, .trials = 50, .jobs = 1,
              .tolerance = 0.01};
    bo_compare_plan p = {0};
    /* Its runs are separate bo processes it starts itself; under mpirun
     * each rank would run the whole comparison into the same folder. */
    if (bo_cli_mpi_rank() >= 0)
        return bo_cli_usage("compare", "runs its studies itself (--jobs K "
                            "at a time): start it without mpirun");
    int st = parse_args(argc, argv, &o);
    if (st) {
        free(o.specs);
        return st < 0 ? 0 : st;
    }
    p.trials = o.trials;
    p.jobs = (int)o.jobs;
    p.seed_base = (uint64_t)o.seed_base;
    p.n_seeds = (size_t)o.seeds;
    p.out_dir = o.out;
    p.baseline = o.baseline ? o.baseline : "random";
    p.target_strategy = o.target ? o.target : p.baseline;
    p.tolerance = o.tolerance;
    st = parse_strategies(&p, o.strategies);
    if (!st)
        st = check_references(&p, o.baseline != NULL, o.target != NULL);
    if (!st)
        st = parse_checkpoints(&p, o.checkpoints);
    if (!st)
        st = load_specs(&p, o.specs, o.n_specs);
    free(o.specs);
    if (st) {
        bo_compare_plan_free(&p);
        return st;
    }

    bo_error err = {0};
    char exe[PATH_MAX];
    int *state = NULL;
    int rc = bo_path_self_exe(exe, sizeof exe, &err);
    if (!rc)
        rc = bo_compare_plan_runs(&p, &err);
    /* One comparison per folder at a time: two would start the same runs
     * and each find the other's in use. Held until exit. */
    int lock_fd = -1;
    if (!rc) {
        char *lock = bo_aprintf("%s/runs/.lock", p.out_dir);
        lock_fd = lock ? open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666) : -1;
        free(lock);
        if (lock_fd < 0)
            rc = bo_error_set(&err, BO_EIO, "%s: cannot lock the folder: %s",
                              p.out_dir, strerror(errno));
        else if (flock(lock_fd, LOCK_EX | LOCK_NB) != 0)
            rc = bo_error_set(&err, BO_EIO, "%s: another bo compare is "
                              "running in this folder", p.out_dir);
    }
    if (!rc && !(state = calloc(p.n_runs ? p.n_runs : 1, sizeof *state)))
        rc = bo_error_set(&err, BO_ENOMEM, "out of memory");
    size_t n_todo = 0;
    for (size_t k = 0; !rc && k < p.n_runs; k++) {
        rc = bo_compare_run_state(&p, &p.runs[k], &state[k], &err);
        n_todo += !rc && state[k] != BO_COMPARE_FINISHED;
    }
    if (rc) {
        free(state);
        bo_compare_plan_free(&p);
        return bo_cli_fail(&err, rc);
    }
    /* The same thread count every time: part of "the same numbers". */
    setenv("OPENBLAS_NUM_THREADS", "1", 0);
    setenv("OMP_NUM_THREADS", "1", 0);
    printf("compare: %zu objective(s) x %zu strateg%s x %zu seed(s) = %zu runs "
           "of %" PRId64 " trials; %zu already finished, %zu to run, %d at a "
           "time -> %s\n",
           p.n_obj, p.n_strat, p.n_strat == 1 ? "y" : "ies", p.n_seeds, p.n_runs,
           p.trials, p.n_runs - n_todo, n_todo, p.jobs, p.out_dir);
    note_left_out(&p);
    note_edited_objectives(&p, state);
    fflush(stdout);
    char first[1024], spec_error[1024];
    bo_cli_on_interrupt("bo: compare interrupted: finished runs are kept; the "
                        "same command goes on\n");
    int failed = execute(&p, state, exe, n_todo, first, sizeof first,
                         spec_error, sizeof spec_error, &err);
    free(state);
    if (failed < 0) {
        bo_compare_plan_free(&p);
        return bo_cli_fail(&err, failed);
    }
    if (spec_error[0]) {
        /* the run's own line already names the spec and what is wrong */
        fprintf(stderr, "%s%s (its other runs were not started: fix the spec, "
                "then run the same command again)\n",
                strncmp(spec_error, "bo: ", 4) == 0 ? "" : "bo: ", spec_error);
        bo_compare_plan_free(&p);
        return 2;
    }
    if (failed > 0) {
        fprintf(stderr, "bo: compare: %d of %zu runs failed, first %s; run the "
                        "same command again to resume\n",
                failed, n_todo, first);
        bo_compare_plan_free(&p);
        return 1;
    }
    for (size_t k = 0; !rc && k < p.n_runs; k++)
        rc = bo_compare_run_load(&p, &p.runs[k], &err);
    if (!rc)
        rc = bo_compare_write_trials(&p, &err);
    if (!rc)
        rc = bo_compare_write_summary(&p, &err);
    if (!rc)
        rc = bo_compare_write_tests(&p, &err);
    /* main() hands us argv + 2 of its own array: the manifest records the
     * whole command, "bo compare" included. */
    if (!rc)
        rc = bo_compare_write_manifest(&p, argc + 2, argv - 2, exe, &err);
    if (rc) {
        bo_compare_plan_free(&p);
        return bo_cli_fail(&err, rc);
    }
    printf("wrote %s/trials.csv, summary.csv, tests.csv, manifest.json\n", p.out_dir);
    print_tests(&p);
    print_empty_objectives(&p);
    bo_compare_plan_free(&p);
    return 0;
}
