/*
 * test_spec.c — the study spec parser (bo/spec*.c) against bo/DESIGN.md
 * "The study spec" and the comments of bo_spec in bo.h: every key of a
 * full spec read back field by field, the defaults of a minimal one, and
 * one refusal per kind of mistake, each checked for its code, the file,
 * the key's path and the words that say what is wrong.
 *
 * Reference values are worked out by hand from the spec texts below and
 * the mapping documented in bo.h (e.g. an int in [1, 4] at 2 encodes to
 * the centre of bin 1 of 4: 1.5 / 4 = 0.375).
 */
#include "check.h"

#include "bo/bo.h"
#include "spec_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------- allocation failure (OOM) */

/* Out of memory at the Nth allocation, SQLite-style: malloc and friends
 * are replaced (glibc allows it; its own strdup goes through them too) by
 * wrappers that fail on request and count live blocks. AddressSanitizer
 * owns malloc in the sanitizer build, so there the test is left out. */
#if !defined(__SANITIZE_ADDRESS__)
#define BO_TEST_OOM 1
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static long oom_countdown = -1; /* allocations left before failing; -1 off */
static long oom_live;           /* blocks allocated and not freed */

static int oom_fail(void)
{
    if (oom_countdown < 0)
        return 0;
    return oom_countdown-- == 0;
}

void *malloc(size_t n)
{
    if (oom_fail())
        return NULL;
    void *p = __libc_malloc(n);
    oom_live += p != NULL;
    return p;
}

void *calloc(size_t k, size_t n)
{
    if (oom_fail())
        return NULL;
    void *p = __libc_calloc(k, n);
    oom_live += p != NULL;
    return p;
}

void *realloc(void *old, size_t n)
{
    if (oom_fail())
        return NULL;
    void *p = __libc_realloc(old, n);
    oom_live += !old && p;
    return p;
}

void free(void *p)
{
    oom_live -= p != NULL;
    __libc_free(p);
}
#endif

static bo_spec *parse_ok(const char *json)
{
    bo_spec *s = NULL;
    bo_error err = {0, ""};
    int rc = bo_spec_parse(json, strlen(json), NULL, &s, &err);
    if (rc != BO_OK)
        fprintf(stderr, "unexpected error: %s\n", err.message);
    CHECK(rc == BO_OK);
    return s;
}

/* A refusal: BO_EINVAL, no spec, one line starting with the file name
 * and containing each of the given words. */
typedef struct bad_case {
    const char *json;
    const char *want[3];
} bad_case;

static void check_refused(const bad_case *bc)
{
    bo_spec *s = (bo_spec *)1;
    bo_error err = {0, ""};
    int rc = bo_spec_parse(bc->json, strlen(bc->json), "cfg/study.json", &s,
                           &err);
    if (rc != BO_EINVAL)
        fprintf(stderr, "accepted or wrong code %d for: %s\n", rc, bc->json);
    CHECK(rc == BO_EINVAL);
    CHECK(s == NULL);
    CHECK(err.code == BO_EINVAL);
    CHECK(strncmp(err.message, "cfg/study.json: ", 16) == 0);
    CHECK(strchr(err.message, '\n') == NULL);
    if (getenv("SHOW")) puts(err.message);
    for (int i = 0; i < 3 && bc->want[i]; i++)
        CHECK_STR_CONTAINS(err.message, bc->want[i]);
}

static void check_all_refused(const bad_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++)
        check_refused(&cases[i]);
}

#define MIN_OBJ "\"objective\": {\"plugin\": \"synthetic\"}"

/* ------------------------------------------------------------ accepted */

/* bo/DESIGN.md's example spec, every key given: each field as written. */
static void test_full_spec_read_field_by_field(void)
{
    const char *json =
        "{\n"
        "  \"name\": \"mlp-fashion\",\n"
        "  \"objective\": {\"plugin\": \"nn_trainer\", \"config\": {\"epochs\": 3}},\n"
        "  \"space\": [\n"
        "    {\"name\": \"lr\", \"type\": \"float\", \"low\": 1e-4, \"high\": 0.3, \"log\": true},\n"
        "    {\"name\": \"layers\", \"type\": \"int\", \"low\": 1, \"high\": 4},\n"
        "    {\"name\": \"act\", \"type\": \"categorical\", \"choices\": [\"relu\", \"tanh\"]}\n"
        "  ],\n"
        "  \"strategy\": {\"name\": \"bo\", \"initial\": 10, \"acquisition\": \"eips\"},\n"
        "  \"enqueue\": [{\"lr\": 0.001, \"layers\": 2, \"act\": \"relu\"}],\n"
        "  \"trials\": 40,\n"
        "  \"seed\": 1,\n"
        "  \"timeout_s\": 600.5,\n"
        "  \"workers\": 3,\n"
        "  \"memory_mb\": 4096,\n"
        "  \"max_failures\": 7\n"
        "}\n";
    bo_spec *s = NULL;
    bo_error err;
    CHECK(bo_spec_parse(json, strlen(json), "runs/a/mlp.json", &s, &err) == BO_OK);
    if (!s)
        return;
    CHECK(strcmp(s->name, "mlp-fashion") == 0);
    CHECK(strcmp(s->path, "runs/a/mlp.json") == 0);
    CHECK(strcmp(s->dir, "runs/a") == 0);
    CHECK(strcmp(s->json, json) == 0);
    CHECK(strcmp(s->plugin, "nn_trainer") == 0);
    CHECK(s->command == NULL && s->n_command == 0);
    CHECK(strcmp(s->config_json, "{\"epochs\":3}") == 0);
    CHECK(strcmp(s->strategy, "bo") == 0);
    CHECK(s->initial == 10);
    CHECK(strcmp(s->acquisition, "eips") == 0);
    CHECK(s->levels == -1);
    CHECK(s->n_enqueue == 1);
    CHECK(s->trials == 40);
    CHECK(s->seed == 1);
    CHECK(s->timeout_s == 600.5);
    CHECK(s->workers == 3);
    CHECK(s->memory_mb == 4096);
    CHECK(s->max_failures == 7);

    CHECK(bo_space_n_params(s->space) == 3);
    CHECK(bo_space_dim(s->space) == 4); /* lr, layers, 2 one-hot */
    const bo_param_spec *lr = bo_space_param(s->space, 0);
    CHECK(strcmp(lr->name, "lr") == 0 && lr->type == BO_PARAM_FLOAT);
    CHECK(lr->low == 1e-4 && lr->high == 0.3 && lr->log);
    const bo_param_spec *layers = bo_space_param(s->space, 1);
    CHECK(strcmp(layers->name, "layers") == 0 && layers->type == BO_PARAM_INT);
    CHECK(layers->low == 1 && layers->high == 4 && !layers->log);
    const bo_param_spec *act = bo_space_param(s->space, 2);
    CHECK(act->type == BO_PARAM_CATEGORICAL && act->n_choices == 2);
    CHECK(strcmp(act->choices[0], "relu") == 0);
    CHECK(strcmp(act->choices[1], "tanh") == 0);
    bo_spec_free(s);
}

