/*
 * synthetic.c — the `synthetic` objective plugin: a benchmark function with
 * a known global minimum (functions.c) behind the plugin ABI, so that
 * strategies can be compared by regret without training anything.
 *
 * Config: {"function": NAME (default "branin"), "dim": D (ackley,
 * rosenbrock and rastrigin only; a fixed-dimension function accepts its own
 * dimension), "noise": SIGMA (default 0)}. The space is x0 .. x{D-1}, each
 * float over the function's standard domain. The loss is f(x) plus, when
 * SIGMA > 0, a Gaussian draw from a GSL generator seeded with the trial's
 * seed, so a trial is a pure function of (config, assignment, seed).
 * Metrics: "optimum" (the known minimum) and "regret" (f(x) - optimum,
 * without noise). A tuned parameter named "noise" overrides the config's.
 *
 * Must never print (only host->log), exit, or link libbo; only the entry
 * symbol is visible.
 */
#include "bo/objective.h"
#include "functions.h"

#include <cjson/cJSON.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Far beyond what a GP handles; only here so that a typo like 1e9 fails
 * with a message instead of an allocation the size of the machine. */
#define SYNTH_MAX_DIM 10000
/* "x" + up to 20 digits + NUL. */
#define SYNTH_NAME_LEN 24

typedef struct synth_instance {
    const bo_synth_function *fn;
    size_t d;
    double noise;         /* sigma from the config */
    gsl_rng *rng;         /* reseeded for every trial */
    double *x;            /* d values of the trial being evaluated */
    unsigned char *seen;  /* d flags: which x_i the assignment gave */
    char *names;          /* d names of SYNTH_NAME_LEN bytes */
    bo_param_spec *space; /* d params, names pointing into `names` */
} synth_instance;

