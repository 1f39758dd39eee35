/*
 * cli_plugin.c — `bo plugin check PATH|NAME`: a plugin author's first test.
 *
 * Everything happens in a `bo worker` started through the runner, exactly
 * as in a study: the worker loads the plugin (the loader checks the ABI),
 * creates the instance with --config and describes the default space; then
 * one trial runs at the centre of that space (u = 0.5 in every unit
 * dimension, decoded: a categorical's tie goes to its first choice) under
 * a deadline. A crash, a hang or a bad answer ends the check with one line
 * and exit 1; the worker took the damage, this process did not.
 *
 * Must never: dlopen the plugin in this process (the coordinator never
 * loads a plugin), or leave its scratch folder or a worker behind on any
 * path that returns.
 */
#include "cli.h"
#include "aprintf.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "runner.h"
#include "runner_proc.h"
#include "utf8.h"

#define CHECK_TIMEOUT_S 60.0

static const char plugin_help[] =
    "usage: bo plugin check PATH|NAME [--config JSON] [--space JSON]\n"
    "                       [--timeout S]\n"
    "\n"
    "Loads an objective plugin in a worker process, checks its ABI version,\n"
    "prints its name and default space, evaluates it once at the centre of\n"
    "that space and reports the loss, the metrics and the time taken.\n"
    "NAME (no '/') is a stock objective from the objectives folder\n"
    "(BO_OBJECTIVES_DIR overrides it); PATH is a .so file, e.g. ./mine.so.\n"
    "--config JSON   handed to the plugin's create(), as objective.config\n"
    "                in a spec (default {})\n"
    "--space JSON    the space to evaluate the centre of, as a spec's\n"
    "                \"space\" list, or a spec file whose space to take\n"
    "                (for a plugin without a default space)\n"
    "--timeout S     for loading, describing and the trial (default 60)\n"
    "Exit status: 0 the plugin works, 1 it does not (one line says why),\n"
    "2 usage error.\n";

typedef struct check_args {
    const char *target;
    const char *config;
    char *config_owned;    /* config as a spec's is read: what create() gets */
    const char *space;   /* --space: replaces the default space */
    double timeout_s;
} check_args;

/* Returns 0, -1 after --help, or the exit status of a usage error. */
static int parse(int argc, char **argv, check_args *a)
{
    a->config = "{}";
    a->timeout_s = CHECK_TIMEOUT_S;
    int i = 0, m;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *v = NULL;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(plugin_help, stdout);
            return -1;
        }
        if ((m = bo_cli_option(argc, argv, &i, "config", &v)) != 0) {
            if (m < 0)
                return bo_cli_usage("plugin check", "--config wants a JSON object");
            a->config = v;
        } else if ((m = bo_cli_option(argc, argv, &i, "space", &v)) != 0) {
            if (m < 0)
                return bo_cli_usage("plugin check", "--space wants a JSON "
                                    "list of parameters");
            a->space = v;
        } else if ((m = bo_cli_option(argc, argv, &i, "timeout", &v)) != 0) {
            char *end = NULL;
            double t = m < 0 ? NAN : strtod(v, &end);
            if (m < 0 || !end || *end || !(t > 0) || t > 1e7)
                return bo_cli_usage("plugin check", "--timeout wants seconds > 0");
            a->timeout_s = t;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return bo_cli_usage("plugin check", "unknown option '%s'", argv[i]);
        } else if ((m = bo_cli_take_one("plugin check", &a->target, argv[i]))) {
            return m;
        }
    }
    for (i++; i < argc; i++) /* after "--" */
        if ((m = bo_cli_take_one("plugin check", &a->target, argv[i])))
            return m;
    if (!a->target)
        return bo_cli_usage("plugin check", "which plugin? give a PATH or a NAME");
    cJSON *c = cJSON_Parse(a->config);
    int is_object = cJSON_IsObject(c);
    cJSON_Delete(c);
    if (!is_object)
        return bo_cli_usage("plugin check", "--config: '%.80s' is not a JSON "
                            "object", a->config);
    /* read as a spec's objective.config is, so that the check and bo run
     * hand create() the same text (and refuse the same mistakes: a key
     * given twice, a control character) */
    char *text = bo_aprintf("{\"objective\": {\"plugin\": \"x\", "
                            "\"config\": %s}}", a->config);
    bo_spec *spec = NULL;
    bo_error err = {0};
    int rc = text ? bo_spec_parse(text, strlen(text), "--config", &spec, &err)
                  : BO_ENOMEM;
    free(text);
    if (rc) {
        const char *key = strstr(err.message, "objective.config");
        bo_spec_free(spec);
        return key ? bo_cli_usage("plugin check", "--config%s",
                                  key + strlen("objective.config"))
                   : bo_cli_usage("plugin check", "--config: %s",
                                  err.message);
    }
    a->config_owned = strdup(spec->config_json);
    bo_spec_free(spec);
    if (!a->config_owned)
        return bo_cli_usage("plugin check", "out of memory");
    a->config = a->config_owned;
    cJSON *sp = a->space ? cJSON_ParseWithOpts(a->space, NULL, 1) : NULL;
    int is_list = cJSON_IsArray(sp);
    cJSON_Delete(sp);
    if (a->space && !is_list && access(a->space, F_OK) != 0)
        return bo_cli_usage("plugin check", "--space: '%.80s' is neither a "
                            "JSON list of parameters nor a spec file",
                            a->space);
    return 0;
}

