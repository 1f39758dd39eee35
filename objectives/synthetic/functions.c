/*
 * functions.c — the synthetic benchmark functions, their standard domains,
 * known minima and one minimizer each. Definitions and domains follow
 * Surjanovic & Bingham, "Virtual Library of Simulation Experiments"
 * (sfu.ca/~ssurjano). The published minimizers of six-hump camel and
 * Hartmann carry 4 to 6 digits; ours were refined by Newton's method on the
 * gradient in 40-digit arithmetic (mpmath) and kept to 17, so that
 * f(argmin) meets the published optimum to within rounding.
 *
 * Must stay pure: only libm, no allocation, no I/O, no global state —
 * benchmarks compile this file on its own.
 */
#include "functions.h"

#include <math.h>
#include <string.h>

static const double PI = 3.14159265358979323846;

/* ---- Branin (2-D) ------------------------------------------------------ */

/* a (x1 - b x0^2 + c x0 - r)^2 + s (1 - t) cos(x0) + s with a = 1,
 * b = 5.1 / (4 pi^2), c = 5 / pi, r = 6, s = 10, t = 1 / (8 pi). */
static double branin_f(const double *x, size_t d)
{
    (void)d;
    const double b = 5.1 / (4.0 * PI * PI), c = 5.0 / PI, t = 1.0 / (8.0 * PI);
    double q = x[1] - b * x[0] * x[0] + c * x[0] - 6.0;
    return q * q + 10.0 * (1.0 - t) * cos(x[0]) + 10.0;
}

static void branin_domain(size_t i, size_t d, double *lo, double *hi)
{
    (void)d;
    *lo = i == 0 ? -5.0 : 0.0;
    *hi = i == 0 ? 10.0 : 15.0;
}

/* At (pi, 2.275) the square vanishes (2.275 - 1.275 + 5 - 6 = 0) and
 * cos(pi) = -1, leaving 10 t = 5 / (4 pi) = 0.397887357729738... exactly. */
static double branin_optimum(size_t d)
{
    (void)d;
    return 5.0 / (4.0 * PI);
}

static void branin_argmin(size_t d, double *x)
{
    (void)d;
    x[0] = PI;
    x[1] = 2.275;
}

/* ---- Goldstein-Price (2-D) --------------------------------------------- */

static double goldstein_price_f(const double *x, size_t d)
{
    (void)d;
    double x0 = x[0], x1 = x[1];
    double s = x0 + x1 + 1.0, t = 2.0 * x0 - 3.0 * x1;
    double a = 1.0 + s * s * (19.0 - 14.0 * x0 + 3.0 * x0 * x0 - 14.0 * x1
                              + 6.0 * x0 * x1 + 3.0 * x1 * x1);
    double b = 30.0 + t * t * (18.0 - 32.0 * x0 + 12.0 * x0 * x0 + 48.0 * x1
                               - 36.0 * x0 * x1 + 27.0 * x1 * x1);
    return a * b;
}

static void goldstein_price_domain(size_t i, size_t d, double *lo, double *hi)
{
    (void)i;
    (void)d;
    *lo = -2.0;
    *hi = 2.0;
}

static double goldstein_price_optimum(size_t d)
{
    (void)d;
    return 3.0;
}

static void goldstein_price_argmin(size_t d, double *x)
{
    (void)d;
    x[0] = 0.0;
    x[1] = -1.0;
}

/* ---- Six-hump camel (2-D) ---------------------------------------------- */

static double six_hump_camel_f(const double *x, size_t d)
{
    (void)d;
    double a = x[0] * x[0], b = x[1] * x[1];
    return (4.0 - 2.1 * a + a * a / 3.0) * a + x[0] * x[1]
           + (-4.0 + 4.0 * b) * b;
}

static void six_hump_camel_domain(size_t i, size_t d, double *lo, double *hi)
{
    (void)d;
    *lo = i == 0 ? -3.0 : -2.0;
    *hi = i == 0 ? 3.0 : 2.0;
}

static double six_hump_camel_optimum(size_t d)
{
    (void)d;
    return -1.031628453489877;
}

