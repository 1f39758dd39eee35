/*
 * test_export.c — `bo export` (CSV, JSON) and `bo show` of a small study
 * written by hand: a float, an int and a categorical parameter, two
 * metrics, a NaN loss, a trial still running, a message with a comma and
 * quotes, another with a line break, and values whose %.17g text is not
 * their shortest form (0.1). Every expected text below was worked out by
 * hand from the values stored, following the formats in export.h.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "export.h"
#include "storage.h"

static char dir[64];
static char path[128];

static void remove_dir(const char *d)
{
    DIR *dp = opendir(d);
    if (!dp)
        return;
    struct dirent *e;
    char p[512];
    while ((e = readdir(dp))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", d, e->d_name);
        unlink(p);
    }
    closedir(dp);
    rmdir(d);
}

typedef struct trial_in {
    int origin;
    uint64_t seed;
    double u[4];
    const char *params;
    double started_at;
    int n_reports;
    double reports[2];
    int state;             /* RUNNING: begun only */
    double loss, cost_s, wall_s, finished_at;
    const char *metrics;
    const char *message;
} trial_in;

static const trial_in trials_in[] = {
    {BO_ORIGIN_USER, 42, {0.25, 0.5, 1, 0},
     "{\"lr\":0.001,\"layers\":2,\"act\":\"relu\"}", 1700000000.5, 2,
     {0.5, 0.25}, BO_TRIAL_COMPLETE, 0.25, 1.5, 2.0, 1700000002.5,
     "{\"zeta\":1,\"accuracy\":0.875}", NULL},
    {BO_ORIGIN_STRATEGY, UINT64_MAX, {1, 1, 0, 1},
     "{\"lr\":0.10000000000000001,\"layers\":4,\"act\":\"tanh\"}",
     1700000003.0, 0, {0, 0}, BO_TRIAL_INVALID, NAN, NAN, 0.75,
     1700000003.75, NULL, "loss was NaN, \"bad\" run"},
    {BO_ORIGIN_STRATEGY, 3, {0.5, 0, 1, 0},
     "{\"lr\":0.0031622776601683794,\"layers\":1,\"act\":\"relu\"}",
     1700000004.0, 1, {NAN, 0}, BO_TRIAL_COMPLETE, 0.1, NAN, 1.25,
     1700000005.25, "{\"accuracy\":0.5}", "note:\nsecond line"},
    {BO_ORIGIN_STRATEGY, 4, {0.75, 0.625, 0, 1},
     "{\"lr\":0.5,\"layers\":3,\"act\":\"tanh\"}", 1700000006.0, 0, {0, 0},
     BO_TRIAL_RUNNING, NAN, NAN, NAN, NAN, NULL, NULL},
};
#define N_TRIALS (sizeof trials_in / sizeof trials_in[0])

static int write_study(const char *p, int with_meta)
{
    bo_storage *st;
    bo_error err;
    if (bo_storage_open(p, BO_STORAGE_CREATE, &st, &err) != 0) {
        fprintf(stderr, "%s\n", err.message);
        return -1;
    }
    int rc = 0;
    if (with_meta) {
        rc |= bo_storage_set_meta(st, "spec",
                                  "{\"name\": \"demo\",\n \"objective\": "
                                  "{\"plugin\": \"branin\"},\n \"seed\": "
                                  "18446744073709551615}",
                                  &err);
        rc |= bo_storage_set_meta(st, "spec_path", "/studies/demo.json",
                                  &err);
        rc |= bo_storage_set_meta(st, "version", "0.1.0", &err);
        rc |= bo_storage_set_meta(st, "seed", "18446744073709551615", &err);
        rc |= bo_storage_set_meta(st, "trials", "4", &err);
        rc |= bo_storage_set_meta(st, "param_names",
                                  "[\"lr\", \"layers\", \"act\"]", &err);
        rc |= bo_storage_set_meta(st, "dim", "4", &err);
        rc |= bo_storage_set_meta(st, "strategy_state", "{\"secret\":1}",
                                  &err);
    }
    for (size_t i = 0; rc == 0 && i < N_TRIALS; i++) {
        const trial_in *t = &trials_in[i];
        double u[4];
        memcpy(u, t->u, sizeof u);
        bo_trial_record rec = {
            .number = (int64_t)i, .state = BO_TRIAL_RUNNING,
            .origin = t->origin, .seed = t->seed, .u = u, .dim = 4,
            .params_json = (char *)t->params, .loss = NAN, .cost_s = NAN,
            .wall_s = NAN, .started_at = t->started_at, .finished_at = NAN,
        };
        rc |= bo_storage_trial_begin(st, &rec, &err);
        for (int k = 0; k < t->n_reports; k++)
            rc |= bo_storage_report(st, (int64_t)i, k, t->reports[k], &err);
        if (t->state == BO_TRIAL_RUNNING)
            continue;
        rec.state = t->state;
        rec.loss = t->loss;
        rec.cost_s = t->cost_s;
        rec.wall_s = t->wall_s;
        rec.finished_at = t->finished_at;
        rec.metrics_json = (char *)t->metrics;
        rec.message = (char *)t->message;
        rc |= bo_storage_trial_finish(st, &rec, &err);
    }
    if (rc)
        fprintf(stderr, "%s\n", err.message);
    bo_storage_close(st);
    return rc;
}

