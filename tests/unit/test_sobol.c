/*
 * test_sobol.c — the digitally shifted Sobol sequence (bo/sobol.h).
 *
 * References:
 *  - The unshifted points: GSL's own qrng/test.c checks its 3rd and 4th
 *    outputs, (0.25, 0.75, 0.25) and (0.375, 0.375, 0.625); Joe and Kuo's
 *    table of the 2-D Sobol sequence (web.maths.unsw.edu.au/~fkuo/sobol/)
 *    starts 0 0 | .5 .5 | .75 .25 | .25 .75 | .375 .375 | .875 .875 |
 *    .625 .125 | .125 .625. GSL never emits the origin, so our index k >= 1
 *    is GSL's k-th output and index 0 is the origin, as in that table.
 *  - Stratification: a digital shift XORs the same bits into every point,
 *    which maps each dyadic interval (box) onto another one bijectively, so
 *    the (t,m,s)-net counts survive: the first 2^k points of the 1-D
 *    sequence hit each interval [j 2^-k, (j+1) 2^-k) once, and the first
 *    16 points in 2-D form a (0,4,2)-net (one point per elementary box of
 *    area 1/16: 2^a x 2^b boxes with a + b = 4).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "sobol.h"

static bo_sobol *make(size_t dim, uint64_t seed, int shifted)
{
    bo_sobol *s = NULL;
    bo_error err;
    int rc = bo_sobol_create(dim, seed, shifted, &s, &err);
    CHECK(rc == BO_OK);
    return s;
}

/* Unshifted 2-D points 0..7 against Joe and Kuo's table. */
static void test_unshifted_2d_matches_table(void)
{
    const double want[8][2] = {{0, 0},         {0.5, 0.5},     {0.75, 0.25},
                               {0.25, 0.75},   {0.375, 0.375}, {0.875, 0.875},
                               {0.625, 0.125}, {0.125, 0.625}};
    bo_sobol *s = make(2, 0, 0);
    double u[2];
    for (int i = 0; i < 8; i++) {
        CHECK(bo_sobol_point(s, (uint64_t)i, u, NULL) == BO_OK);
        CHECK(u[0] == want[i][0] && u[1] == want[i][1]);
    }
    bo_sobol_free(s);
}

/* Unshifted 3-D points 3 and 4 against GSL's qrng/test.c. */
static void test_unshifted_3d_matches_gsl_test(void)
{
    bo_sobol *s = make(3, 0, 0);
    double u[3];
    bo_sobol_point(s, 3, u, NULL);
    CHECK(u[0] == 0.25 && u[1] == 0.75 && u[2] == 0.25);
    bo_sobol_point(s, 4, u, NULL);
    CHECK(u[0] == 0.375 && u[1] == 0.375 && u[2] == 0.625);
    bo_sobol_free(s);
}

/* Random access: any index in any order gives the sequential answer. */
static void test_random_access(void)
{
    enum { N = 200, D = 5 };
    static double seq[N][D];
    bo_sobol *s = make(D, 3, 1);
    for (int i = 0; i < N; i++)
        bo_sobol_point(s, (uint64_t)i, seq[i], NULL);
    bo_sobol *r = make(D, 3, 1);
    const int order[] = {150, 7, 7, 0, 199, 1, 100, 99, 3};
    int same = 1;
    for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
        double u[D];
        bo_sobol_point(r, (uint64_t)order[k], u, NULL);
        same &= memcmp(u, seq[order[k]], sizeof u) == 0;
    }
    CHECK(same);
    bo_sobol_free(s);
    bo_sobol_free(r);
}

/* The shift changes the points, deterministically per seed. */
static void test_shift_is_seeded(void)
{
    bo_sobol *a = make(4, 1, 1), *b = make(4, 1, 1), *c = make(4, 2, 1),
             *raw = make(4, 1, 0);
    double ua[4], ub[4], uc[4], ur[4];
    int same_ab = 1, diff_ac = 0, diff_raw = 0;
    for (uint64_t i = 0; i < 32; i++) {
        bo_sobol_point(a, i, ua, NULL);
        bo_sobol_point(b, i, ub, NULL);
        bo_sobol_point(c, i, uc, NULL);
        bo_sobol_point(raw, i, ur, NULL);
        same_ab &= memcmp(ua, ub, sizeof ua) == 0;
        diff_ac |= memcmp(ua, uc, sizeof ua) != 0;
        diff_raw |= memcmp(ua, ur, sizeof ua) != 0;
        for (int j = 0; j < 4; j++)
            CHECK(ua[j] >= 0 && ua[j] < 1);
    }
    CHECK(same_ab);
    CHECK(diff_ac);
    CHECK(diff_raw);
    bo_sobol_free(a);
    bo_sobol_free(b);
    bo_sobol_free(c);
    bo_sobol_free(raw);
}

