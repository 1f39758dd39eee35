/*
 * acq_search.c — the acquisition maximizer (see acq_search.h).
 *
 * Why this shape: the acquisition surface is multi-modal and flat far from
 * the data, so a gradient method alone stalls; dense scoring finds the
 * basins cheaply (one batched GP prediction), the local perturbations put
 * candidates where EI's peaks usually are (near the incumbents), and a
 * short projected gradient ascent then climbs the best few basins to the
 * precision that small regrets need. Discrete dimensions have no useful
 * gradient: the refinement holds them and an enumeration pass tries their
 * other values.
 *
 * Must never: allocate in bo_acq_search_run, or return an excluded point.
 */
#include "acq_search.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "error.h"
#include "sobol.h"
#include "stream.h"

enum { P_CONT = 0, P_INT_ENUM, P_CAT };

typedef struct pinfo {
    int kind;
    size_t offset;
    size_t count;      /* values (ints) or choices (categoricals) */
    double low, high;  /* ints */
    int log;
} pinfo;

struct bo_acq_search {
    const bo_space *space;
    size_t dim, n_params;
    bo_acq_search_options o;
    pinfo *p;
    unsigned char *mask; /* dims refined by gradient */
    double *sobol;       /* n_candidates x dim, unrotated */
    double *cand;        /* (n_candidates + n_local) x dim */
    double *score;
    double *work;        /* 4 x candidates */
    double *refined;     /* n_refine x dim */
    double *rscore;
    size_t *top;
    double *x, *g, *xn, *gn, *shift, *tmp;
    gsl_rng *rng;
    size_t allocs;
    bo_acq_search_stats stats;
};

bo_acq_search_options bo_acq_search_options_default(void)
{
    bo_acq_search_options o = {.n_candidates = 0, .n_local = 0,
                               .local_sd = 0.1, .n_refine = 5,
                               .max_iter = 40};
    return o;
}

void bo_acq_search_free(bo_acq_search *s)
{
    if (!s)
        return;
    free(s->p);
    free(s->mask);
    free(s->sobol);
    free(s->cand);
    free(s->score);
    free(s->work);
    free(s->refined);
    free(s->rscore);
    free(s->top);
    free(s->x);
    if (s->rng)
        gsl_rng_free(s->rng);
    free(s);
}

size_t bo_acq_search_alloc_count(const bo_acq_search *s) { return s->allocs; }

const bo_acq_search_stats *bo_acq_search_last_stats(const bo_acq_search *s)
{
    return &s->stats;
}

static void *alloc_n(bo_acq_search *s, size_t n, size_t size)
{
    s->allocs++;
    return calloc(n ? n : 1, size);
}