/* One of the two symmetric minimizers, (+-0.0898, -+0.7126). */
static void six_hump_camel_argmin(size_t d, double *x)
{
    (void)d;
    x[0] = 0.089842013100318062;
    x[1] = -0.71265640302073963;
}

/* ---- Hartmann 3-D and 6-D ---------------------------------------------- */

static const double HARTMANN_ALPHA[4] = {1.0, 1.2, 3.0, 3.2};

static const double HARTMANN3_A[4][3] = {
    {3.0, 10.0, 30.0}, {0.1, 10.0, 35.0}, {3.0, 10.0, 30.0}, {0.1, 10.0, 35.0}};

/* P[3][0] is 0.03815, as in Dixon & Szego's original table and most
 * implementations. Surjanovic & Bingham print it truncated as 381e-4, which
 * moves the minimum to -3.8627797873; their stated minimizer
 * (0.114614, 0.555649, 0.852547) and minimum -3.86278214782076 are those of
 * 0.03815. */
static const double HARTMANN3_P[4][3] = {{0.3689, 0.1170, 0.2673},
                                         {0.4699, 0.4387, 0.7470},
                                         {0.1091, 0.8732, 0.5547},
                                         {0.03815, 0.5743, 0.8828}};

static const double HARTMANN6_A[4][6] = {{10.0, 3.0, 17.0, 3.5, 1.7, 8.0},
                                         {0.05, 10.0, 17.0, 0.1, 8.0, 14.0},
                                         {3.0, 3.5, 1.7, 10.0, 17.0, 8.0},
                                         {17.0, 8.0, 0.05, 10.0, 0.1, 14.0}};

