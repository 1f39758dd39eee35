/*
 * compare_runs.c — the runs of a comparison: naming their study files,
 * telling a finished run from one to resume, starting each as a child
 * `bo` process, and loading what it stored.
 *
 * A run is a whole `bo run` in its own process, so that K of them run at
 * once without sharing BLAS threads, a database or a plugin, and so that
 * one comparison run proposes exactly what `bo run` alone would. This file
 * never writes a study itself: it only reads them (read-only opens, which
 * a running `bo` allows) and removes nothing but its own temporary files.
 */
#include "aprintf.h"
#include "compare.h"
#include "objective_files.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "spec_impl.h"

void bo_compare_plan_free(bo_compare_plan *p)
{
    for (size_t i = 0; i < p->n_obj; i++) {
        free(p->obj[i].name);
        free(p->obj[i].spec_path);
        free(p->obj[i].spec_json);
        free(p->obj[i].files_json);
    }
    free(p->obj);
    for (size_t i = 0; i < p->n_strat; i++)
        free(p->strategy[i]);
    free(p->strategy);
    for (size_t i = 0; i < p->n_runs; i++) {
        bo_compare_run *r = &p->runs[i];
        free(r->db);
        free(r->log);
        bo_trial_records_free(r->recs, r->n);
        free(r->best);
    }
    free(p->runs);
    memset(p, 0, sizeof *p);
}