static const char *type_name(int32_t type)
{
    return type == BO_PARAM_FLOAT ? "float"
         : type == BO_PARAM_INT ? "int"
         : type == BO_PARAM_CATEGORICAL ? "categorical" : "?";
}

static void print_space(const bo_space *space)
{
    if (!space) {
        printf("space:  none declared (a spec must give one)\n");
        return;
    }
    size_t n = bo_space_n_params(space);
    printf("space:  %zu parameter%s (the default)\n", n, n == 1 ? "" : "s");
    for (size_t i = 0; i < n; i++) {
        const bo_param_spec *p = bo_space_param(space, i);
        printf("  %-16s %-11s ", p->name, type_name(p->type));
        if (p->type == BO_PARAM_CATEGORICAL) {
            fputs("{", stdout);
            for (uint32_t c = 0; c < p->n_choices; c++)
                printf("%s%s", c ? ", " : "", p->choices[c]);
            fputs("}\n", stdout);
        } else {
            printf("[%.10g, %.10g]%s\n", p->low, p->high, p->log ? " log" : "");
        }
    }
}

/* Text from the objective made safe for the terminal: an escape
 * sequence in a message or metric name would act on it. */
static char *printable(char *s)
{
    return bo_text_printable(s, '?');
}

static void print_values(const char *label, const bo_value *v, size_t n)
{
    printf("%s", label);
    if (n == 0)
        fputs(" (no parameters)", stdout);
    for (size_t i = 0; i < n; i++) {
        if (v[i].type == BO_VALUE_DOUBLE)
            printf(" %s=%.10g", v[i].name, v[i].d);
        else if (v[i].type == BO_VALUE_INT)
            printf(" %s=%" PRId64, v[i].name, v[i].i);
        else
            printf(" %s=%s", v[i].name, v[i].s);
    }
    fputc('\n', stdout);
}

/* The centre of the space as values (n 0 without a space). The values
 * point into the space. */
static int centre(const bo_space *space, bo_value **values, size_t *n,
                  bo_error *err)
{
    *values = NULL;
    *n = 0;
    if (!space)
        return BO_OK;
    double *u;
    int rc = bo_space_centre(space, &u, values, err);
    free(u);
    if (!rc)
        *n = bo_space_n_params(space);
    return rc;
}

/* The verdict on the one trial: 0 when it completed with a finite loss. */
static int report_result(const char *plugin, bo_trial_result *res,
                         int no_space, const char *close_crash)
{
    printable(res->message);
    for (uint32_t i = 0; i < res->n_metrics; i++)
        printable(res->metrics[i].name);
    if (res->state != BO_TRIAL_COMPLETE) {
        fprintf(stderr, "bo: %s: the trial at the centre %s: %s%s\n", plugin,
                res->state == BO_TRIAL_CRASHED ? "crashed"
                : res->state == BO_TRIAL_TIMEOUT ? "timed out"
                : res->state == BO_TRIAL_INVALID ? "gave no valid loss"
                                                 : "failed",
                res->message[0] ? res->message : "no message",
                no_space ? " (it has no default space and was evaluated with "
                           "no parameters: give one with --space)" : "");
        return 1;
    }
    printf("loss:   %.10g\n", res->loss);
    printf("time:   %.6f s", res->wall_s);
    if (isfinite(res->cost_s))
        printf(" (the objective's own cost_s: %.6g)", res->cost_s);
    fputc('\n', stdout);
    if (res->n_metrics) {
        printf("metrics:");
        for (uint32_t i = 0; i < res->n_metrics; i++)
            printf(" %s=%.10g", res->metrics[i].name, res->metrics[i].value);
        fputc('\n', stdout);
    }
    if (res->message[0])
        printf("message: %s\n", res->message);
    if (close_crash) {
        fprintf(stderr, "bo: %s: " BO_RUNNER_CLOSE_CRASH ": %s\n", plugin,
                close_crash);
        return 1;
    }
    printf("ok: %s works with this bo\n", plugin);
    return 0;
}

