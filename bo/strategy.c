/*
 * strategy.c — the ask/add/tell core shared by every strategy.
 *
 * It owns the history (canonical points, origins, states, losses, costs)
 * and the trial numbering; an implementation (strategy_*.c, through
 * strategy_impl.h) only proposes the next point. The core must never let
 * a proposal see the budget (only grid reads options.budget), and never
 * hand an implementation a point that is not canonical.
 */
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "bo/bo.h"
#include "acquisition.h"
#include "error.h"
#include "strategy_impl.h"

/* The strategies built into libbo, looked up by name. */
static const bo_strategy_vtable *const strategy_table[] = {
    &bo_strategy_bo_vt,
    &bo_strategy_random_vt,
    &bo_strategy_sobol_vt,
    &bo_strategy_grid_vt,
};
#define N_STRATEGIES (sizeof strategy_table / sizeof strategy_table[0])
#define KNOWN_NAMES "bo, random, sobol, grid"

static const char *const state_names[] = {
    "pending", "running", "complete", "failed",
    "crashed", "timeout", "invalid", "abandoned",
};
#define N_STATES (sizeof state_names / sizeof state_names[0])

const char *bo_trial_state_name(int state)
{
    if (state < 0 || (size_t)state >= N_STATES)
        return "unknown";
    return state_names[state];
}

int bo_trial_state_parse(const char *name)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < N_STATES; i++)
        if (strcmp(state_names[i], name) == 0)
            return (int)i;
    return -1;
}

bo_strategy_options bo_strategy_options_default(void)
{
    bo_strategy_options o;
    memset(&o, 0, sizeof o);
    o.name = "bo";
    o.seed = 0;
    o.initial = -1;
    o.acquisition = "ei";
    o.levels = -1;
    o.budget = -1;
    return o;
}

static const bo_strategy_vtable *find_vtable(const char *name)
{
    for (size_t i = 0; i < N_STRATEGIES; i++)
        if (strcmp(strategy_table[i]->name, name) == 0)
            return strategy_table[i];
    return NULL;
}

int bo_strategy_create(const bo_space *space,
                       const bo_strategy_options *options, bo_strategy **out,
                       bo_error *err)
{
    if (!out)
        return bo_error_set(err, BO_EINVAL, "bo_strategy_create: out is NULL");
    *out = NULL;
    if (!space)
        return bo_error_set(err, BO_EINVAL, "bo_strategy_create: space is NULL");
    /* GSL's default handler aborts the process; we check every status. */
    gsl_set_error_handler_off();

    bo_strategy_options opt = options ? *options : bo_strategy_options_default();
    const char *name = opt.name ? opt.name : "bo";
    const char *acq = opt.acquisition ? opt.acquisition : "ei";
    const bo_strategy_vtable *vt = find_vtable(name);
    if (!vt && strcmp(name, "bo") == 0)
        return bo_error_set(err, BO_ENOTFOUND,
                            "strategy 'bo' is not built into this library");
    if (!vt)
        return bo_error_set(err, BO_EINVAL,
                            "unknown strategy '%s' (known: " KNOWN_NAMES ")",
                            name);
    /* -1 is "the default"; anything else must mean what it says */
    if (opt.initial < -1)
        return bo_error_set(err, BO_EINVAL, "initial: %" PRId64 " (give -1 "
                            "for the default, or a size >= 0)", opt.initial);
    if (opt.levels != -1 && opt.levels < 2)
        return bo_error_set(err, BO_EINVAL, "levels: %" PRId64 " (give -1 "
                            "for one from the budget, or 2 or more)",
                            opt.levels);
    if (opt.budget != -1 && opt.budget < 1)
        return bo_error_set(err, BO_EINVAL, "budget: %" PRId64 " (give -1 "
                            "for unknown, or 1 or more trials)", opt.budget);
    if (bo_acq_kind_parse(acq) < 0)
        return bo_error_set(err, BO_EINVAL, "unknown acquisition '%.40s' "
                            "(known: ei, pi, ucb, eips)", acq);
    bo_strategy *s = calloc(1, sizeof *s);
    if (!s)
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    snprintf(s->name_, sizeof s->name_, "%s", name);
    snprintf(s->acquisition_, sizeof s->acquisition_, "%s", acq);
    s->vt = vt;
    s->space = space;
    s->dim = bo_space_dim(space);
    s->opt = opt;
    s->opt.name = s->name_;
    s->opt.acquisition = s->acquisition_;
    int rc = vt->init(s, err);
    if (rc) {
        s->vt = NULL; /* init failed: nothing for destroy to free */
        bo_strategy_free(s);
        return rc;
    }
    *out = s;
    return BO_OK;
}

void bo_strategy_free(bo_strategy *s)
{
    if (!s)
        return;
    if (s->vt && s->vt->destroy)
        s->vt->destroy(s);
    free(s->u);
    free(s->origin);
    free(s->state);
    free(s->loss);
    free(s->cost_s);
    free(s);
}

