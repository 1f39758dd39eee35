/*
 * test_program.c — the program adapter (plugins/program) through the real
 * runner and `bo worker`, with the test programs in tests/programs (a
 * Python one and a sh one) that behave as their "mode" parameter says.
 * bo/DESIGN.md "Objectives as programs" is the reference for every outcome.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "runner.h"
#include "runner_proc.h"

static char g_build[1024];
static char g_source[1024];
static char g_tmp[1024];
static char g_bo[1100];
static char g_program[PATH_MAX];
static char g_python[1100];
static char g_pid_file[1100];
static char g_logs[1100];

static int g_stop_at;
static int g_n_reports;
static double g_reports[16];

static int on_report(void *ctx, int64_t trial, int64_t step, double value)
{
    (void)ctx;
    (void)trial;
    (void)step;
    if (g_n_reports < 16)
        g_reports[g_n_reports] = value;
    g_n_reports++;
    return g_stop_at > 0 && step >= g_stop_at;
}

/* A runner for `command` (a JSON array text) run in tests/programs. */
static bo_runner *start(const char *command, double timeout_s)
{
    static char config[4096];
    static int n_runners;
    /* Trial numbers repeat across runners: a log folder each. */
    snprintf(g_logs, sizeof g_logs, "%s/logs%d", g_tmp, ++n_runners);
    mkdir(g_logs, 0777);
    snprintf(config, sizeof config,
             "{\"command\": %s, \"dir\": \"%s/tests/programs\", \"grace_s\": 0.5,"
             " \"config\": {\"factor\": 2, \"pid_file\": \"%s\"}}",
             command, g_source, g_pid_file);
    bo_runner_options o = {.bo_exe = g_bo, .plugin_path = g_program,
                           .config_json = config, .workers = 1,
                           .timeout_s = timeout_s, .log_dir = g_logs,
                           .threads_per_worker = 1, .on_report = on_report};
    bo_runner *r = NULL;
    bo_error err = {0};
    if (bo_runner_create(&o, &r, &err) != BO_OK)
        fprintf(stderr, "runner: %s\n", err.message);
    return r;
}

static bo_runner *python(double timeout_s)
{
    char cmd[1300];
    snprintf(cmd, sizeof cmd, "[\"%s\", \"objective.py\"]", g_python);
    return start(cmd, timeout_s);
}

static bo_runner *shell(double timeout_s)
{
    return start("[\"sh\", \"objective.sh\"]", timeout_s);
}

static bo_trial_result run_values(bo_runner *r, int64_t trial,
                                  const bo_value *v, size_t n);

static bo_trial_result run1(bo_runner *r, int64_t trial, const char *mode,
                            double x)
{
    bo_value v[4] = {
        {.name = "mode", .type = BO_VALUE_STRING, .s = mode},
        {.name = "x", .type = BO_VALUE_DOUBLE, .d = x},
        {.name = "layers", .type = BO_VALUE_INT, .i = 3},
        {.name = "act", .type = BO_VALUE_STRING, .s = "relu"},
    };
    return run_values(r, trial, v, 4);
}

static bo_trial_result run_values(bo_runner *r, int64_t trial,
                                  const bo_value *v, size_t n)
{
    const char *mode = v[0].s;
    bo_trial_result res;
    memset(&res, 0, sizeof res);
    res.state = -1;
    g_n_reports = 0;
    bo_error err = {0};
    if (!r)
        return res;
    if (bo_runner_submit(r, trial, 424242000000ull + (uint64_t)trial, v, n,
                         &err) != 0) {
        fprintf(stderr, "submit: %s\n", err.message);
        return res;
    }
    if (bo_runner_wait(r, &res, &err) != BO_OK)
        fprintf(stderr, "wait: %s\n", err.message);
    if (getenv("BO_TEST_VERBOSE"))
        fprintf(stderr, "trial %lld %s: state %d loss %g wall %.3f: %s\n",
                (long long)trial, mode, res.state, res.loss, res.wall_s,
                res.message);
    return res;
}

static double metric(const bo_trial_result *r, const char *name)
{
    for (uint32_t i = 0; i < r->n_metrics; i++)
        if (strcmp(r->metrics[i].name, name) == 0)
            return r->metrics[i].value;
    return NAN;
}

