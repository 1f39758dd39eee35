/*
 * test_storage.c — the study file: exact round trips, refusal of files that
 * are not bo studies (without touching them), one writer at a time across
 * processes, no committed trial lost to kill -9, and a full disk that
 * leaves every committed trial readable.
 *
 * Every expected value here is written by hand in the test (the doubles are
 * chosen to break anything that rounds, drops a sign or flushes subnormals)
 * or is the file's own bytes before the call under test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "storage.h"

static char dir[64];

static void path_in_dir(char *out, size_t len, const char *name)
{
    snprintf(out, len, "%s/%s", dir, name);
}

static void remove_dir(const char *d)
{
    DIR *dp = opendir(d);
    if (!dp)
        return;
    struct dirent *e;
    char p[512];
    while ((e = readdir(dp))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", d, e->d_name);
        unlink(p);
    }
    closedir(dp);
    rmdir(d);
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0 || (isnan(a) && isnan(b));
}

/* The whole file, malloc'd; *len its size. NULL when it does not exist. */
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, f);
    fclose(f);
    return b;
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
}

static int file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* An error message is one line and names the file. */
static void check_one_line(const bo_error *err, const char *path)
{
    CHECK(strchr(err->message, '\n') == NULL);
    CHECK_STR_CONTAINS(err->message, path);
}

/* The trial every writer in these tests stores as number k: values worked
 * out from k alone, so a reader can check them without the writer. */
static double loss_of(int64_t k) { return 1.0 / (double)(k + 3); }
static double cost_of(int64_t k) { return ldexp(1.0, -1070 + (int)(k % 4)); }

static void fill_record(bo_trial_record *rec, int64_t k, double *u,
                        char *params, size_t params_len)
{
    memset(rec, 0, sizeof *rec);
    u[0] = 1.0 / (double)(k + 7);
    u[1] = k % 2 ? -0.0 : 0.1;
    snprintf(params, params_len, "{\"x\": %.17g, \"k\": %" PRId64 "}", u[0],
             k);
    rec->number = k;
    rec->state = BO_TRIAL_RUNNING;
    rec->origin = (int)(k % 2);
    rec->seed = UINT64_MAX - (uint64_t)k;
    rec->u = u;
    rec->dim = 2;
    rec->params_json = params;
    rec->loss = NAN;
    rec->cost_s = NAN;
    rec->wall_s = NAN;
    rec->started_at = 1.7e9 + (double)k / 3.0;
    rec->finished_at = NAN;
}

/* begin, two reports, finish: one whole trial, as the coordinator does. */
static int write_trial(bo_storage *st, int64_t k, const char *message,
                       bo_error *err)
{
    double u[2];
    char params[96];
    bo_trial_record rec;
    fill_record(&rec, k, u, params, sizeof params);
    int rc = bo_storage_trial_begin(st, &rec, err);
    for (int64_t step = 0; rc == 0 && step < 2; step++)
        rc = bo_storage_report(st, k, step, loss_of(k) + (double)step, err);
    if (rc)
        return rc;
    char metrics[64];
    snprintf(metrics, sizeof metrics, "{\"acc\": %" PRId64 "}", k);
    rec.state = BO_TRIAL_COMPLETE;
    rec.loss = loss_of(k);
    rec.cost_s = cost_of(k);
    rec.wall_s = 0.25 * (double)k;
    rec.finished_at = rec.started_at + rec.wall_s;
    rec.metrics_json = metrics;
    rec.message = (char *)message;
    return bo_storage_trial_finish(st, &rec, err);
}

/* Trial k as write_trial left it, compared field by field; 1 if exact. */
static int trial_is_complete(bo_storage *st, const bo_trial_record *r)
{
    int64_t k = r->number;
    double u[2];
    char params[96], metrics[64];
    bo_trial_record want;
    fill_record(&want, k, u, params, sizeof params);
    snprintf(metrics, sizeof metrics, "{\"acc\": %" PRId64 "}", k);
    int ok = r->state == BO_TRIAL_COMPLETE && r->origin == want.origin &&
             r->seed == want.seed && r->dim == 2 && r->u &&
             same_bits(r->u[0], u[0]) && same_bits(r->u[1], u[1]) &&
             r->params_json && strcmp(r->params_json, params) == 0 &&
             same_bits(r->loss, loss_of(k)) &&
             same_bits(r->cost_s, cost_of(k)) &&
             same_bits(r->wall_s, 0.25 * (double)k) &&
             same_bits(r->started_at, want.started_at) &&
             same_bits(r->finished_at, want.started_at + 0.25 * (double)k) &&
             r->metrics_json && strcmp(r->metrics_json, metrics) == 0;
    int64_t *steps;
    double *values;
    size_t n;
    bo_error err;
    if (bo_storage_load_reports(st, k, &steps, &values, &n, &err) != 0)
        return 0;
    ok = ok && n == 2 && steps[0] == 0 && steps[1] == 1 &&
         same_bits(values[0], loss_of(k)) &&
         same_bits(values[1], loss_of(k) + 1.0);
    free(steps);
    free(values);
    return ok;
}

