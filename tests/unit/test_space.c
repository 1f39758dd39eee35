/*
 * test_space.c — the search space: mapping, round trips, canonical points,
 * validation and encode errors. The mapping under test is the one written
 * in bo.h; expected values are worked out by hand from it in each comment.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "bo/bo.h"
#include "check.h"

static bo_param_spec fparam(const char *name, double lo, double hi, int log)
{
    bo_param_spec p = {0};
    p.name = name;
    p.type = BO_PARAM_FLOAT;
    p.low = lo;
    p.high = hi;
    p.log = log;
    return p;
}

static bo_param_spec iparam(const char *name, double lo, double hi, int log)
{
    bo_param_spec p = fparam(name, lo, hi, log);
    p.type = BO_PARAM_INT;
    return p;
}

static bo_param_spec cparam(const char *name, const char *const *choices,
                            uint32_t n)
{
    bo_param_spec p = {0};
    p.name = name;
    p.type = BO_PARAM_CATEGORICAL;
    p.choices = choices;
    p.n_choices = n;
    return p;
}

static bo_space *make(const bo_param_spec *ps, size_t n)
{
    bo_space *sp = NULL;
    bo_error err = {0};
    int rc = bo_space_create(ps, n, &sp, &err);
    if (rc)
        fprintf(stderr, "make: %s\n", err.message);
    CHECK(rc == BO_OK);
    return sp;
}

static bo_value decode1(const bo_space *sp, double u)
{
    bo_value v;
    CHECK(bo_space_decode(sp, &u, &v, NULL) == BO_OK);
    return v;
}

/* Dimension: one per numeric parameter, one per choice. */
static void test_dimensions(void)
{
    const char *ch[] = {"relu", "tanh", "gelu"};
    bo_param_spec ps[] = {fparam("lr", 1e-4, 0.3, 1), iparam("layers", 1, 4, 0),
                          cparam("act", ch, 3)};
    bo_space *sp = make(ps, 3);
    CHECK(bo_space_n_params(sp) == 3);
    CHECK(bo_space_dim(sp) == 5);
    CHECK(bo_space_find(sp, "act") == 2);
    CHECK(bo_space_find(sp, "nope") == -1);
    CHECK(bo_space_param(sp, 3) == NULL);
    CHECK(strcmp(bo_space_param(sp, 1)->name, "layers") == 0);
    bo_space_free(sp);
}

/* Float linear: low + u (high - low); u = 0.25 on [-2, 6] gives 0 exactly;
 * u outside [0,1] is clamped. */
static void test_float_linear(void)
{
    bo_param_spec p = fparam("x", -2, 6, 0);
    bo_space *sp = make(&p, 1);
    CHECK(decode1(sp, 0.25).d == 0.0);
    CHECK(decode1(sp, 0).d == -2.0);
    CHECK(decode1(sp, 1).d == 6.0);
    CHECK(decode1(sp, -3).d == -2.0);
    CHECK(decode1(sp, 7).d == 6.0);
    CHECK(decode1(sp, NAN).d == -2.0);
    CHECK(decode1(sp, 0.25).type == BO_VALUE_DOUBLE);
    bo_space_free(sp);
}

/* Float log on [1e-4, 1]: u = 0.5 is the geometric midpoint 1e-2, u = 0.25
 * is 1e-3; the ends are exactly low and high. Round trip value -> u -> value
 * within 1e-15 relative over the range. */
static void test_float_log(void)
{
    bo_param_spec p = fparam("lr", 1e-4, 1, 1);
    bo_space *sp = make(&p, 1);
    CHECK_CLOSE(decode1(sp, 0.5).d, 1e-2, 1e-14);
    CHECK_CLOSE(decode1(sp, 0.25).d, 1e-3, 1e-14);
    CHECK(decode1(sp, 0).d == 1e-4);
    CHECK(decode1(sp, 1).d == 1.0);
    double worst = 0;
    for (int k = 0; k <= 100; k++) {
        double x = 1e-4 * pow(1e4, k / 100.0);
        if (x > 1) x = 1;
        bo_value v = {.name = "lr", .type = BO_VALUE_DOUBLE, .d = x};
        double u;
        CHECK(bo_space_encode(sp, &v, 1, &u, NULL) == BO_OK);
        double back = decode1(sp, u).d;
        worst = fmax(worst, fabs(back - x) / x);
    }
    CHECK(worst < 1e-14);
    bo_space_free(sp);
}

