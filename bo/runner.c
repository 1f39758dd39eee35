/*
 * runner.c — the coordinator's side of trial evaluation (runner.h).
 *
 * K worker slots. A slot is dead (no process), idle or busy. Processes are
 * started lazily: the first trial (or describe) a dead slot gets starts
 * `bo worker`, sends INIT, and sends the request right behind it, so the
 * worker loads the plugin while the request waits in the socket.
 *
 * Deadlines: a busy slot has one. Until the worker's HELLO it is the
 * start-up deadline (spawn + timeout_s: loading a data set or a CUDA
 * context is not the trial's time); from HELLO (or from submit on a warm
 * worker) it is the trial's own, and wall_s counts from there too, on
 * CLOCK_MONOTONIC. wait() polls the busy sockets until the earliest
 * deadline; a worker past it is ended with its process group (SIGTERM,
 * RUNNER_GRACE_S, SIGKILL) and its trial is TIMEOUT.
 *
 * A worker whose socket reaches end of stream before answering crashed:
 * its status ("killed by signal 11 (Segmentation fault)") and the tail of
 * the trial's log make the message. Its slot is dead and restarts with the
 * next trial, so the plugin's instance is created again there.
 *
 * GPUs: slot i always gets the same id from the options' list (a
 * replaced worker takes its predecessor's device), set in the worker's
 * environment only: the coordinator never touches CUDA.
 *
 * Must never: load a plugin, block without a deadline when one is set,
 * leave a child unreaped, or read a frame it has not bounds-checked.
 */
#include "runner.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "runner_proc.h"
#include "wire.h"

/* SIGTERM to SIGKILL. A worker only needs it to take a program objective's
 * process group down with it. */
#define RUNNER_GRACE_S 1.0
/* A worker that closed its socket should exit promptly; after this long it
 * is made to. */
#define RUNNER_EXIT_WAIT_S 2.0
#define RUNNER_TAIL 300

enum { SLOT_DEAD = 0, SLOT_IDLE = 1, SLOT_BUSY = 2 };

typedef struct slot {
    int state;
    pid_t pid;
    int fd;
    int ready;                  /* HELLO ok received */
    int hello_failed;
    char hello_msg[BO_MESSAGE_MAX];
    int eof;
    int crash_sig, crash_errno; /* from a CRASH frame, 0 if none */
    bo_inbuf in;

    int64_t trial;
    double t_start, deadline;
    int stopped;                /* the host answered a report with stop */
    int64_t stop_step;
    double stop_value;
    char log_path[PATH_MAX];
} slot;

struct bo_runner {
    char *exe, *plugin, *config, *log_dir;
    int k;
    double timeout_s;
    int64_t memory_mb;
    int threads;
    char *gpus;                 /* the GPU ids, NUL-separated; NULL: none */
    int n_gpus, gpu_first;
    int (*on_report)(void *ctx, int64_t trial, int64_t step, double value);
    void *ctx;
    slot *s;
    bo_wbuf out;
};

/* Events next_event() finds in a slot's input. */
enum { EV_NONE = 0, EV_RESULT, EV_DESCRIPTION, EV_CHECKED, EV_DEAD, EV_PROTO };

static double deadline_from(const bo_runner *r, double t)
{
    return r->timeout_s > 0 ? t + r->timeout_s : INFINITY;
}

/* ------------------------------------------------------------- processes */

static void slot_end(bo_runner *r, slot *w, double wait_s,
                     bo_proc_end_info *info)
{
    (void)r;
    bo_proc_end_info ignored;
    if (!info)
        info = &ignored;
    if (w->fd >= 0)
        close(w->fd);
    bo_proc_end(w->pid, wait_s, RUNNER_GRACE_S, info);
    bo_inbuf_reset(&w->in);
    w->fd = -1;
    w->pid = -1;
    w->state = SLOT_DEAD;
    w->ready = w->hello_failed = w->eof = 0;
    w->crash_sig = w->crash_errno = 0;
    w->hello_msg[0] = '\0';
}

/* The GPU id of a slot: the same slot always gets the same device, so a
 * replaced worker takes over its predecessor's. */
static const char *slot_gpu(const bo_runner *r, const slot *w)
{
    if (r->n_gpus == 0)
        return NULL;
    long i = ((long)(w - r->s) + r->gpu_first) % r->n_gpus;
    const char *id = r->gpus;
    while (i-- > 0)
        id += strlen(id) + 1;
    return id;
}

