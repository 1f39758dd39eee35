/*
 * compare_manifest.c — manifest.json of a comparison: what someone needs
 * to regenerate it and to judge whether their numbers should match: the
 * exact command, bo's version and git commit, the plan (objectives and
 * their specs, strategies, seeds, trials), the library versions, the BLAS
 * core and thread setting, and the CPU.
 *
 * The commit is asked of git at run time, in the source tree this file was
 * compiled from (__FILE__ is absolute under CMake); a binary without its
 * source tree, or without git, records null. Never prints.
 */
#include "compare.h"

#include <cblas.h>
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <gsl/gsl_version.h>
#include <inttypes.h>
#include <math.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "error.h"

extern char **environ;

/* The source tree: __FILE__ less "/bo/compare_manifest.c". */
static int source_dir(char *buf, size_t len)
{
    const char *file = __FILE__;
    const char *tail = "/bo/compare_manifest.c";
    size_t n = strlen(file), t = strlen(tail);
    if (file[0] != '/' || n <= t || strcmp(file + n - t, tail) != 0 ||
        n - t >= len)
        return -1;
    memcpy(buf, file, n - t);
    buf[n - t] = '\0';
    return 0;
}

/* First line of `git -C DIR ARGS...`'s output into out; -1 on any
 * failure. stderr goes to /dev/null. args: at most 6, NULL-ended. */
static int git_line(const char *dir, const char *const *args, char *out,
                    size_t len, int *any_output)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    char *argv[10] = {"git", "-C", (char *)dir};
    for (int i = 0; i < 6 && args[i]; i++)
        argv[3 + i] = (char *)args[i];
    pid_t pid;
    int rc = posix_spawnp(&pid, "git", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return -1;
    }
    size_t used = 0;
    char chunk[512];
    ssize_t got;
    *any_output = 0;
    while ((got = read(fds[0], chunk, sizeof chunk)) > 0) {
        *any_output = 1;
        for (ssize_t i = 0; i < got && used + 1 < len; i++) {
            if (chunk[i] == '\n')
                len = used + 1; /* keep the first line only */
            else
                out[used++] = chunk[i];
        }
    }
    out[used] = '\0';
    close(fds[0]);
    int status;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        return -1;
    return 0;
}

int bo_compare_git_state(const char *dir, const char *out_dir,
                         char *commit, size_t len, int *dirty)
{
    char real[4096], out[4200], skip[4300] = "", dummy[64];
    int any = 0;
    static const char *const head[] = {"rev-parse", "HEAD", NULL};
    *dirty = -1;
    if (git_line(dir, head, commit, len, &any) != 0 || !commit[0])
        return -1;
    /* both without links, as git sees its tree; taken literally (a folder
     * named "b*" must not leave out every path that starts with b) */
    size_t rn;
    if (out_dir && realpath(dir, real) && realpath(out_dir, out) &&
        strncmp(out, real, rn = strlen(real)) == 0 && out[rn] == '/')
        snprintf(skip, sizeof skip, ":(exclude,literal)%s", out);
    const char *const status[] = {"status", "--porcelain",
                                  "--untracked-files=no", "--", ".",
                                  skip[0] ? skip : NULL, NULL};
    if (git_line(dir, status, dummy, sizeof dummy, &any) == 0)
        *dirty = any;
    return 0;
}

static void add_git(cJSON *m, const char *out_dir)
{
    char dir[4096], commit[128] = "";
    int dirty;
    if (source_dir(dir, sizeof dir) == 0 &&
        bo_compare_git_state(dir, out_dir, commit, sizeof commit,
                             &dirty) == 0) {
        cJSON_AddStringToObject(m, "git_commit", commit);
        if (dirty >= 0)
            cJSON_AddBoolToObject(m, "git_dirty", dirty);
        cJSON_AddStringToObject(m, "source_dir", dir);
    } else {
        cJSON_AddNullToObject(m, "git_commit");
    }
}

/* "model name" of the first CPU in /proc/cpuinfo, or NULL. */
static void add_cpu(cJSON *m)
{
    cJSON *cpu = cJSON_AddObjectToObject(m, "cpu");
    char line[512], model[256] = "";
    FILE *f = fopen("/proc/cpuinfo", "r");
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0) {
            const char *colon = strchr(line, ':');
            if (colon) {
                colon++;
                while (*colon == ' ' || *colon == '\t')
                    colon++;
                snprintf(model, sizeof model, "%s", colon);
                model[strcspn(model, "\n")] = '\0';
            }
            break;
        }
    }
    if (f)
        fclose(f);
    if (model[0])
        cJSON_AddStringToObject(cpu, "model", model);
    else
        cJSON_AddNullToObject(cpu, "model");
    cJSON_AddNumberToObject(cpu, "online_cores", (double)sysconf(_SC_NPROCESSORS_ONLN));
}

static void add_libraries(cJSON *m)
{
    cJSON *lib = cJSON_AddObjectToObject(m, "libraries");
    cJSON_AddStringToObject(lib, "gsl", gsl_version);
    cJSON_AddStringToObject(lib, "gsl_headers", GSL_VERSION);
    cJSON_AddStringToObject(lib, "sqlite", sqlite3_libversion());
    cJSON_AddStringToObject(lib, "cjson", cJSON_Version());
    cJSON_AddStringToObject(lib, "zlib", zlibVersion());
    cJSON_AddStringToObject(lib, "openblas_config", openblas_get_config());
    cJSON_AddStringToObject(lib, "openblas_core", openblas_get_corename());
    cJSON *env = cJSON_AddObjectToObject(m, "environment");
    const char *vars[] = {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v)
            cJSON_AddStringToObject(env, vars[i], v);
        else
            cJSON_AddNullToObject(env, vars[i]);
    }
}

