/*
 * cli.h — what the cli_*.c subcommands share: each takes the arguments
 * after its name and returns the process exit status (0 ok, 1 runtime
 * failure, 2 usage or spec error), printing at most one error line.
 */
#ifndef BO_CLI_H
#define BO_CLI_H

#include <stdint.h>

#include "bo/bo.h"

int bo_cli_run(int argc, char **argv);
int bo_cli_resume(int argc, char **argv);
int bo_cli_show(int argc, char **argv);
int bo_cli_export(int argc, char **argv);
int bo_cli_compare(int argc, char **argv);
int bo_cli_plugin(int argc, char **argv);

/* Prints "bo: MESSAGE" and returns the exit status for rc. */
int bo_cli_fail(const bo_error *err, int rc);
/* Prints "bo CMD: MESSAGE" for a usage mistake and returns 2. */
int bo_cli_usage(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A command's one positional argument: taken into *slot, or a usage
 * error (the exit status) when *slot already holds one. Options end at
 * "--": what follows is positional, a name starting with '-' included. */
int bo_cli_take_one(const char *cmd, const char **slot, const char *arg);

/* On SIGINT, SIGTERM or SIGHUP: `message` (a static string, a whole line)
 * on standard error, then the signal's own end (the exit status says it). */
void bo_cli_on_interrupt(const char *message);

/* This process's rank when an MPI launcher started it, else -1. */
int bo_cli_mpi_rank(void);

/* Option parsing: if argv[*i] is --NAME or --NAME=VALUE, sets *value (the
 * next argument or the part after '=') and advances *i. Returns 1 when it
 * matched, 0 when not, -1 when the value is missing: nothing follows, or
 * what follows is an option ("--out --seeds 2"; --NAME=VALUE takes any
 * value). */
int bo_cli_option(int argc, char **argv, int *i, const char *name,
                  const char **value);
/* Whole-number arguments: 0 ok, -1 when not an integer in [lo, hi]. */
int bo_cli_int(const char *text, int64_t lo, int64_t hi, int64_t *out);

#endif
