/*
 * space.c — the search space: user values <-> the unit cube [0,1]^D.
 *
 * The mapping is documented in bo.h. This file owns a deep copy of the
 * parameter specs (names and choice strings), validates them once at
 * create, and is the only place that knows user units. It must never
 * allocate in decode/canonical (strategies call them in hot loops), never
 * print, and never hand out a pointer that outlives the space.
 *
 * Canonical points: an int coordinate becomes the centre of its bin and a
 * categorical block its one-hot vector, so every configuration has one
 * point. A float coordinate is only clamped to [0,1]: encode(decode(u))
 * is the identity there up to one rounding, and letting that rounding in
 * would make canonical() drift by an ulp on every replay instead of being
 * idempotent (a resumed study must see bit-identical points).
 *
 * Integer ranges are limited to 2^40 values and bounds to |x| <= 2^53 so
 * that every bin is wider than the rounding of u * n and of exp(): decode
 * of a bin centre then always lands in that bin.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo/bo.h"
#include "error.h"
#include "space_names.h"
#include "utf8.h"

#define MAX_INT_COUNT 1099511627776.0 /* 2^40 values */
#define MAX_INT_BOUND 9007199254740992.0 /* 2^53 */

/* A categorical choice that reads wholly as a number is handed to the
 * objective as that number. */
typedef struct choice_info {
    int32_t type; /* BO_VALUE_STRING, _INT or _DOUBLE */
    int64_t i;
    double d;
} choice_info;

typedef struct param {
    bo_param_spec spec;  /* deep copy: name and choices owned here */
    size_t offset;       /* first unit coordinate */
    /* int: */
    int64_t ilow, ihigh;
    double count;        /* high - low + 1 */
    /* float/int log: */
    double log_low, log_high; /* ln low, ln high (float) or ln(high + 1) (int) */
    choice_info *choice;  /* categorical: one per choice */
} param;

struct bo_space {
    size_t n, dim;
    param *p;
};

/* ------------------------------------------------------------- helpers */

static double clamp01(double u)
{
    if (!(u > 0.0)) /* NaN goes to 0 too */
        return 0.0;
    return u > 1.0 ? 1.0 : u;
}

/* Does s read wholly as a decimal number (JSON-like: sign, digits,
 * fraction, exponent)? Hex, "inf" and "nan" are text, not numbers. */
static bool looks_numeric(const char *s)
{
    const char *c = s;
    if (*c == '+' || *c == '-')
        c++;
    int digits = 0;
    while (isdigit((unsigned char)*c)) {
        c++;
        digits++;
    }
    if (*c == '.') {
        c++;
        while (isdigit((unsigned char)*c)) {
            c++;
            digits++;
        }
    }
    if (!digits)
        return false;
    if (*c == 'e' || *c == 'E') {
        c++;
        if (*c == '+' || *c == '-')
            c++;
        if (!isdigit((unsigned char)*c))
            return false;
        while (isdigit((unsigned char)*c))
            c++;
    }
    return *c == '\0';
}

static choice_info classify_choice(const char *s)
{
    choice_info ci = {BO_VALUE_STRING, 0, 0.0};
    if (!looks_numeric(s))
        return ci;
    errno = 0;
    char *end;
    long long ll = strtoll(s, &end, 10);
    if (*end == '\0' && errno == 0) {
        ci.type = BO_VALUE_INT;
        ci.i = ll;
        ci.d = (double)ll;
        return ci;
    }
    double d = strtod(s, &end);
    if (*end != '\0' || !isfinite(d))
        return ci; /* overflows to inf: keep it as text */
    /* Integral and inside int64 (2^63 itself is not). */
    if (d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
        ci.type = BO_VALUE_INT;
        ci.i = (int64_t)d;
        ci.d = d;
    } else {
        ci.type = BO_VALUE_DOUBLE;
        ci.d = d;
    }
    return ci;
}

