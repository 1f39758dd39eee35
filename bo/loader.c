/*
 * loader.c — dlopen an objective plugin and check its descriptor (see
 * loader.h). Runs only in `bo worker`. It must never look up a second
 * symbol, read a descriptor field before abi_version has been checked, or
 * call into the plugin beyond its entry function.
 */
#include "loader.h"

#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"

/* A descriptor claiming more than this is garbage, not a newer header. */
#define LOADER_MAX_STRUCT 4096

/* dlerror() usually repeats the path ("PATH: invalid ELF header"); keep the
 * reason only, on one line. */
static void dl_reason(const char *path, char *out, size_t len)
{
    const char *e = dlerror();
    if (!e)
        e = "unknown dynamic loader error";
    size_t pl = strlen(path);
    if (strncmp(e, path, pl) == 0 && e[pl] == ':' && e[pl + 1] == ' ')
        e += pl + 2;
    size_t n = 0;
    for (; e[n] && n + 1 < len; n++)
        out[n] = (e[n] == '\n' || e[n] == '\r') ? ' ' : e[n];
    out[n] = '\0';
}

int bo_plugin_open(const char *path, bo_plugin **out, bo_error *err)
{
    *out = NULL;
    struct stat st;
    if (stat(path, &st) != 0)
        return bo_error_set(err, BO_ENOTFOUND, "%s: cannot load the objective "
                            "plugin: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return bo_error_set(err, BO_EINVAL, "%s: cannot load the objective "
                            "plugin: not a regular file", path);
    /* A name without '/' would make dlopen search the library path. */
    if (!strchr(path, '/'))
        return bo_error_set(err, BO_EINVAL, "%s: the plugin path must "
                            "contain '/'", path);

    bo_plugin *p = calloc(1, sizeof *p);
    if (!p || !(p->path = strdup(path))) {
        free(p);
        return bo_error_set(err, BO_ENOMEM, "%s: out of memory", path);
    }
    char reason[512];
    dlerror();
    p->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!p->handle) {
        dl_reason(path, reason, sizeof reason);
        bo_plugin_close(p);
        return bo_error_set(err, BO_EINVAL, "%s: not a loadable shared "
                            "object: %s", path, reason);
    }
    dlerror();
    void *sym = dlsym(p->handle, BO_OBJECTIVE_ENTRY);
    if (!sym) {
        dl_reason(path, reason, sizeof reason);
        bo_plugin_close(p);
        return bo_error_set(err, BO_EINVAL, "%s: not a bo objective plugin: "
                            "no symbol '%s' (%s)", path, BO_OBJECTIVE_ENTRY,
                            reason);
    }
    bo_objective_entry_fn entry;
    /* POSIX guarantees a data pointer from dlsym converts to a function
     * pointer; memcpy keeps -Wpedantic quiet about it. */
    memcpy(&entry, &sym, sizeof entry);
    const bo_objective *d = entry();
    if (!d) {
        bo_plugin_close(p);
        return bo_error_set(err, BO_EINVAL, "%s: %s() returned NULL", path,
                            BO_OBJECTIVE_ENTRY);
    }
    uint32_t version = d->abi_version;
    if (version != BO_OBJECTIVE_ABI_VERSION) {
        bo_plugin_close(p);
        return bo_error_set(err, BO_EINVAL, "%s: plugin ABI version %u, but "
                            "this bo has ABI version %u; rebuild the plugin "
                            "against this bo's objective.h", path, version,
                            BO_OBJECTIVE_ABI_VERSION);
    }
    uint32_t size = d->struct_size;
    size_t need = offsetof(bo_objective, instance_space);
    if (size < need || size > LOADER_MAX_STRUCT) {
        bo_plugin_close(p);
        return bo_error_set(err, BO_EINVAL, "%s: descriptor struct_size %u is "
                            "not plausible (expected %zu to %u)", path, size,
                            need, LOADER_MAX_STRUCT);
    }
    memcpy(&p->desc, d, size < sizeof p->desc ? size : sizeof p->desc);
    /* an empty name too: the worker's description uses "" for "failed" */
    const char *missing = !p->desc.name || !p->desc.name[0] ? "name"
                        : !p->desc.create ? "create"
                        : !p->desc.evaluate ? "evaluate"
                        : !p->desc.destroy ? "destroy"
                        : (p->desc.n_space && !p->desc.space) ? "space" : NULL;
    if (missing) {
        bo_plugin_close(p);
        return bo_error_set(err, BO_EINVAL, "%s: the descriptor has no '%s'",
                            path, missing);
    }
    *out = p;
    return BO_OK;
}

void bo_plugin_close(bo_plugin *p)
{
    if (!p)
        return;
    if (p->handle)
        dlclose(p->handle);
    free(p->path);
    free(p);
}

int bo_plugin_space(const bo_plugin *p, void *instance,
                    const bo_param_spec **space, uint32_t *n, bo_error *err)
{
    *space = p->desc.space;
    *n = p->desc.n_space;
    if (!p->desc.instance_space)
        return BO_OK;
    char msg[BO_MESSAGE_MAX] = "";
    const bo_param_spec *s = NULL;
    uint32_t k = 0;
    if (p->desc.instance_space(instance, &s, &k, msg, sizeof msg) != 0) {
        msg[sizeof msg - 1] = '\0';
        return bo_error_set(err, BO_EINVAL, "%s: instance_space failed: %s",
                            p->path, msg[0] ? msg : "no message");
    }
    if (k && !s)
        return bo_error_set(err, BO_EINVAL, "%s: instance_space gave %u "
                            "parameters but no array", p->path, k);
    *space = s;
    *n = k;
    return BO_OK;
}
