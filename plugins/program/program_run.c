/*
 * program_run.c — one trial of a program objective: start the program,
 * feed its stdin, read its stdout and stderr, stop it, judge its outcome.
 *
 * Process groups and the guard. Every trial forks a small guard process
 * (a copy of the worker that never execs) which leads a new process group
 * and forks the program into it. The group lets an early stop (SIGTERM,
 * then SIGKILL after grace_s) reach everything the program started without
 * touching the worker. The guard waits for the program, hands its wait
 * status to the adapter over a pipe, then SIGKILLs its whole group, itself
 * included: children the program left running die with it. And the guard
 * dies with the worker: its PR_SET_PDEATHSIG signal (SIGRTMAX, which
 * nothing else sends) makes it SIGKILL the group. So a worker killed by
 * the coordinator on a deadline, or killed because the coordinator itself
 * died (kill -9), takes the program and its children along, although the
 * coordinator only knows the worker's own group. The guard ignores SIGTERM
 * so that an early stop reaches the program without killing the guard.
 * Only what leaves the group (setsid) escapes.
 *
 * The program's stdout lines are reports ("step" key) or output; the last
 * non-empty other line is the result. Everything it prints is copied to
 * the worker's stdout/stderr, which is the trial's log, and the last lines
 * of its stderr go into a failure's message.
 *
 * Must never: block without watching the program's exit, leave the
 * program or its group running after prog_run returns, or use anything
 * but async-signal-safe calls between fork and exec.
 */
#include "program.h"
#include "utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The outcome's message, cut to fit: a long stderr tail may not fit whole,
 * and its end is what goes. */
static void outcome_message(bo_outcome *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void outcome_message(bo_outcome *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->message, sizeof o->message, fmt, ap);
    va_end(ap);
}

extern char **environ;

#define LINE_CAP (256 * 1024)   /* longest stdout line taken as a line */
#define ERR_RING 4096           /* stderr bytes kept for the message */
#define TAIL_BYTES 400
#define TAIL_LINES 10
#define DRAIN_S 0.5             /* after exit, for pipes to reach EOF */
/* Program output kept in the trial's log: a program that floods its
 * output must not fill the disk the study is written to. */
#define LOG_CAP ((size_t)64 << 20)

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;  /* the log is gone: the trial goes on without it */
        p += w;
        n -= (size_t)w;
    }
}

/* ----------------------------------------------------------- starting */

/* `name` as seen from here: relative to the program's folder, where it
 * will run. 0, or -1 when it does not fit. */
static int in_program_dir(const prog_config *c, const char *name, char *buf,
                          size_t len)
{
    int n = name[0] != '/' && c->dir && strcmp(c->dir, ".") != 0
                ? snprintf(buf, len, "%s/%s", c->dir, name)
                : snprintf(buf, len, "%s", name);
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* The executable for argv[0]: as given when it has a '/', else searched
 * along PATH. */
int prog_find_executable(const prog_config *c, char *out, size_t len,
                         char *why, size_t why_len)
{
    const char *name = c->argv[0];
    if (strchr(name, '/')) {
        char check[PATH_MAX];
        in_program_dir(c, name, check, sizeof check);
        struct stat st;
        if (access(check, X_OK) != 0) {
            snprintf(why, why_len, "cannot run '%.300s': %s", check,
                     strerror(errno));
            return -1;
        }
        if (stat(check, &st) == 0 && S_ISDIR(st.st_mode)) {
            snprintf(why, why_len, "cannot run '%.300s': it is a folder",
                     check);
            return -1;
        }
        snprintf(out, len, "%s", name);
        return 0;
    }
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path; *p;) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        struct stat st;
        if (n > 0 && (size_t)snprintf(out, len, "%.*s/%s", (int)n, p, name) < len &&
            stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0)
            return 0;
        p += n + (end != NULL);
    }
    /* execvp looks in PATH only, as a shell does; a user who put the
     * program beside the spec is told how to name it */
    char here[PATH_MAX];
    struct stat st;
    int beside = in_program_dir(c, name, here, sizeof here) == 0 &&
                 stat(here, &st) == 0 && S_ISREG(st.st_mode);
    snprintf(why, why_len, "command not found: '%s' (searched PATH%s%s%s)",
             name, beside ? "; to run the one in the spec's folder, write './"
                          : "", beside ? name : "", beside ? "'" : "");
    return -1;
}

