/*
 * spec_space.c — the spec's "space" array into a bo_space.
 *
 * Every rule of bo_space_create is checked here first, so that a mistake
 * is reported with its key path ("space[1].low: must be > 0 when log is
 * true") rather than by parameter name; bo_space_create then only copies.
 * Should it still refuse something, its message is kept, prefixed with the
 * parameter's index. Must never leave the param specs it builds behind:
 * they live only for the call.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "space_names.h"
#include "spec_impl.h"

/* Mirrors space.c: an int parameter spans at most 2^40 values within
 * +-2^53, so that every bin stays wider than a rounding error. */
#define INT_COUNT_MAX 1099511627776.0
#define INT_BOUND_MAX 9007199254740992.0
#define CHOICE_LEN_MAX 1024

/* The strings one parameter owns while the spec is parsed. */
typedef struct owned_param {
    char **choices;
    uint32_t n_choices;
} owned_param;

static void free_owned(owned_param *o, size_t n)
{
    for (size_t i = 0; o && i < n; i++) {
        for (uint32_t k = 0; k < o[i].n_choices; k++)
            free(o[i].choices[k]);
        free(o[i].choices);
    }
    free(o);
}

static int parse_type(const bo_spec_ctx *c, const cJSON *item,
                      const char *key, int32_t *type)
{
    char path[BO_SPEC_KEY_MAX];
    bo_spec_key(path, sizeof path, key, "type");
    if (!item)
        return bo_spec_fail(c, path, "missing (float, int or categorical)");
    const char *t;
    int rc = bo_spec_get_string(c, item, path, 32, &t);
    if (rc)
        return rc;
    if (strcmp(t, "float") == 0)
        *type = BO_PARAM_FLOAT;
    else if (strcmp(t, "int") == 0)
        *type = BO_PARAM_INT;
    else if (strcmp(t, "categorical") == 0)
        *type = BO_PARAM_CATEGORICAL;
    else {
        char q[72];
        bo_spec_quote(t, q, sizeof q);
        return bo_spec_fail(c, path, "must be float, int or categorical, "
                            "got '%s'", q);
    }
    return BO_OK;
}

static int parse_bounds(const bo_spec_ctx *c, const cJSON *obj,
                        const char *key, bo_param_spec *ps)
{
    const char *kind = ps->type == BO_PARAM_INT ? "an int" : "a float";
    char plow[BO_SPEC_KEY_MAX], phigh[BO_SPEC_KEY_MAX], plog[BO_SPEC_KEY_MAX];
    bo_spec_key(plow, sizeof plow, key, "low");
    bo_spec_key(phigh, sizeof phigh, key, "high");
    bo_spec_key(plog, sizeof plog, key, "log");
    const cJSON *low = cJSON_GetObjectItemCaseSensitive(obj, "low");
    const cJSON *high = cJSON_GetObjectItemCaseSensitive(obj, "high");
    const cJSON *log_ = cJSON_GetObjectItemCaseSensitive(obj, "log");
    if (cJSON_GetObjectItemCaseSensitive(obj, "choices")) {
        char p[BO_SPEC_KEY_MAX];
        bo_spec_key(p, sizeof p, key, "choices");
        return bo_spec_fail(c, p, "only a categorical parameter has choices");
    }
    if (!low)
        return bo_spec_fail(c, plow, "missing (%s parameter needs low and "
                            "high)", kind);
    if (!high)
        return bo_spec_fail(c, phigh, "missing (%s parameter needs low and "
                            "high)", kind);
    int rc = bo_spec_get_number(c, low, plow, &ps->low);
    if (!rc)
        rc = bo_spec_get_number(c, high, phigh, &ps->high);
    bool is_log = false;
    if (!rc && log_)
        rc = bo_spec_get_bool(c, log_, plog, &is_log);
    if (rc)
        return rc;
    ps->log = is_log;
    if (ps->type == BO_PARAM_INT) {
        if (ps->low != floor(ps->low))
            return bo_spec_fail(c, plow, "must be an integer for an int "
                                "parameter, got %.17g", ps->low);
        if (ps->high != floor(ps->high))
            return bo_spec_fail(c, phigh, "must be an integer for an int "
                                "parameter, got %.17g", ps->high);
    }
    if (is_log && ps->low <= 0)
        return bo_spec_fail(c, plow, "must be > 0 when log is true (got "
                            "%.17g)", ps->low);
    if (ps->type == BO_PARAM_FLOAT && !(ps->low < ps->high))
        return bo_spec_fail(c, phigh, "empty range: high (%.17g) must be "
                            "greater than low (%.17g)", ps->high, ps->low);
    if (ps->type == BO_PARAM_INT) {
        if (ps->low > ps->high)
            return bo_spec_fail(c, phigh, "empty range: high (%.17g) must "
                                "not be less than low (%.17g)", ps->high,
                                ps->low);
        if (fabs(ps->low) > INT_BOUND_MAX || fabs(ps->high) > INT_BOUND_MAX ||
            ps->high - ps->low + 1.0 > INT_COUNT_MAX)
            return bo_spec_fail(c, key, "int range too large (at most 2^40 "
                                "values within +-2^53)");
    }
    return BO_OK;
}

