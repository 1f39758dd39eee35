/*
 * export.c — `bo export`: a stored study as CSV or JSON (see export.h for
 * the columns and fields). Reads the study only; must never round a
 * number (every double is written with %.17g) or reorder a trial's params.
 */
#include "export.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

const char *const bo_dump_meta_keys[BO_DUMP_N_META] = {
    "spec", "spec_path", "version", "seed", "strategy",
    "trials", "param_names", "dim", "settings", "best_mean",
};

/* How each setting is exported: embedded JSON, a number, or a string. A
 * value that is not what its kind says is exported as a string. */
enum meta_kind { META_JSON, META_NUMBER, META_STRING };
static const enum meta_kind meta_kinds[BO_DUMP_N_META] = {
    META_JSON,   META_STRING, META_STRING, META_NUMBER, META_STRING,
    META_NUMBER, META_JSON,   META_NUMBER, META_JSON,   META_JSON,
};

/* ------------------------------------------------------------ loading */

void bo_study_dump_free(bo_study_dump *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n_trials; i++) {
        if (d->report_steps)
            free(d->report_steps[i]);
        if (d->report_values)
            free(d->report_values[i]);
    }
    free(d->report_steps);
    free(d->report_values);
    free(d->n_reports);
    bo_trial_records_free(d->trials, d->n_trials);
    for (size_t i = 0; i < d->n_params; i++)
        free(d->param_names[i]);
    free(d->param_names);
    for (size_t i = 0; i < d->n_metrics; i++)
        free(d->metric_names[i]);
    free(d->metric_names);
    for (size_t i = 0; i < BO_DUMP_N_META; i++)
        free(d->meta[i]);
    free(d);
}

/* Appends `name` to names[*n] unless it is there already. */
static int add_name(char ***names, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*names)[i], name) == 0)
            return 0;
    char **grown = realloc(*names, (*n + 1) * sizeof *grown);
    if (!grown)
        return -1;
    *names = grown;
    if (!(grown[*n] = strdup(name)))
        return -1;
    (*n)++;
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The parameter names: the stored "param_names" array, or, for a study
 * that has none, the keys of its trials' params in first-seen order. */
static int load_param_names(bo_study_dump *d, const char *names_json)
{
    cJSON *arr = names_json ? cJSON_Parse(names_json) : NULL;
    int rc = 0;
    if (cJSON_IsArray(arr)) {
        const cJSON *item;
        cJSON_ArrayForEach(item, arr)
            if (cJSON_IsString(item) &&
                add_name(&d->param_names, &d->n_params, item->valuestring))
                rc = -1;
        cJSON_Delete(arr);
        return rc;
    }
    cJSON_Delete(arr);
    for (size_t i = 0; rc == 0 && i < d->n_trials; i++) {
        cJSON *p = d->trials[i].params_json
                       ? cJSON_Parse(d->trials[i].params_json)
                       : NULL;
        const cJSON *item;
        if (cJSON_IsObject(p))
            cJSON_ArrayForEach(item, p)
                if (add_name(&d->param_names, &d->n_params, item->string))
                    rc = -1;
        cJSON_Delete(p);
    }
    return rc;
}

static int load_metric_names(bo_study_dump *d)
{
    for (size_t i = 0; i < d->n_trials; i++) {
        cJSON *m = d->trials[i].metrics_json
                       ? cJSON_Parse(d->trials[i].metrics_json)
                       : NULL;
        const cJSON *item;
        int rc = 0;
        if (cJSON_IsObject(m))
            cJSON_ArrayForEach(item, m)
                if (add_name(&d->metric_names, &d->n_metrics, item->string))
                    rc = -1;
        cJSON_Delete(m);
        if (rc)
            return rc;
    }
    if (d->n_metrics)
        qsort(d->metric_names, d->n_metrics, sizeof *d->metric_names,
              cmp_names);
    return 0;
}