/* Why exec failed. ENOENT for a file that is there means its #! line
 * names an interpreter that is not (often "/bin/sh\r": a script saved
 * with Windows line endings), which the bare errno hides. */
static void exec_failure(const prog_config *c, const char *exe, int e,
                         char *why, size_t len)
{
    snprintf(why, len, "cannot run '%.300s': %s", c->argv[0], strerror(e));
    char path[PATH_MAX], line[256];
    FILE *f = e == ENOENT && in_program_dir(c, exe, path, sizeof path) == 0
                  ? fopen(path, "r") : NULL;
    if (!f)
        return;
    int got = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    if (!got || strncmp(line, "#!", 2) != 0)
        return;
    const char *p = line + 2;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t n = strcspn(p, " \t\n");
    int crlf = n > 0 && p[n - 1] == '\r';
    snprintf(why, len, "cannot run '%.200s': the interpreter its #! line "
             "names, '%.*s', is not there%s", c->argv[0],
             (int)(crlf ? n - 1 : n), p,
             crlf ? " (it ends in a carriage return: the script has "
                    "Windows line endings; convert them with dos2unix "
                    "or sed -i 's/\\r$//')" : "");
}

/* environ without BO_TRIAL, BO_SEED and BO_CONFIG, then those three. */
static char **child_env(const char *config_json, const bo_host *h,
                        char **owned)
{
    size_t n = 0;
    while (environ && environ[n])
        n++;
    char **env = calloc(n + 4, sizeof *env);
    size_t cfg_len = strlen(config_json) + 16;
    char *text = malloc(64 + cfg_len);
    if (!env || !text) {
        free(env);
        free(text);
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "BO_TRIAL=", 9) && strncmp(environ[i], "BO_SEED=", 8) &&
            strncmp(environ[i], "BO_CONFIG=", 10))
            env[k++] = environ[i];
    int a = snprintf(text, 64, "BO_TRIAL=%" PRId64, h->trial);
    env[k++] = text;
    char *seed = text + a + 1;
    int b = snprintf(seed, 64 - (size_t)a - 1, "BO_SEED=%" PRIu64, h->seed);
    env[k++] = seed;
    char *cfg = seed + b + 1;
    snprintf(cfg, cfg_len, "BO_CONFIG=%s", config_json);
    env[k++] = cfg;
    env[k] = NULL;
    *owned = text;
    return env;
}

/* A pipe whose ends are both above 2 and close-on-exec, so that the
 * child's dup2 onto 0/1/2 never clobbers another of its pipes. */
static int safe_pipe(int p[2])
{
    /* pipe2() needs _GNU_SOURCE; the worker forks from one thread only. */
    if (pipe(p) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(p[i], F_SETFD, FD_CLOEXEC);
        if (p[i] <= 2) {
            int fd = fcntl(p[i], F_DUPFD_CLOEXEC, 3);
            close(p[i]);
            p[i] = fd;
        }
    }
    if (p[0] < 0 || p[1] < 0) {
        if (p[0] >= 0)
            close(p[0]);
        if (p[1] >= 0)
            close(p[1]);
        return -1;
    }
    return 0;
}

/* Only async-signal-safe calls from here to exec. The program inherits
 * the guard's group and dies if the guard does. */
