/*
 * test_gpu_kernels.c — each CUDA kernel of gpu/ against its CPU reference
 * on random inputs (GSL mt19937, fixed seeds), printing the largest
 * difference it saw beside the tolerance it must meet:
 *   gather        exact (the same float multiply on both sides)
 *   bias+act      1e-5 absolute (tanhf/expf differ by a few ulps between
 *                 glibc and CUDA's libdevice; values are O(1))
 *   act backward  1e-5 relative to the largest column sum (the sums add
 *                 64 rows in another order)
 *   softmax-xent  loss 1e-9 relative (double on both sides); gradient
 *                 1e-7 absolute (entries are at most 1/n); hits exact
 *   optimizer     1e-6 relative to the parameter (the CPU reference is
 *                 optim.c's bo_nn_optim_step itself, after the decay that
 *                 mlp.c adds)
 *   products      1e-5 relative to the largest |entry| of the result, vs
 *                 OpenBLAS cblas_sgemm with the CPU path's own flags
 * First, and on any machine, the references themselves are checked
 * against mlp.c's passes. Where there is no CUDA device, the kernel checks
 * print "SKIPPED: no CUDA device (...)" and the test passes.
 */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data.h"
#include "mlp.h"
#include "optim.h"
#ifdef BO_HAVE_CUDA
#include <cblas.h>

#include "gpu.h"

static gsl_rng *RNG;

static float *uniform(size_t n, double lo, double hi)
{
    float *p = malloc(n * sizeof *p);
    for (size_t i = 0; i < n; i++)
        p[i] = (float)(lo + (hi - lo) * gsl_rng_uniform(RNG));
    return p;
}

/* Inverted-dropout masks as train.c draws them: 0 or 1/(1-p). */
static float *mask_of(size_t n, double p)
{
    float *m = malloc(n * sizeof *m);
    for (size_t i = 0; i < n; i++)
        m[i] = gsl_rng_uniform(RNG) < p ? 0.0f : (float)(1.0 / (1.0 - p));
    return m;
}

static double max_abs_diff(const float *a, const float *b, size_t n)
{
    double m = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs((double)a[i] - (double)b[i]);
        if (!(d <= m)) /* NaN counts as the worst */
            m = isnan(d) ? INFINITY : d;
    }
    return m;
}

static double max_abs(const float *a, size_t n)
{
    double m = 0.0;
    for (size_t i = 0; i < n; i++)
        m = fmax(m, fabs((double)a[i]));
    return m;
}

static char ERR[512];

/* Reference: bo_gpu_gather_ref, the CPU path's gather (pixel x 1/255). */
static void test_gather_matches_cpu(void)
{
    size_t rows = 300, n = 77;
    uint8_t *pix = malloc(rows * BO_NN_PIXELS), *lab = malloc(rows);
    int32_t *order = malloc(n * sizeof *order), *y = malloc(n * 4), *yr = malloc(n * 4);
    for (size_t i = 0; i < rows * BO_NN_PIXELS; i++)
        pix[i] = (uint8_t)gsl_rng_uniform_int(RNG, 256);
    for (size_t i = 0; i < rows; i++)
        lab[i] = (uint8_t)gsl_rng_uniform_int(RNG, 10);
    for (size_t i = 0; i < n; i++)
        order[i] = (int32_t)gsl_rng_uniform_int(RNG, rows);
    float *x = malloc(n * BO_NN_PIXELS * 4), *xr = malloc(n * BO_NN_PIXELS * 4);
    CHECK(bo_gpu_gather_host(pix, lab, rows, order, n, x, y, ERR, sizeof ERR) == 0);
    bo_gpu_gather_ref(pix, lab, order, n, xr, yr);
    double d = max_abs_diff(x, xr, n * BO_NN_PIXELS);
    printf("gather: max |gpu - cpu| = %.3g (tol 0)\n", d);
    CHECK(d == 0.0);
    CHECK(memcmp(y, yr, n * 4) == 0);
    free(pix), free(lab), free(order), free(y), free(yr), free(x), free(xr);
}

/* Reference: bo_gpu_bias_act_ref (mlp.c's bias_act formulas), every
 * activation, with and without a dropout mask. */