static int make_dir(const char *dir, bo_error *err)
{
    struct stat sb;
    if (mkdir(dir, 0777) == 0)
        return BO_OK;
    int e = errno;
    if (e == EEXIST && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
        return BO_OK;
    /* the folder asked for cannot be: the command's mistake (exit 2) */
    if (e == EEXIST)
        return bo_error_set(err, BO_EINVAL, "%s: exists and is not a folder",
                            dir);
    return bo_error_set(err, e == ENOENT || e == ENOTDIR ? BO_EINVAL : BO_EIO,
                        "%s: cannot create the folder: %s", dir, strerror(e));
}

/* Whether `name` is a comparison's run file, NAME-STRATEGY-sN.db, of any
 * plan (an earlier comparison's may hold other objectives). */
static int run_file(const char *name)
{
    static const char *const strategies[] = {"-bo-s", "-random-s", "-sobol-s",
                                             "-grid-s"};
    size_t len = strlen(name);
    if (len < 4 || strcmp(name + len - 3, ".db") != 0)
        return 0;
    const char *e = name + len - 3; /* digits run back from ".db" */
    const char *d = e;
    while (d > name && isdigit((unsigned char)d[-1]))
        d--;
    if (d == e)
        return 0;
    for (size_t s = 0; s < sizeof strategies / sizeof *strategies; s++) {
        size_t n = strlen(strategies[s]);
        if ((size_t)(d - name) > n && strncmp(d - n, strategies[s], n) == 0)
            return 1;
    }
    return 0;
}

/* Whether dir holds an earlier comparison: the lock every comparison
 * takes (runs/.lock), a run file in runs/ (one made by hand, by a
 * comparison killed before its lock, or by one before there were locks),
 * or a manifest bo compare wrote. A runs/ folder alone is not one (TensorBoard's default folder),
 * nor any manifest.json. */
static int compare_dir(const char *dir)
{
    char *lock = bo_aprintf("%s/runs/.lock", dir);
    int ours = lock && access(lock, F_OK) == 0;
    free(lock);
    char *runs = ours ? NULL : bo_aprintf("%s/runs", dir);
    DIR *d = runs ? opendir(runs) : NULL;
    free(runs);
    for (struct dirent *e; d && !ours && (e = readdir(d));)
        ours = run_file(e->d_name);
    if (d)
        closedir(d);
    char *path = ours ? NULL : bo_aprintf("%s/manifest.json", dir);
    FILE *f = path ? fopen(path, "rb") : NULL;
    free(path);
    if (f) {
        char buf[4096];
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
        fclose(f);
        /* its first keys: "command": ["...bo", "compare", ...] */
        ours = strstr(buf, "\"compare\"") && strstr(buf, "\"command\"");
    }
    return ours;
}

/* A folder that holds files but no comparison is someone else's: its
 * trials.csv, summary.csv, ... would be overwritten. */
static int foreign_dir(const char *dir, bo_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return BO_OK; /* made next, or reported by make_dir */
    int others = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            others = 1;
    closedir(d);
    if (others && !compare_dir(dir))
        return bo_error_set(err, BO_EINVAL, "%s: holds other files and no "
                            "comparison (no runs/.lock, no manifest of bo "
                            "compare): choose an empty or new --out folder",
                            dir);
    return BO_OK;
}

char *bo_compare_runs_glob(const bo_compare_plan *p, size_t o,
                           const char *ext)
{
    /* one pattern per strategy (NAME-* would also match objective
     * NAME-x's runs; braces are not every shell's) */
    char *all = NULL;
    for (size_t s = 0; s < p->n_strat; s++) {
        char *next = bo_aprintf("%s%s%s/runs/%s-%s-s*%s", all ? all : "",
                                all ? " " : "", p->out_dir, p->obj[o].name,
                                p->strategy[s], ext);
        free(all);
        if (!(all = next))
            return NULL;
    }
    return all;
}

int bo_compare_plan_runs(bo_compare_plan *p, bo_error *err)
{
    int rc = foreign_dir(p->out_dir, err);
    if (!rc)
        rc = make_dir(p->out_dir, err);
    char *runs_dir = bo_aprintf("%s/runs", p->out_dir);
    if (!rc && !runs_dir)
        rc = bo_error_set(err, BO_ENOMEM, "out of memory");
    if (!rc)
        rc = make_dir(runs_dir, err);
    free(runs_dir);
    if (rc)
        return rc;
    p->n_runs = p->n_obj * p->n_strat * p->n_seeds;
    p->runs = calloc(p->n_runs ? p->n_runs : 1, sizeof *p->runs);
    if (!p->runs)
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    size_t k = 0;
    for (size_t o = 0; o < p->n_obj; o++)
        for (size_t s = 0; s < p->n_strat; s++)
            for (size_t i = 0; i < p->n_seeds; i++, k++) {
                bo_compare_run *r = &p->runs[k];
                r->obj = o;
                r->strat = s;
                r->seed = p->seed_base + i;
                r->db = bo_aprintf("%s/runs/%s-%s-s%" PRIu64 ".db", p->out_dir,
                                    p->obj[o].name, p->strategy[s], r->seed);
                r->log = bo_aprintf("%s/runs/%s-%s-s%" PRIu64 ".log", p->out_dir,
                                     p->obj[o].name, p->strategy[s], r->seed);
                if (!r->db || !r->log)
                    return bo_error_set(err, BO_ENOMEM, "out of memory");
            }
    return BO_OK;
}

/* ------------------------------------------------------------ run state */

/* The stored settings must be this run's: same strategy and seed. */
static int check_settings(const bo_compare_plan *p, const bo_compare_run *r,
                          const char *text, bo_error *err)
{
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(j, "strategy");
    const cJSON *sd = cJSON_GetObjectItemCaseSensitive(j, "seed");
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(j, "budget");
    int ok = cJSON_IsString(st) && cJSON_IsNumber(sd) &&
             strcmp(st->valuestring, p->strategy[r->strat]) == 0 &&
             (uint64_t)sd->valuedouble == r->seed;
    /* A grid is built for the trials it was given: more trials later
     * would extend the old grid, not make the one --trials asks for. */
    int grid_budget = ok && strcmp(st->valuestring, "grid") == 0 &&
                      cJSON_IsNumber(b) && (int64_t)b->valuedouble != p->trials;
    int64_t budget = grid_budget ? (int64_t)b->valuedouble : 0;
    cJSON_Delete(j);
    if (!ok)
        return bo_error_set(err, BO_EINVAL,
                            "%s: holds a study with another strategy or seed; "
                            "this --out folder belongs to another comparison",
                            r->db);
    if (grid_budget)
        return bo_error_set(err, BO_EINVAL,
                            "%s: holds a grid made for %" PRId64 " trials, not "
                            "%" PRId64 " (a grid depends on its budget); "
                            "remove it or choose another --out folder",
                            r->db, budget, p->trials);
    return BO_OK;
}

int bo_compare_run_state(const bo_compare_plan *p, const bo_compare_run *r,
                         int *state, bo_error *err)
{
    if (access(r->db, F_OK) != 0) {
        *state = BO_COMPARE_NEW;
        return BO_OK;
    }
    bo_storage *st = NULL;
    char *spec = NULL, *settings = NULL;
    bo_trial_record *recs = NULL;
    size_t n = 0;
    int rc = bo_storage_open(r->db, BO_STORAGE_READ, &st, err);
    if (!rc)
        rc = bo_storage_get_meta(st, "spec", &spec, err);
    if (!rc)
        rc = bo_storage_get_meta(st, "settings", &settings, err);
    if (!rc && !bo_spec_same_text(spec, p->obj[r->obj].spec_json)) {
        char *glob = bo_compare_runs_glob(p, r->obj, "");
        rc = bo_error_set(err, BO_EINVAL,
                          "%s: was run from another version of %s; remove "
                          "that spec's runs (%s) or choose another --out "
                          "folder", r->db, p->obj[r->obj].spec_path,
                          glob ? glob : "?");
        free(glob);
    }
    if (!rc)
        rc = check_settings(p, r, settings, err);
    if (!rc)
        rc = bo_storage_load_trials(st, &recs, &n, err);
    char *exhausted = NULL, *gave_up = NULL;
    if (!rc)
        rc = bo_storage_get_meta(st, "exhausted", &exhausted, err);
    if (!rc)
        rc = bo_storage_get_meta(st, "gave_up", &gave_up, err);
    if (!rc) {
        /* Finished: its trials are, or its strategy had no more points
         * and every trial it proposed is, or it stopped after max_failures
         * failures in a row (again, it would only add one more). */
        int64_t finished = 0;
        int64_t target = exhausted ? strtoll(exhausted, NULL, 10) : p->trials;
        int64_t stopped_at = gave_up ? strtoll(gave_up, NULL, 10) : p->trials;
        if (stopped_at < target)
            target = stopped_at;
        if (target > p->trials)
            target = p->trials;
        for (size_t i = 0; i < n; i++)
            if (recs[i].number < p->trials && recs[i].state >= BO_TRIAL_COMPLETE)
                finished++;
        *state = finished >= target ? BO_COMPARE_FINISHED : BO_COMPARE_PARTIAL;
    }
    free(exhausted);
    free(gave_up);
    bo_trial_records_free(recs, n);
    free(spec);
    free(settings);
    bo_storage_close(st);
    return rc;
}

char *bo_compare_run_files(const bo_compare_run *r)
{
    bo_storage *st = NULL;
    char *files = NULL;
    bo_error ignored;
    if (access(r->db, F_OK) == 0 &&
        bo_storage_open(r->db, BO_STORAGE_READ, &st, &ignored) == BO_OK &&
        bo_storage_get_meta(st, "objective_files", &files, &ignored) != BO_OK)
        files = NULL;
    bo_storage_close(st);
    return files;
}

int bo_compare_run_files_changed(const bo_compare_plan *p,
                                 const bo_compare_run *r, char *name,
                                 size_t name_len)
{
    char *files = bo_compare_run_files(r);
    int changed = files && bo_objective_files_differ(
                               files, p->obj[r->obj].files_json, name, name_len);
    free(files);
    return changed;
}

/* ---------------------------------------------------------- child runs */

/* The error for a spec edited while the comparison runs: its runs would
 * mix two objectives in one table. */
static int spec_changed(const bo_compare_plan *p, size_t o, const char *what,
                        bo_error *err)
{
    char *glob = bo_compare_runs_glob(p, o, "");
    int rc = bo_error_set(err, BO_EINVAL,
                          "%s: changed while this comparison ran (%s): every "
                          "run of a table must read one text; restore it, or "
                          "remove its runs (%s) and run the command again",
                          p->obj[o].spec_path, what, glob ? glob : "?");
    free(glob);
    return rc;
}

/* The spec file still holds the text the comparison began with: a new
 * run (bo run) reads the file, not that text. */
static int spec_unchanged(const bo_compare_plan *p, size_t o, bo_error *err)
{
    bo_spec *now = NULL;
    bo_error ignored;
    int same = bo_spec_load(p->obj[o].spec_path, &now, &ignored) == BO_OK &&
               bo_spec_same_text(now->json, p->obj[o].spec_json);
    bo_spec_free(now);
    return same ? BO_OK : spec_changed(p, o, "before a run of it started", err);
}

int bo_compare_run_start(const bo_compare_plan *p, const bo_compare_run *r,
                         int state, const char *bo_exe, pid_t *pid,
                         bo_error *err)
{
    char seed[32], trials[32];
    snprintf(seed, sizeof seed, "%" PRIu64, r->seed);
    snprintf(trials, sizeof trials, "%" PRId64, p->trials);
    /* the file after "--": a name starting with '-' stays a file */
    const char *run_argv[] = {bo_exe, "run", "--db", r->db,
                              "--strategy", p->strategy[r->strat],
                              "--seed", seed, "--trials", trials,
                              "--workers", "1", "--", p->obj[r->obj].spec_path,
                              NULL};
    const char *resume_argv[] = {bo_exe, "resume", "--trials", trials,
                                 "--workers", "1", "--", r->db, NULL};
    char *const *argv = (char *const *)(state == BO_COMPARE_NEW ? run_argv
                                                                 : resume_argv);
    if (state == BO_COMPARE_NEW) {
        int rc = spec_unchanged(p, r->obj, err);
        if (rc)
            return rc;
    }
    int fd = open(r->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd < 0)
        return bo_error_set(err, BO_EIO, "%s: cannot open the run's log: %s",
                            r->log, strerror(errno));
    pid_t parent = getpid();
    /*
     * fork + exec rather than posix_spawn: the child must ask to die with
     * this process (PR_SET_PDEATHSIG) before it execs, which posix_spawn
     * cannot do. Between fork and exec the child calls only
     * async-signal-safe functions; this process holds no database or BLAS
     * work at that moment (runs are only read once they have ended).
     */
    pid_t child = fork();
    if (child < 0) {
        int e = errno;
        close(fd);
        return bo_error_set(err, BO_ERUNTIME, "%s: cannot start the run: %s",
                            r->db, strerror(e));
    }
    if (child == 0) {
        if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
            _exit(127);
        if (dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0)
            _exit(127);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, STDIN_FILENO);
        execv(bo_exe, argv);
        _exit(127);
    }
    close(fd);
    *pid = child;
    return BO_OK;
}

