/*
 * show.c — `bo show`: a stored study summarized for a person (best trial,
 * counts by state, an aligned table of the trials), or the same as JSON.
 * Reads the study only. The table rounds numbers to 6 significant digits
 * for reading; the best trial's loss and the JSON form are exact.
 */
#include "aprintf.h"
#include "export.h"
#include "storage_lock.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "one_line.h"
#include "utf8.h"
#include "values_json.h"

#define N_STATES (BO_TRIAL_ABANDONED + 1)
#define MESSAGE_COLUMN_MAX 100

/* ------------------------------------------------------------- table */

/* A table of malloc'd cells, n_rows x n_cols, the first row the header. */
typedef struct table {
    char **cells;
    unsigned char *right;   /* per cell: right-aligned (a number) */
    size_t n_rows, n_cols;
} table;

static int table_set(table *t, size_t row, size_t col, char *text, int right)
{
    if (!text)
        return -1;
    t->cells[row * t->n_cols + col] = text;
    t->right[row * t->n_cols + col] = (unsigned char)right;
    return 0;
}

static int set_number(table *t, size_t row, size_t col, double x)
{
    if (isnan(x))
        return table_set(t, row, col, strdup("-"), 1);
    char num[32];
    bo_number_for_people(x, num, sizeof num);
    return table_set(t, row, col, strdup(num), 1);
}

/* A message on one line, cut to fit the table. */
static char *one_line(const char *s)
{
    char *out = malloc(MESSAGE_COLUMN_MAX + 1);
    if (out)
        bo_one_line(s ? s : "", out, MESSAGE_COLUMN_MAX + 1);
    return out;
}

static int set_json_value(table *t, size_t row, size_t col, const cJSON *v)
{
    if (!v || cJSON_IsNull(v))
        return table_set(t, row, col, strdup("-"), 1);
    if (cJSON_IsNumber(v))
        return set_number(t, row, col, v->valuedouble);
    if (cJSON_IsString(v))
        return table_set(t, row, col, one_line(v->valuestring), 0);
    char *text = cJSON_PrintUnformatted(v);
    int rc = table_set(t, row, col, text ? one_line(text) : NULL, 0);
    cJSON_free(text);
    return rc;
}

static void table_free(table *t)
{
    for (size_t i = 0; t->cells && i < t->n_rows * t->n_cols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->right);
}

/* Columns: trial, state, loss, cost_s, wall_s, each parameter, each
 * metric, message. */
static int table_build(const bo_study_dump *d, table *t)
{
    t->n_cols = 6 + d->n_params + d->n_metrics;
    t->n_rows = d->n_trials + 1;
    t->cells = calloc(t->n_rows * t->n_cols, sizeof *t->cells);
    t->right = calloc(t->n_rows * t->n_cols, 1);
    if (!t->cells || !t->right)
        return -1;

    static const char *const fixed[] = {"trial", "state", "loss", "cost_s",
                                        "wall_s"};
    int bad = 0;
    size_t c = 0;
    for (; c < 5; c++)
        bad |= table_set(t, 0, c, strdup(fixed[c]), 0);
    for (size_t j = 0; j < d->n_params; j++)
        bad |= table_set(t, 0, c++, strdup(d->param_names[j]), 0);
    for (size_t j = 0; j < d->n_metrics; j++)
        bad |= table_set(t, 0, c++,
                         bo_aprintf("metric.%s", d->metric_names[j]), 0);
    bad |= table_set(t, 0, c, strdup("message"), 0);

    for (size_t i = 0; !bad && i < d->n_trials; i++) {
        const bo_trial_record *r = &d->trials[i];
        size_t row = i + 1;
        c = 0;
        bad |= table_set(t, row, c++, bo_aprintf("%" PRId64, r->number), 1);
        bad |= table_set(t, row, c++, strdup(bo_trial_state_name(r->state)),
                         0);
        bad |= set_number(t, row, c++, r->loss);
        bad |= set_number(t, row, c++, r->cost_s);
        bad |= set_number(t, row, c++, r->wall_s);
        cJSON *p = r->params_json ? cJSON_Parse(r->params_json) : NULL;
        for (size_t j = 0; j < d->n_params; j++)
            bad |= set_json_value(t, row, c++, cJSON_GetObjectItemCaseSensitive(
                                                   p, d->param_names[j]));
        cJSON_Delete(p);
        cJSON *m = r->metrics_json ? cJSON_Parse(r->metrics_json) : NULL;
        for (size_t j = 0; j < d->n_metrics; j++)
            bad |= set_json_value(t, row, c++, cJSON_GetObjectItemCaseSensitive(
                                                   m, d->metric_names[j]));
        cJSON_Delete(m);
        bad |= table_set(t, row, c, one_line(r->message), 0);
    }
    return bad ? -1 : 0;
}