/* 1-D: for k = 1..10, the first 2^k shifted points fall in distinct
 * intervals of width 2^-k, for several seeds. */
static void test_shift_keeps_1d_stratification(void)
{
    for (uint64_t seed = 1; seed <= 5; seed++) {
        bo_sobol *s = make(1, seed, 1);
        for (int k = 1; k <= 10; k++) {
            int n = 1 << k;
            char *hit = calloc((size_t)n, 1);
            int ok = 1;
            for (int i = 0; i < n; i++) {
                double u;
                bo_sobol_point(s, (uint64_t)i, &u, NULL);
                int cell = (int)floor(u * n);
                ok &= cell >= 0 && cell < n && !hit[cell];
                if (cell >= 0 && cell < n)
                    hit[cell] = 1;
            }
            CHECK(ok);
            free(hit);
        }
        bo_sobol_free(s);
    }
}

/* 2-D: the first 16 shifted points put exactly one point in each
 * elementary box 2^-a x 2^-b, a + b = 4, for several seeds. */
static void test_shift_keeps_2d_net(void)
{
    for (uint64_t seed = 0; seed < 8; seed++) {
        bo_sobol *s = make(2, seed, 1);
        double u[16][2];
        for (int i = 0; i < 16; i++)
            bo_sobol_point(s, (uint64_t)i, u[i], NULL);
        for (int a = 0; a <= 4; a++) {
            int na = 1 << a, nb = 1 << (4 - a);
            int count[16] = {0};
            for (int i = 0; i < 16; i++) {
                int x = (int)floor(u[i][0] * na), y = (int)floor(u[i][1] * nb);
                count[x * nb + y]++;
            }
            int ok = 1;
            for (int c = 0; c < 16; c++)
                ok &= count[c] == 1;
            CHECK(ok);
        }
        bo_sobol_free(s);
    }
}

/* Past 40 dimensions: the first 40 coordinates are exactly the 40-D
 * shifted Sobol point; the rest lie in [0,1), repeat for the same seed
 * and differ for another seed. */
static void test_beyond_40_dimensions(void)
{
    enum { D = 45 };
    bo_sobol *big = make(D, 5, 1), *big2 = make(D, 5, 1),
             *other = make(D, 6, 1), *pure = make(40, 5, 1);
    double u[D], u2[D], uo[D], up[40];
    int prefix = 1, in_range = 1, repeat = 1, differ = 0, varies = 0;
    double prev_extra = -1;
    for (uint64_t i = 0; i < 64; i++) {
        bo_sobol_point(big, i, u, NULL);
        bo_sobol_point(big2, i, u2, NULL);
        bo_sobol_point(other, i, uo, NULL);
        bo_sobol_point(pure, i, up, NULL);
        prefix &= memcmp(u, up, sizeof up) == 0;
        for (int j = 40; j < D; j++) {
            in_range &= u[j] >= 0 && u[j] < 1;
            repeat &= u[j] == u2[j];
            differ |= u[j] != uo[j];
        }
        varies |= prev_extra >= 0 && u[40] != prev_extra;
        prev_extra = u[40];
    }
    CHECK(prefix);
    CHECK(in_range);
    CHECK(repeat);
    CHECK(differ);
    CHECK(varies);
    bo_sobol_free(big);
    bo_sobol_free(big2);
    bo_sobol_free(other);
    bo_sobol_free(pure);
}

/* Every coordinate of the first 1024 shifted 8-D points averages 1/2
 * within 1/2048: the points form a net, so each 1-D interval of width
 * 2^-10 holds exactly one of them and the mean is that of the intervals'
 * left ends (1/2 - 1/2048) plus less than one width. */
static void test_shifted_means(void)
{
    bo_sobol *s = make(8, 9, 1);
    double sum[8] = {0};
    for (uint64_t i = 0; i < 1024; i++) {
        double u[8];
        bo_sobol_point(s, i, u, NULL);
        for (int j = 0; j < 8; j++)
            sum[j] += u[j];
    }
    for (int j = 0; j < 8; j++)
        CHECK_NEAR(sum[j] / 1024, 0.5, 1.0 / 1024);
    bo_sobol_free(s);
}

int main(void)
{
    test_unshifted_2d_matches_table();
    test_unshifted_3d_matches_gsl_test();
    test_random_access();
    test_shift_is_seeded();
    test_shift_keeps_1d_stratification();
    test_shift_keeps_2d_net();
    test_beyond_40_dimensions();
    test_shifted_means();
    return check_summary();
}
