/*
 * study.c — the study loop (see study.h).
 *
 * The loop keeps three promises of bo/DESIGN.md:
 *   - crash safety: a trial is stored as `running` before a worker sees it
 *     and its outcome is stored before the strategy is told, each in its
 *     own transaction, so a kill -9 anywhere loses no completed trial;
 *   - exact resume: a resumed study replays its stored trials through
 *     bo_strategy_add/tell in trial order, re-runs the trials that were
 *     running when it stopped (same number, point and seed), and only then
 *     asks for new ones, so it proposes what an uninterrupted run would;
 *   - the coordinator never loads a plugin: the objective's default space
 *     comes from a worker (bo_runner_describe).
 *
 * With K workers the strategy is told each outcome as it arrives, so what
 * it proposes depends on the order evaluations finish in. The
 * deterministic mode (settings.lag = K) takes that order out: trial t is
 * proposed only once trials 0 .. t-K have all finished, and the strategy
 * has then been told exactly those, in trial order, while t-K+1 .. t-1 are
 * pending (outcomes that arrive early are held back). A proposal being a
 * pure function of the history (strategy_impl.h), the same spec, seed and
 * K give the same trials whatever the timing; the price is a worker left
 * idle while an older trial is still running (waited_s).
 * Trials go to an executor (executor.h): local workers, or MPI ranks.
 * It never prints except to opt->out (progress and the final report).
 */
#include "study.h"

#include <cblas.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aprintf.h"
#include "early_stop.h"
#include "error.h"
#include "executor.h"
#include "json_exact.h"
#include "objective_files.h"
#include "one_line.h"
#include "runner.h"
#include "runner_proc.h"
#include "spec_impl.h"
#include "storage.h"
#include "storage_lock.h"
#include "strategy_bo.h"
#include "utf8.h"
#include "values_json.h"

/* The settings a study runs with: the spec's, overridden by flags, stored
 * in meta "settings" so that resume uses the same ones. */
typedef struct settings {
    int64_t trials;
    uint64_t seed;
    char strategy[32];
    int64_t workers;
    int64_t budget;   /* trials when the study began: fixes a grid's levels */
    int64_t lag;      /* deterministic mode's K (see the head comment); 0 off */
} settings;

/* next_trial: the next proposal must wait for an older trial to finish. */
#define STUDY_WAIT 2

typedef struct study {
    const bo_study_options *opt;
    bo_spec *spec;
    bo_storage *storage;
    bo_runner *runner;          /* until the executor takes it over */
    bo_executor exec;
    bo_space *default_space;    /* the objective's, owned */
    const bo_space *space;      /* the spec's or the default */
    bo_strategy *strategy;
    bo_early_stop *early_stop;  /* NULL: the spec asks for none */
    int exhausted;              /* the strategy had no more points */
    settings set;
    size_t dim, n_params;
    double *u;                  /* dim */
    bo_value *values;           /* n_params */

    /* Trial bookkeeping, indexed by trial number. */
    size_t n, cap;
    double *hist_u;             /* n * dim */
    int *hist_origin;
    size_t n_user;              /* trials that came from enqueue */
    /* Deterministic mode: outcomes held until the strategy may be told. */
    int *hist_state;
    double *hist_loss, *hist_cost;
    size_t first_untold;        /* trials before it have been told */
    double waited_s;            /* time a worker sat idle, waiting */

    int64_t *stale;             /* running when the study stopped: re-run */
    size_t n_stale, i_stale;

    /* Progress. */
    double t0;
    int64_t n_done_now;         /* finished in this process */
    int64_t n_finished;         /* finished in all */
    int64_t best_trial;
    double best_loss;
    int64_t fail_streak;
    char last_failure[BO_MESSAGE_MAX + 64];
    int line_open;              /* a tty progress line is on screen */
    /* The log folder when this run made it, while no study file holds
     * it: a spec mistake found after it was made takes it away again. */
    char new_logs[PATH_MAX];
} study;

static double now_monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double now_unix(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int is_terminal_state(int state)
{
    return state >= BO_TRIAL_COMPLETE;
}

static int is_failure_state(int state)
{
    return state == BO_TRIAL_FAILED || state == BO_TRIAL_CRASHED ||
           state == BO_TRIAL_TIMEOUT || state == BO_TRIAL_INVALID;
}

/* ------------------------------------------------------------ settings */

static char *settings_to_json(const settings *s)
{
    char buf[256];
    snprintf(buf, sizeof buf,
             "{\"trials\":%" PRId64 ",\"seed\":%" PRIu64
             ",\"strategy\":\"%s\",\"workers\":%" PRId64
             ",\"budget\":%" PRId64 ",\"lag\":%" PRId64 "}",
             s->trials, s->seed, s->strategy, s->workers, s->budget, s->lag);
    return strdup(buf);
}

static int whole_in(const cJSON *v, double lo, double hi)
{
    return cJSON_IsNumber(v) && v->valuedouble >= lo &&
           v->valuedouble <= hi && v->valuedouble == floor(v->valuedouble);
}

static int settings_from_json(const char *db, const char *text, settings *s,
                              bo_error *err)
{
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "trials");
    const cJSON *sd = cJSON_GetObjectItemCaseSensitive(j, "seed");
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(j, "strategy");
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(j, "workers");
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(j, "budget");
    const cJSON *lag = cJSON_GetObjectItemCaseSensitive(j, "lag");
    /* Each within what bo itself writes (a copy edited by hand may hold
     * 0 workers or 1e300 trials, which a cast would make undefined). */
    if (!whole_in(t, 1, 1e7) || !whole_in(sd, 0, 9007199254740992.0) ||
        !cJSON_IsString(st) || !whole_in(w, 1, 1 << 24) /* MPI ranks */ ||
        !(whole_in(b, 1, 1e7) || whole_in(b, -1, -1)) ||
        (lag && !whole_in(lag, 0, 1 << 24)) ||
        strlen(st->valuestring) >= sizeof s->strategy) {
        cJSON_Delete(j);
        return bo_error_set(err, BO_EIO,
                            "%s: the study's stored settings are damaged", db);
    }
    s->trials = (int64_t)t->valuedouble;
    s->seed = (uint64_t)sd->valuedouble;
    snprintf(s->strategy, sizeof s->strategy, "%s", st->valuestring);
    s->workers = (int64_t)w->valuedouble;
    s->budget = (int64_t)b->valuedouble;
    s->lag = lag ? (int64_t)lag->valuedouble : 0; /* older studies: off */
    cJSON_Delete(j);
    return BO_OK;
}

/* ------------------------------------------------------------ objective */

/* The plugin path and config for the runner: a stock or user plugin as is,
 * or the program adapter for `objective.command`. */
static int objective_plugin(const bo_spec *spec, char *path, size_t len,
                            char **config, bo_error *err)
{
    /* Absolute paths: an MPI rank may run in another folder. */
    char dir[PATH_MAX];
    if (bo_path_absolute(spec->dir, dir, sizeof dir) != 0)
        return bo_error_set(err, BO_EINVAL, "%s: path too long", spec->dir);
    if (spec->plugin) {
        int rc = bo_path_resolve_plugin(spec->plugin, dir, path, len, err);
        if (rc)
            return rc;
        *config = strdup(spec->config_json);
        return *config ? BO_OK : bo_error_set(err, BO_ENOMEM, "out of memory");
    }
    int rc = bo_path_resolve_plugin("program", dir, path, len, err);
    if (rc)
        return rc;
    cJSON *c = cJSON_CreateObject();
    cJSON *argv = cJSON_AddArrayToObject(c, "command");
    for (size_t i = 0; argv && i < spec->n_command; i++)
        cJSON_AddItemToArray(argv, cJSON_CreateString(spec->command[i]));
    cJSON_AddStringToObject(c, "dir", dir);
    if (spec->grace_s >= 0)
        cJSON_AddNumberToObject(c, "grace_s", spec->grace_s);
    cJSON *user = cJSON_Parse(spec->config_json);
    if (user)
        cJSON_AddItemToObject(c, "config", user);
    *config = bo_json_print_exact(c);
    cJSON_Delete(c);
    return *config ? BO_OK : bo_error_set(err, BO_ENOMEM, "out of memory");
}

