/*
 * program_json.c — the text a program objective reads and writes: the
 * assignment line on its stdin, the report and result lines on its stdout
 * (program.h). Pure string work with cJSON; must never print or touch a
 * process.
 */
#include "program.h"
#include "json_exact.h"
#include "utf8.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What NaN becomes before cJSON sees it: a string no program would send as
 * a number. Infinities become 1e999, which strtod (and so cJSON) reads as
 * an infinity. */
#define NAN_MARK "\x01nan"

/* One value as JSON: ints as integers, doubles with 17 significant digits
 * and always a '.' or an exponent. NULL for a non-finite double or when
 * out of memory. */
static cJSON *value_item(const bo_value *v)
{
    char num[48];
    switch (v->type) {
    case BO_VALUE_DOUBLE:
        if (!isfinite(v->d))
            return NULL;
        snprintf(num, sizeof num, "%.17g", v->d);
        /* 2.0 prints as "2": keep it a float for the program. */
        if (!strpbrk(num, ".eE"))
            strcat(num, ".0");
        return cJSON_CreateRaw(num);
    case BO_VALUE_INT:
        snprintf(num, sizeof num, "%" PRId64, v->i);
        return cJSON_CreateRaw(num);
    case BO_VALUE_STRING:
        return cJSON_CreateString(v->s ? v->s : "");
    default:
        return NULL;
    }
}

char *prog_assignment_json(const bo_value *v, size_t n)
{
    cJSON *obj = cJSON_CreateObject();
    if (!obj)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        cJSON *item = value_item(&v[i]);
        if (!item || !cJSON_AddItemToObject(obj, v[i].name ? v[i].name : "",
                                            item)) {
            cJSON_Delete(item);
            goto fail;
        }
    }
    char *text = cJSON_PrintUnformatted(obj);
    cJSON_Delete(obj);
    if (!text)
        return NULL;
    size_t len = strlen(text);
    char *line = realloc(text, len + 2);
    if (!line) {
        free(text);
        return NULL;
    }
    line[len] = '\n';
    line[len + 1] = '\0';
    return line;
fail:
    cJSON_Delete(obj);
    return NULL;
}

/* Does a non-finite token (nan, inf, infinity, any case, optional '-')
 * start at s, standing alone? Returns its length and whether it is NaN. */
static size_t special_token(const char *s, int *is_nan)
{
    static const char *words[] = {"infinity", "nan", "inf"};
    const char *t = s + (*s == '-');
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(words[i]);
        if (strncasecmp(t, words[i], n) == 0 && !isalnum((unsigned char)t[n]) &&
            t[n] != '_') {
            *is_nan = i == 1;
            return (size_t)(t - s) + n;
        }
    }
    return 0;
}

/* The line with non-standard number tokens outside strings rewritten for
 * cJSON. malloc'd. */
static char *fix_tokens(const char *line)
{
    size_t n = strlen(line);
    char *out = malloc(n * 3 + 1);  /* "nan" -> "\"\x01nan\"" grows by 2 */
    if (!out)
        return NULL;
    size_t k = 0;
    int in_string = 0;
    for (size_t i = 0; i < n;) {
        char c = line[i];
        if (in_string) {
            out[k++] = c;
            if (c == '\\' && i + 1 < n) {
                out[k++] = line[i + 1];
                i += 2;
                continue;
            }
            if (c == '"')
                in_string = 0;
            i++;
            continue;
        }
        if (c == '"') {
            in_string = 1;
            out[k++] = c;
            i++;
            continue;
        }
        int prev_ok = i == 0 || !isalnum((unsigned char)line[i - 1]);
        int is_nan = 0;
        size_t t = prev_ok ? special_token(line + i, &is_nan) : 0;
        if (t) {
            const char *rep = is_nan ? "\"" NAN_MARK "\""
                              : line[i] == '-' ? "-1e999" : "1e999";
            size_t rl = strlen(rep);
            memcpy(out + k, rep, rl);
            k += rl;
            i += t;
            continue;
        }
        out[k++] = c;
        i++;
    }
    out[k] = '\0';
    return out;
}

static cJSON *parse_object(const char *line)
{
    while (isspace((unsigned char)*line))
        line++;
    if (*line != '{')
        return NULL;
    char *fixed = fix_tokens(line);
    if (!fixed)
        return NULL;
    /* the whole line: `{"loss": 0.5} and more` is not a result */
    cJSON *j = cJSON_ParseWithOpts(fixed, NULL, 1);
    free(fixed);
    if (j && !cJSON_IsObject(j)) {
        cJSON_Delete(j);
        j = NULL;
    }
    return j;
}

/* A number, NaN included; 0 when item is none. */
static int json_number(const cJSON *item, double *v)
{
    if (cJSON_IsNumber(item)) {
        *v = item->valuedouble;
        return 1;
    }
    if (cJSON_IsString(item) && strcmp(item->valuestring, NAN_MARK) == 0) {
        *v = NAN;
        return 1;
    }
    return 0;
}

