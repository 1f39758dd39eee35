/*
 * stream.h — GSL generators seeded from bo_stream_seed() (see bo.h for the
 * documented hash). Every random draw in bo goes through one of these.
 */
#ifndef BO_STREAM_H
#define BO_STREAM_H

#include <gsl/gsl_rng.h>

#include "bo/bo.h"

/* A fresh gsl_rng (mt19937) seeded from (seed, stream, index); NULL on
 * allocation failure. The caller frees it with gsl_rng_free. */
gsl_rng *bo_stream_rng(uint64_t seed, const char *stream, uint64_t index);

/* Reseeds an existing mt19937 generator r exactly as bo_stream_rng would
 * seed a fresh one, so a hot loop can reuse one generator. */
void bo_stream_set(gsl_rng *r, uint64_t seed, const char *stream,
                   uint64_t index);

#endif
