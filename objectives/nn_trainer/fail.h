/*
 * fail.h — the trainer's one way to report an error: a one-line message in
 * the caller's (err, errlen) buffer, and -1 to return. The trainer never
 * prints or exits; the plugin glue hands the message to the host.
 */
#ifndef BO_NN_FAIL_H
#define BO_NN_FAIL_H

#include <stddef.h>

int bo_nn_fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
