/*
 * data.c — reading the Fashion-MNIST IDX files with zlib and making the
 * fixed train/validation split (see data.h for the split's definition).
 *
 * IDX format (yann.lecun.com/exdb/mnist): a big-endian header of 32-bit
 * words, magic 2051 then count, rows, cols for images; magic 2049 then count
 * for labels; then one unsigned byte per pixel or label.
 *
 * Must never print or exit, nor keep anything global: everything lives in
 * the bo_nn_data the caller owns.
 */
#include "fail.h"
#include "data.h"

#include <errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Why a gzread failed: zlib's message names the file. */
static int read_failed(gzFile f, const char *path, char *err, size_t errlen)
{
    int zerr = 0;
    const char *msg = gzerror(f, &zerr);
    if (zerr == Z_DATA_ERROR) /* a bad CRC, length or deflate stream */
        return bo_nn_fail(err, errlen, "%s (a damaged file)", msg);
    return bo_nn_fail(err, errlen, "%s: cannot read: %s", path, msg);
}

/* Reads exactly n bytes; a short read is a truncated (or corrupt) file. */
static int read_exact(gzFile f, const char *path, void *buf, size_t n,
                      char *err, size_t errlen)
{
    unsigned char *p = buf;
    while (n > 0) {
        unsigned chunk = n > (1u << 30) ? (1u << 30) : (unsigned)n;
        int got = gzread(f, p, chunk);
        if (got < 0)
            return read_failed(f, path, err, errlen);
        if (got == 0)
            return bo_nn_fail(err, errlen, "%s: truncated file (ends %zu bytes early)",
                        path, n);
        p += got;
        n -= (size_t)got;
    }
    return 0;
}

static uint32_t be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Reads one IDX file: magic 2051 (images, 28x28) or 2049 (labels), exactly
 * `count` items, into out (count * item bytes). */
static int read_idx(const char *dir, const char *name, uint32_t magic,
                    uint32_t count, uint8_t *out, char *err, size_t errlen)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
        return bo_nn_fail(err, errlen, "%s/%s: path too long", dir, name);
    gzFile f = gzopen(path, "rb");
    if (!f)
        return bo_nn_fail(err, errlen, "%s: cannot open: %s", path,
                    errno ? strerror(errno) : "out of memory");
    int rc = 0;
    unsigned char hdr[16];
    size_t hdr_n = magic == 2051 ? 16 : 8;
    if ((rc = read_exact(f, path, hdr, hdr_n, err, errlen)) != 0)
        goto done;
    if (be32(hdr) != magic) {
        rc = bo_nn_fail(err, errlen, "%s: bad magic number %u (want %u: not an IDX %s file)",
                  path, be32(hdr), magic, magic == 2051 ? "image" : "label");
        goto done;
    }
    if (be32(hdr + 4) != count) {
        rc = bo_nn_fail(err, errlen, "%s: holds %u items, want %u", path, be32(hdr + 4), count);
        goto done;
    }
    if (magic == 2051 && (be32(hdr + 8) != BO_NN_ROWS || be32(hdr + 12) != BO_NN_COLS)) {
        rc = bo_nn_fail(err, errlen, "%s: images are %ux%u, want %dx%d", path,
                  be32(hdr + 8), be32(hdr + 12), BO_NN_ROWS, BO_NN_COLS);
        goto done;
    }
    size_t item = magic == 2051 ? BO_NN_PIXELS : 1;
    if ((rc = read_exact(f, path, out, (size_t)count * item, err, errlen)) != 0)
        goto done;
    /* Only the read past the payload reaches the gzip trailer, where zlib
     * checks the CRC and length: a damaged file would otherwise train on
     * garbage without a word. */
    unsigned char extra;
    int more = gzread(f, &extra, 1);
    if (more != 0) {
        rc = more < 0 ? read_failed(f, path, err, errlen)
                      : bo_nn_fail(err, errlen, "%s: longer than its %u items: "
                                   "damaged, or not this data set", path, count);
        goto done;
    }
    if (magic == 2049) {
        for (uint32_t i = 0; i < count; i++) {
            if (out[i] >= BO_NN_CLASSES) {
                rc = bo_nn_fail(err, errlen, "%s: label %u of item %u is not a class 0..9",
                          path, out[i], i);
                goto done;
            }
        }
    }
