/*
 * aprintf.h — a formatted string of exactly the length it needs, for the
 * file names and table cells whose size is not known in advance.
 */
#ifndef BO_APRINTF_H
#define BO_APRINTF_H

/* A malloc'd string (the caller frees it), or NULL when out of memory. */
char *bo_aprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
