/*
 * bo/bo.h — the bo library API.
 *
 * A study spec (JSON) is parsed into a bo_spec; its search space maps user
 * values to the unit cube [0,1]^D and back; a strategy proposes unit points
 * (ask) and learns from outcomes (tell). A library user can drive ask/tell
 * directly, without plugins, storage or the command line:
 *
 *     bo_space *sp = NULL; bo_strategy *st = NULL; bo_error err;
 *     bo_strategy_options o = bo_strategy_options_default();
 *     o.name = "bo"; o.seed = 7;
 *     if (bo_space_create(params, n, &sp, &err) ||
 *         bo_strategy_create(sp, &o, &st, &err)) {
 *         fprintf(stderr, "%s\n", err.message);
 *         ...
 *     }
 *     double u[64]; bo_value v[64];   (bo_space_dim / _n_params of them)
 *     int64_t t;
 *     for (int i = 0; i < 50 && bo_strategy_ask(st, u, &t, &err) == BO_OK;
 *          i++) {                      (only grid, and bo on a small
 *         bo_space_decode(sp, u, v, &err);   discrete space, run out)
 *         double loss = my_function(v);
 *         bo_strategy_tell(st, t, BO_TRIAL_COMPLETE, loss, NAN, &err);
 *     }
 *     bo_strategy_free(st);
 *     bo_space_free(sp);
 *
 * The bo strategy's proposals are the same bit for bit for the same
 * space, options, seed and tells at a fixed OpenBLAS thread count: its
 * linear algebra sums in another order with another count. bo run pins
 * one thread (openblas_set_num_threads(1)); a program that wants bo run's
 * proposals does the same.
 *
 * Conventions: functions return 0 (BO_OK) on success, BO_DONE where noted,
 * or a negative BO_E* code with a one-line message in the caller's
 * bo_error (which may be NULL). Nothing here prints or exits. Every object
 * has one owner: the caller of its _create/_load frees it with its _free.
 * One process-wide side effect: creating a strategy turns GSL's error
 * handler off (gsl_set_error_handler_off), since GSL's default aborts the
 * process; bo checks GSL's return codes itself. A program that wants its
 * own handler sets it again after bo_strategy_create.
 */
#ifndef BO_BO_H
#define BO_BO_H

#include <stddef.h>
#include <stdint.h>

#include "bo/objective.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define BO_API __attribute__((visibility("default")))
#else
#define BO_API
#endif

#define BO_VERSION_STRING "0.1.0"

/* ---------------------------------------------------------------- errors */

enum bo_rc {
    BO_OK = 0,
    BO_DONE = 1,        /* ask: the strategy has nothing left to propose
                           (a grid run through; bo when every point of a
                           discrete space was tried) */
    BO_EINVAL = -1,     /* bad argument, spec or value */
    BO_ENOMEM = -2,     /* out of memory */
    BO_EIO = -3,        /* reading or writing a file failed */
    BO_ESTATE = -4,     /* call out of order (unknown trial, told twice) */
    BO_ENOTFOUND = -5,  /* a named thing does not exist */
    BO_ERUNTIME = -6    /* a numerical or system failure */
};

typedef struct bo_error {
    int code;
    char message[1024];
} bo_error;

/* ----------------------------------------------------------- search space */

/* The search space. Parameters keep the order they were given in; the unit
 * cube has one dimension per float or int parameter and one per choice of a
 * categorical (one-hot), in parameter order.
 *
 * Mapping (u is one unit coordinate):
 *   float:        low + u (high - low); log scale: exp(ln low + u (ln high - ln low))
 *   int, linear:  n = high - low + 1 equal-width bins; value low + min(floor(u n), n - 1)
 *   int, log:     equal-width bins of u over [ln low, ln(high + 1)), value
 *                 floor(exp(...)) clamped to [low, high]
 *   categorical:  argmax of its one-hot block (lowest index on ties)
 * encode() maps a value to the centre of its bin (ints), the one-hot vector
 * (categoricals) or the inverse of the float mapping, which may round:
 * decode(encode(v)) can differ from a float v in its last bit. The
 * canonical point of u has each int coordinate at its bin's centre and
 * each categorical block one-hot; float coordinates are only clamped to
 * [0,1] (not passed through decode and encode, whose rounding would move
 * them at each replay). Strategies are always told canonical points. To
 * replay a history bit for bit (bo_strategy_add), keep the unit points
 * that ask gave, not their decoded values.
 * A categorical choice whose text is a number ("32", "0.5") is handed to
 * objectives as a number (INT when integral, DOUBLE otherwise). */