/* The runner's messages name the spec's key; here it is the option. */
static void name_the_option(char *msg)
{
    char *k = strstr(msg, "(timeout_s)");
    if (k)
        memcpy(k, "(--timeout)", 11);
}

/* What the plugin printed or logged (create() and the trial), the last
 * LOG_SHOW bytes of each file, indented, so that an author sees it
 * before the scratch folder goes. */
#define LOG_SHOW 2048
static void print_output(const char *dir)
{
    static const char *const files[] = {"describe.log", "trial-00000.log"};
    int shown = 0;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[PATH_MAX + 32], buf[LOG_SHOW + 1];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        long skip = 0;
        if (fseek(f, 0, SEEK_END) == 0) {
            long size = ftell(f);
            skip = size > LOG_SHOW ? size - LOG_SHOW : 0;
        }
        fseek(f, skip, SEEK_SET);
        size_t n = fread(buf, 1, LOG_SHOW, f);
        fclose(f);
        buf[n] = '\0';
        char *line = buf;
        if (skip) {  /* start at a whole line */
            char *nl = strchr(buf, '\n');
            line = nl ? nl + 1 : buf + n;
        }
        while (*line) {
            char *end = strchr(line, '\n');
            if (end)
                *end = '\0';
            if (!shown++)
                printf("output:%s\n", skip ? " (the end of it)" : "");
            printf("  | %s\n", printable(line));
            if (!end)
                break;
            line = end + 1;
        }
    }
}

