/*
 * test_nn_data.c — loading Fashion-MNIST: the real files (sizes and the
 * published class balance), a synthetic data set that shows the split is a
 * fixed partition, and broken files made in a temporary folder (missing,
 * truncated, wrong magic, wrong count, bad label), each refused with one
 * line naming the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "data.h"

static char tmpdir[256];

static void put_be32(unsigned char *b, uint32_t v)
{
    b[0] = (unsigned char)(v >> 24);
    b[1] = (unsigned char)(v >> 16);
    b[2] = (unsigned char)(v >> 8);
    b[3] = (unsigned char)v;
}

/* Writes an IDX file: header words, then `n` bytes from fill(i). */
static void write_idx(const char *name, uint32_t magic, uint32_t count, int images,
                      size_t n, unsigned char (*fill)(size_t))
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    gzFile f = gzopen(path, "wb1");
    unsigned char hdr[16];
    put_be32(hdr, magic);
    put_be32(hdr + 4, count);
    put_be32(hdr + 8, 28);
    put_be32(hdr + 12, 28);
    gzwrite(f, hdr, images ? 16 : 8);
    unsigned char buf[4096];
    for (size_t done = 0; done < n;) {
        size_t k = n - done < sizeof buf ? n - done : sizeof buf;
        for (size_t i = 0; i < k; i++)
            buf[i] = fill(done + i);
        gzwrite(f, buf, (unsigned)k);
        done += k;
    }
    gzclose(f);
}

/* Image i carries its own number in its first three pixels; its label is
 * i mod 10. */
static unsigned char image_byte(size_t at)
{
    size_t img = at / BO_NN_PIXELS, px = at % BO_NN_PIXELS;
    return px < 3 ? (unsigned char)(img >> (8 * px)) : 0;
}

static unsigned char label_byte(size_t at) { return (unsigned char)(at % 10); }
static unsigned char bad_label_byte(size_t at) { return at == 123 ? 10 : 0; }

static void write_good_set(void)
{
    write_idx("train-images-idx3-ubyte.gz", 2051, 60000, 1, 60000u * BO_NN_PIXELS, image_byte);
    write_idx("train-labels-idx1-ubyte.gz", 2049, 60000, 0, 60000, label_byte);
    write_idx("t10k-images-idx3-ubyte.gz", 2051, 10000, 1, 10000u * BO_NN_PIXELS, image_byte);
    write_idx("t10k-labels-idx1-ubyte.gz", 2049, 10000, 0, 10000, label_byte);
}

static size_t image_number(const bo_nn_split *s, size_t row)
{
    const uint8_t *p = s->x + row * BO_NN_PIXELS;
    return (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16;
}

/* The real files: 50000/10000/10000 rows; Fashion-MNIST has 6000 images of
 * each class in the training file and 1000 in the test file (Xiao et al.
 * 2017, Table 1), so train + val counts must be 6000 per class. */
static void test_real_files(void)
{
    bo_nn_data d;
    char err[512] = "";
    int rc = bo_nn_data_load(BO_NN_DEFAULT_DATA_DIR, &d, err, sizeof err);
    CHECK(rc == 0);
    if (rc != 0) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    CHECK(d.split[BO_NN_SPLIT_TRAIN].n == 50000);
    CHECK(d.split[BO_NN_SPLIT_VAL].n == 10000);
    CHECK(d.split[BO_NN_SPLIT_TEST].n == 10000);
    size_t train_val[10] = {0}, test[10] = {0};
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; i < d.split[s].n; i++)
            train_val[d.split[s].y[i]]++;
    for (size_t i = 0; i < 10000; i++)
        test[d.split[BO_NN_SPLIT_TEST].y[i]]++;
    int balanced = 1;
    for (int c = 0; c < 10; c++)
        balanced &= train_val[c] == 6000 && test[c] == 1000;
    CHECK(balanced);
    bo_nn_data_free(&d);
}

/* The split is a partition of the 60000 training images (every number seen
 * once across train and val, labels travelling with their image), the test
 * rows are in file order, and pixels scale to [0, 1] as bytes / 255. Loading
 * twice gives the same order. */