/* ------------------------------------------------------------- loading */

static double metric_optimum(const char *metrics_json)
{
    cJSON *m = metrics_json ? cJSON_Parse(metrics_json) : NULL;
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(m, "optimum");
    double v = cJSON_IsNumber(o) && isfinite(o->valuedouble) ? o->valuedouble : NAN;
    cJSON_Delete(m);
    return v;
}

int bo_compare_run_load(bo_compare_plan *p, bo_compare_run *r, bo_error *err)
{
    bo_storage *st = NULL;
    bo_trial_record *recs = NULL;
    size_t n = 0;
    char *spec = NULL;
    int rc = bo_storage_open(r->db, BO_STORAGE_READ, &st, err);
    if (!rc)
        rc = bo_storage_get_meta(st, "spec", &spec, err);
    /* the text its run read, in the last moment before it started */
    if (!rc && !bo_spec_same_text(spec, p->obj[r->obj].spec_json))
        rc = spec_changed(p, r->obj, "its run read another text", err);
    if (!rc)
        rc = bo_storage_load_trials(st, &recs, &n, err);
    free(spec);
    bo_storage_close(st);
    if (rc)
        return rc;
    /* Trials are ordered by number from 0; a study extended past this
     * comparison's budget keeps only its first `trials`. */
    size_t keep = 0;
    while (keep < n && recs[keep].number < p->trials)
        keep++;
    for (size_t i = keep; i < n; i++) {
        free(recs[i].u);
        free(recs[i].params_json);
        free(recs[i].metrics_json);
        free(recs[i].message);
    }
    r->recs = recs;
    r->n = keep;
    r->best = calloc(keep ? keep : 1, sizeof *r->best);
    if (!r->best)
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    double best = NAN;
    bo_compare_objective *o = &p->obj[r->obj];
    for (size_t i = 0; i < keep; i++) {
        const bo_trial_record *t = &recs[i];
        if (t->state == BO_TRIAL_COMPLETE && (isnan(best) || t->loss < best))
            best = t->loss;
        r->best[i] = best;
        if (t->state == BO_TRIAL_COMPLETE && isnan(o->optimum))
            o->optimum = metric_optimum(t->metrics_json);
    }
    return BO_OK;
}

