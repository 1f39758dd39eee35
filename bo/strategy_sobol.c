/*
 * strategy_sobol.c — the digitally shifted Sobol sequence as a strategy.
 *
 * The i-th strategy proposal is Sobol point i (i = proposals so far, not
 * the trial number), so enqueued configurations do not leave holes in the
 * sequence and a resumed study, which replays its proposals through
 * bo_strategy_add, continues where it stopped. Never depends on the budget.
 */
#include "error.h"
#include "sobol.h"
#include "strategy_impl.h"

static int sobol_init(bo_strategy *s, bo_error *err)
{
    bo_sobol *q = NULL;
    int rc = bo_sobol_create(s->dim, s->opt.seed, 1, &q, err);
    if (rc)
        return rc;
    s->impl = q;
    return BO_OK;
}

static int sobol_propose(bo_strategy *s, int64_t trial, double *u,
                         bo_error *err)
{
    (void)trial;
    return bo_sobol_point(s->impl, (uint64_t)s->n_proposed, u, err);
}

static void sobol_destroy(bo_strategy *s)
{
    bo_sobol_free(s->impl);
    s->impl = NULL;
}

const bo_strategy_vtable bo_strategy_sobol_vt = {
    .name = "sobol",
    .init = sobol_init,
    .propose = sobol_propose,
    .observe = NULL,
    .destroy = sobol_destroy,
    .capacity = NULL,
};
