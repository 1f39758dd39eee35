/*
 * executor.c — the local runner behind the executor table (executor.h),
 * and the GPU list worker slots share. Must never load a plugin or touch
 * CUDA: the GPU ids are only text handed to the workers' environment.
 */
#include "executor.h"

#include <stdlib.h>
#include <string.h>

static int local_idle(void *impl)
{
    return bo_runner_idle(impl);
}

static int local_submit(void *impl, int64_t trial, uint64_t seed,
                        const bo_value *assignment, size_t n, bo_error *err)
{
    return bo_runner_submit(impl, trial, seed, assignment, n, err);
}

static int local_wait(void *impl, bo_trial_result *out, bo_error *err)
{
    return bo_runner_wait(impl, out, err);
}

static void local_free(void *impl)
{
    bo_runner_free(impl);
}

static int local_close(void *impl, char *why, size_t why_len)
{
    return bo_runner_close(impl, why, why_len);
}

void bo_executor_local(bo_runner *r, bo_executor *out)
{
    out->impl = r;
    out->idle = local_idle;
    out->submit = local_submit;
    out->wait = local_wait;
    out->free = local_free;
    out->close = local_close;
}

const char *bo_executor_gpu_list(void)
{
    const char *gpus = getenv("BO_GPUS");
    if (gpus && *gpus)
        return gpus;
    /* One device listed: every worker sees it anyway; nothing to split. */
    const char *cvd = getenv("CUDA_VISIBLE_DEVICES");
    if (cvd && strchr(cvd, ','))
        return cvd;
    return NULL;
}