/* Int linear on [0, 3]: 4 bins of width 1/4. Boundaries (exact in binary)
 * belong to the upper bin: u = 0.25 -> 1, 0.5 -> 2, 0.75 -> 3; just below
 * a boundary is the lower bin; u = 1 is the last value. Encode gives the
 * bin centre (k + 1/2) / 4. */
static void test_int_linear_bins(void)
{
    bo_param_spec p = iparam("k", 0, 3, 0);
    bo_space *sp = make(&p, 1);
    CHECK(decode1(sp, 0).i == 0);
    CHECK(decode1(sp, nextafter(0.25, 0)).i == 0);
    CHECK(decode1(sp, 0.25).i == 1);
    CHECK(decode1(sp, 0.5).i == 2);
    CHECK(decode1(sp, nextafter(0.75, 0)).i == 2);
    CHECK(decode1(sp, 0.75).i == 3);
    CHECK(decode1(sp, 1).i == 3);
    CHECK(decode1(sp, 0.3).type == BO_VALUE_INT);
    for (int64_t k = 0; k <= 3; k++) {
        bo_value v = {.name = "k", .type = BO_VALUE_INT, .i = k};
        double u;
        CHECK(bo_space_encode(sp, &v, 1, &u, NULL) == BO_OK);
        CHECK(u == (k + 0.5) / 4);
        CHECK(decode1(sp, u).i == k);
    }
    /* An integral DOUBLE is accepted for an int parameter. */
    bo_value v = {.name = "k", .type = BO_VALUE_DOUBLE, .d = 2.0};
    double u;
    CHECK(bo_space_encode(sp, &v, 1, &u, NULL) == BO_OK);
    CHECK(u == 2.5 / 4);
    bo_space_free(sp);
}

/* Int with negative bounds [-5, 5] (11 bins) and the single-value range
 * [7, 7], which always decodes to 7 and encodes to the centre 1/2. */
static void test_int_negative_and_single(void)
{
    bo_param_spec p = iparam("k", -5, 5, 0);
    bo_space *sp = make(&p, 1);
    CHECK(decode1(sp, 0).i == -5);
    CHECK(decode1(sp, 1).i == 5);
    CHECK(decode1(sp, 0.5).i == 0); /* floor(5.5) = 5 -> -5 + 5 */
    for (int64_t k = -5; k <= 5; k++) {
        bo_value v = {.name = "k", .type = BO_VALUE_INT, .i = k};
        double u;
        bo_space_encode(sp, &v, 1, &u, NULL);
        CHECK(decode1(sp, u).i == k);
    }
    bo_space_free(sp);
    bo_param_spec one = iparam("one", 7, 7, 0);
    sp = make(&one, 1);
    CHECK(decode1(sp, 0).i == 7 && decode1(sp, 1).i == 7);
    bo_value v = {.name = "one", .type = BO_VALUE_INT, .i = 7};
    double u;
    CHECK(bo_space_encode(sp, &v, 1, &u, NULL) == BO_OK);
    CHECK(u == 0.5);
    bo_space_free(sp);
    one.log = 1;
    sp = make(&one, 1);
    CHECK(decode1(sp, 0).i == 7 && decode1(sp, 1).i == 7);
    bo_space_free(sp);
}

/* Int log on [1, 3]: bins over [ln 1, ln 4): value k owns
 * u in [ln k / ln 4, ln(k+1) / ln 4). So 1 owns [0, 0.5), 2 owns
 * [0.5, ln 3 / ln 4 = 0.79248...), 3 owns the rest up to u = 1. The
 * boundary u = 0.5 exactly (exp(0.5 ln 4) = 2) belongs to 2. */
