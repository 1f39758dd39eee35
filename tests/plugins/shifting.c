/*
 * shifting.c — a test objective whose default space is what the
 * environment says (a plugin rebuilt between two runs of one study):
 * BO_TEST_SPACE unset, "x" float in [0, 1]; "wider", "x" in [0, 2];
 * "renamed", "y" in [0, 1]. Loss: (v - 0.3)^2.
 */
#include "bo/objective.h"

#include <stdlib.h>
#include <string.h>

static bo_param_spec space[1];

static int s_create(const char *config_json, void **instance, char *err,
                    size_t errlen)
{
    (void)config_json;
    (void)err;
    (void)errlen;
    static int one;
    *instance = &one;
    return 0;
}

static int s_evaluate(void *instance, const bo_value *a, size_t n,
                      const bo_host *host, bo_outcome *o)
{
    (void)instance;
    (void)host;
    double v = n == 1 && a[0].type == BO_VALUE_DOUBLE ? a[0].d : 1e9;
    o->loss = (v - 0.3) * (v - 0.3);
    return 0;
}

static void s_destroy(void *instance)
{
    (void)instance;
}

static const bo_objective descriptor = {
    .abi_version = BO_OBJECTIVE_ABI_VERSION,
    .struct_size = sizeof(bo_objective),
    .name = "shifting",
    .space = space,
    .n_space = 1,
    .create = s_create,
    .evaluate = s_evaluate,
    .destroy = s_destroy,
};

BO_OBJECTIVE_EXPORT const bo_objective *bo_objective_entry(void)
{
    const char *how = getenv("BO_TEST_SPACE");
    how = how ? how : "";
    space[0] = (bo_param_spec){
        .name = strcmp(how, "renamed") == 0 ? "y" : "x",
        .type = BO_PARAM_FLOAT, .low = 0,
        .high = strcmp(how, "wider") == 0 ? 2 : 1};
    return &descriptor;
}
