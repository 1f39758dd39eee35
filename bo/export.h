/*
 * export.h — a stored study as text: `bo export` (CSV, JSON) and `bo show`
 * (a summary for people, or JSON).
 *
 * A study is first loaded whole into a bo_study_dump (read-only; the study
 * may be held by a running `bo run` meanwhile), then written to a FILE*.
 * Floating-point values are written exactly (%.17g), NaN as an empty CSV
 * field or JSON null; a trial's params and metrics are written as stored.
 *
 * CSV columns, in this order:
 *   trial,state,loss,cost_s,
 *   one per parameter (named as in the spec, in the space's order),
 *   metric.NAME for every metric any trial reported (sorted by name),
 *   wall_s,started_at,finished_at,seed,message,origin
 * Fields holding a comma, a double quote, CR or LF are quoted (RFC 4180);
 * lines end with LF. A parameter's number is the double the stored JSON
 * holds (exact for every double, and for integers up to 2^53).
 *
 * JSON, one trial per line (so that exports diff line by line):
 *   {"study":{stored settings: spec, spec_path, version, seed, strategy,
 *             trials, param_names, dim, settings; those that are set},
 *   "trials":[
 *   {"trial", "state", "origin", "loss", "cost_s", "params", "metrics",
 *    "reports": [[step, value], ...], "wall_s", "started_at",
 *    "finished_at", "seed", "message", "u"},
 *   ...
 *   ]}
 * A trial's params and metrics are embedded exactly as stored, and the
 * spec and settings as stored but minified, so that a 64-bit integer keeps
 * every digit; other numbers are %.17g; NaN and infinities are null.
 *
 * Nothing here prints on its own or exits; a failed write to `out` is
 * BO_EIO (the caller decides what SIGPIPE does).
 */
#ifndef BO_EXPORT_H
#define BO_EXPORT_H

#include <stdio.h>

#include "bo/bo.h"
#include "storage.h"

/* The study settings exported under "study", in this order. */
#define BO_DUMP_N_META 10
extern const char *const bo_dump_meta_keys[BO_DUMP_N_META];

typedef struct bo_study_dump {
    bo_trial_record *trials;   /* ordered by number */
    size_t n_trials;
    int64_t **report_steps;    /* [n_trials]: the reports of trials[i] */
    double **report_values;
    size_t *n_reports;
    char **param_names;        /* meta "param_names", or the keys of the
                                  trials' params in first-seen order */
    size_t n_params;
    char **metric_names;       /* sorted by strcmp, each once */
    size_t n_metrics;
    char *meta[BO_DUMP_N_META];/* values of bo_dump_meta_keys, NULL if unset */
    int writer_gone;           /* known that no process runs the study: its
                                  "running" trials were interrupted */
} bo_study_dump;

int bo_study_dump_load(bo_storage *st, bo_study_dump **out, bo_error *err);
/* Opens the study at path read-only and loads it; reads it again, shared,
 * when a writer started under the first read (bo_storage_read_stale). */
int bo_study_dump_read(const char *path, bo_study_dump **out, bo_error *err);
void bo_study_dump_free(bo_study_dump *d);

enum bo_export_format { BO_EXPORT_CSV = 1, BO_EXPORT_JSON = 2 };

int bo_export_csv(const bo_study_dump *d, FILE *out, bo_error *err);
int bo_export_json(const bo_study_dump *d, FILE *out, bo_error *err);
/* For `bo export`: opens the study read-only, writes it in `format`. */
int bo_export_study(const char *path, int format, FILE *out, bo_error *err);

/* For `bo show`: the path, best complete trial (lowest loss, then lowest
 * number), counts by state and an aligned table of the trials; or the same
 * as JSON {"path", "study", "n_trials", "counts", "best", "trials"}. */
int bo_show_text(const bo_study_dump *d, const char *path, FILE *out,
                 bo_error *err);
int bo_show_json(const bo_study_dump *d, const char *path, FILE *out,
                 bo_error *err);
int bo_show_study(const char *path, int json, FILE *out, bo_error *err);

/* Shared by export.c and show.c. */
typedef struct cJSON cJSON;
/* The JSON object of trial i (see above); NULL when out of memory. */
cJSON *bo_export_trial_json(const bo_study_dump *d, size_t i);
/* The "study" object of stored settings; NULL when out of memory. */
cJSON *bo_export_meta_json(const bo_study_dump *d);
/* Adds item to obj under key; deletes item when that fails (or when it
 * is NULL: a failed cJSON_Create*). 0 on success, -1 on failure. */
int bo_export_attach(cJSON *obj, const char *key, cJSON *item);
/* Index of the best complete trial, or -1 when there is none. */
long bo_export_best(const bo_study_dump *d);
/* %.17g, or NULL for NaN; "inf"/"-inf" in CSV. Writes into buf. */
const char *bo_export_number(double x, char *buf, size_t len);
/* Checks ferror/fflush of `out`: BO_EIO naming `what` on failure. */
int bo_export_flush(FILE *out, const char *what, bo_error *err);

#endif