static bool same_number(const choice_info *a, const choice_info *b)
{
    if (a->type == BO_VALUE_STRING || b->type == BO_VALUE_STRING)
        return false;
    if (a->type == BO_VALUE_INT && b->type == BO_VALUE_INT)
        return a->i == b->i;
    return a->d == b->d;
}

static void free_params(param *p, size_t n)
{
    if (!p)
        return;
    for (size_t i = 0; i < n; i++) {
        free((char *)p[i].spec.name);
        if (p[i].spec.choices) {
            for (uint32_t c = 0; c < p[i].spec.n_choices; c++)
                free((char *)p[i].spec.choices[c]);
            free((void *)p[i].spec.choices);
        }
        free(p[i].choice);
    }
    free(p);
}

/* --------------------------------------------------------------- create */

const char *bo_space_name_problem(const char *name, char *buf, size_t len)
{
    static const char *const columns[] = {
        "trial", "state", "loss", "cost_s", "wall_s", "started_at",
        "finished_at", "seed", "message", "origin", NULL};
    if (!bo_text_is_clean(name)) {
        snprintf(buf, len, "a name with control characters or bytes that "
                 "are not UTF-8 would break bo export's and bo show's "
                 "columns; choose another name");
        return buf;
    }
    /* what a spec allows (objective.h: BO_NAME_MAX, with the NUL) */
    if (strlen(name) >= BO_NAME_MAX) {
        snprintf(buf, len, "a name of %zu bytes is too long (at most %d)",
                 strlen(name), BO_NAME_MAX - 1);
        return buf;
    }
    for (size_t k = 0; columns[k]; k++)
        if (strcmp(name, columns[k]) == 0) {
            snprintf(buf, len, "'%s' is a column of bo export's CSV; choose "
                     "another name", columns[k]);
            return buf;
        }
    if (strncmp(name, "metric.", 7) == 0) {
        snprintf(buf, len, "names starting 'metric.' are bo export's metric "
                 "columns; choose another name");
        return buf;
    }
    return NULL;
}

static int check_numeric(const bo_param_spec *ps, param *p, bo_error *err)
{
    const char *nm = ps->name;
    if (!isfinite(ps->low) || !isfinite(ps->high) ||
        !isfinite(ps->high - ps->low))
        return bo_error_set(err, BO_EINVAL,
                            "parameter '%s': low and high must be finite, and "
                            "so must high - low", nm);
    if (ps->log && ps->low <= 0)
        return bo_error_set(err, BO_EINVAL,
                            "parameter '%s': low must be > 0 when log is true "
                            "(got %.17g)", nm, ps->low);
    if (ps->type == BO_PARAM_FLOAT) {
        if (!(ps->low < ps->high))
            return bo_error_set(err, BO_EINVAL,
                                "parameter '%s': low (%.17g) must be < high "
                                "(%.17g)", nm, ps->low, ps->high);
        if (ps->log) {
            p->log_low = log(ps->low);
            p->log_high = log(ps->high);
        }
        return BO_OK;
    }
    if (ps->low != floor(ps->low) || ps->high != floor(ps->high))
        return bo_error_set(err, BO_EINVAL,
                            "parameter '%s': int bounds must be integers "
                            "(got %.17g, %.17g)", nm, ps->low, ps->high);
    if (ps->low > ps->high)
        return bo_error_set(err, BO_EINVAL,
                            "parameter '%s': low (%.17g) must be <= high "
                            "(%.17g)", nm, ps->low, ps->high);
    if (fabs(ps->low) > MAX_INT_BOUND || fabs(ps->high) > MAX_INT_BOUND ||
        ps->high - ps->low + 1.0 > MAX_INT_COUNT)
        return bo_error_set(err, BO_EINVAL,
                            "parameter '%s': int range too large (at most "
                            "2^40 values within +-2^53)", nm);
    p->ilow = (int64_t)ps->low;
    p->ihigh = (int64_t)ps->high;
    p->count = (double)(p->ihigh - p->ilow) + 1.0;
    if (ps->log) {
        p->log_low = log(ps->low);
        p->log_high = log(ps->high + 1.0);
    }
    return BO_OK;
}