static void child_exec(const prog_config *c, const char *exe, char **env,
                       int in, int out, int err, int report, pid_t guard)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != guard)
        _exit(127);
    /* The guard ignores some signals; ignored dispositions survive exec. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    for (int s = 1; s < NSIG; s++)
        if (s != SIGKILL && s != SIGSTOP)
            sigaction(s, &sa, NULL);
    /* A program runs unattended: one that touched the terminal (a
     * password prompt) or stopped itself would stop for good, and bo would
     * wait for ever. Without a controlling terminal /dev/tty fails to open
     * (ENXIO), and ignored job-control signals do not stop it. */
    sa.sa_handler = SIG_IGN;
    sigaction(SIGTSTP, &sa, NULL);
    sigaction(SIGTTIN, &sa, NULL);
    sigaction(SIGTTOU, &sa, NULL);
    int tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (tty >= 0) {
        ioctl(tty, TIOCNOTTY);
        close(tty);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
        goto fail;
    if (c->dir && chdir(c->dir) != 0)
        goto fail;
    /* The worker's own limit counts what the worker holds besides the
     * objective; a program is a fresh image, held to memory_mb alone. */
    if (c->memory_mb > 0 && c->memory_mb < (1LL << 40)) {
        struct rlimit rl = {(rlim_t)c->memory_mb << 20,
                            (rlim_t)c->memory_mb << 20};
        if (setrlimit(RLIMIT_DATA, &rl) != 0)
            goto fail;
    }
    execve(exe, c->argv, env);
fail:;
    int e = errno;
    ssize_t w = write(report, &e, sizeof e);
    (void)w;
    _exit(127);
}

/* Closes every fd from 3 up except the `n` in keep (the worker's socket,
 * logs and whatever the plugin host opened must not live on in the guard:
 * a guard holding the worker's socket would delay the coordinator's
 * notice of the worker's death). close_range where the kernel has it. */
static void close_others(const int *keep, int n, long open_max)
{
    int k[8];
    for (int i = 0; i < n; i++) {
        int j = i;
        while (j > 0 && k[j - 1] > keep[i]) {
            k[j] = k[j - 1];
            j--;
        }
        k[j] = keep[i];
    }
    unsigned lo = 3;
    for (int i = 0; i <= n; i++) {
        unsigned hi = i < n ? (unsigned)k[i] : ~0u;
        if (hi > lo) {
            unsigned last = hi - 1;
#ifdef SYS_close_range
            if (syscall(SYS_close_range, lo, last, 0) == 0) {
                lo = hi + 1;
                continue;
            }
#endif
            for (unsigned fd = lo; fd <= last && (long)fd < open_max; fd++)
                close((int)fd);
        }
        if (i < n)
            lo = hi + 1;
    }
}

static void guard_on_worker_death(int sig)
{
    (void)sig;
    kill(0, SIGKILL);
}

/* The guard (see the head of this file). Async-signal-safe calls only: it
 * is a fork of a worker that may have had threads. */