const char *bo_strategy_name(const bo_strategy *s)
{
    return s ? s->name_ : NULL;
}

/* Makes room for one more history entry, doubling the capacity. */
static int grow(bo_strategy *s, bo_error *err)
{
    if (s->n < s->cap)
        return BO_OK;
    size_t cap = s->cap ? 2 * s->cap : 16;
    size_t ud = s->dim ? s->dim : 1;
    double *u = realloc(s->u, cap * ud * sizeof *u);
    if (u)
        s->u = u;
    int *origin = realloc(s->origin, cap * sizeof *origin);
    if (origin)
        s->origin = origin;
    int *state = realloc(s->state, cap * sizeof *state);
    if (state)
        s->state = state;
    double *loss = realloc(s->loss, cap * sizeof *loss);
    if (loss)
        s->loss = loss;
    double *cost = realloc(s->cost_s, cap * sizeof *cost);
    if (cost)
        s->cost_s = cost;
    /* Arrays that did grow keep their old contents; cap only moves when all
     * did, so a failure leaves a consistent history. */
    if (!u || !origin || !state || !loss || !cost)
        return bo_error_set(err, BO_ENOMEM, "out of memory growing the "
                            "history to %zu trials", cap);
    s->cap = cap;
    return BO_OK;
}

/* Appends the canonical form of u as a pending trial. */
static int record(bo_strategy *s, const double *u, int origin, int64_t *trial,
                  bo_error *err)
{
    int rc = grow(s, err);
    if (rc)
        return rc;
    double *row = s->u + s->n * s->dim;
    bo_space_canonical(s->space, u, row);
    s->origin[s->n] = origin;
    s->state[s->n] = BO_TRIAL_PENDING;
    s->loss[s->n] = NAN;
    s->cost_s[s->n] = NAN;
    if (origin == BO_ORIGIN_STRATEGY)
        s->n_proposed++;
    if (trial)
        *trial = (int64_t)s->n;
    s->n++;
    return BO_OK;
}

int bo_strategy_ask(bo_strategy *s, double *u, int64_t *trial, bo_error *err)
{
    if (!s || (s->dim && !u))
        return bo_error_set(err, BO_EINVAL, "bo_strategy_ask: NULL argument");
    int rc = s->vt->propose(s, (int64_t)s->n, u, err);
    if (rc)
        return rc; /* BO_DONE or an error: no trial is created */
    int64_t t;
    rc = record(s, u, BO_ORIGIN_STRATEGY, &t, err);
    if (rc)
        return rc;
    if (s->dim) /* u may be NULL on a space of no dimension */
        memcpy(u, s->u + (size_t)t * s->dim, s->dim * sizeof *u);
    if (trial)
        *trial = t;
    return BO_OK;
}

int bo_strategy_add(bo_strategy *s, const double *u, int origin,
                    int64_t *trial, bo_error *err)
{
    if (!s || (s->dim && !u))
        return bo_error_set(err, BO_EINVAL, "bo_strategy_add: NULL argument");
    if (origin != BO_ORIGIN_STRATEGY && origin != BO_ORIGIN_USER)
        return bo_error_set(err, BO_EINVAL,
                            "bo_strategy_add: unknown origin %d", origin);
    return record(s, u, origin, trial, err);
}

static bool is_final(int state)
{
    return state >= BO_TRIAL_COMPLETE && state <= BO_TRIAL_ABANDONED;
}

int bo_strategy_tell(bo_strategy *s, int64_t trial, int state, double loss,
                     double cost_s, bo_error *err)
{
    if (!s)
        return bo_error_set(err, BO_EINVAL, "bo_strategy_tell: NULL strategy");
    if (trial < 0 || (uint64_t)trial >= s->n)
        return bo_error_set(err, BO_ESTATE,
                            "trial %lld is unknown (%zu trials so far)",
                            (long long)trial, s->n);
    if (!is_final(state))
        return bo_error_set(err, BO_EINVAL,
                            "trial %lld: '%s' is not a final state",
                            (long long)trial, bo_trial_state_name(state));
    size_t i = (size_t)trial;
    if (s->state[i] != BO_TRIAL_PENDING)
        return bo_error_set(err, BO_ESTATE,
                            "trial %lld was already told (%s)",
                            (long long)trial, bo_trial_state_name(s->state[i]));
    /* The surrogate must never see a non-finite loss as a result. */
    if (state == BO_TRIAL_COMPLETE && !isfinite(loss))
        return bo_error_set(err, BO_EINVAL,
                            "trial %lld: complete with a non-finite loss "
                            "(tell it as invalid)", (long long)trial);
    s->state[i] = state;
    s->loss[i] = state == BO_TRIAL_COMPLETE ? loss : NAN;
    s->cost_s[i] = cost_s;
    if (s->vt->observe)
        return s->vt->observe(s, trial, err);
    return BO_OK;
}

int64_t bo_strategy_capacity(const bo_strategy *s)
{
    if (!s || !s->vt->capacity)
        return -1;
    return s->vt->capacity(s);
}
