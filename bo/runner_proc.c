/*
 * runner_proc.c — starting and ending worker processes (runner_proc.h).
 *
 * Workers are started with posix_spawn, never a fork of the coordinator:
 * the coordinator holds BLAS threads and a database connection that a
 * forked copy must not inherit. Every fd the coordinator opens is
 * close-on-exec, so a worker inherits only its own socket; otherwise a
 * worker holding another worker's socket would hide that one's death.
 * Must never leave a child unreaped or signal a process group it did not
 * create.
 */
#include "runner_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "utf8.h"
#include "wire.h"

extern char **environ;

double bo_proc_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static const char *const thread_vars[] = {
    "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
};
#define N_THREAD_VARS (sizeof thread_vars / sizeof *thread_vars)
#define GPU_VAR "CUDA_VISIBLE_DEVICES"
#define ENV_TEXT 48

static int is_var(const char *entry, const char *name)
{
    size_t n = strlen(name);
    return strncmp(entry, name, n) == 0 && entry[n] == '=';
}

static int is_replaced_var(const char *entry, const char *gpu)
{
    for (size_t i = 0; i < N_THREAD_VARS; i++)
        if (is_var(entry, thread_vars[i]))
            return 1;
    return gpu && is_var(entry, GPU_VAR);
}

/* environ with the thread counts (and the GPU, when given) replaced. One
 * malloc: the pointer array followed by the new strings. */
static char **worker_env(int threads, const char *gpu)
{
    size_t n = 0;
    while (environ && environ[n])
        n++;
    size_t gpu_len = gpu ? strlen(GPU_VAR) + strlen(gpu) + 2 : 0;
    size_t slots = n + N_THREAD_VARS + 2;
    char **env = malloc(slots * sizeof *env + N_THREAD_VARS * ENV_TEXT +
                        gpu_len);
    if (!env)
        return NULL;
    char *text = (char *)(env + slots);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!is_replaced_var(environ[i], gpu))
            env[k++] = environ[i];
    for (size_t i = 0; i < N_THREAD_VARS; i++) {
        snprintf(text, ENV_TEXT, "%s=%d", thread_vars[i], threads);
        env[k++] = text;
        text += ENV_TEXT;
    }
    if (gpu) {
        snprintf(text, gpu_len, "%s=%s", GPU_VAR, gpu);
        env[k++] = text;
    }
    env[k] = NULL;
    return env;
}

/* Why a worker could not start; a limit the user can raise is named. */
static int spawn_failed(bo_error *err, const char *step, int e)
{
    struct rlimit rl;
    if ((e == EMFILE || e == ENFILE) && getrlimit(RLIMIT_NOFILE, &rl) == 0)
        return bo_error_set(err, BO_ERUNTIME, "cannot start a worker: %s: %s "
                            "(the open-file limit, ulimit -n, is %llu: raise "
                            "it or run fewer workers)", step, strerror(e),
                            (unsigned long long)rl.rlim_cur);
    if (e == EAGAIN && getrlimit(RLIMIT_NPROC, &rl) == 0)
        return bo_error_set(err, BO_ERUNTIME, "cannot start a worker: %s: %s "
                            "(the process limit, ulimit -u, is %llu)", step,
                            strerror(e), (unsigned long long)rl.rlim_cur);
    return bo_error_set(err, BO_ERUNTIME, "cannot start a worker: %s: %s",
                        step, strerror(e));
}