static bo_storage *create_study(const char *path, int64_t n_trials)
{
    bo_storage *st = NULL;
    bo_error err;
    if (bo_storage_open(path, BO_STORAGE_CREATE, &st, &err) != 0) {
        fprintf(stderr, "create %s: %s\n", path, err.message);
        return NULL;
    }
    for (int64_t k = 0; k < n_trials; k++)
        if (write_trial(st, k, NULL, &err) != 0)
            fprintf(stderr, "write %s: %s\n", path, err.message);
    return st;
}

/* ------------------------------------------------------ round trips */

/* Doubles come back bit for bit, including the ones a REAL column or a
 * decimal round trip would change: -0.0 (a REAL-typed column stores it as
 * integer 0), subnormals, DBL_MAX, 0.1, 1e-300; NaN comes back as NaN. The
 * 64-bit seed keeps its top bit. */
static void test_doubles_round_trip_exactly(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "exact.db");
    static const double awkward[] = {
        0.1, 1e-300, DBL_MAX, -0.0, 4.9406564584124654e-324,
        2.2250738585072009e-308, -DBL_MIN, 3.0, -1.0 / 3.0, INFINITY,
    };
    const size_t n = sizeof awkward / sizeof awkward[0];
    bo_storage *st;
    bo_error err;
    CHECK(bo_storage_open(path, BO_STORAGE_CREATE, &st, &err) == 0);
    for (size_t i = 0; i < n; i++) {
        double u[10];
        memcpy(u, awkward, sizeof u);
        bo_trial_record rec = {0};
        rec.number = (int64_t)i;
        rec.seed = i % 2 ? UINT64_MAX : (uint64_t)1 << 63;
        rec.u = u;
        rec.dim = n;
        rec.params_json = "{\"a\": \"caf\xc3\xa9\"}";
        rec.started_at = awkward[i];
        CHECK(bo_storage_trial_begin(st, &rec, &err) == 0);
        CHECK(bo_storage_report(st, rec.number, 7, awkward[(i + 1) % n],
                                &err) == 0);
        CHECK(bo_storage_report(st, rec.number, 8, NAN, &err) == 0);
        rec.state = i % 3 ? BO_TRIAL_COMPLETE : BO_TRIAL_INVALID;
        rec.loss = i % 3 ? awkward[i] : NAN;
        rec.cost_s = awkward[(i + 2) % n];
        rec.wall_s = awkward[(i + 3) % n];
        rec.finished_at = awkward[(i + 4) % n];
        CHECK(bo_storage_trial_finish(st, &rec, &err) == 0);
    }
    bo_storage_close(st);

    CHECK(bo_storage_open(path, BO_STORAGE_READ, &st, &err) == 0);
    bo_trial_record *recs;
    size_t got;
    CHECK(bo_storage_load_trials(st, &recs, &got, &err) == 0);
    CHECK(got == n);
    for (size_t i = 0; i < got; i++) {
        const bo_trial_record *r = &recs[i];
        CHECK(r->number == (int64_t)i);
        CHECK(r->seed == (i % 2 ? UINT64_MAX : (uint64_t)1 << 63));
        CHECK(r->state == (i % 3 ? BO_TRIAL_COMPLETE : BO_TRIAL_INVALID));
        CHECK(r->dim == n);
        for (size_t j = 0; j < n && r->dim == n; j++)
            CHECK(same_bits(r->u[j], awkward[j]));
        CHECK(strcmp(r->params_json, "{\"a\": \"caf\xc3\xa9\"}") == 0);
        CHECK(same_bits(r->loss, i % 3 ? awkward[i] : NAN));
        CHECK(same_bits(r->cost_s, awkward[(i + 2) % n]));
        CHECK(same_bits(r->wall_s, awkward[(i + 3) % n]));
        CHECK(same_bits(r->started_at, awkward[i]));
        CHECK(same_bits(r->finished_at, awkward[(i + 4) % n]));
        CHECK(r->metrics_json == NULL && r->message == NULL);
        int64_t *steps;
        double *values;
        size_t nr;
        CHECK(bo_storage_load_reports(st, r->number, &steps, &values, &nr,
                                      &err) == 0);
        CHECK(nr == 2 && steps[0] == 7 && steps[1] == 8);
        CHECK(nr == 2 && same_bits(values[0], awkward[(i + 1) % n]));
        CHECK(nr == 2 && isnan(values[1]));
        free(steps);
        free(values);
    }
    CHECK(same_bits(recs[3].u[3], -0.0) && signbit(recs[3].u[3]));
    bo_trial_records_free(recs, got);
    bo_storage_close(st);
}

/* NaN is stored as SQL NULL (so that SQL tools see "no value"), and the
 * file carries bo's application id, schema version 1 and a WAL journal:
 * read back through SQLite itself, not through storage.c. */