/* Only the objective given: the defaults of bo.h's bo_spec comments. */
static void test_minimal_spec_gets_defaults(void)
{
    bo_spec *s = parse_ok("{" MIN_OBJ "}");
    if (!s)
        return;
    CHECK(strcmp(s->name, "study") == 0); /* no path: no file name */
    CHECK(strcmp(s->path, "<memory>") == 0);
    CHECK(strcmp(s->dir, ".") == 0);
    CHECK(strcmp(s->plugin, "synthetic") == 0);
    CHECK(strcmp(s->config_json, "{}") == 0);
    CHECK(s->space == NULL);
    CHECK(strcmp(s->strategy, "bo") == 0);
    CHECK(strcmp(s->acquisition, "ei") == 0);
    CHECK(s->initial == -1);
    CHECK(s->levels == -1);
    CHECK(s->n_enqueue == 0);
    CHECK(s->trials == 50);
    CHECK(s->seed == 0);
    CHECK(s->timeout_s == 0);
    CHECK(s->workers == 1);
    CHECK(s->memory_mb == 0);
    CHECK(s->max_failures == 20);
    CHECK(s->stop_min_trials == 0); /* no early stopping */
    bo_spec_free(s);
}

/* early_stopping: the rule's name alone takes the documented defaults
 * (min_trials 5, min_step 0); the object form sets both. */
static void test_early_stopping(void)
{
    bo_spec *s = parse_ok("{" MIN_OBJ ", \"early_stopping\": \"median\"}");
    if (s) {
        CHECK(s->stop_min_trials == 5);
        CHECK(s->stop_min_step == 0);
        bo_spec_free(s);
    }
    s = parse_ok("{" MIN_OBJ ", \"early_stopping\": {\"rule\": \"median\", "
                 "\"min_trials\": 2, \"min_step\": -3}}");
    if (s) {
        CHECK(s->stop_min_trials == 2);
        CHECK(s->stop_min_step == -3);
        bo_spec_free(s);
    }
    static const bad_case cases[] = {
        {"{" MIN_OBJ ", \"early_stopping\": \"hyperband\"}", {"early_stopping: unknown rule 'hyperband' (known: median)"}},
        {"{" MIN_OBJ ", \"early_stopping\": true}", {"early_stopping: must be a rule name or an object"}},
        {"{" MIN_OBJ ", \"early_stopping\": {\"min_step\": 1}}", {"early_stopping.rule: is required"}},
        {"{" MIN_OBJ ", \"early_stopping\": {\"rule\": \"median\", \"patience\": 1}}", {"early_stopping.patience: unknown key"}},
        {"{" MIN_OBJ ", \"early_stopping\": {\"rule\": \"median\", \"min_trials\": 0}}", {"early_stopping.min_trials: must be between 1"}},
        {"{" MIN_OBJ ", \"early_stopping\": {\"rule\": 5}}", {"early_stopping.rule: must be a string"}},
    };
    check_all_refused(cases, sizeof cases / sizeof cases[0]);
}

/* The name defaults to the file's base name without ".json"; the folder
 * is what dirname(3) would say. */
static void test_name_and_dir_from_path(void)
{
    static const struct {
        const char *path, *name, *dir;
    } cases[] = {
        {"a/b/tune-lr.json", "tune-lr", "a/b"},
        {"tune.json", "tune", "."},
        {"/abs.json", "abs", "/"},
        {"dir//plain", "plain", "dir"},
        {"x/.json", "study", "x"},
        {"v2.json.json", "v2.json", "."},
    };
    const char *json = "{" MIN_OBJ "}";
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bo_spec *s = NULL;
        bo_error err;
        CHECK(bo_spec_parse(json, strlen(json), cases[i].path, &s, &err) == BO_OK);
        if (!s)
            continue;
        CHECK_STR_CONTAINS(s->name, cases[i].name);
        CHECK(strcmp(s->name, cases[i].name) == 0);
        CHECK(strcmp(s->dir, cases[i].dir) == 0);
        CHECK(strcmp(s->path, cases[i].path) == 0);
        bo_spec_free(s);
    }
}

/* objective.command: argv as written, NULL-terminated; config compact. */
static void test_command_objective(void)
{
    bo_spec *s = parse_ok("{\"objective\": {\"command\": [\"python3\", "
                          "\"train.py\", \"--fast\"], \"config\": {\"a\": "
                          "[1, 2.5, {\"b\": null}], \"c\": \"x\"}}}");
    if (!s)
        return;
    CHECK(s->plugin == NULL);
    CHECK(s->n_command == 3);
    CHECK(strcmp(s->command[0], "python3") == 0);
    CHECK(strcmp(s->command[2], "--fast") == 0);
    CHECK(s->command[3] == NULL);
    CHECK(strcmp(s->config_json, "{\"a\":[1,2.5,{\"b\":null}],\"c\":\"x\"}") == 0);
    bo_spec_free(s);
    /* an argument may be empty, or a script over several lines */
    s = parse_ok("{\"objective\": {\"command\": [\"python3\", \"-c\", "
                 "\"import sys\\nprint(1)\", \"\"]}}");
    if (!s)
        return;
    CHECK(s->n_command == 4);
    CHECK(strcmp(s->command[2], "import sys\nprint(1)") == 0);
    CHECK(strcmp(s->command[3], "") == 0);
    bo_spec_free(s);
}