static int copy_choices(const bo_param_spec *ps, param *p, bo_error *err)
{
    const char *nm = ps->name;
    uint32_t nc = ps->n_choices;
    if (nc == 0 || !ps->choices)
        return bo_error_set(err, BO_EINVAL, "parameter '%s': no choices", nm);
    char **copy = calloc(nc, sizeof *copy);
    p->choice = calloc(nc, sizeof *p->choice);
    p->spec.choices = (const char *const *)copy;
    p->spec.n_choices = 0; /* counts what free_params must release */
    if (!copy || !p->choice)
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    for (uint32_t c = 0; c < nc; c++) {
        const char *text = ps->choices[c];
        if (!text || !*text)
            return bo_error_set(err, BO_EINVAL,
                                "parameter '%s': choice %u is empty", nm, c);
        if (!bo_text_is_clean(text))
            return bo_error_set(err, BO_EINVAL,
                                "parameter '%s': choice %u holds a control "
                                "character or bytes that are not UTF-8, which "
                                "would break bo export's and bo show's lines",
                                nm, c);
        copy[c] = strdup(text);
        if (!copy[c])
            return bo_error_set(err, BO_ENOMEM, "out of memory");
        p->spec.n_choices = c + 1;
        p->choice[c] = classify_choice(text);
        for (uint32_t k = 0; k < c; k++) {
            if (strcmp(copy[k], text) == 0)
                return bo_error_set(err, BO_EINVAL,
                                    "parameter '%s': duplicate choice '%s'",
                                    nm, text);
            if (same_number(&p->choice[k], &p->choice[c]))
                return bo_error_set(err, BO_EINVAL,
                                    "parameter '%s': choices '%s' and '%s' "
                                    "are the same number", nm, copy[k], text);
        }
    }
    return BO_OK;
}

static int check_log_resolution(const param *p, bo_error *err);

int bo_space_create(const bo_param_spec *params, size_t n_params,
                    bo_space **out, bo_error *err)
{
    if (!out)
        return bo_error_set(err, BO_EINVAL, "bo_space_create: out is NULL");
    *out = NULL;
    if (n_params && !params)
        return bo_error_set(err, BO_EINVAL, "bo_space_create: params is NULL");
    bo_space *sp = calloc(1, sizeof *sp);
    param *p = calloc(n_params ? n_params : 1, sizeof *p);
    if (!sp || !p) {
        free(sp);
        free(p);
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    }
    sp->p = p;
    int rc = BO_OK;
    size_t dim = 0;
    for (size_t i = 0; i < n_params && rc == BO_OK; i++) {
        const bo_param_spec *ps = &params[i];
        if (!ps->name || !*ps->name) {
            rc = bo_error_set(err, BO_EINVAL, "parameter %zu: empty name", i);
            break;
        }
        char why[160];
        if (bo_space_name_problem(ps->name, why, sizeof why)) {
            rc = bo_error_set(err, BO_EINVAL, "parameter %zu: %s", i, why);
            break;
        }
        for (size_t k = 0; k < i; k++)
            if (strcmp(params[k].name, ps->name) == 0) {
                rc = bo_error_set(err, BO_EINVAL,
                                  "parameter '%s': duplicate name "
                                  "(parameters %zu and %zu)", ps->name, k, i);
                break;
            }
        if (rc)
            break;
        p[i].spec.type = ps->type;
        p[i].spec.log = ps->log ? 1 : 0;
        p[i].spec.low = ps->low;
        p[i].spec.high = ps->high;
        p[i].spec.name = strdup(ps->name);
        sp->n = i + 1; /* from here on free_params releases entry i */
        if (!p[i].spec.name) {
            rc = bo_error_set(err, BO_ENOMEM, "out of memory");
            break;
        }
        p[i].offset = dim;
        switch (ps->type) {
        case BO_PARAM_FLOAT:
        case BO_PARAM_INT:
            rc = check_numeric(ps, &p[i], err);
            if (!rc && ps->log)
                rc = check_log_resolution(&p[i], err);
            dim += 1;
            break;
        case BO_PARAM_CATEGORICAL:
            p[i].spec.log = 0;
            p[i].spec.low = p[i].spec.high = 0;
            rc = copy_choices(ps, &p[i], err);
            dim += ps->n_choices;
            break;
        default:
            rc = bo_error_set(err, BO_EINVAL,
                              "parameter '%s': unknown type %d", ps->name,
                              (int)ps->type);
        }
    }
    if (rc) {
        free_params(p, sp->n);
        free(sp);
        return rc;
    }
    sp->dim = dim;
    *out = sp;
    return BO_OK;
}

