/*
 * by_config.c — a test objective that misbehaves as its config says, for
 * `bo plugin check`, which evaluates only the centre of the default space
 * and so cannot pick a misbehaviour through the assignment as hostile.c's
 * tests do. Config {"do": WHAT}:
 *
 *   ok           loss (x - 0.25)^2 + 1 (1.0625 at the centre x = 0.5)
 *   segv, abort, exit0, hang, nan, inf, fail   in evaluate(), as hostile.c
 *   create_segv, create_hang, create_fail      in create()
 *   bad_space    a default space whose low > high
 *   threads      reports from two threads of its own at once, then loss
 *                as ok
 *   ignore_stop  reports x + 1/k at steps 1..5 whatever report() says,
 *                then claims loss -100 with status OK
 *   echo         fails with a message listing each value's type and text
 *   destroy_segv like ok, then SIGSEGV in destroy()
 *   claim_stop   like ok, with status STOPPED though no stop was asked
 *   check_x      like ok; its check() refuses x > 0.9 and any other name
 *   check_hang   its check() never returns
 *   odd_metrics  like ok, with metrics "" = 1, "a" = 2, "a" = 3, "n" = NaN
 *   segv_then_create_segv  SIGSEGV in evaluate(), after leaving a marker
 *                (/tmp/by_config-crashed.PPID) that makes every later
 *                create() under the same coordinator crash
 *   escapes      like ok, with ESC sequences, a newline and a tab in its
 *                message and its metric's name
 *
 * Misbehaving is its job; it still never installs signal handlers.
 */
#include "bo/objective.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct by_config {
    char what[32];
} by_config;

static const bo_param_spec good_space[] = {
    {.name = "x", .type = BO_PARAM_FLOAT, .low = 0, .high = 1},
};
static const bo_param_spec bad_space[] = {
    {.name = "x", .type = BO_PARAM_FLOAT, .low = 1, .high = 0},
};

static void crash(void)
{
    /* An address the compiler cannot prove null, so the write stays. */
    volatile int *volatile p = (int *)(uintptr_t)strtoul("0", NULL, 10);
    *p = 1;
}

static int c_create(const char *config_json, void **instance, char *err,
                    size_t errlen)
{
    cJSON *c = cJSON_Parse(config_json);
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(c, "do");
    by_config *b = calloc(1, sizeof *b);
    if (!b) {
        cJSON_Delete(c);
        return 1;
    }
    snprintf(b->what, sizeof b->what, "%s",
             cJSON_IsString(w) ? w->valuestring : "ok");
    cJSON_Delete(c);
    /* once a trial of this study crashed (its marker, named by the
     * coordinator's pid, is there), every create() crashes */
    char mark[64];
    snprintf(mark, sizeof mark, "/tmp/by_config-crashed.%ld", (long)getppid());
    if (!strcmp(b->what, "create_segv") ||
        (!strcmp(b->what, "segv_then_create_segv") && access(mark, F_OK) == 0))
        crash();
    if (!strcmp(b->what, "create_hang"))
        for (;;)
            pause();
    if (!strcmp(b->what, "create_fail")) {
        free(b);
        snprintf(err, errlen, "by_config: told to fail in create()");
        return 1;
    }
    *instance = b;
    return 0;
}

static int c_space(void *instance, const bo_param_spec **space,
                   uint32_t *n_space, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    const by_config *b = instance;
    *space = strcmp(b->what, "bad_space") ? good_space : bad_space;
    *n_space = 1;
    return 0;
}

typedef struct reporter {
    const bo_host *host;
    int64_t first;
} reporter;

static void *report_many(void *arg)
{
    const reporter *r = arg;
    for (int64_t k = 0; k < 300; k++)
        r->host->report(r->host->ctx, r->first + k, 1.0);
    return NULL;
}

static void echo(const bo_value *a, size_t n, bo_outcome *o)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof o->message; i++)
        k += (size_t)snprintf(o->message + k, sizeof o->message - k,
                              "%s%s: type %d s=%s", i ? "; " : "", a[i].name,
                              (int)a[i].type, a[i].s ? a[i].s : "(null)");
    o->status = BO_STATUS_FAILED;
}

