/*
 * bad_abi.c — a test plugin built for a future ABI (version 99): the loader
 * must refuse it before reading any other field, naming both versions.
 * Every other field is deliberately garbage.
 */
#include "bo/objective.h"

static const bo_objective descriptor = {
    .abi_version = 99,
    .struct_size = 7,
    .name = (const char *)0x1,
};

BO_OBJECTIVE_EXPORT const bo_objective *bo_objective_entry(void)
{
    return &descriptor;
}
