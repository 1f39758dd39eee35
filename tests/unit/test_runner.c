/*
 * test_runner.c — the coordinator's runner with real `bo worker` processes
 * (BUILD/bin/bo) over the hostile test plugin (tests/plugins/hostile.c):
 * values come back exactly, each misbehaviour costs one trial with the
 * right state and message, a dead worker is replaced, deadlines hold,
 * workers run in parallel, and nothing is left running afterwards.
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
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "runner.h"
#include "runner_proc.h"

static char g_build[1024];
static char g_tmp[1024];
static char g_bo[1100];
static char g_hostile[1100];
static int g_case;

/* Every case gets its own log folder and count file. */
typedef struct fixture {
    char logs[1200];
    char count[1200];
    char pids[1200];
    char config[4000];
    bo_runner_options opt;
    bo_runner *r;
} fixture;

static int g_stop_at;           /* on_report asks to stop at this step */
static int64_t g_steps[16];
static int g_n_steps;

static int record_report(void *ctx, int64_t trial, int64_t step, double value)
{
    (void)ctx;
    (void)trial;
    (void)value;
    if (g_n_steps < 16)
        g_steps[g_n_steps++] = step;
    return g_stop_at > 0 && step >= g_stop_at;
}

static int setup(fixture *f, const char *plugin, const char *extra_config,
                 int workers, double timeout_s, int64_t memory_mb)
{
    memset(f, 0, sizeof *f);
    g_case++;
    snprintf(f->logs, sizeof f->logs, "%s/logs%d", g_tmp, g_case);
    snprintf(f->count, sizeof f->count, "%s/count%d", g_tmp, g_case);
    snprintf(f->pids, sizeof f->pids, "%s/pid%d", g_tmp, g_case);
    mkdir(f->logs, 0777);
    snprintf(f->config, sizeof f->config,
             "{\"count_file\": \"%s\", \"pid_file\": \"%s\"%s%s}", f->count,
             f->pids, extra_config ? ", " : "", extra_config ? extra_config : "");
    f->opt = (bo_runner_options){
        .bo_exe = g_bo,
        .plugin_path = plugin ? plugin : g_hostile,
        .config_json = f->config,
        .workers = workers,
        .timeout_s = timeout_s,
        .memory_mb = memory_mb,
        .log_dir = f->logs,
        .threads_per_worker = 1,
        .on_report = record_report,
    };
    g_stop_at = 0;
    g_n_steps = 0;
    bo_error err = {0};
    int rc = bo_runner_create(&f->opt, &f->r, &err);
    if (rc)
        fprintf(stderr, "runner: %s\n", err.message);
    return rc;
}

/* Runs one trial to its end on a free worker. */
static bo_trial_result run1(fixture *f, int64_t trial, const char *mode,
                            double x)
{
    bo_value v[2] = {
        {.name = "mode", .type = BO_VALUE_STRING, .s = mode},
        {.name = "x", .type = BO_VALUE_DOUBLE, .d = x},
    };
    bo_trial_result res;
    memset(&res, 0, sizeof res);
    res.state = -1;
    bo_error err = {0};
    if (bo_runner_submit(f->r, trial, 1234 + (uint64_t)trial, v, 2, &err) != 0) {
        fprintf(stderr, "submit: %s\n", err.message);
        return res;
    }
    if (bo_runner_wait(f->r, &res, &err) != BO_OK)
        fprintf(stderr, "wait: %s\n", err.message);
    if (getenv("BO_TEST_VERBOSE"))
        fprintf(stderr, "trial %lld %s: state %d loss %g wall %.3f: %s\n",
                (long long)trial, mode, res.state, res.loss, res.wall_s,
                res.message);
    return res;
}

static int count_lines(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return 0;
    int n = 0, c;
    while ((c = fgetc(fp)) != EOF)
        n += c == '\n';
    fclose(fp);
    return n;
}

/* The pids the plugin's create() wrote ("create PID" lines). */
static int read_create_pids(const char *path, long *pids, int max)
{
    FILE *fp = fopen(path, "r");
    int n = 0;
    if (!fp)
        return 0;
    while (n < max && fscanf(fp, "create %ld\n", &pids[n]) == 1)
        n++;
    fclose(fp);
    return n;
}