static void test_bias_act_matches_cpu(void)
{
    size_t n = 67, w = 130;
    for (int act = 0; act < 4; act++)
        for (int with_mask = 0; with_mask < 2; with_mask++) {
            float *z = uniform(n * w, -4, 4), *b = uniform(w, -0.5, 0.5);
            float *mask = with_mask ? mask_of(n * w, 0.3) : NULL;
            float *h = calloc(n * w, 4), *pre = calloc(n * w, 4);
            float *hr = calloc(n * w, 4), *prer = calloc(n * w, 4);
            CHECK(bo_gpu_bias_act_host(act, n, w, z, b, mask, h, pre, ERR, sizeof ERR) == 0);
            bo_gpu_bias_act_ref(act, n, w, z, b, mask, hr, prer);
            double dh = max_abs_diff(h, hr, n * w), dp = max_abs_diff(pre, prer, n * w);
            printf("bias_act %-7s mask %d: max |gpu - cpu| h %.3g pre %.3g (tol 1e-5)\n",
                   bo_nn_act_name(act), with_mask, dh, dp);
            CHECK(dh <= 1e-5);
            CHECK(dp <= 1e-5);
            free(z), free(b), free(mask), free(h), free(pre), free(hr), free(prer);
        }
}

/* Reference: bo_gpu_act_backward_ref (mlp.c's act_backward, then the
 * column sums of its bias gradient). */
static void test_act_backward_matches_cpu(void)
{
    size_t n = 64, w = 97;
    for (int act = 0; act < 4; act++)
        for (int with_mask = 0; with_mask < 2; with_mask++) {
            float *d = uniform(n * w, -1, 1), *dr = malloc(n * w * 4);
            memcpy(dr, d, n * w * 4);
            /* a: an activation (relu/tanh/sigmoid ranges) or z for GELU. */
            float *a = act == BO_NN_SIGMOID ? uniform(n * w, 0, 1)
                       : act == BO_NN_TANH  ? uniform(n * w, -1, 1)
                                            : uniform(n * w, -3, 3);
            float *mask = with_mask ? mask_of(n * w, 0.5) : NULL;
            float *gb = calloc(w, 4), *gbr = calloc(w, 4);
            CHECK(bo_gpu_act_backward_host(act, n, w, d, a, mask, gb, ERR, sizeof ERR) == 0);
            bo_gpu_act_backward_ref(act, n, w, dr, a, mask, gbr);
            double dd = max_abs_diff(d, dr, n * w);
            double dg = max_abs_diff(gb, gbr, w) / fmax(1.0, max_abs(gbr, w));
            printf("act_backward %-7s mask %d: max |gpu - cpu| d %.3g, bias grad %.3g "
                   "relative (tol 1e-5)\n", bo_nn_act_name(act), with_mask, dd, dg);
            CHECK(dd <= 1e-5);
            CHECK(dg <= 1e-5);
            free(d), free(dr), free(a), free(mask), free(gb), free(gbr);
        }
}

/* Reference: bo_gpu_softmax_xent_ref (mlp.c's bo_nn_softmax_xent plus the
 * output bias add and its column sums). */
static void test_softmax_xent_matches_cpu(void)
{
    size_t n = 300, c = 10;
    for (int grad = 0; grad < 2; grad++) {
        float *z = uniform(n * c, -6, 6), *zr = malloc(n * c * 4), *b = uniform(c, -1, 1);
        memcpy(zr, z, n * c * 4);
        int32_t *y = malloc(n * 4);
        for (size_t i = 0; i < n; i++)
            y[i] = (int32_t)gsl_rng_uniform_int(RNG, c);
        float gb[10] = {0}, gbr[10] = {0};
        double loss = 0.5, lossr = 0.5; /* added to, not set */
        uint64_t hits = 3, hitsr = 3;
        CHECK(bo_gpu_softmax_xent_host(n, c, z, b, y, grad, gb, &loss, &hits, ERR,
                                       sizeof ERR) == 0);
        bo_gpu_softmax_xent_ref(n, c, zr, b, y, grad, gbr, &lossr, &hitsr);
        double dl = fabs(loss - lossr) / lossr;
        printf("softmax_xent grad %d: loss %.9g vs %.9g (relative %.3g, tol 1e-9), hits %llu "
               "vs %llu\n", grad, loss, lossr, dl, (unsigned long long)hits,
               (unsigned long long)hitsr);
        CHECK(dl <= 1e-9);
        CHECK(hits == hitsr);
        if (grad) {
            double dz = max_abs_diff(z, zr, n * c), dg = max_abs_diff(gb, gbr, c);
            printf("softmax_xent gradient: max |gpu - cpu| %.3g, bias grad %.3g (tol 1e-7)\n",
                   dz, dg);
            CHECK(dz <= 1e-7);
            CHECK(dg <= 1e-7);
        }
        free(z), free(zr), free(b), free(y);
    }
}

