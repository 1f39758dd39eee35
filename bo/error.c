/* error.c — see error.h. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Every error is one line (bo/DESIGN.md), whatever a library's text
 * (SQLite's integrity report, a plugin's message) or a path holds. */
static void one_line(char *s)
{
    for (; *s; s++)
        if (*s == '\n' || *s == '\r' || *s == '\t')
            *s = ' ';
}

int bo_error_set(bo_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
        one_line(err->message);
        err->code = code;
    }
    return code;
}

int bo_error_prefix(bo_error *err, const char *fmt, ...)
{
    if (!err)
        return BO_EINVAL;
    char prefix[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    /* Shift the old message right and put "prefix: " in front; a message
     * too long for the buffer loses its end, never its start. */
    size_t cap = sizeof err->message;
    size_t p = strlen(prefix), m = strnlen(err->message, cap - 1);
    if (p + 2 >= cap)
        p = cap - 3;
    size_t keep = m < cap - 1 - (p + 2) ? m : cap - 1 - (p + 2);
    memmove(err->message + p + 2, err->message, keep);
    memcpy(err->message, prefix, p);
    err->message[p] = ':';
    err->message[p + 1] = ' ';
    err->message[p + 2 + keep] = '\0';
    one_line(err->message);
    return err->code;
}

void bo_error_clear(bo_error *err)
{
    if (err) {
        err->code = 0;
        err->message[0] = '\0';
    }
}