static void test_file_format_seen_by_sqlite(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "format.db");
    bo_storage *st;
    bo_error err;
    CHECK(bo_storage_open(path, BO_STORAGE_CREATE, &st, &err) == 0);
    double u[1] = {0.5};
    bo_trial_record rec = {.number = 4, .u = u, .dim = 1,
                           .started_at = 10.0};
    CHECK(bo_storage_trial_begin(st, &rec, &err) == 0);
    rec.state = BO_TRIAL_FAILED;
    rec.loss = NAN;
    rec.cost_s = NAN;
    rec.wall_s = 2.0;
    rec.finished_at = 12.0;
    rec.message = "boom";
    CHECK(bo_storage_trial_finish(st, &rec, &err) == 0);
    bo_storage_close(st);

    sqlite3 *db;
    CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
          SQLITE_OK);
    sqlite3_stmt *s;
    CHECK(sqlite3_prepare_v2(db,
                             "SELECT loss IS NULL, cost_s IS NULL, state, "
                             "typeof(wall_s), message FROM trials",
                             -1, &s, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(s) == SQLITE_ROW);
    CHECK(sqlite3_column_int(s, 0) == 1 && sqlite3_column_int(s, 1) == 1);
    CHECK(strcmp((const char *)sqlite3_column_text(s, 2), "failed") == 0);
    CHECK(strcmp((const char *)sqlite3_column_text(s, 3), "real") == 0);
    CHECK(strcmp((const char *)sqlite3_column_text(s, 4), "boom") == 0);
    sqlite3_finalize(s);
    CHECK(sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &s, NULL) ==
          SQLITE_OK);
    CHECK(sqlite3_step(s) == SQLITE_ROW);
    CHECK(sqlite3_column_int(s, 0) == 0x626f5354); /* "boST" */
    sqlite3_finalize(s);
    CHECK(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) ==
          SQLITE_OK);
    CHECK(sqlite3_step(s) == SQLITE_ROW);
    CHECK(sqlite3_column_int(s, 0) == 1);
    sqlite3_finalize(s);
    CHECK(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL) ==
          SQLITE_OK);
    CHECK(sqlite3_step(s) == SQLITE_ROW);
    CHECK(strcmp((const char *)sqlite3_column_text(s, 0), "wal") == 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
}

/* Study settings: set, overwrite, read, absent (NULL), removed by NULL. */
static void test_meta_set_get(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "meta.db");
    bo_storage *st;
    bo_error err;
    CHECK(bo_storage_open(path, BO_STORAGE_CREATE, &st, &err) == 0);
    CHECK(bo_storage_set_meta(st, "seed", "18446744073709551615", &err) == 0);
    CHECK(bo_storage_set_meta(st, "trials", "40", &err) == 0);
    CHECK(bo_storage_set_meta(st, "trials", "50", &err) == 0);
    CHECK(bo_storage_set_meta(st, "gone", "x", &err) == 0);
    CHECK(bo_storage_set_meta(st, "gone", NULL, &err) == 0);
    bo_storage_close(st);

    CHECK(bo_storage_open(path, BO_STORAGE_READ, &st, &err) == 0);
    char *v = NULL;
    CHECK(bo_storage_get_meta(st, "seed", &v, &err) == 0);
    CHECK(v && strcmp(v, "18446744073709551615") == 0);
    free(v);
    CHECK(bo_storage_get_meta(st, "trials", &v, &err) == 0);
    CHECK(v && strcmp(v, "50") == 0);
    free(v);
    CHECK(bo_storage_get_meta(st, "gone", &v, &err) == 0 && v == NULL);
    CHECK(bo_storage_get_meta(st, "never", &v, &err) == 0 && v == NULL);
    bo_storage_close(st);
}

/* A read of a closed study is immutable (no -wal, -shm made), and says it
 * may be stale once a writer opened the study meanwhile; a shared read
 * never is immutable. */
static void test_immutable_read_knows_a_writer(void)
{
    char path[128], wal[140], shm[140];
    path_in_dir(path, sizeof path, "imm.db");
    snprintf(wal, sizeof wal, "%s-wal", path);
    snprintf(shm, sizeof shm, "%s-shm", path);
    bo_storage *st, *w;
    bo_error err;
    CHECK(bo_storage_open(path, BO_STORAGE_CREATE, &st, &err) == 0);
    bo_storage_close(st);
    CHECK(!file_exists(wal) && !file_exists(shm));
    CHECK(bo_storage_open(path, BO_STORAGE_READ, &st, &err) == 0);
    CHECK(bo_storage_read_stale(st) == 0);
    CHECK(!file_exists(wal) && !file_exists(shm));
    CHECK(bo_storage_open(path, BO_STORAGE_OPEN, &w, &err) == 0);
    CHECK(bo_storage_set_meta(w, "k", "v", &err) == 0);
    CHECK(bo_storage_read_stale(st) == 1); /* the writer holds it */
    bo_storage_close(w);
    CHECK(bo_storage_read_stale(st) == 1); /* and changed the file */
    bo_storage_close(st);
    CHECK(bo_storage_open(path, BO_STORAGE_READ_SHARED, &st, &err) == 0);
    char *v = NULL;
    CHECK(bo_storage_get_meta(st, "k", &v, &err) == 0 && v && !strcmp(v, "v"));
    free(v);
    CHECK(bo_storage_read_stale(st) == 0);
    bo_storage_close(st);
}

/* A trial begun again (a stale `running` trial evaluated on resume) is
 * replaced whole: running again, no loss, and no reports from the attempt
 * that was interrupted. */
