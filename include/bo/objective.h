/*
 * bo/objective.h — the objective plugin ABI.
 *
 * An objective plugin is a shared library that exports the symbol
 * BO_OBJECTIVE_ENTRY ("bo_objective_entry"), a function that returns a
 * pointer to a constant descriptor (struct bo_objective). The host looks up
 * that one name only (other exported symbols, as C++ or Fortran builds
 * make, are harmless) and reaches everything else through the descriptor.
 * A plugin needs only this header: it does not link against libbo and never
 * sees host internals.
 *
 * Version rule
 *   The host reads `abi_version` before touching any other field. A plugin
 *   whose abi_version differs from the host's BO_OBJECTIVE_ABI_VERSION is
 *   refused with a message naming both numbers. Within one version, structs
 *   only grow at their end, into the `reserved` room: a host reads a field
 *   past the plugin's `struct_size` as zero, so an older plugin keeps
 *   working under a newer host.
 *
 * Lifecycle (per worker process)
 *   entry() ──> descriptor            once, after dlopen
 *   create(config_json) ──> instance  once (load data sets, GPU context here)
 *   evaluate(instance, ...)           many times, one trial each, sequentially
 *   destroy(instance)                 once, before dlclose
 *   The host never calls evaluate concurrently on one instance. create()
 *   runs under the spec's timeout_s like a trial (a study whose objective
 *   does not describe itself in time does not start). Threads a plugin
 *   starts must be joined before evaluate() returns or in destroy():
 *   the library is unloaded after destroy().
 *
 * Determinism contract
 *   evaluate() must depend only on the config given to create(), the
 *   assignment and host->seed. A warm instance that already evaluated other
 *   trials and a fresh one must give the same outcome (wall-clock cost
 *   aside). bo's reproducibility rests on this.
 *
 * Ownership and lifetime
 *   - The descriptor and everything it points to (names, the default space,
 *     choice strings) are owned by the plugin and must stay valid and
 *     unchanged until the library is unloaded.
 *   - config_json passed to create() is owned by the host and valid only
 *     during the call: copy what you keep.
 *   - The instance is owned by the plugin; the host only passes it back and
 *     finally hands it to destroy().
 *   - The assignment array, its names and string values, and the host table
 *     are owned by the host and valid only during the evaluate() call.
 *   - The outcome is host memory, zero-filled before the call, with fixed
 *     capacity buffers (no pointers cross back to the host).
 *
 * Config and assignment
 *   config_json is the spec's objective.config as JSON text ("{}" when the
 *   spec has none). The assignment holds one value per tuned parameter.
 *   The host passes both as they are: where a tuned parameter and a config
 *   key share a name, the plugin must let the tuned value win (the stock
 *   objectives and the template do).
 *
 * Errors
 *   create() returns 0 on success, non-zero on failure with a one-line
 *   message in err (always NUL-terminated, at most errlen bytes).
 *   evaluate() returns 0 when the outcome is filled in (the outcome's
 *   status says how the trial went) and non-zero for an error that makes
 *   the instance unusable; the host then destroys it and starts afresh.
 *   A plugin must not exit the process or install signal handlers.
 */
#ifndef BO_OBJECTIVE_H
#define BO_OBJECTIVE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BO_OBJECTIVE_ABI_VERSION 1u
#define BO_OBJECTIVE_ENTRY "bo_objective_entry"

/* Capacities of the fixed outcome buffers. */
#define BO_NAME_MAX 64      /* parameter and metric names, with the NUL */
#define BO_MESSAGE_MAX 512  /* outcome message, with the NUL */
#define BO_METRICS_MAX 32   /* extra metrics per outcome */

/* Value kinds that cross the boundary. */
enum bo_value_type {
    BO_VALUE_DOUBLE = 1,
    BO_VALUE_INT = 2,    /* int64 */
    BO_VALUE_STRING = 3  /* NUL-terminated UTF-8 */
};

/* One named value of an assignment, read by `type`. A categorical
 * parameter's value always has its choice's text in `s`; a choice that
 * reads as a number ("16", "2.5") arrives typed BO_VALUE_INT or
 * BO_VALUE_DOUBLE, its number in `i` or `d`, its text still in `s`. */
typedef struct bo_value {
    const char *name;
    int32_t type;         /* enum bo_value_type */
    int32_t reserved0;
    double d;
    int64_t i;
    const char *s;
} bo_value;

/* Parameter kinds of a search space. */
enum bo_param_type {
    BO_PARAM_FLOAT = 1,
    BO_PARAM_INT = 2,
    BO_PARAM_CATEGORICAL = 3
};

/* One dimension of a default search space, as a plugin declares it.
 * FLOAT and INT use low/high (inclusive) and log (non-zero: log scale,
 * low > 0). CATEGORICAL uses choices/n_choices (strings). */