static int file_contains(const char *path, const char *needle)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return 0;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    for (size_t i = 0; i + strlen(needle) <= n; i++)
        if (memcmp(buf + i, needle, strlen(needle)) == 0)
            return 1;
    return 0;
}

/* Running or stopped, not a zombie nor gone. */
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

static void log_path(const fixture *f, int64_t trial, char *buf, size_t len)
{
    snprintf(buf, len, "%s/trial-%05lld.log", f->logs, (long long)trial);
}

/* ------------------------------------------------------------------ */

/* describe: the name and default space as hostile.c declares them. */
static void test_describe(void)
{
    fixture f;
    if (setup(&f, NULL, NULL, 1, 5, 0))
        return;
    char name[BO_NAME_MAX];
    bo_space *sp = NULL;
    bo_error err = {0};
    CHECK(bo_runner_describe(f.r, name, sizeof name, &sp, &err) == BO_OK);
    CHECK(strcmp(name, "hostile") == 0);
    CHECK(sp && bo_space_n_params(sp) == 2);
    if (sp) {
        const bo_param_spec *m = bo_space_param(sp, 0);
        const bo_param_spec *x = bo_space_param(sp, 1);
        CHECK(m->type == BO_PARAM_CATEGORICAL && m->n_choices == 19);
        CHECK(strcmp(m->choices[15], "evalerr") == 0);
        CHECK(strcmp(m->choices[16], "forkreturn") == 0);
        CHECK(x->type == BO_PARAM_FLOAT && x->low == -2 && x->high == 2);
    }
    bo_space_free(sp);
    /* The worker that described goes on to evaluate: one create(). */
    bo_trial_result r = run1(&f, 0, "ok", 0.5);
    CHECK(r.state == BO_TRIAL_COMPLETE);
    CHECK(count_lines(f.count) == 1);
    bo_runner_free(f.r);
}

/* A config-dependent space comes from instance_space: synthetic's
 * Rastrigin in 4 dimensions has x0..x3 (synthetic.c). */
static void test_describe_instance_space(void)
{
    char dir[1024], plugin[1100];
    bo_error err = {0};
    if (bo_path_objectives_dir(dir, sizeof dir, &err))
        return;
    snprintf(plugin, sizeof plugin, "%s/synthetic.so", dir);
    bo_runner_options o = {.bo_exe = g_bo, .plugin_path = plugin,
                           .config_json = "{\"function\": \"rastrigin\", \"dim\": 4}",
                           .workers = 1, .timeout_s = 5};
    bo_runner *r = NULL;
    CHECK(bo_runner_create(&o, &r, &err) == BO_OK);
    char name[BO_NAME_MAX];
    bo_space *sp = NULL;
    int rc = bo_runner_describe(r, name, sizeof name, &sp, &err);
    CHECK(rc == BO_OK);
    if (rc)
        fprintf(stderr, "describe: %s\n", err.message);
    CHECK(strcmp(name, "synthetic") == 0);
    CHECK(sp && bo_space_n_params(sp) == 4);
    bo_space_free(sp);
    bo_runner_free(r);
}

