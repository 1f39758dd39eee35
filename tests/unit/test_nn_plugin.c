/*
 * test_nn_plugin.c — nn_trainer through its plugin ABI (plugin.c compiled
 * in; the descriptor reached through bo_objective_entry() as the host
 * would): a trial's outcome in a warm instance equals a fresh one's, a seed
 * gives the same outcome twice and another seed a different one, report()
 * stops training, test metrics on request, and bad config / devices / data
 * refused with one line.
 *
 * Trials are small (2000 training rows, 1000 validation rows, width 32) so
 * the whole file runs in seconds; creating an instance loads the real data.
 */
#include <bo/objective.h>
#include <stdlib.h>

#include "check.h"

static const char *SMALL = "{\"epochs\": 2, \"max_train\": 2000, \"max_val\": 1000, "
                           "\"width\": 32, \"device\": \"cpu\"}";

typedef struct host_rec {
    int stop_at;       /* report() returns 1 at this epoch (0: never) */
    int reports;
    double last_report;
    char log[2048];
} host_rec;

static void rec_log(void *ctx, const char *line)
{
    host_rec *h = ctx;
    size_t n = strlen(h->log);
    snprintf(h->log + n, sizeof h->log - n, "%s\n", line);
}

static int rec_report(void *ctx, int64_t step, double value)
{
    host_rec *h = ctx;
    h->reports++;
    h->last_report = value;
    return h->stop_at && step >= h->stop_at;
}

static const bo_objective *obj(void) { return bo_objective_entry(); }

static void *make(const char *config)
{
    void *in = NULL;
    char err[512] = "";
    if (obj()->create(config, &in, err, sizeof err) != 0) {
        fprintf(stderr, "create failed: %s\n", err);
        return NULL;
    }
    return in;
}

/* Evaluates one trial; n values of (name, double-or-string) pairs. */
static bo_outcome run(void *in, uint64_t seed, const bo_value *v, size_t n, host_rec *rec)
{
    host_rec local = {0};
    if (!rec)
        rec = &local;
    bo_host host = {.abi_version = BO_OBJECTIVE_ABI_VERSION, .struct_size = sizeof(bo_host),
                    .seed = seed, .ctx = rec, .log = rec_log, .report = rec_report};
    bo_outcome out;
    memset(&out, 0, sizeof out);
    out.cost_s = NAN;
    CHECK(obj()->evaluate(in, v, n, &host, &out) == 0);
    return out;
}

static double metric(const bo_outcome *o, const char *name)
{
    for (uint32_t i = 0; i < o->n_metrics; i++)
        if (strcmp(o->metrics[i].name, name) == 0)
            return o->metrics[i].value;
    return NAN;
}

/* Same outcome apart from wall-clock figures. */
static int same_outcome(const bo_outcome *a, const bo_outcome *b)
{
    if (a->status != b->status || a->loss != b->loss || a->n_metrics != b->n_metrics)
        return 0;
    static const char *timed[] = {"samples_per_s", "gflops", "train_s"};
    for (uint32_t i = 0; i < a->n_metrics; i++) {
        int skip = 0;
        for (int t = 0; t < 3; t++)
            skip |= strcmp(a->metrics[i].name, timed[t]) == 0;
        if (!skip && (strcmp(a->metrics[i].name, b->metrics[i].name) != 0 ||
                      a->metrics[i].value != b->metrics[i].value))
            return 0;
    }
    return 1;
}

static const char *ACT_TANH = "tanh";

static void test_descriptor(void)
{
    const bo_objective *o = obj();
    CHECK(o->abi_version == BO_OBJECTIVE_ABI_VERSION);
    CHECK(strcmp(o->name, "nn_trainer") == 0);
    CHECK(o->n_space >= 6);
    int has_lr = 0;
    for (uint32_t i = 0; i < o->n_space; i++)
        if (strcmp(o->space[i].name, "lr") == 0)
            has_lr = o->space[i].log && o->space[i].low == 1e-4 && o->space[i].high == 0.3;
    CHECK(has_lr);
}

/* Trial B evaluated after trial A in one instance equals B in a fresh one:
 * nothing of A (weights, optimizer state, generators) leaks into B. B has
 * dropout so its mask generator is exercised too. */