static int slot_start(bo_runner *r, slot *w, const char *log_path,
                      bo_error *err)
{
    int rc = bo_proc_spawn(r->exe, r->memory_mb, r->threads, slot_gpu(r, w),
                           log_path && log_path[0] ? log_path : NULL,
                           &w->pid, &w->fd, err);
    if (rc)
        return rc;
    w->state = SLOT_IDLE;
    w->ready = w->hello_failed = w->eof = 0;
    w->crash_sig = w->crash_errno = 0;
    bo_inbuf_reset(&w->in);
    bo_wbuf_begin(&r->out, BO_MSG_INIT);
    bo_wbuf_str(&r->out, r->plugin);
    bo_wbuf_str(&r->out, r->config);
    int e = bo_wire_send(w->fd, &r->out);
    if (e != 0) {
        bo_proc_end_info info;
        slot_end(r, w, RUNNER_EXIT_WAIT_S, &info);
        char how[96];
        bo_proc_describe_status(info.status, how, sizeof how);
        return bo_error_set(err, BO_ERUNTIME, "%s worker: it %s right after "
                            "starting (%s)", r->exe, how, strerror(-e));
    }
    return BO_OK;
}

/* An idle worker must have nothing to say; if its socket is readable it
 * died (or misbehaves) since its last trial, and is ended. */
static void slot_check_idle(bo_runner *r, slot *w)
{
    if (w->state != SLOT_IDLE)
        return;
    struct pollfd p = {.fd = w->fd, .events = POLLIN};
    if (poll(&p, 1, 0) > 0)
        slot_end(r, w, RUNNER_EXIT_WAIT_S, NULL);
}

static void log_path_for(const bo_runner *r, int64_t trial, char *buf,
                         size_t len)
{
    if (!r->log_dir)
        buf[0] = '\0';
    else if (trial >= 0)
        snprintf(buf, len, "%s/trial-%05" PRId64 ".log", r->log_dir, trial);
    else
        snprintf(buf, len, "%s/describe.log", r->log_dir);
}

/* --------------------------------------------------------------- frames */

static int handle_report(bo_runner *r, slot *w, const uint8_t *p, size_t len)
{
    bo_rbuf rb = {.p = p, .len = len};
    int64_t trial = bo_rbuf_i64(&rb);
    int64_t step = bo_rbuf_i64(&rb);
    double value = bo_rbuf_f64(&rb);
    if (rb.bad || w->state != SLOT_BUSY || trial != w->trial)
        return -1;
    int stop = r->on_report ? r->on_report(r->ctx, trial, step, value) : 0;
    if (stop && !w->stopped) {
        w->stopped = 1;
        w->stop_step = step;
        w->stop_value = value;
    }
    bo_wbuf_begin(&r->out, BO_MSG_STOP);
    bo_wbuf_u8(&r->out, stop != 0);
    /* A failed send means the worker is gone: its end of stream says so. */
    (void)bo_wire_send(w->fd, &r->out);
    return 0;
}

/* Reads the slot's complete frames, handling HELLO, REPORT and CRASH
 * itself, until a RESULT or DESCRIPTION (payload returned, valid until the
 * next fill) or the end of the stream. */
static int next_event(bo_runner *r, slot *w, const uint8_t **p, size_t *len)
{
    for (;;) {
        int type;
        int rc = bo_inbuf_next(&w->in, &type, p, len);
        if (rc < 0)
            return EV_PROTO;
        if (rc == 0)
            return w->eof ? EV_DEAD : EV_NONE;
        bo_rbuf rb = {.p = *p, .len = *len};
        switch (type) {
        case BO_MSG_HELLO: {
            int ok = bo_rbuf_u8(&rb);
            const char *msg = bo_rbuf_str(&rb);
            if (rb.bad || w->ready)
                return EV_PROTO;
            if (ok) {
                double now = bo_proc_now();
                w->ready = 1;
                w->t_start = now;
                w->deadline = deadline_from(r, now);
            } else {
                w->hello_failed = 1;
                snprintf(w->hello_msg, sizeof w->hello_msg, "%s", msg);
            }
            break;
        }
        case BO_MSG_REPORT:
            if (handle_report(r, w, *p, *len) != 0)
                return EV_PROTO;
            break;
        case BO_MSG_CRASH:
            w->crash_sig = bo_rbuf_i32(&rb);
            w->crash_errno = bo_rbuf_i32(&rb);
            break;
        case BO_MSG_RESULT:
            return w->ready ? EV_RESULT : EV_PROTO;
        case BO_MSG_DESCRIPTION:
            return w->ready ? EV_DESCRIPTION : EV_PROTO;
        case BO_MSG_CHECKED:
            return w->ready ? EV_CHECKED : EV_PROTO;
        default:
            return EV_PROTO;
        }
    }
}

