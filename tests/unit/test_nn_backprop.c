/*
 * test_nn_backprop.c — the CPU backward pass against central finite
 * differences of the loss it differentiates, on a tiny network (5 inputs,
 * two hidden layers of 4, 3 classes, a batch of 3), for every activation,
 * with and without a fixed dropout mask and weight decay.
 *
 * Reference: for each parameter q, (L(q + h) - L(q - h)) / 2h with
 * L = mean softmax cross-entropy + wd/2 * sum of squared weights, computed by
 * the forward pass alone (in float; h = 1e-2 keeps the rounding noise near
 * 1e-5 while the truncation error, O(h^2), stays below 1e-4).
 */
#include <stdlib.h>

#include "check.h"
#include "mlp.h"

#define N_IN 5
#define WIDTH 4
#define N_OUT 3
#define BATCH 3

/* A small fixed pseudo-random sequence (LCG), enough to spread values. */
static float next_val(unsigned *s)
{
    *s = *s * 1664525u + 1013904223u;
    return (float)((*s >> 8) & 0xffff) / 65536.0f * 2.0f - 1.0f;
}

static double full_loss(const bo_nn_layout *lo, const float *p, bo_nn_ws *ws,
                        const float *x, const float *masks, float wd)
{
    for (int i = 0; i < BATCH * N_IN; i++)
        ws->x[i] = x[i];
    bo_nn_forward(lo, p, ws, BATCH, masks);
    double loss = bo_nn_softmax_xent(lo, ws, BATCH, NULL, 0) / BATCH;
    double sq = 0.0;
    for (size_t k = 0; k <= lo->layers; k++)
        for (size_t i = 0; i < lo->dims[k] * lo->dims[k + 1]; i++)
            sq += (double)p[lo->w_off[k] + i] * p[lo->w_off[k] + i];
    return loss + 0.5 * wd * sq;
}

/* Largest |analytic - numeric| over all parameters, relative to the largest
 * gradient entry. */
/* The smallest |pre-activation| of any hidden unit, recomputed in double
 * from each layer's input after a forward pass. A ReLU kink within about h
 * of a unit makes the difference quotient meaningless, so the test checks
 * that its inputs keep every unit clear of one. */
static double relu_margin(const bo_nn_layout *lo, const float *p, bo_nn_ws *ws,
                          const float *x, const float *masks)
{
    double margin = INFINITY;
    full_loss(lo, p, ws, x, masks, 0.0f);
    for (size_t l = 1; l <= lo->layers; l++) {
        size_t in = lo->dims[l - 1], out = lo->dims[l];
        const float *W = p + lo->w_off[l - 1], *b = p + lo->b_off[l - 1];
        for (int r = 0; r < BATCH; r++)
            for (size_t j = 0; j < out; j++) {
                double z = b[j];
                for (size_t i = 0; i < in; i++)
                    z += (double)ws->h[l - 1][r * in + i] * W[i * out + j];
                if (fabs(z) < margin)
                    margin = fabs(z);
            }
    }
    return margin;
}

static double max_grad_error(int act, int dropout, float wd, unsigned seed,
                             double *min_relu_margin)
{
    bo_nn_layout lo;
    bo_nn_layout_init(&lo, N_IN, 2, WIDTH, N_OUT, act);
    bo_nn_ws ws;
    bo_nn_ws_alloc(&ws, &lo, BATCH, dropout);
    float *p = malloc(lo.n_params * sizeof *p), *g = malloc(lo.n_params * sizeof *g);
    float x[BATCH * N_IN], masks[2 * BATCH * WIDTH];
    unsigned s = seed;
    for (size_t i = 0; i < lo.n_params; i++)
        p[i] = next_val(&s);
    for (int i = 0; i < BATCH * N_IN; i++)
        x[i] = next_val(&s);
    /* p = 1/3: every third unit dropped, the others scaled by 1/(1-p) = 1.5. */
    for (int i = 0; i < 2 * BATCH * WIDTH; i++)
        masks[i] = i % 3 == 1 ? 0.0f : 1.5f;
    const float *m = dropout ? masks : NULL;
    int32_t y[BATCH] = {2, 0, 1};
    for (int i = 0; i < BATCH; i++)
        ws.y[i] = y[i];

    if (min_relu_margin)
        *min_relu_margin = relu_margin(&lo, p, &ws, x, m);
    full_loss(&lo, p, &ws, x, m, wd);
    bo_nn_softmax_xent(&lo, &ws, BATCH, NULL, 1);
    bo_nn_backward(&lo, p, &ws, BATCH, m, wd, g);

    double worst = 0.0, gmax = 0.0;
    const float h = 1e-2f;
    for (size_t i = 0; i < lo.n_params; i++) {
        float keep = p[i];
        p[i] = keep + h;
        double up = full_loss(&lo, p, &ws, x, m, wd);
        p[i] = keep - h;
        double down = full_loss(&lo, p, &ws, x, m, wd);
        p[i] = keep;
        double num = (up - down) / (2.0 * h);
        if (fabs(num - g[i]) > worst)
            worst = fabs(num - g[i]);
        if (fabs(g[i]) > gmax)
            gmax = fabs(g[i]);
    }
    free(p);
    free(g);
    bo_nn_ws_free(&ws);
    return worst / gmax;
}

