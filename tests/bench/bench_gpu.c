/*
 * bench_gpu.c — the CUDA trainer's figures, next to the limits they are
 * bounded by, all measured in the same run:
 *   1. ceilings: a 1 GiB device-to-device copy (memory bandwidth) and a
 *      4096^3 SGEMM (cuBLAS's float32 peak here; TF32 beside it);
 *   2. the reference network's products at its shapes (batch 128):
 *      time, TFLOP/s, and the fraction of that SGEMM peak and of the
 *      H100 SXM datasheet's 67 TFLOP/s float32;
 *   3. our kernels at the same shapes: time and GB/s against the copy;
 *   4. whole epochs of the reference network through the trainer's loop
 *      (bo_nn_train, the CUDA backend dlopen'ed as the plugin does), with
 *      the step replayed as a CUDA graph and without (BO_NN_CUDA_GRAPH=0).
 * bench_gpu.sh runs PyTorch on the same GPU and data beside it.
 *
 *   bench_gpu [--data DIR] [--epochs N] [--width W] [--layers L] [--batch B]
 *   bench_gpu --data DIR --dump OUT   writes the split for the PyTorch side
 *
 * Ends with one `key value` per line for the script.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_dump.h"
#include "backend_select.h"
#include "config.h"
#include "gpu.h"
#include "train.h"

#define H100_FP32_TFLOPS 67.0 /* SXM datasheet, dense float32 (no tensor cores) */

static char ERR[600];

static void die(const char *what)
{
    fprintf(stderr, "bench_gpu: %s: %s\n", what, ERR);
    exit(1);
}

static void log_line(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "  gpu: %s\n", line);
}

static double train(const bo_nn_device *dev, const bo_nn_data *data, const bo_nn_config *cfg,
                    bo_nn_result *r)
{
    bo_nn_hooks hooks = {NULL, log_line, NULL};
    if (bo_nn_train(dev->backend, dev->ctx, data, cfg, 1, &hooks, r, ERR, sizeof ERR) != 0)
        die("training");
    return r->train_s / (double)r->epochs_run;
}