static int c_evaluate(void *instance, const bo_value *a, size_t n,
                      const bo_host *host, bo_outcome *o)
{
    const char *what = ((const by_config *)instance)->what;
    double x = 0;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(a[i].name, "x") && a[i].type == BO_VALUE_DOUBLE)
            x = a[i].d;
    if (!strcmp(what, "echo")) {
        echo(a, n, o);
        return 0;
    }
    if (!strcmp(what, "threads")) {
        pthread_t t[2];
        reporter r[2] = {{host, 0}, {host, 1000}};
        for (int i = 0; i < 2; i++)
            pthread_create(&t[i], NULL, report_many, &r[i]);
        for (int i = 0; i < 2; i++)
            pthread_join(t[i], NULL);
    }
    if (!strcmp(what, "ignore_stop")) {
        for (int k = 1; k <= 5; k++)
            host->report(host->ctx, k, x + 1.0 / k);
        o->loss = -100;
        return 0;
    }
    if (!strcmp(what, "segv_then_create_segv")) {
        char mark[64];
        snprintf(mark, sizeof mark, "/tmp/by_config-crashed.%ld",
                 (long)getppid());
        FILE *f = fopen(mark, "w");
        if (f)
            fclose(f);
        crash();
    }
    if (!strcmp(what, "segv"))
        crash();
    else if (!strcmp(what, "abort"))
        abort();
    else if (!strcmp(what, "exit0"))
        exit(0);
    else if (!strcmp(what, "hang"))
        for (;;)
            pause();
    o->loss = !strcmp(what, "nan") ? NAN
            : !strcmp(what, "inf") ? INFINITY
                                   : (x - 0.25) * (x - 0.25) + 1;
    if (!strcmp(what, "odd_metrics")) {
        static const char *const names[] = {"", "a", "a", "n"};
        const double vals[] = {1, 2, 3, NAN};
        o->n_metrics = 4;
        for (int i = 0; i < 4; i++) {
            snprintf(o->metrics[i].name, sizeof o->metrics[i].name, "%s",
                     names[i]);
            o->metrics[i].value = vals[i];
        }
    }
    if (!strcmp(what, "claim_stop"))
        o->status = BO_STATUS_STOPPED; /* unasked */
    if (!strcmp(what, "escapes")) {
        /* terminal escapes and a newline in what the host prints */
        snprintf(o->message, sizeof o->message, "plain\x1b[2J\x1b[31mred\nline");
        o->n_metrics = 1;
        snprintf(o->metrics[0].name, sizeof o->metrics[0].name, "m\x1b[1m\tx");
        o->metrics[0].value = 1;
    }
    if (!strcmp(what, "fail")) {
        o->status = BO_STATUS_FAILED;
        snprintf(o->message, sizeof o->message, "by_config: told to fail");
    }
    return 0;
}

static void c_destroy(void *instance)
{
    by_config *b = instance;
    if (b && !strcmp(b->what, "destroy_segv"))
        crash();
    free(instance);
}

/* "check_x": x above 0.9, or a name other than x, is refused up front. */
static int c_check(void *instance, const bo_value *a, size_t n, char *err,
                   size_t errlen)
{
    const by_config *b = instance;
    if (!strcmp(b->what, "check_hang"))
        for (;;)
            pause();
    if (strcmp(b->what, "check_x") != 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(a[i].name, "x") != 0) {
            snprintf(err, errlen, "%s: by_config knows only x", a[i].name);
            return 1;
        }
        if (a[i].type == BO_VALUE_DOUBLE && a[i].d > 0.9) {
            snprintf(err, errlen, "x: must be at most 0.9");
            return 1;
        }
    }
    return 0;
}

static const bo_objective descriptor = {
    .abi_version = BO_OBJECTIVE_ABI_VERSION,
    .struct_size = sizeof(bo_objective),
    .name = "by_config",
    .description = "misbehaves as its config says (tests)",
    .space = good_space,
    .n_space = 1,
    .create = c_create,
    .evaluate = c_evaluate,
    .destroy = c_destroy,
    .instance_space = c_space,
    .check = c_check,
};

BO_OBJECTIVE_EXPORT const bo_objective *bo_objective_entry(void)
{
    return &descriptor;
}
