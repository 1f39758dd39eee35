/*
 * test_synthetic.c — the synthetic benchmark functions (functions.c,
 * compiled in by tests/synthetic.cmake) against published optima and values
 * worked out by hand, then the `synthetic` plugin as a host sees it:
 * dlopen'ed from the build tree, reached only through bo_objective_entry.
 *
 * Never links the plugin's code into the plugin half of the test: that half
 * must go through dlopen/dlsym like the real host.
 */
#include "check.h"

#include "../../objectives/synthetic/functions.h"
#include "bo/objective.h"

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846

static double at(const char *name, const double *x, size_t d)
{
    return bo_synth_find(name)->f(x, d);
}

/* ======================= the pure functions ============================ */

/* Published minima (Surjanovic & Bingham, VLSE; Branin's is exactly
 * 5/(4 pi), Hartmann 3-D with p41 = 0.03815): each function at its own
 * argmin, at its default dimension and, for the free ones, at d = 2. */
static void test_argmin_gives_published_optimum(void)
{
    static const struct {
        const char *name;
        size_t d;
        double want;
    } cases[] = {
        {"branin", 2, 0.397887357729738},
        {"goldstein-price", 2, 3.0},
        {"six-hump-camel", 2, -1.031628453489877},
        {"hartmann3", 3, -3.86278214782076},
        {"hartmann6", 6, -3.32236801141551},
        {"ackley", 5, 0.0},
        {"ackley", 2, 0.0},
        {"rosenbrock", 4, 0.0},
        {"rosenbrock", 2, 0.0},
        {"rastrigin", 4, 0.0},
        {"rastrigin", 2, 0.0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const bo_synth_function *fn = bo_synth_find(cases[k].name);
        CHECK(fn != NULL);
        if (!fn)
            continue;
        double x[6];
        fn->argmin(cases[k].d, x);
        CHECK_NEAR(fn->optimum(cases[k].d), cases[k].want, 1e-14);
        CHECK_NEAR(fn->f(x, cases[k].d), cases[k].want, 1e-12);
    }
}

/* A minimizer is a local minimum: no axis step of 1e-4 either way goes
 * lower than the optimum (by the definition of a minimum). */
static void test_argmin_is_local_minimum(void)
{
    for (size_t k = 0; k < bo_synth_count(); k++) {
        const bo_synth_function *fn = bo_synth_at(k);
        size_t d = fn->dim ? fn->dim : fn->default_dim;
        double x[8];
        fn->argmin(d, x);
        double opt = fn->optimum(d);
        for (size_t i = 0; i < d; i++)
            for (int s = -1; s <= 1; s += 2) {
                double keep = x[i];
                x[i] += s * 1e-4;
                CHECK(fn->f(x, d) > opt - 1e-12);
                x[i] = keep;
            }
    }
}

/* The argmin lies in the standard domain. */
static void test_argmin_inside_domain(void)
{
    for (size_t k = 0; k < bo_synth_count(); k++) {
        const bo_synth_function *fn = bo_synth_at(k);
        size_t d = fn->dim ? fn->dim : fn->default_dim;
        double x[8], lo, hi;
        fn->argmin(d, x);
        for (size_t i = 0; i < d; i++) {
            fn->domain(i, d, &lo, &hi);
            CHECK(lo < hi);
            CHECK(x[i] >= lo && x[i] <= hi);
        }
    }
}

/* Branin has three minimizers, (-pi, 12.275), (pi, 2.275), (3 pi, 2.475)
 * (VLSE), all with the same value. */
static void test_branin_three_minimizers(void)
{
    double a[2] = {-PI, 12.275}, b[2] = {PI, 2.275}, c[2] = {3 * PI, 2.475};
    double opt = 5.0 / (4.0 * PI);
    CHECK_NEAR(at("branin", a, 2), opt, 1e-12);
    CHECK_NEAR(at("branin", b, 2), opt, 1e-12);
    CHECK_NEAR(at("branin", c, 2), opt, 1e-12);
}

/* Branin at (0, 0): (0 - 0 + 0 - 6)^2 + 10 (1 - 1/(8 pi)) cos 0 + 10
 * = 36 + 10 - 10/(8 pi) + 10 = 56 - 5/(4 pi) = 56 - 0.3978873577297383
 * = 55.602112642270262. */
static void test_branin_by_hand(void)
{
    double x[2] = {0.0, 0.0};
    CHECK_NEAR(at("branin", x, 2), 55.602112642270262, 1e-12);
}

/* Goldstein-Price at (0, 0): first factor 1 + (0+0+1)^2 (19) = 20, second
 * 30 + (0)^2 (...) = 30; 20 * 30 = 600. */
static void test_goldstein_price_by_hand(void)
{
    double x[2] = {0.0, 0.0};
    CHECK_NEAR(at("goldstein-price", x, 2), 600.0, 1e-12);
}

/* Six-hump camel at (1, 1): (4 - 2.1 + 1/3) 1 + 1 + (-4 + 4) 1
 * = 67/30 + 1 = 97/30 = 3.2333...; the function is even under
 * (x0, x1) -> (-x0, -x1), so the mirrored argmin is a minimizer too. */
static void test_six_hump_camel_by_hand(void)
{
    double x[2] = {1.0, 1.0}, m[2];
    CHECK_NEAR(at("six-hump-camel", x, 2), 97.0 / 30.0, 1e-12);
    bo_synth_find("six-hump-camel")->argmin(2, m);
    m[0] = -m[0];
    m[1] = -m[1];
    CHECK_NEAR(at("six-hump-camel", m, 2), -1.031628453489877, 1e-12);
}

/* Hartmann 3-D at the origin: -sum_i alpha_i exp(-sum_j A_ij P_ij^2).
 *   i=1: 3(.3689^2) + 10(.117^2) + 30(.2673^2)
 *        = .40826163 + .13689 + 2.1434787 = 2.68863033, e^- = .06797397756
 *   i=2: .1(.4699^2) + 10(.4387^2) + 35(.747^2) = 21.476972501, e^- = 4.706e-10
 *   i=3: 3(.1091^2) + 10(.8732^2) + 30(.5547^2) = 16.89125353, e^- = 4.6155e-8
 *   i=4: .1(.03815^2) + 10(.5743^2) + 35(.8828^2) = 30.575104842, e^- = 5.3e-14
 * f = -(1 (.0679739775592529) + 1.2 (4.70619e-10) + 3 (4.61553e-8)
 *       + 3.2 (5.265e-14)) = -0.06797411659013467. */
static void test_hartmann3_by_hand(void)
{
    double x[3] = {0.0, 0.0, 0.0};
    CHECK_NEAR(at("hartmann3", x, 3), -0.06797411659013467, 1e-14);
}

/* Hartmann 6-D at (1/2, ..., 1/2): exponents sum_j A_ij (1/2 - P_ij)^2
 *   i=1: 10(.13601344) + 3(.10916416) + 17(.00323761) + 3.5(.23775376)
 *        + 1.7(.10778089) + 8(.00784996) = 2.820831603
 *   i=2: .05(.07134241) + 10(.00748225) + 17(.10936249) + .1(.01597696)
 *        + 8(.15968016) + 14(.24910081) = 6.7040022665
 *   i=3: 3(.07033104) + 3.5(.12595401) + 1.7(.02184484) + 10(.04481689)
 *        + 17(.03814209) + 8(.027225) = 2.003352813
 *   i=4: 17(.00908209) + 8(.14653584) + .05(.13927824) + 10(.00552049)
 *        + .1(.15280281) + 14(.21335161) = 4.391053883
 * f = -(1 e^-2.820831603 + 1.2 e^-6.7040022665 + 3 e^-2.003352813
 *       + 3.2 e^-4.391053883)
 *   = -(.0595563948 + .0014711944 + .4046468675 + .0396405350)
 *   = -0.50531499170223314. */
static void test_hartmann6_by_hand(void)
{
    double x[6] = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
    CHECK_NEAR(at("hartmann6", x, 6), -0.50531499170223314, 1e-14);
}

/* Ackley at (1, 1) and at 1 in one dimension: sqrt(mean x^2) = 1 and
 * cos(2 pi) = 1, so -20 e^-0.2 - e + 20 + e = 20 (1 - e^-0.2)
 * = 20 (1 - 0.8187307530779818) = 3.625384938440363. At (1, 1, 1): same. */
static void test_ackley_by_hand(void)
{
    double x[3] = {1.0, 1.0, 1.0};
    CHECK_NEAR(at("ackley", x, 1), 3.625384938440363, 1e-12);
    CHECK_NEAR(at("ackley", x, 2), 3.625384938440363, 1e-12);
    CHECK_NEAR(at("ackley", x, 3), 3.625384938440363, 1e-12);
}

/* Rosenbrock: (0, 0) -> 100 (0 - 0)^2 + (1 - 0)^2 = 1; (0, 1) -> 100 (1)^2
 * + 1 = 101; (0, 0, 0, 0) -> three terms of 1 = 3; (-1, 1) ->
 * 100 (1 - 1)^2 + (1 + 1)^2 = 4. */
static void test_rosenbrock_by_hand(void)
{
    double z[4] = {0, 0, 0, 0}, a[2] = {0, 1}, b[2] = {-1, 1};
    CHECK_NEAR(at("rosenbrock", z, 2), 1.0, 0.0);
    CHECK_NEAR(at("rosenbrock", a, 2), 101.0, 0.0);
    CHECK_NEAR(at("rosenbrock", z, 4), 3.0, 0.0);
    CHECK_NEAR(at("rosenbrock", b, 2), 4.0, 0.0);
}

/* Rastrigin = 10 d + sum (x^2 - 10 cos(2 pi x)): (1, 1) -> 20 + 2 (1 - 10)
 * = 2; (.5, .5) -> 20 + 2 (.25 + 10) = 40.5; (.5, .5, .5) -> 30 + 3 (10.25)
 * = 60.75. */
static void test_rastrigin_by_hand(void)
{
    double a[2] = {1, 1}, b[3] = {0.5, 0.5, 0.5};
    CHECK_NEAR(at("rastrigin", a, 2), 2.0, 1e-12);
    CHECK_NEAR(at("rastrigin", b, 2), 40.5, 1e-12);
    CHECK_NEAR(at("rastrigin", b, 3), 60.75, 1e-12);
}

/* The standard domains (VLSE). */
static void test_domains(void)
{
    static const struct {
        const char *name;
        size_t i, d;
        double lo, hi;
    } cases[] = {
        {"branin", 0, 2, -5, 10},       {"branin", 1, 2, 0, 15},
        {"goldstein-price", 0, 2, -2, 2}, {"goldstein-price", 1, 2, -2, 2},
        {"six-hump-camel", 0, 2, -3, 3}, {"six-hump-camel", 1, 2, -2, 2},
        {"hartmann3", 2, 3, 0, 1},       {"hartmann6", 5, 6, 0, 1},
        {"ackley", 3, 7, -32.768, 32.768}, {"rosenbrock", 1, 3, -5, 10},
        {"rastrigin", 0, 2, -5.12, 5.12},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        double lo, hi;
        bo_synth_find(cases[k].name)->domain(cases[k].i, cases[k].d, &lo, &hi);
        CHECK_NEAR(lo, cases[k].lo, 0.0);
        CHECK_NEAR(hi, cases[k].hi, 0.0);
    }
}

/* Lookup: 8 functions, canonical names, documented aliases, NULL for an
 * unknown name; dimensions as documented. */
static void test_lookup(void)
{
    CHECK(bo_synth_count() == 8);
    CHECK(bo_synth_at(8) == NULL);
    for (size_t i = 0; i < bo_synth_count(); i++)
        CHECK(bo_synth_find(bo_synth_at(i)->name) == bo_synth_at(i));
    CHECK(bo_synth_find("goldstein_price") == bo_synth_find("goldstein-price"));
    CHECK(bo_synth_find("goldsteinprice") == bo_synth_find("goldstein-price"));
    CHECK(bo_synth_find("camel") == bo_synth_find("six-hump-camel"));
    CHECK(bo_synth_find("six_hump_camel") == bo_synth_find("six-hump-camel"));
    CHECK(bo_synth_find("Branin") == NULL);
    CHECK(bo_synth_find("") == NULL);
    CHECK(bo_synth_find(NULL) == NULL);
    CHECK(bo_synth_find("hartmann6")->dim == 6);
    CHECK(bo_synth_find("ackley")->dim == 0 && bo_synth_find("ackley")->default_dim == 5);
    CHECK(bo_synth_find("rosenbrock")->default_dim == 4);
    CHECK(bo_synth_find("rastrigin")->default_dim == 4);
}

/* ========================= the plugin ================================== */

static const bo_objective *obj;

typedef struct host_log {
    int lines;
    int reports;
    char last[512];
} host_log;

static void host_log_line(void *ctx, const char *message)
{
    host_log *h = ctx;
    h->lines++;
    snprintf(h->last, sizeof h->last, "%s", message);
}

static int host_report(void *ctx, int64_t step, double value)
{
    (void)step;
    (void)value;
    ((host_log *)ctx)->reports++;
    return 0;
}

static bo_host make_host(uint64_t seed, host_log *h)
{
    bo_host host;
    memset(&host, 0, sizeof host);
    host.abi_version = BO_OBJECTIVE_ABI_VERSION;
    host.struct_size = sizeof host;
    host.seed = seed;
    host.ctx = h;
    host.log = host_log_line;
    host.report = host_report;
    return host;
}

static void *create_ok(const char *config)
{
    void *inst = NULL;
    char err[512] = "unset";
    int rc = obj->create(config, &inst, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "create(%s) failed: %s\n", config, err);
    CHECK(rc == 0 && inst != NULL);
    return rc == 0 ? inst : NULL;
}

/* The create() error message for a config that must be refused; the
 * instance pointer must stay NULL and the message be one line. */
static const char *create_err(const char *config)
{
    static char err[512];
    void *inst = (void *)&err; /* not NULL, so the reset is checked */
    memset(err, 'z', sizeof err);
    int rc = obj->create(config, &inst, err, sizeof err);
    CHECK(rc != 0);
    CHECK(inst == NULL);
    CHECK(memchr(err, '\0', sizeof err) != NULL);
    CHECK(strchr(err, '\n') == NULL);
    if (rc == 0 && inst)
        obj->destroy(inst);
    return err;
}

/* Fills an assignment x0.. in reverse order (the host may send any). */
static void fill_reversed(bo_value *v, char names[][24], const double *x,
                          size_t d)
{
    for (size_t i = 0; i < d; i++) {
        size_t k = d - 1 - i;
        snprintf(names[k], 24, "x%zu", i);
        memset(&v[k], 0, sizeof v[k]);
        v[k].name = names[k];
        v[k].type = BO_VALUE_DOUBLE;
        v[k].d = x[i];
    }
}

static int evaluate(void *inst, const bo_value *v, size_t n, uint64_t seed,
                    bo_outcome *out, host_log *h)
{
    bo_host host = make_host(seed, h);
    memset(out, 0, sizeof *out);
    out->cost_s = NAN;
    return obj->evaluate(inst, v, n, &host, out);
}

static double metric(const bo_outcome *out, const char *name)
{
    for (uint32_t i = 0; i < out->n_metrics; i++)
        if (strcmp(out->metrics[i].name, name) == 0)
            return out->metrics[i].value;
    return NAN;
}

/* ABI rule (objective.h): the descriptor carries the host's version and
 * its own size; only the entry symbol is visible. */
static void test_plugin_descriptor(void *lib)
{
    CHECK(obj->abi_version == BO_OBJECTIVE_ABI_VERSION);
    CHECK(obj->struct_size == sizeof(bo_objective));
    CHECK(obj->name && strcmp(obj->name, "synthetic") == 0);
    CHECK(obj->description && strlen(obj->description) > 0);
    CHECK(obj->create && obj->evaluate && obj->destroy && obj->instance_space);
    CHECK(dlsym(lib, "synth_create") == NULL);
    CHECK(dlsym(lib, "bo_synth_find") == NULL);
    /* The static default space is branin's, the default function. */
    CHECK(obj->n_space == 2 && obj->space != NULL);
    if (obj->n_space == 2) {
        double lo, hi;
        for (size_t i = 0; i < 2; i++) {
            bo_synth_find("branin")->domain(i, 2, &lo, &hi);
            CHECK(obj->space[i].type == BO_PARAM_FLOAT);
            CHECK(obj->space[i].low == lo && obj->space[i].high == hi);
        }
        CHECK(strcmp(obj->space[0].name, "x0") == 0);
        CHECK(strcmp(obj->space[1].name, "x1") == 0);
    }
}

/* For several configs: the instance's space is x0..x{d-1} over the
 * function's domain, and evaluating at the argmin (sent in reverse order)
 * gives loss = optimum, metric optimum as published, regret ~ 0. */
static void test_plugin_configs(void)
{
    static const struct {
        const char *config, *name;
        size_t d;
    } cases[] = {
        {"{}", "branin", 2},
        {"{\"function\": \"branin\"}", "branin", 2},
        {" {\"function\": \"branin\"}\n", "branin", 2},
        {"{\"function\": \"goldstein-price\", \"dim\": 2}", "goldstein-price", 2},
        {"{\"function\": \"camel\"}", "six-hump-camel", 2},
        {"{\"function\": \"hartmann3\"}", "hartmann3", 3},
        {"{\"function\": \"hartmann6\"}", "hartmann6", 6},
        {"{\"function\": \"ackley\"}", "ackley", 5},
        {"{\"function\": \"ackley\", \"dim\": 12}", "ackley", 12},
        {"{\"dim\": 3, \"function\": \"rosenbrock\"}", "rosenbrock", 3},
        {"{\"function\": \"rastrigin\", \"noise\": 0}", "rastrigin", 4},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const bo_synth_function *fn = bo_synth_find(cases[k].name);
        size_t d = cases[k].d;
        void *inst = create_ok(cases[k].config);
        if (!inst)
            continue;
        const bo_param_spec *space = NULL;
        uint32_t n = 0;
        char err[256];
        CHECK(obj->instance_space(inst, &space, &n, err, sizeof err) == 0);
        CHECK(n == d && space != NULL);
        for (size_t i = 0; space && i < n; i++) {
            char want[24];
            double lo, hi;
            snprintf(want, sizeof want, "x%zu", i);
            fn->domain(i, d, &lo, &hi);
            CHECK(strcmp(space[i].name, want) == 0);
            CHECK(space[i].type == BO_PARAM_FLOAT && space[i].log == 0);
            CHECK(space[i].low == lo && space[i].high == hi);
        }
        double x[16];
        char names[16][24];
        bo_value v[16];
        fn->argmin(d, x);
        fill_reversed(v, names, x, d);
        bo_outcome out;
        host_log h = {0};
        CHECK(evaluate(inst, v, d, 42, &out, &h) == 0);
        CHECK(out.status == BO_STATUS_OK);
        CHECK_NEAR(out.loss, fn->optimum(d), 1e-12);
        CHECK(isnan(out.cost_s));
        CHECK(out.n_metrics == 2);
        CHECK(metric(&out, "optimum") == fn->optimum(d));
        CHECK_NEAR(metric(&out, "regret"), 0.0, 1e-12);
        CHECK(h.lines == 1 && h.reports == 0);
        CHECK_STR_CONTAINS(h.last, fn->name);
        obj->destroy(inst);
    }
}

/* Off the optimum: branin at (0, 0) gives 56 - 5/(4 pi) (worked out above),
 * and regret = loss - 5/(4 pi) = 56 - 2 * 5/(4 pi) = 55.204225284540524. */
static void test_plugin_regret_off_optimum(void)
{
    void *inst = create_ok("{\"function\": \"branin\"}");
    if (!inst)
        return;
    double x[2] = {0.0, 0.0};
    char names[2][24];
    bo_value v[2];
    fill_reversed(v, names, x, 2);
    bo_outcome out;
    host_log h = {0};
    CHECK(evaluate(inst, v, 2, 0, &out, &h) == 0);
    CHECK_NEAR(out.loss, 55.602112642270262, 1e-12);
    CHECK_NEAR(metric(&out, "regret"), 55.204225284540524, 1e-12);
    obj->destroy(inst);
}

/* Int values count as numbers: rastrigin at (1, 1) = 2 (worked out above). */
static void test_plugin_int_values(void)
{
    void *inst = create_ok("{\"function\": \"rastrigin\", \"dim\": 2}");
    if (!inst)
        return;
    bo_value v[2];
    memset(v, 0, sizeof v);
    v[0].name = "x1";
    v[0].type = BO_VALUE_INT;
    v[0].i = 1;
    v[1].name = "x0";
    v[1].type = BO_VALUE_INT;
    v[1].i = 1;
    bo_outcome out;
    host_log h = {0};
    CHECK(evaluate(inst, v, 2, 0, &out, &h) == 0);
    CHECK(out.status == BO_STATUS_OK);
    CHECK_NEAR(out.loss, 2.0, 1e-12);
    obj->destroy(inst);
}

/* Determinism contract (objective.h): with noise, the outcome depends only
 * on config, assignment and seed — the same seed twice on a warm instance
 * and once on a fresh one give the same bits; other seeds differ, also
 * seeds differing only in their high 32 bits. Regret stays noise-free. */
static void test_plugin_noise_deterministic(void)
{
    const char *cfg = "{\"function\": \"branin\", \"noise\": 0.5}";
    void *warm = create_ok(cfg);
    if (!warm)
        return;
    double x[2] = {0.0, 0.0};
    char names[2][24];
    bo_value v[2];
    fill_reversed(v, names, x, 2);
    bo_outcome a, b, c, e, hi;
    host_log h = {0};
    CHECK(evaluate(warm, v, 2, 7, &a, &h) == 0);
    CHECK(evaluate(warm, v, 2, 8, &e, &h) == 0);
    CHECK(evaluate(warm, v, 2, 7, &b, &h) == 0);
    CHECK(evaluate(warm, v, 2, 7 | (UINT64_C(1) << 40), &hi, &h) == 0);
    void *fresh = create_ok(cfg);
    if (fresh) {
        CHECK(evaluate(fresh, v, 2, 7, &c, &h) == 0);
        CHECK(memcmp(&a.loss, &c.loss, sizeof a.loss) == 0);
        obj->destroy(fresh);
    }
    CHECK(memcmp(&a.loss, &b.loss, sizeof a.loss) == 0);
    CHECK(a.loss != e.loss);
    CHECK(a.loss != hi.loss);
    CHECK(a.loss != 55.602112642270262);
    CHECK_NEAR(metric(&a, "regret"), 55.204225284540524, 1e-12);
    CHECK_NEAR(metric(&e, "regret"), 55.204225284540524, 1e-12);
    obj->destroy(warm);
}

/* The noise is N(0, sigma^2): over 4000 seeds the sample mean of loss - f
 * is within 4 sigma / sqrt(n) = 0.0316 of 0 and the sample standard
 * deviation within 6% of sigma = 0.5 (its own standard error is about
 * sigma / sqrt(2 n) = 1.1%). A tuned "noise" parameter overrides the
 * config's sigma (objective.h: a tuned parameter wins over a config key). */
static void test_plugin_noise_distribution(void)
{
    void *inst = create_ok("{\"function\": \"rosenbrock\", \"dim\": 2, \"noise\": 0.5}");
    if (!inst)
        return;
    double x[2] = {1.0, 1.0};
    char names[3][24];
    bo_value v[3];
    fill_reversed(v, names, x, 2);
    const int n = 4000;
    double sum = 0, sum2 = 0;
    host_log h = {0};
    bo_outcome out;
    for (int s = 0; s < n; s++) {
        evaluate(inst, v, 2, (uint64_t)s * 2654435761u, &out, &h);
        sum += out.loss;
        sum2 += out.loss * out.loss;
    }
    double mean = sum / n, sd = sqrt((sum2 - n * mean * mean) / (n - 1));
    CHECK_NEAR(mean, 0.0, 4 * 0.5 / sqrt(n));
    CHECK_NEAR(sd, 0.5, 0.03);

    memset(&v[2], 0, sizeof v[2]);
    v[2].name = "noise";
    v[2].type = BO_VALUE_DOUBLE;
    v[2].d = 0.0;
    CHECK(evaluate(inst, v, 3, 5, &out, &h) == 0);
    CHECK(out.status == BO_STATUS_OK && out.loss == 0.0);
    obj->destroy(inst);
}

/* Each config mistake is refused with a one-line message saying what. */
static void test_plugin_config_errors(void)
{
    const char *m = create_err("{\"function\": \"nope\"}");
    CHECK_STR_CONTAINS(m, "unknown function 'nope'");
    for (size_t i = 0; i < bo_synth_count(); i++)
        CHECK_STR_CONTAINS(m, bo_synth_at(i)->name);
    m = create_err("{\"function\": \"branin\", \"dims\": 3}");
    CHECK_STR_CONTAINS(m, "unknown config key 'dims'");
    CHECK_STR_CONTAINS(m, "function, dim, noise");
    CHECK_STR_CONTAINS(create_err("{\"function\": 3}"), "function: must be a string");
    CHECK_STR_CONTAINS(create_err("{\"function\": \"branin\", \"dim\": 3}"),
                       "branin has fixed dimension 2, not 3");
    CHECK_STR_CONTAINS(create_err("{\"function\": \"ackley\", \"dim\": 0}"),
                       "dim: must be a whole number");
    CHECK_STR_CONTAINS(create_err("{\"function\": \"ackley\", \"dim\": 2.5}"),
                       "dim: must be a whole number");
    CHECK_STR_CONTAINS(create_err("{\"function\": \"ackley\", \"dim\": \"3\"}"),
                       "dim: must be a whole number");
    CHECK_STR_CONTAINS(create_err("{\"function\": \"ackley\", \"dim\": 1e12}"),
                       "dim: must be a whole number from 1 to");
    CHECK_STR_CONTAINS(create_err("{\"function\": \"rosenbrock\", \"dim\": 1}"),
                       "rosenbrock needs dim >= 2");
    CHECK_STR_CONTAINS(create_err("{\"noise\": -1}"), "noise: must be a finite number >= 0");
    CHECK_STR_CONTAINS(create_err("{\"noise\": \"big\"}"), "noise: must be a finite number >= 0");
    CHECK_STR_CONTAINS(create_err("{\"noise\": 1, \"noise\": 2}"), "'noise' given twice");
    CHECK_STR_CONTAINS(create_err("{\"function\": "), "not valid JSON");
    CHECK_STR_CONTAINS(create_err("[1, 2]"), "must be a JSON object");
    CHECK_STR_CONTAINS(create_err("{} {\"dim\": 3}"), "not valid JSON");
    /* A key with a newline in it still gives one line. */
    CHECK_STR_CONTAINS(create_err("{\"a\\nb\": 1}"), "unknown config key 'a?b'");
}

/* A short err buffer still gets a NUL-terminated prefix of the message. */
static void test_plugin_short_err_buffer(void)
{
    char err[16];
    void *inst = NULL;
    memset(err, 'z', sizeof err);
    CHECK(obj->create("{\"function\": \"nope\"}", &inst, err, sizeof err) != 0);
    CHECK(strlen(err) == sizeof err - 1);
    CHECK(strncmp(err, "synthetic: conf", sizeof err - 1) == 0);
}

/* Assignment mistakes fail the trial (status FAILED, message naming the
 * parameter) and leave the instance usable. */
static void test_plugin_assignment_errors(void)
{
    void *inst = create_ok("{\"function\": \"branin\"}");
    if (!inst)
        return;
    bo_value v[3];
    bo_outcome out;
    host_log h = {0};
    memset(v, 0, sizeof v);
    v[0].name = "x0";
    v[0].type = BO_VALUE_DOUBLE;
    v[0].d = 0.0;
    CHECK(evaluate(inst, v, 1, 0, &out, &h) == 0);
    CHECK(out.status == BO_STATUS_FAILED);
    CHECK_STR_CONTAINS(out.message, "'x1' is missing");

    v[1].name = "x1";
    v[1].type = BO_VALUE_STRING;
    v[1].s = "zero";
    CHECK(evaluate(inst, v, 2, 0, &out, &h) == 0);
    CHECK(out.status == BO_STATUS_FAILED);
    CHECK_STR_CONTAINS(out.message, "'x1' must be a number, not a string");

    v[1].type = BO_VALUE_DOUBLE;
    v[1].d = NAN;
    CHECK(evaluate(inst, v, 2, 0, &out, &h) == 0);
    CHECK(out.status == BO_STATUS_FAILED);
    CHECK_STR_CONTAINS(out.message, "'x1' is not finite");

    v[1].d = 0.0;
    v[2].name = "x2";
    v[2].type = BO_VALUE_DOUBLE;
    CHECK(evaluate(inst, v, 3, 0, &out, &h) == 0);
    CHECK(out.status == BO_STATUS_FAILED);
    CHECK_STR_CONTAINS(out.message, "unknown parameter 'x2'");

    v[2].name = "x0";
    CHECK(evaluate(inst, v, 3, 0, &out, &h) == 0);
    CHECK(out.status == BO_STATUS_FAILED);
    CHECK_STR_CONTAINS(out.message, "'x0' given twice");

    /* Still usable: branin at (0, 0) as worked out above. */
    CHECK(evaluate(inst, v, 2, 0, &out, &h) == 0);
    CHECK(out.status == BO_STATUS_OK);
    CHECK_NEAR(out.loss, 55.602112642270262, 1e-12);
    obj->destroy(inst);
}

/* Goldstein-Price overflows to infinity far outside its domain; the loss
 * must be finite (objective.h), so the trial fails instead. */
static void test_plugin_non_finite_value(void)
{
    void *inst = create_ok("{\"function\": \"goldstein-price\"}");
    if (!inst)
        return;
    double x[2] = {1e80, -1e80};
    char names[2][24];
    bo_value v[2];
    fill_reversed(v, names, x, 2);
    bo_outcome out;
    host_log h = {0};
    CHECK(evaluate(inst, v, 2, 0, &out, &h) == 0);
    CHECK(out.status == BO_STATUS_FAILED);
    CHECK_STR_CONTAINS(out.message, "not finite");
    obj->destroy(inst);
}

static void *open_plugin(void)
{
    const char *build = getenv("BO_BUILD_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/synthetic.so", build ? build : ".",
             BO_OBJECTIVES_SUBDIR);
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "dlopen %s: %s\n", path, dlerror());
        return NULL;
    }
    bo_objective_entry_fn entry;
    *(void **)&entry = dlsym(lib, BO_OBJECTIVE_ENTRY);
    CHECK(entry != NULL);
    obj = entry ? entry() : NULL;
    CHECK(obj != NULL);
    return lib;
}

int main(void)
{
    test_argmin_gives_published_optimum();
    test_argmin_is_local_minimum();
    test_argmin_inside_domain();
    test_branin_three_minimizers();
    test_branin_by_hand();
    test_goldstein_price_by_hand();
    test_six_hump_camel_by_hand();
    test_hartmann3_by_hand();
    test_hartmann6_by_hand();
    test_ackley_by_hand();
    test_rosenbrock_by_hand();
    test_rastrigin_by_hand();
    test_domains();
    test_lookup();

    void *lib = open_plugin();
    CHECK(lib != NULL);
    if (lib && obj && obj->abi_version == BO_OBJECTIVE_ABI_VERSION) {
        test_plugin_descriptor(lib);
        test_plugin_configs();
        test_plugin_regret_off_optimum();
        test_plugin_int_values();
        test_plugin_noise_deterministic();
        test_plugin_noise_distribution();
        test_plugin_config_errors();
        test_plugin_short_err_buffer();
        test_plugin_assignment_errors();
        test_plugin_non_finite_value();
    }
    if (lib)
        dlclose(lib);
    return check_summary();
}
