/*
 * spec.c — reading a study spec (JSON, see DESIGN.md "The study spec")
 * into a bo_spec: the file, the document, the top-level keys, the
 * objective, the strategy and the scalar settings. The space is built in
 * spec_space.c, the enqueued configurations in spec_enqueue.c.
 *
 * Every mistake is caught here, before any trial runs, and reported as
 * one line naming the file and the key's path. Must never accept a value
 * it would have to reinterpret later (inf, a fraction where a count is
 * meant, a key cJSON would match case-insensitively), never print, and
 * never leave a half-built spec behind: on error *out is NULL and
 * everything allocated is freed.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "json_exact.h"
#include "spec_impl.h"
#include "utf8.h"

/* A spec is a few hundred bytes; anything this large is a wrong file. */
#define SPEC_BYTES_MAX (16u << 20)
#define STUDY_NAME_MAX 200
#define PLUGIN_LEN_MAX 4095
#define ARG_LEN_MAX 65536
#define ARGS_MAX 4096
#define TRIALS_MAX 10000000
#define SEED_MAX 9007199254740992LL /* 2^53: every integer a double holds */
#define WORKERS_MAX 4096
#define MEMORY_MB_MAX 1099511627776LL /* 2^40 MB */
#define FAILURES_MAX 1000000000
#define LEVELS_MAX 1000000
#define TIMEOUT_MAX 1e9

/* ------------------------------------------------------------- helpers */

static const cJSON *get(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static char *dup_or_null(const char *s, int *rc)
{
    char *d = strdup(s);
    if (!d)
        *rc = BO_ENOMEM;
    return d;
}

/* The folder of `path` as dirname(3) would say it, without touching path. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    while (slash > path && slash[-1] == '/')
        slash--;
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* The spec file's base name without ".json"; "study" when nothing is left. */
static char *name_of(const char *path)
{
    if (!path)
        return strdup("study");
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n >= 5 && strcmp(base + n - 5, ".json") == 0)
        n -= 5;
    return n ? strndup(base, n) : strdup("study");
}

/* Line and column (both from 1, columns in characters) of byte `off`. */
static void locate(const char *text, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            ++*line;
            *col = 1;
        } else if ((ch & 0xC0) != 0x80) {
            ++*col;
        }
    }
}

static int fail_at(const bo_spec_ctx *c, const char *text, size_t off,
                   const char *what, bool show_near)
{
    int line, col;
    locate(text, off, &line, &col);
    if (!show_near)
        return bo_spec_fail(c, NULL, "line %d, column %d: %s", line, col,
                            what);
    /* What follows, up to the end of its line. */
    char rest[32], near[48];
    size_t n = strcspn(text + off, "\r\n");
    if (n >= sizeof rest)
        n = sizeof rest - 1;
    memcpy(rest, text + off, n);
    rest[n] = '\0';
    bo_spec_quote(rest, near, sizeof near);
    if (*near)
        return bo_spec_fail(c, NULL, "line %d, column %d: %s near '%s'", line,
                            col, what, near);
    return bo_spec_fail(c, NULL, "line %d, column %d: %s at the end of the "
                        "text", line, col, what);
}

/* cJSON turns the escape \u0000 into a NUL that silently ends the string
 * ("a\u0000b" reads as "a"); refuse it instead. The text is known to be
 * valid JSON here, so a small scan of strings and escapes suffices. */
static size_t find_nul_escape(const char *text, size_t len)
{
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        if (!in_string) {
            in_string = text[i] == '"';
        } else if (text[i] == '"') {
            in_string = false;
        } else if (text[i] == '\\') {
            if (text[i + 1] == 'u' && i + 6 <= len &&
                strncmp(text + i + 2, "0000", 4) == 0)
                return i;
            i++;
        }
    }
    return len;
}

/* Whether the brackets of text[0, end) nest deeper than cJSON's limit
 * (CJSON_NESTING_LIMIT): its parse then fails with nothing to say why. */