static void slot_fill(slot *w)
{
    for (;;) {
        long n = bo_inbuf_fill(&w->in, w->fd);
        if (n > 0)
            continue;
        if (n != -EAGAIN)
            w->eof = 1;  /* end of stream, or an error that ends it */
        return;
    }
}

/* ---------------------------------------------------------------- trials */

static void result_init(bo_trial_result *out, const slot *w, int state)
{
    memset(out, 0, sizeof *out);
    out->trial = w->trial;
    out->state = state;
    out->loss = NAN;
    out->cost_s = NAN;
    out->wall_s = bo_proc_now() - w->t_start;
}

/* Appends to a result's message, cutting at the buffer's end. */
static void msg_add(bo_trial_result *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void msg_add(bo_trial_result *out, const char *fmt, ...)
{
    size_t used = strlen(out->message);
    if (used + 1 >= sizeof out->message)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->message + used, sizeof out->message - used, fmt, ap);
    va_end(ap);
}

static void add_tail(bo_trial_result *out, const slot *w)
{
    char tail[RUNNER_TAIL];
    bo_proc_log_tail(w->log_path[0] ? w->log_path : NULL, tail, sizeof tail);
    if (tail[0])
        msg_add(out, "; log: %s", tail);
}

static void finish_result(bo_runner *r, slot *w, const uint8_t *p,
                          size_t len, bo_trial_result *out)
{
    bo_rbuf rb = {.p = p, .len = len};
    int64_t trial = bo_rbuf_i64(&rb);
    int32_t eval_rc = bo_rbuf_i32(&rb);
    int32_t status = bo_rbuf_i32(&rb);
    double loss = bo_rbuf_f64(&rb);
    double cost = bo_rbuf_f64(&rb);
    int memory_note = bo_rbuf_u8(&rb);
    const char *msg = bo_rbuf_str(&rb);
    uint32_t nm = bo_rbuf_u32(&rb);
    result_init(out, w, BO_TRIAL_FAILED);
    if (rb.bad || trial != w->trial || nm > BO_METRICS_MAX) {
        snprintf(out->message, sizeof out->message, "protocol error: a "
                 "malformed result from the worker");
        slot_end(r, w, 0, NULL);
        return;
    }
    for (uint32_t i = 0; i < nm; i++) {
        snprintf(out->metrics[i].name, sizeof out->metrics[i].name, "%s",
                 bo_rbuf_str(&rb));
        out->metrics[i].value = bo_rbuf_f64(&rb);
    }
    out->n_metrics = rb.bad ? 0 : nm;
    out->cost_s = isfinite(cost) && cost >= 0 ? cost : NAN;
    w->state = SLOT_IDLE;

    if (eval_rc != 0) {
        msg_add(out, "evaluate() returned %d: %s", eval_rc,
                msg[0] ? msg : "no message");
    } else if (status == BO_STATUS_FAILED) {
        msg_add(out, "%s", msg[0] ? msg : "the objective reported a failure "
                "without a message");
    } else if (status != BO_STATUS_OK && status != BO_STATUS_STOPPED) {
        msg_add(out, "the objective returned an unknown status %d", status);
    } else if (!isfinite(loss)) {
        out->state = BO_TRIAL_INVALID;
        /* The objective's own words where it gave a reason, and what the
         * loss was unless those words already say: "loss is NaN", or a
         * NaN that only carries a missing loss or result (a program that
         * printed no result line, or none with a "loss"). */
        const char *what = isnan(loss) ? "NaN" : loss > 0 ? "+inf" : "-inf";
        char said[32];
        snprintf(said, sizeof said, "loss is %s", what);
        int told = strstr(msg, said) ||
                   (isnan(loss) && (strstr(msg, "\"loss\"") ||
                                    strstr(msg, "result")));
        if (msg[0] && told)
            msg_add(out, "%s", msg);
        else if (msg[0])
            msg_add(out, "%s (the loss is %s)", msg, what);
        else
            msg_add(out, "the loss is %s", what);
    } else {
        out->state = BO_TRIAL_COMPLETE;
        out->loss = loss;
        out->stopped_early = status == BO_STATUS_STOPPED;
        if (status == BO_STATUS_STOPPED)
            msg_add(out, "stopped early%s%s", msg[0] ? ": " : "", msg);
        else if (msg[0])
            msg_add(out, "%s", msg);
    }
    if (out->state == BO_TRIAL_FAILED && memory_note) {
        /* before a program's stderr tail, which a one-line view cuts */
        char note[96], rest[sizeof out->message];
        snprintf(note, sizeof note, " (the memory limit was probably "
                 "exceeded: memory_mb = %" PRId64 ")", r->memory_mb);
        char *tail = strstr(out->message, "; stderr: ");
        snprintf(rest, sizeof rest, "%s", tail ? tail : "");
        if (tail)
            *tail = '\0';
        msg_add(out, "%s%s", note, rest);
    }
}