/* Runs fn into a memory stream and returns what it wrote (malloc'd). */
static char *capture(int (*fn)(const char *, int, FILE *, bo_error *),
                     const char *p, int arg, int *rc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    bo_error err = {0};
    *rc = fn(p, arg, f, &err);
    if (*rc)
        fprintf(stderr, "%s\n", err.message);
    fclose(f);
    return buf;
}

/* Prints the first line where got and want differ, to make a failure
 * readable. */
static void show_diff(const char *got, const char *want)
{
    if (!got || strcmp(got, want) == 0)
        return;
    size_t i = 0;
    while (got[i] && got[i] == want[i])
        i++;
    size_t start = i;
    while (start > 0 && got[start - 1] != '\n')
        start--;
    fprintf(stderr, "first difference at byte %zu, line starting:\n"
            "got:  %.160s\nwant: %.160s\n", i, got + start, want + start);
}

/* CSV: the fixed columns, parameters in param_names order (not the
 * alphabetical or JSON order), metric columns sorted by name, empty fields
 * for NaN and missing values, %.17g numbers (0.1 as 0.10000000000000001),
 * the full 64-bit seed, RFC 4180 quoting of a comma, doubled quotes and a
 * line break. */
static void test_csv_matches_hand_written(void)
{
    static const char want[] =
        "trial,state,loss,cost_s,lr,layers,act,metric.accuracy,metric.zeta,"
        "wall_s,started_at,finished_at,seed,message,origin\n"
        "0,complete,0.25,1.5,0.001,2,relu,0.875,1,2,1700000000.5,"
        "1700000002.5,42,,user\n"
        "1,invalid,,,0.10000000000000001,4,tanh,,,0.75,1700000003,"
        "1700000003.75,18446744073709551615,\"loss was NaN, \"\"bad\"\" run\","
        "strategy\n"
        "2,complete,0.10000000000000001,,0.0031622776601683794,1,relu,0.5,,"
        "1.25,1700000004,1700000005.25,3,\"note:\nsecond line\",strategy\n"
        "3,running,,,0.5,3,tanh,,,,1700000006,,4,,strategy\n";
    int rc;
    char *got = capture(bo_export_study, path, BO_EXPORT_CSV, &rc);
    CHECK(rc == 0);
    CHECK(got && strcmp(got, want) == 0);
    show_diff(got, want);
    free(got);
}

/* JSON: the study's settings (the spec minified but with its 64-bit seed
 * digit for digit; strategy_state left out), then one trial per line with
 * params and metrics exactly as stored, NaN as null, reports as [step,
 * value] pairs. */
