/*
 * cuda_check.h — turning every CUDA and cuBLAS status into the seam's error:
 * one line "gpu/FILE.cu:LINE: CALL: MESSAGE" in the caller's (err, errlen),
 * and -1 returned from the enclosing function.
 *
 * The macros expect `char *err` and `size_t errlen` in scope and an int
 * return type. They never print and never exit: a CUDA failure inside a
 * worker is a failed trial, not a dead process. Only gpu/ includes this.
 */
#ifndef BO_GPU_CUDA_CHECK_H
#define BO_GPU_CUDA_CHECK_H

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <stddef.h>

/* Formats the one line (file given as __FILE__, shortened to gpu/NAME) and
 * returns -1. */
int bo_gpu_fail_at(char *err, size_t errlen, const char *file, int line, const char *what,
                   const char *msg);
int bo_gpu_fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define cudaCheck(call)                                                              \
    do {                                                                             \
        cudaError_t e_ = (call);                                                     \
        if (e_ != cudaSuccess)                                                       \
            return bo_gpu_fail_at(err, errlen, __FILE__, __LINE__, #call,            \
                                  cudaGetErrorString(e_));                           \
    } while (0)

#define cublasCheck(call)                                                            \
    do {                                                                             \
        cublasStatus_t s_ = (call);                                                  \
        if (s_ != CUBLAS_STATUS_SUCCESS)                                             \
            return bo_gpu_fail_at(err, errlen, __FILE__, __LINE__, #call,            \
                                  cublasGetStatusString(s_));                        \
    } while (0)

/* The same, for functions that own buffers: sets rc and jumps to `done`
 * (declare everything before the first use: C++ forbids jumping over an
 * initialization). */
#define cudaTry(call)                                                                \
    do {                                                                             \
        cudaError_t e_ = (call);                                                     \
        if (e_ != cudaSuccess) {                                                     \
            rc = bo_gpu_fail_at(err, errlen, __FILE__, __LINE__, #call,              \
                                cudaGetErrorString(e_));                             \
            goto done;                                                               \
        }                                                                            \
    } while (0)

#define cublasTry(call)                                                              \
    do {                                                                             \
        cublasStatus_t s_ = (call);                                                  \
        if (s_ != CUBLAS_STATUS_SUCCESS) {                                           \
            rc = bo_gpu_fail_at(err, errlen, __FILE__, __LINE__, #call,              \
                                cublasGetStatusString(s_));                          \
            goto done;                                                               \
        }                                                                            \
    } while (0)

/* After a kernel launch: a bad configuration shows up here, a fault in the
 * kernel at the next synchronizing call (which is checked too). */
#endif
