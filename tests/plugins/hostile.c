/*
 * hostile.c — a test objective that misbehaves on request, for the
 * runner's tests. The assignment's "mode" (a string) says how; "x" (a
 * float) is the loss when it behaves:
 *
 *   ok        loss x*x, cost_s 0.5, metric "twice" = 2x
 *   sleep     sleeps 0.4 s, then like ok
 *   report    reports steps 1..5 (value 10 - step) and stops when told
 *   fail      status FAILED with a message
 *   nan, inf  a non-finite loss
 *   segv      writes through a null pointer
 *   abort     abort()
 *   hang      never returns
 *   exit0     exit(0) in the middle of a trial
 *   garbage   prints binary junk and a fake frame on stdout and stderr,
 *             then like ok
 *   closefds  closes its stdout and stderr, then like ok
 *   child     forks a child that sleeps for a minute, then like ok; the
 *             child's pid goes to the file named by config "pid_file"
 *   huge      malloc(64 GiB); FAILED with a message when it fails
 *   hugetouch malloc(1 GiB) and writes to it without checking
 *   evalerr   evaluate() returns non-zero (the instance is unusable)
 *   stalehost reports through the host table kept from the previous
 *             stalehost trial (metric "stale_answer": its answer, -1 the
 *             first time), then loss x*x
 *   staleptr  the same through a pointer kept to the previous staleptr
 *             trial's host table
 *
 * Config: {"count_file": PATH} appends "create PID" per create() call;
 * {"fail_create": true} makes create() fail.
 * Misbehaving is its job; it still never installs signal handlers.
 */
#include "bo/objective.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct hostile {
    char pid_file[512];
} hostile;

static const char *const modes[] = {
    "ok", "sleep", "report", "fail", "nan", "inf", "segv", "abort", "hang",
    "exit0", "garbage", "closefds", "child", "huge", "hugetouch", "evalerr",
    "forkreturn", "stalehost", "staleptr"};

static const bo_param_spec space[] = {
    {.name = "mode", .type = BO_PARAM_CATEGORICAL, .choices = modes,
     .n_choices = sizeof modes / sizeof *modes},
    {.name = "x", .type = BO_PARAM_FLOAT, .low = -2, .high = 2},
};

static int h_create(const char *config_json, void **instance, char *err,
                    size_t errlen)
{
    cJSON *c = cJSON_Parse(config_json);
    hostile *h = calloc(1, sizeof *h);
    if (!h) {
        cJSON_Delete(c);
        return 1;
    }
    const cJSON *count = cJSON_GetObjectItemCaseSensitive(c, "count_file");
    if (cJSON_IsString(count)) {
        FILE *f = fopen(count->valuestring, "a");
        if (f) {
            fprintf(f, "create %ld\n", (long)getpid());
            fclose(f);
        }
    }
    const cJSON *pf = cJSON_GetObjectItemCaseSensitive(c, "pid_file");
    if (cJSON_IsString(pf))
        snprintf(h->pid_file, sizeof h->pid_file, "%s", pf->valuestring);
    int fail = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "fail_create"));
    cJSON_Delete(c);
    if (fail) {
        free(h);
        snprintf(err, errlen, "hostile: told to fail in create()");
        return 1;
    }
    *instance = h;
    return 0;
}