/* strategy as a plain name. */
static void test_strategy_as_string(void)
{
    bo_spec *s = parse_ok("{" MIN_OBJ ", \"strategy\": \"sobol\"}");
    if (!s)
        return;
    CHECK(strcmp(s->strategy, "sobol") == 0);
    CHECK(strcmp(s->acquisition, "ei") == 0);
    bo_spec_free(s);
}

/* Numeric choices become their shortest exact text: 32 -> "32",
 * 0.5 -> "0.5", 1e-7 -> "1e-07" (printf's %g form), -0 -> "0". */
static void test_numeric_choices_as_text(void)
{
    bo_spec *s = parse_ok("{" MIN_OBJ ", \"space\": [{\"name\": \"c\", "
                          "\"type\": \"categorical\", \"choices\": [32, 0.5, "
                          "\"relu\", 1e-7, -0, 0.1]}]}");
    if (!s)
        return;
    const bo_param_spec *p = bo_space_param(s->space, 0);
    CHECK(p->n_choices == 6);
    CHECK(strcmp(p->choices[0], "32") == 0);
    CHECK(strcmp(p->choices[1], "0.5") == 0);
    CHECK(strcmp(p->choices[2], "relu") == 0);
    CHECK(strcmp(p->choices[3], "1e-07") == 0);
    CHECK(strcmp(p->choices[4], "0") == 0);
    CHECK(strcmp(p->choices[5], "0.1") == 0);
    bo_spec_free(s);
}

/* The text is kept byte for byte, a UTF-8 byte order mark included (and
 * skipped when parsing). */
static void test_json_kept_as_given(void)
{
    const char *json = "\xEF\xBB\xBF  {" MIN_OBJ ",\n\t\"trials\": 3 }  \n";
    bo_spec *s = parse_ok(json);
    if (!s)
        return;
    CHECK(strcmp(s->json, json) == 0);
    CHECK(s->trials == 3);
    bo_spec_free(s);
}

/* objective.config reaches the objective with every number's double
 * intact: 3.0000000000000004 is 3 + 2^-51 (cJSON's own printer wrote 3),
 * 2^53 + 2 whole (cJSON wrote 9.00719925474099e+15), a subnormal and 0.1
 * in their shortest forms. */
static void test_config_numbers_kept(void)
{
    bo_spec *s = parse_ok("{\"objective\": {\"plugin\": \"p\", \"config\": "
                          "{\"q\": 3.0000000000000004, \"big\": "
                          "9007199254740994, \"a\": [0.1, {\"f\": 1e-320}], "
                          "\"n\": 7}}}");
    if (!s)
        return;
    CHECK(strcmp(s->config_json, "{\"q\":3.0000000000000004,\"big\":"
                 "9007199254740994,\"a\":[0.1,{\"f\":1e-320}],\"n\":7}") == 0);
    bo_spec_free(s);
}

/* Enqueued values encode through the spec's space (bo.h mapping):
 * lr = 0.25 in linear [0, 1] -> 0.25; layers = 2 in [1, 4] -> bin 1 of 4,
 * centre 0.375; act = "tanh" -> one-hot (0, 1). */