int bo_study_dump_load(bo_storage *st, bo_study_dump **out, bo_error *err)
{
    *out = NULL;
    bo_study_dump *d = calloc(1, sizeof *d);
    if (!d)
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    int rc = BO_OK;
    for (size_t i = 0; rc == BO_OK && i < BO_DUMP_N_META; i++)
        rc = bo_storage_get_meta(st, bo_dump_meta_keys[i], &d->meta[i], err);
    if (rc == BO_OK)
        rc = bo_storage_load_trials(st, &d->trials, &d->n_trials, err);
    if (rc != BO_OK) {
        bo_study_dump_free(d);
        return rc;
    }
    size_t n = d->n_trials ? d->n_trials : 1;
    d->report_steps = calloc(n, sizeof *d->report_steps);
    d->report_values = calloc(n, sizeof *d->report_values);
    d->n_reports = calloc(n, sizeof *d->n_reports);
    if (!d->report_steps || !d->report_values || !d->n_reports)
        rc = bo_error_set(err, BO_ENOMEM, "out of memory");
    for (size_t i = 0; rc == BO_OK && i < d->n_trials; i++)
        rc = bo_storage_load_reports(st, d->trials[i].number,
                                     &d->report_steps[i],
                                     &d->report_values[i], &d->n_reports[i],
                                     err);
    if (rc == BO_OK && (load_param_names(d, d->meta[6]) ||
                        load_metric_names(d)))
        rc = bo_error_set(err, BO_ENOMEM, "out of memory");
    if (rc != BO_OK) {
        bo_study_dump_free(d);
        return rc;
    }
    *out = d;
    return BO_OK;
}

/* ------------------------------------------------------------ helpers */

const char *bo_export_number(double x, char *buf, size_t len)
{
    if (isnan(x))
        return NULL;
    snprintf(buf, len, "%.17g", x);
    return buf;
}

int bo_export_flush(FILE *out, const char *what, bo_error *err)
{
    if (fflush(out) != 0 || ferror(out))
        return bo_error_set(err, BO_EIO, "%s: cannot write the output: %s",
                            what, strerror(errno ? errno : EIO));
    return BO_OK;
}

long bo_export_best(const bo_study_dump *d)
{
    long best = -1;
    for (size_t i = 0; i < d->n_trials; i++) {
        const bo_trial_record *r = &d->trials[i];
        if (r->state != BO_TRIAL_COMPLETE || isnan(r->loss))
            continue;
        /* Trials are ordered by number: strict < keeps the lowest number
         * among equal losses. */
        if (best < 0 || r->loss < d->trials[best].loss)
            best = (long)i;
    }
    return best;
}

/* A JSON number written with %.17g (cJSON would pick the shortest exact
 * form; bo/DESIGN.md promises %.17g in text), or null for NaN and +-inf,
 * which JSON cannot hold. */
static cJSON *json_number(double x)
{
    char buf[40];
    if (!isfinite(x))
        return cJSON_CreateNull();
    snprintf(buf, sizeof buf, "%.17g", x);
    return cJSON_CreateRaw(buf);
}

static cJSON *json_int(int64_t x)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, x);
    return cJSON_CreateRaw(buf);
}

/* Stored JSON text embedded as is when it is valid JSON of the wanted
 * kind (object), a string holding it otherwise, null for none. */
static cJSON *json_stored_object(const char *text)
{
    if (!text)
        return cJSON_CreateNull();
    cJSON *parsed = cJSON_Parse(text);
    int ok = cJSON_IsObject(parsed);
    cJSON_Delete(parsed);
    return ok ? cJSON_CreateRaw(text) : cJSON_CreateString(text);
}

int bo_export_attach(cJSON *obj, const char *key, cJSON *item)
{
    if (!item)
        return -1;
    if (!cJSON_AddItemToObject(obj, key, item)) {
        cJSON_Delete(item);
        return -1;
    }
    return 0;
}