double bo_compare_best_at(const bo_compare_run *r, int64_t count)
{
    if (count <= 0 || r->n == 0)
        return INFINITY;
    size_t i = (size_t)count < r->n ? (size_t)count - 1 : r->n - 1;
    return isnan(r->best[i]) ? INFINITY : r->best[i];
}

size_t bo_compare_strategy_index(const bo_compare_plan *p, const char *name)
{
    for (size_t s = 0; name && s < p->n_strat; s++)
        if (strcmp(p->strategy[s], name) == 0)
            return s;
    return (size_t)-1;
}

double bo_compare_final_best(const bo_compare_run *r)
{
    return bo_compare_best_at(r, INT64_MAX);
}

/* --------------------------------------------------------------- files */

int bo_compare_file_open(const char *path, FILE **f, bo_error *err)
{
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
        return bo_error_set(err, BO_EINVAL, "%s: path too long", path);
    *f = fopen(tmp, "w");
    if (!*f)
        return bo_error_set(err, BO_EIO, "%s: cannot write: %s", tmp,
                            strerror(errno));
    return BO_OK;
}

int bo_compare_file_commit(const char *path, FILE *f, bo_error *err)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int bad = ferror(f);
    if (fclose(f) != 0)
        bad = 1;
    if (bad) {
        unlink(tmp);
        return bo_error_set(err, BO_EIO, "%s: write failed (disk full?)", path);
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return bo_error_set(err, BO_EIO, "%s: cannot rename into place: %s",
                            path, strerror(e));
    }
    return BO_OK;
}