/* The worker ended before answering. */
static void finish_dead(bo_runner *r, slot *w, int proto,
                        bo_trial_result *out)
{
    bo_proc_end_info info;
    int crash_sig = w->crash_sig, crash_errno = w->crash_errno;
    int hello_failed = w->hello_failed, ready = w->ready;
    char hello[BO_MESSAGE_MAX];
    snprintf(hello, sizeof hello, "%s", w->hello_msg);
    slot_end(r, w, proto ? 0 : RUNNER_EXIT_WAIT_S, &info);

    if (hello_failed) {
        result_init(out, w, BO_TRIAL_FAILED);
        msg_add(out, "the objective could not start: %s", hello);
        return;
    }
    result_init(out, w, BO_TRIAL_CRASHED);
    char how[128];
    bo_proc_describe_status(info.status, how, sizeof how);
    if (proto)
        msg_add(out, "protocol error: the worker sent a malformed frame "
                "and was killed");
    else if (info.killed)
        msg_add(out, "the worker closed its socket without answering and "
                "was killed");
    else if (!ready) /* a new worker: loading the plugin, create() */
        msg_add(out, "the worker %s%s while starting the objective (loading "
                "it or in its create()), before the trial began",
                WIFSIGNALED(info.status) ? "was " : "", how);
    else
        msg_add(out, "the worker %s%s before answering",
                WIFSIGNALED(info.status) ? "was " : "", how);
    if (r->memory_mb > 0) {
        long limit_kb = (long)(r->memory_mb * 1024);
        if (crash_sig && crash_errno == ENOMEM)
            msg_add(out, "; an allocation failed: the memory limit was "
                    "exceeded (memory_mb = %" PRId64 ")", r->memory_mb);
        else if (info.maxrss_kb >= limit_kb - limit_kb / 10 ||
                 (WIFSIGNALED(info.status) && WTERMSIG(info.status) == SIGKILL))
            msg_add(out, "; it used %ld MiB, perhaps over the memory limit "
                    "(memory_mb = %" PRId64 ")", info.maxrss_kb / 1024,
                    r->memory_mb);
    }
    add_tail(out, w);
}

static void finish_timeout(bo_runner *r, slot *w, bo_trial_result *out)
{
    int ready = w->ready;
    int stopped = w->stopped && isfinite(w->stop_value);
    int64_t step = w->stop_step;
    double value = w->stop_value;
    slot_end(r, w, 0, NULL);
    if (stopped) {
        /* Told to stop, it did not end in time (a grace period past the
         * deadline, a plugin that ignores the answer): the report it was
         * stopped at stands, as when it ends by itself. */
        result_init(out, w, BO_TRIAL_COMPLETE);
        out->loss = value;
        out->stopped_early = 1;
        msg_add(out, "stopped early at step %" PRId64 "; still running at "
                "timeout_s (%g s), the worker was killed", step, r->timeout_s);
        return;
    }
    result_init(out, w, BO_TRIAL_TIMEOUT);
    msg_add(out, "timed out after %g s (timeout_s)%s; the worker was killed",
            r->timeout_s, ready ? "" : " while the objective was starting");
    add_tail(out, w);
}

/* ------------------------------------------------------------------ API */

/* "0, 2,3" -> "0\0" "2\0" "3\0": empty entries dropped. */
static int parse_gpus(bo_runner *r, const char *list)
{
    if (!list || !*list)
        return BO_OK;
    r->gpus = malloc(strlen(list) + 1);
    if (!r->gpus)
        return BO_ENOMEM;
    char *o = r->gpus;
    for (const char *p = list; *p;) {
        while (*p == ',' || *p == ' ')
            p++;
        size_t len = strcspn(p, ", ");
        if (len == 0)
            break;
        memcpy(o, p, len);
        o[len] = '\0';
        o += len + 1;
        r->n_gpus++;
        p += len;
    }
    return BO_OK;
}