typedef struct bo_param_spec {
    const char *name;
    int32_t type;         /* enum bo_param_type */
    int32_t log;
    double low;
    double high;
    const char *const *choices;
    uint32_t n_choices;
    uint32_t reserved0;
    void *reserved[4];
} bo_param_spec;

/* How a trial ended, as the objective says. The host adds the states it
 * decides itself (crashed, timeout, invalid). */
enum bo_status {
    BO_STATUS_OK = 0,       /* loss is the result */
    BO_STATUS_FAILED = 1,   /* the configuration could not be evaluated */
    BO_STATUS_STOPPED = 2   /* stopped early because report() asked it to;
                               loss is the last value reached */
};

typedef struct bo_metric {
    char name[BO_NAME_MAX];
    double value;
} bo_metric;

/* Filled by evaluate(). The host zero-fills it and sets cost_s to NaN
 * before the call: leave cost_s NaN if you did not measure a cost of your
 * own (the host always measures wall-clock time too). */
typedef struct bo_outcome {
    double loss;                       /* minimized; must be finite */
    double cost_s;                     /* the plugin's own cost, seconds */
    int32_t status;                    /* enum bo_status */
    uint32_t n_metrics;                /* used entries of metrics[] */
    char message[BO_MESSAGE_MAX];      /* why, for a failed trial */
    bo_metric metrics[BO_METRICS_MAX]; /* extra metrics, reported as is */
    uint8_t reserved[256];
} bo_outcome;

/* Services the host offers during one evaluate() call. Valid only during
 * that call. `ctx` is the host's; pass it back unchanged. */
typedef struct bo_host {
    uint32_t abi_version;  /* the host's BO_OBJECTIVE_ABI_VERSION */
    uint32_t struct_size;  /* sizeof(bo_host) as the host was built */
    int64_t trial;         /* the trial number, from 0 */
    uint64_t seed;         /* the trial's seed: the only randomness source */
    void *ctx;
    /* A line for the trial's log. */
    void (*log)(void *ctx, const char *message);
    /* An intermediate result (e.g. the validation loss after an epoch).
     * Returns non-zero when the host asks the objective to stop early:
     * return promptly with status BO_STATUS_STOPPED. A plugin that reports
     * again after a stop ran past it: the host keeps the report it was
     * stopped at as the loss. log() and report() may be called from any
     * thread of the plugin's, during evaluate() only (a report after it
     * returned is dropped and answered non-zero). */
    int (*report)(void *ctx, int64_t step, double value);
    void *reserved[8];
} bo_host;

/* The descriptor a plugin exports through its entry function. */
typedef struct bo_objective {
    uint32_t abi_version;  /* must be BO_OBJECTIVE_ABI_VERSION; read first */
    uint32_t struct_size;  /* sizeof(bo_objective) as the plugin was built */
    const char *name;
    const char *description;
    /* The default search space (may be NULL with n_space 0). A spec's
     * `space` replaces it entirely. */
    const bo_param_spec *space;
    uint32_t n_space;
    uint32_t reserved0;
    int (*create)(const char *config_json, void **instance,
                  char *err, size_t errlen);
    int (*evaluate)(void *instance, const bo_value *assignment,
                    size_t n_assignment, const bo_host *host,
                    bo_outcome *outcome);
    void (*destroy)(void *instance);
    /* Optional (may be NULL): the default space of this instance, for an
     * objective whose space depends on its config (e.g. a benchmark
     * function's dimension). When set, the host uses it instead of
     * `space`. The array is owned by the instance and valid until
     * destroy(). Returns 0, or non-zero with a message in err. */
    int (*instance_space)(void *instance, const bo_param_spec **space,
                          uint32_t *n_space, char *err, size_t errlen);
    /* Optional (may be NULL): whether the objective would take this
     * assignment, without evaluating it: a tuned name it does not know, a
     * value outside what it accepts. Returns 0, or non-zero with a message
     * in err. Before a study starts, the host asks it about the spec's
     * space: its centre, and each parameter at its ends and at each of its
     * choices, the others at the centre; a refusal is then one line
     * naming the spec, where it would have failed trial after trial. */
    int (*check)(void *instance, const bo_value *assignment,
                 size_t n_assignment, char *err, size_t errlen);
    void *reserved[6];
} bo_objective;

typedef const bo_objective *(*bo_objective_entry_fn)(void);

/* A plugin defines its entry with this macro so the symbol has the right
 * name, C linkage and default visibility:
 *     BO_OBJECTIVE_EXPORT const bo_objective *bo_objective_entry(void)
 */
#if defined(__GNUC__)
#define BO_OBJECTIVE_EXPORT __attribute__((visibility("default")))
#else
#define BO_OBJECTIVE_EXPORT
#endif

/* The one symbol a plugin defines. */
BO_OBJECTIVE_EXPORT const bo_objective *bo_objective_entry(void);

#ifdef __cplusplus
}
#endif

#endif /* BO_OBJECTIVE_H */