static void test_json_matches_hand_written(void)
{
    static const char want[] =
        "{\"study\":{\"spec\":{\"name\":\"demo\",\"objective\":{\"plugin\":"
        "\"branin\"},\"seed\":18446744073709551615},\"spec_path\":"
        "\"/studies/demo.json\",\"version\":\"0.1.0\",\"seed\":"
        "18446744073709551615,\"trials\":4,\"param_names\":[\"lr\",\"layers\","
        "\"act\"],\"dim\":4},\n"
        "\"trials\":[\n"
        "{\"trial\":0,\"state\":\"complete\",\"origin\":\"user\",\"loss\":0.25,"
        "\"cost_s\":1.5,\"params\":{\"lr\":0.001,\"layers\":2,\"act\":\"relu\"},"
        "\"metrics\":{\"zeta\":1,\"accuracy\":0.875},\"reports\":[[0,0.5],[1,"
        "0.25]],\"wall_s\":2,\"started_at\":1700000000.5,\"finished_at\":"
        "1700000002.5,\"seed\":42,\"message\":null,\"u\":[0.25,0.5,1,0]},\n"
        "{\"trial\":1,\"state\":\"invalid\",\"origin\":\"strategy\",\"loss\":"
        "null,\"cost_s\":null,\"params\":{\"lr\":0.10000000000000001,"
        "\"layers\":4,\"act\":\"tanh\"},\"metrics\":{},\"reports\":[],"
        "\"wall_s\":0.75,\"started_at\":1700000003,\"finished_at\":"
        "1700000003.75,\"seed\":18446744073709551615,\"message\":\"loss was "
        "NaN, \\\"bad\\\" run\",\"u\":[1,1,0,1]},\n"
        "{\"trial\":2,\"state\":\"complete\",\"origin\":\"strategy\",\"loss\":"
        "0.10000000000000001,\"cost_s\":null,\"params\":{\"lr\":"
        "0.0031622776601683794,\"layers\":1,\"act\":\"relu\"},\"metrics\":{"
        "\"accuracy\":0.5},\"reports\":[[0,null]],\"wall_s\":1.25,"
        "\"started_at\":1700000004,\"finished_at\":1700000005.25,\"seed\":3,"
        "\"message\":\"note:\\nsecond line\",\"u\":[0.5,0,1,0]},\n"
        "{\"trial\":3,\"state\":\"running\",\"origin\":\"strategy\",\"loss\":"
        "null,\"cost_s\":null,\"params\":{\"lr\":0.5,\"layers\":3,\"act\":"
        "\"tanh\"},\"metrics\":{},\"reports\":[],\"wall_s\":null,"
        "\"started_at\":1700000006,\"finished_at\":null,\"seed\":4,"
        "\"message\":null,\"u\":[0.75,0.625,0,1]}\n"
        "]}\n";
    int rc;
    char *got = capture(bo_export_study, path, BO_EXPORT_JSON, &rc);
    CHECK(rc == 0);
    CHECK(got && strcmp(got, want) == 0);
    show_diff(got, want);
    free(got);
}

/* bo show: best complete trial (lowest loss: trial 2's 0.1 beats trial
 * 0's 0.25) with its exact loss and params, counts in state order (the
 * running trial of a study no process runs is called interrupted), and the
 * table: numeric columns right-aligned (header too), text left-aligned,
 * "-" for no value, 6 significant digits, messages on one line, no
 * trailing blanks. */
static void test_show_text_matches_hand_written(void)
{
    char want[2048];
    snprintf(want, sizeof want,
             "study   %s\n"
             "trials  4: 1 interrupted (bo resume runs it again), 2 complete, "
             "1 invalid\n"
             "best    trial 2: loss 0.10000000000000001 "
             "(lr=0.0031622776601683794, layers=1, act=relu)\n"
             "\n"
             "trial  state     loss  cost_s  wall_s          lr  layers  act "
             "  metric.accuracy  metric.zeta  message\n"
             "    0  complete  0.25     1.5       2       0.001       2  relu"
             "            0.875            1\n"
             "    1  invalid      -       -    0.75         0.1       4  tanh"
             "                -            -  loss was NaN, \"bad\" run\n"
             "    2  complete   0.1       -    1.25  0.00316228       1  relu"
             "              0.5            -  note: second line\n"
             "    3  running      -       -       -         0.5       3  tanh"
             "                -            -\n",
             path);
    int rc;
    char *got = capture(bo_show_study, path, 0, &rc);
    CHECK(rc == 0);
    CHECK(got && strcmp(got, want) == 0);
    show_diff(got, want);
    free(got);
}

/* bo show --json: the same facts, machine-readable. Checked through the
 * fields that differ from the export: counts (the running trial called
 * interrupted, as in the text) and best. */