static void test_begin_replaces_stale_trial(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "stale.db");
    bo_storage *st;
    bo_error err;
    CHECK(bo_storage_open(path, BO_STORAGE_CREATE, &st, &err) == 0);
    double u[2];
    char params[96];
    bo_trial_record rec;
    fill_record(&rec, 3, u, params, sizeof params);
    CHECK(bo_storage_trial_begin(st, &rec, &err) == 0);
    CHECK(bo_storage_report(st, 3, 0, 9.0, &err) == 0);
    CHECK(bo_storage_trial_begin(st, &rec, &err) == 0);

    bo_trial_record *recs;
    size_t n;
    CHECK(bo_storage_load_trials(st, &recs, &n, &err) == 0);
    CHECK(n == 1 && recs[0].number == 3 && recs[0].state == BO_TRIAL_RUNNING);
    CHECK(n == 1 && isnan(recs[0].loss) && isnan(recs[0].finished_at));
    bo_trial_records_free(recs, n);
    int64_t *steps;
    double *values;
    CHECK(bo_storage_load_reports(st, 3, &steps, &values, &n, &err) == 0);
    CHECK(n == 0);
    free(steps);
    free(values);
    bo_storage_close(st);
}

/* Finishing or reporting a trial that was never begun is a caller's
 * mistake (BO_ESTATE), named by trial, and stores nothing. */
static void test_finish_of_unknown_trial_refused(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "unknown.db");
    bo_storage *st;
    bo_error err;
    CHECK(bo_storage_open(path, BO_STORAGE_CREATE, &st, &err) == 0);
    bo_trial_record rec = {.number = 12, .state = BO_TRIAL_COMPLETE,
                           .loss = 1.0};
    CHECK(bo_storage_trial_finish(st, &rec, &err) == BO_ESTATE);
    CHECK_STR_CONTAINS(err.message, "trial 12");
    CHECK(bo_storage_report(st, 12, 0, 1.0, &err) == BO_ESTATE);
    CHECK_STR_CONTAINS(err.message, "trial 12");
    rec.state = 99;
    CHECK(bo_storage_trial_finish(st, &rec, &err) == BO_EINVAL);
    bo_trial_record *recs;
    size_t n;
    CHECK(bo_storage_load_trials(st, &recs, &n, &err) == 0 && n == 0);
    bo_trial_records_free(recs, n);
    bo_storage_close(st);
}

/* ------------------------------------------------ refusing bad files */

/* CREATE on a study that exists says to resume it, and leaves it alone. */
static void test_create_refuses_existing_study(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "exists.db");
    bo_storage *st = create_study(path, 3);
    CHECK(st != NULL);
    bo_storage_close(st);
    size_t len0, len1;
    unsigned char *before = slurp(path, &len0);
    bo_error err;
    CHECK(bo_storage_open(path, BO_STORAGE_CREATE, &st, &err) == BO_EIO);
    CHECK(st == NULL);
    CHECK_STR_CONTAINS(err.message, "already exists: use bo resume");
    check_one_line(&err, path);
    unsigned char *after = slurp(path, &len1);
    CHECK(len0 == len1 && memcmp(before, after, len0) == 0);
    free(before);
    free(after);
}

/* A path in a missing folder, or under a regular file: one line with the
 * path and the OS's reason, and nothing created. */
static void test_create_in_missing_directory(void)
{
    char path[160];
    path_in_dir(path, sizeof path, "no-such-dir/x.db");
    bo_storage *st;
    bo_error err;
    CHECK(bo_storage_open(path, BO_STORAGE_CREATE, &st, &err) == BO_EIO);
    check_one_line(&err, path);
    CHECK_STR_CONTAINS(err.message, strerror(ENOENT));

    char file[128];
    path_in_dir(file, sizeof file, "plain-file");
    write_file(file, "x", 1);
    snprintf(path, sizeof path, "%s/x.db", file);
    CHECK(bo_storage_open(path, BO_STORAGE_CREATE, &st, &err) == BO_EIO);
    check_one_line(&err, path);
    CHECK_STR_CONTAINS(err.message, strerror(ENOTDIR));
    unlink(file);
}

/* OPEN and READ of a missing study: BO_ENOTFOUND, and no file appears. */
static void test_open_missing_study(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "missing.db");
    bo_storage *st;
    bo_error err;
    CHECK(bo_storage_open(path, BO_STORAGE_OPEN, &st, &err) == BO_ENOTFOUND);
    check_one_line(&err, path);
    CHECK_STR_CONTAINS(err.message, strerror(ENOENT));
    CHECK(bo_storage_open(path, BO_STORAGE_READ, &st, &err) == BO_ENOTFOUND);
    check_one_line(&err, path);
    CHECK(!file_exists(path));
}

/* Opens `path` in each mode and expects each to fail with a one-line
 * message containing `want`, and the file's bytes not to change. */
static void check_refused_untouched(const char *path, const char *want)
{
    static const int modes[] = {BO_STORAGE_OPEN, BO_STORAGE_READ,
                                BO_STORAGE_CREATE};
    size_t len0, len1;
    unsigned char *before = slurp(path, &len0);
    for (size_t i = 0; i < 3; i++) {
        bo_storage *st = (bo_storage *)1;
        bo_error err = {0};
        int rc = bo_storage_open(path, modes[i], &st, &err);
        CHECK(rc < 0);
        CHECK(st == NULL);
        check_one_line(&err, path);
        CHECK_STR_CONTAINS(err.message, want);
        if (getenv("BO_TEST_VERBOSE"))
            printf("mode %d: %s\n", modes[i], err.message);
    }
    unsigned char *after = slurp(path, &len1);
    CHECK(before && after && len0 == len1 && memcmp(before, after, len0) == 0);
    free(before);
    free(after);
}

