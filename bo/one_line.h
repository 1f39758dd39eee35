/*
 * one_line.h — a trial's message shortened for one line of bo run's
 * progress or bo show's table (the whole message stays in the study).
 */
#ifndef BO_ONE_LINE_H
#define BO_ONE_LINE_H

#include <stddef.h>

/* msg in at most len - 1 bytes of out, on one line: control characters
 * (newlines, escape sequences an objective printed) become spaces. When it
 * must be cut and it carries a stderr tail ("...; stderr: ..."), the tail's
 * end is kept, since a program's error is its last line (a Python
 * traceback ends in the exception): "HEAD; stderr: ...END". Anything else
 * keeps its start: "START...". Cuts fall between UTF-8 characters. len is
 * at least 32. */
void bo_one_line(const char *msg, char *out, size_t len);

#endif
