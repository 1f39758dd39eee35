/*
 * executor.h — where the study loop sends trials: local worker processes
 * (a bo_runner) or evaluators elsewhere (MPI ranks, bo/mpi/). study.c
 * only sees this table, so it never cares which.
 *
 * The contract is bo_runner's (runner.h): idle() counts the slots free to
 * take a trial now, submit() hands a trial to one of them, wait() blocks
 * until a submitted trial ends (BO_DONE when none is in flight), and
 * reports arriving meanwhile go to the on_report of the runner options the
 * executor was made with. An executor never loads a plugin.
 */
#ifndef BO_EXECUTOR_H
#define BO_EXECUTOR_H

#include "runner.h"

typedef struct bo_executor {
    void *impl;
    int (*idle)(void *impl);
    int (*submit)(void *impl, int64_t trial, uint64_t seed,
                  const bo_value *assignment, size_t n, bo_error *err);
    int (*wait)(void *impl, bo_trial_result *out, bo_error *err);
    /* Frees; non-zero (why filled) when the objective crashed as it was
     * closed (bo_runner_close), which only local workers can tell. */
    int (*close)(void *impl, char *why, size_t why_len);
} bo_executor;

/* Evaluators elsewhere, for bo_study_options.remote: `workers` of them;
 * open() starts them with the settled runner options (it must copy what
 * it keeps: the strings are freed after it returns). */
typedef struct bo_remote {
    int workers;
    int (*open)(void *ctx, const bo_runner_options *ro, bo_executor *out,
                bo_error *err);
    void *ctx;
} bo_remote;

/* The local runner behind the table; the executor owns r from then on. */
void bo_executor_local(bo_runner *r, bo_executor *out);

/* The GPU ids worker slots take round-robin, in *list: $BO_GPUS, or the
 * coordinator's CUDA_VISIBLE_DEVICES when it lists more than one device,
 * or, when neither variable is set and there are several local workers,
 * "0,1,...,n-1" for the n >= 2 GPUs the NVIDIA driver lists
 * (BO_NVIDIA_GPUS_DIR: one worker keeps them all, for an objective that
 * uses several); NULL (leave the variable alone) otherwise.
 * bo_executor_gpu_list_in does the same with another driver folder.  Each entry (separated by commas or spaces) must be
 * what CUDA_VISIBLE_DEVICES takes: a device index or a GPU-/MIG- UUID;
 * BO_EINVAL, naming the variable and entry, otherwise (a typo would hand
 * every worker a device that is not there). */
int bo_executor_gpu_list(int workers, const char **list, bo_error *err);
int bo_executor_gpu_list_in(const char *driver_dir, int workers,
                            const char **list, bo_error *err);

/* Where the NVIDIA driver lists its GPUs, one folder entry each. */
#define BO_NVIDIA_GPUS_DIR "/proc/driver/nvidia/gpus"
/* The GPUs listed in dir: writes "0,1,...,n-1" into buf when n >= 2 (an
 * empty string otherwise, or when it does not fit), returns n (0 when
 * dir cannot be read). */
int bo_executor_gpus_in(const char *dir, char *buf, size_t len);

#endif