static void synth_format(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void synth_format(char *buf, size_t len, const char *fmt, ...)
{
    if (!buf || len == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

/* A user-given name made safe for a one-line message: at most 40 bytes,
 * control characters replaced. */
static const char *synth_quote(const char *name, char out[48])
{
    size_t n = 0;
    for (; name && name[n] && n < 40; n++)
        out[n] = (unsigned char)name[n] < 0x20 || name[n] == 0x7f ? '?'
                                                                   : name[n];
    if (name && name[n])
        out[n++] = '~';
    out[n] = '\0';
    return out;
}

/* "branin, goldstein-price, ..." for messages. */
static void synth_known_names(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < bo_synth_count() && used < len; i++) {
        int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
                         bo_synth_at(i)->name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static void synth_destroy(void *instance)
{
    synth_instance *inst = instance;
    if (!inst)
        return;
    if (inst->rng)
        gsl_rng_free(inst->rng);
    free(inst->x);
    free(inst->seen);
    free(inst->names);
    free(inst->space);
    free(inst);
}

/* Reads "function", "dim" and "noise"; anything else is a mistake. */
static int synth_parse_config(const cJSON *root, const bo_synth_function **fn,
                              size_t *d, int *dim_given, double *noise,
                              char *err, size_t errlen)
{
    char q[48], known[256];
    int seen_function = 0, seen_noise = 0;
    *dim_given = 0;
    for (const cJSON *item = root->child; item; item = item->next) {
        const char *key = item->string ? item->string : "";
        if (strcmp(key, "function") == 0) {
            if (seen_function++) {
                synth_format(err, errlen, "synthetic: config key 'function' given twice");
                return -1;
            }
            synth_known_names(known, sizeof known);
            if (!cJSON_IsString(item)) {
                synth_format(err, errlen,
                             "synthetic: config function: must be a string, one of %s",
                             known);
                return -1;
            }
            *fn = bo_synth_find(item->valuestring);
            if (!*fn) {
                synth_format(err, errlen,
                             "synthetic: config function: unknown function '%s' (known: %s)",
                             synth_quote(item->valuestring, q), known);
                return -1;
            }
        } else if (strcmp(key, "dim") == 0) {
            if ((*dim_given)++) {
                synth_format(err, errlen, "synthetic: config key 'dim' given twice");
                return -1;
            }
            double v = cJSON_IsNumber(item) ? item->valuedouble : NAN;
            if (!(v >= 1 && v <= SYNTH_MAX_DIM && v == floor(v))) {
                synth_format(err, errlen,
                             "synthetic: config dim: must be a whole number from 1 to %d",
                             SYNTH_MAX_DIM);
                return -1;
            }
            *d = (size_t)v;
        } else if (strcmp(key, "noise") == 0) {
            if (seen_noise++) {
                synth_format(err, errlen, "synthetic: config key 'noise' given twice");
                return -1;
            }
            double v = cJSON_IsNumber(item) ? item->valuedouble : NAN;
            if (!(v >= 0 && isfinite(v))) {
                synth_format(err, errlen,
                             "synthetic: config noise: must be a finite number >= 0 "
                             "(the standard deviation added to the loss)");
                return -1;
            }
            *noise = v;
        } else {
            synth_format(err, errlen,
                         "synthetic: unknown config key '%s' (known: function, dim, noise)",
                         synth_quote(key, q));
            return -1;
        }
    }
    return 0;
}

/* Checks the dimension against the function: fixed-dimension functions
 * take only their own, and Rosenbrock needs a pair of coordinates. */
static int synth_check_dim(const bo_synth_function *fn, size_t *d,
                           int dim_given, char *err, size_t errlen)
{
    if (fn->dim) {
        if (dim_given && *d != fn->dim) {
            synth_format(err, errlen,
                         "synthetic: config dim: %s has fixed dimension %zu, not %zu",
                         fn->name, fn->dim, *d);
            return -1;
        }
        *d = fn->dim;
        return 0;
    }
    if (!dim_given)
        *d = fn->default_dim;
    if (strcmp(fn->name, "rosenbrock") == 0 && *d < 2) {
        synth_format(err, errlen, "synthetic: config dim: rosenbrock needs dim >= 2");
        return -1;
    }
    return 0;
}

static int synth_alloc(synth_instance *inst, char *err, size_t errlen)
{
    size_t d = inst->d;
    inst->x = calloc(d, sizeof *inst->x);
    inst->seen = calloc(d, 1);
    inst->names = calloc(d, SYNTH_NAME_LEN);
    inst->space = calloc(d, sizeof *inst->space);
    /* gsl_rng_alloc calls the GSL error handler when out of memory, which
     * aborts by default; a plugin must not, so turn it off for the call and
     * give the host its own handler back. */
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    inst->rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_set_error_handler(old);
    if (!inst->x || !inst->seen || !inst->names || !inst->space || !inst->rng) {
        synth_format(err, errlen, "synthetic: out of memory for %zu dimensions", d);
        return -1;
    }
    for (size_t i = 0; i < d; i++) {
        char *name = inst->names + i * SYNTH_NAME_LEN;
        snprintf(name, SYNTH_NAME_LEN, "x%zu", i);
        bo_param_spec *p = &inst->space[i];
        p->name = name;
        p->type = BO_PARAM_FLOAT;
        inst->fn->domain(i, d, &p->low, &p->high);
    }
    return 0;
}

static int synth_create(const char *config_json, void **instance, char *err,
                        size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!instance) {
        synth_format(err, errlen, "synthetic: create() called without an instance pointer");
        return -1;
    }
    *instance = NULL;
    /* require_null_terminated: trailing text after the object is an error,
     * not silently ignored. */
    cJSON *root = cJSON_ParseWithOpts(config_json ? config_json : "{}", NULL, 1);
    if (!root || !cJSON_IsObject(root)) {
        synth_format(err, errlen, "synthetic: config: %s",
                     root ? "must be a JSON object" : "not valid JSON");
        cJSON_Delete(root);
        return -1;
    }
    const bo_synth_function *fn = bo_synth_find("branin");
    size_t d = 0;
    int dim_given;
    double noise = 0.0;
    int rc = synth_parse_config(root, &fn, &d, &dim_given, &noise, err, errlen);
    cJSON_Delete(root);
    if (rc || synth_check_dim(fn, &d, dim_given, err, errlen))
        return -1;

    synth_instance *inst = calloc(1, sizeof *inst);
    if (!inst) {
        synth_format(err, errlen, "synthetic: out of memory");
        return -1;
    }
    inst->fn = fn;
    inst->d = d;
    inst->noise = noise;
    if (synth_alloc(inst, err, errlen)) {
        synth_destroy(inst);
        return -1;
    }
    *instance = inst;
    return 0;
}

static int synth_instance_space(void *instance, const bo_param_spec **space,
                                uint32_t *n_space, char *err, size_t errlen)
{
    synth_instance *inst = instance;
    if (!inst || !space || !n_space) {
        synth_format(err, errlen, "synthetic: instance_space() called without an instance");
        return -1;
    }
    *space = inst->space;
    *n_space = (uint32_t)inst->d;
    return 0;
}

/* A failed trial: the outcome says why, the instance stays usable. */
static int synth_fail(bo_outcome *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int synth_fail(bo_outcome *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->message, sizeof out->message, fmt, ap);
    va_end(ap);
    out->status = BO_STATUS_FAILED;
    out->n_metrics = 0;
    return 0;
}

/* The index i of a name "x<i>" (decimal, no sign or leading zero), or -1. */
static long synth_param_index(const char *name, size_t d)
{
    if (name[0] != 'x' || name[1] < '0' || name[1] > '9')
        return -1;
    if (name[1] == '0' && name[2] != '\0')
        return -1;
    size_t i = 0;
    for (const char *c = name + 1; *c; c++) {
        if (*c < '0' || *c > '9')
            return -1;
        i = i * 10 + (size_t)(*c - '0');
        if (i >= d)
            return -1;
    }
    return (long)i;
}

/* A numeric value of the assignment as a double; 0, or -1 for a string. */
static int synth_number(const bo_value *v, double *out)
{
    if (v->type == BO_VALUE_DOUBLE)
        *out = v->d;
    else if (v->type == BO_VALUE_INT)
        *out = (double)v->i;
    else
        return -1;
    return 0;
}

/* mt19937 keeps only the low 32 bits of its seed. Mixing all 64 bits
 * first (the splitmix64 finalizer) keeps seeds that differ only in their
 * high half, or in a pattern a plain xor-fold would cancel, apart. */
static unsigned long synth_rng_seed(uint64_t seed)
{
    seed ^= seed >> 30;
    seed *= 0xbf58476d1ce4e5b9u;
    seed ^= seed >> 27;
    seed *= 0x94d049bb133111ebu;
    seed ^= seed >> 31;
    return (unsigned long)(seed & 0xffffffffu);
}

/* The assignment into inst->x (and *sigma): 0, or -1 with why in err.
 * What evaluate and check share. */
static int synth_read(synth_instance *inst, const bo_value *assignment,
                      size_t n_assignment, double *sigma, char *err,
                      size_t errlen)
{
    const char *fname = inst->fn->name;
    char q[48];
    memset(inst->seen, 0, inst->d);
    for (size_t k = 0; k < n_assignment; k++) {
        const bo_value *v = &assignment[k];
        const char *name = v->name ? v->name : "";
        double value;
        long i = synth_param_index(name, inst->d);
        if (i >= 0) {
            if (inst->seen[i]) {
                snprintf(err, errlen, "synthetic %s: parameter '%s' given "
                         "twice", fname, name);
                return -1;
            }
            if (synth_number(v, &value)) {
                snprintf(err, errlen, "synthetic %s: parameter '%s' must be "
                         "a number, not a %s", fname, name,
                         v->type == BO_VALUE_STRING ? "string"
                                                    : "value of unknown type");
                return -1;
            }
            if (!isfinite(value)) {
                snprintf(err, errlen, "synthetic %s: parameter '%s' is not "
                         "finite", fname, name);
                return -1;
            }
            inst->x[i] = value;
            inst->seen[i] = 1;
        } else if (strcmp(name, "noise") == 0) {
            if (synth_number(v, &value) || !(value >= 0 && isfinite(value))) {
                snprintf(err, errlen, "synthetic %s: parameter 'noise' must "
                         "be a finite number >= 0", fname);
                return -1;
            }
            *sigma = value;
        } else {
            snprintf(err, errlen, "synthetic %s: unknown parameter '%s' (it "
                     "takes x0 .. x%zu, and optionally noise)", fname,
                     synth_quote(name, q), inst->d - 1);
            return -1;
        }
    }
    for (size_t i = 0; i < inst->d; i++)
        if (!inst->seen[i]) {
            snprintf(err, errlen, "synthetic %s: parameter 'x%zu' is missing",
                     fname, i);
            return -1;
        }
    return 0;
}

static int synth_check(void *instance, const bo_value *assignment,
                       size_t n_assignment, char *err, size_t errlen)
{
    double sigma = 0;
    return synth_read(instance, assignment, n_assignment, &sigma, err,
                      errlen) != 0;
}

static int synth_evaluate(void *instance, const bo_value *assignment,
                          size_t n_assignment, const bo_host *host,
                          bo_outcome *out)
{
    synth_instance *inst = instance;
    if (!inst || !out || (n_assignment && !assignment))
        return -1;
    const char *fname = inst->fn->name;
    double sigma = inst->noise;
    char why[BO_MESSAGE_MAX];
    if (synth_read(inst, assignment, n_assignment, &sigma, why, sizeof why))
        return synth_fail(out, "%s", why);

    double f = inst->fn->f(inst->x, inst->d);
    if (!isfinite(f))
        return synth_fail(out, "synthetic %s: f(x) is not finite (%g)", fname, f);
    double loss = f;
    if (sigma > 0) {
        gsl_rng_set(inst->rng, synth_rng_seed(host ? host->seed : 0));
        loss += gsl_ran_gaussian(inst->rng, sigma);
    }
    double optimum = inst->fn->optimum(inst->d);

    out->loss = loss;
    out->status = BO_STATUS_OK;
    out->n_metrics = 2;
    snprintf(out->metrics[0].name, BO_NAME_MAX, "optimum");
    out->metrics[0].value = optimum;
    snprintf(out->metrics[1].name, BO_NAME_MAX, "regret");
    out->metrics[1].value = f - optimum;

    if (host && host->log) {
        char line[160];
        snprintf(line, sizeof line, "synthetic %s (d=%zu): f = %.17g, loss = %.17g",
                 fname, inst->d, f, loss);
        host->log(host->ctx, line);
    }
    return 0;
}

/* The default space, for a host that does not ask the instance: that of
 * the default function, branin (functions.c, branin_domain). */
static const bo_param_spec SYNTH_DEFAULT_SPACE[] = {
    {.name = "x0", .type = BO_PARAM_FLOAT, .low = -5.0, .high = 10.0},
    {.name = "x1", .type = BO_PARAM_FLOAT, .low = 0.0, .high = 15.0},
};

static const bo_objective SYNTH_DESCRIPTOR = {
    .abi_version = BO_OBJECTIVE_ABI_VERSION,
    .struct_size = sizeof(bo_objective),
    .name = "synthetic",
    .description =
        "Benchmark functions with known global minima (branin, goldstein-price, "
        "six-hump-camel, hartmann3, hartmann6, ackley, rosenbrock, rastrigin). "
        "Config: function (default branin), dim (ackley, rosenbrock, rastrigin), "
        "noise (Gaussian sigma added to the loss). Metrics: optimum, regret.",
    .space = SYNTH_DEFAULT_SPACE,
    .n_space = sizeof SYNTH_DEFAULT_SPACE / sizeof SYNTH_DEFAULT_SPACE[0],
    .create = synth_create,
    .evaluate = synth_evaluate,
    .destroy = synth_destroy,
    .instance_space = synth_instance_space,
    .check = synth_check,
};

BO_OBJECTIVE_EXPORT const bo_objective *bo_objective_entry(void)
{
    return &SYNTH_DESCRIPTOR;
}
