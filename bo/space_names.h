/*
 * space_names.h — what a parameter's name may be, wherever the space
 * comes from (a spec, a plugin's default space, the C API). Private to
 * libbo.
 *
 * A name becomes a column of `bo export`'s CSV and of `bo show`'s table,
 * beside fixed columns (trial, state, loss, ...) and the metrics'
 * ("metric.NAME"): it may not be one of those, nor hold control
 * characters (a newline would split the header).
 */
#ifndef BO_SPACE_NAMES_H
#define BO_SPACE_NAMES_H

#include <stddef.h>

/* NULL when `name` may name a parameter; else why not, written into buf
 * (one printable line, ending "; choose another name"). */
const char *bo_space_name_problem(const char *name, char *buf, size_t len);

#endif
