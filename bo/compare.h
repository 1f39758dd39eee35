/*
 * compare.h — the pieces of `bo compare` (cli_compare.c drives them):
 * the plan (objectives x strategies x seeds), the state of each run's
 * study file, launching runs as child `bo run`/`bo resume` processes,
 * loading finished runs, and writing the comparison's files
 * (trials.csv, summary.csv, tests.csv, manifest.json; see cli_compare.c's
 * help for their columns).
 *
 * Nothing here prints or exits; files are written whole under a temporary
 * name and renamed into place, so a reader never sees half a table.
 */
#ifndef BO_COMPARE_H
#define BO_COMPARE_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "bo/bo.h"
#include "storage.h"

#define BO_COMPARE_MAX_CHECKPOINTS 16

typedef struct bo_compare_objective {
    char *name;        /* the spec's name: names the runs' files */
    char *spec_path;   /* as given on the command line */
    char *spec_json;   /* the spec's text, compared with each stored run */
    char *files_json;  /* its files' fingerprint (objective_files.h) */
    double optimum;    /* from the runs' "optimum" metric; NaN: unknown */
} bo_compare_objective;

typedef struct bo_compare_run {
    size_t obj, strat;         /* indexes into the plan */
    uint64_t seed;
    char *db;                  /* OUT/runs/OBJ-STRATEGY-sSEED.db */
    char *log;                 /* OUT/runs/OBJ-STRATEGY-sSEED.log */
    /* Filled by bo_compare_run_load: trials numbered below plan->trials. */
    bo_trial_record *recs;
    size_t n;
    double *best;              /* n: best complete loss so far, NaN: none */
} bo_compare_run;

typedef struct bo_compare_plan {
    bo_compare_objective *obj;
    size_t n_obj;
    char **strategy;
    size_t n_strat;
    uint64_t seed_base;
    size_t n_seeds;
    int64_t trials;
    int jobs;
    const char *out_dir;
    const char *baseline;          /* tests.csv: each strategy against it */
    const char *target_strategy;   /* target: its median final best */
    double tolerance;              /* target: optimum + tol max(1, |opt|) */
    int64_t checkpoint[BO_COMPARE_MAX_CHECKPOINTS];
    size_t n_checkpoints;
    bo_compare_run *runs;          /* n_obj x n_strat x n_seeds, in order */
    size_t n_runs;
} bo_compare_plan;

/* Frees what the plan owns (objectives, strategies, runs). */
void bo_compare_plan_free(bo_compare_plan *p);

/* Fills p->runs from objectives, strategies and seeds, and creates
 * OUT/runs. */
int bo_compare_plan_runs(bo_compare_plan *p, bo_error *err);

enum bo_compare_run_state {
    BO_COMPARE_NEW = 0,       /* no study file yet: bo run */
    BO_COMPARE_PARTIAL = 1,   /* fewer finished trials than wanted: bo resume */
    BO_COMPARE_FINISHED = 2   /* kept as is */
};

/* Where run r stands. A study file made from another spec, strategy or
 * seed is BO_EINVAL naming it (the OUT folder belongs to another
 * comparison). */
int bo_compare_run_state(const bo_compare_plan *p, const bo_compare_run *r,
                         int *state, bo_error *err);

/* Whether a run's study was made with other objective files than the
 * plan's (objective_files.h); the first that differs in `name`. */
int bo_compare_run_files_changed(const bo_compare_plan *p,
                                 const bo_compare_run *r, char *name,
                                 size_t name_len);
/* The objective files a run's study recorded (JSON, malloc'd), or NULL. */
char *bo_compare_run_files(const bo_compare_run *r);

/* Starts `bo run` (state NEW) or `bo resume` (PARTIAL) for run r as a
 * child process whose stdout and stderr append to r->log. The child dies
 * with this process (PR_SET_PDEATHSIG), so an interrupted compare leaves
 * nothing running. */
int bo_compare_run_start(const bo_compare_plan *p, const bo_compare_run *r,
                         int state, const char *bo_exe, pid_t *pid,
                         bo_error *err);

/* Loads run r's trials (read-only) and its best-so-far curve; sets the
 * objective's optimum from the "optimum" metric when one is reported. */
int bo_compare_run_load(bo_compare_plan *p, bo_compare_run *r, bo_error *err);

/* The tables, written into p->out_dir. */
int bo_compare_write_trials(const bo_compare_plan *p, bo_error *err);
int bo_compare_write_summary(const bo_compare_plan *p, bo_error *err);
int bo_compare_write_tests(const bo_compare_plan *p, bo_error *err);

/* "OUT/runs/NAME-bo-s*EXT OUT/runs/NAME-random-s*EXT": the files of
 * objective o's runs, as shell patterns that match no other objective's
 * (malloc'd; NULL when out of memory). */
char *bo_compare_runs_glob(const bo_compare_plan *p, size_t o,
                           const char *ext);

/* manifest.json: argv, bo's version and commit, the plan, library
 * versions, the CPU. */
/* The commit git has checked out in dir (into commit) and whether its
 * tracked files differ from it (*dirty 1 or 0, -1 unknown), out_dir
 * left out of that when it lies inside: the comparison has just
 * rewritten its own tables. -1 when dir is no git tree or git is not
 * there. */
int bo_compare_git_state(const char *dir, const char *out_dir,
                         char *commit, size_t len, int *dirty);
int bo_compare_write_manifest(const bo_compare_plan *p, int argc,
                              char **argv, const char *bo_exe, bo_error *err);

/* Opens PATH.tmp for writing; bo_compare_file_commit checks and closes it
 * and renames it to PATH (on error it removes it). */
int bo_compare_file_open(const char *path, FILE **f, bo_error *err);
int bo_compare_file_commit(const char *path, FILE *f, bo_error *err);

/* Final best of run r (its best at trial plan->trials), +inf when it has
 * no complete trial. */
double bo_compare_final_best(const bo_compare_run *r);
/* Best of run r within its first `count` trials, +inf when none. */
double bo_compare_best_at(const bo_compare_run *r, int64_t count);
/* The index of strategy `name` in the plan, (size_t)-1 when it has none. */
size_t bo_compare_strategy_index(const bo_compare_plan *p, const char *name);

#endif