/* NAME.logs beside the study, absolute (an MPI rank may run elsewhere). */
static char *log_dir_for(const char *db)
{
    char abs[PATH_MAX];
    if (bo_path_absolute(db, abs, sizeof abs) != 0)
        snprintf(abs, sizeof abs, "%s", db);
    size_t n = strlen(abs) + 8;
    char *dir = malloc(n);
    if (!dir)
        return NULL;
    const char *dot = strrchr(abs, '.');
    const char *slash = strrchr(abs, '/');
    size_t stem = (dot && (!slash || dot > slash)) ? (size_t)(dot - abs)
                                                   : strlen(abs);
    snprintf(dir, n, "%.*s.logs", (int)stem, abs);
    return dir;
}

/* The trial logs' folder beside the study, with errors that name what the
 * user gave: the study's path when its folder is missing. */
static int make_log_dir(study *s, const char *db, const char *logs,
                        bo_error *err)
{
    struct stat sb;
    if (mkdir(logs, 0777) == 0) {
        snprintf(s->new_logs, sizeof s->new_logs, "%s", logs);
        return BO_OK;
    }
    int e = errno;
    char dir[PATH_MAX];
    const char *slash = strrchr(db, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - db) + 1 : 1,
             slash ? db : ".");
    if (e == ENOENT && stat(dir, &sb) != 0)
        return bo_error_set(err, BO_EIO, "%s: cannot create the study: its "
                            "folder does not exist", db);
    if (e != EEXIST)
        return bo_error_set(err, BO_EIO, "%s: cannot create the log folder: "
                            "%s", logs, strerror(e));
    if (stat(logs, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return bo_error_set(err, BO_EIO, "%s: exists and is not a folder (the "
                            "study %s keeps its trial logs there)", logs, db);
    /* else each trial's output would go on into the last log it could open */
    if (access(logs, W_OK | X_OK) != 0)
        return bo_error_set(err, BO_EIO, "%s: cannot write the trial logs "
                            "there: %s", logs, strerror(errno));
    return BO_OK;
}

static int on_report(void *ctx, int64_t trial, int64_t step, double value)
{
    study *s = ctx;
    bo_error err;
    /* A report that cannot be stored is not worth stopping the trial for:
     * the trial's own outcome is what must survive. */
    (void)bo_storage_report(s->storage, trial, step, value, &err);
    if (!s->early_stop)
        return 0;
    /* The deterministic mode compares with the trials it knows finished
     * (those before t - K + 1), whatever the timing; otherwise with every
     * trial complete so far. */
    int64_t before = s->set.lag > 0 ? trial - s->set.lag + 1 : INT64_MAX;
    int stop = bo_early_stop_report(s->early_stop, trial, step, value,
                                    before, &err);
    return stop > 0;
}

/* The executor once the objective is described: the describing runner
 * itself for local workers; for remote evaluators the runner (a single
 * local worker, since the coordinator must not load the plugin itself) is
 * freed and the remote side started with the same options. */
static int open_executor(study *s, const bo_runner_options *ro, bo_error *err)
{
    const bo_remote *remote = s->opt->remote;
    if (!remote) {
        bo_executor_local(s->runner, &s->exec);
        s->runner = NULL;
        return BO_OK;
    }
    bo_runner_free(s->runner);
    s->runner = NULL;
    return remote->open(remote->ctx, ro, &s->exec, err);
}

/* The spec's space put to the objective's check (bo_runner_check_space):
 * a name it does not know or a range it refuses is one line before the
 * study, not a failed trial each. */
static int check_spec_space(study *s, bo_error *err)
{
    char why[BO_MESSAGE_MAX + 160];
    int rc = bo_runner_check_space(s->runner, s->spec->space, why, sizeof why,
                                   err);
    if (!rc && why[0])
        rc = bo_error_set(err, BO_EINVAL, "%s: space: the objective refuses "
                          "%s", s->spec->path, why);
    return rc;
}

/* Room in the open-file limit for `workers` workers (a few descriptors
 * each): the soft limit is raised toward the hard one where it is lower,
 * as a shell's `ulimit -n` would, so that a few hundred workers do not
 * fail on the usual soft 1024. A hard limit too low stays the runner's
 * error to report, naming the limit. */
static void room_for_workers(int workers)
{
    struct rlimit rl;
    rlim_t want = 64 + 8 * (rlim_t)workers;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want ||
        rl.rlim_cur == RLIM_INFINITY)
        return;
    rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want
                      ? want : rl.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &rl);
}

/* Starts the workers and settles the space: the spec's, or the objective's
 * own as a worker describes it. */
static int open_objective(study *s, const char *db, bo_error *err)
{
    char plugin[PATH_MAX], exe[PATH_MAX];
    char *config = NULL;
    int rc = objective_plugin(s->spec, plugin, sizeof plugin, &config, err);
    if (rc) {
        /* a plugin the spec names but that is not there: a spec error */
        if (s->spec->path)
            bo_error_prefix(err, "%s", s->spec->path);
        return rc == BO_ENOTFOUND ? BO_EINVAL : rc;
    }
    rc = bo_path_self_exe(exe, sizeof exe, err);
    char *logs = log_dir_for(db);
    if (!rc && !logs)
        rc = bo_error_set(err, BO_ENOMEM, "out of memory");
    if (!rc)
        rc = make_log_dir(s, db, logs, err);
    const char *gpus = NULL;
    int local = s->opt->remote ? 1 : (int)s->set.workers;
    if (!rc) {
        room_for_workers(local);
        rc = bo_executor_gpu_list(local, &gpus, err);
    }
    int share = bo_proc_cores() / local;
    bo_runner_options ro = {
        .bo_exe = exe,
        .plugin_path = plugin,
        .config_json = config,
        .workers = local,
        .timeout_s = s->spec->timeout_s,
        .memory_mb = s->spec->memory_mb,
        .log_dir = logs,
        .threads_per_worker = share > 0 ? share : 1,
        .gpus = gpus,
        .on_report = on_report,
        .ctx = s,
    };
    if (!rc)
        rc = bo_runner_create(&ro, &s->runner, err);
    char name[BO_NAME_MAX];
    if (!rc)
        rc = bo_runner_describe(s->runner, name, sizeof name,
                                &s->default_space, err);
    /* A command the adapter cannot start: the user's spec is at fault,
     * not the adapter (whose path they never wrote). */
    const char *why = rc && s->spec->command
                          ? strstr(err->message, "program: config: ")
                          : NULL;
    if (why) {
        char copy[sizeof err->message];
        snprintf(copy, sizeof copy, "%s", why + strlen("program: config: "));
        bo_error_set(err, BO_EINVAL, "%s: objective.command: %s",
                     s->spec->path ? s->spec->path : "spec", copy);
        rc = BO_EINVAL;
    }
    /* A plugin whose create() fails, named with the spec the user gave
     * (the plugin's path says little to them), as any other spec mistake:
     * most often its config, though it may lack what it needs (data, a
     * device). bo resume names no spec: the message stays as it is. */
    const char *refused = rc && !s->spec->command && s->opt->spec_path
                              ? strstr(err->message, ": create() failed: ")
                              : NULL;
    if (refused) {
        char copy[sizeof err->message];
        snprintf(copy, sizeof copy, "%s",
                 refused + strlen(": create() failed: "));
        bo_error_set(err, BO_EINVAL, "%s: objective: create() failed (see "
                     "objective.config, or what the objective needs): %s",
                     s->opt->spec_path, copy);
        rc = BO_EINVAL;
    }
    if (!rc && s->spec->space)
        rc = check_spec_space(s, err);
    if (!rc)
        rc = open_executor(s, &ro, err);
    free(logs);
    free(config);
    if (rc)
        return rc;
    s->space = s->spec->space ? s->spec->space : s->default_space;
    if (!s->space && s->spec->command)
        return bo_error_set(err, BO_EINVAL,
                            "%s: space: missing (a command objective has no "
                            "space of its own: give the parameters)",
                            s->spec->path);
    if (!s->space)
        return bo_error_set(err, BO_EINVAL,
                            "%s: space: the objective '%s' has no default "
                            "space, so the spec must give one",
                            s->spec->path, name);
    s->dim = bo_space_dim(s->space);
    s->n_params = bo_space_n_params(s->space);
    s->u = calloc(s->dim ? s->dim : 1, sizeof *s->u);
    s->values = calloc(s->n_params ? s->n_params : 1, sizeof *s->values);
    if (!s->u || !s->values)
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    /* Every enqueued configuration is checked before any trial runs. */
    for (size_t i = 0; i < s->spec->n_enqueue; i++) {
        rc = bo_spec_enqueued(s->spec, s->space, i, s->u, err);
        if (rc)
            return rc;
    }
    return BO_OK;
}