/* Columns two spaces apart; a column of numbers (and "-") right-aligned,
 * header included, any other left-aligned; no blanks at the end of a
 * line. */
static void table_print(const table *t, FILE *out)
{
    size_t *width = calloc(t->n_cols, sizeof *width);
    unsigned char *right = malloc(t->n_cols);
    if (!width || !right) {
        free(width);
        free(right);
        return;
    }
    for (size_t c = 0; c < t->n_cols; c++)
        right[c] = t->n_rows > 1;
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++) {
        size_t c = i % t->n_cols, len = bo_utf8_width(t->cells[i]);
        if (len > width[c])
            width[c] = len;
        if (i >= t->n_cols && !t->right[i])
            right[c] = 0;
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        char *const *row = t->cells + r * t->n_cols;
        size_t last = t->n_cols;
        while (last > 0 && !*row[last - 1])
            last--;
        for (size_t c = 0; c < last; c++) {
            /* padded by characters, not bytes: é is one column */
            int pad = (int)(width[c] - bo_utf8_width(row[c]));
            if (right[c])
                fprintf(out, "%*s", pad, "");
            fputs(row[c], out);
            if (!right[c] && c + 1 < last)
                fprintf(out, "%*s", pad, "");
            if (c + 1 < last)
                fputs("  ", out);
        }
        fputc('\n', out);
    }
    free(width);
    free(right);
}

/* ----------------------------------------------------------- summary */

static void count_states(const bo_study_dump *d, size_t counts[N_STATES])
{
    memset(counts, 0, N_STATES * sizeof counts[0]);
    for (size_t i = 0; i < d->n_trials; i++)
        if (d->trials[i].state >= 0 && d->trials[i].state < N_STATES)
            counts[d->trials[i].state]++;
}

/* "lr=0.001, layers=2, act=relu", from the stored params. */
static void print_params(FILE *out, const char *params_json)
{
    cJSON *p = params_json ? cJSON_Parse(params_json) : NULL;
    const cJSON *item;
    int first = 1;
    cJSON_ArrayForEach(item, p) {
        fprintf(out, "%s%s=", first ? "" : ", ", item->string);
        first = 0;
        if (cJSON_IsNumber(item))
            fprintf(out, "%.17g", item->valuedouble);
        else if (cJSON_IsString(item))
            fputs(item->valuestring, out);
        else {
            char *text = cJSON_PrintUnformatted(item);
            fputs(text ? text : "?", out);
            cJSON_free(text);
        }
    }
    cJSON_Delete(p);
}

/* The `bo` strategy's best posterior mean, stored when a study ends:
 * {"trial": T, "mean": M}. */
static void print_best_mean(FILE *out, const char *json)
{
    cJSON *j = json ? cJSON_Parse(json) : NULL;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "trial");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "mean");
    if (cJSON_IsNumber(t) && cJSON_IsNumber(m))
        fprintf(out, "mean    trial %.0f: posterior mean %.17g (the model's "
                "estimate of its loss without noise)\n", t->valuedouble,
                m->valuedouble);
    cJSON_Delete(j);
}

