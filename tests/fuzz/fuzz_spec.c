/*
 * fuzz_spec.c — libFuzzer target for the spec parser (bo_spec_parse and
 * bo_spec_enqueued). Built by tests/fuzz/run.sh with clang's
 * -fsanitize=fuzzer,address,undefined straight from the bo/ sources it
 * needs; never part of the normal build or of ctest (the inputs it found
 * are replayed by tests/unit/test_spec_regressions.c).
 *
 * Besides memory errors, leaks and UB, it aborts on a broken promise of
 * bo.h: an error that is not BO_EINVAL, not one line, or not prefixed by
 * the file; a spec whose own space refuses an entry it accepted; a spec
 * missing a field that is always set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo/bo.h"

#define PATH "fuzz/spec.json"

static void require(int ok, const char *what, const bo_error *err)
{
    if (!ok) {
        fprintf(stderr, "fuzz_spec: broken promise: %s (%s)\n", what,
                err ? err->message : "");
        abort();
    }
}

static void check_error(int rc, const bo_error *err)
{
    require(rc == BO_EINVAL, "error code is BO_EINVAL", err);
    require(strncmp(err->message, PATH ": ", strlen(PATH) + 2) == 0,
            "message starts with the file", err);
    require(strchr(err->message, '\n') == NULL, "message is one line", err);
    require(strlen(err->message) > strlen(PATH) + 2, "message says why", err);
}

/* A default space like an objective's, for specs without their own. */
static const bo_space *default_space(void)
{
    static bo_space *sp;
    if (!sp) {
        static const char *const choices[] = {"relu", "32", "0.5"};
        bo_param_spec ps[3] = {
            {.name = "lr", .type = BO_PARAM_FLOAT, .log = 1, .low = 1e-4, .high = 1},
            {.name = "n", .type = BO_PARAM_INT, .low = 1, .high = 8},
            {.name = "act", .type = BO_PARAM_CATEGORICAL, .choices = choices,
             .n_choices = 3},
        };
        bo_error err;
        require(bo_space_create(ps, 3, &sp, &err) == BO_OK, "default space", &err);
    }
    return sp;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    bo_spec *s = (bo_spec *)1;
    bo_error err = {0, ""};
    int rc = bo_spec_parse((const char *)data, size, PATH, &s, &err);
    if (rc != BO_OK) {
        require(s == NULL, "no spec on error", &err);
        check_error(rc, &err);
        return 0;
    }
    require(s->name && *s->name && s->path && s->dir && s->json, "names set", NULL);
    require(memcmp(s->json, data, size) == 0 && s->json[size] == '\0',
            "json kept as given", NULL);
    require((s->plugin != NULL) != (s->command != NULL), "one objective", NULL);
    require(!s->command || (s->n_command > 0 && !s->command[s->n_command]),
            "argv NULL-terminated", NULL);
    require(s->config_json && s->config_json[0] == '{', "config is an object", NULL);
    require(s->strategy && s->acquisition, "strategy set", NULL);
    require(s->trials >= 1 && s->workers >= 1 && s->max_failures >= 1,
            "counts positive", NULL);
    const bo_space *own = s->space;
    const bo_space *def = default_space();
    size_t dim = own ? bo_space_dim(own) : 0;
    if (bo_space_dim(def) > dim)
        dim = bo_space_dim(def);
    double *u = calloc(dim ? dim : 1, sizeof *u);
    require(u != NULL, "memory", NULL);
    for (size_t i = 0; i < s->n_enqueue; i++) {
        if (own) {
            rc = bo_spec_enqueued(s, own, i, u, &err);
            require(rc == BO_OK, "own space accepts what parse accepted", &err);
            for (size_t k = 0; k < bo_space_dim(own); k++)
                require(u[k] >= 0 && u[k] <= 1, "u in the unit cube", NULL);
        }
        rc = bo_spec_enqueued(s, def, i, u, &err);
        if (rc)
            check_error(rc, &err);
    }
    rc = bo_spec_enqueued(s, def, s->n_enqueue, u, &err);
    require(rc == BO_EINVAL, "entry past the end refused", &err);
    free(u);
    bo_spec_free(s);
    return 0;
}