/* Another program's SQLite database (no bo application id). */
static void test_foreign_sqlite_refused(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "foreign.db");
    sqlite3 *db;
    sqlite3_open(path, &db);
    sqlite3_exec(db,
                 "CREATE TABLE trials (x); INSERT INTO trials VALUES (1);",
                 NULL, NULL, NULL);
    sqlite3_close(db);
    check_refused_untouched(path, "not a bo study");
}

/* A study written by a newer bo (user_version 2) is refused, not misread. */
static void test_newer_schema_refused(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "newer.db");
    bo_storage *st = create_study(path, 2);
    bo_storage_close(st);
    sqlite3 *db;
    sqlite3_open(path, &db);
    sqlite3_exec(db, "PRAGMA user_version = 2", NULL, NULL, NULL);
    sqlite3_close(db);
    check_refused_untouched(path, "newer bo");
}

/* Garbage bytes (a deterministic pseudo-random 10 kB). */
static void test_garbage_file_refused(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "garbage.db");
    unsigned char junk[10000];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof junk; i++) {
        x = x * 1103515245u + 12345u;
        junk[i] = (unsigned char)(x >> 16);
    }
    write_file(path, junk, sizeof junk);
    check_refused_untouched(path, "not a bo study");
    path_in_dir(path, sizeof path, "text.db");
    write_file(path, "hello, world\n", 13);
    check_refused_untouched(path, "not a bo study");
}

/* A study whose first page (the header) was zeroed. */
static void test_zeroed_header_refused(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "zeroed.db");
    bo_storage *st = create_study(path, 20);
    bo_storage_close(st);
    size_t len;
    unsigned char *b = slurp(path, &len);
    CHECK(len > 4096);
    memset(b, 0, 4096);
    write_file(path, b, len);
    free(b);
    check_refused_untouched(path, "not a bo study");
}

/* A study cut short: at half its length, and inside the 100-byte header. */
static void test_truncated_study_refused(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "truncated.db");
    bo_storage *st;
    bo_error err;
    CHECK(bo_storage_open(path, BO_STORAGE_CREATE, &st, &err) == 0);
    char message[1200];
    memset(message, 'm', sizeof message - 1);
    message[sizeof message - 1] = '\0';
    for (int64_t k = 0; k < 60; k++)
        CHECK(write_trial(st, k, message, &err) == 0);
    bo_storage_close(st);
    size_t len;
    unsigned char *b = slurp(path, &len);
    CHECK(len > 16 * 4096);
    write_file(path, b, len / 2);
    check_refused_untouched(path, "corrupted");
    write_file(path, b, 50);
    check_refused_untouched(path, path);
    /* a page overwritten: SQLite's report spans lines, the message not */
    memset(b + 4096, 0xab, 4096);
    write_file(path, b, len);
    for (int mode = 0; mode < 2; mode++) {
        bo_storage *bad = NULL;
        bo_error e = {0};
        CHECK(bo_storage_open(path, mode ? BO_STORAGE_READ : BO_STORAGE_OPEN,
                              &bad, &e) < 0);
        CHECK(bad == NULL);
        check_one_line(&e, path);
        CHECK_STR_CONTAINS(e.message, "corrupted");
    }
    free(b);
}

/* ------------------------------------------ one writer at a time */

/* A second opener for writing is refused at once while a process holds the
 * study, with the holder's pid; READ is allowed meanwhile and sees what the
 * holder committed; once the holder exits the study opens again. */
static void test_second_writer_refused_across_processes(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "owned.db");
    bo_storage *st = create_study(path, 1);
    bo_storage_close(st);

    int ready[2], go[2];
    CHECK(pipe(ready) == 0 && pipe(go) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        bo_error err;
        bo_storage *mine;
        if (bo_storage_open(path, BO_STORAGE_OPEN, &mine, &err) != 0 ||
            write_trial(mine, 1, NULL, &err) != 0)
            _exit(1);
        char c = 'r';
        if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
            _exit(2);
        bo_storage_close(mine);
        _exit(0);
    }
    char c;
    CHECK(read(ready[0], &c, 1) == 1);

    bo_error err;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(bo_storage_open(path, BO_STORAGE_OPEN, &st, &err) == BO_EIO);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    check_one_line(&err, path);
    char want[96];
    snprintf(want, sizeof want, "study is in use by another process (pid %ld)",
             (long)pid);
    CHECK_STR_CONTAINS(err.message, want);
    /* Refused at once, not after a busy wait. */
    CHECK((double)(t1.tv_sec - t0.tv_sec) +
              1e-9 * (double)(t1.tv_nsec - t0.tv_nsec) < 0.5);
    CHECK(bo_storage_open(path, BO_STORAGE_CREATE, &st, &err) < 0);

    CHECK(bo_storage_open(path, BO_STORAGE_READ, &st, &err) == 0);
    bo_trial_record *recs;
    size_t n;
    CHECK(bo_storage_load_trials(st, &recs, &n, &err) == 0);
    CHECK(n == 2 && trial_is_complete(st, &recs[1]));
    bo_trial_records_free(recs, n);
    bo_storage_close(st);

    CHECK(write(go[1], "g", 1) == 1);
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(bo_storage_open(path, BO_STORAGE_OPEN, &st, &err) == 0);
    bo_storage_close(st);
    close(ready[0]);
    close(ready[1]);
    close(go[0]);
    close(go[1]);
}