static void test_int_log_bins(void)
{
    bo_param_spec p = iparam("n", 1, 3, 1);
    bo_space *sp = make(&p, 1);
    CHECK(decode1(sp, 0).i == 1);
    CHECK(decode1(sp, 0.49).i == 1);
    CHECK(decode1(sp, 0.5).i == 2);
    CHECK(decode1(sp, 0.79).i == 2);
    CHECK(decode1(sp, 0.8).i == 3);
    CHECK(decode1(sp, 1).i == 3);
    /* centre of 2's bin: (0.5 + log(3)/log(4)) / 2 */
    bo_value v = {.name = "n", .type = BO_VALUE_INT, .i = 2};
    double u;
    bo_space_encode(sp, &v, 1, &u, NULL);
    CHECK_NEAR(u, (0.5 + log(3) / log(4)) / 2, 1e-15);
    bo_space_free(sp);
}

/* Int log on [1, 1000] and [16, 2^30]: every value (or a sample) round
 * trips through its bin centre, and the ends come from u = 0 and u = 1. */
static void test_int_log_round_trip(void)
{
    bo_param_spec p = iparam("n", 1, 1000, 1);
    bo_space *sp = make(&p, 1);
    int bad = 0;
    for (int64_t k = 1; k <= 1000; k++) {
        bo_value v = {.name = "n", .type = BO_VALUE_INT, .i = k};
        double u;
        bo_space_encode(sp, &v, 1, &u, NULL);
        bad += decode1(sp, u).i != k;
    }
    CHECK(bad == 0);
    CHECK(decode1(sp, 0).i == 1);
    CHECK(decode1(sp, 1).i == 1000);
    bo_space_free(sp);

    p = iparam("big", 16, 1073741824.0, 1);
    sp = make(&p, 1);
    bad = 0;
    const int64_t ks[] = {16, 17, 1000, 65535, 65536, 1073741823, 1073741824};
    for (size_t j = 0; j < sizeof ks / sizeof *ks; j++) {
        bo_value v = {.name = "big", .type = BO_VALUE_INT, .i = ks[j]};
        double u;
        bo_space_encode(sp, &v, 1, &u, NULL);
        bad += decode1(sp, u).i != ks[j];
    }
    CHECK(bad == 0);
    CHECK(decode1(sp, 1).i == 1073741824);
    bo_space_free(sp);
}

/* Categorical: argmax of the block, lowest index on ties; encode is the
 * one-hot vector; numeric choice texts are decoded as numbers. */
static void test_categorical(void)
{
    const char *ch[] = {"relu", "32", "0.5", "1e3", "-7", "0x10", "nan"};
    bo_param_spec p = cparam("c", ch, 7);
    bo_space *sp = make(&p, 1);
    double u[7] = {0.1, 0.9, 0.2, 0.9, 0, 0, 0};
    bo_value v;
    bo_space_decode(sp, u, &v, NULL);
    CHECK(v.type == BO_VALUE_INT && v.i == 32 && strcmp(v.s, "32") == 0);
    double all_tie[7] = {0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3};
    bo_space_decode(sp, all_tie, &v, NULL);
    CHECK(v.type == BO_VALUE_STRING && strcmp(v.s, "relu") == 0);
    double w[7] = {0, 0, 1, 0, 0, 0, 0};
    bo_space_decode(sp, w, &v, NULL);
    CHECK(v.type == BO_VALUE_DOUBLE && v.d == 0.5);
    double e[7] = {0, 0, 0, 1, 0, 0, 0};
    bo_space_decode(sp, e, &v, NULL);
    CHECK(v.type == BO_VALUE_INT && v.i == 1000); /* "1e3" is integral */
    double m[7] = {0, 0, 0, 0, 1, 0, 0};
    bo_space_decode(sp, m, &v, NULL);
    CHECK(v.type == BO_VALUE_INT && v.i == -7);
    double h[7] = {0, 0, 0, 0, 0, 1, 0};
    bo_space_decode(sp, h, &v, NULL);
    CHECK(v.type == BO_VALUE_STRING); /* hex is not a decimal number */
    double n[7] = {0, 0, 0, 0, 0, 0, 1};
    bo_space_decode(sp, n, &v, NULL);
    CHECK(v.type == BO_VALUE_STRING);

    /* encode accepts the text or the number */
    double out[7];
    bo_value s = {.name = "c", .type = BO_VALUE_STRING, .s = "0.5"};
    CHECK(bo_space_encode(sp, &s, 1, out, NULL) == BO_OK);
    CHECK(out[2] == 1 && out[0] == 0 && out[1] == 0 && out[6] == 0);
    bo_value num = {.name = "c", .type = BO_VALUE_INT, .i = 32};
    CHECK(bo_space_encode(sp, &num, 1, out, NULL) == BO_OK);
    CHECK(out[1] == 1 && out[2] == 0);
    bo_value dbl = {.name = "c", .type = BO_VALUE_DOUBLE, .d = 1000.0};
    CHECK(bo_space_encode(sp, &dbl, 1, out, NULL) == BO_OK);
    CHECK(out[3] == 1);
    bo_space_free(sp);
}