static int log_contains(int64_t trial, const char *needle)
{
    char path[1300];
    snprintf(path, sizeof path, "%s/trial-%05lld.log", g_logs, (long long)trial);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return 0;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    return strstr(buf, needle) != NULL;
}

static int alive(long pid)
{
    if (pid <= 0 || kill((pid_t)pid, 0) != 0)
        return 0;
    char path[64], stat[256];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return 0;
    size_t n = fread(stat, 1, sizeof stat - 1, fp);
    fclose(fp);
    stat[n] = '\0';
    const char *paren = strrchr(stat, ')');
    return !(paren && paren[1] == ' ' && paren[2] == 'Z');
}

/* The pids a program wrote to the pid file (up to 2). */
static int read_pids(long *a, long *b)
{
    *a = *b = 0;
    FILE *fp = fopen(g_pid_file, "r");
    if (!fp)
        return 0;
    int n = fscanf(fp, "%ld %ld", a, b);
    fclose(fp);
    unlink(g_pid_file);
    return n < 0 ? 0 : n;
}

/* Polls until pid is gone, up to `seconds`. */
static int gone_within(long pid, double seconds)
{
    double end = bo_proc_now() + seconds;
    while (alive(pid) && bo_proc_now() < end)
        usleep(10 * 1000);
    return !alive(pid);
}

/* ------------------------------------------------------------ python */

/* The result object: loss = factor * x as Python computes it (2 * 2.0 and
 * 2 * 0.1, exact in binary as in C), cost_s, metrics echoing what the
 * program got: the trial, the seed, a double still a float when integral,
 * an int as an int, a string. The reports arrive in order. */
static void test_python_result(void)
{
    bo_runner *r = python(10);
    bo_trial_result res = run1(r, 7, "result", 2.0);
    CHECK(res.state == BO_TRIAL_COMPLETE);
    CHECK(res.loss == 4.0);
    CHECK(res.cost_s == 1.25);
    CHECK(metric(&res, "trial") == 7);
    CHECK(metric(&res, "seed_low") == (double)((424242000000ull + 7) % 1000000));
    CHECK(metric(&res, "x_is_float") == 1);
    CHECK(metric(&res, "layers_is_int") == 1);
    CHECK(metric(&res, "layers") == 3);
    CHECK(metric(&res, "act_is_relu") == 1);
    CHECK(g_n_reports == 2 && g_reports[0] == 3.0 && g_reports[1] == 2.0);
    CHECK(log_contains(7, "chatter from the program"));
    res = run1(r, 8, "result", 0.1);
    CHECK(res.state == BO_TRIAL_COMPLETE && res.loss == 2 * 0.1);
    res = run1(r, 9, "number", 0);
    CHECK(res.state == BO_TRIAL_COMPLETE && res.loss == 0.125);
    CHECK(isnan(res.cost_s));
    /* a tuned parameter named as a config key overrides it in BO_CONFIG:
     * loss = factor * x = 4 * 1.5, not the config's 2 * 1.5 */
    bo_value tuned[5] = {
        {.name = "mode", .type = BO_VALUE_STRING, .s = "result"},
        {.name = "x", .type = BO_VALUE_DOUBLE, .d = 1.5},
        {.name = "layers", .type = BO_VALUE_INT, .i = 3},
        {.name = "act", .type = BO_VALUE_STRING, .s = "relu"},
        {.name = "factor", .type = BO_VALUE_INT, .i = 4},
    };
    res = run_values(r, 10, tuned, 5);
    CHECK(res.state == BO_TRIAL_COMPLETE && res.loss == 6.0);
    bo_runner_free(r);
}

/* The host asks to stop at step 2: the program gets SIGTERM (its handler
 * writes to stderr, which reaches the log) and the trial ends with the
 * loss reached, 1/2, long before its 5 s of steps. */
static void test_python_early_stop(void)
{
    bo_runner *r = python(10);
    g_stop_at = 2;
    bo_trial_result res = run1(r, 0, "early", 0);
    g_stop_at = 0;
    CHECK(res.state == BO_TRIAL_COMPLETE);
    CHECK(res.loss == 0.5);
    CHECK(g_n_reports == 2);
    CHECK_STR_CONTAINS(res.message, "stopped at step 2");
    /* Long before its 100 steps of 0.05 s: python's start-up is most of
     * this, seconds on a starved machine. */
    CHECK(res.wall_s < 3.0);
    CHECK(log_contains(0, "got SIGTERM"));
    bo_runner_free(r);
}