static void test_warm_equals_fresh(void)
{
    bo_value a[] = {{.name = "lr", .type = BO_VALUE_DOUBLE, .d = 0.01},
                    {.name = "act", .type = BO_VALUE_STRING, .s = ACT_TANH}};
    bo_value b[] = {{.name = "dropout", .type = BO_VALUE_DOUBLE, .d = 0.25},
                    {.name = "layers", .type = BO_VALUE_INT, .i = 3},
                    {.name = "optimizer", .type = BO_VALUE_STRING, .s = "momentum"}};
    void *warm = make(SMALL);
    void *fresh = make(SMALL);
    CHECK(warm && fresh);
    if (!warm || !fresh)
        return;
    bo_outcome oa = run(warm, 11, a, 2, NULL);
    CHECK(oa.status == BO_STATUS_OK);
    bo_outcome ob_warm = run(warm, 12, b, 3, NULL);
    bo_outcome ob_fresh = run(fresh, 12, b, 3, NULL);
    CHECK(ob_warm.status == BO_STATUS_OK);
    CHECK(isfinite(ob_warm.loss));
    CHECK(same_outcome(&ob_warm, &ob_fresh));
    CHECK(metric(&ob_warm, "epochs_run") == 2);
    /* Determinism per seed: again with seed 12, then seed 13. */
    bo_outcome again = run(warm, 12, b, 3, NULL);
    bo_outcome other = run(warm, 13, b, 3, NULL);
    CHECK(same_outcome(&again, &ob_fresh));
    CHECK(other.loss != ob_fresh.loss);
    obj()->destroy(warm);
    obj()->destroy(fresh);
}

/* report() asking to stop after epoch 1 of 3: status STOPPED, one epoch run,
 * loss = the value reported. */
static void test_report_stops(void)
{
    void *in = make(SMALL);
    if (!in)
        return;
    bo_value v[] = {{.name = "epochs", .type = BO_VALUE_INT, .i = 3}};
    host_rec rec = {.stop_at = 1};
    bo_outcome o = run(in, 5, v, 1, &rec);
    CHECK(o.status == BO_STATUS_STOPPED);
    CHECK(rec.reports == 1);
    CHECK(o.loss == rec.last_report);
    CHECK(metric(&o, "epochs_run") == 1);
    /* Without a stop: three reports, and the log says the device. */
    host_rec all = {0};
    o = run(in, 5, v, 1, &all);
    CHECK(o.status == BO_STATUS_OK && all.reports == 3);
    CHECK_STR_CONTAINS(all.log, "device: cpu");
    CHECK(metric(&o, "device_cuda") == 0);
    CHECK(isfinite(o.cost_s) && o.cost_s > 0);
    CHECK(o.loss <= all.last_report); /* loss is the best of the epochs */
    obj()->destroy(in);
}

/* "test": true adds test_loss and test_accuracy: 125 steps of batch 32 on
 * 2000 rows already classify most test images (chance is 0.1), and the
 * test figure is near the validation one (same distribution). */
static void test_test_metrics(void)
{
    void *in = make("{\"epochs\": 2, \"max_train\": 2000, \"batch_size\": 32, \"width\": 32, "
                    "\"test\": true, \"device\": \"cpu\"}");
    if (!in)
        return;
    bo_outcome o = run(in, 1, NULL, 0, NULL);
    CHECK(o.status == BO_STATUS_OK);
    CHECK(metric(&o, "test_accuracy") > 0.6);
    CHECK_NEAR(metric(&o, "test_accuracy"), metric(&o, "val_accuracy"), 0.05);
    CHECK(isfinite(metric(&o, "test_loss")));
    obj()->destroy(in);
}

