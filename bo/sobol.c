/*
 * sobol.c — the digitally shifted Sobol sequence (see sobol.h).
 *
 * GSL's generator starts at the sequence's second point (it never emits
 * the origin), so index 0 here is the origin and index k >= 1 is GSL's
 * k-th output: the published sequence (Bratley and Fox, ACM TOMS 659;
 * Joe and Kuo list the same first points) in its usual numbering.
 *
 * GSL only steps forward, so random access keeps one generator and its
 * position: asking for the next index costs one step, asking for an
 * earlier one restarts it (gsl_qrng_init) and steps up again. Callers walk
 * forward, so the restart is rare. This file must never draw from any
 * stream other than ("sobol", 0) for the shift and ("sobol-extra", index)
 * for the coordinates past GSL's 40: both are documented.
 */
#include "sobol.h"

#include <stdlib.h>

#include <gsl/gsl_qrng.h>

#include "error.h"
#include "stream.h"

#define SOBOL_BITS 30
#define SOBOL_SCALE 1073741824.0 /* 2^30 */
#define SOBOL_GSL_MAX 40

struct bo_sobol {
    size_t dim, dim_gsl;    /* dim_gsl = min(dim, 40) */
    uint64_t seed;
    int shifted;
    gsl_qrng *q;            /* NULL when dim_gsl is 0 */
    uint64_t next;          /* index of the point q emits next (>= 1) */
    uint32_t shift[SOBOL_GSL_MAX];
    double scratch[SOBOL_GSL_MAX];
    gsl_rng *extra;         /* NULL unless dim > 40 */
};

int bo_sobol_create(size_t dim, uint64_t seed, int shifted, bo_sobol **out,
                    bo_error *err)
{
    if (!out)
        return bo_error_set(err, BO_EINVAL, "bo_sobol_create: out is NULL");
    *out = NULL;
    bo_sobol *s = calloc(1, sizeof *s);
    if (!s)
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    s->dim = dim;
    s->dim_gsl = dim < SOBOL_GSL_MAX ? dim : SOBOL_GSL_MAX;
    s->seed = seed;
    s->shifted = shifted;
    s->next = 1;
    if (s->dim_gsl) {
        s->q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)s->dim_gsl);
        if (!s->q) {
            bo_sobol_free(s);
            return bo_error_set(err, BO_ENOMEM, "out of memory (Sobol, %zu "
                                "dimensions)", dim);
        }
    }
    if (shifted) {
        gsl_rng *r = bo_stream_rng(seed, "sobol", 0);
        if (!r) {
            bo_sobol_free(s);
            return bo_error_set(err, BO_ENOMEM, "out of memory");
        }
        /* mt19937 draws 32 uniform bits; keep the low 30. */
        for (size_t j = 0; j < SOBOL_GSL_MAX; j++)
            s->shift[j] = (uint32_t)(gsl_rng_get(r) & ((1u << SOBOL_BITS) - 1));
        gsl_rng_free(r);
    }
    if (dim > SOBOL_GSL_MAX) {
        s->extra = gsl_rng_alloc(gsl_rng_mt19937);
        if (!s->extra) {
            bo_sobol_free(s);
            return bo_error_set(err, BO_ENOMEM, "out of memory");
        }
    }
    *out = s;
    return BO_OK;
}

void bo_sobol_free(bo_sobol *s)
{
    if (!s)
        return;
    if (s->q)
        gsl_qrng_free(s->q);
    if (s->extra)
        gsl_rng_free(s->extra);
    free(s);
}

/* The unshifted coordinates of point `index` into x[dim_gsl]. */
static int raw_point(bo_sobol *s, uint64_t index, double *x, bo_error *err)
{
    if (index == 0) {
        for (size_t j = 0; j < s->dim_gsl; j++)
            x[j] = 0.0;
        return BO_OK;
    }
    if (index < s->next) {
        gsl_qrng_init(s->q);
        s->next = 1;
    }
    /* GSL's Sobol stops after 2^30 points (it returns an error status). */
    while (s->next < index) {
        if (gsl_qrng_get(s->q, s->scratch))
            return bo_error_set(err, BO_ERUNTIME,
                                "Sobol sequence exhausted at point %llu",
                                (unsigned long long)s->next);
        s->next++;
    }
    if (gsl_qrng_get(s->q, x))
        return bo_error_set(err, BO_ERUNTIME,
                            "Sobol sequence exhausted at point %llu",
                            (unsigned long long)index);
    s->next++;
    return BO_OK;
}

int bo_sobol_point(bo_sobol *s, uint64_t index, double *u, bo_error *err)
{
    if (!s || (s->dim && !u))
        return bo_error_set(err, BO_EINVAL, "bo_sobol_point: NULL argument");
    if (s->dim_gsl) {
        int rc = raw_point(s, index, u, err);
        if (rc)
            return rc;
    }
    if (s->shifted) {
        /* GSL's points are exact multiples of 2^-30, so the integer form
         * is exact and the XOR keeps every elementary interval's count. */
        for (size_t j = 0; j < s->dim_gsl; j++) {
            uint32_t v = (uint32_t)(u[j] * SOBOL_SCALE);
            u[j] = (double)(v ^ s->shift[j]) / SOBOL_SCALE;
        }
    }
    if (s->extra) {
        bo_stream_set(s->extra, s->seed, "sobol-extra", index);
        for (size_t j = SOBOL_GSL_MAX; j < s->dim; j++)
            u[j] = gsl_rng_uniform(s->extra);
    }
    return BO_OK;
}