/* Failures: a non-zero exit carries stderr's last 10 lines; a signal is
 * named; a last line that is no result fails; a missing, NaN or infinite
 * loss is invalid. Garbage before the result is only logged. */
static void test_python_failures(void)
{
    bo_runner *r = python(10);
    bo_trial_result res = run1(r, 0, "fail", 0);
    CHECK(res.state == BO_TRIAL_FAILED);
    CHECK_STR_CONTAINS(res.message, "exited with status 3");
    CHECK_STR_CONTAINS(res.message, "bad things 3 | ");
    CHECK_STR_CONTAINS(res.message, "bad things 12");
    CHECK(strstr(res.message, "bad things 2 |") == NULL);
    CHECK(!strchr(res.message, '\n'));

    res = run1(r, 1, "segv", 0);
    CHECK(res.state == BO_TRIAL_FAILED);
    CHECK_STR_CONTAINS(res.message, "killed by signal 11");

    res = run1(r, 2, "garbage", 0);
    CHECK(res.state == BO_TRIAL_COMPLETE && res.loss == 42);
    CHECK(log_contains(2, "no json here"));
    CHECK(log_contains(2, "{\"loss\": oops}"));

    /* no usable loss: invalid, with what was wrong (an unreadable answer
     * with the usual slip named) */
    static const struct {
        int64_t trial;
        const char *mode, *says;
    } invalid[] = {
        {3, "garbage_last", "neither a JSON object nor a number: '{\"loss\": "
                            "oops}' (the result is the last line printed"},
        {12, "pretty", "'}' (a result is one line"},
        {13, "repr", "print json.dumps(result), not the dict"},
        {14, "reports_only", "no result line, only 2 step report(s)"},
        {4, "missing", "no result line"},
        {5, "nan", "NaN"},
        {6, "inf", "inf"},
        {7, "noloss", "no \"loss\""},
    };
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
        res = run1(r, invalid[i].trial, invalid[i].mode, 0);
        CHECK(res.state == BO_TRIAL_INVALID);
        CHECK_STR_CONTAINS(res.message, invalid[i].says);
    }
    CHECK(run1(r, 8, "number", 0).state == BO_TRIAL_COMPLETE);
    res = run1(r, 9, "strloss", 0);
    CHECK(res.state == BO_TRIAL_INVALID);
    CHECK_STR_CONTAINS(res.message, "\"loss\" is a string, not a number");
    /* a "step" that is not a number: no report, and not the result either
     * (the line before it is) */
    g_n_reports = 0;
    res = run1(r, 10, "badstep_last", 0);
    CHECK(res.state == BO_TRIAL_COMPLETE && res.loss == 0.25);
    CHECK(g_n_reports == 0);
    CHECK(log_contains(10, "neither a report nor the result"));
    /* the last line too long to read: no result, and the message says so
     * (the earlier "0.25" is not taken in its place) */
    res = run1(r, 11, "long_last", 0);
    CHECK(res.state == BO_TRIAL_INVALID);
    CHECK_STR_CONTAINS(res.message, "256 KiB or longer");
    bo_runner_free(r);
}

/* A child left running (holding stdout open) is killed with the program's
 * group as soon as the program exits, so the trial does not wait for it. */
static void test_python_child_killed(void)
{
    bo_runner *r = python(10);
    bo_trial_result res = run1(r, 0, "child", 0);
    CHECK(res.state == BO_TRIAL_COMPLETE && res.loss == 0.75);
    CHECK(res.wall_s < 5.0); /* not the child's 60 s sleep */
    long child, unused;
    CHECK(read_pids(&child, &unused) == 1);
    CHECK(gone_within(child, 1.0));
    bo_runner_free(r);
}

/* An endless program is timed out by the runner (1 s); the program and
 * its child die with the worker. */