static void test_show_json_best_and_counts(void)
{
    int rc;
    char *got = capture(bo_show_study, path, 1, &rc);
    CHECK(rc == 0);
    cJSON *root = got ? cJSON_Parse(got) : NULL;
    CHECK(root != NULL);
    const cJSON *counts = cJSON_GetObjectItem(root, "counts");
    CHECK(cJSON_GetObjectItem(counts, "complete") &&
          cJSON_GetObjectItem(counts, "complete")->valuedouble == 2);
    CHECK(cJSON_GetObjectItem(counts, "invalid") &&
          cJSON_GetObjectItem(counts, "invalid")->valuedouble == 1);
    CHECK(cJSON_GetObjectItem(counts, "failed") == NULL);
    /* as the text says: no process runs the study */
    CHECK(cJSON_GetObjectItem(counts, "interrupted") &&
          cJSON_GetObjectItem(counts, "interrupted")->valuedouble == 1);
    CHECK(cJSON_GetObjectItem(counts, "running") == NULL);
    const cJSON *best = cJSON_GetObjectItem(root, "best");
    CHECK(cJSON_GetObjectItem(best, "trial") &&
          cJSON_GetObjectItem(best, "trial")->valuedouble == 2);
    CHECK(cJSON_GetObjectItem(best, "loss") &&
          cJSON_GetObjectItem(best, "loss")->valuedouble == 0.1);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(root, "trials")) == 4);
    CHECK(cJSON_GetObjectItem(root, "n_trials") &&
          cJSON_GetObjectItem(root, "n_trials")->valuedouble == 4);
    CHECK_STR_CONTAINS(got, "\"lr\":0.0031622776601683794");
    cJSON_Delete(root);
    free(got);
}

/* A study without "param_names" (stopped before its space was stored)
 * still exports its parameters, in the order its trials' params list
 * them; one with no trials exports the header alone and shows "none". */
static void test_params_without_param_names(void)
{
    char p2[160];
    snprintf(p2, sizeof p2, "%s/nometa.db", dir);
    CHECK(write_study(p2, 0) == 0);
    int rc;
    char *got = capture(bo_export_study, p2, BO_EXPORT_CSV, &rc);
    CHECK(rc == 0);
    CHECK(got && strncmp(got, "trial,state,loss,cost_s,lr,layers,act,", 38)
                     == 0);
    free(got);

    char p3[160];
    snprintf(p3, sizeof p3, "%s/empty.db", dir);
    bo_storage *st;
    bo_error err;
    CHECK(bo_storage_open(p3, BO_STORAGE_CREATE, &st, &err) == 0);
    bo_storage_close(st);
    got = capture(bo_export_study, p3, BO_EXPORT_CSV, &rc);
    CHECK(rc == 0);
    CHECK(got && strcmp(got, "trial,state,loss,cost_s,wall_s,started_at,"
                             "finished_at,seed,message,origin\n") == 0);
    free(got);
    got = capture(bo_show_study, p3, 0, &rc);
    CHECK(rc == 0);
    CHECK_STR_CONTAINS(got, "best    none (no complete trial)\n");
    free(got);
}

/* Output that cannot be written (/dev/full: ENOSPC) is BO_EIO with one
 * line, not a silent success; a study that is not there is named. */
static void test_write_failure_and_missing_study(void)
{
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        bo_error err = {0};
        CHECK(bo_export_study(path, BO_EXPORT_CSV, full, &err) == BO_EIO);
        CHECK_STR_CONTAINS(err.message, "cannot write the output");
        CHECK(strchr(err.message, '\n') == NULL);
        fclose(full);
    }
    char missing[160];
    snprintf(missing, sizeof missing, "%s/missing.db", dir);
    bo_error err = {0};
    CHECK(bo_export_study(missing, BO_EXPORT_JSON, stdout, &err) ==
          BO_ENOTFOUND);
    CHECK_STR_CONTAINS(err.message, missing);
    CHECK(bo_show_study(missing, 0, stdout, &err) == BO_ENOTFOUND);
    CHECK(bo_export_study(path, 99, stdout, &err) == BO_EINVAL);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/bo-test-export-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(path, sizeof path, "%s/demo.db", dir);
    if (write_study(path, 1) != 0)
        return 1;
    test_csv_matches_hand_written();
    test_json_matches_hand_written();
    test_show_text_matches_hand_written();
    test_show_json_best_and_counts();
    test_params_without_param_names();
    test_write_failure_and_missing_study();
    remove_dir(dir);
    return check_summary();
}