#define SEED 7u

static void test_relu(void)
{
    double margin;
    CHECK(max_grad_error(BO_NN_RELU, 0, 0.0f, SEED, &margin) < 2e-3);
    CHECK(margin > 0.02); /* no kink within 2h */
}

static void test_tanh(void) { CHECK(max_grad_error(BO_NN_TANH, 0, 0.0f, SEED, NULL) < 2e-3); }
static void test_sigmoid(void) { CHECK(max_grad_error(BO_NN_SIGMOID, 0, 0.0f, SEED, NULL) < 2e-3); }
static void test_gelu(void) { CHECK(max_grad_error(BO_NN_GELU, 0, 0.0f, SEED, NULL) < 2e-3); }

/* Dropout with the fixed mask, and weight decay 0.1, each activation. */
static void test_dropout_and_decay(void)
{
    for (int act = 0; act < 4; act++) {
        double margin;
        double e = max_grad_error(act, 1, 0.1f, SEED, &margin);
        if (e >= 2e-3)
            fprintf(stderr, "act %s: relative error %g\n", bo_nn_act_name(act), e);
        CHECK(e < 2e-3);
        if (act == BO_NN_RELU)
            CHECK(margin > 0.02);
    }
}

/* Weight decay alone: the gradient of wd/2 |W|^2 is wd W, biases excluded. */
static void test_decay_only(void) { CHECK(max_grad_error(BO_NN_TANH, 0, 0.5f, SEED, NULL) < 2e-3); }

/* The softmax gradient of one row: logits (0, ln 2, ln 5) give
 * p = (1, 2, 5)/8; with label 2 the gradient is (1/8, 2/8, 5/8 - 1) and the
 * loss -ln(5/8) = 0.47000362924573558. */
static void test_softmax_by_hand(void)
{
    bo_nn_layout lo;
    bo_nn_layout_init(&lo, 1, 0, 0, 3, BO_NN_RELU);
    bo_nn_ws ws;
    bo_nn_ws_alloc(&ws, &lo, 1, 0);
    ws.h[1][0] = 0.0f;
    ws.h[1][1] = logf(2.0f);
    ws.h[1][2] = logf(5.0f);
    ws.y[0] = 2;
    size_t hits = 0;
    double loss = bo_nn_softmax_xent(&lo, &ws, 1, &hits, 1);
    CHECK_NEAR(loss, 0.47000362924573558, 1e-6);
    CHECK(hits == 1);
    CHECK_NEAR(ws.h[1][0], 0.125, 1e-6);
    CHECK_NEAR(ws.h[1][1], 0.25, 1e-6);
    CHECK_NEAR(ws.h[1][2], -0.375, 1e-6);
    bo_nn_ws_free(&ws);
}

/* Layout: 784-256-256-10 has 784*256+256 + 256*256+256 + 256*10+10 = 269,322
 * parameters, and W_1 starts right after b_0. */
static void test_layout(void)
{
    bo_nn_layout lo;
    CHECK(bo_nn_layout_init(&lo, 784, 2, 256, 10, BO_NN_RELU) == 0);
    CHECK(lo.n_params == 269322);
    CHECK(lo.w_off[1] == 784 * 256 + 256);
    CHECK(bo_nn_layout_init(&lo, 784, BO_NN_MAX_LAYERS + 1, 8, 10, BO_NN_RELU) != 0);
}

int main(void)
{
    test_relu();
    test_tanh();
    test_sigmoid();
    test_gelu();
    test_dropout_and_decay();
    test_decay_only();
    test_softmax_by_hand();
    test_layout();
    return check_summary();
}