typedef struct bo_space bo_space;

/* A name is at most 63 bytes of UTF-8 without control
 * characters, and neither one of bo export's fixed columns (trial, state,
 * loss, cost_s, wall_s, started_at, finished_at, seed, message, origin)
 * nor a metric's column ("metric." followed by anything); choices are
 * UTF-8 without control characters, distinct as text and as numbers.
 * Anything else is BO_EINVAL naming the parameter. */
BO_API int bo_space_create(const bo_param_spec *params, size_t n_params,
                           bo_space **out, bo_error *err);
BO_API void bo_space_free(bo_space *space);
BO_API size_t bo_space_n_params(const bo_space *space);
BO_API size_t bo_space_dim(const bo_space *space);
/* The i-th parameter; owned by the space. NULL when out of range. */
BO_API const bo_param_spec *bo_space_param(const bo_space *space, size_t i);
/* Index of the parameter called `name`, or -1. */
BO_API long bo_space_find(const bo_space *space, const char *name);
/* u (dim) -> values (n_params). Names and strings in values point into the
 * space and live as long as it does. u outside [0,1] is clamped. */
BO_API int bo_space_decode(const bo_space *space, const double *u,
                           bo_value *values, bo_error *err);
/* values (any order, matched by name; every parameter exactly once) -> u.
 * A value of the wrong type, out of range, or an unknown choice is an error
 * naming the parameter. An int parameter accepts an integral DOUBLE. */
BO_API int bo_space_encode(const bo_space *space, const bo_value *values,
                           size_t n_values, double *u, bo_error *err);
/* The canonical point of u (see above); out may alias u. */
BO_API void bo_space_canonical(const bo_space *space, const double *u,
                               double *out);

/* ------------------------------------------------------------- the spec */

/* A parsed study spec (see README.md, "A study spec"). All pointers are
 * owned by the spec and freed by bo_spec_free. */
typedef struct bo_spec {
    char *name;              /* "name", or the spec file's base name */
    char *path;              /* the spec file, or "<memory>" */
    char *dir;               /* the spec file's folder: relative paths resolve here */
    char *json;              /* the spec as given (text) */

    /* objective: exactly one of plugin / command is set. */
    char *plugin;            /* as written: a stock name or a path with '/' */
    char **command;          /* argv, NULL-terminated */
    size_t n_command;
    char *config_json;       /* objective.config as compact JSON, "{}" by default */

    /* The spec's space; NULL when the spec has none (the objective's own
     * default space is used). */
    bo_space *space;

    /* strategy */
    char *strategy;          /* "bo" by default */
    int64_t initial;         /* strategy.initial, -1: the strategy's default */
    char *acquisition;       /* strategy.acquisition, "ei" by default */
    int64_t levels;          /* strategy.levels (grid), -1: from the budget */

    size_t n_enqueue;        /* entries of "enqueue"; see bo_spec_enqueued */

    int64_t trials;          /* 50 */
    uint64_t seed;           /* 0 */
    double timeout_s;        /* 0: no timeout */
    int64_t workers;         /* 1 */
    int64_t memory_mb;       /* 0: no limit */
    int64_t max_failures;    /* 20 */
    /* early_stopping (the median rule, bo run's README section): a trial
     * is stopped at a report worse than the median of the complete
     * trials' reports at that step, once stop_min_trials of them reported
     * there and from step stop_min_step on. stop_min_trials 0: off. */
    int64_t stop_min_trials;
    int64_t stop_min_step;
    double grace_s;          /* objective.grace_s (command only): SIGTERM to
                                SIGKILL on an early stop; -1: 5 s */

    void *internal_;         /* private */
} bo_spec;

/* Parses a spec held in memory. `path` names it in messages (may be NULL)
 * and its folder becomes spec->dir. Every mistake is BO_EINVAL with a
 * message "PATH: KEY.PATH: what is wrong". */
BO_API int bo_spec_parse(const char *json, size_t len, const char *path,
                         bo_spec **out, bo_error *err);
/* Reads and parses a spec file. A file that is not there is BO_EINVAL as
 * well (bo's command line reports it as a usage error); one that cannot be
 * read for another reason (permissions, an I/O error) BO_EIO. */
BO_API int bo_spec_load(const char *path, bo_spec **out, bo_error *err);
BO_API void bo_spec_free(bo_spec *spec);
/* Encodes enqueue[i] into u (bo_space_dim(space) doubles), validated
 * against `space` (the spec's own, or the objective's default). Errors
 * name the entry: "enqueue[1].lr: ...". */