static bool too_deep(const char *text, size_t end)
{
    bool in_string = false;
    size_t depth = 0;
    for (size_t i = 0; i < end; i++) {
        char ch = text[i];
        if (in_string) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_string = false;
        } else if (ch == '"') {
            in_string = true;
        } else if (ch == '[' || ch == '{') {
            if (++depth > CJSON_NESTING_LIMIT)
                return true;
        } else if ((ch == ']' || ch == '}') && depth) {
            depth--;
        }
    }
    return false;
}

/* ----------------------------------------------------------- the text */

static int parse_text(const bo_spec_ctx *c, const char *text, size_t len,
                      cJSON **root)
{
    *root = NULL;
    size_t start = 0;
    /* A UTF-8 byte order mark, as some editors write, is not JSON. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        start = 3;
    size_t first = start;
    while (first < len && text[first] && strchr(" \t\r\n", text[first]))
        first++;
    if (first == len)
        return bo_spec_fail(c, NULL, "the spec is empty (expected a JSON "
                            "object)");
    const char *nul = memchr(text, '\0', len);
    if (nul)
        return fail_at(c, text, (size_t)(nul - text),
                       "a NUL byte (is this a text file?)", false);
    /* JSON text is UTF-8 (RFC 8259), and names and choices end up in the
     * database and in exports that others parse */
    size_t bad = bo_utf8_valid_prefix(text, len);
    if (bad < len)
        return fail_at(c, text, bad, "not UTF-8 text (JSON must be UTF-8)",
                       false);
    const char *end = NULL;
    *root = cJSON_ParseWithOpts(text + start, &end, 1);
    if (!*root) {
        size_t off = end && end >= text + start && end <= text + len
                         ? (size_t)(end - text) : start;
        if (too_deep(text, off < len ? off + 1 : len)) {
            char what[64];
            snprintf(what, sizeof what, "nested more than %d levels deep",
                     CJSON_NESTING_LIMIT);
            return fail_at(c, text, off, what, false);
        }
        return fail_at(c, text, off, "malformed JSON", true);
    }
    size_t z = find_nul_escape(text, len);
    if (z < len)
        return fail_at(c, text, z, "\\u0000 is not allowed in a string",
                       false);
    if (!cJSON_IsObject(*root))
        return bo_spec_fail(c, NULL, "the spec must be a JSON object, got %s",
                            bo_spec_kind(*root));
    return BO_OK;
}

/* ---------------------------------------------------------- objective */

/* objective.config is handed on as text; refuse what the objective could
 * not read back as written: inf (cJSON would print null) and repeated
 * keys (which one wins depends on the reader). */
static int check_config(const bo_spec_ctx *c, const cJSON *item,
                        const char *key)
{
    if (cJSON_IsNumber(item) && !isfinite(item->valuedouble))
        return bo_spec_fail(c, key, "must be a finite number (this one "
                            "overflows a double)");
    if (!cJSON_IsArray(item) && !cJSON_IsObject(item))
        return BO_OK;
    if (cJSON_IsObject(item)) {
        int rc = bo_spec_check_object(c, item, key, NULL);
        if (rc)
            return rc;
    }
    size_t i = 0;
    for (const cJSON *ch = item->child; ch; ch = ch->next, i++) {
        char path[BO_SPEC_KEY_MAX];
        if (cJSON_IsObject(item))
            bo_spec_key(path, sizeof path, key, ch->string ? ch->string : "");
        else
            bo_spec_key_index(path, sizeof path, key, i);
        int rc = check_config(c, ch, path);
        if (rc)
            return rc;
    }
    return BO_OK;
}