/* canonical = encode(decode(u)) for ints and categoricals exactly, and
 * for floats up to rounding (the float coordinate is the clamped u); and
 * canonical points are fixed points, bit for bit. */
static void test_canonical_fixed_points(void)
{
    const char *ch[] = {"a", "b", "c"};
    bo_param_spec ps[] = {fparam("x", -1, 2, 0), fparam("y", 1e-3, 10, 1),
                          iparam("k", 0, 9, 0), iparam("m", 2, 500, 1),
                          cparam("c", ch, 3)};
    bo_space *sp = make(ps, 5);
    size_t d = bo_space_dim(sp);
    CHECK(d == 7);
    srand(12345);
    int fixed = 1, matches = 1;
    for (int t = 0; t < 2000; t++) {
        double u[7], c1[7], c2[7], enc[7];
        for (size_t j = 0; j < d; j++)
            u[j] = (double)rand() / RAND_MAX * 1.2 - 0.1; /* some outside */
        bo_space_canonical(sp, u, c1);
        bo_space_canonical(sp, c1, c2);
        fixed &= memcmp(c1, c2, sizeof c1) == 0;
        bo_value v[5];
        bo_space_decode(sp, u, v, NULL);
        bo_space_encode(sp, v, 5, enc, NULL);
        for (size_t j = 0; j < d; j++)
            matches &= fabs(enc[j] - c1[j]) <= 1e-15;
        for (size_t j = 2; j < d; j++)
            matches &= enc[j] == c1[j];
        /* decode of the canonical point is the same configuration */
        bo_value w[5];
        bo_space_decode(sp, c1, w, NULL);
        matches &= w[2].i == v[2].i && w[3].i == v[3].i && w[4].s == v[4].s;
        matches &= w[0].d == v[0].d && w[1].d == v[1].d;
    }
    CHECK(fixed);
    CHECK(matches);
    /* in place (out aliases u) */
    double u[7] = {0.5, 0.5, 0.01, 0.99, 0.2, 0.7, 0.7};
    bo_space_canonical(sp, u, u);
    CHECK(u[2] == 0.05);
    CHECK(u[4] == 0 && u[5] == 1 && u[6] == 0);
    bo_space_free(sp);
}

/* Encode: values in any order, matched by name. */
static void test_encode_any_order(void)
{
    const char *ch[] = {"a", "b"};
    bo_param_spec ps[] = {fparam("x", 0, 10, 0), cparam("c", ch, 2),
                          iparam("k", 0, 1, 0)};
    bo_space *sp = make(ps, 3);
    bo_value v[3] = {{.name = "k", .type = BO_VALUE_INT, .i = 1},
                     {.name = "x", .type = BO_VALUE_DOUBLE, .d = 2.5},
                     {.name = "c", .type = BO_VALUE_STRING, .s = "b"}};
    double u[4];
    CHECK(bo_space_encode(sp, v, 3, u, NULL) == BO_OK);
    CHECK(u[0] == 0.25 && u[1] == 0 && u[2] == 1 && u[3] == 0.75);
    bo_space_free(sp);
}