int bo_proc_spawn(const char *exe, int64_t memory_mb, int threads,
                  const char *gpu, const char *log_path, pid_t *pid, int *fd,
                  bo_error *err)
{
    *pid = -1;
    *fd = -1;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return spawn_failed(err, "socketpair", errno);
    /* The child's end well above 3 so that dup2 onto fd 3 is a real
     * duplication (which clears close-on-exec on the copy). */
    int child = fcntl(sv[1], F_DUPFD_CLOEXEC, 10);
    close(sv[1]);
    if (child < 0) {
        int e = errno;
        close(sv[0]);
        return spawn_failed(err, "fcntl", e);
    }
    /* A worker that stops reading must not block the coordinator forever. */
    struct timeval tv = {.tv_sec = 10};
    setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);

    char ppid[24], mem[24];
    snprintf(ppid, sizeof ppid, "%ld", (long)getpid());
    snprintf(mem, sizeof mem, "%" PRId64, memory_mb);
    char *argv[] = {(char *)exe, "worker", "--ppid", ppid,
                    memory_mb > 0 ? "--memory-mb" : NULL, mem, NULL};
    char **env = worker_env(threads > 0 ? threads : 1, gpu);

    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&at);
    const char *log = log_path ? log_path : "/dev/null";
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log,
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawn_file_actions_adddup2(&fa, child, BO_WIRE_WORKER_FD);
    sigset_t none, def;
    sigemptyset(&none);
    sigemptyset(&def);
    static const int defaults[] = {SIGPIPE, SIGTERM, SIGINT, SIGHUP,
                                   SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2,
                                   SIGALRM, SIGXFSZ};
    for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++)
        sigaddset(&def, defaults[i]);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                      POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&at, 0);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &def);

    int rc = env ? posix_spawn(pid, exe, &fa, &at, argv, env) : ENOMEM;
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    free(env);
    close(child);
    if (rc != 0) {
        close(sv[0]);
        *pid = -1;
        char step[PATH_MAX + 64];
        snprintf(step, sizeof step, "%s (log %s)", exe, log);
        return spawn_failed(err, step, rc);
    }
    *fd = sv[0];
    return BO_OK;
}

/* Has pid exited? Leaves it unreaped, so its group id stays reserved. */
static int has_exited(pid_t pid)
{
    siginfo_t si;
    memset(&si, 0, sizeof si);
    if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) != 0)
        return errno == ECHILD;  /* nothing to wait for: treat as gone */
    return si.si_pid == pid;
}

static int wait_exit(pid_t pid, double seconds)
{
    double end = bo_proc_now() + seconds;
    for (;;) {
        if (has_exited(pid))
            return 1;
        if (bo_proc_now() >= end)
            return 0;
        struct timespec ts = {0, 2 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

void bo_proc_end(pid_t pid, double wait_s, double grace_s,
                 bo_proc_end_info *info)
{
    memset(info, 0, sizeof *info);
    if (pid <= 0)
        return;
    if (!wait_exit(pid, wait_s)) {
        info->killed = 1;
        kill(-pid, SIGTERM);
        if (!wait_exit(pid, grace_s)) {
            kill(-pid, SIGKILL);
            siginfo_t si;
            while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) != 0 &&
                   errno == EINTR)
                ;
        }
    }
    /* Whatever the worker left in its group (a plugin's own children). */
    kill(-pid, SIGKILL);
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    int status = 0;
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    info->status = status;
    info->maxrss_kb = ru.ru_maxrss;
}

void bo_proc_describe_status(int status, char *out, size_t len)
{
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        const char *name = strsignal(sig);
        snprintf(out, len, "killed by signal %d (%s)", sig,
                 name ? name : "unknown");
    } else if (WIFEXITED(status)) {
        snprintf(out, len, "exited with status %d", WEXITSTATUS(status));
    } else {
        snprintf(out, len, "ended with wait status %d", status);
    }
}

void bo_proc_log_tail(const char *path, char *out, size_t len)
{
    if (len == 0)
        return;
    out[0] = '\0';
    if (!path || len < 8)
        return;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    char buf[2048];
    off_t end = lseek(fd, 0, SEEK_END);
    off_t from = end > (off_t)sizeof buf ? end - (off_t)sizeof buf : 0;
    ssize_t n = end > 0 ? pread(fd, buf, sizeof buf, from) : 0;
    close(fd);
    if (n <= 0)
        return;
    /* Drop trailing blank lines, then keep the last 10 lines. */
    size_t e = (size_t)n;
    while (e > 0 && (buf[e - 1] == '\n' || buf[e - 1] == '\r' ||
                     buf[e - 1] == ' '))
        e--;
    size_t s = e;
    int lines = 0;
    while (s > 0) {
        if (buf[s - 1] == '\n' && ++lines == 10)
            break;
        s--;
    }
    /* Keep the end when it does not fit: the last words matter most. */
    char line[2048 * 3 + 8];
    size_t k = 0;
    for (size_t i = s; i < e; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c == '\n') {
            memcpy(line + k, " | ", 3);
            k += 3;
        } else if (c == '\r') {
            continue;
        } else {
            line[k++] = bo_text_is_control(c) ? '?' : (char)c;
        }
    }
    line[k] = '\0';
    if (k < len) {
        memcpy(out, line, k + 1);
    } else {
        size_t keep = len - 4;
        memcpy(out, "...", 3);
        memcpy(out + 3, line + k - keep, keep);
        out[len - 1] = '\0';
    }
}