static int parse_command(const bo_spec_ctx *c, const cJSON *arr, bo_spec *s)
{
    if (!cJSON_IsArray(arr))
        return bo_spec_fail(c, "objective.command", "must be an array of "
                            "strings (the program and its arguments), got %s",
                            bo_spec_kind(arr));
    int n = cJSON_GetArraySize(arr);
    if (n == 0)
        return bo_spec_fail(c, "objective.command", "must not be empty (it "
                            "names the program to run)");
    if (n > ARGS_MAX)
        return bo_spec_fail(c, "objective.command", "too many arguments (%d, "
                            "at most %d)", n, ARGS_MAX);
    s->command = calloc((size_t)n + 1, sizeof *s->command);
    if (!s->command)
        return bo_spec_nomem(c);
    const cJSON *a = arr->child;
    for (size_t i = 0; i < (size_t)n; i++, a = a->next) {
        char path[BO_SPEC_KEY_MAX];
        bo_spec_key_index(path, sizeof path, "objective.command", i);
        const char *arg;
        int rc;
        if (i == 0) { /* the program: a name, checked as names are */
            rc = bo_spec_get_string(c, a, path, ARG_LEN_MAX, &arg);
        } else if (!cJSON_IsString(a) || !a->valuestring) {
            rc = bo_spec_fail(c, path, "must be a string, got %s",
                              bo_spec_kind(a));
        } else if (strlen(a->valuestring) > ARG_LEN_MAX) {
            rc = bo_spec_fail(c, path, "is too long (%zu bytes, at most %d)",
                              strlen(a->valuestring), ARG_LEN_MAX);
        } else {
            /* an argument is the program's business: empty, or a script
             * over several lines (python3 -c "..."), is fine */
            arg = a->valuestring;
            rc = BO_OK;
        }
        if (rc)
            return rc;
        s->command[i] = strdup(arg);
        if (!s->command[i])
            return bo_spec_nomem(c);
        s->n_command = i + 1;
    }
    return BO_OK;
}

static int parse_objective(const bo_spec_ctx *c, const cJSON *obj, bo_spec *s)
{
    static const char *const keys[] = {"plugin", "command", "config",
                                       "grace_s", NULL};
    if (!obj)
        return bo_spec_fail(c, "objective", "missing (give {\"plugin\": "
                            "NAME} or {\"command\": [PROGRAM, ...]})");
    int rc = bo_spec_check_object(c, obj, "objective", keys);
    if (rc)
        return rc;
    const cJSON *plugin = get(obj, "plugin"), *command = get(obj, "command");
    if (plugin && command)
        return bo_spec_fail(c, "objective", "give either plugin or command, "
                            "not both");
    if (!plugin && !command)
        return bo_spec_fail(c, "objective", "needs plugin (a stock objective "
                            "or a .so path) or command (a program)");
    if (plugin) {
        const char *p;
        rc = bo_spec_get_string(c, plugin, "objective.plugin", PLUGIN_LEN_MAX,
                                &p);
        if (rc)
            return rc;
        s->plugin = strdup(p);
        if (!s->plugin)
            return bo_spec_nomem(c);
    } else {
        rc = parse_command(c, command, s);
        if (rc)
            return rc;
    }
    const cJSON *grace = get(obj, "grace_s");
    if (grace && plugin)
        return bo_spec_fail(c, "objective.grace_s", "is for a command (a "
                            "plugin's own config holds its settings)");
    if (grace) {
        rc = bo_spec_get_number(c, grace, "objective.grace_s", &s->grace_s);
        if (!rc && !(s->grace_s >= 0 && s->grace_s <= 3600))
            rc = bo_spec_fail(c, "objective.grace_s", "must be seconds in "
                              "[0, 3600], got %g", s->grace_s);
        if (rc)
            return rc;
    }
    const cJSON *config = get(obj, "config");
    if (!config) {
        s->config_json = strdup("{}");
    } else {
        if (!cJSON_IsObject(config))
            return bo_spec_fail(c, "objective.config", "must be an object, "
                                "got %s", bo_spec_kind(config));
        rc = check_config(c, config, "objective.config");
        if (rc)
            return rc;
        s->config_json = bo_json_print_exact(config);
    }
    return s->config_json ? BO_OK : bo_spec_nomem(c);
}

/* ----------------------------------------------------------- strategy */