/* Within one process too: the second OPEN is refused, and the first
 * connection goes on writing (the refusal must not disturb its locks). */
static void test_second_writer_refused_in_process(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "twice.db");
    bo_storage *a = create_study(path, 1), *b = NULL;
    bo_error err;
    CHECK(bo_storage_open(path, BO_STORAGE_OPEN, &b, &err) == BO_EIO);
    CHECK_STR_CONTAINS(err.message, "in use");
    CHECK(b == NULL);
    CHECK(write_trial(a, 1, NULL, &err) == 0);
    bo_storage_close(a);
    CHECK(bo_storage_open(path, BO_STORAGE_OPEN, &b, &err) == 0);
    bo_storage_close(b);
}

/* READ never writes: a write call is refused, and the file (and a WAL left
 * behind by a writer that was killed) keep every byte. The reader still
 * sees the trials that live only in that WAL. */
static void test_read_mode_never_writes(void)
{
    char path[128], wal[140];
    path_in_dir(path, sizeof path, "readonly.db");
    snprintf(wal, sizeof wal, "%s-wal", path);
    pid_t pid = fork();
    if (pid == 0) {
        bo_storage *st = create_study(path, 5);
        raise(SIGKILL); /* the WAL is never checkpointed into the file */
        bo_storage_close(st);
        _exit(1);
    }
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status));
    CHECK(file_exists(wal));

    size_t dlen0, dlen1, wlen0, wlen1;
    unsigned char *db0 = slurp(path, &dlen0), *wal0 = slurp(wal, &wlen0);
    bo_storage *st;
    bo_error err;
    CHECK(bo_storage_open(path, BO_STORAGE_READ, &st, &err) == 0);
    bo_trial_record *recs;
    size_t n;
    CHECK(bo_storage_load_trials(st, &recs, &n, &err) == 0);
    CHECK(n == 5);
    int all = n == 5;
    for (size_t i = 0; i < n; i++)
        all = all && trial_is_complete(st, &recs[i]);
    CHECK(all);
    bo_trial_records_free(recs, n);
    CHECK(bo_storage_set_meta(st, "k", "v", &err) == BO_ESTATE);
    bo_trial_record rec = {.number = 9};
    CHECK(bo_storage_trial_begin(st, &rec, &err) == BO_ESTATE);
    bo_storage_close(st);
    unsigned char *db1 = slurp(path, &dlen1), *wal1 = slurp(wal, &wlen1);
    CHECK(dlen0 == dlen1 && memcmp(db0, db1, dlen0) == 0);
    CHECK(wal1 && wlen0 == wlen1 && memcmp(wal0, wal1, wlen0) == 0);
    free(db0);
    free(db1);
    free(wal0);
    free(wal1);
}

/* ---------------------------------------------------- kill -9 */

/* A child writes whole trials in a loop (begin, two reports, finish) and,
 * after each finish returns, writes that trial's number to a pipe; the
 * parent kills it with SIGKILL after a pseudo-random delay, 30 times, each
 * child resuming where the last one stopped (re-running a stale `running`
 * trial first, as bo resume does). After each kill: the study opens for
 * writing (the lock died with the child), and every trial whose finish had
 * returned is there, complete, with its reports, bit for bit. */
static void writer_child(const char *path, int out_fd)
{
    bo_storage *st;
    bo_error err;
    if (bo_storage_open(path, BO_STORAGE_OPEN, &st, &err) != 0)
        _exit(3);
    bo_trial_record *recs;
    size_t n;
    if (bo_storage_load_trials(st, &recs, &n, &err) != 0)
        _exit(4);
    int64_t next = n ? recs[n - 1].number + 1 : 0;
    for (size_t i = 0; i < n; i++) {
        if (recs[i].state == BO_TRIAL_RUNNING) {
            next = recs[i].number;
            break;
        }
    }
    bo_trial_records_free(recs, n);
    for (;;) {
        if (write_trial(st, next, NULL, &err) != 0)
            _exit(5);
        if (write(out_fd, &next, sizeof next) != sizeof next)
            _exit(6);
        next++;
    }
}