/* The command as one line a shell reads back the same: arguments with
 * anything but [A-Za-z0-9_./=,:@%+-] are single-quoted. */
static char *shell_line(int argc, char **argv)
{
    size_t cap = 1;
    for (int i = 0; i < argc; i++)
        cap += 4 * strlen(argv[i]) + 3;
    char *s = malloc(cap), *w = s;
    if (!s)
        return NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int plain = *a != '\0';
        for (const char *c = a; *c; c++)
            if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                        "0123456789_./=,:@%+-", *c))
                plain = 0;
        if (i)
            *w++ = ' ';
        if (plain) {
            w = stpcpy(w, a);
            continue;
        }
        *w++ = '\'';
        for (const char *c = a; *c; c++) {
            if (*c == '\'')
                w = stpcpy(w, "'\\''");
            else
                *w++ = *c;
        }
        *w++ = '\'';
    }
    *w = '\0';
    return s;
}

int bo_compare_write_manifest(const bo_compare_plan *p, int argc, char **argv,
                              const char *bo_exe, bo_error *err)
{
    cJSON *m = cJSON_CreateObject();
    if (!m)
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    cJSON *cmd = cJSON_AddArrayToObject(m, "command");
    for (int i = 0; i < argc; i++)
        cJSON_AddItemToArray(cmd, cJSON_CreateString(argv[i]));
    char *line = shell_line(argc, argv);
    if (line)
        cJSON_AddStringToObject(m, "command_line", line);
    free(line);
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd))
        cJSON_AddStringToObject(m, "cwd", cwd);
    cJSON_AddStringToObject(m, "bo_version", BO_VERSION_STRING);
    cJSON_AddStringToObject(m, "bo_executable", bo_exe);
    add_git(m, p->out_dir);

    cJSON *objs = cJSON_AddArrayToObject(m, "objectives");
    for (size_t o = 0; o < p->n_obj; o++) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "name", p->obj[o].name);
        cJSON_AddStringToObject(j, "spec_path", p->obj[o].spec_path);
        cJSON_AddStringToObject(j, "spec", p->obj[o].spec_json);
        /* the code the runs ran: the plugin, or the program's files */
        cJSON *files = cJSON_Parse(p->obj[o].files_json);
        if (files)
            cJSON_AddItemToObject(j, "files", files);
        /* runs that ran other versions of those files (kept from before
         * an edit): by name, with what each recorded */
        cJSON *older = NULL;
        for (size_t k = 0; k < p->n_runs; k++) {
            const bo_compare_run *r = &p->runs[k];
            char name[512], *was = NULL;
            if (r->obj != o ||
                !bo_compare_run_files_changed(p, r, name, sizeof name))
                continue;
            if (!older)
                older = cJSON_AddObjectToObject(j, "runs_with_other_files");
            const char *base = strrchr(r->db, '/');
            char run[256];
            snprintf(run, sizeof run, "%s", base ? base + 1 : r->db);
            size_t rl = strlen(run);
            if (rl > 3 && strcmp(run + rl - 3, ".db") == 0)
                run[rl - 3] = '\0';
            was = bo_compare_run_files(r);
            cJSON *w = was ? cJSON_Parse(was) : NULL;
            if (older)
                cJSON_AddItemToObject(older, run, w ? w : cJSON_CreateNull());
            free(was);
        }
        if (isnan(p->obj[o].optimum))
            cJSON_AddNullToObject(j, "optimum");
        else
            cJSON_AddNumberToObject(j, "optimum", p->obj[o].optimum);
        cJSON_AddItemToArray(objs, j);
    }
    cJSON *strat = cJSON_AddArrayToObject(m, "strategies");
    for (size_t s = 0; s < p->n_strat; s++)
        cJSON_AddItemToArray(strat, cJSON_CreateString(p->strategy[s]));
    cJSON *seeds = cJSON_AddArrayToObject(m, "seeds");
    for (size_t i = 0; i < p->n_seeds; i++)
        cJSON_AddItemToArray(seeds, cJSON_CreateNumber((double)(p->seed_base + i)));
    cJSON_AddNumberToObject(m, "trials", (double)p->trials);
    cJSON_AddNumberToObject(m, "jobs", p->jobs);
    cJSON *cps = cJSON_AddArrayToObject(m, "checkpoints");
    for (size_t c = 0; c < p->n_checkpoints; c++)
        cJSON_AddItemToArray(cps, cJSON_CreateNumber((double)p->checkpoint[c]));
    cJSON_AddStringToObject(m, "baseline", p->baseline);
    cJSON_AddStringToObject(m, "target_strategy", p->target_strategy);
    cJSON_AddNumberToObject(m, "tolerance", p->tolerance);
    cJSON_AddStringToObject(m, "test",
                            "one-sided Mann-Whitney U of the best loss at each "
                            "checkpoint, strategy < baseline; Holm across "
                            "objectives per strategy and checkpoint");
    add_libraries(m);
    add_cpu(m);
    char when[64];
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm) && strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm))
        cJSON_AddStringToObject(m, "written_at", when);

    char *text = cJSON_Print(m);
    cJSON_Delete(m);
    if (!text)
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    size_t n = strlen(p->out_dir) + 32;
    char *path = malloc(n);
    FILE *f = NULL;
    int rc = path ? BO_OK : bo_error_set(err, BO_ENOMEM, "out of memory");
    if (!rc) {
        snprintf(path, n, "%s/manifest.json", p->out_dir);
        rc = bo_compare_file_open(path, &f, err);
    }
    if (!rc) {
        fputs(text, f);
        fputc('\n', f);
        rc = bo_compare_file_commit(path, f, err);
    }
    free(path);
    free(text);
    return rc;
}