int bo_runner_create(const bo_runner_options *opt, bo_runner **out,
                     bo_error *err)
{
    *out = NULL;
    if (!opt || !opt->bo_exe || !opt->plugin_path)
        return bo_error_set(err, BO_EINVAL, "runner: bo_exe and plugin_path "
                            "are required");
    /* the spec's and the command line's bound (spec.c) */
    if (opt->workers < 1 || opt->workers > 4096)
        return bo_error_set(err, BO_EINVAL, "workers: %d is not in 1..4096",
                            opt->workers);
    if (access(opt->bo_exe, X_OK) != 0)
        /* bo's own executable, gone under a running study: no usage
         * error (exit 1, not 2) */
        return bo_error_set(err, BO_EIO, "%s: cannot run it: %s",
                            opt->bo_exe, strerror(errno));
    bo_runner *r = calloc(1, sizeof *r);
    if (!r)
        return bo_error_set(err, BO_ENOMEM, "runner: out of memory");
    r->k = opt->workers;
    r->timeout_s = opt->timeout_s > 0 ? opt->timeout_s : 0;
    r->memory_mb = opt->memory_mb > 0 ? opt->memory_mb : 0;
    r->threads = opt->threads_per_worker > 0 ? opt->threads_per_worker : 1;
    r->on_report = opt->on_report;
    r->ctx = opt->ctx;
    r->exe = strdup(opt->bo_exe);
    r->plugin = strdup(opt->plugin_path);
    r->config = strdup(opt->config_json ? opt->config_json : "{}");
    r->log_dir = opt->log_dir ? strdup(opt->log_dir) : NULL;
    r->s = calloc((size_t)r->k, sizeof *r->s);
    r->gpu_first = opt->gpu_first > 0 ? opt->gpu_first : 0;
    if (!r->exe || !r->plugin || !r->config || (opt->log_dir && !r->log_dir) ||
        !r->s || parse_gpus(r, opt->gpus) != BO_OK) {
        bo_runner_free(r);
        return bo_error_set(err, BO_ENOMEM, "runner: out of memory");
    }
    for (int i = 0; i < r->k; i++) {
        r->s[i].fd = -1;
        r->s[i].pid = -1;
    }
    *out = r;
    return BO_OK;
}

void bo_runner_free(bo_runner *r)
{
    bo_runner_close(r, NULL, 0);
}

int bo_runner_close(bo_runner *r, char *why, size_t why_len)
{
    int crashed = 0;
    if (why && why_len)
        why[0] = '\0';
    if (!r)
        return 0;
    /* Close every socket first: idle workers then exit by themselves,
     * all at once, instead of one grace period after another. */
    for (int i = 0; r->s && i < r->k; i++) {
        if (r->s[i].fd >= 0)
            close(r->s[i].fd);
        r->s[i].fd = -1;
        if (r->s[i].pid > 0 && r->s[i].state == SLOT_BUSY)
            kill(-r->s[i].pid, SIGTERM);
    }
    for (int i = 0; r->s && i < r->k; i++) {
        /* an idle worker told to go (its socket closed) destroys the
         * instance, closes the plugin and exits 0; anything else is the
         * objective's doing there */
        int idle = r->s[i].state != SLOT_BUSY;
        bo_proc_end_info info = {0};
        if (r->s[i].pid > 0) {
            slot_end(r, &r->s[i], 0.5, &info);
            if (idle && !info.killed && info.status != 0 && !crashed++ && why)
                bo_proc_describe_status(info.status, why, why_len);
        }
        bo_inbuf_free(&r->s[i].in);
    }
    bo_wbuf_free(&r->out);
    free(r->s);
    free(r->exe);
    free(r->plugin);
    free(r->config);
    free(r->log_dir);
    free(r->gpus);
    free(r);
    return crashed;
}

int bo_runner_idle(const bo_runner *r)
{
    int n = 0;
    for (int i = 0; i < r->k; i++)
        n += r->s[i].state != SLOT_BUSY;
    return n;
}

/* A live idle slot, starting one if needed; log_path is where a new
 * worker's start-up output goes. */
static slot *take_slot(bo_runner *r, const char *log_path, bo_error *err)
{
    slot *w = NULL;
    for (int i = 0; i < r->k && !w; i++) {
        slot_check_idle(r, &r->s[i]);
        if (r->s[i].state == SLOT_IDLE)
            w = &r->s[i];
    }
    for (int i = 0; i < r->k && !w; i++)
        if (r->s[i].state == SLOT_DEAD)
            w = &r->s[i];
    if (!w) {
        bo_error_set(err, BO_ESTATE, "runner: no idle worker");
        return NULL;
    }
    if (w->state == SLOT_DEAD) {
        if (slot_start(r, w, log_path, err) != 0)
            return NULL;
        w->deadline = deadline_from(r, bo_proc_now());
    }
    return w;
}