static int one_of(const bo_spec_ctx *c, const cJSON *item, const char *key,
                  const char *const *names, const char *list, char **out)
{
    const char *v;
    int rc = bo_spec_get_string(c, item, key, 64, &v);
    if (rc)
        return rc;
    for (size_t i = 0; names[i]; i++)
        if (strcmp(names[i], v) == 0) {
            free(*out);
            *out = strdup(v);
            return *out ? BO_OK : bo_spec_nomem(c);
        }
    char q[72];
    bo_spec_quote(v, q, sizeof q);
    return bo_spec_fail(c, key, "unknown %s '%s' (one of: %s)",
                        strcmp(key, "strategy.acquisition") == 0
                            ? "acquisition" : "strategy",
                        q, list);
}

static int parse_strategy(const bo_spec_ctx *c, const cJSON *item, bo_spec *s)
{
    static const char *const strategies[] = {"bo", "random", "sobol", "grid",
                                             NULL};
    static const char *const acquisitions[] = {"ei", "pi", "ucb", "eips",
                                               NULL};
    static const char *const keys[] = {"name", "initial", "acquisition",
                                       "levels", NULL};
    const char *slist = "bo, random, sobol, grid";
    if (cJSON_IsString(item))
        return one_of(c, item, "strategy", strategies, slist, &s->strategy);
    if (!cJSON_IsObject(item))
        return bo_spec_fail(c, "strategy", "must be a name or an object, got "
                            "%s", bo_spec_kind(item));
    int rc = bo_spec_check_object(c, item, "strategy", keys);
    const cJSON *v;
    if (!rc && (v = get(item, "name")))
        rc = one_of(c, v, "strategy.name", strategies, slist, &s->strategy);
    if (!rc && (v = get(item, "acquisition")))
        rc = one_of(c, v, "strategy.acquisition", acquisitions,
                    "ei, pi, ucb, eips", &s->acquisition);
    if (!rc && (v = get(item, "initial")))
        rc = bo_spec_get_int(c, v, "strategy.initial", 1, TRIALS_MAX,
                             &s->initial);
    if (!rc && (v = get(item, "levels")))
        rc = bo_spec_get_int(c, v, "strategy.levels", 2, LEVELS_MAX,
                             &s->levels);
    return rc;
}

/* ------------------------------------------------------ early stopping */

/* "median", or {"rule": "median", "min_trials": N, "min_step": S}. */
static int parse_early_stopping(const bo_spec_ctx *c, const cJSON *item,
                                bo_spec *s)
{
    static const char *const keys[] = {"rule", "min_trials", "min_step",
                                       NULL};
    const cJSON *rule = item;
    int rc = BO_OK;
    if (cJSON_IsObject(item)) {
        rc = bo_spec_check_object(c, item, "early_stopping", keys);
        rule = get(item, "rule");
        if (!rc && !rule)
            rc = bo_spec_fail(c, "early_stopping.rule", "is required "
                              "(\"median\")");
    } else if (!cJSON_IsString(item)) {
        return bo_spec_fail(c, "early_stopping", "must be a rule name or an "
                            "object, got %s", bo_spec_kind(item));
    }
    const char *key = rule == item ? "early_stopping" : "early_stopping.rule";
    const char *name;
    if (!rc)
        rc = bo_spec_get_string(c, rule, key, 64, &name);
    if (!rc && strcmp(name, "median") != 0) {
        char q[72];
        bo_spec_quote(name, q, sizeof q);
        rc = bo_spec_fail(c, key, "unknown rule '%s' (known: median)", q);
    }
    s->stop_min_trials = 5;
    s->stop_min_step = 0;
    if (rc || !cJSON_IsObject(item))
        return rc;
    const cJSON *v;
    if ((v = get(item, "min_trials")))
        rc = bo_spec_get_int(c, v, "early_stopping.min_trials", 1,
                             TRIALS_MAX, &s->stop_min_trials);
    if (!rc && (v = get(item, "min_step")))
        rc = bo_spec_get_int(c, v, "early_stopping.min_step", INT32_MIN,
                             INT32_MAX, &s->stop_min_step);
    return rc;
}

/* -------------------------------------------------------- the document */

