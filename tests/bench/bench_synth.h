/*
 * bench_synth.h — what the regret benchmarks share: the search space of a
 * synthetic function (x0..x{d-1} over its standard domain).
 */
#ifndef BO_BENCH_SYNTH_H
#define BO_BENCH_SYNTH_H

#include <stdio.h>
#include <string.h>

#include "bo/bo.h"
#include "functions.h"

#define BENCH_MAX_D 64

/* 0, or 1 after printing why. The space copies the names it is given. */
static inline int bench_synth_space(const bo_synth_function *fn, size_t d,
                                    size_t max_d, bo_space **sp)
{
    bo_param_spec params[BENCH_MAX_D];
    char names[BENCH_MAX_D][8];
    bo_error err;
    if (d > max_d || d > BENCH_MAX_D) {
        fprintf(stderr, "bench: %zu dimensions, at most %zu\n", d,
                max_d < BENCH_MAX_D ? max_d : (size_t)BENCH_MAX_D);
        return 1;
    }
    memset(params, 0, sizeof params);
    for (size_t i = 0; i < d; i++) {
        snprintf(names[i], sizeof names[i], "x%zu", i);
        params[i].name = names[i];
        params[i].type = BO_PARAM_FLOAT;
        fn->domain(i, d, &params[i].low, &params[i].high);
    }
    if (bo_space_create(params, d, sp, &err)) {
        fprintf(stderr, "bench: %s\n", err.message);
        return 1;
    }
    return 0;
}

#endif
