/*
 * data.h — Fashion-MNIST in memory: the four IDX files of the Debian package
 * dataset-fashion-mnist, read once per worker, split the same way every time.
 *
 * Pixels stay bytes (a fourth of the memory of floats); the training code
 * scales them to float [0,1] by BO_NN_PIXEL_SCALE while it gathers a batch
 * into its own contiguous buffer, which it has to do anyway for shuffling.
 *
 * The split: the 60,000 training images are permuted by a fixed permutation
 * (gsl_ran_shuffle driven by mt19937 seeded with BO_NN_SPLIT_SEED, a constant
 * never derived from a trial or a study) and the first 50,000 of that order
 * are `train`, the last 10,000 `val`. `test` is the 10,000 t10k images in
 * file order, used only for the final report of a trial that asks for it.
 *
 * Never prints, never exits; errors are one line naming the file.
 */
#ifndef BO_NN_DATA_H
#define BO_NN_DATA_H

#include <stddef.h>
#include <stdint.h>

#define BO_NN_ROWS 28
#define BO_NN_COLS 28
#define BO_NN_PIXELS (BO_NN_ROWS * BO_NN_COLS)
#define BO_NN_CLASSES 10
#define BO_NN_TRAIN_FILE_N 60000
#define BO_NN_TEST_FILE_N 10000
#define BO_NN_TRAIN_N 50000
#define BO_NN_VAL_N 10000
#define BO_NN_SPLIT_SEED 20240601UL
#define BO_NN_PIXEL_SCALE (1.0f / 255.0f)
#define BO_NN_DEFAULT_DATA_DIR "/usr/share/datasets/fashion-mnist"

/* One part of the data: n images of BO_NN_PIXELS bytes, row after row, and
 * their labels 0..9. */
typedef struct bo_nn_split {
    size_t n;
    const uint8_t *x;
    const uint8_t *y;
} bo_nn_split;

enum bo_nn_split_id { BO_NN_SPLIT_TRAIN = 0, BO_NN_SPLIT_VAL = 1, BO_NN_SPLIT_TEST = 2 };

/* The three splits; the structure owns one block each for pixels and labels
 * that the splits point into. */
typedef struct bo_nn_data {
    bo_nn_split split[3];
    uint8_t *pixels_;
    uint8_t *labels_;
} bo_nn_data;

/* Reads {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz from dir. Returns 0,
 * or -1 with a message naming the file (missing, truncated, wrong magic or
 * size, a label out of range). On failure *data is left empty. */
int bo_nn_data_load(const char *dir, bo_nn_data *data, char *err, size_t errlen);

void bo_nn_data_free(bo_nn_data *data);

#endif