/* A choice as the text the space keeps: strings as written, numbers in
 * their shortest exact form (32 -> "32", 0.5 -> "0.5"). */
static int choice_text(const bo_spec_ctx *c, const cJSON *item,
                       const char *key, char **out)
{
    if (cJSON_IsNumber(item)) {
        double x;
        int rc = bo_spec_get_number(c, item, key, &x);
        if (rc)
            return rc;
        char buf[40];
        bo_spec_number_text(x, buf, sizeof buf);
        *out = strdup(buf);
    } else if (cJSON_IsString(item)) {
        const char *s;
        int rc = bo_spec_get_string(c, item, key, CHOICE_LEN_MAX, &s);
        if (rc)
            return rc;
        *out = strdup(s);
    } else {
        return bo_spec_fail(c, key, "must be a string or a number, got %s",
                            bo_spec_kind(item));
    }
    return *out ? BO_OK : bo_spec_nomem(c);
}

static int parse_choices(const bo_spec_ctx *c, const cJSON *obj,
                         const char *key, bo_param_spec *ps, owned_param *o)
{
    static const char *const numeric_only[] = {"low", "high", "log", NULL};
    for (size_t i = 0; numeric_only[i]; i++)
        if (cJSON_GetObjectItemCaseSensitive(obj, numeric_only[i])) {
            char p[BO_SPEC_KEY_MAX];
            bo_spec_key(p, sizeof p, key, numeric_only[i]);
            return bo_spec_fail(c, p, "a categorical parameter has no low, "
                                "high or log (only choices)");
        }
    char path[BO_SPEC_KEY_MAX];
    bo_spec_key(path, sizeof path, key, "choices");
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, "choices");
    if (!arr)
        return bo_spec_fail(c, path, "missing (a categorical parameter needs "
                            "choices)");
    if (!cJSON_IsArray(arr))
        return bo_spec_fail(c, path, "must be an array, got %s",
                            bo_spec_kind(arr));
    int n = cJSON_GetArraySize(arr);
    if (n == 0)
        return bo_spec_fail(c, path, "must not be empty");
    if (n > BO_SPEC_CHOICES_MAX)
        return bo_spec_fail(c, path, "too many choices (%d, at most %d)", n,
                            BO_SPEC_CHOICES_MAX);
    o->choices = calloc((size_t)n, sizeof *o->choices);
    if (!o->choices)
        return bo_spec_nomem(c);
    const cJSON *item = arr->child;
    for (uint32_t k = 0; k < (uint32_t)n; k++, item = item->next) {
        char p[BO_SPEC_KEY_MAX];
        bo_spec_key_index(p, sizeof p, path, k);
        int rc = choice_text(c, item, p, &o->choices[k]);
        if (rc)
            return rc;
        o->n_choices = k + 1;
        for (uint32_t j = 0; j < k; j++)
            if (strcmp(o->choices[j], o->choices[k]) == 0) {
                char q[72];
                bo_spec_quote(o->choices[k], q, sizeof q);
                return bo_spec_fail(c, p, "duplicate choice '%s' (also "
                                    "choices[%u])", q, j);
            }
    }
    ps->choices = (const char *const *)o->choices;
    ps->n_choices = o->n_choices;
    return BO_OK;
}

