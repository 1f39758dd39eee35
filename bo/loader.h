/*
 * loader.h — opening an objective plugin (a shared library exporting
 * BO_OBJECTIVE_ENTRY). Only worker processes load plugins; the coordinator
 * never does (bo/DESIGN.md "Data flow").
 */
#ifndef BO_LOADER_H
#define BO_LOADER_H

#include "bo/bo.h"

typedef struct bo_plugin {
    void *handle;          /* dlopen's */
    /* A copy of the plugin's descriptor, zero past its struct_size, so that
     * fields a plugin built against an older header lacks read as NULL. */
    bo_objective desc;
    char *path;
} bo_plugin;

/* dlopen(RTLD_NOW | RTLD_LOCAL), one dlsym of the entry, the ABI version
 * checked before any other field, then the descriptor's size and its
 * required members. Each failure is one line naming the path: a missing
 * file, a file that is not a shared object, a missing entry symbol, a
 * version mismatch (with both numbers), a malformed descriptor. */
int bo_plugin_open(const char *path, bo_plugin **out, bo_error *err);
/* dlclose; the instance must have been destroyed. NULL is fine. */
void bo_plugin_close(bo_plugin *p);

/* The default space of an instance: instance_space() when the plugin has
 * it, else the descriptor's. The array is the plugin's (see objective.h). */
int bo_plugin_space(const bo_plugin *p, void *instance,
                    const bo_param_spec **space, uint32_t *n, bo_error *err);

#endif
