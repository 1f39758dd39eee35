/*
 * worker.c — `bo worker`, the process that evaluates trials (bo/DESIGN.md
 * "Data flow"). Started by the coordinator with posix_spawn, in its own
 * process group, with its end of a private socket on fd 3 (wire.h) and its
 * stdout/stderr on a log file. It loads the plugin and creates the
 * instance once, then answers requests until the socket closes:
 *
 *   INIT -> HELLO (ok, or the loader's / create()'s one-line error)
 *   TRIAL -> [REPORT <-> STOP]* -> RESULT      (fds 1 and 2 re-pointed to
 *                                               the trial's log first)
 *   DESCRIBE -> DESCRIPTION
 *
 * It dies with the coordinator (PR_SET_PDEATHSIG, checked against the
 * parent pid it was told, closing the race with a parent that died before
 * the prctl), ignores SIGPIPE, and limits its data segment to memory_mb
 * more than it holds before loading the plugin (RLIMIT_DATA: RLIMIT_AS
 * would break CUDA and the sanitizers). When a
 * memory limit is set it also catches SIGSEGV/SIGBUS/SIGABRT just long
 * enough to tell the coordinator whether errno was ENOMEM (an allocation
 * that failed under the limit), then dies of the same signal.
 *
 * Must never: write anything but frames to fd 3, print to the coordinator's
 * terminal (its stdout/stderr are the logs), or outlive the coordinator.
 */
#include "runner.h"

#include <cblas.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "loader.h"
#include "wire.h"

typedef struct worker {
    int fd;
    int64_t memory_mb;
    bo_plugin *plugin;
    void *instance;
    char *config;          /* kept to re-create a broken instance */
    bo_wbuf out;
    uint8_t *in;
    size_t in_cap;
    /* per trial, under report_lock: a plugin may report from threads of
     * its own, and one after evaluate() returned must not reach the
     * channel (it would land inside the result frame) */
    int64_t trial;
    int in_trial;
    int stopped;
    int ran_on;            /* reported again after the stop */
    int64_t stop_step;
    double stop_value;
} worker;

static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;

/* The host table and its ctx: one per trial, so that a report through a
 * table (or a pointer to it) kept from an earlier trial, by a plugin
 * thread that outlived its evaluate(), is told apart from the current
 * trial's and dropped, as objective.h promises. Not on the stack: a kept
 * pointer would read the next trial's table there. A ring: a slot is
 * reused CTX_RING trials later, and a report that late is taken again. */
#define CTX_RING 1024
typedef struct trial_ctx {
    bo_host host;
    worker *w;
    uint64_t serial;
} trial_ctx;
static trial_ctx ctx_ring[CTX_RING];
static uint64_t ctx_serial; /* under report_lock */

/* Set while a frame is being written, so the crash handler never splices
 * its frame into the middle of another. */
static volatile sig_atomic_t g_sending;

static int send_frame(worker *w)
{
    g_sending = 1;
    int rc = bo_wire_send(w->fd, &w->out);
    g_sending = 0;
    return rc;
}

/* ------------------------------------------------------- crash handler */

static void crash_handler(int sig)
{
    int e = errno;
    if (!g_sending) {
        uint8_t f[BO_WIRE_HEADER + 8];
        uint32_t n = 1 + 8;
        int32_t s = sig, en = e;
        memcpy(f, &n, 4);
        f[4] = BO_MSG_CRASH;
        memcpy(f + 5, &s, 4);
        memcpy(f + 9, &en, 4);
        ssize_t r = send(BO_WIRE_WORKER_FD, f, sizeof f, MSG_NOSIGNAL);
        (void)r;
    }
    if (e == ENOMEM) {
        static const char line[] = "bo worker: crashed right after an "
                                   "allocation failed (errno ENOMEM)\n";
        ssize_t r = write(2, line, sizeof line - 1);
        (void)r;
    }
    /* SA_RESETHAND restored the default action: a fault re-executes and
     * kills us; abort() raises again itself. Raise anyway for the rest. */
    errno = e;
    if (sig != SIGSEGV && sig != SIGBUS)
        raise(sig);
}

static void install_crash_handler(void)
{
    static char altstack[64 * 1024];
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = crash_handler;
    sa.sa_flags = SA_RESETHAND | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGABRT, &sa, NULL);
}

/* ----------------------------------------------------------- host table */

static void host_log(void *ctx, const char *message)
{
    (void)ctx;
    fprintf(stderr, "%s\n", message ? message : "");
}