int bo_runner_submit(bo_runner *r, int64_t trial, uint64_t seed,
                     const bo_value *assignment, size_t n, bo_error *err)
{
    char log_path[PATH_MAX];
    log_path_for(r, trial, log_path, sizeof log_path);
    /* Two tries: a warm worker may have died since its last trial in a
     * way only the send notices. */
    for (int attempt = 0; attempt < 2; attempt++) {
        slot *w = take_slot(r, log_path, err);
        if (!w)
            return err ? err->code : BO_ESTATE;
        bo_wbuf_begin(&r->out, BO_MSG_TRIAL);
        bo_wbuf_i64(&r->out, trial);
        bo_wbuf_u64(&r->out, seed);
        bo_wbuf_str(&r->out, log_path);
        bo_wbuf_values(&r->out, assignment, n);
        if (r->out.bad)
            return bo_error_set(err, BO_EINVAL, "trial %" PRId64 ": the "
                                "assignment is too large or malformed", trial);
        int e = bo_wire_send(w->fd, &r->out);
        if (e != 0) {
            slot_end(r, w, RUNNER_EXIT_WAIT_S, NULL);
            bo_error_set(err, BO_ERUNTIME, "trial %" PRId64 ": cannot reach "
                         "the worker: %s", trial, strerror(-e));
            continue;
        }
        double now = bo_proc_now();
        w->state = SLOT_BUSY;
        w->trial = trial;
        w->stopped = 0;
        snprintf(w->log_path, sizeof w->log_path, "%s", log_path);
        w->t_start = now;
        if (w->ready)
            w->deadline = deadline_from(r, now);
        return BO_OK;
    }
    return err ? err->code : BO_ERUNTIME;
}

int bo_runner_wait(bo_runner *r, bo_trial_result *out, bo_error *err)
{
    struct pollfd *pf = calloc((size_t)r->k, sizeof *pf);
    int *idx = calloc((size_t)r->k, sizeof *idx);
    if (!pf || !idx) {
        free(pf);
        free(idx);
        return bo_error_set(err, BO_ENOMEM, "runner: out of memory");
    }
    int rc = BO_DONE;
    for (;;) {
        int busy = 0;
        double first = INFINITY;
        for (int i = 0; i < r->k; i++) {
            slot *w = &r->s[i];
            if (w->state != SLOT_BUSY)
                continue;
            const uint8_t *p;
            size_t len;
            int ev = next_event(r, w, &p, &len);
            if (ev == EV_RESULT) {
                finish_result(r, w, p, len, out);
                rc = BO_OK;
                goto done;
            }
            if (ev == EV_DEAD || ev == EV_PROTO || ev == EV_DESCRIPTION) {
                finish_dead(r, w, ev != EV_DEAD, out);
                rc = BO_OK;
                goto done;
            }
            if (w->state != SLOT_BUSY)
                continue;
            if (bo_proc_now() >= w->deadline) {
                finish_timeout(r, w, out);
                rc = BO_OK;
                goto done;
            }
            pf[busy].fd = w->fd;
            pf[busy].events = POLLIN;
            pf[busy].revents = 0;
            idx[busy++] = i;
            if (w->deadline < first)
                first = w->deadline;
        }
        if (busy == 0)
            goto done;
        int ms = -1;
        if (isfinite(first)) {
            double left = first - bo_proc_now();
            ms = left <= 0 ? 0 : left > 1e6 ? 1000 * 1000 * 1000
                                            : (int)ceil(left * 1000.0);
        }
        int n = poll(pf, (nfds_t)busy, ms);
        if (n < 0 && errno != EINTR) {
            rc = bo_error_set(err, BO_ERUNTIME, "runner: poll: %s",
                              strerror(errno));
            goto done;
        }
        for (int j = 0; n > 0 && j < busy; j++)
            if (pf[j].revents)
                slot_fill(&r->s[idx[j]]);
    }
done:
    free(pf);
    free(idx);
    return rc;
}

/* -------------------------------------------------------------- describe */