static int parse_root(const bo_spec_ctx *c, const cJSON *root, bo_spec *s)
{
    static const char *const keys[] = {
        "name", "objective", "space", "strategy", "enqueue", "trials",
        "seed", "timeout_s", "workers", "memory_mb", "max_failures",
        "early_stopping", NULL};
    int rc = bo_spec_check_object(c, root, NULL, keys);
    const cJSON *v;
    if (!rc && (v = get(root, "name"))) {
        const char *name;
        rc = bo_spec_get_string(c, v, "name", STUDY_NAME_MAX, &name);
        if (!rc && strchr(name, '/'))
            rc = bo_spec_fail(c, "name", "must not contain '/' (it names the "
                              "study's database file)");
        if (!rc) {
            free(s->name);
            s->name = strdup(name);
            rc = s->name ? BO_OK : bo_spec_nomem(c);
        }
    }
    if (!rc)
        rc = parse_objective(c, get(root, "objective"), s);
    if (!rc && (v = get(root, "strategy")))
        rc = parse_strategy(c, v, s);
    if (!rc && (v = get(root, "trials")))
        rc = bo_spec_get_int(c, v, "trials", 1, TRIALS_MAX, &s->trials);
    if (!rc && (v = get(root, "seed"))) {
        int64_t seed = 0;
        rc = bo_spec_get_int(c, v, "seed", 0, SEED_MAX, &seed);
        if (!rc)
            s->seed = (uint64_t)seed;
    }
    if (!rc && (v = get(root, "timeout_s"))) {
        rc = bo_spec_get_number(c, v, "timeout_s", &s->timeout_s);
        if (!rc && !(s->timeout_s > 0 && s->timeout_s <= TIMEOUT_MAX))
            rc = bo_spec_fail(c, "timeout_s", "must be > 0 and at most 1e9 "
                              "seconds, got %.17g (leave it out for no "
                              "timeout)", s->timeout_s);
    }
    if (!rc && (v = get(root, "workers")))
        rc = bo_spec_get_int(c, v, "workers", 1, WORKERS_MAX, &s->workers);
    if (!rc && (v = get(root, "memory_mb")))
        rc = bo_spec_get_int(c, v, "memory_mb", 1, MEMORY_MB_MAX,
                             &s->memory_mb);
    if (!rc && (v = get(root, "max_failures")))
        rc = bo_spec_get_int(c, v, "max_failures", 1, FAILURES_MAX,
                             &s->max_failures);
    if (!rc && (v = get(root, "early_stopping")))
        rc = parse_early_stopping(c, v, s);
    if (!rc && (v = get(root, "space")))
        rc = bo_spec_parse_space(c, v, &s->space);
    bo_spec_internal *in = s->internal_;
    if (!rc && (v = get(root, "enqueue")))
        rc = bo_spec_parse_enqueue(c, v, in);
    s->n_enqueue = in->n_entries;
    /* With its own space, a spec's enqueued values are checked now, so
     * that a typo stops the study before any trial runs. */
    if (!rc && s->space && in->n_entries) {
        double *u = calloc(bo_space_dim(s->space), sizeof *u);
        if (!u)
            rc = bo_spec_nomem(c);
        for (size_t i = 0; !rc && i < in->n_entries; i++)
            rc = bo_spec_encode_entry(c, in, s->space, i, u);
        free(u);
    }
    return rc;
}

/* --------------------------------------------------------------- API */

