/*
 * executor.c — the local runner behind the executor table (executor.h),
 * and the GPU list worker slots share. Must never load a plugin or touch
 * CUDA: the GPU ids are only text handed to the workers' environment.
 */
#include "executor.h"
#include "error.h"

#include <stdlib.h>
#include <ctype.h>
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
    out->close = local_close;
}

/* An entry of a device list: digits, or GPU-/MIG- and a UUID's
 * characters. */
static int gpu_entry_ok(const char *p, size_t len)
{
    size_t i = 0;
    if (len > 4 && (!strncmp(p, "GPU-", 4) || !strncmp(p, "MIG-", 4))) {
        for (i = 4; i < len; i++)
            if (!isalnum((unsigned char)p[i]) && p[i] != '-' && p[i] != '/')
                return 0;
        return 1;
    }
    for (; i < len; i++)
        if (!isdigit((unsigned char)p[i]))
            return 0;
    return len > 0 && len < 10;
}

int bo_executor_gpu_list(const char **list, bo_error *err)
{
    const char *name = "BO_GPUS", *gpus = getenv(name);
    if (!gpus || !*gpus) {
        /* One device listed: every worker sees it anyway; nothing to
         * split. */
        name = "CUDA_VISIBLE_DEVICES";
        gpus = getenv(name);
        if (gpus && !strchr(gpus, ','))
            gpus = NULL;
    }
    *list = gpus;
    for (const char *p = gpus; p && *p;) {
        p += strspn(p, ", ");
        size_t len = strcspn(p, ", ");
        if (len && !gpu_entry_ok(p, len))
            return bo_error_set(err, BO_EINVAL, "%s: '%.*s' is neither a "
                                "device index nor a GPU-/MIG- UUID", name,
                                (int)(len > 64 ? 64 : len), p);
        p += len;
    }
    return BO_OK;
}