int prog_line_kind(const char *line, int64_t *step, double *value)
{
    const char *s = line;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return PROG_LINE_EMPTY;
    cJSON *j = parse_object(s);
    if (!j)
        return PROG_LINE_OTHER;
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(j, "step");
    double sv;
    /* a step is a whole number: 1.5 would be merged into step 1 */
    if (!st || !json_number(st, &sv) || !isfinite(sv) || fabs(sv) > 9e18 ||
        sv != floor(sv)) {
        cJSON_Delete(j);
        return st ? PROG_LINE_BADSTEP : PROG_LINE_OTHER;
    }
    *step = (int64_t)sv;
    double v;
    if (json_number(cJSON_GetObjectItemCaseSensitive(j, "loss"), &v) ||
        json_number(cJSON_GetObjectItemCaseSensitive(j, "value"), &v))
        *value = v;
    else
        *value = NAN;
    cJSON_Delete(j);
    return PROG_LINE_STEP;
}


static int parse_bare(const char *s, double *v)
{
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return 0;
    /* decimal only: strtod would read "0x10" as 16 */
    if (strpbrk(s, "xX"))
        return 0;
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (end == s)
        return 0;
    while (isspace((unsigned char)*end))
        end++;
    if (*end)
        return 0;
    *v = d;  /* an overflow reads as an infinity: a non-finite loss */
    return 1;
}

int prog_parse_result(const char *line, bo_outcome *o, int *has_loss,
                      char *why, size_t why_len)
{
    *has_loss = 0;
    double v;
    if (parse_bare(line, &v)) {
        o->loss = v;
        *has_loss = 1;
        return 0;
    }
    cJSON *j = parse_object(line);
    if (!j) {
        char ex[96];
        bo_text_excerpt(line, 80, ex, sizeof ex);
        /* the usual slips, named */
        const char *t = line + strspn(line, " \t");
        const char *hint =
            *t == '}' || *t == ']'
                ? " (a result is one line: print JSON without indentation)"
            : *t == '{' && strchr(t, '\'')
                ? " (JSON quotes with \", not ': print json.dumps(result), "
                  "not the dict)"
                : " (the result is the last line printed: print it last)";
        snprintf(why, why_len, "the result line is neither a JSON object nor "
                 "a number: '%s'%s", ex, hint);
        return -1;
    }
    const cJSON *loss = cJSON_GetObjectItemCaseSensitive(j, "loss");
    if (json_number(loss, &v)) {
        o->loss = v;
        *has_loss = 1;
    } else {
        o->loss = NAN;
        if (!loss)
            snprintf(why, why_len, "the result has no \"loss\"");
        else
            snprintf(why, why_len, "the result's \"loss\" is %s, not a "
                     "number", cJSON_IsString(loss) ? "a string"
                     : cJSON_IsNull(loss) ? "null"
                     : cJSON_IsBool(loss) ? "a boolean" : "a list or object");
    }
    if (json_number(cJSON_GetObjectItemCaseSensitive(j, "cost_s"), &v) &&
        isfinite(v) && v >= 0)
        o->cost_s = v;
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "metrics");
    if (!cJSON_IsObject(m))
        m = NULL;
    const cJSON *item;
    o->n_metrics = 0;
    cJSON_ArrayForEach(item, m)
    {
        if (!item->string)
            continue;
        if (!json_number(item, &v)) {
            fprintf(stderr, "bo: metric \"%.60s\" is not a number: not "
                    "kept\n", item->string);
            continue;
        }
        if (o->n_metrics >= BO_METRICS_MAX) {
            /* into the trial's log: the user sees why a column is missing */
            fprintf(stderr, "bo: metrics after the first %d are not kept "
                    "(\"%.60s\" and on)\n", BO_METRICS_MAX, item->string);
            break;
        }
        bo_metric *bm = &o->metrics[o->n_metrics++];
        if (strlen(item->string) >= sizeof bm->name)
            fprintf(stderr, "bo: a metric name is cut to %zu bytes (names "
                    "cut alike are one column): \"%.80s\"\n",
                    sizeof bm->name - 1, item->string);
        snprintf(bm->name, sizeof bm->name, "%s", item->string);
        bm->value = v;
    }
    cJSON_Delete(j);
    return 0;
}

char *prog_config_for(const char *config_json, const bo_value *v, size_t n)
{
    cJSON *cfg = cJSON_Parse(config_json);
    int changed = 0, bad = 0;
    /* (a config that is no object, as bo plugin check may give, has no
     * keys to override) */
    for (size_t i = 0; cJSON_IsObject(cfg) && !bad && i < n; i++) {
        if (!v[i].name ||
            !cJSON_GetObjectItemCaseSensitive(cfg, v[i].name))
            continue;
        cJSON *item = value_item(&v[i]);
        bad = !item ||
              !cJSON_ReplaceItemInObjectCaseSensitive(cfg, v[i].name, item);
        if (bad)
            cJSON_Delete(item);
        changed = 1;
    }
    char *text = bad || !changed ? NULL : bo_json_print_exact(cfg);
    cJSON_Delete(cfg);
    if (!changed && !bad) {
        text = malloc(strlen(config_json) + 1);
        if (text)
            strcpy(text, config_json);
    }
    return text;
}