/* Reference: the CPU path itself: gW += wd W (mlp.c's backward, biases
 * untouched), then bo_nn_optim_step (optim.c), at step t = 3 so Adam's
 * bias corrections are not 1. */
static void test_optimizers_match_cpu(void)
{
    bo_nn_layout lo;
    bo_nn_layout_init(&lo, 5, 2, 7, 3, BO_NN_RELU);
    size_t np = lo.n_params;
    for (int kind = 0; kind < 3; kind++) {
        bo_nn_optim o = {kind, 0.9, 0.9, 0.999, 1e-8};
        float wd = 1e-2f, lr = 0.05f;
        long t = 3;
        float *p = uniform(np, -1, 1), *g = uniform(np, -0.1, 0.1);
        float *m = uniform(np, -0.01, 0.01), *v = uniform(np, 0, 1e-3);
        float *pr = malloc(np * 4), *gr = malloc(np * 4), *mr = malloc(np * 4),
              *vr = malloc(np * 4);
        memcpy(pr, p, np * 4), memcpy(gr, g, np * 4), memcpy(mr, m, np * 4),
            memcpy(vr, v, np * 4);
        CHECK(bo_gpu_optim_host(&o, &lo, wd, lr, t, p, g, kind ? m : NULL,
                                kind == BO_NN_ADAM ? v : NULL, ERR, sizeof ERR) == 0);
        for (size_t k = 0; k <= lo.layers; k++)
            for (size_t i = lo.w_off[k]; i < lo.b_off[k]; i++)
                gr[i] += wd * pr[i];
        bo_nn_optim_step(&o, pr, gr, mr, vr, np, lr, t);
        double dp = 0.0;
        for (size_t i = 0; i < np; i++)
            dp = fmax(dp, fabs((double)p[i] - pr[i]) / fmax(1.0, fabs((double)pr[i])));
        double dm = kind ? max_abs_diff(m, mr, np) : 0.0;
        printf("optimizer %-8s: max relative |gpu - cpu| params %.3g, state %.3g (tol 1e-6)\n",
               bo_nn_opt_name(kind), dp, dm);
        CHECK(dp <= 1e-6);
        CHECK(dm <= 1e-6);
        free(p), free(g), free(m), free(v), free(pr), free(gr), free(mr), free(vr);
    }
}

/* Reference: OpenBLAS cblas_sgemm with mlp.c's row-major flags: forward
 * H W, weight gradient H^T D, input gradient D W^T; shapes not multiples
 * of anything, so a swapped leading dimension cannot pass by luck. */
static void test_products_match_openblas(void)
{
    size_t n = 37, in = 53, out = 29;
    for (int form = 0; form < 3; form++) {
        size_t na = form == 2 ? n * out : n * in;
        size_t nb = form == 0 ? in * out : form == 1 ? n * out : in * out;
        size_t nc = form == 0 ? n * out : form == 1 ? in * out : n * in;
        float *a = uniform(na, -1, 1), *b = uniform(nb, -1, 1);
        float *c = calloc(nc, 4), *cr = calloc(nc, 4);
        CHECK(bo_gpu_gemm_host(form, n, in, out, a, b, c, 0, ERR, sizeof ERR) == 0);
        if (form == 0)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)out, (int)in,
                        1.0f, a, (int)in, b, (int)out, 0.0f, cr, (int)out);
        else if (form == 1)
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)in, (int)out, (int)n,
                        1.0f, a, (int)in, b, (int)out, 0.0f, cr, (int)out);
        else
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)in, (int)out,
                        1.0f, a, (int)out, b, (int)out, 0.0f, cr, (int)in);
        double d = max_abs_diff(c, cr, nc) / fmax(1e-30, max_abs(cr, nc));
        const char *names[3] = {"forward H W", "wgrad H^T D", "igrad D W^T"};
        printf("gemm %s: max |gpu - cpu| / max|cpu| = %.3g (tol 1e-5)\n", names[form], d);
        CHECK(d <= 1e-5);
        free(a), free(b), free(c), free(cr);
    }
}

/* The references themselves against the CPU path (mlp.c), so that a kernel
 * matching its reference matches the trainer: one hidden layer with a
 * dropout mask, composed from cblas_sgemm + the references, gives
 * bo_nn_forward's hidden output, bo_nn_softmax_xent's loss and
 * bo_nn_backward's bias gradients. Runs without a device too. */
