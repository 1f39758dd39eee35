/*
 * test_stream.c — the documented stream hash (bo.h) and its generators.
 *
 * References: FNV-1a 64 (Fowler, Noll, Vo; offset basis 0xcbf29ce484222325,
 * prime 0x100000001b3; published test vector FNV-1a("a") =
 * 0xaf63dc4c8601ec8c) and SplitMix64 (Steele, Lea, Flood 2014; a generator
 * seeded with 0 first outputs 0xe220a8397b1dcdaf, the widely published
 * first value of Vigna's splitmix64.c). The expected hashes below were
 * worked out independently with Python's big integers from those
 * definitions:
 *   M = 2**64 - 1
 *   def sm(z): z = ((z ^ z >> 30) * 0xBF58476D1CE4E5B9) & M
 *              z = ((z ^ z >> 27) * 0x94D049BB133111EB) & M; return z ^ z >> 31
 *   def fnv(s): h = 0xcbf29ce484222325
 *               for b in s.encode(): h = ((h ^ b) * 0x100000001b3) & M
 *               return h
 *   seed(s, name, i) = sm(sm(sm(s ^ 0x9E3779B97F4A7C15) ^ fnv(name)) ^ i)
 */
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "stream.h"

/* The test's own reading of the published definitions. */
static uint64_t ref_splitmix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint64_t ref_fnv1a64(const char *s)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001b3);
    return h;
}

/* The test's reference functions agree with the published vectors, so
 * the composition below checks bo_stream_seed against the definitions. */
static void test_reference_vectors(void)
{
    CHECK(ref_fnv1a64("a") == UINT64_C(0xaf63dc4c8601ec8c));
    CHECK(ref_fnv1a64("") == UINT64_C(0xcbf29ce484222325));
    /* SplitMix64 seeded with 0: state += gamma, then the finalizer. */
    CHECK(ref_splitmix64(UINT64_C(0x9E3779B97F4A7C15)) ==
          UINT64_C(0xe220a8397b1dcdaf));
}

/* bo_stream_seed against values computed in Python (header comment). */
static void test_seed_known_values(void)
{
    CHECK(bo_stream_seed(0, "trial", 0) == UINT64_C(0x7e56d6bf33509f9f));
    CHECK(bo_stream_seed(1, "trial", 3) == UINT64_C(0x6719094c65bd6c96));
    CHECK(bo_stream_seed(42, "random", 7) == UINT64_C(0x2aeeaf9830ce132e));
    CHECK(bo_stream_seed(0xdeadbeef, "sobol", 0) ==
          UINT64_C(0xc2bfad52cd72b40e));
}

/* And against the composition of the reference functions, many inputs. */
static void test_seed_matches_definition(void)
{
    const char *names[] = {"trial", "random", "sobol", "grid", "initial",
                           "acquisition", ""};
    int bad = 0;
    for (uint64_t seed = 0; seed < 50; seed += 7)
        for (size_t k = 0; k < sizeof names / sizeof *names; k++)
            for (uint64_t i = 0; i < 20; i++) {
                uint64_t h = ref_splitmix64(seed ^ UINT64_C(0x9E3779B97F4A7C15));
                h = ref_splitmix64(h ^ ref_fnv1a64(names[k]));
                h = ref_splitmix64(h ^ i);
                bad += bo_stream_seed(seed, names[k], i) != h;
            }
    CHECK(bad == 0);
}

/* bo_trial_seed is the "trial" stream (bo.h). */
static void test_trial_seed(void)
{
    CHECK(bo_trial_seed(1, 3) == UINT64_C(0x6719094c65bd6c96));
    CHECK(bo_trial_seed(9, 0) == bo_stream_seed(9, "trial", 0));
    CHECK(bo_trial_seed(9, 1) != bo_trial_seed(9, 0));
    CHECK(bo_trial_seed(10, 0) != bo_trial_seed(9, 0));
}

/* The generator is mt19937 seeded with the hash folded by XOR of its
 * halves: 0x7e56d6bf ^ 0x33509f9f = 0x4d064920 (by hand). */
