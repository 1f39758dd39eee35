/*
 * bench_trainer.c — throughput of the reference network (784-256-256-10,
 * ReLU, Adam 1e-3, batch 128) on the CPU backend: samples per second of the
 * training steps (validation excluded), GFLOP/s of the products
 * (bo_nn_layout_train_flops), and validation accuracy after each epoch.
 * Driven by bench_trainer.sh, which runs PyTorch on the same data beside it.
 *
 *   bench_trainer [--epochs N] [--threads T] [--seed S]
 *   bench_trainer --dump DIR   writes the train/val split as raw bytes
 *                              ({train,val}_{x,y}.u8) for the PyTorch side
 *
 * Prints one `key value` per line at the end, for the script to read.
 */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_dump.h"
#include "backend.h"
#include "config.h"
#include "train.h"

static void log_line(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "  c: %s\n", line);
}

int main(int argc, char **argv)
{
    long epochs = 5, threads = 0;
    unsigned long long seed = 1;
    const char *dump_dir = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--epochs") == 0)
            epochs = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--threads") == 0)
            threads = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--seed") == 0)
            seed = strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--dump") == 0)
            dump_dir = argv[i + 1];
        else {
            fprintf(stderr, "bench_trainer: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    bo_nn_data data;
    char err[512];
    if (bo_nn_data_load(BO_NN_DEFAULT_DATA_DIR, &data, err, sizeof err) != 0) {
        fprintf(stderr, "bench_trainer: %s\n", err);
        return 1;
    }
    if (dump_dir) {
        int rc = bench_dump_split(&data, dump_dir);
        bo_nn_data_free(&data);
        return rc;
    }
    if (threads > 0)
        openblas_set_num_threads((int)threads);
    bo_nn_config cfg;
    bo_nn_config_default(&cfg);
    cfg.epochs = epochs;
    void *ctx;
    bo_nn_backend_cpu.open(&data, &ctx, err, sizeof err);
    bo_nn_hooks hooks = {NULL, log_line, NULL};
    bo_nn_result r;
    if (bo_nn_train(&bo_nn_backend_cpu, ctx, &data, &cfg, seed, &hooks, &r, err,
                    sizeof err) != 0) {
        fprintf(stderr, "bench_trainer: %s\n", err);
        return 1;
    }
    printf("threads %d\n", openblas_get_num_threads());
    printf("samples_per_s %.1f\n", r.samples_per_s);
    printf("gflops %.2f\n", r.gflops);
    printf("train_s %.3f\n", r.train_s);
    printf("val_accuracy %.4f\n", r.last_val_acc);
    printf("val_loss %.4f\n", r.last_val_loss);
    bo_nn_backend_cpu.close(ctx);
    bo_nn_data_free(&data);
    return 0;
}
