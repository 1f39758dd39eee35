/*
 * bench_dump.h — writes the trainer's train/validation split as raw bytes
 * (DIR/{train,val}_{x,y}.u8), so that the PyTorch script of a benchmark
 * trains on exactly the rows bo trains on.
 */
#ifndef BO_BENCH_DUMP_H
#define BO_BENCH_DUMP_H

#include <stdio.h>

#include "data.h"

/* 0, or 1 after printing which file failed. */
static inline int bench_dump_split(const bo_nn_data *d, const char *dir)
{
    const char *names[2] = {"train", "val"};
    for (int s = 0; s < 2; s++) {
        const struct {
            const char *suffix;
            const void *bytes;
            size_t row;
        } part[2] = {{"x", d->split[s].x, BO_NN_PIXELS}, {"y", d->split[s].y, 1}};
        for (int k = 0; k < 2; k++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s_%s.u8", dir, names[s], part[k].suffix);
            FILE *f = fopen(path, "wb");
            size_t n = f ? fwrite(part[k].bytes, part[k].row, d->split[s].n, f) : 0;
            if (!f || n != d->split[s].n || fclose(f) != 0) {
                perror(path);
                return 1;
            }
        }
    }
    return 0;
}

#endif