static void nap(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

static int h_evaluate(void *instance, const bo_value *a, size_t n,
                      const bo_host *host, bo_outcome *o)
{
    hostile *h = instance;
    const char *mode = "ok";
    double x = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(a[i].name, "mode") == 0 && a[i].type == BO_VALUE_STRING)
            mode = a[i].s;
        if (strcmp(a[i].name, "x") == 0 && a[i].type == BO_VALUE_DOUBLE)
            x = a[i].d;
    }
    if (strcmp(mode, "sleep") == 0) {
        nap(0.4);
    } else if (strcmp(mode, "stalehost") == 0) {
        /* a host table kept from an earlier trial (as a thread that
         * outlived its evaluate() would): its report must be dropped */
        static bo_host kept;
        static int have;
        o->n_metrics = 1;
        snprintf(o->metrics[0].name, sizeof o->metrics[0].name,
                 "stale_answer");
        o->metrics[0].value = have ? kept.report(kept.ctx, 99, 123) : -1;
        kept = *host;
        have = 1;
        o->loss = x * x;
        return 0;
    } else if (strcmp(mode, "staleptr") == 0) {
        /* the same through a kept pointer to the earlier table */
        static const bo_host *kept;
        o->n_metrics = 1;
        snprintf(o->metrics[0].name, sizeof o->metrics[0].name,
                 "stale_answer");
        o->metrics[0].value = kept ? kept->report(kept->ctx, 99, 123) : -1;
        kept = host;
        o->loss = x * x;
        return 0;
    } else if (strcmp(mode, "report") == 0) {
        for (int step = 1; step <= 5; step++) {
            o->loss = 10.0 - step;
            if (host->report(host->ctx, step, o->loss)) {
                o->status = BO_STATUS_STOPPED;
                return 0;
            }
        }
        return 0;
    } else if (strcmp(mode, "fail") == 0) {
        o->status = BO_STATUS_FAILED;
        snprintf(o->message, sizeof o->message, "hostile: x = %g rejected", x);
        return 0;
    } else if (strcmp(mode, "nan") == 0) {
        o->loss = NAN;
        return 0;
    } else if (strcmp(mode, "inf") == 0) {
        o->loss = INFINITY;
        return 0;
    } else if (strcmp(mode, "segv") == 0) {
        printf("about to crash\n");
        /* An address the compiler cannot prove null, so the write stays. */
        volatile int *volatile p = (int *)(uintptr_t)strtoul("0", NULL, 10);
        *p = 1;
    } else if (strcmp(mode, "abort") == 0) {
        abort();
    } else if (strcmp(mode, "hang") == 0) {
        for (;;)
            pause();
    } else if (strcmp(mode, "exit0") == 0) {
        exit(0);
    } else if (strcmp(mode, "garbage") == 0) {
        /* A length prefix and type byte like a frame's, then junk. */
        static const unsigned char junk[] = {9, 0, 0, 0, 18, 0xff, 0x00, 0x01,
                                             '{', '"', 'l', 'o', 's', 's', '\n'};
        fwrite(junk, 1, sizeof junk, stdout);
        printf("GARBAGE-ON-STDOUT \x01\x02\n");
        fprintf(stderr, "GARBAGE-ON-STDERR\n");
        fflush(stdout);
    } else if (strcmp(mode, "closefds") == 0) {
        close(1);
        close(2);
    } else if (strcmp(mode, "child") == 0) {
        pid_t c = fork();
        if (c == 0) {
            execlp("sleep", "sleep", "60", (char *)NULL);
            _exit(127);
        }
        FILE *f = h->pid_file[0] ? fopen(h->pid_file, "w") : NULL;
        if (f) {
            fprintf(f, "%ld\n", (long)c);
            fclose(f);
        }
    } else if (strcmp(mode, "huge") == 0) {
        size_t bytes = (size_t)64 << 30;
        void *p = malloc(bytes);
        if (!p) {
            o->status = BO_STATUS_FAILED;
            snprintf(o->message, sizeof o->message,
                     "hostile: cannot allocate 64 GiB: %s", strerror(errno));
            return 0;
        }
        free(p);
    } else if (strcmp(mode, "hugetouch") == 0) {
        size_t bytes = (size_t)1 << 30;
        char *volatile p = malloc(bytes);
        memset(p, 1, bytes);  /* no check: a crash when the limit bites */
        o->loss = p[bytes - 1];
        free(p);
        return 0;
    } else if (strcmp(mode, "forkreturn") == 0) {
        /* a forked child that returns from evaluate() with an answer of
         * its own instead of exiting (a failed-exec path that returns) */
        pid_t c = fork();
        if (c == 0) {
            o->loss = 123;
            return 0;
        }
        if (c > 0)
            waitpid(c, NULL, 0);
    } else if (strcmp(mode, "evalerr") == 0) {
        snprintf(o->message, sizeof o->message, "hostile: instance broken");
        return 1;
    }
    o->loss = x * x;
    o->cost_s = 0.5;
    o->n_metrics = 1;
    snprintf(o->metrics[0].name, sizeof o->metrics[0].name, "twice");
    o->metrics[0].value = 2 * x;
    return 0;
}

static void h_destroy(void *instance)
{
    free(instance);
}

static const bo_objective descriptor = {
    .abi_version = BO_OBJECTIVE_ABI_VERSION,
    .struct_size = sizeof(bo_objective),
    .name = "hostile",
    .description = "misbehaves on request (tests)",
    .space = space,
    .n_space = sizeof space / sizeof *space,
    .create = h_create,
    .evaluate = h_evaluate,
    .destroy = h_destroy,
};

BO_OBJECTIVE_EXPORT const bo_objective *bo_objective_entry(void)
{
    return &descriptor;
}