static int host_report(void *ctx, int64_t step, double value)
{
    const trial_ctx *tc = ctx;
    pthread_mutex_lock(&report_lock);
    if (tc->serial != ctx_serial) { /* an earlier trial's */
        pthread_mutex_unlock(&report_lock);
        return 1;
    }
    worker *w = tc->w;
    if (!w->in_trial || w->stopped) {
        w->ran_on |= w->stopped;
        pthread_mutex_unlock(&report_lock);
        return 1;
    }
    bo_wbuf_begin(&w->out, BO_MSG_REPORT);
    bo_wbuf_i64(&w->out, w->trial);
    bo_wbuf_i64(&w->out, step);
    bo_wbuf_f64(&w->out, value);
    if (send_frame(w) != 0)
        _exit(3);  /* the coordinator is gone; PDEATHSIG is on its way */
    int type;
    size_t len;
    if (bo_wire_recv(w->fd, &w->in, &w->in_cap, &type, &len) != 0 ||
        type != BO_MSG_STOP || len < 1)
        _exit(3);
    int stop = w->stopped = w->in[0] != 0;
    if (stop) {
        w->stop_step = step;
        w->stop_value = value;
    }
    pthread_mutex_unlock(&report_lock);
    return stop;
}

/* Into the trial's log, what of the metrics will not show as given (the
 * study keeps a name once, the first value, and a non-finite value as
 * empty): a missing column then has its reason beside it. */
static void note_metrics(bo_outcome *o)
{
    for (uint32_t i = 0; i < o->n_metrics; i++) {
        bo_metric *m = &o->metrics[i];
        m->name[BO_NAME_MAX - 1] = '\0';
        if (!m->name[0]) {
            fprintf(stderr, "bo: metric %u has no name: not kept\n", i);
            continue;
        }
        for (uint32_t k = 0; k < i; k++)
            if (strcmp(o->metrics[k].name, m->name) == 0) {
                fprintf(stderr, "bo: metric \"%s\" is given twice: the "
                        "first value is kept\n", m->name);
                break;
            }
        if (!isfinite(m->value))
            fprintf(stderr, "bo: metric \"%s\" is %s: kept as empty\n",
                    m->name, isnan(m->value) ? "NaN" : "infinite");
    }
}

/* The host's own record of a stop decides the label, for plugins and
 * programs alike: one told to stop that returns OK stopped all the same.
 * One that reported again ran past the stop (ignored it, or its output
 * sat in a buffer): its later loss would depend on how far it got and on
 * timing, so the report it was stopped at stands. A result that came
 * straight after that report (a program's answer to SIGTERM) counts. */
static void settle_stop(worker *w, bo_outcome *o)
{
    if (!w->stopped && o->status == BO_STATUS_STOPPED) {
        /* a stop bo never asked for is no early stop: its loss is the
         * result, and the log says why the label is not what it said */
        fprintf(stderr, "bo: the objective said it stopped early, but bo "
                "did not ask it to: taken as a complete trial\n");
        o->status = BO_STATUS_OK;
        return;
    }
    if (!w->stopped || o->status == BO_STATUS_FAILED)
        return;
    if (w->ran_on && isfinite(w->stop_value)) {
        o->loss = w->stop_value;
        snprintf(o->message, sizeof o->message, "stopped at step %" PRId64
                 " (it ran on; that report is its loss)", w->stop_step);
    }
    o->status = BO_STATUS_STOPPED;
}

/* ------------------------------------------------------------- requests */

static void point_logs_at(const char *path)
{
    if (!path[0])
        return;
    fflush(stdout);
    fflush(stderr);
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        /* said in the log still open, then nowhere: this trial's output
         * must not run on into another trial's log */
        fprintf(stderr, "bo worker: %s: %s\n", path, strerror(errno));
        fflush(stderr);
        fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (fd < 0)
            return;
    }
    dup2(fd, 1);
    dup2(fd, 2);
    if (fd > 2)
        close(fd);
}

static int looks_like_memory(const char *msg)
{
    /* What allocators and runtimes say when memory runs out (Python's
     * MemoryError, Java's OutOfMemoryError, C++'s bad_alloc, strerror's
     * ENOMEM), compared without case; not a bare "memory", which "loading
     * the dataset into memory" has too. */
    static const char *const said[] = {
        "memoryerror", "outofmemory", "out of memory", "cannot allocate",
        "failed to allocate", "allocation fail", "bad_alloc", "enomem",
        "memory exhausted", "insufficient memory"};
    char low[BO_MESSAGE_MAX];
    size_t n = 0;
    for (; msg[n] && n < sizeof low - 1; n++)
        low[n] = (char)tolower((unsigned char)msg[n]);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof said / sizeof *said; i++)
        if (strstr(low, said[i]))
            return 1;
    return 0;
}