static int parse_description(const uint8_t *p, size_t len, char *name,
                             size_t name_len, bo_space **space, bo_error *err)
{
    bo_rbuf rb = {.p = p, .len = len};
    const char *obj = bo_rbuf_str(&rb);
    const char *msg = bo_rbuf_str(&rb);
    uint32_t n = bo_rbuf_u32(&rb);
    if (!rb.bad && !obj[0])
        return bo_error_set(err, BO_EINVAL, "%s", msg);
    /* A parameter takes at least 33 bytes (an empty name, refused later
     * with its own message: 4 + 1; type, log: 8; bounds: 16; choice count:
     * 4): bounds a hostile count. */
    if (rb.bad || n > (len - rb.pos) / 33)
        return bo_error_set(err, BO_ERUNTIME, "protocol error: a malformed "
                            "description from the worker");
    snprintf(name, name_len, "%s", obj);
    if (n == 0)
        return BO_OK;
    bo_param_spec *ps = calloc(n, sizeof *ps);
    const char **choices = NULL;
    size_t nch = 0;
    int rc = BO_OK;
    for (uint32_t i = 0; ps && i < n && !rb.bad; i++) {
        ps[i].name = bo_rbuf_str(&rb);
        ps[i].type = bo_rbuf_i32(&rb);
        ps[i].log = bo_rbuf_i32(&rb);
        ps[i].low = bo_rbuf_f64(&rb);
        ps[i].high = bo_rbuf_f64(&rb);
        uint32_t nc = bo_rbuf_u32(&rb);
        if (rb.bad || nc > (len - rb.pos) / 5) {
            rb.bad = 1;
            break;
        }
        const char **grown = realloc(choices, (nch + nc + 1) * sizeof *grown);
        if (!grown) {
            rb.bad = 1;
            break;
        }
        choices = grown;
        /* Offsets for now: the array may move while it grows. */
        ps[i].reserved[0] = (void *)(uintptr_t)nch;
        for (uint32_t c = 0; c < nc; c++)
            choices[nch++] = bo_rbuf_str(&rb);
        ps[i].n_choices = nc;
    }
    if (!ps || rb.bad) {
        rc = bo_error_set(err, ps ? BO_ERUNTIME : BO_ENOMEM, "protocol error: "
                          "a malformed description from the worker");
    } else {
        for (uint32_t i = 0; i < n; i++) {
            ps[i].choices = ps[i].n_choices
                                ? choices + (uintptr_t)ps[i].reserved[0]
                                : NULL;
            ps[i].reserved[0] = NULL;
        }
        rc = bo_space_create(ps, n, space, err);
        if (rc)
            bo_error_prefix(err, "the objective '%s' declares a bad default "
                            "space", obj);
    }
    free(ps);
    free(choices);
    return rc;
}

/* Sends a message of `type` (with `values` when not NULL) to an idle
 * worker (started if need be) and waits for its reply of event `want`
 * (the payload in *p, *len), under the trial deadline; `doing` names the step in messages
 * ("describing the objective"), `late` what was not done in time
 * ("describe itself"). A worker whose create() failed or that died is
 * ended. */
static int ask_worker(bo_runner *r, int type, const bo_value *values,
                      size_t n, int want, const char *doing,
                      const char *late, const uint8_t **p, size_t *len,
                      bo_error *err)
{
    char log_path[PATH_MAX];
    log_path_for(r, -1, log_path, sizeof log_path);
    slot *w = take_slot(r, log_path, err);
    if (!w)
        return err ? err->code : BO_ESTATE;
    if (w->ready)
        w->deadline = deadline_from(r, bo_proc_now());
    /* built only now: starting a worker sends its own frame from r->out */
    bo_wbuf_begin(&r->out, type);
    if (values)
        bo_wbuf_values(&r->out, values, n);
    if (bo_wire_send(w->fd, &r->out) != 0)
        w->eof = 1;
    /* Reuse the trial bookkeeping for messages: a request is "trial -1". */
    w->trial = -1;
    snprintf(w->log_path, sizeof w->log_path, "%s", log_path);
    for (;;) {
        int ev = next_event(r, w, p, len);
        if (ev == want)
            return BO_OK;
        if (ev != EV_NONE && w->hello_failed) {
            /* The loader's or create()'s own line says it all. */
            bo_error_set(err, BO_EINVAL, "%s", w->hello_msg);
            slot_end(r, w, RUNNER_EXIT_WAIT_S, NULL);
            return BO_EINVAL;
        }
        if (ev != EV_NONE) {
            bo_trial_result res;
            finish_dead(r, w, ev != EV_DEAD, &res);
            return bo_error_set(err, BO_ERUNTIME, "%s: %s: %s", r->plugin,
                                doing, res.message);
        }
        double left = w->deadline - bo_proc_now();
        if (left <= 0) {
            int started = w->ready; /* slot_end forgets it */
            slot_end(r, w, 0, NULL);
            return bo_error_set(err, BO_ERUNTIME, "%s: the objective did "
                                "not %s within %g s (timeout_s)%s", r->plugin,
                                late, r->timeout_s, started ? "" : ": "
                                "loading it and its create() took longer");
        }
        struct pollfd pf = {.fd = w->fd, .events = POLLIN};
        int ms = !isfinite(left) ? -1 : left > 1e6 ? 1000 * 1000 * 1000
                                                   : (int)ceil(left * 1000.0);
        if (poll(&pf, 1, ms) > 0)
            slot_fill(w);
    }
}

