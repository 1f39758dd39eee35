/*
 * gpu_fail.cu — the message side of cuda_check.h, and the device probe the
 * tests and the backend share. Never prints, never exits.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cuda_check.h"
#include "gpu.h"

int bo_gpu_fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int bo_gpu_fail_at(char *err, size_t errlen, const char *file, int line, const char *what,
                   const char *msg)
{
    /* __FILE__ is an absolute path under CMake: keep "gpu/NAME.cu". */
    const char *p = strstr(file, "gpu/");
    const char *next;
    while (p && (next = strstr(p + 1, "gpu/")) != NULL)
        p = next;
    return bo_gpu_fail(err, errlen, "%s:%d: %s: %s", p ? p : file, line, what, msg);
}

extern "C" int bo_gpu_device_count(char *err, size_t errlen)
{
    int n = 0;
    cudaError_t e = cudaGetDeviceCount(&n);
    if (e != cudaSuccess) {
        /* Without a driver or a device the runtime says so here; that is
         * the common case on CPU machines and gets a plain message. */
        bo_gpu_fail(err, errlen, "no CUDA device (cudaGetDeviceCount: %s)",
                    cudaGetErrorString(e));
        cudaGetLastError();
        return 0;
    }
    if (n == 0)
        bo_gpu_fail(err, errlen, "no CUDA device (cudaGetDeviceCount found none)");
    return n;
}