static void test_python_timeout(void)
{
    bo_runner *r = python(1.0);
    double t0 = bo_proc_now();
    bo_trial_result res = run1(r, 0, "hang", 0);
    double took = bo_proc_now() - t0;
    CHECK(res.state == BO_TRIAL_TIMEOUT);
    CHECK(took >= 1.0 && took < 1.0 + 1.0 + 0.5);
    long prog, child;
    CHECK(read_pids(&prog, &child) == 2);
    CHECK(gone_within(prog, 1.0));
    CHECK(gone_within(child, 1.0));
    CHECK(run1(r, 1, "number", 0).state == BO_TRIAL_COMPLETE);
    bo_runner_free(r);
}

/* ---------------------------------------------------------------- sh */

static void test_shell(void)
{
    bo_runner *r = shell(1.0);
    bo_trial_result res = run1(r, 3, "result", 0);
    CHECK(res.state == BO_TRIAL_COMPLETE && res.loss == 0.25);
    CHECK(metric(&res, "trial") == 3);
    CHECK(g_n_reports == 1 && g_reports[0] == 0.5);
    CHECK(log_contains(3, "plain output"));

    res = run1(r, 4, "number", 0);
    CHECK(res.state == BO_TRIAL_COMPLETE && res.loss == 1e-3);

    res = run1(r, 5, "fail", 0);
    CHECK(res.state == BO_TRIAL_FAILED);
    CHECK_STR_CONTAINS(res.message, "exited with status 2");
    CHECK_STR_CONTAINS(res.message, "stderr: something went wrong");

    res = run1(r, 6, "inf", 0);
    CHECK(res.state == BO_TRIAL_INVALID);

    res = run1(r, 7, "child", 0);
    CHECK(res.state == BO_TRIAL_COMPLETE && res.loss == 0.5);
    long child, unused;
    CHECK(read_pids(&child, &unused) == 1);
    CHECK(gone_within(child, 1.0));

    /* A program stopped for good would hang the study (no timeout set,
     * or a full one spent): job control is off for it, and a SIGSTOP
     * ends its trial at once (under the 1 s timeout here). Its lack of a
     * terminal is test_hostile_programs.sh's: it needs one to lose. */
    res = run1(r, 9, "jobstop", 0);
    CHECK(res.state == BO_TRIAL_COMPLETE && res.loss == 0.75);
    res = run1(r, 10, "stopself", 0);
    CHECK(res.state == BO_TRIAL_FAILED);
    CHECK_STR_CONTAINS(res.message, "stopped by signal 19");

    double t0 = bo_proc_now();
    res = run1(r, 8, "hang", 0);
    CHECK(res.state == BO_TRIAL_TIMEOUT);
    CHECK(bo_proc_now() - t0 < 2.5);
    long prog;
    CHECK(read_pids(&prog, &child) == 2);
    CHECK(gone_within(prog, 1.0));
    CHECK(gone_within(child, 1.0));
    bo_runner_free(r);
}

/* kill -9 of the coordinator: the worker dies (PR_SET_PDEATHSIG) and
 * takes the program and the child it started along (the guard). Here a
 * forked copy of this test plays the coordinator. */
static void test_coordinator_killed(void)
{
    unlink(g_pid_file);
    pid_t coord = fork();
    if (coord == 0) {
        bo_runner *r = shell(0);
        bo_value v[1] = {{.name = "mode", .type = BO_VALUE_STRING, .s = "hang"}};
        bo_error err = {0};
        if (!r || bo_runner_submit(r, 0, 1, v, 1, &err) != 0)
            _exit(1);
        for (;;)
            pause();
    }
    CHECK(coord > 0);
    if (coord <= 0)
        return;
    long prog = 0, child = 0;
    for (int i = 0; i < 300; i++) {
        FILE *fp = fopen(g_pid_file, "r");
        int n = 0;
        if (fp) {
            n = fscanf(fp, "%ld %ld", &prog, &child);
            fclose(fp);
        }
        if (n == 2)
            break;
        usleep(10 * 1000);
    }
    CHECK(alive(prog) && alive(child));
    kill(coord, SIGKILL);
    int status;
    waitpid(coord, &status, 0);
    CHECK(gone_within(prog, 1.0));
    CHECK(gone_within(child, 1.0));
    unlink(g_pid_file);
}

/* ------------------------------------------------------------ config */