int bo_spec_parse(const char *json, size_t len, const char *path,
                  bo_spec **out, bo_error *err)
{
    bo_spec_ctx c = {path ? path : "<memory>", err};
    if (!out)
        return bo_error_set(err, BO_EINVAL, "bo_spec_parse: out is NULL");
    *out = NULL;
    if (!json && len)
        return bo_error_set(err, BO_EINVAL, "bo_spec_parse: json is NULL");
    if (len > SPEC_BYTES_MAX)
        return bo_spec_fail(&c, NULL, "the spec is larger than 16 MiB (%zu "
                            "bytes)", len);
    bo_spec *s = calloc(1, sizeof *s);
    if (!s)
        return bo_spec_nomem(&c);
    int rc = BO_OK;
    s->internal_ = calloc(1, sizeof(bo_spec_internal));
    s->json = malloc(len + 1);
    if (!s->internal_ || !s->json)
        rc = BO_ENOMEM;
    if (s->json) {
        if (len)
            memcpy(s->json, json, len);
        s->json[len] = '\0';
    }
    s->path = dup_or_null(c.path, &rc);
    s->dir = path ? folder_of(path) : strdup(".");
    s->name = name_of(path);
    s->strategy = dup_or_null("bo", &rc);
    s->acquisition = dup_or_null("ei", &rc);
    if (!s->dir || !s->name)
        rc = BO_ENOMEM;
    s->initial = -1;
    s->levels = -1;
    s->trials = 50;
    s->seed = 0;
    s->timeout_s = 0;
    s->grace_s = -1;
    s->workers = 1;
    s->memory_mb = 0;
    s->max_failures = 20;
    if (rc) {
        bo_spec_free(s);
        return bo_spec_nomem(&c);
    }
    cJSON *root = NULL;
    rc = parse_text(&c, s->json, len, &root);
    if (!rc)
        rc = parse_root(&c, root, s);
    cJSON_Delete(root);
    if (rc) {
        bo_spec_free(s);
        return rc;
    }
    *out = s;
    return BO_OK;
}

static bool skipped(const char *key, const char *const *skip, size_t n_skip)
{
    for (size_t i = 0; i < n_skip; i++)
        if (strcmp(key, skip[i]) == 0)
            return true;
    return false;
}

/* A key of `in` whose value `other` lacks or holds differently. */
static const char *key_not_in(const cJSON *in, const cJSON *other,
                              const char *const *skip, size_t n_skip)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, in)
    {
        if (skipped(item->string, skip, n_skip))
            continue;
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(other, item->string);
        if (!o || !cJSON_Compare(item, o, true))
            return item->string;
    }
    return NULL;
}

/* Appends to key (used bytes so far) the path below x and y, two values
 * that differ, down to the first place they do: ".initial", "[2].high". */
static void difference_path(const cJSON *x, const cJSON *y, char *key,
                            size_t len)
{
    size_t used = strlen(key);
    if (used + 1 >= len)
        return;
    if (cJSON_IsObject(x) && cJSON_IsObject(y)) {
        const char *k = key_not_in(x, y, NULL, 0);
        if (!k)
            k = key_not_in(y, x, NULL, 0);
        if (!k)
            return;
        snprintf(key + used, len - used, ".%s", k);
        const cJSON *cx = cJSON_GetObjectItemCaseSensitive(x, k);
        const cJSON *cy = cJSON_GetObjectItemCaseSensitive(y, k);
        if (cx && cy)
            difference_path(cx, cy, key, len);
    } else if (cJSON_IsArray(x) && cJSON_IsArray(y)) {
        int nx = cJSON_GetArraySize(x), ny = cJSON_GetArraySize(y);
        for (int i = 0; i < nx && i < ny; i++) {
            const cJSON *cx = cJSON_GetArrayItem(x, i);
            const cJSON *cy = cJSON_GetArrayItem(y, i);
            if (!cJSON_Compare(cx, cy, true)) {
                snprintf(key + used, len - used, "[%d]", i);
                difference_path(cx, cy, key, len);
                return;
            }
        }
        if (nx != ny)
            snprintf(key + used, len - used, "[%d]", nx < ny ? nx : ny);
    }
}

int bo_spec_first_difference(const char *a, const char *b,
                             const char *const *skip, size_t n_skip,
                             char *key, size_t key_len)
{
    if (key && key_len)
        key[0] = '\0';
    if (!a || !b)
        return -1;
    if (strcmp(a, b) == 0)
        return 0;
    cJSON *ja = cJSON_Parse(a), *jb = cJSON_Parse(b);
    int rc = -1;
    if (cJSON_IsObject(ja) && cJSON_IsObject(jb)) {
        const char *k = key_not_in(ja, jb, skip, n_skip);
        if (!k)
            k = key_not_in(jb, ja, skip, n_skip);
        if (k && key && key_len) {
            snprintf(key, key_len, "%s", k);
            const cJSON *x = cJSON_GetObjectItemCaseSensitive(ja, k);
            const cJSON *y = cJSON_GetObjectItemCaseSensitive(jb, k);
            if (x && y)
                difference_path(x, y, key, key_len);
        }
        rc = k != NULL;
    }
    cJSON_Delete(ja);
    cJSON_Delete(jb);
    return rc;
}