static void test_enqueued_encodes_with_own_space(void)
{
    bo_spec *s = parse_ok(
        "{" MIN_OBJ ", \"space\": ["
        "{\"name\": \"lr\", \"type\": \"float\", \"low\": 0, \"high\": 1},"
        "{\"name\": \"layers\", \"type\": \"int\", \"low\": 1, \"high\": 4},"
        "{\"name\": \"act\", \"type\": \"categorical\", \"choices\": [\"relu\", \"tanh\"]}],"
        "\"enqueue\": [{\"act\": \"tanh\", \"layers\": 2, \"lr\": 0.25},"
        "{\"lr\": 1, \"layers\": 4, \"act\": \"relu\"}]}");
    if (!s)
        return;
    CHECK(s->n_enqueue == 2);
    double u[4];
    bo_error err;
    CHECK(bo_spec_enqueued(s, s->space, 0, u, &err) == BO_OK);
    CHECK_NEAR(u[0], 0.25, 0);
    CHECK_NEAR(u[1], 0.375, 1e-15);
    CHECK(u[2] == 0.0 && u[3] == 1.0);
    CHECK(bo_spec_enqueued(s, s->space, 1, u, &err) == BO_OK);
    CHECK_NEAR(u[0], 1.0, 0);
    CHECK_NEAR(u[1], 0.875, 1e-15);
    CHECK(bo_spec_enqueued(s, s->space, 2, u, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "enqueue[2]");
    bo_spec_free(s);
}

/* Without a space of its own, entries are checked only later, against
 * the objective's default space: parse succeeds, bo_spec_enqueued names
 * the entry and the parameter. */
static void test_enqueued_against_default_space(void)
{
    bo_spec *s = parse_ok("{" MIN_OBJ ", \"enqueue\": ["
                          "{\"x\": 0.5, \"k\": \"b\"},"
                          "{\"x\": 7, \"k\": \"b\"},"
                          "{\"x\": 0.5, \"k\": \"z\"},"
                          "{\"x\": 0.5},"
                          "{\"x\": 0.5, \"k\": \"b\", \"y\": 1},"
                          "{\"x\": \"high\", \"k\": \"b\"}]}");
    if (!s)
        return;
    CHECK(s->n_enqueue == 6);
    static const char *const kc[] = {"a", "b"};
    bo_param_spec ps[2] = {
        {.name = "x", .type = BO_PARAM_FLOAT, .low = 0, .high = 2},
        {.name = "k", .type = BO_PARAM_CATEGORICAL, .choices = kc, .n_choices = 2},
    };
    bo_space *sp = NULL;
    bo_error err;
    CHECK(bo_space_create(ps, 2, &sp, &err) == BO_OK);
    double u[3];
    CHECK(bo_spec_enqueued(s, sp, 0, u, &err) == BO_OK);
    CHECK_NEAR(u[0], 0.25, 0);
    CHECK(u[1] == 0.0 && u[2] == 1.0);
    static const char *const want[][2] = {
        {NULL, NULL},
        {"<memory>: enqueue[1].x: ", "outside"},     /* out of range */
        {"<memory>: enqueue[2].k: ", "unknown choice 'z'"},
        {"<memory>: enqueue[3].k: ", "missing"},
        {"<memory>: enqueue[4].y: ", "unknown parameter"},
        {"<memory>: enqueue[5].x: ", "expected a number"}, /* wrong type */
    };
    for (size_t i = 1; i < 6; i++) {
        CHECK(bo_spec_enqueued(s, sp, i, u, &err) == BO_EINVAL);
        CHECK_STR_CONTAINS(err.message, want[i][0]);
        CHECK_STR_CONTAINS(err.message, want[i][1]);
    }
    bo_space_free(sp);
    bo_spec_free(s);
}

/* ------------------------------------------------------------- refused */

static void test_refuses_json_mistakes(void)
{
    static const bad_case cases[] = {
        /* The comma on line 3 is column 11 (bytes counted by hand). */
        {"{\n  \"trials\": 5,\n  \"seed\": ,\n}", {"line 3, column 11", "malformed JSON"}},
        {"{\"trials\": 5", {"line 1, column", "malformed JSON"}},
        {"{\"a\": 1} trailing", {"line 1, column 10", "malformed JSON", "trailing"}},
        {"{\"a\": NaN}", {"line 1, column 7", "malformed JSON"}},
        {"", {"empty"}},
        {"  \n\t ", {"empty"}},
        {"[1, 2]", {"must be a JSON object", "an array"}},
        {"42", {"must be a JSON object", "a number"}},
        {"{\"name\": \"a\\u0000b\"}", {"\\u0000"}},
        /* Latin-1 e-acute at byte 14: JSON text must be UTF-8. */
        {"{\"name\": \"caf\xe9\"}", {"line 1, column 14", "not UTF-8"}},
    };
    check_all_refused(cases, sizeof cases / sizeof cases[0]);
    /* A NUL byte inside the text (not an escape): line 1, column 4. */
    bo_spec *s = NULL;
    bo_error err;
    CHECK(bo_spec_parse("{\"a\0\": 1}", 9, NULL, &s, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "line 1, column 4: a NUL byte");
    /* Valid JSON nested past cJSON's limit: said so, not "malformed";
     * brackets inside a string do not count; one level less parses. */
    for (int depth = 1000; depth <= 1001; depth++) {
        char deep[2200 + 64];
        int n = snprintf(deep, sizeof deep, "{\"objective\": {\"plugin\": "
                         "\"synthetic\", \"config\": {\"s\": \"[[[\", \"x\": ");
        for (int k = 0; k < depth - 3; k++)
            deep[n++] = '[';
        for (int k = 0; k < depth - 3; k++)
            deep[n++] = ']';
        snprintf(deep + n, sizeof deep - (size_t)n, "}}}");
        s = NULL;
        int rc = bo_spec_parse(deep, strlen(deep), NULL, &s, &err);
        if (depth == 1000) {
            CHECK(rc == BO_OK);
        } else {
            CHECK(rc == BO_EINVAL);
            CHECK_STR_CONTAINS(err.message, "nested more than 1000 levels deep");
        }
        bo_spec_free(s);
    }
}

static void test_refuses_unknown_keys(void)
{
    static const bad_case cases[] = {
        {"{" MIN_OBJ ", \"trails\": 5}", {": trails: unknown key", "trials"}},
        {"{" MIN_OBJ ", \"Trials\": 5}", {": Trials: unknown key"}}, /* case matters */
        {"{\"objective\": {\"plugin\": \"p\", \"confg\": {}}}", {"objective.confg: unknown key"}},
        {"{" MIN_OBJ ", \"strategy\": {\"name\": \"bo\", \"init\": 3}}", {"strategy.init: unknown key"}},
        {"{" MIN_OBJ ", \"space\": [{\"name\": \"x\", \"type\": \"float\", \"low\": 0, \"high\": 1, \"step\": 1}]}",
         {"space[0].step: unknown key"}},
        {"{" MIN_OBJ ", \"tri\\nals\": 5}", {"tri?als: unknown key"}}, /* stays one line */
    };
    check_all_refused(cases, sizeof cases / sizeof cases[0]);
}

static void test_refuses_repeated_keys(void)
{
    static const bad_case cases[] = {
        {"{" MIN_OBJ ", \"trials\": 5, \"trials\": 6}", {"trials: given more than once"}},
        {"{\"objective\": {\"plugin\": \"p\", \"config\": {\"a\": 1, \"a\": 2}}}",
         {"objective.config.a: given more than once"}},
        {"{" MIN_OBJ ", \"enqueue\": [{\"x\": 1, \"x\": 2}]}", {"enqueue[0].x: given more than once"}},
    };
    check_all_refused(cases, sizeof cases / sizeof cases[0]);
}

static void test_refuses_objective_mistakes(void)
{
    static const bad_case cases[] = {
        {"{\"trials\": 5}", {": objective: missing"}},
        {"{\"objective\": \"synthetic\"}", {"objective: must be an object", "a string"}},
        {"{\"objective\": {}}", {"objective: needs plugin", "command"}},
        {"{\"objective\": {\"plugin\": \"p\", \"command\": [\"x\"]}}", {"objective: ", "not both"}},
        {"{\"objective\": {\"plugin\": \"\"}}", {"objective.plugin: must not be empty"}},
        {"{\"objective\": {\"plugin\": 3}}", {"objective.plugin: must be a string", "a number"}},
        {"{\"objective\": {\"command\": []}}", {"objective.command: must not be empty"}},
        {"{\"objective\": {\"command\": \"python3 x.py\"}}", {"objective.command: must be an array"}},
        {"{\"objective\": {\"command\": [\"\", \"x\"]}}", {"objective.command[0]: must not be empty"}},
        {"{\"objective\": {\"command\": [\"python3\", 2]}}", {"objective.command[1]: must be a string"}},
        {"{\"objective\": {\"command\": [1]}}", {"objective.command[0]: must be a string"}},
        {"{\"objective\": {\"plugin\": \"p\", \"config\": [1]}}", {"objective.config: must be an object", "an array"}},
        {"{\"objective\": {\"plugin\": \"p\", \"config\": {\"a\": [1, 1e999]}}}", {"objective.config.a[1]: ", "finite"}},
    };
    check_all_refused(cases, sizeof cases / sizeof cases[0]);
}

#define SP(body) "{" MIN_OBJ ", \"space\": [" body "]}"
#define P_X "{\"name\": \"x\", \"type\": \"float\", \"low\": 0, \"high\": 1}"

static void test_refuses_space_mistakes(void)
{
    static const bad_case cases[] = {
        {"{" MIN_OBJ ", \"space\": []}", {"space: must not be empty"}},
        {"{" MIN_OBJ ", \"space\": {}}", {"space: must be an array", "an object"}},
        {SP("3"), {"space[0]: must be an object", "a number"}},
        {SP("{\"type\": \"float\", \"low\": 0, \"high\": 1}"), {"space[0].name: missing"}},
        {SP("{\"name\": \"\", \"type\": \"float\", \"low\": 0, \"high\": 1}"), {"space[0].name: must not be empty"}},
        {SP("{\"name\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", "
            "\"type\": \"float\", \"low\": 0, \"high\": 1}"), {"space[0].name: is too long", "at most 63"}},
        {SP(P_X ", " P_X), {"space[1].name: duplicate name 'x'"}},
        {SP("{\"name\": \"loss\", \"type\": \"float\", \"low\": 0, \"high\": 1}"),
         {"space[0].name: 'loss' is a column of bo export's CSV"}},
        {SP(P_X ", {\"name\": \"trial\", \"type\": \"int\", \"low\": 0, \"high\": 1}"),
         {"space[1].name: 'trial' is a column"}},
        {SP("{\"name\": \"metric.acc\", \"type\": \"float\", \"low\": 0, \"high\": 1}"),
         {"space[0].name: names starting 'metric.'"}},
        {SP("{\"name\": \"x\", \"low\": 0, \"high\": 1}"), {"space[0].type: missing"}},
        {SP("{\"name\": \"x\", \"type\": \"double\", \"low\": 0, \"high\": 1}"), {"space[0].type: ", "float, int or categorical", "'double'"}},
        {SP("{\"name\": \"x\", \"type\": \"float\", \"high\": 1}"), {"space[0].low: missing"}},
        {SP("{\"name\": \"x\", \"type\": \"int\", \"low\": 1}"), {"space[0].high: missing"}},
        {SP("{\"name\": \"x\", \"type\": \"float\", \"low\": \"0\", \"high\": 1}"), {"space[0].low: must be a number", "a string"}},
        {SP("{\"name\": \"x\", \"type\": \"float\", \"low\": 1, \"high\": 1}"), {"space[0].high: ", "empty range"}},
        {SP("{\"name\": \"x\", \"type\": \"int\", \"low\": 5, \"high\": 4}"), {"space[0].high: ", "empty range"}},
        {SP("{\"name\": \"x\", \"type\": \"int\", \"low\": 0.5, \"high\": 4}"), {"space[0].low: must be an integer", "0.5"}},
        {SP("{\"name\": \"x\", \"type\": \"int\", \"low\": 0, \"high\": 4.25}"), {"space[0].high: must be an integer", "4.25"}},
        {SP(P_X ", {\"name\": \"lr\", \"type\": \"float\", \"low\": 0, \"high\": 1, \"log\": true}"),
         {"space[1].low: must be > 0 when log is true"}},
        {SP("{\"name\": \"n\", \"type\": \"int\", \"low\": -3, \"high\": 9, \"log\": true}"), {"space[0].low: must be > 0 when log is true"}},
        {SP("{\"name\": \"x\", \"type\": \"float\", \"low\": 0, \"high\": 1, \"log\": 1}"), {"space[0].log: must be true or false"}},
        {SP("{\"name\": \"x\", \"type\": \"float\", \"low\": 0, \"high\": 1e999}"), {"space[0].high: must be a finite number"}},
        {SP("{\"name\": \"x\", \"type\": \"float\", \"low\": -1e301, \"high\": 1}"), {"space[0].low: ", "too large"}},
        {SP("{\"name\": \"x\", \"type\": \"int\", \"low\": 0, \"high\": 1e15}"), {"space[0]: int range too large"}},
        {SP("{\"name\": \"x\", \"type\": \"float\", \"low\": 0, \"high\": 1, \"choices\": [1]}"), {"space[0].choices: only a categorical"}},
        {SP("{\"name\": \"c\", \"type\": \"categorical\"}"), {"space[0].choices: missing"}},
        {SP("{\"name\": \"c\", \"type\": \"categorical\", \"choices\": []}"), {"space[0].choices: must not be empty"}},
        {SP("{\"name\": \"c\", \"type\": \"categorical\", \"choices\": \"relu\"}"), {"space[0].choices: must be an array"}},
        {SP("{\"name\": \"c\", \"type\": \"categorical\", \"choices\": [\"a\", \"b\", \"a\"]}"),
         {"space[0].choices[2]: duplicate choice 'a'"}},
        {SP("{\"name\": \"c\", \"type\": \"categorical\", \"choices\": [32, \"32\"]}"), {"space[0].choices[1]: duplicate choice '32'"}},
        {SP("{\"name\": \"c\", \"type\": \"categorical\", \"choices\": [\"a\", true]}"), {"space[0].choices[1]: must be a string or a number", "a boolean"}},
        {SP("{\"name\": \"c\", \"type\": \"categorical\", \"choices\": [\"a\", \"\"]}"), {"space[0].choices[1]: must not be empty"}},
        {SP("{\"name\": \"c\", \"type\": \"categorical\", \"choices\": [\"a\"], \"low\": 0}"), {"space[0].low: ", "categorical"}},
        /* "1.0" and 1 are different text but the same number to the space. */
        {SP("{\"name\": \"c\", \"type\": \"categorical\", \"choices\": [\"1.0\", 1]}"), {"space[0]: ", "same number"}},
    };
    check_all_refused(cases, sizeof cases / sizeof cases[0]);
}

static void test_refuses_strategy_mistakes(void)
{
    static const bad_case cases[] = {
        {"{" MIN_OBJ ", \"strategy\": \"bayes\"}", {"strategy: unknown strategy 'bayes'", "bo, random, sobol, grid"}},
        {"{" MIN_OBJ ", \"strategy\": {\"name\": \"tpe\"}}", {"strategy.name: unknown strategy 'tpe'"}},
        {"{" MIN_OBJ ", \"strategy\": {\"acquisition\": \"lcb\"}}", {"strategy.acquisition: unknown acquisition 'lcb'", "ei, pi, ucb, eips"}},
        {"{" MIN_OBJ ", \"strategy\": 3}", {"strategy: must be a name or an object"}},
        {"{" MIN_OBJ ", \"strategy\": {\"initial\": 0}}", {"strategy.initial: must be between 1 and"}},
        {"{" MIN_OBJ ", \"strategy\": {\"initial\": 2.5}}", {"strategy.initial: must be an integer"}},
        {"{" MIN_OBJ ", \"strategy\": {\"name\": \"grid\", \"levels\": 1}}", {"strategy.levels: must be between 2 and"}},
        {"{" MIN_OBJ ", \"strategy\": {\"name\": 1}}", {"strategy.name: must be a string"}},
    };
    check_all_refused(cases, sizeof cases / sizeof cases[0]);
}

/* Counts are integers in range; 1e999 (inf to cJSON) and fractions are
 * refused with the key's name. */
static void test_refuses_bad_numbers(void)
{
    static const bad_case cases[] = {
        {"{" MIN_OBJ ", \"trials\": 0}", {"trials: must be between 1 and 10000000"}},
        {"{" MIN_OBJ ", \"trials\": 1e999}", {"trials: must be a finite number"}},
        {"{" MIN_OBJ ", \"trials\": 1e8}", {"trials: must be between"}},
        {"{" MIN_OBJ ", \"trials\": 2.5}", {"trials: must be an integer", "2.5"}},
        {"{" MIN_OBJ ", \"trials\": \"5\"}", {"trials: must be an integer", "a string"}},
        {"{" MIN_OBJ ", \"seed\": -1}", {"seed: must be between 0 and"}},
        {"{" MIN_OBJ ", \"seed\": 1e17}", {"seed: must be between 0 and 9007199254740992"}},
        {"{" MIN_OBJ ", \"seed\": -1e999}", {"seed: must be a finite number"}},
        {"{" MIN_OBJ ", \"workers\": 0}", {"workers: must be between 1 and 4096"}},
        {"{" MIN_OBJ ", \"workers\": 5000}", {"workers: must be between 1 and 4096, got 5000"}},
        {"{" MIN_OBJ ", \"workers\": -0}", {"workers: must be between 1 and 4096, got 0"}},
        {"{" MIN_OBJ ", \"memory_mb\": 0}", {"memory_mb: must be between 1"}},
        {"{" MIN_OBJ ", \"memory_mb\": 1e300}", {"memory_mb: must be between 1"}},
        {"{" MIN_OBJ ", \"max_failures\": 0}", {"max_failures: must be between 1"}},
        {"{" MIN_OBJ ", \"timeout_s\": 0}", {"timeout_s: must be > 0"}},
        {"{" MIN_OBJ ", \"timeout_s\": -5}", {"timeout_s: must be > 0"}},
        {"{" MIN_OBJ ", \"timeout_s\": 1e999}", {"timeout_s: must be a finite number"}},
        {"{" MIN_OBJ ", \"timeout_s\": 2e9}", {"timeout_s: must be > 0 and at most 1e9"}},
        {"{" MIN_OBJ ", \"timeout_s\": null}", {"timeout_s: must be a number", "null"}},
        {"{" MIN_OBJ ", \"name\": 5}", {"name: must be a string"}},
        {"{" MIN_OBJ ", \"name\": \"a/b\"}", {"name: must not contain '/'"}},
        {"{" MIN_OBJ ", \"name\": \"\"}", {"name: must not be empty"}},
        {"{" MIN_OBJ ", \"name\": \"a\\tb\"}", {"name: must not contain control characters"}},
        /* Latin-1 bytes, which cJSON would pass through as they are */
        {"{" MIN_OBJ ", \"name\": \"caf\xe9\"}", {"column 52: not UTF-8 text"}},
    };
    check_all_refused(cases, sizeof cases / sizeof cases[0]);
}

#define ENQ(space, entries) "{" MIN_OBJ ", " space "\"enqueue\": " entries "}"
#define ENQ_SPACE                                                          \
    "\"space\": [{\"name\": \"lr\", \"type\": \"float\", \"low\": 0.001, " \
    "\"high\": 1, \"log\": true}, {\"name\": \"n\", \"type\": \"int\", "    \
    "\"low\": 1, \"high\": 8}, {\"name\": \"act\", \"type\": "            \
    "\"categorical\", \"choices\": [\"relu\", 32]}], "

/* Structure is checked always; values at parse time when the spec has a
 * space of its own (before any trial could run). */
static void test_refuses_enqueue_mistakes(void)
{
    static const bad_case cases[] = {
        {ENQ("", "{}"), {"enqueue: must be an array", "an object"}},
        {ENQ("", "[1]"), {"enqueue[0]: must be an object", "a number"}},
        {ENQ("", "[{\"x\": 1}, [2]]"), {"enqueue[1]: must be an object", "an array"}},
        {ENQ("", "[{\"x\": true}]"), {"enqueue[0].x: must be a number or a string", "a boolean"}},
        {ENQ("", "[{\"x\": null}]"), {"enqueue[0].x: must be a number or a string", "null"}},
        {ENQ("", "[{\"x\": {\"y\": 1}}]"), {"enqueue[0].x: must be a number or a string"}},
        {ENQ("", "[{\"x\": 1e999}]"), {"enqueue[0].x: must be a finite number"}},
        {ENQ("", "[{\"\": 1}]"), {"enqueue[0].: ", "must not be empty"}},
        {ENQ(ENQ_SPACE, "[{\"lr\": 0.01, \"n\": 2, \"act\": \"relu\"}, {\"lr\": 0, \"n\": 2, \"act\": \"relu\"}]"),
         {"enqueue[1].lr: ", "outside"}},
        {ENQ(ENQ_SPACE, "[{\"lr\": 0.01, \"n\": 2.5, \"act\": \"relu\"}]"), {"enqueue[0].n: ", "integer"}},
        {ENQ(ENQ_SPACE, "[{\"lr\": 0.01, \"n\": 9, \"act\": \"relu\"}]"), {"enqueue[0].n: ", "outside"}},
        {ENQ(ENQ_SPACE, "[{\"lr\": 0.01, \"n\": 2, \"act\": \"gelu\"}]"), {"enqueue[0].act: ", "unknown choice 'gelu'"}},
        {ENQ(ENQ_SPACE, "[{\"lr\": 0.01, \"n\": 2, \"act\": 31}]"), {"enqueue[0].act: ", "unknown choice 31"}},
        {ENQ(ENQ_SPACE, "[{\"lr\": 0.01, \"n\": 2}]"), {"enqueue[0].act: ", "missing"}},
        {ENQ(ENQ_SPACE, "[{\"lr\": 0.01, \"n\": 2, \"act\": \"relu\", \"drop\": 0.1}]"), {"enqueue[0].drop: ", "unknown parameter"}},
        {ENQ(ENQ_SPACE, "[{\"lr\": \"big\", \"n\": 2, \"act\": \"relu\"}]"), {"enqueue[0].lr: ", "expected a number"}},
    };
    check_all_refused(cases, sizeof cases / sizeof cases[0]);
    /* The numeric choice 32 accepts 32 and "32" alike. */
    bo_spec *s = parse_ok(ENQ(ENQ_SPACE, "[{\"lr\": 0.01, \"n\": 2, \"act\": 32}, "
                                         "{\"lr\": 1, \"n\": 8, \"act\": \"32\"}]"));
    bo_spec_free(s);
}

/* --------------------------------------------------------------- files */

static void make_tmpdir(char *dir, size_t len)
{
    snprintf(dir, len, "/tmp/bo-test-spec-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* A file on disk: name from its base name, folder from its path. */
static void test_load_reads_file(void)
{
    char dir[64], path[128];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/branin-sobol.json", dir);
    write_file(path, "{" MIN_OBJ ", \"seed\": 9}");
    bo_spec *s = NULL;
    bo_error err;
    CHECK(bo_spec_load(path, &s, &err) == BO_OK);
    if (s) {
        CHECK(strcmp(s->name, "branin-sobol") == 0);
        CHECK(strcmp(s->dir, dir) == 0);
        CHECK(strcmp(s->path, path) == 0);
        CHECK(s->seed == 9);
        bo_spec_free(s);
    }
    /* A mistake in a file names the file. */
    write_file(path, "{" MIN_OBJ ", \"seed\": -9}");
    CHECK(bo_spec_load(path, &s, &err) == BO_EINVAL);
    CHECK(s == NULL);
    CHECK_STR_CONTAINS(err.message, path);
    CHECK_STR_CONTAINS(err.message, ": seed: ");
    unlink(path);
    rmdir(dir);
}

/* A file that cannot be read: BO_EIO with its path and strerror. */
static void test_load_missing_file(void)
{
    bo_spec *s = (bo_spec *)1;
    bo_error err;
    /* not there, or a folder: the caller's mistake (exit 2), not I/O */
    CHECK(bo_spec_load("/nonexistent/bo/spec.json", &s, &err) == BO_EINVAL);
    CHECK(s == NULL);
    CHECK_STR_CONTAINS(err.message, "/nonexistent/bo/spec.json");
    CHECK_STR_CONTAINS(err.message, strerror(ENOENT));
    CHECK(bo_spec_load("/tmp", &s, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "/tmp: is a folder");
}

/* Over 16 MiB is refused without parsing (a sparse file reads fast). */
static void test_load_refuses_huge_file(void)
{
    char dir[64], path[128];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/huge.json", dir);
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK(ftruncate(fd, (17 << 20)) == 0);
    close(fd);
    bo_spec *s = NULL;
    bo_error err;
    CHECK(bo_spec_load(path, &s, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "larger than 16 MiB");
    /* An empty file is a spec mistake, not an I/O error. */
    write_file(path, "");
    CHECK(bo_spec_load(path, &s, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "huge.json: the spec is empty");
    unlink(path);
    rmdir(dir);
}

static void test_free_null_and_bad_arguments(void)
{
    bo_spec_free(NULL);
    bo_error err;
    CHECK(bo_spec_parse("{}", 2, NULL, NULL, &err) == BO_EINVAL);
    bo_spec *s = (bo_spec *)1;
    CHECK(bo_spec_parse(NULL, 0, NULL, &s, &err) == BO_EINVAL);
    CHECK(s == NULL);
    CHECK_STR_CONTAINS(err.message, "empty");
    CHECK(bo_spec_parse(NULL, 3, NULL, &s, &err) == BO_EINVAL);
    /* The error may go nowhere. */
    CHECK(bo_spec_parse("[", 1, NULL, &s, NULL) == BO_EINVAL);
}

#ifdef BO_TEST_OOM
/* Failing each allocation in turn of a full spec's parse: every run ends
 * in BO_ENOMEM with no spec and nothing left allocated, until enough
 * allocations succeed and the parse does. cJSON cannot tell a failed
 * allocation from bad syntax, so while it parses the text the failure may
 * read "malformed JSON" (BO_EINVAL) instead. */
static void test_out_of_memory_at_every_allocation(void)
{
    const char *json =
        "{\"name\": \"n\", \"objective\": {\"command\": [\"a\", \"b\"], "
        "\"config\": {\"k\": [1, {\"z\": 2}]}},"
        "\"space\": [{\"name\": \"lr\", \"type\": \"float\", \"low\": 0.1, "
        "\"high\": 1, \"log\": true}, {\"name\": \"c\", \"type\": "
        "\"categorical\", \"choices\": [\"x\", 2, 3]}],"
        "\"strategy\": {\"name\": \"grid\", \"levels\": 3},"
        "\"enqueue\": [{\"lr\": 0.5, \"c\": 2}, {\"lr\": 0.2, \"c\": \"x\"}]}";
    int succeeded = 0, ran = 0;
    for (long n = 0; n < 10000 && !succeeded; n++) {
        bo_spec *s = (bo_spec *)1;
        bo_error err = {0, ""};
        long live = oom_live;
        oom_countdown = n;
        int rc = bo_spec_parse(json, strlen(json), "m.json", &s, &err);
        oom_countdown = -1;
        ran++;
        if (rc == BO_OK) {
            succeeded = 1;
            CHECK(s->n_enqueue == 2 && bo_space_dim(s->space) == 4);
            bo_spec_free(s);
        } else {
            CHECK(s == NULL);
            CHECK(rc == BO_ENOMEM ||
                  (rc == BO_EINVAL && strstr(err.message, "malformed JSON")));
            if (rc == BO_ENOMEM)
                CHECK_STR_CONTAINS(err.message, "m.json: out of memory");
        }
        CHECK(oom_live == live);
    }
    CHECK(succeeded);
    CHECK(ran > 20); /* the spec above needs dozens of allocations */
}
#endif

/* What differs between two specs is named down to the first place it
 * does, through objects and arrays; layout and key order do not count. */
static void test_first_difference_path(void)
{
    static const struct {
        const char *a, *b, *want;
        int rc;
    } cases[] = {
        {"{\"strategy\": {\"name\": \"bo\", \"initial\": 8}}",
         "{\"strategy\": {\"initial\": 9, \"name\": \"bo\"}}", "strategy.initial", 1},
        {"{\"space\": [{\"name\": \"x\", \"high\": 1}, {\"name\": \"y\", \"high\": 2}]}",
         "{\"space\": [{\"name\": \"x\", \"high\": 1}, {\"name\": \"y\", \"high\": 3}]}",
         "space[1].high", 1},
        {"{\"space\": [{\"name\": \"x\"}]}",
         "{\"space\": [{\"name\": \"x\"}, {\"name\": \"y\"}]}", "space[1]", 1},
        {"{\"space\": [{\"name\": \"x\"}]}",
         "{\"space\": [{\"name\": \"x\", \"log\": false}]}", "space[0].log", 1},
        {"{\"trials\": 5}", "{\"seed\": 1, \"trials\": 5}", "seed", 1},
        {"{\"trials\": 5, \"seed\": 1}", "{ \"seed\":1,\"trials\":5 }", "", 0},
        {"[1]", "{}", "", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char key[128];
        int rc = bo_spec_first_difference(cases[i].a, cases[i].b, NULL, 0,
                                          key, sizeof key);
        CHECK(rc == cases[i].rc);
        if (strcmp(key, cases[i].want) != 0)
            fprintf(stderr, "case %zu: got '%s'\n", i, key);
        CHECK(strcmp(key, cases[i].want) == 0);
    }
    /* a skipped top-level key is not a difference */
    static const char *const skip[] = {"trials"};
    char key[16];
    CHECK(bo_spec_first_difference("{\"trials\": 5}", "{\"trials\": 6}", skip,
                                   1, key, sizeof key) == 0);
    /* a path longer than the buffer is cut, not overrun */
    CHECK(bo_spec_first_difference("{\"strategy\": {\"acquisition\": 1}}",
                                   "{\"strategy\": {\"acquisition\": 2}}",
                                   NULL, 0, key, sizeof key) == 1);
    CHECK(strcmp(key, "strategy.acquis") == 0);
}

int main(void)
{
    test_first_difference_path();
    test_full_spec_read_field_by_field();
    test_minimal_spec_gets_defaults();
    test_early_stopping();
    test_name_and_dir_from_path();
    test_command_objective();
    test_strategy_as_string();
    test_numeric_choices_as_text();
    test_json_kept_as_given();
    test_config_numbers_kept();
    test_enqueued_encodes_with_own_space();
    test_enqueued_against_default_space();
    test_refuses_json_mistakes();
    test_refuses_unknown_keys();
    test_refuses_repeated_keys();
    test_refuses_objective_mistakes();
    test_refuses_space_mistakes();
    test_refuses_strategy_mistakes();
    test_refuses_bad_numbers();
    test_refuses_enqueue_mistakes();
    test_load_reads_file();
    test_load_missing_file();
    test_load_refuses_huge_file();
    test_free_null_and_bad_arguments();
#ifdef BO_TEST_OOM
    test_out_of_memory_at_every_allocation();
#endif
    return check_summary();
}