int bo_acq_search_create(const bo_space *space,
                         const bo_acq_search_options *o,
                         bo_acq_search **out, bo_error *err)
{
    *out = NULL;
    bo_acq_search *s = calloc(1, sizeof *s);
    if (!s)
        return bo_error_set(err, BO_ENOMEM, "acquisition search: out of memory");
    s->allocs = 1;
    s->space = space;
    s->dim = bo_space_dim(space);
    s->n_params = bo_space_n_params(space);
    s->o = o ? *o : bo_acq_search_options_default();
    size_t dim = s->dim;
    if (!s->o.n_candidates) {
        s->o.n_candidates = 1000 + 100 * dim;
        if (s->o.n_candidates > 4000)
            s->o.n_candidates = 4000;
    }
    if (!s->o.n_local) {
        s->o.n_local = 400 + 20 * dim;
        if (s->o.n_local > 4000)
            s->o.n_local = 4000;
    }
    /* The candidates are held whole (nc x dim doubles): past 2^24 values
     * (128 MiB; dimensions in the thousands) both counts shrink alike,
     * to no fewer than 64 each, rather than the memory growing with dim. */
    const size_t budget = (size_t)1 << 24;
    if ((s->o.n_candidates + s->o.n_local) * dim > budget) {
        size_t per = budget / (dim ? dim : 1) / 2;
        if (per < 64)
            per = 64;
        if (s->o.n_candidates > per)
            s->o.n_candidates = per;
        if (s->o.n_local > per)
            s->o.n_local = per;
    }
    if (!(s->o.local_sd > 0))
        s->o.local_sd = 0.1;
    if (!s->o.n_refine)
        s->o.n_refine = 1;
    size_t nc = s->o.n_candidates + s->o.n_local;
    s->p = alloc_n(s, s->n_params, sizeof *s->p);
    s->mask = alloc_n(s, dim, 1);
    s->sobol = alloc_n(s, s->o.n_candidates * dim, sizeof(double));
    s->cand = alloc_n(s, nc * dim, sizeof(double));
    s->score = alloc_n(s, nc, sizeof(double));
    s->work = alloc_n(s, 4 * nc, sizeof(double));
    s->refined = alloc_n(s, s->o.n_refine * dim, sizeof(double));
    s->rscore = alloc_n(s, s->o.n_refine, sizeof(double));
    s->top = alloc_n(s, s->o.n_refine, sizeof(size_t));
    s->x = alloc_n(s, 6 * dim, sizeof(double));
    s->rng = gsl_rng_alloc(gsl_rng_mt19937);
    s->allocs++;
    if (!s->p || !s->mask || !s->sobol || !s->cand || !s->score ||
        !s->work || !s->refined || !s->rscore || !s->top || !s->x ||
        !s->rng) {
        bo_acq_search_free(s);
        return bo_error_set(err, BO_ENOMEM, "acquisition search: out of memory");
    }
    s->g = s->x + dim;
    s->xn = s->x + 2 * dim;
    s->gn = s->x + 3 * dim;
    s->shift = s->x + 4 * dim;
    s->tmp = s->x + 5 * dim;

    size_t off = 0;
    for (size_t i = 0; i < s->n_params; i++) {
        const bo_param_spec *ps = bo_space_param(space, i);
        pinfo *p = &s->p[i];
        p->offset = off;
        p->low = ps->low;
        p->high = ps->high;
        p->log = ps->log;
        if (ps->type == BO_PARAM_CATEGORICAL) {
            p->kind = P_CAT;
            p->count = ps->n_choices;
            off += ps->n_choices;
            continue;
        }
        double count = ps->type == BO_PARAM_INT ? ps->high - ps->low + 1 : 0;
        if (ps->type == BO_PARAM_INT && count <= BO_ACQ_ENUM_MAX) {
            p->kind = P_INT_ENUM;
            p->count = (size_t)count;
        } else {
            p->kind = P_CONT;
            s->mask[off] = 1;
        }
        off++;
    }

    if (dim) {
        bo_sobol *q = NULL;
        int rc = bo_sobol_create(dim, 0, 0, &q, err);
        for (size_t i = 0; !rc && i < s->o.n_candidates; i++)
            rc = bo_sobol_point(q, i, s->sobol + i * dim, err);
        bo_sobol_free(q);
        if (rc) {
            bo_acq_search_free(s);
            return rc;
        }
    }
    *out = s;
    return BO_OK;
}

int bo_acq_point_in(const double *u, const double *points, size_t n,
                    size_t dim)
{
    for (size_t i = 0; i < n; i++) {
        const double *p = points + i * dim;
        size_t k = 0;
        while (k < dim && fabs(u[k] - p[k]) <= 1e-12)
            k++;
        if (k == dim)
            return 1;
    }
    return 0;
}

static double clamp01(double v) { return v < 0.0 ? 0.0 : v > 1.0 ? 1.0 : v; }

static double eval(const bo_acq_fn *f, const double *u, double *grad)
{
    double v = f->value(f->ctx, u, grad);
    return isfinite(v) ? v : -INFINITY;
}

/* u of value number k of an enumerated int parameter (inside its bin). */
static double int_position(const pinfo *p, size_t k)
{
    if (p->log) {
        double lo = log(p->low), hi = log(p->high + 1.0);
        return (log(p->low + (double)k + 0.5) - lo) / (hi - lo);
    }
    return ((double)k + 0.5) / (double)p->count;
}

/*
 * Projected gradient ascent over the masked dimensions, from x (value f,
 * gradient g, already filled), with an Armijo backtracking test and
 * Barzilai-Borwein step lengths. The first step moves at most 0.05 of the
 * box: log EI's gradient spans many orders of magnitude, so its norm says
 * nothing about a sensible step.
 */
