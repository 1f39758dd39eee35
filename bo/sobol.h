/*
 * sobol.h — the digitally shifted Sobol sequence used by the `sobol`
 * strategy and by `bo`'s initial design.
 *
 * Points come from GSL's Sobol generator (gsl_qrng_sobol). The shift is
 * digital: each coordinate's integer form floor(x 2^30) is XORed with a
 * 30-bit shift drawn from the stream ("sobol", 0) of the seed, which keeps
 * the sequence's (t,s)-net structure (a shift mod 1 would not). Past GSL's
 * 40 dimensions, coordinates 41 and up come from the seeded uniform stream
 * ("sobol-extra", index) — documented in the README and tested.
 */
#ifndef BO_SOBOL_H
#define BO_SOBOL_H

#include "bo/bo.h"

typedef struct bo_sobol bo_sobol;

/* seed_shift 0 disables the shift (the published, unshifted sequence). */
int bo_sobol_create(size_t dim, uint64_t seed, int shifted, bo_sobol **out,
                    bo_error *err);
void bo_sobol_free(bo_sobol *s);
/* Point number `index` (0-based; point 0 of the unshifted sequence is the
 * origin) into u[dim]. Random access: jumps forward or restarts as needed,
 * so callers may ask for any index in any order. */
int bo_sobol_point(bo_sobol *s, uint64_t index, double *u, bo_error *err);

#endif