/* Bad trial values fail the trial, not the instance. */
static void test_bad_assignment(void)
{
    void *in = make(SMALL);
    if (!in)
        return;
    bo_value dev[] = {{.name = "device", .type = BO_VALUE_STRING, .s = "cpu"}};
    bo_outcome o = run(in, 1, dev, 1, NULL);
    CHECK(o.status == BO_STATUS_FAILED);
    CHECK_STR_CONTAINS(o.message, "device: cannot be tuned");
    bo_value unk[] = {{.name = "colour", .type = BO_VALUE_DOUBLE, .d = 1}};
    o = run(in, 1, unk, 1, NULL);
    CHECK_STR_CONTAINS(o.message, "colour: unknown nn_trainer setting");
    bo_value neg[] = {{.name = "lr", .type = BO_VALUE_DOUBLE, .d = -1}};
    o = run(in, 1, neg, 1, NULL);
    CHECK(o.status == BO_STATUS_FAILED);
    CHECK_STR_CONTAINS(o.message, "lr: must be");
    bo_value act[] = {{.name = "act", .type = BO_VALUE_STRING, .s = "swish"}};
    o = run(in, 1, act, 1, NULL);
    CHECK_STR_CONTAINS(o.message, "act: unknown value \"swish\"");
    /* A layer count given as a double that is not whole. */
    bo_value frac[] = {{.name = "layers", .type = BO_VALUE_DOUBLE, .d = 1.5}};
    o = run(in, 1, frac, 1, NULL);
    CHECK_STR_CONTAINS(o.message, "layers: must be an integer");
    /* check() gives the same verdicts without training, and takes what
     * evaluate takes: a categorical's "true" for a switch too */
    char why[256] = "";
    CHECK(obj()->check(in, act, 1, why, sizeof why) != 0);
    CHECK_STR_CONTAINS(why, "act: unknown value \"swish\"");
    CHECK(obj()->check(in, unk, 1, why, sizeof why) != 0);
    CHECK_STR_CONTAINS(why, "colour: unknown nn_trainer setting");
    bo_value yes[] = {{.name = "test", .type = BO_VALUE_STRING, .s = "true"},
                      {.name = "lr", .type = BO_VALUE_DOUBLE, .d = 0.01}};
    CHECK(obj()->check(in, yes, 2, why, sizeof why) == 0);
    bo_value maybe[] = {{.name = "test", .type = BO_VALUE_STRING, .s = "maybe"}};
    CHECK(obj()->check(in, maybe, 1, why, sizeof why) != 0);
    CHECK_STR_CONTAINS(why, "test: must be true or false");
    /* A diverging run is a failed trial with its reason. */
    bo_value boom[] = {{.name = "lr", .type = BO_VALUE_DOUBLE, .d = 1e30},
                       {.name = "optimizer", .type = BO_VALUE_STRING, .s = "sgd"}};
    o = run(in, 1, boom, 2, NULL);
    CHECK(o.status == BO_STATUS_FAILED);
    CHECK_STR_CONTAINS(o.message, "diverged");
    /* And the instance still works. */
    o = run(in, 1, NULL, 0, NULL);
    CHECK(o.status == BO_STATUS_OK);
    obj()->destroy(in);
}

static void expect_create_error(const char *config, const char *needle)
{
    void *in = NULL;
    char err[512] = "";
    CHECK(obj()->create(config, &in, err, sizeof err) != 0);
    CHECK(in == NULL);
    CHECK_STR_CONTAINS(err, needle);
    CHECK(strchr(err, '\n') == NULL);
}

static void test_create_errors(void)
{
    expect_create_error("{\"epoch\": 3}", "objective.config.epoch: unknown nn_trainer setting");
    expect_create_error("{\"epoch\": 3}", "(known: data_dir, device, threads, lr,");
    expect_create_error("{\"epochs\": \"3\"}", "epochs: must be an integer");
    expect_create_error("[1]", "must be a JSON object");
    expect_create_error("{\"batch_size\": 0}", "batch_size: must be in 1..50000");
    /* each in range, together 784*65536 + 65536^2 + 10*65536 = 4.35e9
     * weights: refused before anything is allocated */
    expect_create_error("{\"layers\": 2, \"width\": 65536}",
                        "a 2 x 65536 network has 4.35e+09 weights, more than 2^28");
    expect_create_error("{\"device\": \"tpu\"}", "device: unknown value \"tpu\"");
    expect_create_error("{\"data_dir\": \"/nonexistent/fm\"}",
                        "/nonexistent/fm/train-images-idx3-ubyte.gz: cannot open");
    setenv("BO_NN_CUDA_LIB", "/nonexistent/libbo_nn_cuda.so", 1);
    expect_create_error("{\"device\": \"cuda\"}", "CUDA backend not available: ");
    unsetenv("BO_NN_CUDA_LIB");
}

/* device auto without the CUDA library runs on the CPU and says why. */
static void test_auto_device(void)
{
    setenv("BO_NN_CUDA_LIB", "/nonexistent/libbo_nn_cuda.so", 1);
    void *in = make("{\"epochs\": 1, \"max_train\": 500, \"max_val\": 200, \"width\": 16}");
    unsetenv("BO_NN_CUDA_LIB");
    if (!in)
        return;
    host_rec rec = {0};
    bo_outcome o = run(in, 3, NULL, 0, &rec);
    CHECK(o.status == BO_STATUS_OK);
    CHECK_STR_CONTAINS(rec.log, "device: cpu (auto: CUDA backend not available:");
    CHECK(metric(&o, "device_cuda") == 0);
    obj()->destroy(in);
}

int main(void)
{
    test_descriptor();
    test_warm_equals_fresh();
    test_report_stops();
    test_test_metrics();
    test_bad_assignment();
    test_create_errors();
    test_auto_device();
    return check_summary();
}