int bo_runner_describe(bo_runner *r, char *name, size_t name_len,
                       bo_space **space, bo_error *err)
{
    *space = NULL;
    if (name_len)
        name[0] = '\0';
    const uint8_t *p;
    size_t len;
    int rc = ask_worker(r, BO_MSG_DESCRIBE, NULL, 0, EV_DESCRIPTION,
                        "describing the objective", "describe itself", &p,
                        &len, err);
    if (rc)
        return rc;
    rc = parse_description(p, len, name, name_len, space, err);
    if (rc == BO_EINVAL && !strstr(err->message, r->plugin))
        bo_error_prefix(err, "%s", r->plugin); /* where */
    return rc;
}

int bo_runner_check(bo_runner *r, const bo_value *assignment, size_t n,
                    char *why, size_t why_len, bo_error *err)
{
    if (why_len)
        why[0] = '\0';
    const uint8_t *p;
    size_t len;
    int rc = ask_worker(r, BO_MSG_CHECK, assignment, n, EV_CHECKED,
                        "checking an assignment", "answer a check", &p, &len,
                        err);
    if (rc)
        return rc;
    bo_rbuf rb = {.p = p, .len = len};
    int refused = bo_rbuf_u8(&rb);
    const char *msg = bo_rbuf_str(&rb);
    if (rb.bad)
        return bo_error_set(err, BO_ERUNTIME, "protocol error: a malformed "
                            "check answer from the worker");
    if (refused)
        snprintf(why, why_len, "%s", msg[0] ? msg : "refused, with no message");
    return BO_OK;
}

int bo_space_centre(const bo_space *sp, double **u, bo_value **v,
                    bo_error *err)
{
    size_t dim = bo_space_dim(sp), np = bo_space_n_params(sp);
    *u = malloc((dim ? dim : 1) * sizeof **u);
    *v = calloc(np ? np : 1, sizeof **v);
    int rc = *u && *v ? BO_OK : bo_error_set(err, BO_ENOMEM, "out of memory");
    for (size_t j = 0; !rc && j < dim; j++)
        (*u)[j] = 0.5;
    if (!rc)
        rc = bo_space_decode(sp, *u, *v, err);
    if (rc) {
        free(*u);
        free(*v);
        *u = NULL;
        *v = NULL;
    }
    return rc;
}

int bo_runner_check_space(bo_runner *r, const bo_space *sp, char *why,
                          size_t why_len, bo_error *err)
{
    why[0] = '\0';
    size_t dim = bo_space_dim(sp), np = bo_space_n_params(sp);
    double *u = NULL;
    bo_value *v = NULL;
    int rc = bo_space_centre(sp, &u, &v, err);
    char said[BO_MESSAGE_MAX];
    /* probe 0: the centre; probe k > 0 moves coordinate (k - 1) / 2 to 0
     * (k odd) or 1 (k even) */
    for (size_t k = 0; !rc && !why[0] && k <= 2 * dim; k++) {
        size_t j = k ? (k - 1) / 2 : 0;
        if (k > 0)
            u[j] = k % 2 ? 0 : 1;
        rc = bo_space_decode(sp, u, v, err);
        if (!rc)
            rc = bo_runner_check(r, v, np, said, sizeof said, err);
        if (!rc && said[0] && k == 0)
            snprintf(why, why_len, "the space's centre: %s", said);
        else if (!rc && said[0]) {
            /* the parameter coordinate j belongs to */
            size_t pi = 0, first = 0;
            for (; pi + 1 < np; pi++) {
                const bo_param_spec *ps = bo_space_param(sp, pi);
                first += ps->type == BO_PARAM_CATEGORICAL ? ps->n_choices : 1;
                if (j < first)
                    break;
            }
            char val[96];
            if (v[pi].type == BO_VALUE_DOUBLE)
                snprintf(val, sizeof val, "%.10g", v[pi].d);
            else if (v[pi].type == BO_VALUE_INT)
                snprintf(val, sizeof val, "%" PRId64, v[pi].i);
            else
                snprintf(val, sizeof val, "'%.80s'", v[pi].s);
            snprintf(why, why_len, "%s = %s: %s", v[pi].name, val, said);
        }
        if (k > 0)
            u[j] = 0.5;
    }
    free(u);
    free(v);
    return rc;
}