static void guard_main(const prog_config *c, const char *exe, char **env,
                       const int fds[5], pid_t worker, long open_max)
{
    enum { IN, OUT, ERR, REPORT, STATUS };
    setpgid(0, 0);
    close_others(fds, 5, open_max);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = guard_on_worker_death;
    sigaction(SIGRTMAX, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGPIPE, &sa, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    prctl(PR_SET_PDEATHSIG, SIGRTMAX);
    if (getppid() != worker)
        kill(0, SIGKILL);
    pid_t me = getpid();
    pid_t pid = fork();
    if (pid == 0)
        child_exec(c, exe, env, fds[IN], fds[OUT], fds[ERR], fds[REPORT], me);
    if (pid < 0) {
        int e = errno;
        ssize_t w = write(fds[REPORT], &e, sizeof e);
        (void)w;
        _exit(127);
    }
    /* Its copies of the pipes would keep them from reaching EOF. */
    close(fds[IN]);
    close(fds[OUT]);
    close(fds[ERR]);
    close(fds[REPORT]);
    /* A program stopped by SIGSTOP would never end: it counts as ended
     * (the status says stopped), and the group dies below. */
    int status = 0;
    while (waitpid(pid, &status, WUNTRACED) < 0 && errno == EINTR)
        ;
    ssize_t w = write(fds[STATUS], &status, sizeof status);
    (void)w;
    kill(0, SIGKILL);
    _exit(0);
}

/* ------------------------------------------------------------ running */

typedef struct run {
    const prog_config *c;
    const bo_host *host;
    pid_t pid;                    /* the guard: its pid is the group's id */
    int status_fd;                /* the guard's report of the exit */
    int status;                   /* the program's wait status */
    int status_known;
    int in, out, err;             /* our ends; -1 once closed */
    const char *input;
    size_t input_len, input_done;

    char *line;                   /* stdout line being assembled */
    size_t line_len;
    int skipping;                 /* an over-long line: drop to its end */
    int long_last;                /* the last candidate line was over-long */
    char *result;                 /* last non-empty line without "step" */
    int64_t last_step;
    double last_report;
    int n_reports;

    size_t logged;                /* bytes of output written to the log */
    char ring[ERR_RING];          /* stderr's last bytes */
    size_t ring_len;

    int exited;
    int stop;                     /* the host asked to stop */
    double kill_at;               /* SIGKILL to the group at this time */
    int killed;
    double drain_until;
} run;

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static void request_stop(run *r)
{
    if (r->stop)
        return;
    r->stop = 1;
    kill(-r->pid, SIGTERM);
    r->kill_at = now_s() + (r->c->grace_s > 0 ? r->c->grace_s : 0);
}

/* Copies program output to the trial's log (fd 1 or 2) up to LOG_CAP
 * bytes in all, then says once that the rest was dropped. */
static void log_output(run *r, int fd, const char *buf, size_t n)
{
    if (r->logged >= LOG_CAP)
        return;
    size_t k = n < LOG_CAP - r->logged ? n : LOG_CAP - r->logged;
    write_all(fd, buf, k);
    r->logged += k;
    if (r->logged == LOG_CAP) {
        static const char note[] = "\n[bo: the program's output beyond "
                                   "64 MiB is not logged]\n";
        write_all(2, note, sizeof note - 1);
    }
}

static void handle_line(run *r, char *line, size_t len)
{
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n'))
        len--;
    line[len] = '\0';
    /* a UTF-8 byte order mark (an editor's, a redirected file's) */
    if (len >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3))
        line += 3;
    int64_t step;
    double value;
    int kind = prog_line_kind(line, &step, &value);
    if (kind == PROG_LINE_EMPTY)
        return;
    if (kind == PROG_LINE_STEP) {
        /* Once stopped, the loss is the report the host stopped it at:
         * later reports (made before SIGTERM landed, or by a program that
         * ran on) still go to the host, which then keeps that report as
         * the loss whatever result follows (worker.c); they are not
         * stored, and stay in the log. */
        if (!r->stop) {
            r->last_step = step;
            r->last_report = value;
            r->n_reports++;
        }
        if (r->host->report &&
            r->host->report(r->host->ctx, step, value) != 0)
            request_stop(r);
        return;
    }
    if (kind == PROG_LINE_BADSTEP) {
        static const char note[] = "bo: a line with a \"step\" that is not "
                                   "a whole number: neither a report nor the "
                                   "result\n";
        write_all(2, note, sizeof note - 1);
        return;
    }
    char *copy = strdup(line);
    if (copy) {
        free(r->result);
        r->result = copy;
        r->long_last = 0;
    }
}

static void read_stdout(run *r)
{
    char buf[65536];
    ssize_t n = read(r->out, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        if (r->line_len > 0 && !r->skipping)
            handle_line(r, r->line, r->line_len);
        r->line_len = 0;
        close_fd(&r->out);
        return;
    }
    /* The log gets the output as it came, one write per read: a program
     * that prints a lot must not pay a system call per line. */
    log_output(r, 1, buf, (size_t)n);
    for (ssize_t i = 0; i < n; i++) {
        char c = buf[i];
        if (c == '\n') {
            if (!r->skipping)
                handle_line(r, r->line, r->line_len);
            r->line_len = 0;
            r->skipping = 0;
            continue;
        }
        if (r->skipping)
            continue;
        if (r->line_len + 1 >= LINE_CAP) {
            /* Too long to be a report or a result: dropped to its end. An
             * earlier line is no result either (the program meant a later
             * one), and the outcome says why there is none. */
            r->line_len = 0;
            r->skipping = 1;
            free(r->result);
            r->result = NULL;
            r->long_last = 1;
            continue;
        }
        r->line[r->line_len++] = c;
    }
}