cJSON *bo_export_trial_json(const bo_study_dump *d, size_t i)
{
    const bo_trial_record *r = &d->trials[i];
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    int bad = 0;
    char seed[32];
    snprintf(seed, sizeof seed, "%" PRIu64, r->seed);
    bad |= bo_export_attach(o, "trial", json_int(r->number));
    bad |= bo_export_attach(o, "state", cJSON_CreateString(bo_trial_state_name(r->state)));
    bad |= bo_export_attach(o, "origin", cJSON_CreateString(r->origin == BO_ORIGIN_USER
                                                   ? "user"
                                                   : "strategy"));
    bad |= bo_export_attach(o, "loss", json_number(r->loss));
    bad |= bo_export_attach(o, "cost_s", json_number(r->cost_s));
    /* "{}" raw: cJSON would print an empty object over two lines. */
    bad |= bo_export_attach(o, "params", r->params_json ? json_stored_object(r->params_json)
                                           : cJSON_CreateRaw("{}"));
    bad |= bo_export_attach(o, "metrics", r->metrics_json
                                 ? json_stored_object(r->metrics_json)
                                 : cJSON_CreateRaw("{}"));
    cJSON *reports = cJSON_CreateArray();
    for (size_t k = 0; reports && k < d->n_reports[i]; k++) {
        cJSON *pair = cJSON_CreateArray();
        if (!pair || !cJSON_AddItemToArray(reports, pair)) {
            cJSON_Delete(pair);
            bad = 1;
            break;
        }
        cJSON *step = json_int(d->report_steps[i][k]);
        cJSON *value = json_number(d->report_values[i][k]);
        if (!step || !cJSON_AddItemToArray(pair, step))
            bad = 1, cJSON_Delete(step);
        if (!value || !cJSON_AddItemToArray(pair, value))
            bad = 1, cJSON_Delete(value);
    }
    bad |= bo_export_attach(o, "reports", reports);
    bad |= bo_export_attach(o, "wall_s", json_number(r->wall_s));
    bad |= bo_export_attach(o, "started_at", json_number(r->started_at));
    bad |= bo_export_attach(o, "finished_at", json_number(r->finished_at));
    bad |= bo_export_attach(o, "seed", cJSON_CreateRaw(seed));
    bad |= bo_export_attach(o, "message", r->message ? cJSON_CreateString(r->message)
                                        : cJSON_CreateNull());
    cJSON *u = cJSON_CreateArray();
    for (size_t k = 0; u && k < r->dim; k++) {
        cJSON *x = json_number(r->u[k]);
        if (!x || !cJSON_AddItemToArray(u, x))
            bad = 1, cJSON_Delete(x);
    }
    bad |= bo_export_attach(o, "u", u);
    if (bad) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

cJSON *bo_export_meta_json(const bo_study_dump *d)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; o && i < BO_DUMP_N_META; i++) {
        const char *v = d->meta[i];
        if (!v)
            continue;
        cJSON *item = NULL;
        if (meta_kinds[i] != META_STRING) {
            cJSON *parsed = cJSON_Parse(v);
            int fits = meta_kinds[i] == META_NUMBER ? cJSON_IsNumber(parsed)
                                                    : parsed != NULL;
            if (fits) {
                /* Embedded as written, not re-printed, so that a 64-bit
                 * seed or a spec's numbers keep every digit. */
                char *compact = strdup(v);
                if (compact) {
                    cJSON_Minify(compact);
                    item = cJSON_CreateRaw(compact);
                    free(compact);
                }
            } else {
                item = cJSON_CreateString(v);
            }
            cJSON_Delete(parsed);
        } else {
            item = cJSON_CreateString(v);
        }
        if (bo_export_attach(o, bo_dump_meta_keys[i], item)) {
            cJSON_Delete(o);
            return NULL;
        }
    }
    return o;
}

/* ---------------------------------------------------------------- CSV */