static void test_kill9_loses_no_finished_trial(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "kill9.db");
    bo_storage *st = create_study(path, 0);
    bo_storage_close(st);

    uint32_t x = 2024; /* fixed seed: the same delays every run */
    int64_t last_finished = -1;
    int bad_child = 0, lost = 0, locked = 0, stale_rerun = 0;
    for (int round = 0; round < 30; round++) {
        int fds[2];
        CHECK(pipe(fds) == 0);
        x = x * 1103515245u + 12345u;
        long delay_us = (long)((x >> 8) % 25000u); /* 0 to 25 ms */
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            writer_child(path, fds[1]);
        }
        close(fds[1]);
        int64_t k;
        /* Odd rounds: kill only once this child has finished a trial, so
         * that the study grows however slow fsync is on this machine; even
         * rounds may kill it while it is still opening the study. */
        if (round % 2 && read(fds[0], &k, sizeof k) == sizeof k)
            last_finished = k > last_finished ? k : last_finished;
        usleep((useconds_t)delay_us);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL))
            bad_child++;
        while (read(fds[0], &k, sizeof k) == sizeof k)
            last_finished = k > last_finished ? k : last_finished;
        close(fds[0]);

        bo_error err;
        if (bo_storage_open(path, BO_STORAGE_OPEN, &st, &err) != 0) {
            fprintf(stderr, "round %d: %s\n", round, err.message);
            locked++;
            continue;
        }
        bo_trial_record *recs;
        size_t n;
        CHECK(bo_storage_load_trials(st, &recs, &n, &err) == 0);
        for (int64_t t = 0; t <= last_finished; t++) {
            if ((size_t)t >= n || recs[t].number != t ||
                !trial_is_complete(st, &recs[t]))
                lost++;
        }
        for (size_t i = 0; i < n; i++)
            stale_rerun += recs[i].state == BO_TRIAL_RUNNING;
        bo_trial_records_free(recs, n);
        bo_storage_close(st);
    }
    CHECK(bad_child == 0);
    CHECK(locked == 0);
    CHECK(lost == 0);
    /* The test means something only if children got some work done: the
     * odd rounds alone finish trials 0 to 14, whatever fsync costs (on a
     * disk where it takes 8 ms, no kill delay leaves room for more). */
    CHECK(last_finished >= 14);
    printf("kill -9: 30 rounds, %" PRId64 " trials finished, %d stale "
           "running trials seen\n", last_finished + 1, stale_rerun);
}

/* -------------------------------------------------- full disk */

/* Under RLIMIT_FSIZE (with SIGXFSZ ignored, as bo's main does), a write
 * that does not fit fails with BO_EIO and one line naming the file and the
 * trial; the connection still reads what was committed; and afterwards, in
 * a process without the limit, every trial committed before is there and
 * the study takes new trials. */
static void test_full_disk_keeps_committed_trials(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "full.db");
    int fds[2];
    CHECK(pipe(fds) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        signal(SIGXFSZ, SIG_IGN);
        bo_storage *st = create_study(path, 5);
        if (!st)
            _exit(3);
        char wal[140];
        snprintf(wal, sizeof wal, "%s-wal", path);
        struct stat a, b;
        stat(path, &a);
        stat(wal, &b);
        rlim_t limit = (rlim_t)(a.st_size > b.st_size ? a.st_size : b.st_size)
                       + 40000;
        struct rlimit rl = {limit, limit};
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
            _exit(4);
        char message[2000];
        memset(message, 'z', sizeof message - 1);
        message[sizeof message - 1] = '\0';
        bo_error err = {0};
        int64_t k = 5;
        int rc = 0;
        while (k < 10000 && (rc = write_trial(st, k, message, &err)) == 0)
            k++;
        /* Still readable in the same connection after the failure. */
        bo_trial_record *recs;
        size_t n = 0;
        int load_rc = bo_storage_load_trials(st, &recs, &n, &err);
        size_t complete = 0;
        for (size_t i = 0; load_rc == 0 && i < n; i++)
            complete += recs[i].state == BO_TRIAL_COMPLETE;
        if (load_rc == 0)
            bo_trial_records_free(recs, n);
        struct {
            int rc;
            int64_t failed;
            size_t complete;
            char message[1024];
        } r = {rc, k, complete, ""};
        memcpy(r.message, err.message, sizeof r.message);
        if (write(fds[1], &r, sizeof r) != sizeof r)
            _exit(5);
        bo_storage_close(st);
        _exit(0);
    }
    close(fds[1]);
    struct {
        int rc;
        int64_t failed;
        size_t complete;
        char message[1024];
    } r;
    CHECK(read(fds[0], &r, sizeof r) == sizeof r);
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    printf("full disk: %s\n", r.message);
    CHECK(r.rc == BO_EIO);
    CHECK(r.failed > 5 && r.failed < 10000);
    CHECK((int64_t)r.complete == r.failed);
    CHECK(strchr(r.message, '\n') == NULL);
    CHECK_STR_CONTAINS(r.message, path);
    CHECK_STR_CONTAINS(r.message, "disk full or file size limit");
    char want[64];
    snprintf(want, sizeof want, "could not store trial %" PRId64, r.failed);
    CHECK_STR_CONTAINS(r.message, want);

    bo_storage *st;
    bo_error err;
    CHECK(bo_storage_open(path, BO_STORAGE_READ, &st, &err) == 0);
    bo_trial_record *recs;
    size_t n;
    CHECK(bo_storage_load_trials(st, &recs, &n, &err) == 0);
    int64_t intact = 0;
    for (size_t i = 0; i < n; i++) {
        if ((int64_t)i < r.failed && recs[i].number == (int64_t)i &&
            trial_is_complete(st, &recs[i]))
            intact++;
        else if (recs[i].state == BO_TRIAL_COMPLETE)
            intact = -1000000; /* a completed trial that should not be */
    }
    CHECK(intact == r.failed);
    bo_trial_records_free(recs, n);
    bo_storage_close(st);

    CHECK(bo_storage_open(path, BO_STORAGE_OPEN, &st, &err) == 0);
    CHECK(write_trial(st, r.failed, NULL, &err) == 0);
    bo_storage_close(st);
}

/* A CREATE that cannot write its schema (RLIMIT_FSIZE of 1 kB, smaller
 * than one page) fails with one line and leaves no file behind, so that the
 * user can simply run again once there is room. */