static int create_instance(worker *w, char *msg, size_t len)
{
    msg[0] = '\0';
    void *inst = NULL;
    int rc = w->plugin->desc.create(w->config, &inst, msg, len);
    msg[len - 1] = '\0';
    if (rc != 0) {
        char why[BO_MESSAGE_MAX];
        snprintf(why, sizeof why, "%s", msg[0] ? msg : "no message");
        /* loading data under memory_mb: the limit is the likely cause */
        char note[96] = "";
        if (w->memory_mb > 0 && looks_like_memory(why))
            snprintf(note, sizeof note, " (the memory limit was probably "
                     "exceeded: memory_mb = %" PRId64 ")", w->memory_mb);
        snprintf(msg, len, "%s: create() failed: %s%s", w->plugin->path, why,
                 note);
        return -1;
    }
    w->instance = inst;
    return 0;
}

static void destroy_instance(worker *w)
{
    if (w->plugin && w->instance)
        w->plugin->desc.destroy(w->instance);
    w->instance = NULL;
}

static int do_trial(worker *w, const uint8_t *p, size_t len)
{
    bo_rbuf r = {.p = p, .len = len};
    w->trial = bo_rbuf_i64(&r);
    uint64_t seed = bo_rbuf_u64(&r);
    const char *log_path = bo_rbuf_str(&r);
    size_t n = 0;
    bo_value *values = bo_rbuf_values(&r, &n);
    if (r.bad)
        return -1;
    point_logs_at(log_path);
    pthread_mutex_lock(&report_lock);
    w->in_trial = 1;
    w->stopped = w->ran_on = 0;
    trial_ctx *tc = &ctx_ring[++ctx_serial % CTX_RING];
    *tc = (trial_ctx){
        .host = {.abi_version = BO_OBJECTIVE_ABI_VERSION,
                 .struct_size = sizeof(bo_host),
                 .trial = w->trial,
                 .seed = seed,
                 .ctx = tc,
                 .log = host_log,
                 .report = host_report},
        .w = w,
        .serial = ctx_serial};
    pthread_mutex_unlock(&report_lock);

    bo_outcome *o = calloc(1, sizeof *o);
    if (!o) {
        free(values);
        return -1;
    }
    o->cost_s = NAN;
    errno = 0;
    pid_t self = getpid();
    int rc = w->plugin->desc.evaluate(w->instance, values, n, &tc->host, o);
    /* A child the plugin forked and that returned instead of exiting must
     * not answer for the trial (or live on as a second worker). */
    if (getpid() != self)
        _exit(127);
    int eval_errno = errno;
    /* the trial is over for reports from the plugin's other threads; the
     * lock stays held until the result is sent */
    pthread_mutex_lock(&report_lock);
    w->in_trial = 0;
    fflush(stdout);
    fflush(stderr);
    free(values);
    if (rc == 0)
        settle_stop(w, o);

    o->message[BO_MESSAGE_MAX - 1] = '\0';
    if (o->n_metrics > BO_METRICS_MAX) {
        /* into the trial's log: the user sees why columns are missing */
        fprintf(stderr, "bo: the objective gave %" PRIu32 " metrics; the "
                "first %d are kept\n", o->n_metrics, BO_METRICS_MAX);
        o->n_metrics = BO_METRICS_MAX;
    }
    note_metrics(o);
    int failed = rc != 0 || o->status == BO_STATUS_FAILED;
    int memory_note = w->memory_mb > 0 && failed &&
                      (eval_errno == ENOMEM || looks_like_memory(o->message));

    bo_wbuf_begin(&w->out, BO_MSG_RESULT);
    bo_wbuf_i64(&w->out, w->trial);
    bo_wbuf_i32(&w->out, rc);
    bo_wbuf_i32(&w->out, o->status);
    bo_wbuf_f64(&w->out, o->loss);
    bo_wbuf_f64(&w->out, o->cost_s);
    bo_wbuf_u8(&w->out, (uint8_t)memory_note);
    bo_wbuf_str(&w->out, o->message);
    bo_wbuf_u32(&w->out, o->n_metrics);
    for (uint32_t i = 0; i < o->n_metrics; i++) {
        o->metrics[i].name[BO_NAME_MAX - 1] = '\0';
        bo_wbuf_str(&w->out, o->metrics[i].name);
        bo_wbuf_f64(&w->out, o->metrics[i].value);
    }
    free(o);
    int sent = send_frame(w);
    pthread_mutex_unlock(&report_lock);
    if (sent != 0)
        return -1;
    if (rc != 0) {
        /* objective.h: a non-zero evaluate() leaves the instance unusable. */
        char msg[1024];
        destroy_instance(w);
        if (create_instance(w, msg, sizeof msg) != 0) {
            fprintf(stderr, "bo worker: %s\n", msg);
            return -1;
        }
    }
    return 0;
}

