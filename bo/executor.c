/*
 * executor.c — the local runner behind the executor table (executor.h),
 * and the GPU list worker slots share. Must never load a plugin or touch
 * CUDA: the GPU ids are only text handed to the workers' environment.
 */
#include "executor.h"
#include "error.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
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

int bo_executor_gpus_in(const char *dir, char *buf, size_t len)
{
    buf[0] = '\0';
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    size_t used = 0;
    for (int i = 0; n >= 2 && i < n; i++) {
        int w = snprintf(buf + used, len - used, "%s%d", i ? "," : "", i);
        if (w < 0 || (size_t)w >= len - used) {
            buf[0] = '\0';
            break;
        }
        used += (size_t)w;
    }
    return n;
}

int bo_executor_gpu_list(int workers, const char **list, bo_error *err)
{
    return bo_executor_gpu_list_in(BO_NVIDIA_GPUS_DIR, workers, list, err);
}

int bo_executor_gpu_list_in(const char *driver_dir, int workers,
                            const char **list, bo_error *err)
{
    const char *name = "BO_GPUS", *gpus = getenv(name);
    if (!gpus || !*gpus) {
        /* One device listed: every worker sees it anyway; nothing to
         * split. (Set but empty, it hides every device: left alone.) */
        name = "CUDA_VISIBLE_DEVICES";
        gpus = getenv(name);
        if (gpus && !strchr(gpus, ','))
            gpus = NULL;
        /* Neither set: each worker its own of the machine's GPUs, by the
         * driver's count (the coordinator never loads CUDA). */
        static char found[4096];
        if (!getenv(name) && workers >= 2 &&
            bo_executor_gpus_in(driver_dir, found, sizeof found) >= 2 &&
            found[0])
            gpus = found;
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