void bo_space_free(bo_space *space)
{
    if (!space)
        return;
    free_params(space->p, space->n);
    free(space);
}

size_t bo_space_n_params(const bo_space *space) { return space ? space->n : 0; }

size_t bo_space_dim(const bo_space *space) { return space ? space->dim : 0; }

const bo_param_spec *bo_space_param(const bo_space *space, size_t i)
{
    return space && i < space->n ? &space->p[i].spec : NULL;
}

long bo_space_find(const bo_space *space, const char *name)
{
    if (!space || !name)
        return -1;
    for (size_t i = 0; i < space->n; i++)
        if (strcmp(space->p[i].spec.name, name) == 0)
            return (long)i;
    return -1;
}

/* --------------------------------------------------------------- decode */

static double decode_float(const param *p, double u)
{
    const bo_param_spec *s = &p->spec;
    /* The ends are the bounds exactly (exp(ln low) need not be low). */
    if (u <= 0.0)
        return s->low;
    if (u >= 1.0)
        return s->high;
    double x = s->log ? exp(p->log_low + u * (p->log_high - p->log_low))
                      : s->low + u * (s->high - s->low);
    /* exp() and the product may round a hair past the bounds. */
    return x < s->low ? s->low : x > s->high ? s->high : x;
}

static int64_t decode_int(const param *p, double u)
{
    if (p->spec.log) {
        double x = floor(exp(p->log_low + u * (p->log_high - p->log_low)));
        if (x < p->spec.low)
            return p->ilow;
        if (x > p->spec.high)
            return p->ihigh;
        return (int64_t)x;
    }
    double k = floor(u * p->count);
    if (k > p->count - 1.0)
        k = p->count - 1.0;
    return p->ilow + (int64_t)k;
}

static uint32_t decode_choice(const param *p, const double *u)
{
    uint32_t best = 0;
    double bu = clamp01(u[0]);
    for (uint32_t c = 1; c < p->spec.n_choices; c++) {
        double v = clamp01(u[c]);
        if (v > bu) {
            bu = v;
            best = c;
        }
    }
    return best;
}

int bo_space_decode(const bo_space *space, const double *u, bo_value *values,
                    bo_error *err)
{
    if (!space || (space->dim && !u) || (space->n && !values))
        return bo_error_set(err, BO_EINVAL, "bo_space_decode: NULL argument");
    for (size_t i = 0; i < space->n; i++) {
        const param *p = &space->p[i];
        bo_value *v = &values[i];
        memset(v, 0, sizeof *v);
        v->name = p->spec.name;
        const double *ui = u + p->offset;
        switch (p->spec.type) {
        case BO_PARAM_FLOAT:
            v->type = BO_VALUE_DOUBLE;
            v->d = decode_float(p, clamp01(ui[0]));
            break;
        case BO_PARAM_INT:
            v->type = BO_VALUE_INT;
            v->i = decode_int(p, clamp01(ui[0]));
            v->d = (double)v->i;
            break;
        default: {
            uint32_t c = decode_choice(p, ui);
            const choice_info *ci = &p->choice[c];
            v->type = ci->type;
            v->i = ci->i;
            v->d = ci->d;
            v->s = p->spec.choices[c];
        }
        }
    }
    return BO_OK;
}

/* --------------------------------------------------------------- encode */