static int open_strategy(study *s, bo_error *err)
{
    bo_strategy_options so = bo_strategy_options_default();
    so.name = s->set.strategy;
    so.seed = s->set.seed;
    so.initial = s->spec->initial;
    so.acquisition = s->spec->acquisition;
    so.levels = s->spec->levels;
    so.budget = s->set.budget;
    int rc = bo_strategy_create(s->space, &so, &s->strategy, err);
    if (rc)
        bo_error_prefix(err, "%s: strategy", s->spec->path);
    if (!rc && s->spec->stop_min_trials > 0)
        rc = bo_early_stop_create(s->spec->stop_min_trials,
                                  s->spec->stop_min_step, &s->early_stop, err);
    return rc;
}

/* ------------------------------------------------------------- history */

/* realloc that leaves *p as it was when it fails. */
static int grow(void **p, size_t bytes)
{
    void *q = realloc(*p, bytes);
    if (!q)
        return -1;
    *p = q;
    return 0;
}

static int remember(study *s, int64_t trial, const double *u, int origin,
                    bo_error *err)
{
    if ((size_t)trial != s->n)
        return bo_error_set(err, BO_ESTATE, "trial %" PRId64 " out of order",
                            trial);
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        size_t d = s->dim ? s->dim : 1;
        if (grow((void **)&s->hist_u, cap * d * sizeof *s->hist_u) ||
            grow((void **)&s->hist_origin, cap * sizeof *s->hist_origin) ||
            grow((void **)&s->hist_state, cap * sizeof *s->hist_state) ||
            grow((void **)&s->hist_loss, cap * sizeof *s->hist_loss) ||
            grow((void **)&s->hist_cost, cap * sizeof *s->hist_cost))
            return bo_error_set(err, BO_ENOMEM, "out of memory");
        s->cap = cap;
    }
    memcpy(s->hist_u + s->n * s->dim, u, s->dim * sizeof *u);
    s->hist_origin[s->n] = origin;
    s->hist_state[s->n] = BO_TRIAL_RUNNING;
    s->hist_loss[s->n] = NAN;
    s->hist_cost[s->n] = NAN;
    if (origin == BO_ORIGIN_USER)
        s->n_user++;
    s->n++;
    return BO_OK;
}

static void note_outcome(study *s, int64_t trial, int state, double loss,
                         const char *message)
{
    s->n_finished++;
    if (state == BO_TRIAL_COMPLETE) {
        s->fail_streak = 0;
        if (s->best_trial < 0 || loss < s->best_loss) {
            s->best_loss = loss;
            s->best_trial = trial;
        }
    } else if (is_failure_state(state)) {
        s->fail_streak++;
        snprintf(s->last_failure, sizeof s->last_failure,
                 "trial %" PRId64 " %s: %s", trial, bo_trial_state_name(state),
                 message && *message ? message : "no message");
    }
}

/* A trial's outcome for the strategy: told now, or in deterministic mode
 * held until catch_up() may tell it. */
static int settle(study *s, int64_t trial, int state, double loss,
                  double cost, bo_error *err)
{
    if (s->set.lag == 0)
        return bo_strategy_tell(s->strategy, trial, state, loss, cost, err);
    s->hist_state[trial] = state;
    s->hist_loss[trial] = loss;
    s->hist_cost[trial] = cost;
    return BO_OK;
}

/* Deterministic mode: tells the strategy, in trial order, the held
 * outcomes of the trials numbered below `end`. *ready is 0 when one of
 * them has not finished yet (the rest wait behind it). */
static int catch_up(study *s, size_t end, int *ready, bo_error *err)
{
    *ready = 1;
    for (; s->first_untold < end && s->first_untold < s->n; s->first_untold++) {
        size_t t = s->first_untold;
        if (!is_terminal_state(s->hist_state[t])) {
            *ready = 0;
            return BO_OK;
        }
        int rc = bo_strategy_tell(s->strategy, (int64_t)t, s->hist_state[t],
                                  s->hist_loss[t], s->hist_cost[t], err);
        if (rc)
            return rc;
    }
    return BO_OK;
}

/* A complete trial's stored reports join early stopping's reference set. */
static int reload_reports(study *s, int64_t trial, bo_error *err)
{
    int64_t *steps = NULL;
    double *values = NULL;
    size_t n = 0;
    int rc = bo_storage_load_reports(s->storage, trial, &steps, &values, &n,
                                     err);
    if (!rc)
        rc = bo_early_stop_add(s->early_stop, trial, steps, values, n, err);
    free(steps);
    free(values);
    return rc;
}

/* Replays the stored trials into the strategy; trials that were running
 * when the study stopped are queued to run again. */
static int replay(study *s, bo_error *err)
{
    bo_trial_record *recs = NULL;
    size_t n = 0;
    int rc = bo_storage_load_trials(s->storage, &recs, &n, err);
    if (rc)
        return rc;
    s->stale = calloc(n ? n : 1, sizeof *s->stale);
    if (!s->stale)
        rc = bo_error_set(err, BO_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
        const bo_trial_record *r = &recs[i];
        int64_t t = -1;
        if (r->number != (int64_t)i || r->dim != s->dim) {
            rc = bo_error_set(err, BO_EIO,
                              "%s: trial %" PRId64 " does not fit the study "
                              "(numbering or dimension)",
                              bo_storage_path(s->storage), r->number);
            break;
        }
        rc = bo_strategy_add(s->strategy, r->u, r->origin, &t, err);
        if (!rc)
            rc = remember(s, t, r->u, r->origin, err);
        if (rc)
            break;
        if (is_terminal_state(r->state)) {
            rc = settle(s, t, r->state, r->loss, r->cost_s, err);
            note_outcome(s, t, r->state, r->loss, r->message);
            if (!rc && s->early_stop && r->state == BO_TRIAL_COMPLETE)
                rc = reload_reports(s, t, err);
        } else {
            s->stale[s->n_stale++] = t;
        }
    }
    bo_trial_records_free(recs, n);
    /* A streak of failures before the interruption still counts. */
    return rc;
}

/* ---------------------------------------------------------------- loop */