/* One field, quoted when RFC 4180 needs it. */
static void csv_field(FILE *out, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void csv_number(FILE *out, double x)
{
    char buf[40];
    csv_field(out, bo_export_number(x, buf, sizeof buf));
}

/* A JSON value as one CSV field: numbers %.17g, strings as they are,
 * booleans as true/false, null empty, anything else as compact JSON. */
static void csv_json_value(FILE *out, const cJSON *v)
{
    if (!v || cJSON_IsNull(v))
        return;
    if (cJSON_IsNumber(v)) {
        csv_number(out, v->valuedouble);
    } else if (cJSON_IsString(v)) {
        csv_field(out, v->valuestring);
    } else if (cJSON_IsBool(v)) {
        fputs(cJSON_IsTrue(v) ? "true" : "false", out);
    } else {
        char *text = cJSON_PrintUnformatted(v);
        csv_field(out, text);
        cJSON_free(text);
    }
}

int bo_export_csv(const bo_study_dump *d, FILE *out, bo_error *err)
{
    fputs("trial,state,loss,cost_s", out);
    for (size_t j = 0; j < d->n_params; j++) {
        fputc(',', out);
        csv_field(out, d->param_names[j]);
    }
    for (size_t j = 0; j < d->n_metrics; j++) {
        size_t len = strlen(d->metric_names[j]) + 8;
        char *name = malloc(len);
        if (!name)
            return bo_error_set(err, BO_ENOMEM, "out of memory");
        snprintf(name, len, "metric.%s", d->metric_names[j]);
        fputc(',', out);
        csv_field(out, name);
        free(name);
    }
    fputs(",wall_s,started_at,finished_at,seed,message,origin\n", out);

    for (size_t i = 0; i < d->n_trials; i++) {
        const bo_trial_record *r = &d->trials[i];
        fprintf(out, "%" PRId64 ",", r->number);
        csv_field(out, bo_trial_state_name(r->state));
        fputc(',', out);
        csv_number(out, r->loss);
        fputc(',', out);
        csv_number(out, r->cost_s);

        cJSON *params = r->params_json ? cJSON_Parse(r->params_json) : NULL;
        for (size_t j = 0; j < d->n_params; j++) {
            fputc(',', out);
            csv_json_value(out, cJSON_GetObjectItemCaseSensitive(
                                    params, d->param_names[j]));
        }
        cJSON_Delete(params);
        cJSON *metrics = r->metrics_json ? cJSON_Parse(r->metrics_json)
                                         : NULL;
        for (size_t j = 0; j < d->n_metrics; j++) {
            fputc(',', out);
            csv_json_value(out, cJSON_GetObjectItemCaseSensitive(
                                    metrics, d->metric_names[j]));
        }
        cJSON_Delete(metrics);

        fputc(',', out);
        csv_number(out, r->wall_s);
        fputc(',', out);
        csv_number(out, r->started_at);
        fputc(',', out);
        csv_number(out, r->finished_at);
        fprintf(out, ",%" PRIu64 ",", r->seed);
        csv_field(out, r->message);
        fputs(r->origin == BO_ORIGIN_USER ? ",user\n" : ",strategy\n", out);
        if (ferror(out))
            break;
    }
    return bo_export_flush(out, "export", err);
}

/* --------------------------------------------------------------- JSON */

/* One trial per line, so that exports diff and grep line by line:
 *   {"study":{...},
 *   "trials":[
 *   {"trial":0,...},
 *   {"trial":1,...}
 *   ]}
 */
int bo_export_json(const bo_study_dump *d, FILE *out, bo_error *err)
{
    cJSON *meta = bo_export_meta_json(d);
    char *text = meta ? cJSON_PrintUnformatted(meta) : NULL;
    cJSON_Delete(meta);
    if (!text)
        return bo_error_set(err, BO_ENOMEM, "export: out of memory");
    fprintf(out, "{\"study\":%s,\n\"trials\":[", text);
    cJSON_free(text);
    for (size_t i = 0; i < d->n_trials && !ferror(out); i++) {
        cJSON *t = bo_export_trial_json(d, i);
        text = t ? cJSON_PrintUnformatted(t) : NULL;
        cJSON_Delete(t);
        if (!text)
            return bo_error_set(err, BO_ENOMEM, "export: out of memory");
        fprintf(out, "%s\n%s", i ? "," : "", text);
        cJSON_free(text);
    }
    fputs("\n]}\n", out);
    return bo_export_flush(out, "export", err);
}

int bo_study_dump_read(const char *path, bo_study_dump **out, bo_error *err)
{
    *out = NULL;
    for (int mode = BO_STORAGE_READ;; mode = BO_STORAGE_READ_SHARED) {
        bo_storage *st;
        int rc = bo_storage_open(path, mode, &st, err);
        if (rc != BO_OK)
            return rc;
        rc = bo_study_dump_load(st, out, err);
        /* a writer started under an immutable read: read again, shared */
        int again = mode == BO_STORAGE_READ && rc != BO_ENOMEM &&
                    bo_storage_read_stale(st);
        bo_storage_close(st);
        if (!again)
            return rc;
        if (rc == BO_OK)
            bo_study_dump_free(*out);
        *out = NULL;
    }
}

int bo_export_study(const char *path, int format, FILE *out, bo_error *err)
{
    if (format != BO_EXPORT_CSV && format != BO_EXPORT_JSON)
        return bo_error_set(err, BO_EINVAL, "unknown export format %d",
                            format);
    bo_study_dump *d;
    int rc = bo_study_dump_read(path, &d, err);
    if (rc != BO_OK)
        return rc;
    rc = format == BO_EXPORT_CSV ? bo_export_csv(d, out, err)
                                 : bo_export_json(d, out, err);
    bo_study_dump_free(d);
    return rc;
}