/* The centre of the bin of integer k (already inside [low, high]). */
static double int_centre(const param *p, int64_t k)
{
    if (p->spec.log) {
        double span = p->log_high - p->log_low;
        double a = (log((double)k) - p->log_low) / span;
        double b = (log((double)k + 1.0) - p->log_low) / span;
        return clamp01(0.5 * (a + b));
    }
    return ((double)(k - p->ilow) + 0.5) / p->count;
}

/* A log scale must tell its values apart in doubles: ln of 1e15 and of
 * 1e15 + 1 are one double, so whole numbers that large (in a range that
 * narrow) would share bins and an enqueued value come back as another.
 * Checked where bins are narrowest (the top) and at the bottom. */
static int check_log_resolution(const param *p, bo_error *err)
{
    const char *nm = p->spec.name;
    if (!(p->log_high > p->log_low))
        return bo_error_set(err, BO_EINVAL, "parameter '%s': [%.17g, %.17g] "
                            "is too narrow for a log scale (the logs of its "
                            "ends are one double): use a linear one", nm,
                            p->spec.low, p->spec.high);
    if (p->spec.type != BO_PARAM_INT)
        return BO_OK;
    int64_t ks[] = {p->ilow, p->ilow + 1, p->ihigh - 1, p->ihigh};
    for (size_t i = 0; i < sizeof ks / sizeof *ks; i++) {
        int64_t k = ks[i];
        if (k < p->ilow || k > p->ihigh)
            continue;
        if (decode_int(p, int_centre(p, k)) != k)
            return bo_error_set(err, BO_EINVAL, "parameter '%s': a log scale "
                                "cannot tell apart whole numbers near %" PRId64
                                " in [%.17g, %.17g]: use a linear one", nm, k,
                                p->spec.low, p->spec.high);
    }
    return BO_OK;
}

static double float_unit(const param *p, double x)
{
    const bo_param_spec *s = &p->spec;
    if (s->log)
        return clamp01((log(x) - p->log_low) / (p->log_high - p->log_low));
    return clamp01((x - s->low) / (s->high - s->low));
}

static const char *type_name(int32_t t)
{
    switch (t) {
    case BO_VALUE_DOUBLE: return "a number";
    case BO_VALUE_INT: return "an integer";
    case BO_VALUE_STRING: return "a string";
    default: return "a value of unknown type";
    }
}

static int encode_one(const param *p, const bo_value *v, double *u,
                      bo_error *err)
{
    const bo_param_spec *s = &p->spec;
    const char *nm = s->name;
    if (s->type == BO_PARAM_FLOAT) {
        double x;
        if (v->type == BO_VALUE_DOUBLE)
            x = v->d;
        else if (v->type == BO_VALUE_INT)
            x = (double)v->i;
        else
            return bo_error_set(err, BO_EINVAL,
                                "%s: expected a number, got %s", nm,
                                type_name(v->type));
        if (!(x >= s->low && x <= s->high))
            return bo_error_set(err, BO_EINVAL,
                                "%s: %.17g is outside [%.17g, %.17g]", nm, x,
                                s->low, s->high);
        u[0] = float_unit(p, x);
        return BO_OK;
    }
    if (s->type == BO_PARAM_INT) {
        int64_t k;
        if (v->type == BO_VALUE_INT) {
            k = v->i;
        } else if (v->type == BO_VALUE_DOUBLE) {
            if (!isfinite(v->d) || v->d != floor(v->d))
                return bo_error_set(err, BO_EINVAL,
                                    "%s: expected an integer, got %.17g", nm,
                                    v->d);
            if (!(v->d >= s->low && v->d <= s->high))
                return bo_error_set(err, BO_EINVAL,
                                    "%s: %.17g is outside [%.17g, %.17g]", nm,
                                    v->d, s->low, s->high);
            k = (int64_t)v->d;
        } else {
            return bo_error_set(err, BO_EINVAL,
                                "%s: expected an integer, got %s", nm,
                                type_name(v->type));
        }
        if (k < p->ilow || k > p->ihigh)
            return bo_error_set(err, BO_EINVAL,
                                "%s: %lld is outside [%lld, %lld]", nm,
                                (long long)k, (long long)p->ilow,
                                (long long)p->ihigh);
        u[0] = int_centre(p, k);
        return BO_OK;
    }
    /* categorical: the text, or the number a numeric choice stands for */
    long hit = -1;
    for (uint32_t c = 0; c < s->n_choices && hit < 0; c++) {
        const choice_info *ci = &p->choice[c];
        if (v->type == BO_VALUE_STRING) {
            if (v->s && strcmp(v->s, s->choices[c]) == 0)
                hit = c;
        } else if (v->type == BO_VALUE_INT || v->type == BO_VALUE_DOUBLE) {
            choice_info given = {v->type, v->i,
                                 v->type == BO_VALUE_INT ? (double)v->i : v->d};
            if (same_number(&given, ci))
                hit = c;
        }
    }
    if (hit < 0) {
        if (v->type == BO_VALUE_STRING)
            return bo_error_set(err, BO_EINVAL, "%s: unknown choice '%s'", nm,
                                v->s ? v->s : "(null)");
        if (v->type == BO_VALUE_INT)
            return bo_error_set(err, BO_EINVAL, "%s: unknown choice %lld", nm,
                                (long long)v->i);
        if (v->type == BO_VALUE_DOUBLE)
            return bo_error_set(err, BO_EINVAL, "%s: unknown choice %.17g", nm,
                                v->d);
        return bo_error_set(err, BO_EINVAL, "%s: expected a choice, got %s",
                            nm, type_name(v->type));
    }
    for (uint32_t c = 0; c < s->n_choices; c++)
        u[c] = c == (uint32_t)hit ? 1.0 : 0.0;
    return BO_OK;
}

