/*
 * backend_select.h — turning the config's "device" into a backend:
 * "cpu", "cuda" (the CUDA library must load and open, or it is an error
 * that begins "CUDA backend not available: "), or "auto" (CUDA when it
 * loads and opens, the CPU otherwise, with the reason in `note`).
 */
#ifndef BO_NN_BACKEND_SELECT_H
#define BO_NN_BACKEND_SELECT_H

#include <stddef.h>

#include "backend.h"

/* An opened backend: the table, its context, and the dlopen handle of the
 * CUDA library when that is what runs (closed by bo_nn_device_close). */
typedef struct bo_nn_device {
    const bo_nn_backend *backend;
    void *ctx;
    void *dl_;
} bo_nn_device;

/* Opens the backend for `device` over `data`. note (may be NULL) receives
 * one line saying what was chosen and why. Returns 0, or -1 with a message. */
int bo_nn_device_open(const char *device, const bo_nn_data *data, bo_nn_device *dev,
                      char *note, size_t notelen, char *err, size_t errlen);

void bo_nn_device_close(bo_nn_device *dev);

#endif
