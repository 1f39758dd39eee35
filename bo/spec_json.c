/*
 * spec_json.c — the checks every part of the spec parser applies to cJSON
 * items (objects with known keys, numbers, integers, strings) and the
 * one-line messages they fail with. See spec_impl.h.
 *
 * Must never trust text from the spec in a message without bo_spec_quote,
 * and never accept what cJSON lets through silently: inf from "1e999",
 * duplicate keys (cJSON keeps both and looks up the first), keys matched
 * case-insensitively (cJSON_GetObjectItem does; we never call it).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "spec_impl.h"
#include "utf8.h"

int bo_spec_fail(const bo_spec_ctx *c, const char *key, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (key && *key)
        return bo_error_set(c->err, BO_EINVAL, "%s: %s: %s", c->path, key, msg);
    return bo_error_set(c->err, BO_EINVAL, "%s: %s", c->path, msg);
}

int bo_spec_nomem(const bo_spec_ctx *c)
{
    return bo_error_set(c->err, BO_ENOMEM, "%s: out of memory", c->path);
}

void bo_spec_quote(const char *s, char *buf, size_t len)
{
    /* callers pass >= 8 bytes */
    bo_text_excerpt(s, 60, buf, len);
}

void bo_spec_key(char *buf, size_t len, const char *parent, const char *child)
{
    char q[72];
    bo_spec_quote(child, q, sizeof q);
    if (parent && *parent)
        snprintf(buf, len, "%.*s.%s", BO_SPEC_KEY_MAX - 80, parent, q);
    else
        snprintf(buf, len, "%s", q);
}

void bo_spec_key_index(char *buf, size_t len, const char *parent, size_t i)
{
    snprintf(buf, len, "%.*s[%zu]", BO_SPEC_KEY_MAX - 32, parent, i);
}

const char *bo_spec_kind(const cJSON *item)
{
    if (cJSON_IsNumber(item))
        return "a number";
    if (cJSON_IsString(item))
        return "a string";
    if (cJSON_IsBool(item))
        return "a boolean";
    if (cJSON_IsNull(item))
        return "null";
    if (cJSON_IsArray(item))
        return "an array";
    if (cJSON_IsObject(item))
        return "an object";
    return "nothing";
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorting finds a duplicate in O(k log k): an enqueue entry or a config
 * object may have thousands of keys. */
static int check_unique(const bo_spec_ctx *c, const cJSON *item,
                        const char *key)
{
    size_t k = 0;
    for (const cJSON *ch = item->child; ch; ch = ch->next)
        k++;
    if (k < 2)
        return BO_OK;
    const char **names = malloc(k * sizeof *names);
    if (!names)
        return bo_spec_nomem(c);
    k = 0;
    for (const cJSON *ch = item->child; ch; ch = ch->next)
        names[k++] = ch->string ? ch->string : "";
    qsort(names, k, sizeof *names, cmp_names);
    int rc = BO_OK;
    for (size_t i = 1; i < k && !rc; i++)
        if (strcmp(names[i - 1], names[i]) == 0) {
            char path[BO_SPEC_KEY_MAX];
            bo_spec_key(path, sizeof path, key, names[i]);
            rc = bo_spec_fail(c, path, "given more than once");
        }
    free(names);
    return rc;
}

int bo_spec_check_object(const bo_spec_ctx *c, const cJSON *item,
                         const char *key, const char *const *allowed)
{
    if (!cJSON_IsObject(item))
        return bo_spec_fail(c, key, "must be an object, got %s",
                            bo_spec_kind(item));
    for (const cJSON *ch = item->child; allowed && ch; ch = ch->next) {
        const char *name = ch->string ? ch->string : "";
        bool known = false;
        for (size_t i = 0; allowed[i] && !known; i++)
            known = strcmp(allowed[i], name) == 0;
        if (known)
            continue;
        char path[BO_SPEC_KEY_MAX], list[256] = "";
        size_t used = 0;
        for (size_t i = 0; allowed[i] && used < sizeof list; i++)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                     i ? ", " : "", allowed[i]);
        bo_spec_key(path, sizeof path, key, name);
        return bo_spec_fail(c, path, "unknown key (known keys: %s)", list);
    }
    return check_unique(c, item, key);
}

int bo_spec_get_number(const bo_spec_ctx *c, const cJSON *item,
                       const char *key, double *out)
{
    if (!cJSON_IsNumber(item))
        return bo_spec_fail(c, key, "must be a number, got %s",
                            bo_spec_kind(item));
    double x = item->valuedouble;
    if (!isfinite(x))
        return bo_spec_fail(c, key, "must be a finite number (this one "
                            "overflows a double)");
    if (fabs(x) > BO_SPEC_NUMBER_MAX) {
        char t[40];
        bo_spec_number_text(x, t, sizeof t);
        return bo_spec_fail(c, key, "%s is too large (at most 1e300 in "
                            "magnitude)", t);
    }
    *out = x;
    return BO_OK;
}

int bo_spec_get_int(const bo_spec_ctx *c, const cJSON *item, const char *key,
                    int64_t lo, int64_t hi, int64_t *out)
{
    if (!cJSON_IsNumber(item))
        return bo_spec_fail(c, key, "must be an integer, got %s",
                            bo_spec_kind(item));
    double x = item->valuedouble;
    if (!isfinite(x))
        return bo_spec_fail(c, key, "must be a finite number (this one "
                            "overflows a double)");
    char t[40];
    bo_spec_number_text(x, t, sizeof t);
    if (x != floor(x))
        return bo_spec_fail(c, key, "must be an integer, got %s", t);
    if (fabs(x) < 1e18) /* in full: "got 5000", not "got 5e+03"; -0 as 0 */
        snprintf(t, sizeof t, "%.0f", x == 0 ? 0.0 : x);
    if (x < (double)lo || x > (double)hi)
        return bo_spec_fail(c, key, "must be between %lld and %lld, got %s",
                            (long long)lo, (long long)hi, t);
    *out = (int64_t)x;
    return BO_OK;
}

int bo_spec_get_string(const bo_spec_ctx *c, const cJSON *item,
                       const char *key, size_t max_len, const char **out)
{
    if (!cJSON_IsString(item) || !item->valuestring)
        return bo_spec_fail(c, key, "must be a string, got %s",
                            bo_spec_kind(item));
    const char *s = item->valuestring;
    size_t n = strlen(s);
    if (n == 0)
        return bo_spec_fail(c, key, "must not be empty");
    if (n > max_len)
        return bo_spec_fail(c, key, "is too long (%zu bytes, at most %zu)", n,
                            max_len);
    if (!bo_text_is_clean(s))
        return bo_spec_fail(c, key, "must not contain control characters");
    *out = s;
    return BO_OK;
}

int bo_spec_get_bool(const bo_spec_ctx *c, const cJSON *item, const char *key,
                     bool *out)
{
    if (!cJSON_IsBool(item))
        return bo_spec_fail(c, key, "must be true or false, got %s",
                            bo_spec_kind(item));
    *out = cJSON_IsTrue(item);
    return BO_OK;
}

void bo_spec_number_text(double x, char *buf, size_t len)
{
    if (x == 0.0) {
        snprintf(buf, len, "0");
        return;
    }
    /* 17 significant digits always read back exactly; fewer usually do. */
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            return;
    }
}