static int do_describe(worker *w)
{
    bo_error err = {0};
    const bo_param_spec *sp = NULL;
    uint32_t n = 0;
    bo_wbuf_begin(&w->out, BO_MSG_DESCRIPTION);
    if (bo_plugin_space(w->plugin, w->instance, &sp, &n, &err) != 0) {
        /* An empty name tells the coordinator the message is an error. */
        bo_wbuf_str(&w->out, "");
        bo_wbuf_str(&w->out, err.message);
        bo_wbuf_u32(&w->out, 0);
        return send_frame(w);
    }
    bo_wbuf_str(&w->out, w->plugin->desc.name);
    bo_wbuf_str(&w->out, "");
    bo_wbuf_u32(&w->out, n);
    for (uint32_t i = 0; i < n; i++) {
        bo_wbuf_str(&w->out, sp[i].name);
        bo_wbuf_i32(&w->out, sp[i].type);
        bo_wbuf_i32(&w->out, sp[i].log);
        bo_wbuf_f64(&w->out, sp[i].low);
        bo_wbuf_f64(&w->out, sp[i].high);
        uint32_t nc = sp[i].choices ? sp[i].n_choices : 0;
        bo_wbuf_u32(&w->out, nc);
        for (uint32_t c = 0; c < nc; c++)
            bo_wbuf_str(&w->out, sp[i].choices[c]);
    }
    return send_frame(w);
}

/* Whether the objective would take an assignment (its optional check). */
static int do_check(worker *w, const uint8_t *p, size_t len)
{
    bo_rbuf r = {.p = p, .len = len};
    size_t n = 0;
    bo_value *values = bo_rbuf_values(&r, &n);
    if (r.bad)
        return -1;
    char why[BO_MESSAGE_MAX] = "";
    int refused = w->plugin->desc.check &&
                  w->plugin->desc.check(w->instance, values, n, why,
                                        sizeof why) != 0;
    free(values);
    why[sizeof why - 1] = '\0';
    bo_wbuf_begin(&w->out, BO_MSG_CHECKED);
    bo_wbuf_u8(&w->out, (uint8_t)refused);
    bo_wbuf_str(&w->out, refused ? why : "");
    return send_frame(w);
}

/* ----------------------------------------------------------------- main */

static int usage(void)
{
    fputs("bo worker: an internal command, started by `bo run`; it is not "
          "meant to be run by hand\n", stderr);
    return 2;
}

static int parse_args(int argc, char **argv, long *ppid, int64_t *memory_mb)
{
    for (int i = 1; i < argc; i++) {
        char *end = NULL;
        if (strcmp(argv[i], "--ppid") == 0 && i + 1 < argc) {
            *ppid = strtol(argv[++i], &end, 10);
        } else if (strcmp(argv[i], "--memory-mb") == 0 && i + 1 < argc) {
            *memory_mb = strtoll(argv[++i], &end, 10);
        } else {
            return -1;
        }
        if (!end || *end)
            return -1;
    }
    return 0;
}

/* The data segment this process maps now (VmData), in MiB rounded up;
 * 0 where /proc does not say. */
static int64_t data_segment_mb(void)
{
    FILE *fp = fopen("/proc/self/status", "r");
    if (!fp)
        return 0;
    char line[256];
    long long kb = 0;
    while (fgets(line, sizeof line, fp))
        if (sscanf(line, "VmData: %lld kB", &kb) == 1)
            break;
    fclose(fp);
    return kb > 0 ? (int64_t)((kb + 1023) / 1024) : 0;
}

/* OpenBLAS's pool threads map their buffers (hundreds of MiB of address
 * space) when they start, which may be after main() began: a product big
 * enough to be split across the pool waits for every thread to be up, so
 * that what the worker holds is measured after them. */
static void settle_blas_threads(void)
{
    enum { N = 256 };
    double *a = calloc(3 * (size_t)N * N, sizeof *a);
    if (!a)
        return;
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, N, N, N, 1.0, a,
                N, a + N * N, N, 0.0, a + 2 * N * N, N);
    free(a);
}