static void progress(study *s, int64_t trial, int state, double loss,
                     double wall_s, int stopped_early, const char *message)
{
    FILE *out = s->opt->out;
    if (!out)
        return;
    /* Why a trial did not complete, on its line: one line, cut short (the
     * whole message is in the study and the trial's log). */
    char why[160] = "";
    if (state != BO_TRIAL_COMPLETE)
        bo_one_line(message, why, sizeof why);
    double elapsed = now_monotonic() - s->t0;
    /* Stale trials past a lowered target are re-run too: count them in
     * the total rather than show 5/3. */
    int64_t total = s->set.trials > (int64_t)s->n ? s->set.trials
                                                   : (int64_t)s->n;
    int64_t left = total - s->n_finished;
    double eta = s->n_done_now > 0 && left > 0
                     ? elapsed / (double)s->n_done_now * (double)left
                     : 0.0;
    char best[64] = "none yet";
    if (s->best_trial >= 0)
        snprintf(best, sizeof best, "%.6g (trial %" PRId64 ")", s->best_loss,
                 s->best_trial);
    if (s->opt->tty) {
        /* a trial that did not complete gets a line of its own above */
        if (why[0])
            fprintf(out, "\r\033[Ktrial %" PRId64 " %s: %s\n", trial,
                    bo_trial_state_name(state), why);
        fprintf(out,
                "\r\033[K[%" PRId64 "/%" PRId64 "] best %s | elapsed %.0fs | "
                "left ~%.0fs",
                s->n_finished, total, best, elapsed, eta);
        s->line_open = 1;
    } else {
        char l[48] = "-";
        if (state == BO_TRIAL_COMPLETE) /* short: export has every digit */
            snprintf(l, sizeof l, "%.10g", loss);
        fprintf(out,
                "trial %" PRId64 " %s%s loss %s wall %.3fs | %" PRId64 "/%" PRId64
                " done, best %s%s%s\n",
                trial, bo_trial_state_name(state),
                stopped_early ? " (stopped early)" : "", l, wall_s,
                s->n_finished, total, best, why[0] ? " | " : "", why);
    }
    fflush(out);
}

/* The next trial to start: a stale one, an enqueued one, or a proposal.
 * Returns BO_DONE when none should start now. */
static int next_trial(study *s, int64_t *trial, bo_error *err)
{
    if (s->i_stale < s->n_stale) {
        *trial = s->stale[s->i_stale++];
        memcpy(s->u, s->hist_u + (size_t)*trial * s->dim, s->dim * sizeof *s->u);
        return BO_OK;
    }
    if ((int64_t)s->n >= s->set.trials)
        return BO_DONE;
    int rc;
    int origin = BO_ORIGIN_STRATEGY;
    if (s->n_user < s->spec->n_enqueue) {
        rc = bo_spec_enqueued(s->spec, s->space, s->n_user, s->u, err);
        if (!rc)
            rc = bo_strategy_add(s->strategy, s->u, BO_ORIGIN_USER, trial, err);
        origin = BO_ORIGIN_USER;
    } else {
        if (s->set.lag > 0) {
            /* Trial s->n sees exactly the trials before s->n - lag + 1. */
            size_t end = s->n + 1 > (size_t)s->set.lag
                             ? s->n + 1 - (size_t)s->set.lag : 0;
            int ready;
            rc = catch_up(s, end, &ready, err);
            if (rc)
                return rc;
            if (!ready)
                return STUDY_WAIT;
        }
        rc = bo_strategy_ask(s->strategy, s->u, trial, err);
        if (rc == BO_DONE && !s->exhausted) {
            /* Said at the end, and kept: bo compare counts such a run as
             * finished short of its trials. */
            s->exhausted = 1;
            char n[32];
            snprintf(n, sizeof n, "%zu", s->n);
            bo_error ignored;
            (void)bo_storage_set_meta(s->storage, "exhausted", n, &ignored);
        }
    }
    if (rc)
        return rc;
    /* The strategy canonicalized an enqueued point: store what it holds. */
    bo_space_canonical(s->space, s->u, s->u);
    return remember(s, *trial, s->u, origin, err);
}

/* Which enqueue entry a user-origin trial came from: they run in order. */
static size_t enqueue_index(const study *s, int64_t trial)
{
    size_t k = 0;
    for (int64_t t = 0; t < trial; t++)
        k += s->hist_origin[t] == BO_ORIGIN_USER;
    return k;
}

static int start_trial(study *s, int64_t trial, bo_error *err)
{
    int rc = bo_space_decode(s->space, s->u, s->values, err);
    if (rc)
        return rc;
    if (s->hist_origin[trial] == BO_ORIGIN_USER)
        bo_spec_enqueued_exact(s->spec, s->space, enqueue_index(s, trial),
                               s->values);
    char *params = bo_values_to_json(s->values, s->n_params);
    if (!params)
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    bo_trial_record rec = {
        .number = trial,
        .state = BO_TRIAL_RUNNING,
        .origin = s->hist_origin[trial],
        .seed = bo_trial_seed(s->set.seed, trial),
        .u = s->u,
        .dim = s->dim,
        .params_json = params,
        .loss = NAN,
        .cost_s = NAN,
        .wall_s = NAN,
        .started_at = now_unix(),
        .finished_at = NAN,
    };
    rc = bo_storage_trial_begin(s->storage, &rec, err);
    if (!rc)
        rc = s->exec.submit(s->exec.impl, trial, rec.seed, s->values,
                            s->n_params, err);
    free(params);
    return rc;
}

static char *metrics_json(const bo_trial_result *r)
{
    if (r->n_metrics == 0)
        return NULL;
    cJSON *o = cJSON_CreateObject();
    for (uint32_t i = 0; o && i < r->n_metrics && i < BO_METRICS_MAX; i++) {
        /* A name becomes a column of bo show and bo export: printable,
         * and each once (the first value of a repeated name counts, as
         * for a repeated "loss"). */
        char name[sizeof r->metrics[i].name];
        snprintf(name, sizeof name, "%s", r->metrics[i].name);
        bo_utf8_repair(bo_text_printable(name, '?'));
        if (!name[0] || cJSON_GetObjectItemCaseSensitive(o, name))
            continue;
        if (isfinite(r->metrics[i].value)) {
            char num[40];
            snprintf(num, sizeof num, "%.17g", r->metrics[i].value);
            cJSON_AddRawToObject(o, name, num);
        } else {
            cJSON_AddNullToObject(o, name);
        }
    }
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return text;
}

static int finish_trial(study *s, const bo_trial_result *r, bo_error *err)
{
    char *metrics = metrics_json(r);
    char message[sizeof r->message];
    snprintf(message, sizeof message, "%s", r->message);
    bo_utf8_repair(message);
    bo_trial_record rec = {
        .number = r->trial,
        .state = r->state,
        .origin = s->hist_origin[r->trial],
        .seed = bo_trial_seed(s->set.seed, r->trial),
        .u = s->hist_u + (size_t)r->trial * s->dim,
        .dim = s->dim,
        .loss = r->state == BO_TRIAL_COMPLETE ? r->loss : NAN,
        .cost_s = r->cost_s,
        .wall_s = r->wall_s,
        .started_at = NAN,
        .finished_at = now_unix(),
        .metrics_json = metrics,
        .message = message[0] ? message : NULL,
    };
    int rc = bo_storage_trial_finish(s->storage, &rec, err);
    free(metrics);
    if (!rc && s->early_stop)
        rc = bo_early_stop_end(s->early_stop, r->trial,
                               r->state == BO_TRIAL_COMPLETE, err);
    if (rc)
        return rc;
    /* EI per second models the host-measured time when the objective
     * measured none of its own. */
    double cost = isfinite(r->cost_s) ? r->cost_s : r->wall_s;
    rc = settle(s, r->trial, r->state, rec.loss, cost, err);
    if (rc)
        return rc;
    s->n_done_now++;
    note_outcome(s, r->trial, r->state, rec.loss, r->message);
    progress(s, r->trial, r->state, rec.loss, r->wall_s, r->stopped_early,
             message);
    return BO_OK;
}

