/*
 * program.c — the `program` objective plugin: runs any program as an
 * objective (bo/DESIGN.md "Objectives as programs"). bo's study code uses it
 * for a spec's `"objective": {"command": [...]}`, with this config:
 *
 *   {"command": ["python3", "train.py"],  argv; argv[0] searched on PATH
 *                                          unless it contains '/'
 *    "dir": "/path/of/the/spec",           the program's working folder, so
 *                                          relative paths resolve from the
 *                                          spec's folder (optional)
 *    "grace_s": 5,                         SIGTERM to SIGKILL on early stop
 *    "config": {...}}                      the spec's objective.config,
 *                                          handed over as BO_CONFIG
 *
 * Per trial the program gets the assignment as one JSON object line on
 * stdin and BO_TRIAL, BO_SEED (decimal) and BO_CONFIG in its environment;
 * program_run.c runs it and program_json.c reads its answer. The instance
 * holds only the parsed config: a program starts afresh every trial.
 *
 * Must never print except the program's own output (copied to the trial
 * log), or exit; only the entry symbol is visible.
 */
#include "program.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_exact.h"

static void prog_config_free(prog_config *c)
{
    if (!c)
        return;
    for (size_t i = 0; c->argv && i < c->argc; i++)
        free(c->argv[i]);
    free(c->argv);
    free(c->dir);
    free(c->config_json);
    free(c);
}

static int config_error(char *err, size_t len, const char *msg)
{
    if (err && len)
        snprintf(err, len, "program: config: %s", msg);
    return 1;
}

static int prog_create(const char *config_json, void **instance, char *err,
                       size_t errlen)
{
    *instance = NULL;
    cJSON *j = cJSON_Parse(config_json ? config_json : "{}");
    if (!cJSON_IsObject(j)) {
        cJSON_Delete(j);
        return config_error(err, errlen, "not a JSON object");
    }
    prog_config *c = calloc(1, sizeof *c);
    const char *problem = c ? NULL : "out of memory";
    char unknown[160];
    if (c) {
        c->grace_s = 5;
        /* the worker's memory_mb (worker.c), for the program alone */
        const char *mb = getenv("BO_MEMORY_MB");
        c->memory_mb = mb ? strtoll(mb, NULL, 10) : 0;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, j)
    {
        if (problem)
            break;
        const char *key = item->string ? item->string : "";
        if (strcmp(key, "command") == 0) {
            int n = cJSON_GetArraySize(item);
            if (!cJSON_IsArray(item) || n < 1) {
                problem = "\"command\" must be a non-empty array of strings";
                break;
            }
            c->argv = calloc((size_t)n + 1, sizeof *c->argv);
            if (!c->argv) {
                problem = "out of memory";
                break;
            }
            const cJSON *a;
            cJSON_ArrayForEach(a, item)
            {
                if (!cJSON_IsString(a)) {
                    problem = "\"command\" must be a non-empty array of strings";
                    break;
                }
                if (!(c->argv[c->argc++] = strdup(a->valuestring))) {
                    problem = "out of memory";
                    break;
                }
            }
            if (!problem && !c->argv[0][0])
                problem = "\"command\"[0] is empty";
        } else if (strcmp(key, "dir") == 0) {
            if (!cJSON_IsString(item))
                problem = "\"dir\" must be a string";
            else if (item->valuestring[0] && !(c->dir = strdup(item->valuestring)))
                problem = "out of memory";
        } else if (strcmp(key, "grace_s") == 0) {
            if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble) ||
                item->valuedouble < 0 || item->valuedouble > 3600)
                problem = "\"grace_s\" must be a number of seconds in [0, 3600]";
            else
                c->grace_s = item->valuedouble;
        } else if (strcmp(key, "config") == 0) {
            free(c->config_json);
            if (!(c->config_json = bo_json_print_exact(item)))
                problem = "out of memory";
        } else {
            snprintf(unknown, sizeof unknown, "unknown key \"%.60s\" (known: "
                     "command, dir, grace_s, config)", key);
            problem = unknown;
        }
    }
    cJSON_Delete(j);
    if (!problem && !c->argv)
        problem = "\"command\" is required";
    if (!problem && !c->config_json && !(c->config_json = strdup("{}")))
        problem = "out of memory";
    /* A program that is not there fails every trial the same way: say so
     * once, before the study starts (each trial still looks again, for a
     * program replaced while the study runs). */
    char exe[PATH_MAX], why[PATH_MAX + 128];
    if (!problem && prog_find_executable(c, exe, sizeof exe, why, sizeof why))
        problem = why;
    if (problem) {
        prog_config_free(c);
        return config_error(err, errlen, problem);
    }
    *instance = c;
    return 0;
}

static int prog_evaluate(void *instance, const bo_value *assignment,
                         size_t n_assignment, const bo_host *host,
                         bo_outcome *outcome)
{
    const prog_config *c = instance;
    char *line = prog_assignment_json(assignment, n_assignment);
    if (!line) {
        outcome->status = BO_STATUS_FAILED;
        snprintf(outcome->message, sizeof outcome->message,
                 "program: cannot write the assignment as JSON");
        return 0;
    }
    char *config = prog_config_for(c->config_json, assignment, n_assignment);
    if (!config) {
        free(line);
        outcome->status = BO_STATUS_FAILED;
        snprintf(outcome->message, sizeof outcome->message,
                 "program: cannot write the config as JSON");
        return 0;
    }
    int rc = prog_run(c, line, config, host, outcome);
    free(line);
    free(config);
    return rc;
}

static void prog_destroy(void *instance)
{
    prog_config_free(instance);
}

static const bo_objective prog_descriptor = {
    .abi_version = BO_OBJECTIVE_ABI_VERSION,
    .struct_size = sizeof(bo_objective),
    .name = "program",
    .description = "runs a program per trial: the assignment as JSON on "
                   "stdin, reports and the result as lines on stdout",
    .space = NULL,
    .n_space = 0,
    .create = prog_create,
    .evaluate = prog_evaluate,
    .destroy = prog_destroy,
};

BO_OBJECTIVE_EXPORT const bo_objective *bo_objective_entry(void)
{
    return &prog_descriptor;
}