static void limit_memory(int64_t memory_mb)
{
    if (memory_mb <= 0)
        return;
#if defined(__SANITIZE_ADDRESS__)
    /* ASan's shadow memory alone is terabytes of data segment: any limit
     * would stop the worker before the plugin ran. */
    fprintf(stderr, "bo worker: memory_mb is not enforced in an "
            "AddressSanitizer build\n");
    return;
#endif
    /* On top of what the worker already holds: the bo executable and its
     * libraries (OpenBLAS reserves hundreds of MiB of address space for
     * its buffers) are not the objective's. Under a limit below that, the
     * plugin could not even be mapped, and an OpenBLAS thread retrying a
     * failed buffer mmap deadlocks the next fork(). */
    settle_blas_threads();
    int64_t held_mb = data_segment_mb();
    rlim_t bytes = memory_mb + held_mb > (int64_t)(RLIM_INFINITY / 2 >> 20)
                       ? RLIM_INFINITY
                       : (rlim_t)(memory_mb + held_mb) << 20;
    struct rlimit rl = {bytes, bytes};
    char mb[32];
    snprintf(mb, sizeof mb, "%" PRId64, memory_mb);
    setenv("BO_MEMORY_MB", mb, 1); /* the program adapter's, see program.h */
    if (setrlimit(RLIMIT_DATA, &rl) != 0)
        fprintf(stderr, "bo worker: setrlimit(RLIMIT_DATA): %s\n",
                strerror(errno));
    install_crash_handler();
}

/* Whatever the coordinator's process had open without close-on-exec (a
 * terminal's, a shell's) is not the worker's business. */
static void close_inherited(void)
{
    int first = BO_WIRE_WORKER_FD + 1;
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned)first, ~0u, 0) == 0)
        return;
#endif
    for (int fd = first; fd < 1024; fd++)
        close(fd);
}

int bo_worker_main(int argc, char **argv)
{
    /* First thing: die with the coordinator. If it already died before
     * the prctl took effect, we were re-parented and must go now. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        puts("usage: bo worker (internal)\n\nEvaluates trials for a `bo run` "
             "coordinator over a private socket on fd 3;\nstarted by bo "
             "itself, never by hand.");
        return 0;
    }
    long ppid = -1;
    int64_t memory_mb = 0;
    if (parse_args(argc, argv, &ppid, &memory_mb) != 0)
        return usage();
    if (ppid > 0 && getppid() != (pid_t)ppid)
        return 1;
    struct stat st;
    if (fstat(BO_WIRE_WORKER_FD, &st) != 0 || !S_ISSOCK(st.st_mode))
        return usage();
    signal(SIGPIPE, SIG_IGN);
    close_inherited();
    /* The socket must not leak into programs an objective starts: a
     * grandchild holding it would hide this worker's death. */
    fcntl(BO_WIRE_WORKER_FD, F_SETFD, FD_CLOEXEC);
    /* Output reaches the trial log line by line, so a crash loses little. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    limit_memory(memory_mb);

    worker w = {.fd = BO_WIRE_WORKER_FD, .memory_mb = memory_mb};
    int type, rc = 1;
    size_t len;
    if (bo_wire_recv(w.fd, &w.in, &w.in_cap, &type, &len) != 0 ||
        type != BO_MSG_INIT)
        goto out;
    {
        bo_rbuf r = {.p = w.in, .len = len};
        const char *path = bo_rbuf_str(&r);
        const char *config = bo_rbuf_str(&r);
        if (r.bad || !(w.config = strdup(config)))
            goto out;
        bo_error err = {0};
        char msg[sizeof err.message] = "";
        int ok = bo_plugin_open(path, &w.plugin, &err) == 0;
        if (!ok)
            snprintf(msg, sizeof msg, "%s", err.message);
        else
            ok = create_instance(&w, msg, sizeof msg) == 0;
        bo_wbuf_begin(&w.out, BO_MSG_HELLO);
        bo_wbuf_u8(&w.out, (uint8_t)ok);
        bo_wbuf_str(&w.out, msg);
        if (send_frame(&w) != 0 || !ok) {
            if (!ok)
                fprintf(stderr, "bo worker: %s\n", msg);
            goto out;
        }
    }
    for (;;) {
        int r = bo_wire_recv(w.fd, &w.in, &w.in_cap, &type, &len);
        if (r == 1) {
            rc = 0;  /* the coordinator closed our socket: done */
            break;
        }
        if (r != 0)
            break;
        if (type == BO_MSG_TRIAL)
            r = do_trial(&w, w.in, len);
        else if (type == BO_MSG_DESCRIBE)
            r = do_describe(&w);
        else if (type == BO_MSG_CHECK)
            r = do_check(&w, w.in, len);
        else
            r = -1;
        if (r != 0)
            break;
    }
out:
    fflush(stdout);
    destroy_instance(&w);
    bo_plugin_close(w.plugin);
    free(w.config);
    free(w.in);
    bo_wbuf_free(&w.out);
    return rc;
}