static int execute(study *s, bo_error *err)
{
    /* the header out now, not with the first trial's line minutes later
     * (a log file or pipe is block-buffered) */
    if (s->opt->out)
        fflush(s->opt->out);
    s->t0 = now_monotonic();
    int rc = BO_OK, exhausted = 0, stopping = 0, in_flight = 0;
    for (;;) {
        int waiting = 0;
        while (!stopping && !exhausted && s->exec.idle(s->exec.impl) > 0) {
            int64_t trial;
            rc = next_trial(s, &trial, err);
            if (rc == BO_DONE) {
                exhausted = 1;
                rc = BO_OK;
                break;
            }
            if (rc == STUDY_WAIT) {
                rc = BO_OK;
                waiting = 1;
                break;
            }
            if (rc)
                goto out;
            rc = start_trial(s, trial, err);
            if (rc)
                goto out;
            in_flight++;
        }
        if (in_flight == 0) {
            /* The trials a proposal waits for are in flight, always. */
            if (waiting)
                rc = bo_error_set(err, BO_ESTATE, "deterministic mode: "
                                  "waiting with no trial in flight");
            break;
        }
        double t_wait = now_monotonic();
        bo_trial_result r;
        rc = s->exec.wait(s->exec.impl, &r, err);
        if (waiting)
            s->waited_s += now_monotonic() - t_wait;
        if (rc == BO_DONE) {
            rc = BO_OK;
            break;
        }
        if (rc)
            goto out;
        in_flight--;
        rc = finish_trial(s, &r, err);
        if (rc)
            goto out;
        if (s->fail_streak >= s->spec->max_failures)
            stopping = 1;
    }
out:
    if (s->line_open && s->opt->out)
        fputc('\n', s->opt->out);
    if (!rc && s->fail_streak >= s->spec->max_failures) {
        /* Said in the study too: bo compare counts such a run as done
         * (running it again would only add a failure each time); bo run
         * and bo resume still go on, for an objective fixed since. */
        char n[32];
        bo_error ignored;
        snprintf(n, sizeof n, "%zu", s->n);
        (void)bo_storage_set_meta(s->storage, "gave_up", n, &ignored);
        rc = bo_error_set(err, BO_ERUNTIME,
                          "%s: stopped after %" PRId64 " failed trials in a row "
                          "(max_failures); last: %s",
                          bo_storage_path(s->storage), s->fail_streak,
                          s->last_failure);
    }
    return rc;
}

/* "name=value" pairs of a stored JSON object on one line, numbers to 6
 * significant digits: for people; `bo export` has the exact values. */
static void print_pairs(FILE *out, const char *label, const char *json)
{
    cJSON *o = json ? cJSON_Parse(json) : NULL;
    if (!cJSON_IsObject(o) || !o->child) {
        cJSON_Delete(o);
        return;
    }
    fputs(label, out);
    for (const cJSON *c = o->child; c; c = c->next) {
        char num[32];
        if (cJSON_IsNumber(c)) {
            bo_number_for_people(c->valuedouble, num, sizeof num);
            fprintf(out, " %s=%s", c->string, num);
        } else if (cJSON_IsString(c))
            fprintf(out, " %s=%s", c->string, c->valuestring);
        else
            fprintf(out, " %s=-", c->string);
    }
    fputc('\n', out);
    cJSON_Delete(o);
}

/* The `bo` strategy's estimate of the best configuration on a noisy
 * objective: the complete trial with the lowest posterior mean. Stored in
 * meta "best_mean" ({"trial": T, "mean": M}) for `bo show`; *trial = -1
 * when the strategy is not `bo` or its model has too little data. */
static int store_best_mean(study *s, int64_t *trial, double *mean,
                           bo_error *err)
{
    *trial = -1;
    if (strcmp(s->set.strategy, "bo") != 0 || !s->strategy)
        return BO_OK;
    /* The deterministic mode holds outcomes back until a proposal needs
     * them: the recommendation is made from every trial. */
    int ready, rc = s->set.lag > 0 ? catch_up(s, s->n, &ready, err) : BO_OK;
    if (!rc)
        rc = bo_strategy_bo_best_mean(s->strategy, trial, mean, err);
    if (rc == BO_DONE || (rc == BO_OK && (*trial < 0 || !isfinite(*mean)))) {
        *trial = -1;
        return BO_OK;
    }
    if (rc)
        return rc;
    char text[96];
    snprintf(text, sizeof text, "{\"trial\":%" PRId64 ",\"mean\":%.17g}",
             *trial, *mean);
    /* A summary that cannot be stored (a full disk) must not fail a study
     * whose trials are all safe: `bo show` then just lacks it. */
    bo_error ignored;
    (void)bo_storage_set_meta(s->storage, "best_mean", text, &ignored);
    return BO_OK;
}

static int report_best(study *s, bo_error *err)
{
    FILE *out = s->opt->out;
    if (s->best_trial < 0) {
        char *logs = log_dir_for(bo_storage_path(s->storage));
        bo_error_set(err, BO_ERUNTIME, "%s: no trial completed%s; see the "
                     "trial logs in %s/", bo_storage_path(s->storage),
                     s->exhausted ? " (and the strategy has no more points: "
                                    "every one was tried)" : "",
                     logs ? logs : "the study's .logs folder");
        free(logs);
        return BO_ERUNTIME;
    }
    int64_t mean_trial;
    double mean = NAN;
    int mrc = store_best_mean(s, &mean_trial, &mean, err);
    if (mrc)
        return mrc;
    if (!out)
        return BO_OK;
    bo_trial_record *recs = NULL;
    size_t n = 0;
    int rc = bo_storage_load_trials(s->storage, &recs, &n, err);
    if (rc)
        return rc;
    const bo_trial_record *b = (size_t)s->best_trial < n ? &recs[s->best_trial] : NULL;
    fprintf(out, "best: trial %" PRId64 ", loss %.10g\n", s->best_trial,
            s->best_loss);
    if (b)
        print_pairs(out, "  params:", b->params_json);
    if (b)
        print_pairs(out, "  metrics:", b->metrics_json);
    /* trials are stored in number order from 0 */
    const bo_trial_record *m =
        mean_trial >= 0 && (size_t)mean_trial < n ? &recs[mean_trial] : NULL;
    if (m && m->loss > s->best_loss)
        /* the model's call, which a noise-free objective contradicts (it
         * may fit noise that is not there) */
        fprintf(out, "  best posterior mean: trial %" PRId64 ", %.10g (the "
                "model's estimate of its loss without noise: it reads trial "
                "%" PRId64 "'s lower loss as partly noise; if the objective "
                "has none, trial %" PRId64 " is the pick)\n", mean_trial, mean,
                s->best_trial, s->best_trial);
    else if (mean_trial >= 0)
        fprintf(out, "  best posterior mean: trial %" PRId64 ", %.10g (the "
                "model's estimate of its loss without noise)\n", mean_trial,
                mean);
    if (s->exhausted)
        fprintf(out, "  the %s strategy has no more points: %zu of %" PRId64
                " trials run%s\n", s->set.strategy, s->n, s->set.trials,
                strcmp(s->set.strategy, "grid") == 0
                ? " (the grid has as many levels per parameter as fit its "
                  "first trial count, at least 2; the spec's strategy.levels "
                  "sets them)" : " (every point of the space was tried)");
    fprintf(out, "  study: %s (%zu trials)\n", bo_storage_path(s->storage), n);
    if (s->set.lag > 0)
        fprintf(out, "  deterministic (K = %" PRId64 "): %.1f s waited for "
                "older trials with a worker idle\n", s->set.lag, s->waited_s);
    bo_trial_records_free(recs, n);
    return BO_OK;
}

static void study_close(study *s)
{
    bo_strategy_free(s->strategy);
    bo_early_stop_free(s->early_stop);
    bo_runner_free(s->runner);
    char why[128];
    if (s->exec.close && s->exec.close(s->exec.impl, why, sizeof why))
        /* every result is stored by now: a note, not a failure */
        fprintf(stderr, "bo: note: " BO_RUNNER_CLOSE_CRASH ": %s\n", why);
    bo_space_free(s->default_space);
    bo_storage_close(s->storage);
    bo_spec_free(s->spec);
    free(s->u);
    free(s->values);
    free(s->hist_u);
    free(s->hist_origin);
    free(s->hist_state);
    free(s->hist_loss);
    free(s->hist_cost);
    free(s->stale);
}