static void expect_encode_error(const bo_space *sp, const bo_value *v,
                                size_t n, const char *part)
{
    bo_error err = {0};
    double u[8];
    CHECK(bo_space_encode(sp, v, n, u, &err) == BO_EINVAL);
    CHECK(err.code == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, part);
}

/* Each encode error names the parameter. */
static void test_encode_errors(void)
{
    const char *ch[] = {"a", "b"};
    bo_param_spec ps[] = {fparam("x", 0, 10, 0), cparam("c", ch, 2),
                          iparam("k", 0, 3, 0)};
    bo_space *sp = make(ps, 3);
    bo_value ok[3] = {{.name = "x", .type = BO_VALUE_DOUBLE, .d = 1},
                      {.name = "c", .type = BO_VALUE_STRING, .s = "a"},
                      {.name = "k", .type = BO_VALUE_INT, .i = 1}};
    bo_value v[4];
    memcpy(v, ok, sizeof ok);
    v[0].type = BO_VALUE_STRING; v[0].s = "big";
    expect_encode_error(sp, v, 3, "x: expected a number");
    memcpy(v, ok, sizeof ok);
    v[0].d = 10.5;
    expect_encode_error(sp, v, 3, "x: 10.5 is outside [0, 10]");
    memcpy(v, ok, sizeof ok);
    v[0].d = NAN;
    expect_encode_error(sp, v, 3, "x: nan is outside");
    memcpy(v, ok, sizeof ok);
    v[1].s = "z";
    expect_encode_error(sp, v, 3, "c: unknown choice 'z'");
    memcpy(v, ok, sizeof ok);
    v[1].type = BO_VALUE_INT; v[1].i = 3;
    expect_encode_error(sp, v, 3, "c: unknown choice 3");
    memcpy(v, ok, sizeof ok);
    v[2].i = 4;
    expect_encode_error(sp, v, 3, "k: 4 is outside [0, 3]");
    memcpy(v, ok, sizeof ok);
    v[2].type = BO_VALUE_DOUBLE; v[2].d = 1.5;
    expect_encode_error(sp, v, 3, "k: expected an integer, got 1.5");
    memcpy(v, ok, sizeof ok);
    v[2].type = BO_VALUE_STRING; v[2].s = "1";
    expect_encode_error(sp, v, 3, "k: expected an integer, got a string");
    memcpy(v, ok, sizeof ok);
    expect_encode_error(sp, v, 2, "k: missing");
    memcpy(v, ok, sizeof ok);
    v[3] = ok[0];
    expect_encode_error(sp, v, 4, "x: given more than once");
    memcpy(v, ok, sizeof ok);
    v[3] = ok[0];
    v[3].name = "y";
    expect_encode_error(sp, v, 4, "y: unknown parameter");
    bo_space_free(sp);
}

static void expect_create_error(const bo_param_spec *ps, size_t n,
                                const char *part)
{
    bo_space *sp = (bo_space *)&sp; /* must be reset to NULL */
    bo_error err = {0};
    CHECK(bo_space_create(ps, n, &sp, &err) == BO_EINVAL);
    CHECK(sp == NULL);
    CHECK_STR_CONTAINS(err.message, part);
}

static void expect_create_ok(const bo_param_spec *ps, size_t n)
{
    bo_space *sp = NULL;
    bo_error err = {0};
    CHECK(bo_space_create(ps, n, &sp, &err) == BO_OK);
    bo_space_free(sp);
}

