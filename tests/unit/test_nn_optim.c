/*
 * test_nn_optim.c — each optimizer's update and each learning-rate schedule
 * against steps worked out by hand (the arithmetic is in the comments).
 */
#include "check.h"
#include "optim.h"

/* SGD, p = 1, g = 0.5, lr = 0.1: p = 1 - 0.1 * 0.5 = 0.95. */
static void test_sgd_step(void)
{
    bo_nn_optim o = {.kind = BO_NN_SGD};
    float p = 1.0f, g = 0.5f;
    bo_nn_optim_step(&o, &p, &g, NULL, NULL, 1, 0.1f, 1);
    CHECK_NEAR(p, 0.95, 1e-7);
}

/* Momentum mu = 0.9, lr = 0.1, g = 0.5 twice, p = 1:
 *   step 1: m = 0.9*0 + 0.5 = 0.5;        p = 1 - 0.1*0.5 = 0.95
 *   step 2: m = 0.9*0.5 + 0.5 = 0.95;     p = 0.95 - 0.1*0.95 = 0.855 */
static void test_momentum_steps(void)
{
    bo_nn_optim o = {.kind = BO_NN_MOMENTUM, .momentum = 0.9};
    float p = 1.0f, g = 0.5f, m = 0.0f;
    bo_nn_optim_step(&o, &p, &g, &m, NULL, 1, 0.1f, 1);
    CHECK_NEAR(m, 0.5, 1e-7);
    CHECK_NEAR(p, 0.95, 1e-7);
    bo_nn_optim_step(&o, &p, &g, &m, NULL, 1, 0.1f, 2);
    CHECK_NEAR(m, 0.95, 1e-7);
    CHECK_NEAR(p, 0.855, 1e-6);
}

/* Adam b1 = 0.9, b2 = 0.999, eps = 1e-8, lr = 0.1, p = 1:
 *   step 1, g = 0.5:  m = 0.1*0.5 = 0.05; v = 0.001*0.25 = 0.00025;
 *     mhat = 0.05/(1-0.9) = 0.5; vhat = 0.00025/(1-0.999) = 0.25;
 *     p = 1 - 0.1 * 0.5/(sqrt(0.25) + 1e-8) = 0.900000002
 *   step 2, g = -1:   m = 0.9*0.05 - 0.1 = -0.055;
 *     v = 0.999*0.00025 + 0.001*1 = 0.00124975;
 *     mhat = -0.055/(1-0.81) = -0.28947368; vhat = 0.00124975/0.001999 = 0.62518759;
 *     p = 0.9 + 0.1 * 0.28947368/0.79068805 = 0.93661035 */
static void test_adam_steps(void)
{
    bo_nn_optim o = {.kind = BO_NN_ADAM, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8};
    float p = 1.0f, g = 0.5f, m = 0.0f, v = 0.0f;
    bo_nn_optim_step(&o, &p, &g, &m, &v, 1, 0.1f, 1);
    CHECK_NEAR(m, 0.05, 1e-7);
    CHECK_NEAR(v, 0.00025, 1e-9);
    CHECK_NEAR(p, 0.900000002, 1e-6);
    g = -1.0f;
    bo_nn_optim_step(&o, &p, &g, &m, &v, 1, 0.1f, 2);
    CHECK_NEAR(m, -0.055, 1e-7);
    CHECK_NEAR(v, 0.00124975, 1e-8);
    CHECK_NEAR(p, 0.93661035, 2e-6);
}

/* A vector goes element by element: SGD on (1, -2, 3) with g = (1, 1, -1),
 * lr 0.5 gives (0.5, -2.5, 3.5). */
static void test_sgd_vector(void)
{
    bo_nn_optim o = {.kind = BO_NN_SGD};
    float p[3] = {1, -2, 3}, g[3] = {1, 1, -1};
    bo_nn_optim_step(&o, p, g, NULL, NULL, 3, 0.5f, 1);
    CHECK_NEAR(p[0], 0.5, 0);
    CHECK_NEAR(p[1], -2.5, 0);
    CHECK_NEAR(p[2], 3.5, 0);
}

/* Schedules: cosine is lr at step 0, lr/2 halfway (cos(pi/2) = 0), lr (1 +
 * cos(pi/4))/2 = 0.85355339 lr a quarter in; step with gamma 0.1 every 2
 * epochs is lr for epochs 0-1, 0.1 lr for 2-3, 0.01 lr for 4. */
static void test_schedules(void)
{
    CHECK_NEAR(bo_nn_lr_at(BO_NN_CONSTANT, 0.3, 50, 100, 4, 2, 0.1), 0.3, 0);
    CHECK_NEAR(bo_nn_lr_at(BO_NN_COSINE, 0.2, 0, 100, 0, 2, 0.1), 0.2, 1e-15);
    CHECK_NEAR(bo_nn_lr_at(BO_NN_COSINE, 0.2, 50, 100, 0, 2, 0.1), 0.1, 1e-15);
    CHECK_NEAR(bo_nn_lr_at(BO_NN_COSINE, 0.2, 25, 100, 0, 2, 0.1), 0.2 * 0.85355339059, 1e-10);
    CHECK_NEAR(bo_nn_lr_at(BO_NN_STEP, 0.2, 0, 100, 1, 2, 0.1), 0.2, 1e-15);
    CHECK_NEAR(bo_nn_lr_at(BO_NN_STEP, 0.2, 0, 100, 2, 2, 0.1), 0.02, 1e-15);
    CHECK_NEAR(bo_nn_lr_at(BO_NN_STEP, 0.2, 0, 100, 4, 2, 0.1), 0.002, 1e-15);
}

static void test_names(void)
{
    CHECK(bo_nn_opt_parse("adam") == BO_NN_ADAM);
    CHECK(bo_nn_opt_parse("momentum") == BO_NN_MOMENTUM);
    CHECK(bo_nn_opt_parse("Adam") == -1);
    CHECK(bo_nn_sched_parse("cosine") == BO_NN_COSINE);
    CHECK(bo_nn_optim_n_state(&(bo_nn_optim){.kind = BO_NN_ADAM}) == 2);
}

int main(void)
{
    test_sgd_step();
    test_momentum_steps();
    test_adam_steps();
    test_sgd_vector();
    test_schedules();
    test_names();
    return check_summary();
}
