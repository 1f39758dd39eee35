/*
 * runner_proc.h — starting and ending `bo worker` processes, for runner.c.
 * Process work only: no protocol, no trial bookkeeping.
 */
#ifndef BO_RUNNER_PROC_H
#define BO_RUNNER_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bo/bo.h"

/* Seconds on CLOCK_MONOTONIC. */
double bo_proc_now(void);

/* The cores this process may run on (its CPU affinity: Slurm's
 * --cpus-per-task, taskset, a cpuset), at least 1 (cores.c). */
int bo_proc_cores(void);

/* posix_spawn of `EXE worker` in a new process group (its pid is the
 * group's id), stdin /dev/null, stdout and stderr appended to log_path
 * (/dev/null when NULL), its end of a fresh socketpair on fd 3, the BLAS
 * and OpenMP thread counts set to `threads`, CUDA_VISIBLE_DEVICES set to
 * `gpu` unless it is NULL. *fd is the coordinator's end (close-on-exec). */
int bo_proc_spawn(const char *exe, int64_t memory_mb, int threads,
                  const char *gpu, const char *log_path, pid_t *pid, int *fd,
                  bo_error *err);

/* How a worker ended. */
typedef struct bo_proc_end_info {
    int status;        /* as from waitpid */
    int killed;        /* we had to signal it */
    long maxrss_kb;    /* its peak resident size */
} bo_proc_end_info;

/* Ends worker `pid`: waits up to wait_s for it to exit by itself, then
 * sends SIGTERM to its process group, then SIGKILL after grace_s; then
 * SIGKILL to whatever is left in the group (its leader, a zombie until
 * reaped, keeps the group id from being reused meanwhile), and reaps it. */
void bo_proc_end(pid_t pid, double wait_s, double grace_s,
                 bo_proc_end_info *info);

/* "killed by signal 11 (Segmentation fault)" / "exited with status 3". */
void bo_proc_describe_status(int status, char *out, size_t len);

/* The last lines of a log file (at most ~10 lines and len - 1 bytes), on
 * one line: newlines become " | ", other control bytes '?'. "" when the
 * file is missing or empty. */
void bo_proc_log_tail(const char *path, char *out, size_t len);

#endif
