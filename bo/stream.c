/*
 * stream.c — the documented stream hash (bo.h) and the GSL generators
 * seeded from it. Every random draw in bo starts here, so this file must
 * never change its outputs for a given (seed, stream, index): stored
 * studies and published comparisons depend on them bit for bit.
 *
 * splitmix64 below is the output finalizer of Steele, Lea and Flood's
 * SplitMix64 (the "mix64" variant 13 constants), without the generator's
 * own increment: bo.h already XORs the golden-ratio constant in. So
 * bo_stream_seed(0, ...) starts from splitmix64(0x9E3779B97F4A7C15), the
 * first output of a SplitMix64 generator seeded with 0.
 *
 * GSL's mt19937 keeps only the low 32 bits of its seed, so the 64-bit hash
 * is folded to 32 bits by XOR of its two halves before seeding: every hash
 * bit then reaches the generator. (mt19937 seeded with 0 uses GSL's default
 * seed 4357; a fold of 0 therefore collides with a fold of 4357, one pair in
 * 2^32, which is harmless.)
 */
#include "stream.h"

static uint64_t splitmix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint64_t fnv1a64(const char *s)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (const unsigned char *c = (const unsigned char *)s; c && *c; c++) {
        h ^= *c;
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

uint64_t bo_stream_seed(uint64_t seed, const char *stream, uint64_t index)
{
    uint64_t h = splitmix64(seed ^ UINT64_C(0x9E3779B97F4A7C15));
    h = splitmix64(h ^ fnv1a64(stream));
    return splitmix64(h ^ index);
}

uint64_t bo_trial_seed(uint64_t study_seed, int64_t trial)
{
    return bo_stream_seed(study_seed, "trial", (uint64_t)trial);
}

void bo_stream_set(gsl_rng *r, uint64_t seed, const char *stream,
                   uint64_t index)
{
    uint64_t h = bo_stream_seed(seed, stream, index);
    gsl_rng_set(r, (unsigned long)(uint32_t)(h ^ (h >> 32)));
}

gsl_rng *bo_stream_rng(uint64_t seed, const char *stream, uint64_t index)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (r)
        bo_stream_set(r, seed, stream, index);
    return r;
}