static void study_init(study *s, const bo_study_options *opt)
{
    memset(s, 0, sizeof *s);
    s->opt = opt;
    s->best_trial = -1;
    s->best_loss = INFINITY;
    /* A full disk must surface as a failed write, not kill the process. */
    signal(SIGXFSZ, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    /* The coordinator's linear algebra (the GP) runs OpenBLAS on one
     * thread: its matrices are small, the workers want the cores, and a
     * fixed count keeps proposals the same bit for bit on any machine.
     * Workers are separate processes with their own share. */
    openblas_set_num_threads(1);
}

/* A parameter as one line of text, every bit of its bounds kept: what the
 * study stores of its space, and what a continuation compares. */
static char *param_text(const bo_param_spec *p)
{
    if (p->type == BO_PARAM_CATEGORICAL) {
        cJSON *c = cJSON_CreateStringArray(p->choices, (int)p->n_choices);
        char *choices = c ? cJSON_PrintUnformatted(c) : NULL;
        cJSON_Delete(c);
        char *t = choices ? bo_aprintf("%s categorical %s", p->name, choices)
                          : NULL;
        free(choices);
        return t;
    }
    char lo[40], hi[40];
    bo_json_number_text(p->low, lo, sizeof lo);
    bo_json_number_text(p->high, hi, sizeof hi);
    return bo_aprintf("%s %s [%s, %s]%s", p->name,
                      p->type == BO_PARAM_INT ? "int" : "float", lo, hi,
                      p->log ? " log" : "");
}

/* The space as a JSON array of param_text lines. */
static char *space_text(const bo_space *sp)
{
    cJSON *a = cJSON_CreateArray();
    int ok = a != NULL;
    for (size_t i = 0; ok && i < bo_space_n_params(sp); i++) {
        char *t = param_text(bo_space_param(sp, i));
        ok = t && cJSON_AddItemToArray(a, cJSON_CreateString(t));
        free(t);
    }
    char *text = ok ? cJSON_PrintUnformatted(a) : NULL;
    cJSON_Delete(a);
    return text;
}

/* A continued study must search the space it was made with: a plugin
 * rebuilt with another default space would put values of unknown
 * parameters in its rows and decode old points wrongly. Studies made
 * before the space was stored are checked by their parameter names. */
static int check_space_unchanged(study *s, const char *db, bo_error *err)
{
    char *stored = NULL, *names = NULL, *now = space_text(s->space);
    int rc = now ? BO_OK : bo_error_set(err, BO_ENOMEM, "out of memory");
    if (!rc)
        rc = bo_storage_get_meta(s->storage, "space", &stored, err);
    if (!rc && !stored)
        rc = bo_storage_get_meta(s->storage, "param_names", &names, err);
    cJSON *was = rc ? NULL : cJSON_Parse(stored ? stored : names);
    cJSON *is = rc ? NULL : cJSON_Parse(now);
    if (!rc && (!cJSON_IsArray(was) || !is))
        rc = bo_error_set(err, BO_EIO, "%s: the study's stored space does "
                          "not read", db);
    int n_was = rc ? 0 : cJSON_GetArraySize(was);
    int n_is = rc ? 0 : cJSON_GetArraySize(is);
    for (int i = 0; !rc && (i < n_was || i < n_is); i++) {
        const char *a = cJSON_GetStringValue(cJSON_GetArrayItem(was, i));
        const char *b = cJSON_GetStringValue(cJSON_GetArrayItem(is, i));
        if (b && !stored) /* names only: this parameter's name */
            b = bo_space_param(s->space, (size_t)i)->name;
        if (a && b && strcmp(a, b) == 0)
            continue;
        rc = bo_error_set(err, BO_EINVAL, "%s: the objective's space is not "
                          "the study's any more: parameter %d was %s%.200s%s, "
                          "is now %s%.200s%s (a changed objective makes a new "
                          "study: bo run with --db another file)", db, i,
                          a ? "'" : "", a ? a : "absent", a ? "'" : "",
                          b ? "'" : "", b ? b : "absent", b ? "'" : "");
    }
    /* a study made before the space was stored: from now on it is */
    if (!rc && !stored)
        rc = bo_storage_set_meta(s->storage, "space", now, err);
    cJSON_Delete(was);
    cJSON_Delete(is);
    free(stored);
    free(names);
    free(now);
    return rc;
}

static int store_space_meta(study *s, bo_error *err)
{
    cJSON *names = cJSON_CreateArray();
    for (size_t i = 0; names && i < s->n_params; i++)
        cJSON_AddItemToArray(names,
                             cJSON_CreateString(bo_space_param(s->space, i)->name));
    char *text = names ? cJSON_PrintUnformatted(names) : NULL;
    cJSON_Delete(names);
    if (!text)
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    int rc = bo_storage_set_meta(s->storage, "param_names", text, err);
    free(text);
    text = rc ? NULL : space_text(s->space);
    if (!rc && !text)
        rc = bo_error_set(err, BO_ENOMEM, "out of memory");
    if (!rc)
        rc = bo_storage_set_meta(s->storage, "space", text, err);
    free(text);
    char dim[32];
    snprintf(dim, sizeof dim, "%zu", s->dim);
    if (!rc)
        rc = bo_storage_set_meta(s->storage, "dim", dim, err);
    return rc;
}

static int store_settings(study *s, bo_error *err)
{
    char *text = settings_to_json(&s->set);
    if (!text)
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    int rc = bo_storage_set_meta(s->storage, "settings", text, err);
    free(text);
    return rc;
}

static int spec_default_db(const bo_spec *spec, char *buf, size_t len,
                           bo_error *err)
{
    if ((size_t)snprintf(buf, len, "%s.db", spec->name) >= len)
        return bo_error_set(err, BO_EINVAL, "%s: name: too long", spec->path);
    return BO_OK;
}

static int write_study_meta(study *s, bo_error *err)
{
    /* Absolute, but symlinks kept: relative paths in the spec resolve from
     * the folder it was named in (spec.c), on resume as on the first run;
     * realpath() would move that folder to a symlink's target. */
    char abs_spec[PATH_MAX];
    const char *sp = s->opt->spec_path;
    if (bo_path_absolute(sp, abs_spec, sizeof abs_spec) != 0)
        snprintf(abs_spec, sizeof abs_spec, "%s", sp);
    int rc = bo_storage_set_meta(s->storage, "spec", s->spec->json, err);
    if (!rc)
        rc = bo_storage_set_meta(s->storage, "spec_path", abs_spec, err);
    if (!rc)
        rc = bo_storage_set_meta(s->storage, "version", BO_VERSION_STRING, err);
    if (!rc)
        rc = store_settings(s, err);
    if (!rc)
        rc = store_space_meta(s, err);
    char *files = rc ? NULL : bo_objective_files_json(s->spec);
    if (!rc && !files)
        rc = bo_error_set(err, BO_ENOMEM, "out of memory");
    if (!rc)
        rc = bo_storage_set_meta(s->storage, "objective_files", files, err);
    free(files);
    return rc;
}

/* A continuation whose objective's files changed since: said once (the
 * study then records them as they are now); the trials before and after
 * may not compare. Nothing is refused: fixing a bug in one's objective
 * and going on is the user's call. */
static void note_objective_files(study *s, const char *db)
{
    char *was = NULL, *now = bo_objective_files_json(s->spec), name[512];
    bo_error ignored;
    if (!now || bo_storage_get_meta(s->storage, "objective_files", &was,
                                    &ignored) != BO_OK) {
        free(now);
        return;
    }
    int differ = bo_objective_files_differ(was, now, name, sizeof name);
    if (differ)
        fprintf(stderr, "bo: note: %s: the objective's file %s changed since "
                "the study's earlier trials; the new ones may not compare "
                "with them\n", db, name);
    /* a study made before they were stored starts recording them */
    if (differ || !was)
        (void)bo_storage_set_meta(s->storage, "objective_files", now,
                                  &ignored);
    free(was);
    free(now);
}

/* A new study appears whole or not at all: it is written under a private
 * name with everything resume needs, then linked into place (link fails
 * rather than replace a file that appeared meanwhile). A kill -9 during
 * creation leaves at most the private file, never a study that cannot be
 * resumed; the next creation of that study removes such files whose
 * process is gone. */
static void remove_stale_creations(const char *db)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(db, '/');
    const char *base = slash ? slash + 1 : db;
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if ((size_t)(slash - db) < sizeof dir)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash == db ? 1 : slash - db),
                 db);
    else
        return;
    char prefix[NAME_MAX + 16];
    if ((size_t)snprintf(prefix, sizeof prefix, "%s.creating-", base) >=
        sizeof prefix)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t pl = strlen(prefix);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, pl) != 0)
            continue;
        char *end;
        long pid = strtol(e->d_name + pl, &end, 10);
        if (end == e->d_name + pl || pid <= 0 ||
            (*end && strcmp(end, "-wal") && strcmp(end, "-shm") &&
             strcmp(end, "-journal")))
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* its creator may still be at work */
        char path[PATH_MAX];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) <
            sizeof path)
            unlink(path);
    }
    closedir(d);
}