static void test_failed_create_leaves_nothing(void)
{
    char path[128];
    path_in_dir(path, sizeof path, "nospace.db");
    int fds[2];
    CHECK(pipe(fds) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {1024, 1024};
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
            _exit(4);
        bo_storage *st = NULL;
        bo_error err = {0};
        int rc = bo_storage_open(path, BO_STORAGE_CREATE, &st, &err);
        if (write(fds[1], &rc, sizeof rc) != sizeof rc ||
            write(fds[1], err.message, sizeof err.message) !=
                sizeof err.message)
            _exit(5);
        _exit(0);
    }
    close(fds[1]);
    int rc = 0;
    char message[sizeof ((bo_error *)0)->message] = "";
    CHECK(read(fds[0], &rc, sizeof rc) == sizeof rc);
    CHECK(read(fds[0], message, sizeof message) == sizeof message);
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(rc == BO_EIO);
    CHECK_STR_CONTAINS(message, path);
    CHECK_STR_CONTAINS(message, "disk full or file size limit");
    CHECK(strchr(message, '\n') == NULL);
    CHECK(!file_exists(path));
}

/* Cells edited by hand or by another program: SQLite would read text in a
 * number column as 0 and the study would carry a loss nobody measured, so
 * loading refuses it, naming the trial and the column. */
static void test_edited_cells_refused(void)
{
    static const struct {
        const char *sql, *want;
    } cases[] = {
        {"UPDATE trials SET loss = 'abc' WHERE number = 1", "trial 1: its loss is not a number"},
        {"UPDATE trials SET wall_s = x'00' WHERE number = 0", "trial 0: its wall_s is not a number"},
        {"UPDATE trials SET params = 'garbage' WHERE number = 1", "trial 1: its parameters are not a JSON object"},
        {"UPDATE trials SET metrics = '[1]' WHERE number = 0", "trial 0: its metrics are not a JSON object"},
        {"UPDATE reports SET value = 'x' WHERE trial = 1 AND step = 1", "trial 1: a report at step 1 is not a number"},
        {"UPDATE trials SET origin = 7 WHERE number = 1", "trial 1: unknown origin '7'"},
        {"UPDATE trials SET origin = 'user' WHERE number = 0", "trial 0: unknown origin 'user'"},
        {"UPDATE trials SET seed = 'xyz' WHERE number = 1", "trial 1: its seed is not a whole number"},
        /* a strategy cannot be told it: bo writes such a trial invalid */
        {"UPDATE trials SET loss = NULL WHERE number = 1", "trial 1: complete, but its loss is not a finite number"},
        {"UPDATE trials SET loss = 1e999 WHERE number = 0", "trial 0: complete, but its loss is not a finite number"},
        {"UPDATE trials SET loss = 2 WHERE number = 1", NULL}, /* an integer is a number */
        {"UPDATE trials SET origin = 1, loss = 2 WHERE number = 1", NULL},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        char path[128];
        path_in_dir(path, sizeof path, "edited.db");
        unlink(path);
        bo_storage *st = create_study(path, 2);
        CHECK(st != NULL);
        if (!st)
            return;
        bo_error err;
        bo_storage_close(st);
        sqlite3 *db;
        CHECK(sqlite3_open(path, &db) == SQLITE_OK);
        CHECK(sqlite3_exec(db, cases[c].sql, NULL, NULL, NULL) == SQLITE_OK);
        CHECK(sqlite3_changes(db) == 1);
        sqlite3_close(db);
        CHECK(bo_storage_open(path, BO_STORAGE_READ, &st, &err) == 0);
        bo_trial_record *recs = NULL;
        size_t n = 0;
        int rc = bo_storage_load_trials(st, &recs, &n, &err);
        if (rc == 0) {
            int64_t *steps = NULL;
            double *values = NULL;
            size_t m = 0;
            rc = bo_storage_load_reports(st, 1, &steps, &values, &m, &err);
            free(steps);
            free(values);
        }
        if (cases[c].want) {
            CHECK(rc == BO_EIO);
            CHECK_STR_CONTAINS(err.message, cases[c].want);
            check_one_line(&err, path);
        } else {
            CHECK(rc == 0);
            CHECK(n == 2 && recs[1].loss == 2.0);
        }
        bo_trial_records_free(recs, n);
        bo_storage_close(st);
    }
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/bo-test-storage-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_doubles_round_trip_exactly();
    test_file_format_seen_by_sqlite();
    test_meta_set_get();
    test_immutable_read_knows_a_writer();
    test_begin_replaces_stale_trial();
    test_finish_of_unknown_trial_refused();
    test_create_refuses_existing_study();
    test_create_in_missing_directory();
    test_open_missing_study();
    test_foreign_sqlite_refused();
    test_newer_schema_refused();
    test_garbage_file_refused();
    test_zeroed_header_refused();
    test_truncated_study_refused();
    test_second_writer_refused_across_processes();
    test_second_writer_refused_in_process();
    test_read_mode_never_writes();
    test_kill9_loses_no_finished_trial();
    test_full_disk_keeps_committed_trials();
    test_failed_create_leaves_nothing();
    test_edited_cells_refused();
    remove_dir(dir);
    return check_summary();
}
