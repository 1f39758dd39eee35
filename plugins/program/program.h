/*
 * program.h — the `program` objective: runs any program once per trial
 * (bo/DESIGN.md "Objectives as programs"). Shared by the plugin's files only;
 * nothing here is visible outside program.so.
 */
#ifndef BO_PROGRAM_H
#define BO_PROGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "bo/objective.h"

/* The adapter's config: {"command": [argv...], "dir": "...", "grace_s": 5,
 * "config": {...}}. */
typedef struct prog_config {
    char **argv;        /* NULL-terminated, argc entries */
    size_t argc;
    char *dir;          /* working folder of the program; NULL: inherited */
    double grace_s;     /* SIGTERM to SIGKILL when stopping early */
    char *config_json;  /* the user's config, compact, for BO_CONFIG */
    long long memory_mb; /* RLIMIT_DATA of the program; <= 0: inherited */
} prog_config;

/* The executable for argv[0]: as given when it has a '/' (relative to
 * the program's folder), else searched along PATH. 0, or -1 with a
 * reason in why. */
int prog_find_executable(const prog_config *c, char *out, size_t len,
                         char *why, size_t why_len);

/* Runs one trial: the program gets input_line (one JSON object and a
 * newline) on stdin; its stdout lines become reports and the result;
 * everything it prints also goes to the worker's stdout/stderr (the trial
 * log); config_json is its BO_CONFIG (prog_config_for). Fills the outcome;
 * returns 0 (failures are the outcome's status). */
int prog_run(const prog_config *c, const char *input_line,
             const char *config_json, const bo_host *host, bo_outcome *o);

/* ---- program_json.c: what crosses as text ---- */

/* The assignment as one compact JSON object line (with "\n"): ints as
 * integers, doubles with 17 significant digits and always a '.' or an
 * exponent, so that a program reading them tells them apart. malloc'd;
 * NULL when out of memory or a double is not finite. */
char *prog_assignment_json(const bo_value *v, size_t n);

/* The objective's config for a trial (BO_CONFIG): config_json with the
 * value of each key that is also a tuned parameter replaced by the
 * trial's (bo/DESIGN.md: "a tuned parameter of the same name overrides the
 * config's value"); config_json as is when none is. malloc'd; NULL when
 * out of memory or a value cannot be written. */
char *prog_config_for(const char *config_json, const bo_value *v, size_t n);

enum {
    PROG_LINE_EMPTY = 0,
    PROG_LINE_STEP = 1,
    PROG_LINE_OTHER = 2,
    PROG_LINE_BADSTEP = 3
};
/* What one stdout line is: blank, an intermediate report (a JSON object
 * with a numeric "step"; *value is its "loss", NaN when absent), a JSON
 * object whose "step" is not a finite number (a broken report: neither a
 * report nor the result), or anything else (a result candidate or plain
 * output). */
int prog_line_kind(const char *line, int64_t *step, double *value);

/* Parses the result line into o->loss, o->cost_s and o->metrics: a JSON
 * object {"loss": x, "cost_s": y, "metrics": {...}} or a bare number. The
 * non-standard tokens NaN, Infinity and -Infinity are accepted (Python's
 * json module writes them). Returns 0 when the line is a result (its loss
 * may still be missing or non-finite: *has_loss says), -1 when it is not,
 * with a reason in why. */
int prog_parse_result(const char *line, bo_outcome *o, int *has_loss,
                      char *why, size_t why_len);

#endif
