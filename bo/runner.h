/*
 * runner.h — the coordinator's side of trial evaluation.
 *
 * A runner owns K worker processes (`bo worker`, started with posix_spawn,
 * never a fork of the coordinator). Each worker loads the plugin and
 * creates its instance once, then evaluates the trials sent to it over a
 * private socketpair on fd 3 (never its stdout, which with stderr goes to the
 * trial's log file). A worker that crashes or misses its deadline is killed
 * with its process group and replaced before its next trial; workers die
 * with the coordinator (PR_SET_PDEATHSIG). The coordinator never loads a
 * plugin: even the objective's default space is asked of a worker.
 */
#ifndef BO_RUNNER_H
#define BO_RUNNER_H

#include "bo/bo.h"

typedef struct bo_runner bo_runner;

typedef struct bo_runner_options {
    const char *bo_exe;        /* the `bo` executable (for `bo worker`) */
    const char *plugin_path;   /* resolved path of the objective's .so */
    const char *config_json;   /* handed to the plugin's create() */
    int workers;               /* K >= 1 */
    double timeout_s;          /* per trial; <= 0: none */
    int64_t memory_mb;         /* per worker (RLIMIT_DATA); <= 0: none */
    const char *log_dir;       /* trial logs: LOG_DIR/trial-NNNNN.log */
    int threads_per_worker;    /* OPENBLAS_NUM_THREADS etc.; <= 0: 1 */
    /* Comma-separated GPU ids: worker slot i gets CUDA_VISIBLE_DEVICES set
     * to id (gpu_first + i) mod count. NULL or "": left as inherited. */
    const char *gpus;
    int gpu_first;
    /* Called for each intermediate report; return non-zero to ask the
     * objective to stop early. May be NULL. */
    int (*on_report)(void *ctx, int64_t trial, int64_t step, double value);
    void *ctx;
} bo_runner_options;

typedef struct bo_trial_result {
    int64_t trial;
    int state;                 /* COMPLETE, FAILED, CRASHED, TIMEOUT, INVALID */
    double loss;               /* NaN unless COMPLETE */
    double cost_s;             /* the objective's own cost, or NaN */
    double wall_s;             /* measured by the coordinator */
    int stopped_early;         /* COMPLETE because the host asked it to stop */
    char message[BO_MESSAGE_MAX];
    uint32_t n_metrics;
    bo_metric metrics[BO_METRICS_MAX];
} bo_trial_result;

int bo_runner_create(const bo_runner_options *opt, bo_runner **out,
                     bo_error *err);
/* Kills every worker with its process group and waits for them. */
void bo_runner_free(bo_runner *r);
/* The same, and whether an idle worker failed to exit cleanly once told
 * to go: the objective crashed (or exited non-zero) in destroy(), in a
 * destructor or at unload. `why` (may be NULL) then says how, as
 * bo_proc_describe_status does. */
int bo_runner_close(bo_runner *r, char *why, size_t why_len);
/* Asks a worker whether the objective would take this assignment (its
 * optional check(), objective.h): BO_OK with `why` empty when it would or
 * has no check, or holding the objective's reason when it would not. */
int bo_runner_check(bo_runner *r, const bo_value *assignment, size_t n,
                    char *why, size_t why_len, bo_error *err);
/* A space put to the objective's check: its centre, then each coordinate
 * at 0 and at 1 with the others at the centre (each parameter at its ends,
 * each choice). BO_OK with `why` empty when all pass (or there is no
 * check), or holding the first refusal: "the space's centre: REASON" or
 * "NAME = VALUE: REASON". */
int bo_runner_check_space(bo_runner *r, const bo_space *space, char *why,
                          size_t why_len, bo_error *err);
/* What such a crash is called, before `why`. */
#define BO_RUNNER_CLOSE_CRASH                                                 \
    "the objective crashed as its worker closed it (in destroy(), a "         \
    "destructor or at unload)"

/* The objective's name and default space, asked of a worker. *space is the
 * caller's (NULL when the plugin has no default space). */
int bo_runner_describe(bo_runner *r, char *name, size_t name_len,
                       bo_space **space, bo_error *err);
/* How many workers are free to take a trial now. */
int bo_runner_idle(const bo_runner *r);
/* Hands a trial to a free worker (one must be idle). */
int bo_runner_submit(bo_runner *r, int64_t trial, uint64_t seed,
                     const bo_value *assignment, size_t n, bo_error *err);
/* Blocks until a submitted trial ends; fills *out. Reports arriving
 * meanwhile go to on_report. Returns BO_DONE when nothing is in flight. */
int bo_runner_wait(bo_runner *r, bo_trial_result *out, bo_error *err);

/* `bo worker` (internal): the worker process's main. */
int bo_worker_main(int argc, char **argv);

/* Where things are, found from /proc/self/exe: the objectives folder
 * (PREFIX/lib/bo/objectives) and the bo executable. */
int bo_path_self_exe(char *buf, size_t len, bo_error *err);
int bo_path_objectives_dir(char *buf, size_t len, bo_error *err);
/* `path` made absolute against the working folder, symlinks kept (what a
 * process elsewhere, an MPI rank started with another -wdir, can use).
 * 0, or -1 when it does not fit in len. */
int bo_path_absolute(const char *path, char *buf, size_t len);
/* The centre of a space (every unit coordinate 0.5) into *u (dim) and
 * its values into *v (n_params; pointing into the space), both malloc'd;
 * on an error both are NULL. What the space checks and plugin check
 * probe first. */
int bo_space_centre(const bo_space *sp, double **u, bo_value **v,
                    bo_error *err);
/* In place: repeated slashes and "." segments removed ("a/./b//c/." ->
 * "a/b/c"); ".." is kept, as a symbolic link may stand before it. */
void bo_path_clean(char *path);
/* Resolves objective.plugin: a name without '/' is NAME.so inside the
 * objectives folder only; a path with '/' is taken relative to spec_dir
 * unless absolute. The file must exist. */
int bo_path_resolve_plugin(const char *plugin, const char *spec_dir,
                           char *buf, size_t len, bo_error *err);

#endif