static void test_split_is_fixed_partition(void)
{
    write_good_set();
    bo_nn_data a, b;
    char err[512] = "";
    CHECK(bo_nn_data_load(tmpdir, &a, err, sizeof err) == 0);
    CHECK(bo_nn_data_load(tmpdir, &b, err, sizeof err) == 0);
    unsigned char *seen = calloc(60000, 1);
    int labels_ok = 1, same = 1, in_order = 1;
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; i < a.split[s].n; i++) {
            size_t k = image_number(&a.split[s], i);
            if (k < 60000)
                seen[k]++;
            labels_ok &= a.split[s].y[i] == k % 10;
            same &= image_number(&b.split[s], i) == k;
        }
    int once = 1;
    for (size_t k = 0; k < 60000; k++)
        once &= seen[k] == 1;
    for (size_t i = 0; i < 10000; i++)
        in_order &= image_number(&a.split[BO_NN_SPLIT_TEST], i) == i;
    CHECK(once);
    CHECK(labels_ok);
    CHECK(same);
    CHECK(in_order);
    /* Not the identity: the first train row is not image 0..9 in a row. */
    CHECK(image_number(&a.split[BO_NN_SPLIT_TRAIN], 0) != 0 ||
          image_number(&a.split[BO_NN_SPLIT_TRAIN], 1) != 1);
    CHECK_NEAR(255 * BO_NN_PIXEL_SCALE, 1.0, 1e-7);
    free(seen);
    bo_nn_data_free(&a);
    bo_nn_data_free(&b);
}

static void expect_error(const char *what, const char *needle1, const char *needle2)
{
    bo_nn_data d;
    char err[512] = "";
    int rc = bo_nn_data_load(tmpdir, &d, err, sizeof err);
    CHECK(rc != 0);
    CHECK_STR_CONTAINS(err, needle1);
    CHECK_STR_CONTAINS(err, needle2);
    CHECK(strchr(err, '\n') == NULL);
    CHECK(d.split[0].x == NULL);
    if (rc == 0)
        bo_nn_data_free(&d);
    (void)what;
}

static void test_missing_file(void)
{
    write_good_set();
    char path[512];
    snprintf(path, sizeof path, "%s/t10k-labels-idx1-ubyte.gz", tmpdir);
    unlink(path);
    expect_error("missing", "t10k-labels-idx1-ubyte.gz", "cannot open");
}

static void test_truncated_file(void)
{
    write_good_set();
    write_idx("train-images-idx3-ubyte.gz", 2051, 60000, 1, 1000u * BO_NN_PIXELS, image_byte);
    expect_error("truncated", "train-images-idx3-ubyte.gz", "truncated");
}

static void test_wrong_magic(void)
{
    write_good_set();
    /* A label file where the images should be. */
    write_idx("train-images-idx3-ubyte.gz", 2049, 60000, 0, 60000, label_byte);
    expect_error("magic", "train-images-idx3-ubyte.gz", "bad magic number 2049");
}

static void test_wrong_count(void)
{
    write_good_set();
    write_idx("t10k-labels-idx1-ubyte.gz", 2049, 9999, 0, 9999, label_byte);
    expect_error("count", "t10k-labels-idx1-ubyte.gz", "holds 9999 items, want 10000");
}

static void test_bad_label(void)
{
    write_good_set();
    write_idx("train-labels-idx1-ubyte.gz", 2049, 60000, 0, 60000, bad_label_byte);
    expect_error("label", "train-labels-idx1-ubyte.gz", "label 10 of item 123");
}

/* A gzip member ends with the CRC-32 of its data (RFC 1952): a file whose
 * CRC is damaged, its payload intact, is refused; so is a file with more
 * items than its header says. */
static void test_damaged_file(void)
{
    write_good_set();
    char path[512];
    snprintf(path, sizeof path, "%s/t10k-labels-idx1-ubyte.gz", tmpdir);
    FILE *f = fopen(path, "r+b");
    CHECK(f != NULL);
    if (f) {
        /* the trailer: CRC-32 (4 bytes) then ISIZE (4), little-endian */
        CHECK(fseek(f, -8, SEEK_END) == 0);
        int c = fgetc(f);
        CHECK(fseek(f, -8, SEEK_END) == 0);
        fputc(c ^ 0xFF, f);
        fclose(f);
    }
    expect_error("damaged", "t10k-labels-idx1-ubyte.gz", "a damaged file");
    write_good_set();
    write_idx("t10k-labels-idx1-ubyte.gz", 2049, 10000, 0, 10001, label_byte);
    expect_error("longer", "t10k-labels-idx1-ubyte.gz", "longer than its 10000 items");
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/bo-nn-data-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_real_files();
    test_split_is_fixed_partition();
    test_missing_file();
    test_truncated_file();
    test_wrong_magic();
    test_wrong_count();
    test_bad_label();
    test_damaged_file();
    const char *names[] = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                           "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};
    for (int i = 0; i < 4; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", tmpdir, names[i]);
        unlink(path);
    }
    rmdir(tmpdir);
    return check_summary();
}
