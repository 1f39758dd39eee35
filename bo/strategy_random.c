/*
 * strategy_random.c — uniform random search.
 *
 * Trial t's point is drawn from its own stream ("random", t) of the seed,
 * so it depends on nothing but the seed and the trial number: not on the
 * budget or the history. It must never carry a generator's state from one
 * trial to the next (a point would then depend on earlier draws).
 */
#include <stdlib.h>

#include "error.h"
#include "strategy_impl.h"
#include "stream.h"

static int random_init(bo_strategy *s, bo_error *err)
{
    /* One generator, reseeded per trial: asks allocate nothing. */
    s->impl = gsl_rng_alloc(gsl_rng_mt19937);
    if (!s->impl)
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    return BO_OK;
}

static int random_propose(bo_strategy *s, int64_t trial, double *u,
                          bo_error *err)
{
    (void)err;
    gsl_rng *r = s->impl;
    bo_stream_set(r, s->opt.seed, "random", (uint64_t)trial);
    for (size_t j = 0; j < s->dim; j++)
        u[j] = gsl_rng_uniform(r);
    return BO_OK;
}

static void random_destroy(bo_strategy *s)
{
    if (s->impl)
        gsl_rng_free(s->impl);
    s->impl = NULL;
}

const bo_strategy_vtable bo_strategy_random_vt = {
    .name = "random",
    .init = random_init,
    .propose = random_propose,
    .observe = NULL,
    .destroy = random_destroy,
    .capacity = NULL,
};