int main(int argc, char **argv)
{
    long epochs = 5, width = 256, layers = 2, batch = 128;
    const char *data_dir = getenv("BO_NN_DATA_DIR"), *dump_dir = NULL;
    if (!data_dir)
        data_dir = BO_NN_DEFAULT_DATA_DIR;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--epochs") == 0)
            epochs = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--width") == 0)
            width = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--layers") == 0)
            layers = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--batch") == 0)
            batch = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--data") == 0)
            data_dir = argv[i + 1];
        else if (strcmp(argv[i], "--dump") == 0)
            dump_dir = argv[i + 1];
        else {
            fprintf(stderr, "bench_gpu: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    bo_nn_data data;
    if (bo_nn_data_load(data_dir, &data, ERR, sizeof ERR) != 0)
        die("data");
    if (dump_dir) {
        int rc = bench_dump_split(&data, dump_dir);
        bo_nn_data_free(&data);
        return rc;
    }
    if (bo_gpu_device_count(ERR, sizeof ERR) <= 0)
        die("device");
    char line[256];
    if (bo_gpu_describe(line, sizeof line, ERR, sizeof ERR) != 0)
        die("device");
    printf("device: %s\n", line);

    /* 1. Ceilings. */
    bo_gpu_timing copy, big, big_tf32;
    if (bo_gpu_bench_copy((size_t)1 << 30, 20, &copy, ERR, sizeof ERR) != 0 ||
        bo_gpu_bench_gemm(BO_GPU_GEMM_FORWARD, 4096, 4096, 4096, 0, 10, &big, ERR,
                          sizeof ERR) != 0 ||
        bo_gpu_bench_gemm(BO_GPU_GEMM_FORWARD, 4096, 4096, 4096, 1, 10, &big_tf32, ERR,
                          sizeof ERR) != 0)
        die("ceilings");
    double bw = copy.bytes / copy.s, peak = big.flops / big.s;
    printf("ceilings: copy %.0f GB/s; SGEMM 4096^3 %.1f TFLOP/s fp32 (%.0f%% of the %.0f "
           "datasheet), %.1f TFLOP/s tf32\n", bw * 1e-9, peak * 1e-12,
           100.0 * peak * 1e-12 / H100_FP32_TFLOPS, H100_FP32_TFLOPS,
           big_tf32.flops / big_tf32.s * 1e-12);

    /* 2. The reference network's products, per step. */
    size_t dims[BO_NN_MAX_LAYERS + 2];
    dims[0] = BO_NN_PIXELS;
    for (long l = 1; l <= layers; l++)
        dims[l] = (size_t)width;
    dims[layers + 1] = BO_NN_CLASSES;
    const char *forms[3] = {"forward", "wgrad", "igrad"};
    double gemm_step_s = 0.0, gemm_step_flops = 0.0;
    printf("%-22s %10s %10s %10s %10s\n", "product (batch x in x out)", "us", "TFLOP/s",
           "% sgemm", "% 67T");
    for (long k = 0; k <= layers; k++)
        for (int f = 0; f < 3; f++) {
            if (f == BO_GPU_GEMM_IGRAD && k == 0)
                continue; /* the data needs no gradient */
            bo_gpu_timing t;
            if (bo_gpu_bench_gemm(f, (size_t)batch, dims[k], dims[k + 1], 0, 200, &t, ERR,
                                  sizeof ERR) != 0)
                die("gemm");
            char name[64];
            snprintf(name, sizeof name, "%s %ldx%zux%zu", forms[f], batch, dims[k], dims[k + 1]);
            printf("%-22s %10.2f %10.3f %10.2f %10.2f\n", name, t.s * 1e6,
                   t.flops / t.s * 1e-12, 100.0 * (t.flops / t.s) / peak,
                   100.0 * t.flops / t.s * 1e-12 / H100_FP32_TFLOPS);
            gemm_step_s += t.s;
            gemm_step_flops += t.flops;
        }
    double steps = (double)((BO_NN_TRAIN_N + batch - 1) / batch);
    printf("products per step: %.1f us (%.2f TFLOP/s); per epoch %.2f ms; at the SGEMM peak "
           "they would take %.2f ms\n", gemm_step_s * 1e6, gemm_step_flops / gemm_step_s * 1e-12,
           gemm_step_s * steps * 1e3, gemm_step_flops * steps / peak * 1e3);

    /* 3. Our kernels at the same shapes. */
    bo_nn_layout lo;
    bo_nn_layout_init(&lo, BO_NN_PIXELS, (size_t)layers, (size_t)width, BO_NN_CLASSES,
                      BO_NN_RELU);
    struct {
        const char *name;
        int rc;
        bo_gpu_timing t;
    } k[5];
    k[0].name = "bias+relu";
    k[0].rc = bo_gpu_bench_bias_act(BO_NN_RELU, (size_t)batch, (size_t)width, 0, 200, &k[0].t,
                                    ERR, sizeof ERR);
    k[1].name = "bias+gelu+mask";
    k[1].rc = bo_gpu_bench_bias_act(BO_NN_GELU, (size_t)batch, (size_t)width, 1, 200, &k[1].t,
                                    ERR, sizeof ERR);
    k[2].name = "act backward+bias grad";
    k[2].rc = bo_gpu_bench_act_backward(BO_NN_RELU, (size_t)batch, (size_t)width, 0, 200,
                                        &k[2].t, ERR, sizeof ERR);
    k[3].name = "softmax xent";
    k[3].rc = bo_gpu_bench_softmax_xent((size_t)batch, BO_NN_CLASSES, 200, &k[3].t, ERR,
                                        sizeof ERR);
    k[4].name = "adam (all params)";
    k[4].rc = bo_gpu_bench_optim(BO_NN_ADAM, lo.n_params, 200, &k[4].t, ERR, sizeof ERR);
    printf("%-24s %10s %10s %10s\n", "kernel", "us", "GB/s", "% copy");
    for (int i = 0; i < 5; i++) {
        if (k[i].rc != 0)
            die(k[i].name);
        printf("%-24s %10.2f %10.1f %10.2f\n", k[i].name, k[i].t.s * 1e6,
               k[i].t.bytes / k[i].t.s * 1e-9, 100.0 * k[i].t.bytes / k[i].t.s / bw);
    }

    /* 4. Whole epochs through the trainer's loop. */
    setenv("BO_NN_CUDA_LIB", BO_NN_CUDA_LIB_PATH, 0);
    bo_nn_device dev;
    char note[600];
    if (bo_nn_device_open("cuda", &data, &dev, note, sizeof note, ERR, sizeof ERR) != 0)
        die("open");
    bo_nn_config cfg;
    bo_nn_config_default(&cfg);
    cfg.layers = layers;
    cfg.width = width;
    cfg.batch_size = batch;
    cfg.epochs = epochs;
    bo_nn_result r, rd;
    double epoch_s = train(&dev, &data, &cfg, &r);
    setenv("BO_NN_CUDA_GRAPH", "0", 1);
    cfg.epochs = epochs < 2 ? epochs : 2;
    double direct_s = train(&dev, &data, &cfg, &rd);
    unsetenv("BO_NN_CUDA_GRAPH");
    double flops = bo_nn_layout_train_flops(&lo) * BO_NN_TRAIN_N; /* FLOPs, 2 per multiply-add */
    printf("reference network 784-%ldx%ld-10 relu adam batch %ld: epoch %.2f ms with graphs, "
           "%.2f ms without; %.0f samples/s; %.2f TFLOP/s (%.1f%% of SGEMM peak); floor at "
           "that peak %.2f ms\n", layers, width, batch, epoch_s * 1e3, direct_s * 1e3,
           r.samples_per_s, flops / epoch_s * 1e-12, 100.0 * flops / epoch_s / peak,
           flops / peak * 1e3);
    printf("epoch_s %.6f\n", epoch_s);
    printf("epoch_direct_s %.6f\n", direct_s);
    printf("samples_per_s %.1f\n", r.samples_per_s);
    printf("val_accuracy %.4f\n", r.last_val_acc);
    printf("val_loss %.4f\n", r.last_val_loss);
    bo_nn_device_close(&dev);
    bo_nn_data_free(&data);
    return 0;
}
