/*
 * error.h — filling a caller's bo_error. Library code never prints: it
 * returns a code and leaves a one-line message for whoever owns main().
 */
#ifndef BO_ERROR_H
#define BO_ERROR_H

#include "bo/bo.h"

/* Writes the formatted message into err (if not NULL) and returns code, so
 * that `return bo_error_set(err, BO_EINVAL, "...")` reads naturally. */
int bo_error_set(bo_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prepends "prefix: " to the message already in err. Returns err->code. */
int bo_error_prefix(bo_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void bo_error_clear(bo_error *err);

#endif