bool bo_spec_same_text(const char *a, const char *b)
{
    return bo_spec_first_difference(a, b, NULL, 0, NULL, 0) == 0;
}

int bo_spec_load(const char *path, bo_spec **out, bo_error *err)
{
    if (!out)
        return bo_error_set(err, BO_EINVAL, "bo_spec_load: out is NULL");
    *out = NULL;
    if (!path || !*path)
        return bo_error_set(err, BO_EINVAL, "a spec's path is empty");
    FILE *f = fopen(path, "rb");
    /* A spec that is not there is the caller's mistake (a usage error);
     * one that cannot be read for another reason is the system's. */
    if (!f)
        return bo_error_set(err, errno == ENOENT ? BO_EINVAL : BO_EIO,
                            "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0)
        st.st_mode = 0; /* unknown: read it and see */
    if (S_ISDIR(st.st_mode)) {
        fclose(f);
        return bo_error_set(err, BO_EINVAL, "%s: is a folder, not a spec "
                            "file", path);
    }
    if (S_ISREG(st.st_mode) && st.st_size > (off_t)SPEC_BYTES_MAX) {
        fclose(f);
        return bo_error_set(err, BO_EINVAL, "%s: the spec is larger than 16 "
                            "MiB (%lld bytes)", path, (long long)st.st_size);
    }
    /* Read up to one byte past the limit: the size of a pipe or a
     * /proc file is not known in advance. */
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    int rc = buf ? BO_OK : BO_ENOMEM;
    while (!rc) {
        if (len == cap) {
            if (cap > SPEC_BYTES_MAX) {
                rc = bo_error_set(err, BO_EINVAL, "%s: the spec is larger "
                                  "than 16 MiB", path);
                break;
            }
            char *grown = realloc(buf, cap * 2);
            if (!grown) {
                rc = BO_ENOMEM;
                break;
            }
            buf = grown;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f))
                rc = bo_error_set(err, BO_EIO, "%s: cannot read: %s", path,
                                  strerror(errno));
            break;
        }
    }
    fclose(f);
    if (rc == BO_ENOMEM)
        bo_error_set(err, BO_ENOMEM, "%s: out of memory", path);
    if (!rc)
        rc = bo_spec_parse(buf, len, path, out, err);
    free(buf);
    return rc;
}

void bo_spec_free(bo_spec *spec)
{
    if (!spec)
        return;
    free(spec->name);
    free(spec->path);
    free(spec->dir);
    free(spec->json);
    free(spec->plugin);
    for (size_t i = 0; spec->command && i < spec->n_command; i++)
        free(spec->command[i]);
    free(spec->command);
    /* cJSON_PrintUnformatted allocates with malloc (no hooks are set). */
    free(spec->config_json);
    bo_space_free(spec->space);
    free(spec->strategy);
    free(spec->acquisition);
    bo_spec_internal_free(spec->internal_);
    free(spec->internal_);
    free(spec);
}

int bo_spec_enqueued(const bo_spec *spec, const bo_space *space, size_t i,
                     double *u, bo_error *err)
{
    if (!spec || !space || (!u && bo_space_dim(space)))
        return bo_error_set(err, BO_EINVAL, "bo_spec_enqueued: NULL argument");
    bo_spec_ctx c = {spec->path, err};
    const bo_spec_internal *in = spec->internal_;
    if (i >= in->n_entries)
        return bo_error_set(err, BO_EINVAL, "%s: enqueue[%zu]: no such entry "
                            "(the spec enqueues %zu)", spec->path, i,
                            in->n_entries);
    return bo_spec_encode_entry(&c, in, space, i, u);
}