BO_API int bo_spec_enqueued(const bo_spec *spec, const bo_space *space,
                            size_t i, double *u, bo_error *err);

/* ------------------------------------------------------ seeded streams */

/* The documented hash that derives every random stream's seed from the
 * study seed, a stream name and an index (e.g. the trial number):
 *
 *   h = splitmix64(seed ^ 0x9E3779B97F4A7C15)
 *   h = splitmix64(h ^ fnv1a64(stream))
 *   h = splitmix64(h ^ index)
 *
 * where splitmix64 is Steele, Lea and Flood's finalizer and fnv1a64 the
 * 64-bit FNV-1a hash of the name's bytes. Streams used by bo: "trial" (the
 * seed handed to the objective), "random", "sobol", "grid", "initial",
 * "initial-rest" (bo's uniform draws once Sobol's keep repeating tried
 * points of a discrete space), "acquisition". */
BO_API uint64_t bo_stream_seed(uint64_t seed, const char *stream,
                               uint64_t index);
/* The seed an objective receives for trial `trial` of a study. */
BO_API uint64_t bo_trial_seed(uint64_t study_seed, int64_t trial);

/* ------------------------------------------------------------ strategies */

enum bo_trial_state {
    BO_TRIAL_PENDING = 0,
    BO_TRIAL_RUNNING = 1,
    BO_TRIAL_COMPLETE = 2,
    BO_TRIAL_FAILED = 3,
    BO_TRIAL_CRASHED = 4,
    BO_TRIAL_TIMEOUT = 5,
    BO_TRIAL_INVALID = 6,    /* NaN, infinite or missing loss */
    BO_TRIAL_ABANDONED = 7   /* never finished (stopped study, lost worker) */
};
BO_API const char *bo_trial_state_name(int state);
/* The state called `name`, or -1. */
BO_API int bo_trial_state_parse(const char *name);

enum bo_origin {
    BO_ORIGIN_STRATEGY = 0,  /* proposed by ask() */
    BO_ORIGIN_USER = 1       /* given by the user (enqueue) */
};

typedef struct bo_strategy_options {
    const char *name;         /* "bo", "random", "sobol", "grid" */
    uint64_t seed;
    int64_t initial;          /* bo: initial design size, -1 default */
    const char *acquisition;  /* bo: "ei", "pi", "ucb", "eips"; NULL: "ei" */
    int64_t levels;           /* grid: levels per numeric parameter, -1: from budget */
    int64_t budget;           /* grid only: the trial budget, -1 unknown */
} bo_strategy_options;

BO_API bo_strategy_options bo_strategy_options_default(void);

typedef struct bo_strategy bo_strategy;

/* The space must outlive the strategy. */
BO_API int bo_strategy_create(const bo_space *space,
                              const bo_strategy_options *options,
                              bo_strategy **out, bo_error *err);
BO_API void bo_strategy_free(bo_strategy *strategy);
BO_API const char *bo_strategy_name(const bo_strategy *strategy);
/* Proposes the next trial: writes its canonical unit point to u
 * (bo_space_dim doubles) and its number to *trial (0, 1, 2, ... in order
 * of ask/add). The trial is pending until told. Returns BO_DONE when the
 * strategy has nothing left (an exhausted grid; bo once it finds no
 * untried point of a discrete space). */
BO_API int bo_strategy_ask(bo_strategy *strategy, double *u, int64_t *trial,
                           bo_error *err);
/* Registers a trial the caller chose: an enqueued configuration
 * (BO_ORIGIN_USER) or, when resuming, a stored trial replayed in order
 * with its original origin. u is canonicalized. The trial gets the next
 * number, pending until told. */
BO_API int bo_strategy_add(bo_strategy *strategy, const double *u,
                           int origin, int64_t *trial, bo_error *err);
/* Reports a pending trial's end: its state, loss (used when COMPLETE) and
 * cost in seconds (NaN if unknown). */
BO_API int bo_strategy_tell(bo_strategy *strategy, int64_t trial, int state,
                            double loss, double cost_s, bo_error *err);
/* How many trials the strategy can propose in all (grid: its points), or
 * -1 when it sets no bound of its own: random and sobol go on proposing
 * (the same point, in a space of one point), and bo ends with BO_DONE once
 * it finds no untried point of a discrete space. */
BO_API int64_t bo_strategy_capacity(const bo_strategy *strategy);

#ifdef __cplusplus
}
#endif

#endif /* BO_BO_H */