/* bo_space_create rejects bad parameters with a message naming them. */
static void test_create_errors(void)
{
    const char *dup[] = {"a", "b", "a"};
    const char *samenum[] = {"1", "1.0"};
    const char *empty[] = {"a", ""};
    const char *ok[] = {"a"};
    bo_param_spec ps[2];

    ps[0] = fparam("", 0, 1, 0);
    expect_create_error(ps, 1, "parameter 0: empty name");
    /* log scales whose values doubles cannot tell apart */
    ps[0] = iparam("k", 1e15, 1e15 + 1000, 1);
    expect_create_error(ps, 1, "'k': a log scale cannot tell apart whole numbers near");
    ps[0] = iparam("k", 4503599627370496.0, 4503599627370596.0, 1); /* 2^52 */
    expect_create_error(ps, 1, "'k': a log scale cannot tell apart");
    ps[0] = fparam("x", 1e300, nextafter(1e300, INFINITY), 1);
    expect_create_error(ps, 1, "'x': [1.0000000000000001e+300, ");
    expect_create_error(ps, 1, "is too narrow for a log scale");
    /* ...while wide ones round-trip every value checked: the ends and a
     * value in between, as encode of a value then decode */
    {
        const double lows[] = {1, 1, 1e6}, highs[] = {1e12, 1099511627775.0, 1e12};
        for (int c = 0; c < 3; c++) {
            bo_param_spec w = iparam("k", lows[c], highs[c], 1);
            bo_space *sp = NULL;
            CHECK(bo_space_create(&w, 1, &sp, NULL) == BO_OK);
            const double ks[] = {lows[c], lows[c] + 1, highs[c] - 1, highs[c],
                                 floor(sqrt(lows[c] * highs[c]))};
            for (int j = 0; sp && j < 5; j++) {
                bo_value v = {.name = "k", .type = BO_VALUE_INT, .i = (int64_t)ks[j]}, out;
                double u;
                CHECK(bo_space_encode(sp, &v, 1, &u, NULL) == BO_OK);
                CHECK(bo_space_decode(sp, &u, &out, NULL) == BO_OK);
                CHECK(out.i == (int64_t)ks[j]);
            }
            bo_space_free(sp);
        }
    }
    ps[0] = fparam("x", 0, 1, 0);
    ps[1] = iparam("x", 0, 1, 0);
    expect_create_error(ps, 2, "parameter 'x': duplicate name");
    ps[0] = fparam("lr", 1, 1, 0);
    expect_create_error(ps, 1, "parameter 'lr': low (1) must be < high (1)");
    ps[0] = fparam("lr", 2, 1, 0);
    expect_create_error(ps, 1, "'lr': low (2) must be < high");
    ps[0] = iparam("k", 3, 2, 0);
    expect_create_error(ps, 1, "'k': low (3) must be <= high (2)");
    ps[0] = iparam("k", 0.5, 2, 0);
    expect_create_error(ps, 1, "'k': int bounds must be integers");
    ps[0] = fparam("lr", 0, 1, 1);
    expect_create_error(ps, 1, "'lr': low must be > 0 when log is true");
    ps[0] = iparam("n", -1, 8, 1);
    expect_create_error(ps, 1, "'n': low must be > 0 when log is true");
    ps[0] = fparam("lr", 0, INFINITY, 0);
    expect_create_error(ps, 1, "'lr': low and high must be finite");
    ps[0] = fparam("lr", NAN, 1, 0);
    expect_create_error(ps, 1, "'lr': low and high must be finite");
    ps[0] = iparam("k", 0, 1e15, 0);
    expect_create_error(ps, 1, "'k': int range too large");
    ps[0] = cparam("c", ok, 0);
    expect_create_error(ps, 1, "parameter 'c': no choices");
    ps[0] = cparam("c", dup, 3);
    expect_create_error(ps, 1, "parameter 'c': duplicate choice 'a'");
    ps[0] = cparam("c", samenum, 2);
    expect_create_error(ps, 1, "'c': choices '1' and '1.0' are the same number");
    ps[0] = cparam("c", empty, 2);
    expect_create_error(ps, 1, "'c': choice 1 is empty");
    /* a plugin's choices never pass the spec parser's control check */
    static const char *const tab[] = {"a", "b\tc"};
    ps[0] = cparam("c", tab, 2);
    expect_create_error(ps, 1, "'c': choice 1 holds a control character");
    /* a lone continuation byte, and UTF-16's surrogate encoded as UTF-8 */
    static const char *const bad8[] = {"\x80", "\xed\xa0\x80"};
    ps[0] = cparam("c", bad8, 2);
    expect_create_error(ps, 1, "'c': choice 0 holds a control character or bytes that are not UTF-8");
    static const char *const good8[] = {"\xc3\xa9t\xc3\xa9", "\xe6\x98\xa5"};
    ps[0] = cparam("c", good8, 2);
    expect_create_ok(ps, 1);
    ps[0] = fparam("x", 0, 1, 0);
    ps[0].type = 9;
    expect_create_error(ps, 1, "'x': unknown type 9");
    /* finite bounds whose width is not: decoding would give +-inf */
    ps[0] = fparam("w", -1.7e308, 1.7e308, 0);
    expect_create_error(ps, 1, "'w': low and high must be finite, and so must high - low");
    /* names that would clash with bo export's columns or break them, from
     * any source (a plugin's default space never passes the spec parser) */
    ps[0] = fparam("loss", 0, 1, 0);
    expect_create_error(ps, 1, "parameter 0: 'loss' is a column of bo export's CSV");
    ps[0] = fparam("metric.acc", 0, 1, 0);
    expect_create_error(ps, 1, "parameter 0: names starting 'metric.'");
    ps[0] = fparam("a\nb", 0, 1, 0);
    expect_create_error(ps, 1, "parameter 0: a name with control characters");
    ps[0] = fparam("lr\xff", 0, 1, 0);
    expect_create_error(ps, 1, "parameter 0: a name with control characters or bytes that are not UTF-8");
    ps[0] = fparam("\xce\xbb", 0, 1, 0); /* a Greek lambda is a fine name */
    expect_create_ok(ps, 1);
    /* 64 bytes: one past what a spec allows */
    ps[0] = fparam("a123456789b123456789c123456789d123456789e123456789f123456789wxyz",
                   0, 1, 0);
    expect_create_error(ps, 1, "parameter 0: a name of 64 bytes is too long (at most 63)");
    ps[0] = fparam("a123456789b123456789c123456789d123456789e123456789f123456789xyz",
                   0, 1, 0);
    expect_create_ok(ps, 1);
    /* NULL in, nothing done (not a crash) */
    double u = 0.5;
    bo_space_canonical(NULL, &u, &u);
    CHECK(u == 0.5);
}

/* The space deep-copies its parameters: the caller's strings may go. */
static void test_deep_copy(void)
{
    char name[] = "lr", c0[] = "relu", c1[] = "tanh";
    const char *choices[] = {c0, c1};
    bo_param_spec ps[] = {fparam(name, 0, 1, 0), cparam("act", choices, 2)};
    bo_space *sp = make(ps, 2);
    strcpy(name, "XX");
    strcpy(c0, "XXXX");
    choices[1] = "gone";
    CHECK(strcmp(bo_space_param(sp, 0)->name, "lr") == 0);
    CHECK(strcmp(bo_space_param(sp, 1)->choices[0], "relu") == 0);
    CHECK(strcmp(bo_space_param(sp, 1)->choices[1], "tanh") == 0);
    CHECK(bo_space_param(sp, 0)->name != name);
    bo_space_free(sp);
}

int main(void)
{
    test_dimensions();
    test_float_linear();
    test_float_log();
    test_int_linear_bins();
    test_int_negative_and_single();
    test_int_log_bins();
    test_int_log_round_trip();
    test_categorical();
    test_canonical_fixed_points();
    test_encode_any_order();
    test_encode_errors();
    test_create_errors();
    test_deep_copy();
    return check_summary();
}