/* The study appeared after this run found no file there: another run of
 * it started at the same moment, and is most likely running it. */
static int made_meanwhile(const char *db, bo_error *err)
{
    if (bo_study_lock_in_use(db) == 1)
        return bo_error_set(err, BO_EIO, "%s: study is in use by another "
                            "process (another bo run made it just now)", db);
    return bo_error_set(err, BO_EIO, "%s: another bo run made this study just "
                        "now: the same command again continues it", db);
}

static int create_study_file(study *s, const char *db, bo_error *err)
{
    if (access(db, F_OK) == 0)
        return made_meanwhile(db, err);
    int why = errno;
    /* a link to nothing (access follows it, link would not replace it) */
    struct stat ls;
    if (lstat(db, &ls) == 0 && S_ISLNK(ls.st_mode)) {
        char to[PATH_MAX];
        ssize_t n = readlink(db, to, sizeof to - 1);
        to[n > 0 ? n : 0] = '\0';
        return bo_error_set(err, BO_EINVAL, "%s: a symbolic link to '%s', "
                            "which %s%s: give --db the study's own path", db,
                            to, why == ELOOP    ? "leads round in a loop"
                                : why == ENOENT ? "does not exist"
                                                : "cannot be reached: ",
                            why == ELOOP || why == ENOENT ? ""
                                                          : strerror(why));
    }
    char tmp[PATH_MAX];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.creating-%ld", db,
                         (long)getpid()) >= sizeof tmp)
        return bo_error_set(err, BO_EINVAL, "%s: path too long", db);
    unlink(tmp);
    /* what a creation killed earlier left (its process is gone) */
    remove_stale_creations(db);
    int rc = bo_storage_open(tmp, BO_STORAGE_CREATE, &s->storage, err);
    if (!rc)
        rc = write_study_meta(s, err);
    if (rc)
        bo_error_prefix(err, "%s: cannot create the study", db);
    bo_storage_close(s->storage);
    s->storage = NULL;
    if (!rc && link(tmp, db) != 0) {
        int e = errno;
        if (e == EEXIST)
            rc = made_meanwhile(db, err);
        else if (e == EPERM && rename(tmp, db) == 0)
            e = 0; /* a filesystem without hard links */
        else
            rc = bo_error_set(err, BO_EIO, "%s: cannot create the study: %s",
                              db, strerror(e));
    }
    unlink(tmp);
    if (!rc)
        rc = bo_storage_open(db, BO_STORAGE_OPEN, &s->storage, err);
    return rc;
}

/* Whether the study in `db` was made by this very spec and settings. The
 * trial count is not one of them: `bo resume --trials` changes it, and
 * the command that made the study must still continue it (to the stored
 * count, or to --trials where given). */
static int stored_study_matches(const study *s, const char *db, char *why,
                                size_t why_len, int64_t *stored_trials,
                                int *same_text, bo_error *err)
{
    snprintf(why, why_len, "it is not a study this command made");
    *stored_trials = -1;
    *same_text = 0;
    bo_storage *st = NULL;
    char *spec_json = NULL, *set_json = NULL;
    int rc = bo_storage_open(db, BO_STORAGE_READ, &st, err);
    if (!rc)
        rc = bo_storage_get_meta(st, "spec", &spec_json, err);
    if (!rc)
        rc = bo_storage_get_meta(st, "settings", &set_json, err);
    settings stored;
    memset(&stored, 0, sizeof stored);
    /* a bo study (it has a spec) whose settings do not read: damaged, not
     * another study */
    if (!rc && spec_json)
        rc = settings_from_json(db, set_json, &stored, err);
    if (!rc && spec_json) {
        /* the first difference, named: "same" is an empty why. How far,
         * how fast and within what limits it runs may change; they are
         * not what the study is. */
        static const char *const how[] = {"workers", "timeout_s",
                                          "memory_mb", "max_failures",
                                          "trials"};
        /* a grid's points come from its trial count: not for a grid */
        int grid = strcmp(stored.strategy, "grid") == 0;
        size_t n_how = sizeof how / sizeof *how - (grid ? 1 : 0);
        char key[128];
        int d = bo_spec_first_difference(spec_json, s->spec->json, how,
                                         n_how, key, sizeof key);
        if (d > 0 && grid && strcmp(key, "trials") == 0)
            snprintf(why, why_len, "its spec differs at \"trials\", which "
                     "sets a grid's points");
        else if (d > 0)
            snprintf(why, why_len, "its spec differs at \"%.127s\"", key);
        else if (d < 0)
            snprintf(why, why_len, "its spec differs");
        else if (stored.seed != s->set.seed)
            snprintf(why, why_len, "its seed is %" PRIu64 ", not %" PRIu64,
                     stored.seed, s->set.seed);
        else if (strcmp(stored.strategy, s->set.strategy) != 0)
            snprintf(why, why_len, "its strategy is %s, not %s",
                     stored.strategy, s->set.strategy);
        else if (stored.lag && s->set.lag && stored.lag != s->set.lag)
            snprintf(why, why_len, "it is deterministic with K = %" PRId64
                     ", not %" PRId64 " (the workers or evaluator ranks)",
                     stored.lag, s->set.lag);
        else if (stored.lag != s->set.lag)
            snprintf(why, why_len, stored.lag ? "it is deterministic"
                                              : "it is not deterministic");
        else
            why[0] = '\0';
        /* what a continuation needs: the stored spec's trial count, and
         * whether this spec is its very text */
        bo_spec *old = NULL;
        bo_error ignored;
        if (bo_spec_parse(spec_json, strlen(spec_json), NULL, &old,
                          &ignored) == BO_OK)
            *stored_trials = old->trials;
        bo_spec_free(old);
        *same_text = bo_spec_same_text(spec_json, s->spec->json);
    }
    free(spec_json);
    free(set_json);
    bo_storage_close(st);
    return rc;
}

/* The log folder this run made and no study holds: its describe step's
 * log, then the folder if nothing else is in it. */
static void remove_new_logs(const study *s)
{
    if (!s->new_logs[0])
        return;
    char log[PATH_MAX + 16];
    snprintf(log, sizeof log, "%s/describe.log", s->new_logs);
    unlink(log);
    rmdir(s->new_logs);
}