static void read_stderr(run *r)
{
    char buf[16384];
    ssize_t n = read(r->err, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        close_fd(&r->err);
        return;
    }
    log_output(r, 2, buf, (size_t)n);
    size_t k = (size_t)n;
    const char *src = buf;
    if (k >= ERR_RING) {
        src += k - ERR_RING;
        k = ERR_RING;
    }
    if (r->ring_len + k > ERR_RING) {
        size_t drop = r->ring_len + k - ERR_RING;
        memmove(r->ring, r->ring + drop, r->ring_len - drop);
        r->ring_len -= drop;
    }
    memcpy(r->ring + r->ring_len, src, k);
    r->ring_len += k;
}

static void write_stdin(run *r)
{
    while (r->input_done < r->input_len) {
        ssize_t w = write(r->in, r->input + r->input_done,
                          r->input_len - r->input_done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno == EAGAIN)
            return;
        if (w <= 0)
            break;  /* EPIPE: it does not read its input; its loss */
        r->input_done += (size_t)w;
    }
    close_fd(&r->in);
}

/* The guard's word that the program exited: its wait status, or end of
 * file when the guard died first (killed with the group on a stop). */
static void read_status(run *r)
{
    int st;
    ssize_t n = read(r->status_fd, &st, sizeof st);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n == (ssize_t)sizeof st) {
        r->status = st;
        r->status_known = 1;
    }
    close_fd(&r->status_fd);
}

static void pump(run *r)
{
    while (!(r->exited && r->out < 0 && r->err < 0)) {
        double now = now_s();
        if (!r->exited && r->status_fd < 0) {
            r->exited = 1;
            /* The guard killed what the program left behind (this is in
             * case it could not); the pipes then reach EOF unless
             * something escaped the group. */
            kill(-r->pid, SIGKILL);
            r->drain_until = now + DRAIN_S;
            if (r->out < 0 && r->err < 0)
                break;
        }
        /* Past the drain time, take only what is already there. */
        int late = r->exited && now >= r->drain_until;
        if (late && now >= r->drain_until + DRAIN_S)
            break;
        if (r->stop && !r->killed && now >= r->kill_at) {
            kill(-r->pid, SIGKILL);
            r->killed = 1;
        }
        struct pollfd pf[4];
        int n = 0, io = -1, ie = -1, ii = -1, is = -1;
        if (r->out >= 0) {
            pf[n] = (struct pollfd){.fd = r->out, .events = POLLIN};
            io = n++;
        }
        if (r->err >= 0) {
            pf[n] = (struct pollfd){.fd = r->err, .events = POLLIN};
            ie = n++;
        }
        if (r->in >= 0) {
            pf[n] = (struct pollfd){.fd = r->in, .events = POLLOUT};
            ii = n++;
        }
        if (r->status_fd >= 0) {
            pf[n] = (struct pollfd){.fd = r->status_fd, .events = POLLIN};
            is = n++;
        }
        double wait = late ? 0 : r->exited ? r->drain_until - now : 3600;
        if (r->stop && !r->killed && r->kill_at - now < wait)
            wait = r->kill_at - now;
        int ms = wait <= 0 ? 0 : (int)ceil(wait * 1000.0);
        int got = poll(pf, (nfds_t)n, ms);
        if (got <= 0) {
            if (late)
                break;
            continue;
        }
        if (io >= 0 && pf[io].revents)
            read_stdout(r);
        if (ie >= 0 && pf[ie].revents)
            read_stderr(r);
        if (ii >= 0 && pf[ii].revents)
            write_stdin(r);
        if (is >= 0 && pf[is].revents)
            read_status(r);
    }
}