static int parse_param(const bo_spec_ctx *c, const cJSON *obj, size_t i,
                       bo_param_spec *params, owned_param *o)
{
    static const char *const keys[] = {"name", "type", "low", "high", "log",
                                       "choices", NULL};
    char key[BO_SPEC_KEY_MAX], path[BO_SPEC_KEY_MAX];
    bo_spec_key_index(key, sizeof key, "space", i);
    int rc = bo_spec_check_object(c, obj, key, keys);
    if (rc)
        return rc;
    bo_param_spec *ps = &params[i];
    bo_spec_key(path, sizeof path, key, "name");
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(obj, "name");
    if (!name)
        return bo_spec_fail(c, path, "missing");
    rc = bo_spec_get_string(c, name, path, BO_NAME_MAX - 1, &ps->name);
    if (rc)
        return rc;
    char why[160];
    if (bo_space_name_problem(ps->name, why, sizeof why))
        return bo_spec_fail(c, path, "%s", why);
    for (size_t j = 0; j < i; j++)
        if (strcmp(params[j].name, ps->name) == 0) {
            char q[72];
            bo_spec_quote(ps->name, q, sizeof q);
            return bo_spec_fail(c, path, "duplicate name '%s' (also "
                                "space[%zu])", q, j);
        }
    rc = parse_type(c, cJSON_GetObjectItemCaseSensitive(obj, "type"), key,
                    &ps->type);
    if (rc)
        return rc;
    if (ps->type == BO_PARAM_CATEGORICAL)
        return parse_choices(c, obj, key, ps, o);
    return parse_bounds(c, obj, key, ps);
}

/* bo_space_create refused what the checks above let through: name the
 * parameter by trying each alone. */
static int space_refused(const bo_spec_ctx *c, const bo_param_spec *params,
                         size_t n, const bo_error *whole)
{
    for (size_t i = 0; i < n; i++) {
        bo_space *one = NULL;
        bo_error e;
        int rc = bo_space_create(&params[i], 1, &one, &e);
        bo_space_free(one);
        if (rc == BO_EINVAL) {
            char key[BO_SPEC_KEY_MAX];
            bo_spec_key_index(key, sizeof key, "space", i);
            return bo_spec_fail(c, key, "%s", e.message);
        }
    }
    return bo_spec_fail(c, "space", "%s", whole->message);
}

int bo_spec_parse_space(const bo_spec_ctx *c, const cJSON *item,
                        bo_space **out)
{
    *out = NULL;
    if (!cJSON_IsArray(item))
        return bo_spec_fail(c, "space", "must be an array of parameters, got "
                            "%s", bo_spec_kind(item));
    int n = cJSON_GetArraySize(item);
    if (n == 0)
        return bo_spec_fail(c, "space", "must not be empty (leave it out to "
                            "use the objective's own space)");
    if (n > BO_SPEC_PARAMS_MAX)
        return bo_spec_fail(c, "space", "too many parameters (%d, at most %d)",
                            n, BO_SPEC_PARAMS_MAX);
    bo_param_spec *params = calloc((size_t)n, sizeof *params);
    owned_param *owned = calloc((size_t)n, sizeof *owned);
    int rc = params && owned ? BO_OK : bo_spec_nomem(c);
    const cJSON *p = item->child;
    for (size_t i = 0; !rc && i < (size_t)n; i++, p = p->next)
        rc = parse_param(c, p, i, params, &owned[i]);
    if (!rc) {
        bo_error e;
        rc = bo_space_create(params, (size_t)n, out, &e);
        if (rc == BO_ENOMEM)
            rc = bo_spec_nomem(c);
        else if (rc)
            rc = space_refused(c, params, (size_t)n, &e);
    }
    free_owned(owned, owned ? (size_t)n : 0);
    free(params);
    return rc;
}