int bo_space_encode(const bo_space *space, const bo_value *values,
                    size_t n_values, double *u, bo_error *err)
{
    if (!space || (n_values && !values) || (space->dim && !u))
        return bo_error_set(err, BO_EINVAL, "bo_space_encode: NULL argument");
    /* Which parameters were given; small spaces stay off the heap. */
    unsigned char seen_small[64];
    unsigned char *seen = seen_small;
    if (space->n > sizeof seen_small) {
        seen = malloc(space->n);
        if (!seen)
            return bo_error_set(err, BO_ENOMEM, "out of memory");
    }
    memset(seen, 0, space->n);
    int rc = BO_OK;
    for (size_t j = 0; j < n_values && rc == BO_OK; j++) {
        const bo_value *v = &values[j];
        long i = bo_space_find(space, v->name);
        if (i < 0) {
            rc = bo_error_set(err, BO_EINVAL, "%s: unknown parameter",
                              v->name ? v->name : "(null)");
        } else if (seen[i]) {
            rc = bo_error_set(err, BO_EINVAL, "%s: given more than once",
                              v->name);
        } else {
            seen[i] = 1;
            rc = encode_one(&space->p[i], v, u + space->p[i].offset, err);
        }
    }
    for (size_t i = 0; i < space->n && rc == BO_OK; i++)
        if (!seen[i])
            rc = bo_error_set(err, BO_EINVAL, "%s: missing",
                              space->p[i].spec.name);
    if (seen != seen_small)
        free(seen);
    return rc;
}

void bo_space_canonical(const bo_space *space, const double *u, double *out)
{
    if (!space || !u || !out)
        return;
    for (size_t i = 0; i < space->n; i++) {
        const param *p = &space->p[i];
        const double *ui = u + p->offset;
        double *oi = out + p->offset;
        switch (p->spec.type) {
        case BO_PARAM_FLOAT:
            oi[0] = clamp01(ui[0]);
            break;
        case BO_PARAM_INT:
            oi[0] = int_centre(p, decode_int(p, clamp01(ui[0])));
            break;
        default: {
            /* decode before writing: out may alias u */
            uint32_t hit = decode_choice(p, ui);
            for (uint32_t c = 0; c < p->spec.n_choices; c++)
                oi[c] = c == hit ? 1.0 : 0.0;
        }
        }
    }
}