static void test_references_match_mlp(gsl_rng *r)
{
    for (int act = 0; act < 4; act++) {
        size_t n = 9, w = 11, c = BO_NN_CLASSES, in = BO_NN_PIXELS;
        bo_nn_layout lo;
        bo_nn_layout_init(&lo, in, 1, w, c, act);
        bo_nn_ws ws;
        CHECK(bo_nn_ws_alloc(&ws, &lo, n, 1) == 0);
        float *p = malloc(lo.n_params * 4), *grad = malloc(lo.n_params * 4);
        float *mask = malloc(n * w * 4);
        for (size_t i = 0; i < lo.n_params; i++)
            p[i] = (float)(0.2 * (2.0 * gsl_rng_uniform(r) - 1.0));
        for (size_t i = 0; i < n * in; i++)
            ws.x[i] = (float)gsl_rng_uniform(r);
        for (size_t i = 0; i < n * w; i++)
            mask[i] = gsl_rng_uniform(r) < 0.3 ? 0.0f : 1.0f / 0.7f;
        int32_t y[9];
        for (size_t i = 0; i < n; i++)
            y[i] = ws.y[i] = (int32_t)gsl_rng_uniform_int(r, c);
        /* The references' composition. */
        float *z = malloc(n * w * 4), *h = malloc(n * w * 4), *pre = malloc(n * w * 4);
        float *lg = malloc(n * c * 4), *gbo = malloc(c * 4), *d = malloc(n * w * 4);
        float *gbh = malloc(w * 4);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)w, (int)in, 1.0f,
                    ws.x, (int)in, p + lo.w_off[0], (int)w, 0.0f, z, (int)w);
        bo_gpu_bias_act_ref(act, n, w, z, p + lo.b_off[0], mask, h, pre);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)c, (int)w, 1.0f, h,
                    (int)w, p + lo.w_off[1], (int)c, 0.0f, lg, (int)c);
        double loss = 0.0;
        uint64_t hits = 0;
        bo_gpu_softmax_xent_ref(n, c, lg, p + lo.b_off[1], y, 1, gbo, &loss, &hits);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)w, (int)c, 1.0f, lg,
                    (int)c, p + lo.w_off[1], (int)c, 0.0f, d, (int)w);
        bo_gpu_act_backward_ref(act, n, w, d, pre, mask, gbh);
        /* The CPU path. */
        bo_nn_forward(&lo, p, &ws, n, mask);
        double dh = max_abs_diff(h, ws.h[1], n * w);
        size_t cpu_hits = 0;
        double cpu_loss = bo_nn_softmax_xent(&lo, &ws, n, &cpu_hits, 1);
        bo_nn_backward(&lo, p, &ws, n, mask, 0.0f, grad);
        double dgo = max_abs_diff(gbo, grad + lo.b_off[1], c);
        double dgh = max_abs_diff(gbh, grad + lo.b_off[0], w);
        printf("references vs mlp.c (%s): hidden %.3g, loss %.3g, output bias grad %.3g, "
               "hidden bias grad %.3g (tol 1e-6)\n", bo_nn_act_name(act), dh,
               fabs(loss - cpu_loss), dgo, dgh);
        CHECK(dh <= 1e-6);
        CHECK(fabs(loss - cpu_loss) <= 1e-6 * cpu_loss);
        CHECK(hits == cpu_hits);
        CHECK(dgo <= 1e-6);
        CHECK(dgh <= 1e-6);
        free(p), free(grad), free(mask), free(z), free(h), free(pre), free(lg), free(gbo);
        free(d), free(gbh);
        bo_nn_ws_free(&ws);
    }
}

int main(void)
{
    RNG = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(RNG, 20240607);
    test_references_match_mlp(RNG);
    int n = bo_gpu_device_count(ERR, sizeof ERR);
    if (n <= 0) {
        printf("SKIPPED: %s\n", ERR);
        gsl_rng_free(RNG);
        return check_summary();
    }
    test_gather_matches_cpu();
    test_bias_act_matches_cpu();
    test_act_backward_matches_cpu();
    test_softmax_xent_matches_cpu();
    test_optimizers_match_cpu();
    test_products_match_openblas();
    if (check_failed_)
        fprintf(stderr, "last error: %s\n", ERR);
    gsl_rng_free(RNG);
    return check_summary();
}
#else
int main(void)
{
    printf("SKIPPED: no CUDA device (gpu/ not built: nvcc not found)\n");
    return check_summary();
}
#endif