static void test_rng_seeding(void)
{
    gsl_rng *a = bo_stream_rng(0, "trial", 0);
    gsl_rng *b = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(b, 0x4d064920UL);
    CHECK(a != NULL);
    CHECK(strcmp(gsl_rng_name(a), "mt19937") == 0);
    int same = 1;
    for (int i = 0; i < 100; i++)
        same &= gsl_rng_get(a) == gsl_rng_get(b);
    CHECK(same);
    /* bo_stream_set reseeds an existing generator identically. */
    gsl_rng_set(b, 12345);
    bo_stream_set(b, 0, "trial", 0);
    gsl_rng_set(a, 0x4d064920UL);
    same = 1;
    for (int i = 0; i < 100; i++)
        same &= gsl_rng_get(a) == gsl_rng_get(b);
    CHECK(same);
    gsl_rng_free(a);
    gsl_rng_free(b);
}

static double correlation(gsl_rng *a, gsl_rng *b)
{
    enum { N = 20000 };
    static double x[N], y[N];
    for (int i = 0; i < N; i++) {
        x[i] = gsl_rng_uniform(a);
        y[i] = gsl_rng_uniform(b);
    }
    return gsl_stats_correlation(x, 1, y, 1, N);
}

/* Different names and indices give different, uncorrelated draws: for
 * independent uniforms the sample correlation of N = 20000 pairs has
 * standard deviation 1/sqrt(N) = 0.007; we allow 5 of those (0.035). */
static void test_streams_independent(void)
{
    struct { uint64_t s1; const char *n1; uint64_t i1;
             uint64_t s2; const char *n2; uint64_t i2; } pairs[] = {
        {0, "random", 0, 0, "random", 1},
        {0, "random", 0, 0, "sobol", 0},
        {0, "random", 5, 1, "random", 5},
        {7, "trial", 0, 7, "grid", 0},
    };
    for (size_t k = 0; k < sizeof pairs / sizeof *pairs; k++) {
        CHECK(bo_stream_seed(pairs[k].s1, pairs[k].n1, pairs[k].i1) !=
              bo_stream_seed(pairs[k].s2, pairs[k].n2, pairs[k].i2));
        gsl_rng *a = bo_stream_rng(pairs[k].s1, pairs[k].n1, pairs[k].i1);
        gsl_rng *b = bo_stream_rng(pairs[k].s2, pairs[k].n2, pairs[k].i2);
        CHECK(gsl_rng_get(a) != gsl_rng_get(b));
        CHECK_NEAR(correlation(a, b), 0.0, 0.035);
        gsl_rng_free(a);
        gsl_rng_free(b);
    }
}

/* Consecutive trials' seeds look unrelated: over 10000 trials, each of the
 * 64 bits of bo_trial_seed is set in 50% +- 5 sd (sd = 0.5%) of them. */
static void test_trial_seeds_spread(void)
{
    enum { N = 10000 };
    int counts[64] = {0};
    for (int64_t t = 0; t < N; t++) {
        uint64_t h = bo_trial_seed(3, t);
        for (int b = 0; b < 64; b++)
            counts[b] += (int)((h >> b) & 1);
    }
    int worst = 0;
    for (int b = 0; b < 64; b++) {
        int dev = abs(counts[b] - N / 2);
        worst = dev > worst ? dev : worst;
    }
    CHECK(worst < 250);
}

/* A stream depends only on (seed, name, index): trial 5's generator is the
 * same whether it is made first or after 1000 others (no hidden state). */
static void test_stream_has_no_hidden_state(void)
{
    gsl_rng *first = bo_stream_rng(11, "trial", 5);
    unsigned long want = gsl_rng_get(first);
    gsl_rng_free(first);
    for (uint64_t i = 0; i < 1000; i++) {
        gsl_rng *r = bo_stream_rng(11, "trial", i);
        gsl_rng_get(r);
        gsl_rng_free(r);
    }
    gsl_rng *again = bo_stream_rng(11, "trial", 5);
    CHECK(gsl_rng_get(again) == want);
    gsl_rng_free(again);
}

int main(void)
{
    test_reference_vectors();
    test_seed_known_values();
    test_seed_matches_definition();
    test_trial_seed();
    test_rng_seeding();
    test_streams_independent();
    test_trial_seeds_spread();
    test_stream_has_no_hidden_state();
    return check_summary();
}