/* stderr's last lines on one line, for a message. */
static void stderr_tail(const run *r, char *out, size_t len)
{
    size_t e = r->ring_len;
    while (e > 0 && (r->ring[e - 1] == '\n' || r->ring[e - 1] == '\r' ||
                     r->ring[e - 1] == ' '))
        e--;
    size_t s = e;
    int lines = 0;
    while (s > 0 && e - s < TAIL_BYTES) {
        if (r->ring[s - 1] == '\n' && ++lines == TAIL_LINES)
            break;
        s--;
    }
    /* from a character's start: the kept bytes may begin inside one */
    while (s < e && ((unsigned char)r->ring[s] & 0xC0) == 0x80)
        s++;
    size_t k = 0;
    for (size_t i = s; i < e && k + 4 < len; i++) {
        unsigned char ch = (unsigned char)r->ring[i];
        if (ch == '\n') {
            memcpy(out + k, " | ", 3);
            k += 3;
        } else if (ch != '\r') {
            out[k++] = bo_text_is_control(ch) ? '?' : (char)ch;
        }
    }
    out[k] = '\0';
}

static void judge(run *r, bo_outcome *o)
{
    char tail[TAIL_BYTES + 64];
    stderr_tail(r, tail, sizeof tail);
    char with_tail[sizeof tail + 16] = "";
    if (tail[0])
        snprintf(with_tail, sizeof with_tail, "; stderr: %s", tail);

    char why[BO_MESSAGE_MAX] = "";
    int has_loss = 0;
    int parsed = r->result ? prog_parse_result(r->result, o, &has_loss, why,
                                               sizeof why) == 0
                           : 0;
    if (r->stop) {
        o->status = BO_STATUS_STOPPED;
        if (!parsed || !has_loss)
            o->loss = r->last_report;
        outcome_message(o, "stopped at step %" PRId64,
                 r->last_step);
        return;
    }
    int status = r->status;
    if (!r->status_known) {
        o->status = BO_STATUS_FAILED;
        outcome_message(o, "the program's guard process "
                 "died before the program ended%s", with_tail);
        return;
    }
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        const char *name = strsignal(sig);
        o->status = BO_STATUS_FAILED;
        /* Under memory_mb, an allocation that fails in a program that does
         * not check it crashes it this way (its memory is not seen from
         * here: the guard stands between). */
        int alloc_crash = r->c->memory_mb > 0 &&
                          (sig == SIGSEGV || sig == SIGABRT || sig == SIGBUS);
        char hint[96] = "";
        if (alloc_crash)
            snprintf(hint, sizeof hint, " (perhaps an allocation that failed "
                     "at memory_mb = %lld)", (long long)r->c->memory_mb);
        outcome_message(o, "the program was killed by "
                 "signal %d (%s)%s%s", sig, name ? name : "?", hint,
                 with_tail);
        return;
    }
    if (WIFSTOPPED(status)) {
        int sig = WSTOPSIG(status);
        const char *name = strsignal(sig);
        o->status = BO_STATUS_FAILED;
        outcome_message(o, "the program was stopped by signal %d (%s) and "
                 "killed: a stopped program would never end%s", sig,
                 name ? name : "?", with_tail);
        return;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        o->status = BO_STATUS_FAILED;
        outcome_message(o, "the program exited with "
                 "status %d%s", WEXITSTATUS(status), with_tail);
        return;
    }
    if (!r->result) {
        /* A missing loss: the host makes this trial invalid. */
        o->status = BO_STATUS_OK;
        o->loss = NAN;
        if (r->long_last)
            outcome_message(o, "the program's last output line is 256 KiB "
                     "or longer, too long for a result%s", with_tail);
        else if (r->n_reports > 0)
            outcome_message(o, "the program printed no result line, only "
                     "%d step report(s) (the result is a line without "
                     "\"step\", printed last)%s", r->n_reports, with_tail);
        else
            outcome_message(o, "the program printed no result line%s",
                            with_tail);
        return;
    }
    /* an unreadable answer is a missing loss too (invalid, as above) */
    o->status = BO_STATUS_OK;
    if (!parsed || !has_loss) {
        o->loss = NAN;
        outcome_message(o, "%s%s", why, with_tail);
    } else if (!isfinite(o->loss)) {
        outcome_message(o, "the program's loss is %s%s",
                        isnan(o->loss) ? "NaN" : o->loss > 0 ? "+inf" : "-inf",
                        with_tail);
    }
}

