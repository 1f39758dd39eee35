/*
 * spec_enqueue.c — the user's own configurations ("enqueue"): their
 * structure is checked when the spec is parsed, their values against a
 * space when one is known (the spec's own at parse time, the objective's
 * default only once its plugin is loaded), by bo_spec_enqueued.
 *
 * Values are kept as written: numbers as doubles (an int parameter takes
 * an integral double, a categorical matches a number by value), strings
 * copied. Must never round a value: an enqueued point is evaluated
 * exactly as given.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "spec_impl.h"
#include "utf8.h"

#define VALUE_LEN_MAX 1024

static void free_entry(bo_spec_entry *e)
{
    for (size_t k = 0; k < e->n; k++) {
        free((char *)e->values[k].name);
        free((char *)e->values[k].s);
    }
    free(e->values);
}

void bo_spec_internal_free(bo_spec_internal *in)
{
    if (!in)
        return;
    for (size_t i = 0; i < in->n_entries; i++)
        free_entry(&in->entries[i]);
    free(in->entries);
    in->entries = NULL;
    in->n_entries = 0;
}

static int parse_value(const bo_spec_ctx *c, const cJSON *item,
                       const char *key, bo_value *v)
{
    if (cJSON_IsNumber(item)) {
        v->type = BO_VALUE_DOUBLE;
        return bo_spec_get_number(c, item, key, &v->d);
    }
    if (cJSON_IsString(item)) {
        const char *s;
        int rc = bo_spec_get_string(c, item, key, VALUE_LEN_MAX, &s);
        if (rc)
            return rc;
        v->type = BO_VALUE_STRING;
        v->s = strdup(s);
        return v->s ? BO_OK : bo_spec_nomem(c);
    }
    return bo_spec_fail(c, key, "must be a number or a string, got %s",
                        bo_spec_kind(item));
}

static int parse_entry(const bo_spec_ctx *c, const cJSON *obj, size_t i,
                       bo_spec_entry *e)
{
    char key[BO_SPEC_KEY_MAX];
    bo_spec_key_index(key, sizeof key, "enqueue", i);
    if (!cJSON_IsObject(obj))
        return bo_spec_fail(c, key, "must be an object mapping parameter "
                            "names to values, got %s", bo_spec_kind(obj));
    int rc = bo_spec_check_object(c, obj, key, NULL);
    if (rc)
        return rc;
    int n = cJSON_GetArraySize(obj);
    if (n > BO_SPEC_PARAMS_MAX)
        return bo_spec_fail(c, key, "too many values (%d, at most %d)", n,
                            BO_SPEC_PARAMS_MAX);
    e->values = calloc(n ? (size_t)n : 1, sizeof *e->values);
    if (!e->values)
        return bo_spec_nomem(c);
    const cJSON *item = obj->child;
    for (size_t k = 0; k < (size_t)n; k++, item = item->next) {
        char path[BO_SPEC_KEY_MAX];
        const char *name = item->string ? item->string : "";
        bo_spec_key(path, sizeof path, key, name);
        if (!*name)
            return bo_spec_fail(c, path, "a parameter name must not be empty");
        if (strlen(name) >= BO_NAME_MAX || !bo_text_is_clean(name))
            return bo_spec_fail(c, path, "unknown parameter (no parameter "
                                "has such a name)");
        bo_value *v = &e->values[k];
        v->name = strdup(name);
        e->n = k + 1; /* from here on free_entry releases value k */
        if (!v->name)
            return bo_spec_nomem(c);
        rc = parse_value(c, item, path, v);
        if (rc)
            return rc;
    }
    return BO_OK;
}

int bo_spec_parse_enqueue(const bo_spec_ctx *c, const cJSON *item,
                          bo_spec_internal *in)
{
    if (!cJSON_IsArray(item))
        return bo_spec_fail(c, "enqueue", "must be an array of objects, got "
                            "%s", bo_spec_kind(item));
    int n = cJSON_GetArraySize(item);
    if (n == 0)
        return BO_OK;
    in->entries = calloc((size_t)n, sizeof *in->entries);
    if (!in->entries)
        return bo_spec_nomem(c);
    const cJSON *e = item->child;
    for (size_t i = 0; i < (size_t)n; i++, e = e->next) {
        in->n_entries = i + 1;
        int rc = parse_entry(c, e, i, &in->entries[i]);
        if (rc)
            return rc;
    }
    return BO_OK;
}

int bo_spec_encode_entry(const bo_spec_ctx *c, const bo_spec_internal *in,
                         const bo_space *space, size_t i, double *u)
{
    const bo_spec_entry *e = &in->entries[i];
    bo_error local;
    int rc = bo_space_encode(space, e->values, e->n, u, &local);
    if (rc == BO_OK)
        return BO_OK;
    if (rc == BO_ENOMEM)
        return bo_spec_nomem(c);
    /* The space names the parameter first ("lr: ..."): hang it under the
     * entry's key so the message reads "enqueue[1].lr: ...". */
    return bo_error_set(c->err, rc, "%s: enqueue[%zu].%s", c->path, i,
                        local.message);
}

/* The decoded point of an enqueued entry may differ from what the user
 * wrote by a rounding step (a log scale's exp(log(x)) is not always x):
 * the study puts the user's own float values back before the trial runs,
 * so that an enqueued configuration is evaluated exactly as written. */
void bo_spec_enqueued_exact(const bo_spec *spec, const bo_space *space,
                            size_t i, bo_value *values)
{
    const bo_spec_internal *in = spec ? spec->internal_ : NULL;
    if (!in || i >= in->n_entries)
        return;
    const bo_spec_entry *e = &in->entries[i];
    for (size_t k = 0; k < e->n; k++) {
        long j = bo_space_find(space, e->values[k].name);
        if (j < 0 || e->values[k].type != BO_VALUE_DOUBLE)
            continue;
        if (bo_space_param(space, (size_t)j)->type == BO_PARAM_FLOAT &&
            values[j].type == BO_VALUE_DOUBLE)
            values[j].d = e->values[k].d;
    }
}