/* A bad config is refused at start-up with one line; a command that does
 * not exist fails its trials with a clear reason. */
static void test_config_errors(void)
{
    bo_runner *r = start("[]", 5);
    char name[BO_NAME_MAX];
    bo_space *sp = NULL;
    bo_error err = {0};
    CHECK(r && bo_runner_describe(r, name, sizeof name, &sp, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "\"command\" must be a non-empty array");
    CHECK(!strchr(err.message, '\n'));
    bo_runner_free(r);

    /* A program that is not there: said once, when the objective is
     * created, not by every trial. */
    r = start("[\"no-such-program-for-bo\"]", 5);
    CHECK(r && bo_runner_describe(r, name, sizeof name, &sp, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "command not found: 'no-such-program-for-bo' (searched PATH)");
    bo_runner_free(r);

    /* a bare name found beside the spec, not in PATH: how to name it */
    r = start("[\"objective.sh\"]", 5);
    CHECK(r && bo_runner_describe(r, name, sizeof name, &sp, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "command not found: 'objective.sh' "
                       "(searched PATH; to run the one in the spec's folder, "
                       "write './objective.sh')");
    bo_runner_free(r);
    /* a folder passes access(X_OK); exec would say "Permission denied" */
    r = start("[\"../programs\"]", 5);
    CHECK(r && bo_runner_describe(r, name, sizeof name, &sp, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "programs': it is a folder");
    bo_runner_free(r);

    /* One that goes away while the study runs costs its trials alone. */
    char gone[] = "/tmp/bo-test-gone-XXXXXX";
    int fd = mkstemp(gone);
    CHECK(fd >= 0 && write(fd, "#!/bin/sh\necho 1\n", 18) == 18);
    close(fd);
    chmod(gone, 0755);
    char argv[64];
    snprintf(argv, sizeof argv, "[\"%s\"]", gone);
    r = start(argv, 5);
    CHECK(r && bo_runner_describe(r, name, sizeof name, &sp, &err) == BO_OK);
    CHECK(strcmp(name, "program") == 0 && sp == NULL);
    unlink(gone);
    bo_trial_result res = run1(r, 0, "x", 0);
    CHECK(res.state == BO_TRIAL_FAILED);
    CHECK_STR_CONTAINS(res.message, "cannot run");
    CHECK_STR_CONTAINS(res.message, gone);
    bo_runner_free(r);
}

static int find_python(char *out, size_t len)
{
    if (access("/usr/bin/python3", X_OK) == 0) {
        snprintf(out, len, "/usr/bin/python3");
        return 1;
    }
    const char *path = getenv("PATH");
    for (const char *p = path ? path : ""; *p;) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        snprintf(out, len, "%.*s/python3", (int)n, p);
        if (n && access(out, X_OK) == 0)
            return 1;
        p += n + (end != NULL);
    }
    return 0;
}

int main(void)
{
    const char *b = getenv("BO_BUILD_DIR"), *s = getenv("BO_SOURCE_DIR");
    if (!b || !s) {
        fprintf(stderr, "BO_BUILD_DIR / BO_SOURCE_DIR not set (run through ctest)\n");
        return 1;
    }
#if defined(__SANITIZE_ADDRESS__)
    setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
#endif
    snprintf(g_build, sizeof g_build, "%s", b);
    snprintf(g_source, sizeof g_source, "%s", s);
    snprintf(g_bo, sizeof g_bo, "%s/bin/bo", g_build);
    bo_error err = {0};
    if (bo_path_resolve_plugin("program", NULL, g_program, sizeof g_program,
                               &err) != BO_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    snprintf(g_tmp, sizeof g_tmp, "/tmp/bo-test-program.XXXXXX");
    if (!mkdtemp(g_tmp)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(g_pid_file, sizeof g_pid_file, "%s/pids", g_tmp);

    if (find_python(g_python, sizeof g_python)) {
        test_python_result();
        test_python_early_stop();
        test_python_failures();
        test_python_child_killed();
        test_python_timeout();
    } else {
        printf("python3 not found: the Python program tests are skipped\n");
    }
    test_shell();
    test_coordinator_killed();
    test_config_errors();

    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", g_tmp);
    return check_summary();
}