static int fail(bo_outcome *o, const char *fmt, const char *a, const char *b)
{
    o->status = BO_STATUS_FAILED;
    outcome_message(o, fmt, a, b);
    return 0;
}

int prog_run(const prog_config *c, const char *input_line,
             const char *config_json, const bo_host *host, bo_outcome *o)
{
    char exe[PATH_MAX], why[BO_MESSAGE_MAX];
    if (prog_find_executable(c, exe, sizeof exe, why, sizeof why) != 0)
        return fail(o, "%s%s", why, "");
    char *env_text = NULL;
    char **env = child_env(config_json, host, &env_text);
    int pin[2] = {-1, -1}, pout[2] = {-1, -1}, perr[2] = {-1, -1},
        prep[2] = {-1, -1}, pst[2] = {-1, -1};
    run r = {.c = c, .host = host, .pid = -1, .status_fd = -1, .in = -1,
             .out = -1, .err = -1, .input = input_line,
             .input_len = strlen(input_line), .last_report = NAN};
    r.line = malloc(LINE_CAP);
    if (!env || !r.line || safe_pipe(pin) || safe_pipe(pout) ||
        safe_pipe(perr) || safe_pipe(prep) || safe_pipe(pst)) {
        int e = errno;
        fail(o, "cannot start the program: %s%s", strerror(e ? e : ENOMEM), "");
        goto out;
    }
    pid_t worker = getpid();
    long open_max = sysconf(_SC_OPEN_MAX);
    if (open_max < 0 || open_max > 65536)
        open_max = 65536;
    r.pid = fork();
    if (r.pid == 0) {
        int fds[5] = {pin[0], pout[1], perr[1], prep[1], pst[1]};
        guard_main(c, exe, env, fds, worker, open_max);
    }
    if (r.pid < 0) {
        int e = errno;
        fail(o, "cannot start the program: fork: %s%s", strerror(e), "");
        goto out;
    }
    setpgid(r.pid, r.pid);  /* both sides: no window without the group */
    close_fd(&pin[0]);
    close_fd(&pout[1]);
    close_fd(&perr[1]);
    close_fd(&prep[1]);
    close_fd(&pst[1]);
    /* End of file: exec worked (the pipe is close-on-exec); an int: the
     * errno of what failed. */
    int exec_errno = 0;
    ssize_t got;
    while ((got = read(prep[0], &exec_errno, sizeof exec_errno)) < 0 &&
           errno == EINTR)
        ;
    close_fd(&prep[0]);
    r.in = pin[1];
    r.out = pout[0];
    r.err = perr[0];
    r.status_fd = pst[0];
    pin[1] = pout[0] = perr[0] = pst[0] = -1;
    fcntl(r.in, F_SETFL, O_NONBLOCK);
    if (got > 0) {
        exec_failure(c, exe, exec_errno, why, sizeof why);
        fail(o, "%s%s", why, "");
    } else {
        write_stdin(&r);
        pump(&r);
    }
    /* The guard's group, in case the guard could not kill it itself. */
    kill(-r.pid, SIGKILL);
    int guard_status;
    while (waitpid(r.pid, &guard_status, 0) < 0 && errno == EINTR)
        ;
    if (got <= 0)
        judge(&r, o);
out:
    close_fd(&r.in);
    close_fd(&r.out);
    close_fd(&r.err);
    close_fd(&r.status_fd);
    for (int i = 0; i < 2; i++) {
        close_fd(&pin[i]);
        close_fd(&pout[i]);
        close_fd(&perr[i]);
        close_fd(&prep[i]);
        close_fd(&pst[i]);
    }
    free(r.line);
    free(r.result);
    free(env);
    free(env_text);
    return 0;
}