static double refine(bo_acq_search *s, const bo_acq_fn *f, double fx)
{
    size_t dim = s->dim;
    double *x = s->x, *g = s->g, *xn = s->xn, *gn = s->gn;
    double gmax = 0.0;
    for (size_t k = 0; k < dim; k++)
        if (s->mask[k] && fabs(g[k]) > gmax)
            gmax = fabs(g[k]);
    if (!(gmax > 0.0) || !isfinite(gmax))
        return fx;
    double t = 0.05 / gmax;
    for (size_t it = 0; it < s->o.max_iter; it++) {
        double moved = 0.0, dec = 0.0;
        for (size_t k = 0; k < dim; k++) {
            xn[k] = s->mask[k] ? clamp01(x[k] + t * g[k]) : x[k];
            double st = xn[k] - x[k];
            moved = fmax(moved, fabs(st));
            dec += g[k] * st;
        }
        if (moved < 1e-10)
            break;
        double fn = eval(f, xn, gn);
        s->stats.n_refine_evals++;
        if (fn >= fx + 1e-4 * dec && isfinite(fn)) {
            double ss = 0.0, sy = 0.0;
            for (size_t k = 0; k < dim; k++) {
                if (!s->mask[k])
                    continue;
                double st = xn[k] - x[k];
                ss += st * st;
                sy += st * (g[k] - gn[k]);
            }
            double gain = fn - fx;
            memcpy(x, xn, dim * sizeof *x);
            memcpy(g, gn, dim * sizeof *g);
            fx = fn;
            t = sy > 0.0 ? ss / sy : t * 2.0;
            if (gain <= 1e-12 * (1.0 + fabs(fx)))
                break;
        } else {
            t *= 0.25;
            if (t * gmax < 1e-12)
                break;
        }
    }
    return fx;
}

/* One pass over the discrete parameters of x (value fx): each takes the
 * value that maximizes f with the rest held. */
static double enumerate(bo_acq_search *s, const bo_acq_fn *f, double *x,
                        double fx)
{
    size_t dim = s->dim;
    double *t = s->tmp;
    for (size_t i = 0; i < s->n_params; i++) {
        const pinfo *p = &s->p[i];
        if (p->kind == P_CONT)
            continue;
        for (size_t k = 0; k < p->count; k++) {
            memcpy(t, x, dim * sizeof *t);
            if (p->kind == P_INT_ENUM) {
                t[p->offset] = int_position(p, k);
            } else {
                for (size_t c = 0; c < p->count; c++)
                    t[p->offset + c] = c == k ? 1.0 : 0.0;
            }
            bo_space_canonical(s->space, t, t);
            double v = eval(f, t, NULL);
            s->stats.n_enum_evals++;
            if (v > fx) {
                fx = v;
                memcpy(x, t, dim * sizeof *x);
            }
        }
    }
    return fx;
}

