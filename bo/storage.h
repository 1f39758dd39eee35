/*
 * storage.h — one study in one SQLite file.
 *
 * Rules (bo/DESIGN.md "Data flow of one study"): WAL journal; the file is held by one process
 * at a time (an exclusive lock taken at open: a second opener gets one line
 * saying the study is in use); the coordinator is the only writer; a trial
 * is written as `running` before it is evaluated and updated after, each in
 * its own transaction, so a kill -9 at any moment loses no completed trial.
 * Doubles are stored as REAL (exact) and unit points as BLOBs of doubles.
 * A file that is not a bo study (another SQLite database, a corrupted or
 * truncated file, a newer schema) is refused with one line naming it, as
 * BO_EIO: a study file that cannot be used is a runtime failure, never a
 * usage error (BO_EINVAL is kept for bad arguments).
 * A write that fails (full disk, RLIMIT_FSIZE) returns BO_EIO with a line
 * naming the file, and leaves what was committed before intact.
 */
#ifndef BO_STORAGE_H
#define BO_STORAGE_H

#include "bo/bo.h"

typedef struct bo_storage bo_storage;

enum bo_storage_mode {
    BO_STORAGE_CREATE = 1,   /* a new study; the file must not hold one */
    BO_STORAGE_OPEN = 2,     /* an existing study, for writing (resume) */
    BO_STORAGE_READ = 3,     /* an existing study, read-only (show, export):
                                allowed while a writer holds it, never writes */
    BO_STORAGE_READ_SHARED = 4 /* the same, never as immutable (below) */
};

/* BO_EINVAL with a message when `path`, made absolute, plus `suffix` more
 * characters would pass what SQLite can open. */
int bo_storage_check_path(const char *path, size_t suffix, bo_error *err);

int bo_storage_open(const char *path, int mode, bo_storage **out,
                    bo_error *err);
void bo_storage_close(bo_storage *st);
/* A READ of a study no process wrote, with an empty WAL, opens it as
 * immutable: it leaves no -wal and -shm beside it. A writer that started
 * meanwhile may change the file under such a read: then this says so (1),
 * and the reader reads again with BO_STORAGE_READ_SHARED. */
int bo_storage_read_stale(const bo_storage *st);
const char *bo_storage_path(const bo_storage *st);

/* Study-level key/value text. Keys bo uses: "spec" (the spec JSON),
 * "spec_path", "seed", "version", "strategy", "trials" (the target count),
 * "param_names" (JSON array, space order), "dim" (unit-cube dimension),
 * "strategy_state" (whatever the strategy needs to resume exactly). */
int bo_storage_set_meta(bo_storage *st, const char *key, const char *value,
                        bo_error *err);
/* *value is malloc'd (caller frees), or NULL when the key is absent. */
int bo_storage_get_meta(bo_storage *st, const char *key, char **value,
                        bo_error *err);

typedef struct bo_trial_record {
    int64_t number;
    int state;            /* enum bo_trial_state */
    int origin;           /* enum bo_origin */
    uint64_t seed;        /* the objective's seed for this trial */
    double *u;            /* dim doubles: the canonical unit point */
    size_t dim;
    char *params_json;    /* {"lr": 0.001, "act": "relu"}: user values */
    double loss;          /* NaN when none */
    double cost_s;        /* the objective's own cost, NaN when none */
    double wall_s;        /* measured by the host, NaN while running */
    double started_at;    /* unix time, seconds */
    double finished_at;   /* unix time, NaN while running */
    char *metrics_json;   /* {"accuracy": 0.9}, NULL when none */
    char *message;        /* why it failed, NULL when none */
} bo_trial_record;

/* Writes the trial as it starts (state running), replacing a stale row of
 * the same number. One transaction. */
int bo_storage_trial_begin(bo_storage *st, const bo_trial_record *rec,
                           bo_error *err);
/* Writes the trial's end (state, loss, cost, wall, metrics, message). One
 * transaction. */
int bo_storage_trial_finish(bo_storage *st, const bo_trial_record *rec,
                            bo_error *err);
/* An intermediate report of a running trial. */
int bo_storage_report(bo_storage *st, int64_t trial, int64_t step,
                      double value, bo_error *err);
/* All trials ordered by number; the array and its strings belong to the
 * caller (bo_trial_records_free). */
int bo_storage_load_trials(bo_storage *st, bo_trial_record **out, size_t *n,
                           bo_error *err);
void bo_trial_records_free(bo_trial_record *recs, size_t n);

/* Intermediate reports of one trial, ordered by step. *steps and *values
 * are malloc'd (caller frees). */
int bo_storage_load_reports(bo_storage *st, int64_t trial, int64_t **steps,
                            double **values, size_t *n, bo_error *err);

#endif
