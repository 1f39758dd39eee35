/*
 * backend_select.c — finding and opening a backend for the config's
 * "device".
 *
 * The CUDA backend lives in its own library (libbo_nn_cuda.so, built from
 * gpu/ only where nvcc is found) so that this plugin loads on machines
 * without CUDA. It is looked for, in order: $BO_NN_CUDA_LIB (a path), the
 * folder this plugin was loaded from, the library folder two levels up
 * (lib/ when the plugin is in lib/bo/objectives/), then the loader's own
 * search path. Its one entry is bo_nn_cuda_backend().
 *
 * Must never print; the choice is reported through `note`.
 */
#define _GNU_SOURCE 1  /* dladdr */
#include "backend_select.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef const bo_nn_backend *(*cuda_entry_fn)(void);

static void say(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(char *buf, size_t len, const char *fmt, ...)
{
    if (buf && len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, len, fmt, ap);
        va_end(ap);
    }
}

/* dlopen of the CUDA library from the candidate places; why in `why`. */
static void *load_cuda(char *why, size_t whylen)
{
    char cand[3][4096];
    int n = 0;
    const char *env = getenv("BO_NN_CUDA_LIB");
    if (env && *env)
        snprintf(cand[n++], sizeof cand[0], "%s", env);
    Dl_info info;
    if (dladdr((void *)&load_cuda, &info) && info.dli_fname && strchr(info.dli_fname, '/')) {
        char dir[4000];
        snprintf(dir, sizeof dir, "%s", info.dli_fname);
        *strrchr(dir, '/') = '\0';
        snprintf(cand[n++], sizeof cand[0], "%s/%s", dir, BO_NN_CUDA_LIBRARY);
        snprintf(cand[n++], sizeof cand[0], "%s/../../%s", dir, BO_NN_CUDA_LIBRARY);
    }
    say(why, whylen, "%s not found", BO_NN_CUDA_LIBRARY);
    for (int i = 0; i < n; i++) {
        void *h = dlopen(cand[i], RTLD_NOW | RTLD_LOCAL);
        if (h)
            return h;
        /* Keep the reason of a library that exists but does not load (a
         * missing libcudart or libcublas reads "No such file" too, so ask
         * whether the library itself is there, not what dlerror says). */
        const char *e = dlerror();
        if (e && access(cand[i], F_OK) == 0)
            say(why, whylen, "%s", e);
    }
    void *h = dlopen(BO_NN_CUDA_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        /* Through the loader's path, only a message about the library
         * itself means it is absent; one naming a dependency is kept. */
        const char *e = dlerror();
        if (e && strncmp(e, BO_NN_CUDA_LIBRARY ":", strlen(BO_NN_CUDA_LIBRARY ":")) != 0)
            say(why, whylen, "%s", e);
    }
    return h;
}

/* Loads and opens the CUDA backend into dev, or says why not in why. */
static int open_cuda(const bo_nn_data *data, bo_nn_device *dev, char *why, size_t whylen)
{
    void *h = load_cuda(why, whylen);
    if (!h)
        return -1;
    cuda_entry_fn entry;
    *(void **)&entry = dlsym(h, BO_NN_CUDA_ENTRY);
    const bo_nn_backend *be = entry ? entry() : NULL;
    if (!be) {
        say(why, whylen, "%s has no %s()", BO_NN_CUDA_LIBRARY, BO_NN_CUDA_ENTRY);
        dlclose(h);
        return -1;
    }
    if (be->version != BO_NN_BACKEND_VERSION) {
        say(why, whylen, "%s is backend version %u, this trainer needs %u",
            BO_NN_CUDA_LIBRARY, be->version, BO_NN_BACKEND_VERSION);
        dlclose(h);
        return -1;
    }
    if (be->open(data, &dev->ctx, why, whylen) != 0) {
        dlclose(h);
        return -1;
    }
    dev->backend = be;
    dev->dl_ = h;
    return 0;
}

int bo_nn_device_open(const char *device, const bo_nn_data *data, bo_nn_device *dev,
                      char *note, size_t notelen, char *err, size_t errlen)
{
    memset(dev, 0, sizeof *dev);
    char why[512] = "";
    int want_cuda = strcmp(device, "cuda") == 0, is_auto = strcmp(device, "auto") == 0;
    if (!want_cuda && !is_auto && strcmp(device, "cpu") != 0) {
        say(err, errlen, "device: unknown value \"%s\" (want auto, cpu or cuda)", device);
        return -1;
    }
    if (want_cuda || is_auto) {
        if (open_cuda(data, dev, why, sizeof why) == 0) {
            say(note, notelen, "device: cuda%s", is_auto ? " (auto)" : "");
            return 0;
        }
        if (want_cuda) {
            say(err, errlen, "CUDA backend not available: %s", why);
            return -1;
        }
    }
    if (bo_nn_backend_cpu.open(data, &dev->ctx, err, errlen) != 0)
        return -1;
    dev->backend = &bo_nn_backend_cpu;
    if (is_auto)
        say(note, notelen, "device: cpu (auto: CUDA backend not available: %s)", why);
    else
        say(note, notelen, "device: cpu");
    return 0;
}

void bo_nn_device_close(bo_nn_device *dev)
{
    if (!dev)
        return;
    if (dev->backend && dev->ctx)
        dev->backend->close(dev->ctx);
    if (dev->dl_)
        dlclose(dev->dl_);
    memset(dev, 0, sizeof *dev);
}