/* A plugin that cannot load: describe says why in the loader's one line. */
static void test_describe_bad_plugin(void)
{
    char plugin[1100];
    snprintf(plugin, sizeof plugin, "%s/tests/plugins/bad_abi.so", g_build);
    fixture f;
    if (setup(&f, plugin, NULL, 1, 5, 0))
        return;
    char name[BO_NAME_MAX];
    bo_space *sp = NULL;
    bo_error err = {0};
    CHECK(bo_runner_describe(f.r, name, sizeof name, &sp, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, plugin);
    CHECK_STR_CONTAINS(err.message, "ABI version 99");
    CHECK(!strchr(err.message, '\n'));
    CHECK(sp == NULL);
    bo_runner_free(f.r);
}

/* create() failing: describe fails with its message, a trial is FAILED. */
static void test_create_fails(void)
{
    fixture f;
    if (setup(&f, NULL, "\"fail_create\": true", 1, 5, 0))
        return;
    char name[BO_NAME_MAX];
    bo_space *sp = NULL;
    bo_error err = {0};
    CHECK(bo_runner_describe(f.r, name, sizeof name, &sp, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "told to fail in create()");
    bo_trial_result r = run1(&f, 0, "ok", 0.5);
    CHECK(r.state == BO_TRIAL_FAILED);
    CHECK_STR_CONTAINS(r.message, "could not start");
    CHECK_STR_CONTAINS(r.message, "told to fail in create()");
    bo_runner_free(f.r);
}

/* An ok trial: loss x*x, cost 0.5 and metric 2x, bit for bit as hostile.c
 * computes them; wall time measured by the coordinator. The worker is
 * created once for three trials. */
static void test_ok_values_and_one_create(void)
{
    fixture f;
    if (setup(&f, NULL, NULL, 1, 5, 0))
        return;
    double xs[3] = {0.3, -1.7, 1.0 / 3.0};
    for (int t = 0; t < 3; t++) {
        bo_trial_result r = run1(&f, t, "ok", xs[t]);
        CHECK(r.state == BO_TRIAL_COMPLETE);
        CHECK(r.trial == t);
        CHECK(r.loss == xs[t] * xs[t]);
        CHECK(r.cost_s == 0.5);
        CHECK(r.n_metrics == 1 && strcmp(r.metrics[0].name, "twice") == 0 &&
              r.metrics[0].value == 2 * xs[t]);
        CHECK(r.wall_s > 0 && r.wall_s < 2);
        CHECK(r.message[0] == '\0');
    }
    CHECK(count_lines(f.count) == 1);
    bo_trial_result none;
    bo_error err = {0};
    CHECK(bo_runner_wait(f.r, &none, &err) == BO_DONE);
    bo_runner_free(f.r);
}

/* A segfault costs one trial: CRASHED with the signal named and the log's
 * tail; the next trial runs on a new worker with a new instance. */
static void test_crash_then_recover(void)
{
    fixture f;
    if (setup(&f, NULL, NULL, 1, 5, 0))
        return;
    CHECK(run1(&f, 0, "ok", 1).state == BO_TRIAL_COMPLETE);
    bo_trial_result r = run1(&f, 1, "segv", 1);
    CHECK(r.state == BO_TRIAL_CRASHED);
    CHECK_STR_CONTAINS(r.message, "killed by signal 11 (Segmentation fault)");
    CHECK_STR_CONTAINS(r.message, "about to crash");
    CHECK(isnan(r.loss));
    r = run1(&f, 2, "ok", 2);
    CHECK(r.state == BO_TRIAL_COMPLETE && r.loss == 4);
    CHECK(count_lines(f.count) == 2);

    r = run1(&f, 3, "abort", 1);
    CHECK(r.state == BO_TRIAL_CRASHED);
    CHECK_STR_CONTAINS(r.message, "killed by signal 6 (Aborted)");
    r = run1(&f, 4, "exit0", 1);
    CHECK(r.state == BO_TRIAL_CRASHED);
    CHECK_STR_CONTAINS(r.message, "exited with status 0 before answering");
    CHECK(run1(&f, 5, "ok", 1).state == BO_TRIAL_COMPLETE);
    CHECK(count_lines(f.count) == 4);
    bo_runner_free(f.r);
}

/* A hang is killed at the deadline: TIMEOUT after timeout_s and before
 * timeout_s + the SIGTERM grace (1 s) + slack; the next trial works. */
static void test_timeout(void)
{
    fixture f;
    if (setup(&f, NULL, NULL, 1, 0.5, 0))
        return;
    CHECK(run1(&f, 0, "ok", 1).state == BO_TRIAL_COMPLETE);  /* warm */
    long pids[4];
    CHECK(read_create_pids(f.count, pids, 4) == 1);
    double t0 = bo_proc_now();
    bo_trial_result r = run1(&f, 1, "hang", 1);
    double took = bo_proc_now() - t0;
    CHECK(r.state == BO_TRIAL_TIMEOUT);
    CHECK_STR_CONTAINS(r.message, "timed out after 0.5 s");
    CHECK(took >= 0.5);
    CHECK(took < 0.5 + 1.0 + 0.5);
    CHECK(r.wall_s >= 0.5 && r.wall_s < 2.0);
    /* killed at the deadline; gone once the kernel has taken it away */
    for (int i = 0; i < 300 && alive(pids[0]); i++)
        usleep(10 * 1000);
    CHECK(!alive(pids[0]));
    CHECK(run1(&f, 2, "ok", 3).loss == 9);
    bo_runner_free(f.r);
}

static void test_invalid_and_failed(void)
{
    fixture f;
    if (setup(&f, NULL, NULL, 1, 5, 0))
        return;
    bo_trial_result r = run1(&f, 0, "nan", 1);
    CHECK(r.state == BO_TRIAL_INVALID);
    CHECK(isnan(r.loss));
    CHECK_STR_CONTAINS(r.message, "NaN");
    r = run1(&f, 1, "inf", 1);
    CHECK(r.state == BO_TRIAL_INVALID);
    CHECK_STR_CONTAINS(r.message, "+inf");
    r = run1(&f, 2, "fail", 1.5);
    CHECK(r.state == BO_TRIAL_FAILED);
    CHECK_STR_CONTAINS(r.message, "hostile: x = 1.5 rejected");
    /* evaluate() != 0: failed, and the instance is created again. */
    r = run1(&f, 3, "evalerr", 1);
    CHECK(r.state == BO_TRIAL_FAILED);
    CHECK_STR_CONTAINS(r.message, "evaluate() returned 1");
    CHECK(run1(&f, 4, "ok", 1).state == BO_TRIAL_COMPLETE);
    CHECK(count_lines(f.count) == 2);
    /* None of these needed a new worker. */
    long pids[4];
    CHECK(read_create_pids(f.count, pids, 4) == 2 && pids[0] == pids[1]);
    bo_runner_free(f.r);
}

/* Garbage on stdout/stderr lands in the trial's log, not in the protocol;
 * closed standard streams are reopened for the next trial. */
static void test_garbage_and_closed_streams(void)
{
    fixture f;
    if (setup(&f, NULL, NULL, 1, 5, 0))
        return;
    bo_trial_result r = run1(&f, 0, "garbage", 0.5);
    CHECK(r.state == BO_TRIAL_COMPLETE && r.loss == 0.25);
    char log[1300];
    log_path(&f, 0, log, sizeof log);
    CHECK(file_contains(log, "GARBAGE-ON-STDOUT"));
    CHECK(file_contains(log, "GARBAGE-ON-STDERR"));
    r = run1(&f, 1, "closefds", 0.5);
    CHECK(r.state == BO_TRIAL_COMPLETE);
    r = run1(&f, 2, "garbage", 0.5);
    CHECK(r.state == BO_TRIAL_COMPLETE);
    log_path(&f, 2, log, sizeof log);
    CHECK(file_contains(log, "GARBAGE-ON-STDOUT"));
    CHECK(count_lines(f.count) == 1);
    bo_runner_free(f.r);
}

/* Reports reach on_report in order; asking to stop at step 2 ends the
 * trial with the value reached there (10 - 2, hostile.c). */
static void test_reports_and_stop(void)
{
    fixture f;
    if (setup(&f, NULL, NULL, 1, 5, 0))
        return;
    bo_trial_result r = run1(&f, 0, "report", 0);
    CHECK(r.state == BO_TRIAL_COMPLETE && r.loss == 5);
    CHECK(g_n_steps == 5 && g_steps[0] == 1 && g_steps[4] == 5);
    g_n_steps = 0;
    g_stop_at = 2;
    r = run1(&f, 1, "report", 0);
    CHECK(r.state == BO_TRIAL_COMPLETE && r.loss == 8);
    CHECK(g_n_steps == 2);
    CHECK_STR_CONTAINS(r.message, "stopped early");
    bo_runner_free(f.r);
}

/* K = 2: two 0.4 s trials at once take about 0.4 s, not 0.8 s. The
 * workers are warmed first so start-up does not count. */
static void test_parallel(void)
{
    fixture f;
    if (setup(&f, NULL, NULL, 2, 5, 0))
        return;
    bo_value v[2] = {{.name = "mode", .type = BO_VALUE_STRING, .s = "ok"},
                     {.name = "x", .type = BO_VALUE_DOUBLE, .d = 1}};
    bo_error err = {0};
    bo_trial_result r;
    CHECK(bo_runner_idle(f.r) == 2);
    CHECK(bo_runner_submit(f.r, 0, 1, v, 2, &err) == BO_OK);
    CHECK(bo_runner_idle(f.r) == 1);
    CHECK(bo_runner_submit(f.r, 1, 2, v, 2, &err) == BO_OK);
    CHECK(bo_runner_idle(f.r) == 0);
    CHECK(bo_runner_submit(f.r, 2, 3, v, 2, &err) == BO_ESTATE);
    CHECK(bo_runner_wait(f.r, &r, &err) == BO_OK);
    CHECK(bo_runner_wait(f.r, &r, &err) == BO_OK);
    CHECK(count_lines(f.count) == 2);

    v[0].s = "sleep";
    double t0 = bo_proc_now();
    CHECK(bo_runner_submit(f.r, 3, 4, v, 2, &err) == BO_OK);
    CHECK(bo_runner_submit(f.r, 4, 5, v, 2, &err) == BO_OK);
    int seen = 0;
    double wall_sum = 0;
    for (int i = 0; i < 2; i++) {
        CHECK(bo_runner_wait(f.r, &r, &err) == BO_OK);
        CHECK(r.state == BO_TRIAL_COMPLETE);
        CHECK(r.wall_s >= 0.4);
        wall_sum += r.wall_s;
        seen |= 1 << (r.trial - 3);
    }
    double took = bo_proc_now() - t0;
    CHECK(seen == 3);
    /* At once: well under the two trials' own times added (0.8 s idle),
     * which a loaded machine stretches alike; one after the other would
     * take at least their sum. */
    CHECK(took >= 0.4 && took < wall_sum - 0.2);
    CHECK(bo_runner_wait(f.r, &r, &err) == BO_DONE);
    bo_runner_free(f.r);
}

/* bo_runner_free ends every worker, idle or busy, and what a plugin left
 * running in a worker's process group. */
static void test_free_leaves_nothing(void)
{
    fixture f;
    if (setup(&f, NULL, NULL, 2, 5, 0))
        return;
    CHECK(run1(&f, 0, "child", 1).state == BO_TRIAL_COMPLETE);
    bo_value v[2] = {{.name = "mode", .type = BO_VALUE_STRING, .s = "hang"},
                     {.name = "x", .type = BO_VALUE_DOUBLE, .d = 1}};
    bo_error err = {0};
    CHECK(bo_runner_submit(f.r, 1, 1, v, 2, &err) == BO_OK);
    CHECK(bo_runner_submit(f.r, 2, 1, v, 2, &err) == BO_OK);
    /* Let both workers start evaluating. */
    for (int i = 0; i < 200 && count_lines(f.count) < 2; i++)
        usleep(10 * 1000);
    usleep(50 * 1000);
    long pids[4];
    int n = read_create_pids(f.count, pids, 4);
    long child = 0;
    FILE *fp = fopen(f.pids, "r");
    if (fp) {
        if (fscanf(fp, "%ld", &child) != 1)
            child = 0;
        fclose(fp);
    }
    CHECK(n == 2);
    CHECK(child > 0 && alive(child));
    for (int i = 0; i < n; i++)
        CHECK(alive(pids[i]));
    double t0 = bo_proc_now();
    bo_runner_free(f.r);
    CHECK(bo_proc_now() - t0 < 2.5);
    for (int i = 0; i < n; i++)
        CHECK(!alive(pids[i]));
    /* Reaped by the runner, not merely dead: the pid is gone. */
    for (int i = 0; i < n; i++)
        CHECK(kill((pid_t)pids[i], 0) != 0 && errno == ESRCH);
    /* The grandchild was killed with the worker's group: give the kernel
     * time to take it away on a loaded machine. */
    for (int i = 0; i < 300 && alive(child); i++)
        usleep(10 * 1000);
    CHECK(!alive(child));
}

/* kill -9 of the coordinator (a forked copy of this test): its worker,
 * busy with a hanging trial, dies too (PR_SET_PDEATHSIG). */
static void test_coordinator_killed(void)
{
    fixture f;
    if (setup(&f, NULL, NULL, 1, 0, 0))
        return;
    pid_t coord = fork();
    if (coord == 0) {
        bo_value v[2] = {{.name = "mode", .type = BO_VALUE_STRING, .s = "hang"},
                         {.name = "x", .type = BO_VALUE_DOUBLE, .d = 1}};
        bo_error err = {0};
        if (bo_runner_submit(f.r, 0, 1, v, 2, &err) != 0)
            _exit(1);
        for (;;)
            pause();
    }
    CHECK(coord > 0);
    long pids[2] = {0, 0};
    for (int i = 0; i < 300 && read_create_pids(f.count, pids, 2) < 1; i++)
        usleep(10 * 1000);
    CHECK(alive(pids[0]));
    if (coord > 0) {
        kill(coord, SIGKILL);
        int status;
        waitpid(coord, &status, 0);
    }
    /* The worker's zombie is reaped by init, not by us: poll for it. */
    double end = bo_proc_now() + 1.0;
    while (alive(pids[0]) && bo_proc_now() < end)
        usleep(10 * 1000);
    CHECK(!alive(pids[0]));
    bo_runner_free(f.r);  /* this copy never started a worker */
}

/* memory_mb: an allocation over the limit fails with a message that says
 * so, whether the plugin reports it or crashes on it. */
static void test_memory_limit(void)
{
#if defined(__SANITIZE_ADDRESS__)
    /* ASan reserves terabytes of shadow memory: RLIMIT_DATA cannot apply. */
    return;
#endif
    fixture f;
    if (setup(&f, NULL, NULL, 1, 10, 256))
        return;
    bo_trial_result r = run1(&f, 0, "huge", 1);
    CHECK(r.state == BO_TRIAL_FAILED);
    CHECK_STR_CONTAINS(r.message, "cannot allocate 64 GiB");
    CHECK_STR_CONTAINS(r.message, "memory_mb = 256");
    r = run1(&f, 1, "hugetouch", 1);
    CHECK(r.state == BO_TRIAL_CRASHED);
    CHECK_STR_CONTAINS(r.message, "the memory limit was exceeded (memory_mb = 256)");
    CHECK(run1(&f, 2, "ok", 1).state == BO_TRIAL_COMPLETE);
    bo_runner_free(f.r);
}

/* Bad options: one line each. */
static void test_bad_options(void)
{
    bo_runner_options o = {.bo_exe = "/nonexistent/bo", .plugin_path = g_hostile,
                           .workers = 1};
    bo_runner *r = NULL;
    bo_error err = {0};
    CHECK(bo_runner_create(&o, &r, &err) == BO_EIO);
    CHECK_STR_CONTAINS(err.message, "/nonexistent/bo");
    o.bo_exe = g_bo;
    o.workers = 0;
    CHECK(bo_runner_create(&o, &r, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "workers");
    CHECK(r == NULL);
}

int main(void)
{
    const char *b = getenv("BO_BUILD_DIR");
    if (!b) {
        fprintf(stderr, "BO_BUILD_DIR is not set (run through ctest)\n");
        return 1;
    }
#if defined(__SANITIZE_ADDRESS__)
    /* Let the workers die of their signals as in a normal build. */
    setenv("ASAN_OPTIONS", "handle_segv=0:handle_abort=0:handle_sigbus=0:"
           "detect_leaks=0", 1);
#endif
    snprintf(g_build, sizeof g_build, "%s", b);
    snprintf(g_bo, sizeof g_bo, "%s/bin/bo", g_build);
    snprintf(g_hostile, sizeof g_hostile, "%s/tests/plugins/hostile.so", g_build);
    snprintf(g_tmp, sizeof g_tmp, "/tmp/bo-test-runner.XXXXXX");
    if (!mkdtemp(g_tmp)) {
        perror("mkdtemp");
        return 1;
    }
    test_bad_options();
    test_describe();
    test_describe_instance_space();
    test_describe_bad_plugin();
    test_create_fails();
    test_ok_values_and_one_create();
    test_crash_then_recover();
    test_timeout();
    test_invalid_and_failed();
    test_garbage_and_closed_streams();
    test_reports_and_stop();
    test_parallel();
    test_free_leaves_nothing();
    test_coordinator_killed();
    test_memory_limit();

    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", g_tmp);
    return check_summary();
}