int bo_study_run(const bo_study_options *opt, bo_error *err)
{
    study s;
    study_init(&s, opt);
    int rc = bo_spec_load(opt->spec_path, &s.spec, err);
    if (rc)
        return rc;
    s.set.trials = opt->trials > 0 ? opt->trials : s.spec->trials;
    s.set.seed = opt->has_seed ? opt->seed : s.spec->seed;
    snprintf(s.set.strategy, sizeof s.set.strategy, "%s",
             opt->strategy ? opt->strategy : s.spec->strategy);
    s.set.workers = opt->remote ? opt->remote->workers
                    : opt->workers > 0 ? opt->workers : s.spec->workers;
    s.set.budget = s.set.trials;
    s.set.lag = opt->deterministic ? s.set.workers : 0;

    char dbbuf[PATH_MAX];
    const char *db = opt->db_path;
    if (!db) {
        rc = spec_default_db(s.spec, dbbuf, sizeof dbbuf, err);
        db = dbbuf;
    }
    /* before anything is made beside it; with room for the name it is
     * created under (".creating-" and a pid of up to 7 digits) */
    if (!rc)
        rc = bo_storage_check_path(db, 17, err);
    /* Running the same command again continues the study it made (and
     * only reports it when it is finished); a different spec or seed must
     * not be mixed into it. */
    if (!rc && access(db, F_OK) == 0) {
        char why[256];
        int64_t t0;
        int same_text;
        rc = stored_study_matches(&s, db, why, sizeof why, &t0, &same_text,
                                  err);
        if (!rc && why[0])
            rc = bo_error_set(err, BO_EINVAL,
                              "%s: already holds a different study (%s): use "
                              "bo resume %s, or --db another file", db, why,
                              db);
        if (!rc) {
            bo_study_options again = *opt;
            again.db_path = db;
            /* The trial count the spec changed since the study was made
             * (or last continued) applies, unless --trials says otherwise
             * (an unchanged spec keeps a count --trials set before); the
             * workers are this command's, flag or spec, as for a new
             * study. The changed spec is the study's from now on. */
            if (again.trials <= 0 && t0 != s.spec->trials)
                again.trials = s.spec->trials;
            if (again.workers <= 0)
                again.workers = s.spec->workers;
            /* outlives the study closed next, which owns the spec */
            char *respec = same_text ? NULL : strdup(s.spec->json);
            again.respec = respec;
            study_close(&s);
            rc = bo_study_resume(&again, err);
            free(respec);
            return rc;
        }
    }
    /* The objective is checked before the study file is made, so a spec
     * mistake leaves nothing behind. */
    if (!rc)
        rc = open_objective(&s, db, err);
    if (!rc)
        rc = create_study_file(&s, db, err);
    if (!rc)
        s.new_logs[0] = '\0'; /* the study's now, whatever happens */
    if (!rc)
        rc = open_strategy(&s, err);
    if (!rc && opt->out)
        fprintf(opt->out,
                "study %s: %" PRId64 " trials, strategy %s, seed %" PRIu64
                ", %" PRId64 " %s%s -> %s\n",
                s.spec->name, s.set.trials, s.set.strategy, s.set.seed,
                s.set.workers, opt->remote ? "MPI evaluator(s)" : "worker(s)",
                s.set.lag ? ", deterministic" : "", db);
    if (!rc && opt->out && (int64_t)s.spec->n_enqueue > s.set.trials)
        fprintf(opt->out, "note: the spec enqueues %zu points; the first %"
                PRId64 " (trials) run\n", s.spec->n_enqueue, s.set.trials);
    if (!rc && opt->out && opt->remote &&
        (opt->workers > 1 || (opt->workers <= 0 && s.spec->workers > 1)))
        fprintf(opt->out, "note: under MPI each evaluator rank runs one "
                "trial at a time; the workers setting is not used (-np "
                "sets how many)\n");
    if (!rc)
        rc = execute(&s, err);
    if (!rc)
        rc = report_best(&s, err);
    study_close(&s); /* the workers are gone: nothing writes there now */
    /* another run of the same study may have made it meanwhile: then the
     * folder is that run's */
    if (access(db, F_OK) != 0)
        remove_new_logs(&s);
    return rc;
}

int bo_study_check(const bo_spec *spec, bo_error *err)
{
    /* The objective's describe step writes a log: into a folder of its
     * own, removed after. */
    char tmp[] = "/tmp/bo-check-XXXXXX";
    if (!mkdtemp(tmp))
        return bo_error_set(err, BO_EIO, "cannot make a folder in /tmp: %s",
                            strerror(errno));
    bo_study_options opt = {.workers = 1, .spec_path = spec->path};
    study s;
    study_init(&s, &opt);
    s.spec = (bo_spec *)spec; /* borrowed: study_close must not free it */
    s.set.workers = 1;
    char db[sizeof tmp + 16];
    snprintf(db, sizeof db, "%s/check.db", tmp);
    int rc = open_objective(&s, db, err);
    s.spec = NULL;
    study_close(&s);
    remove_new_logs(&s);
    rmdir(tmp);
    return rc;
}

int bo_study_resume(const bo_study_options *opt, bo_error *err)
{
    study s;
    study_init(&s, opt);
    char *spec_json = NULL, *spec_path = NULL, *set_json = NULL;
    int rc = bo_storage_open(opt->db_path, BO_STORAGE_OPEN, &s.storage, err);
    if (!rc) /* holding the study's lock: no creation of it is under way */
        remove_stale_creations(opt->db_path);
    if (!rc)
        rc = bo_storage_get_meta(s.storage, "spec", &spec_json, err);
    if (!rc)
        rc = bo_storage_get_meta(s.storage, "spec_path", &spec_path, err);
    if (!rc)
        rc = bo_storage_get_meta(s.storage, "settings", &set_json, err);
    if (!rc && (!spec_json || !spec_path))
        rc = bo_error_set(err, BO_EIO, "%s: the study has no stored spec",
                          opt->db_path);
    if (!rc)
        rc = settings_from_json(opt->db_path, set_json, &s.set, err);
    if (!rc && opt->respec &&
        !(rc = bo_storage_set_meta(s.storage, "spec", opt->respec, err))) {
        free(spec_json);
        if (!(spec_json = strdup(opt->respec)))
            rc = bo_error_set(err, BO_ENOMEM, "out of memory");
    }
    /* The stored text, not the file (which may have changed since), is the
     * study's spec; the file's folder still anchors relative paths. */
    if (!rc &&
        (rc = bo_spec_parse(spec_json, strlen(spec_json), spec_path, &s.spec,
                            err))) {
        /* It loaded when the study was made: the copy in the study file
         * was changed, or this bo reads specs more strictly. The spec file
         * named in the message is not what was read. */
        char why[sizeof err->message];
        snprintf(why, sizeof why, "%s", err->message);
        if (rc != BO_ENOMEM) {
            bo_error_set(err, BO_EIO, "%s: the study's stored copy of its "
                         "spec does not load (%s)", opt->db_path, why);
            rc = BO_EIO;
        }
    }
    free(spec_json);
    free(spec_path);
    free(set_json);
    /* A new trial count or local worker count is the study's from now on
     * (a later resume without --workers runs with as many as this one);
     * MPI evaluator ranks are the launcher's, not the study's. */
    int64_t trials0 = s.set.trials, workers0 = s.set.workers;
    if (!rc && opt->trials > 0)
        s.set.trials = opt->trials;
    if (!rc && opt->workers > 0 && !opt->remote)
        s.set.workers = opt->workers;
    if (!rc && (s.set.trials != trials0 || s.set.workers != workers0))
        rc = store_settings(&s, err);
    if (!rc && opt->remote)
        s.set.workers = opt->remote->workers;
    if (!rc)
        rc = open_objective(&s, opt->db_path, err);
    if (!rc)
        rc = check_space_unchanged(&s, opt->db_path, err);
    if (!rc)
        note_objective_files(&s, opt->db_path);
    if (!rc)
        rc = open_strategy(&s, err);
    if (!rc)
        rc = replay(&s, err);
    if (!rc && opt->out)
        fprintf(opt->out,
                "study %s: resuming at %zu stored trials (%zu to re-run), "
                "target %" PRId64 "%s, %" PRId64 " %s%s -> %s\n",
                s.spec->name, s.n, s.n_stale, s.set.trials,
                !s.n_stale && s.n >= (size_t)s.set.trials
                    ? " (reached: nothing to run)" : "",
                s.set.workers, opt->remote ? "MPI evaluator(s)" : "worker(s)",
                s.set.lag ? ", deterministic" : "", opt->db_path);
    if (!rc)
        rc = execute(&s, err);
    if (!rc)
        rc = report_best(&s, err);
    study_close(&s);
    return rc;
}