int bo_acq_search_run(bo_acq_search *s, const bo_acq_fn *f,
                      const double *centres, size_t n_centres,
                      const double *exclude, size_t n_exclude, uint64_t seed,
                      double *u, double *value, bo_error *err)
{
    size_t dim = s->dim, M = s->o.n_candidates;
    size_t L = n_centres ? s->o.n_local : 0, nc = M + L;
    memset(&s->stats, 0, sizeof s->stats);
    gsl_rng_set(s->rng, (unsigned long)(uint32_t)(seed ^ (seed >> 32)));
    if (dim == 0)
        return n_exclude ? BO_DONE : BO_OK;

    /* Candidates: the Sobol set rotated (mod 1) by a uniform shift, and
     * Gaussian perturbations of the centres, half at a tenth the scale. */
    for (size_t k = 0; k < dim; k++)
        s->shift[k] = gsl_rng_uniform(s->rng);
    for (size_t i = 0; i < M; i++) {
        double *c = s->cand + i * dim;
        const double *q = s->sobol + i * dim;
        for (size_t k = 0; k < dim; k++) {
            double v = q[k] + s->shift[k];
            c[k] = v >= 1.0 ? v - 1.0 : v;
        }
        bo_space_canonical(s->space, c, c);
    }
    for (size_t j = 0; j < L; j++) {
        double *c = s->cand + (M + j) * dim;
        const double *ctr = centres + (j % n_centres) * dim;
        double sd = (j / n_centres) % 2 ? s->o.local_sd * 0.1 : s->o.local_sd;
        for (size_t k = 0; k < dim; k++)
            c[k] = clamp01(ctr[k] + gsl_ran_gaussian(s->rng, sd));
        bo_space_canonical(s->space, c, c);
    }
    if (f->values) {
        int rc = f->values(f->ctx, s->cand, nc, s->score, s->work, err);
        if (rc)
            return rc;
        for (size_t i = 0; i < nc; i++)
            if (!isfinite(s->score[i]))
                s->score[i] = -INFINITY;
    } else {
        for (size_t i = 0; i < nc; i++)
            s->score[i] = eval(f, s->cand + i * dim, NULL);
    }
    s->stats.n_scored = nc;

    /* The best n_refine distinct candidates, by repeated scans (n_refine
     * is small; a sort would allocate). */
    size_t R = s->o.n_refine, nr = 0;
    for (size_t r = 0; r < R; r++) {
        size_t bi = SIZE_MAX;
        for (size_t i = 0; i < nc; i++) {
            if (s->score[i] == -INFINITY)
                continue;
            if (bi != SIZE_MAX && !(s->score[i] > s->score[bi]))
                continue;
            int taken = 0;
            for (size_t q = 0; q < nr && !taken; q++)
                taken = s->top[q] == i ||
                        bo_acq_point_in(s->cand + i * dim,
                                        s->cand + s->top[q] * dim, 1, dim);
            if (!taken)
                bi = i;
        }
        if (bi == SIZE_MAX)
            break;
        s->top[nr++] = bi;
    }

    /* Refine each start; the best refined point also gets its discrete
     * parameters enumerated, then one more ascent from there. */
    size_t best_r = SIZE_MAX;
    for (size_t r = 0; r < nr; r++) {
        memcpy(s->x, s->cand + s->top[r] * dim, dim * sizeof(double));
        double fx = eval(f, s->x, s->g);
        s->stats.n_refine_evals++;
        refine(s, f, fx);
        double *out = s->refined + r * dim;
        bo_space_canonical(s->space, s->x, out);
        s->rscore[r] = eval(f, out, NULL);
        if (best_r == SIZE_MAX || s->rscore[r] > s->rscore[best_r])
            best_r = r;
    }
    if (best_r != SIZE_MAX) {
        double *out = s->refined + best_r * dim;
        double before = s->rscore[best_r];
        double fe = enumerate(s, f, out, before);
        if (fe > before) {
            s->rscore[best_r] = fe; /* out holds the enumerated point */
            memcpy(s->x, out, dim * sizeof(double));
            double fx = eval(f, s->x, s->g);
            s->stats.n_refine_evals++;
            refine(s, f, fx);
            bo_space_canonical(s->space, s->x, s->tmp);
            double v = eval(f, s->tmp, NULL);
            if (v > fe) {
                memcpy(out, s->tmp, dim * sizeof(double));
                s->rscore[best_r] = v;
            }
        }
    }

    /* The best point, refined or not, that is not excluded: repeatedly
     * take the best remaining and reject it if excluded. */
    for (;;) {
        double bv = -INFINITY;
        const double *bp = NULL;
        double *bslot = NULL;
        for (size_t r = 0; r < nr; r++)
            if (s->rscore[r] > bv) {
                bv = s->rscore[r];
                bp = s->refined + r * dim;
                bslot = &s->rscore[r];
            }
        for (size_t i = 0; i < nc; i++)
            if (s->score[i] > bv) {
                bv = s->score[i];
                bp = s->cand + i * dim;
                bslot = &s->score[i];
            }
        if (!bp)
            break;
        if (!bo_acq_point_in(bp, exclude, n_exclude, dim)) {
            memcpy(u, bp, dim * sizeof *u);
            if (value)
                *value = bv;
            return BO_OK;
        }
        s->stats.n_rejected++;
        *bslot = -INFINITY; /* never picked again */
    }

    /* Every scored point was excluded or worthless (a finite space nearly
     * used up, or an acquisition of -inf everywhere): take the first
     * uniform draw that is new. */
    for (size_t tries = 0; tries < 20000; tries++) {
        for (size_t k = 0; k < dim; k++)
            s->tmp[k] = gsl_rng_uniform(s->rng);
        bo_space_canonical(s->space, s->tmp, s->tmp);
        if (!bo_acq_point_in(s->tmp, exclude, n_exclude, dim)) {
            memcpy(u, s->tmp, dim * sizeof *u);
            if (value)
                *value = eval(f, u, NULL);
            return BO_OK;
        }
    }
    return BO_DONE;
}