static const double HARTMANN6_P[4][6] = {
    {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
    {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
    {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
    {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};

/* -sum_i alpha_i exp(-sum_j A_ij (x_j - P_ij)^2); a and p are 4 x d. */
static double hartmann(const double *x, size_t d, const double *a,
                       const double *p)
{
    double sum = 0.0;
    for (size_t i = 0; i < 4; i++) {
        double e = 0.0;
        for (size_t j = 0; j < d; j++) {
            double r = x[j] - p[i * d + j];
            e += a[i * d + j] * r * r;
        }
        sum -= HARTMANN_ALPHA[i] * exp(-e);
    }
    return sum;
}

static double hartmann3_f(const double *x, size_t d)
{
    (void)d;
    return hartmann(x, 3, &HARTMANN3_A[0][0], &HARTMANN3_P[0][0]);
}

static double hartmann6_f(const double *x, size_t d)
{
    (void)d;
    return hartmann(x, 6, &HARTMANN6_A[0][0], &HARTMANN6_P[0][0]);
}

static void unit_domain(size_t i, size_t d, double *lo, double *hi)
{
    (void)i;
    (void)d;
    *lo = 0.0;
    *hi = 1.0;
}

static double hartmann3_optimum(size_t d)
{
    (void)d;
    return -3.86278214782076;
}

static void hartmann3_argmin(size_t d, double *x)
{
    (void)d;
    x[0] = 0.11461433858967198;
    x[1] = 0.55564884997185693;
    x[2] = 0.85254695352086578;
}

static double hartmann6_optimum(size_t d)
{
    (void)d;
    return -3.32236801141551;
}

static void hartmann6_argmin(size_t d, double *x)
{
    (void)d;
    x[0] = 0.20168951100670542;
    x[1] = 0.15001069182345797;
    x[2] = 0.47687397422189699;
    x[3] = 0.27533243049405607;
    x[4] = 0.31165161660011324;
    x[5] = 0.65730053406562031;
}

/* ---- Ackley, Rosenbrock, Rastrigin (any dimension) --------------------- */

/* -a exp(-b sqrt(mean x^2)) - exp(mean cos(c x)) + a + e with a = 20,
 * b = 0.2, c = 2 pi, written as a (1 - exp(..)) + (e - exp(..)) through
 * expm1 so that the origin gives exactly 0 instead of rounding residue. */
static double ackley_f(const double *x, size_t d)
{
    double sq = 0.0, cs = 0.0;
    for (size_t i = 0; i < d; i++) {
        sq += x[i] * x[i];
        cs += cos(2.0 * PI * x[i]);
    }
    double r = sqrt(sq / (double)d), m = cs / (double)d;
    return -20.0 * expm1(-0.2 * r) - exp(1.0) * expm1(m - 1.0);
}

static void ackley_domain(size_t i, size_t d, double *lo, double *hi)
{
    (void)i;
    (void)d;
    *lo = -32.768;
    *hi = 32.768;
}

static double zero_optimum(size_t d)
{
    (void)d;
    return 0.0;
}

static void origin_argmin(size_t d, double *x)
{
    for (size_t i = 0; i < d; i++)
        x[i] = 0.0;
}

static double rosenbrock_f(const double *x, size_t d)
{
    double sum = 0.0;
    for (size_t i = 0; i + 1 < d; i++) {
        double a = x[i + 1] - x[i] * x[i], b = 1.0 - x[i];
        sum += 100.0 * a * a + b * b;
    }
    return sum;
}

static void rosenbrock_domain(size_t i, size_t d, double *lo, double *hi)
{
    (void)i;
    (void)d;
    *lo = -5.0;
    *hi = 10.0;
}

static void ones_argmin(size_t d, double *x)
{
    for (size_t i = 0; i < d; i++)
        x[i] = 1.0;
}

/* 10 d + sum (x^2 - 10 cos(2 pi x)), summed as x^2 + 10 (1 - cos) so that
 * the origin gives exactly 0. */
static double rastrigin_f(const double *x, size_t d)
{
    double sum = 0.0;
    for (size_t i = 0; i < d; i++)
        sum += x[i] * x[i] + 10.0 * (1.0 - cos(2.0 * PI * x[i]));
    return sum;
}

static void rastrigin_domain(size_t i, size_t d, double *lo, double *hi)
{
    (void)i;
    (void)d;
    *lo = -5.12;
    *hi = 5.12;
}

/* ---- The table --------------------------------------------------------- */

static const bo_synth_function FUNCTIONS[] = {
    {"branin", 2, 2, branin_f, branin_domain, branin_optimum, branin_argmin},
    {"goldstein-price", 2, 2, goldstein_price_f, goldstein_price_domain,
     goldstein_price_optimum, goldstein_price_argmin},
    {"six-hump-camel", 2, 2, six_hump_camel_f, six_hump_camel_domain,
     six_hump_camel_optimum, six_hump_camel_argmin},
    {"hartmann3", 3, 3, hartmann3_f, unit_domain, hartmann3_optimum,
     hartmann3_argmin},
    {"hartmann6", 6, 6, hartmann6_f, unit_domain, hartmann6_optimum,
     hartmann6_argmin},
    {"ackley", 0, 5, ackley_f, ackley_domain, zero_optimum, origin_argmin},
    {"rosenbrock", 0, 4, rosenbrock_f, rosenbrock_domain, zero_optimum,
     ones_argmin},
    {"rastrigin", 0, 4, rastrigin_f, rastrigin_domain, zero_optimum,
     origin_argmin},
};

#define N_FUNCTIONS (sizeof FUNCTIONS / sizeof FUNCTIONS[0])

static const struct {
    const char *alias;
    const char *name;
} ALIASES[] = {
    {"goldstein_price", "goldstein-price"},
    {"goldsteinprice", "goldstein-price"},
    {"six_hump_camel", "six-hump-camel"},
    {"sixhumpcamel", "six-hump-camel"},
    {"camel", "six-hump-camel"},
};

const bo_synth_function *bo_synth_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof ALIASES / sizeof ALIASES[0]; i++)
        if (strcmp(name, ALIASES[i].alias) == 0) {
            name = ALIASES[i].name;
            break;
        }
    for (size_t i = 0; i < N_FUNCTIONS; i++)
        if (strcmp(name, FUNCTIONS[i].name) == 0)
            return &FUNCTIONS[i];
    return NULL;
}

size_t bo_synth_count(void)
{
    return N_FUNCTIONS;
}

const bo_synth_function *bo_synth_at(size_t i)
{
    return i < N_FUNCTIONS ? &FUNCTIONS[i] : NULL;
}