/* A scratch folder for the worker's logs, emptied and removed at the end. */
static void scratch_remove(const char *dir)
{
    static const char *const files[] = {"describe.log", "trial-00000.log"};
    char path[PATH_MAX + 32];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* A --space: a spec's "space" list, parsed as the spec parses it inside a
 * spec made for it, or a spec file, whose space it is. */
static int given_space(const char *json, bo_spec **spec, bo_error *err)
{
    cJSON *list = cJSON_ParseWithOpts(json, NULL, 1);
    if (!cJSON_IsArray(list)) {
        cJSON_Delete(list);
        /* a spec file: its space */
        int rc = bo_spec_load(json, spec, err);
        if (!rc && !(*spec)->space) {
            bo_spec_free(*spec);
            *spec = NULL;
            rc = bo_error_set(err, BO_EINVAL, "--space %s: the spec gives no "
                              "space", json);
        }
        return rc;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON *obj = cJSON_AddObjectToObject(root, "objective");
    cJSON *cmd = obj ? cJSON_AddArrayToObject(obj, "command") : NULL;
    if (cmd)
        cJSON_AddItemToArray(cmd, cJSON_CreateString("-"));
    cJSON_AddItemToObject(root, "space", list);
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!text)
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    int rc = bo_spec_parse(text, strlen(text), "--space", spec, err);
    cJSON_free(text);
    return rc;
}

static int check(const check_args *a)
{
    bo_error err = {0};
    char plugin[PATH_MAX], exe[PATH_MAX];
    int rc = bo_path_resolve_plugin(a->target, NULL, plugin, sizeof plugin, &err);
    if (rc) {
        /* The resolver speaks of a spec's key; here it is the argument. */
        const char *key = "objective.plugin: ";
        if (!strncmp(err.message, key, strlen(key)))
            memmove(err.message, err.message + strlen(key),
                    strlen(err.message + strlen(key)) + 1);
        /* an argument that names nothing is a usage error */
        return bo_cli_fail(&err, rc == BO_ENOTFOUND ? BO_EINVAL : rc);
    }
    if ((rc = bo_path_self_exe(exe, sizeof exe, &err)) != 0)
        return bo_cli_fail(&err, BO_ERUNTIME);

    /* a reader that quits early (| head) must not kill us before the
     * scratch folder goes */
    signal(SIGPIPE, SIG_IGN);
    const char *tmp = getenv("TMPDIR");
    char scratch[PATH_MAX];
    snprintf(scratch, sizeof scratch, "%s/bo-plugin-check.XXXXXX",
             tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(scratch)) {
        fprintf(stderr, "bo: %s: cannot create a scratch folder\n", scratch);
        return 1;
    }
    bo_runner_options ro = {
        .bo_exe = exe,
        .plugin_path = plugin,
        .config_json = a->config,
        .workers = 1,
        .timeout_s = a->timeout_s,
        .log_dir = scratch,
        .threads_per_worker = bo_proc_cores(),
    };
    bo_runner *runner = NULL;
    bo_spec *spec = NULL;
    bo_space *space = NULL;
    bo_value *values = NULL;
    size_t n = 0;
    char name[BO_NAME_MAX] = "";
    int status = 1;
    rc = bo_runner_create(&ro, &runner, &err);
    if (!rc)
        rc = bo_runner_describe(runner, name, sizeof name, &space, &err);
    if (rc) {
        /* The loader's lines already name the path; others get it here. */
        if (!strstr(err.message, plugin))
            bo_error_prefix(&err, "%s", plugin);
        name_the_option(err.message);
        fprintf(stderr, "bo: %s\n", printable(err.message));
        goto out;
    }
    printf("plugin: %s\n", plugin);
    printf("abi:    version %u, as this bo expects\n", BO_OBJECTIVE_ABI_VERSION);
    printf("name:   %s\n", name);
    printf("config: %s\n", a->config);
    print_space(space);
    if (a->space) {
        bo_space_free(space);
        space = NULL;
        if ((rc = given_space(a->space, &spec, &err)) != 0) {
            fprintf(stderr, "bo: %s\n", err.message);
            status = 2;
            goto out;
        }
        printf("space:  --space's, %zu parameter%s\n",
               bo_space_n_params(spec->space),
               bo_space_n_params(spec->space) == 1 ? "" : "s");
    }
    const bo_space *at = a->space ? spec->space : space;
    /* the space put to its check(), as bo run does with a spec's */
    char refused[BO_MESSAGE_MAX + 160] = "";
    if (at && (rc = bo_runner_check_space(runner, at, refused,
                                          sizeof refused, &err)) != 0) {
        /* the runner's lines name the plugin already */
        name_the_option(err.message);
        fprintf(stderr, "bo: %s\n", printable(err.message));
        goto out;
    }
    if (refused[0]) {
        fprintf(stderr, "bo: %s: its check() refuses %s\n", plugin,
                printable(refused));
        goto out;
    }
    if ((rc = centre(at, &values, &n, &err)) != 0) {
        fprintf(stderr, "bo: %s: %s\n", plugin, printable(err.message));
        goto out;
    }
    print_values("centre:", values, n);
    fflush(stdout);
    bo_trial_result res;
    rc = bo_runner_submit(runner, 0, bo_trial_seed(0, 0), values, n, &err);
    if (!rc)
        rc = bo_runner_wait(runner, &res, &err);
    if (rc == BO_DONE)
        rc = bo_error_set(&err, BO_ERUNTIME, "the trial was lost");
    if (rc) {
        fprintf(stderr, "bo: %s: %s\n", plugin, printable(err.message));
        goto out;
    }
    name_the_option(res.message);
    bo_utf8_repair(res.message);
    /* closing is part of the check: destroy() runs then */
    char closing[128];
    int close_crash = bo_runner_close(runner, closing, sizeof closing);
    runner = NULL;
    /* what it printed helps most when the trial failed */
    print_output(scratch);
    status = report_result(plugin, &res, at == NULL,
                           close_crash ? closing : NULL);
out:
    bo_spec_free(spec);
    fflush(stdout);
    bo_runner_free(runner);
    free(values);
    bo_space_free(space);
    scratch_remove(scratch);
    return status;
}

int bo_cli_plugin(int argc, char **argv)
{
    if (argc < 1)
        return bo_cli_usage("plugin", "no subcommand given (try: check)");
    if (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
        fputs(plugin_help, stdout);
        return 0;
    }
    if (strcmp(argv[0], "check") != 0)
        return bo_cli_usage("plugin", "unknown subcommand '%s' (try: check)",
                            argv[0]);
    check_args a = {0};
    int rc = parse(argc - 1, argv + 1, &a);
    if (!rc)
        rc = check(&a);
    else if (rc < 0)
        rc = 0;
    free(a.config_owned);
    return rc;
}