int bo_show_text(const bo_study_dump *d, const char *path, FILE *out,
                 bo_error *err)
{
    size_t counts[N_STATES];
    count_states(d, counts);
    fprintf(out, "study   %s\n", path ? path : "?");
    fprintf(out, "trials  %zu", d->n_trials);
    const char *sep = ": ";
    for (int s = 0; s < N_STATES; s++) {
        if (!counts[s])
            continue;
        if (s == BO_TRIAL_RUNNING && d->writer_gone)
            fprintf(out, "%s%zu interrupted (bo resume runs %s again)", sep,
                    counts[s], counts[s] > 1 ? "them" : "it");
        else
            fprintf(out, "%s%zu %s", sep, counts[s], bo_trial_state_name(s));
        sep = ", ";
    }
    fputc('\n', out);
    long best = bo_export_best(d);
    if (best < 0) {
        fputs("best    none (no complete trial)\n", out);
    } else {
        const bo_trial_record *r = &d->trials[best];
        fprintf(out, "best    trial %" PRId64 ": loss %.17g (", r->number,
                r->loss);
        print_params(out, r->params_json);
        fputs(")\n", out);
    }
    print_best_mean(out, d->meta[9]);
    if (d->n_trials) {
        fputc('\n', out);
        table t = {0};
        if (table_build(d, &t) != 0) {
            table_free(&t);
            return bo_error_set(err, BO_ENOMEM, "show: out of memory");
        }
        table_print(&t, out);
        table_free(&t);
    }
    return bo_export_flush(out, "show", err);
}


int bo_show_json(const bo_study_dump *d, const char *path, FILE *out,
                 bo_error *err)
{
    size_t counts[N_STATES];
    count_states(d, counts);
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return bo_error_set(err, BO_ENOMEM, "show: out of memory");
    int bad = bo_export_attach(root, "path", cJSON_CreateString(path ? path : ""));
    bad |= bo_export_attach(root, "study", bo_export_meta_json(d));
    bad |= bo_export_attach(root, "n_trials", cJSON_CreateNumber((double)d->n_trials));
    cJSON *c = cJSON_CreateObject();
    for (int s = 0; c && s < N_STATES; s++)
        if (counts[s])
            bad |= bo_export_attach(c, s == BO_TRIAL_RUNNING && d->writer_gone
                                           ? "interrupted" /* as in the text */
                                           : bo_trial_state_name(s),
                          cJSON_CreateNumber((double)counts[s]));
    bad |= bo_export_attach(root, "counts", c);
    long best = bo_export_best(d);
    bad |= bo_export_attach(root, "best", best < 0
                                    ? cJSON_CreateNull()
                                    : bo_export_trial_json(d, (size_t)best));
    cJSON *trials = cJSON_CreateArray();
    for (size_t i = 0; trials && !bad && i < d->n_trials; i++) {
        cJSON *t = bo_export_trial_json(d, i);
        if (!t || !cJSON_AddItemToArray(trials, t)) {
            cJSON_Delete(t);
            bad = 1;
        }
    }
    bad |= bo_export_attach(root, "trials", trials);
    char *text = bad ? NULL : cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return bo_error_set(err, BO_ENOMEM, "show: out of memory");
    fputs(text, out);
    fputc('\n', out);
    cJSON_free(text);
    return bo_export_flush(out, "show", err);
}

int bo_show_study(const char *path, int json, FILE *out, bo_error *err)
{
    bo_study_dump *d;
    int in_use = bo_study_lock_in_use(path);
    int rc = bo_study_dump_read(path, &d, err);
    if (rc != BO_OK)
        return rc;
    /* no writer before the read nor after it */
    d->writer_gone = in_use == 0 && bo_study_lock_in_use(path) == 0;
    rc = json ? bo_show_json(d, path, out, err)
              : bo_show_text(d, path, out, err);
    bo_study_dump_free(d);
    return rc;
}