done:
    gzclose(f);
    return rc;
}

void bo_nn_data_free(bo_nn_data *data)
{
    if (!data)
        return;
    free(data->pixels_);
    free(data->labels_);
    memset(data, 0, sizeof *data);
}

int bo_nn_data_load(const char *dir, bo_nn_data *data, char *err, size_t errlen)
{
    memset(data, 0, sizeof *data);
    const size_t n_file = BO_NN_TRAIN_FILE_N + BO_NN_TEST_FILE_N;
    /* Raw file contents first, then the train file's rows in split order. */
    uint8_t *raw_x = malloc((size_t)BO_NN_TRAIN_FILE_N * BO_NN_PIXELS);
    uint8_t *raw_y = malloc(BO_NN_TRAIN_FILE_N);
    data->pixels_ = malloc(n_file * BO_NN_PIXELS);
    data->labels_ = malloc(n_file);
    size_t *perm = malloc(BO_NN_TRAIN_FILE_N * sizeof *perm);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    int rc = 0;
    if (!raw_x || !raw_y || !data->pixels_ || !data->labels_ || !perm || !rng) {
        rc = bo_nn_fail(err, errlen, "%s: out of memory loading Fashion-MNIST", dir);
        goto done;
    }
    uint8_t *test_x = data->pixels_ + (size_t)BO_NN_TRAIN_FILE_N * BO_NN_PIXELS;
    uint8_t *test_y = data->labels_ + BO_NN_TRAIN_FILE_N;
    if ((rc = read_idx(dir, "train-images-idx3-ubyte.gz", 2051, BO_NN_TRAIN_FILE_N,
                       raw_x, err, errlen)) != 0 ||
        (rc = read_idx(dir, "train-labels-idx1-ubyte.gz", 2049, BO_NN_TRAIN_FILE_N,
                       raw_y, err, errlen)) != 0 ||
        (rc = read_idx(dir, "t10k-images-idx3-ubyte.gz", 2051, BO_NN_TEST_FILE_N,
                       test_x, err, errlen)) != 0 ||
        (rc = read_idx(dir, "t10k-labels-idx1-ubyte.gz", 2049, BO_NN_TEST_FILE_N,
                       test_y, err, errlen)) != 0)
        goto done;

    /* The split must never change: a fixed generator, seed and algorithm. */
    for (size_t i = 0; i < BO_NN_TRAIN_FILE_N; i++)
        perm[i] = i;
    gsl_rng_set(rng, BO_NN_SPLIT_SEED);
    gsl_ran_shuffle(rng, perm, BO_NN_TRAIN_FILE_N, sizeof *perm);
    for (size_t i = 0; i < BO_NN_TRAIN_FILE_N; i++) {
        memcpy(data->pixels_ + i * BO_NN_PIXELS, raw_x + perm[i] * BO_NN_PIXELS,
               BO_NN_PIXELS);
        data->labels_[i] = raw_y[perm[i]];
    }
    data->split[BO_NN_SPLIT_TRAIN] = (bo_nn_split){BO_NN_TRAIN_N, data->pixels_,
                                                   data->labels_};
    data->split[BO_NN_SPLIT_VAL] = (bo_nn_split){
        BO_NN_VAL_N, data->pixels_ + (size_t)BO_NN_TRAIN_N * BO_NN_PIXELS,
        data->labels_ + BO_NN_TRAIN_N};
    data->split[BO_NN_SPLIT_TEST] = (bo_nn_split){BO_NN_TEST_FILE_N, test_x, test_y};
done:
    free(raw_x);
    free(raw_y);
    free(perm);
    if (rng)
        gsl_rng_free(rng);
    if (rc != 0)
        bo_nn_data_free(data);
    return rc;
}
