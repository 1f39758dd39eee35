/*
 * storage.c — one study in one SQLite file (see storage.h for the rules).
 *
 * What this file must never do: write to a file before it has been shown
 * to be a bo study of a schema this build understands (CREATE aside, on an
 * empty or new file); write anything in READ mode; print; lose a committed
 * trial. Every write is one transaction; a failed one is rolled back and
 * leaves what was committed before as it was.
 *
 * Durability: WAL journal with synchronous=FULL. NORMAL would already keep
 * every committed trial through a kill -9 (a WAL commit is in the kernel's
 * page cache when COMMIT returns); FULL also fsyncs the WAL at each commit,
 * so a committed trial survives power loss and OS crashes too. That costs
 * one fsync per transaction, three per trial: about 1 ms per trial on an
 * ext4 SSD against 0.07 ms with NORMAL, nothing beside a trial's
 * evaluation.
 *
 * Signals: a write that runs into RLIMIT_FSIZE raises SIGXFSZ, whose default
 * action kills the process. The program that owns main() ignores SIGXFSZ so
 * that the write fails with EFBIG instead and the study reports it here.
 */
#include "storage.h"

#include <errno.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aprintf.h"
#include "error.h"
#include "storage_lock.h"

/* PRAGMA application_id of a bo study: "boST". Any other value (0 for
 * plain SQLite files) is another program's database. */
#define BO_STUDY_APPLICATION_ID 0x626f5354
/* PRAGMA user_version: the schema this build writes and reads. A study of a
 * higher version is refused rather than misread. */
#define BO_STUDY_SCHEMA_VERSION 1
/* How long a statement waits for another connection's lock (a reader's
 * WAL recovery, a checkpoint) before it gives up. */
#define BO_STUDY_BUSY_TIMEOUT_MS 2000

/* SQLite's unix limit on an absolute path (512) less the "-journal" it
 * appends: 504 opens, 505 does not (measured with Debian 12's SQLite). */
#define BO_STUDY_PATH_MAX 504

/* The whole schema, created in one transaction. The floating-point columns
 * are declared without a type on purpose: a column of REAL affinity stores
 * an integral double as an integer, which turns -0.0 into 0; an untyped
 * column keeps the 8-byte double as given. NULL stands for NaN. */
static const char schema_sql[] =
    "CREATE TABLE meta (\n"
    "  key TEXT PRIMARY KEY NOT NULL,\n"
    "  value TEXT NOT NULL\n"
    ");\n"
    "CREATE TABLE trials (\n"
    "  number INTEGER PRIMARY KEY,\n"
    "  state TEXT NOT NULL,\n"
    "  origin INTEGER NOT NULL,\n"
    "  seed INTEGER NOT NULL,  -- the uint64 seed's bits, as int64\n"
    "  u BLOB,                 -- the unit point: doubles, little-endian\n"
    "  params TEXT,            -- JSON object of user values\n"
    "  loss,                   -- double (untyped: keeps -0.0); NULL = NaN\n"
    "  cost_s,                 -- double\n"
    "  wall_s,                 -- double\n"
    "  started_at,             -- double, unix seconds\n"
    "  finished_at,            -- double, unix seconds\n"
    "  metrics TEXT,           -- JSON object\n"
    "  message TEXT\n"
    ");\n"
    "CREATE TABLE reports (\n"
    "  trial INTEGER NOT NULL,\n"
    "  step INTEGER NOT NULL,\n"
    "  value,                  -- double (untyped: keeps -0.0); NULL = NaN\n"
    "  PRIMARY KEY (trial, step)\n"
    ") WITHOUT ROWID;\n";

/* The columns every query of trials reads, in bo_trial_record order. */
#define TRIAL_COLUMNS                                                      \
    "number, state, origin, seed, u, params, loss, cost_s, wall_s, "        \
    "started_at, finished_at, metrics, message"

/* The text of each state in the file. This is the file format: the names
 * are bo/DESIGN.md's and must never change, whatever the UI calls them. */
static const char *const state_text[] = {
    "pending", "running", "complete", "failed",
    "crashed", "timeout", "invalid",  "abandoned",
};
#define N_STATES (sizeof state_text / sizeof state_text[0])

struct bo_storage {
    sqlite3 *db;
    char *path;
    int mode;
    bo_study_lock lock;
    int immutable;        /* read as immutable: see bo_storage_read_stale */
    struct stat before;   /* the file then */
};

/* ------------------------------------------------------------ helpers */

static const char *state_to_text(int state)
{
    return state >= 0 && (size_t)state < N_STATES ? state_text[state] : NULL;
}

static int state_from_text(const char *text)
{
    for (size_t i = 0; text && i < N_STATES; i++)
        if (strcmp(text, state_text[i]) == 0)
            return (int)i;
    return -1;
}

static int bind_real(sqlite3_stmt *s, int i, double x)
{
    return isnan(x) ? sqlite3_bind_null(s, i) : sqlite3_bind_double(s, i, x);
}

/* Column i as text (for a message), or `none` when it is NULL. */
static const char *column_text_or(sqlite3_stmt *s, int i, const char *none)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    return t ? t : none;
}

/* A number column: NULL reads as NaN; text or a blob (a hand-edited or
 * foreign file) is refused, since SQLite would read it as 0. */
static int column_real(sqlite3_stmt *s, int i, double *out)
{
    switch (sqlite3_column_type(s, i)) {
    case SQLITE_NULL:
        *out = NAN;
        return 0;
    case SQLITE_INTEGER:
    case SQLITE_FLOAT:
        *out = sqlite3_column_double(s, i);
        return 0;
    default:
        return -1;
    }
}

static int bind_text(sqlite3_stmt *s, int i, const char *text)
{
    return text ? sqlite3_bind_text(s, i, text, -1, SQLITE_STATIC)
                : sqlite3_bind_null(s, i);
}

/* A malloc'd copy of a text column, NULL for NULL; *oom on failure. */
static char *column_strdup(sqlite3_stmt *s, int i, int *oom)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    if (!t)
        return NULL;
    char *copy = strdup((const char *)t);
    if (!copy)
        *oom = 1;
    return copy;
}

/* Unit points are stored as little-endian doubles, whatever the host. */
static unsigned char *u_to_blob(const double *u, size_t dim)
{
    unsigned char *b = malloc(dim ? dim * 8 : 1);
    if (!b)
        return NULL;
    for (size_t i = 0; i < dim; i++) {
        uint64_t bits;
        memcpy(&bits, &u[i], 8);
        for (int k = 0; k < 8; k++)
            b[8 * i + (size_t)k] = (unsigned char)(bits >> (8 * k));
    }
    return b;
}

static void u_from_blob(const unsigned char *b, size_t dim, double *u)
{
    for (size_t i = 0; i < dim; i++) {
        uint64_t bits = 0;
        for (int k = 0; k < 8; k++)
            bits |= (uint64_t)b[8 * i + (size_t)k] << (8 * k);
        memcpy(&u[i], &bits, 8);
    }
}

/* The error of a statement that failed while opening or reading a study:
 * what SQLite found, said in the user's terms. */
static int read_failed(const char *path, sqlite3 *db, int rc, bo_error *err)
{
    int sys = db ? sqlite3_system_errno(db) : 0;
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
    case SQLITE_NOTADB:
        return bo_error_set(err, BO_EIO,
                            "%s: not a bo study (not an SQLite database, or "
                            "its header is damaged)", path);
    case SQLITE_CORRUPT:
        return bo_error_set(err, BO_EIO, "%s: the study is corrupted (%s)",
                            path, msg);
    case SQLITE_CANTOPEN:
        /* the file is there, but not a file SQLite needs beside it (a
         * killed run's -wal without its -shm, in a folder it cannot
         * write) */
        if (sys == ENOENT && access(path, F_OK) == 0)
            return bo_error_set(err, BO_EIO, "%s: cannot open the study: "
                                "SQLite cannot make its -shm file beside it "
                                "(is the folder read-only?)", path);
        return bo_error_set(err, sys == ENOENT ? BO_ENOTFOUND : BO_EIO,
                            "%s: cannot open the study: %s", path,
                            sys ? strerror(sys) : msg);
    case SQLITE_READONLY:
        return bo_error_set(err, BO_EIO, "%s: cannot write the study: the "
                            "file or its folder is read-only", path);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return bo_error_set(err, BO_EIO,
                            "%s: the study is busy (another process holds "
                            "its lock)", path);
    case SQLITE_NOMEM:
        return bo_error_set(err, BO_ENOMEM, "%s: out of memory", path);
    case SQLITE_IOERR:
        return bo_error_set(err, BO_EIO, "%s: cannot read the study: %s",
                            path, sys ? strerror(sys) : msg);
    default:
        return bo_error_set(err, BO_EIO, "%s: %s", path, msg);
    }
}

/* The OS error behind SQLite's last I/O error. sqlite3_system_errno is not
 * set on every path (a failed COMMIT leaves it 0), so ask the files too:
 * the WAL, where a commit writes, then the database file. */
static int last_errno(sqlite3 *db)
{
    int e = sqlite3_system_errno(db);
    sqlite3_file *f = NULL;
    if (!e && sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER,
                                   &f) == SQLITE_OK &&
        f && f->pMethods && f->pMethods->xFileControl)
        f->pMethods->xFileControl(f, SQLITE_FCNTL_LAST_ERRNO, &e);
    if (!e)
        sqlite3_file_control(db, "main", SQLITE_FCNTL_LAST_ERRNO, &e);
    return e;
}

/* The error of a write that failed: rolls the open transaction back (if
 * SQLite has not already) and names what could not be stored. */
static int write_failed(bo_storage *st, int rc, const char *what,
                        bo_error *err)
{
    int sys = last_errno(st->db);
    char msg[256];
    snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(st->db));
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);

    int primary = rc & 0xff;
    if (primary == SQLITE_FULL || sys == ENOSPC || sys == EFBIG ||
        sys == EDQUOT)
        return bo_error_set(err, BO_EIO,
                            "%s: disk full or file size limit: could not "
                            "store %s (%s)", st->path, what,
                            sys ? strerror(sys) : msg);
    if (primary == SQLITE_NOMEM)
        return bo_error_set(err, BO_ENOMEM,
                            "%s: out of memory: could not store %s",
                            st->path, what);
    if (primary == SQLITE_READONLY)
        return bo_error_set(err, BO_EIO,
                            "%s: could not store %s: the study is read-only",
                            st->path, what);
    return bo_error_set(err, BO_EIO, "%s: could not store %s (%s)", st->path,
                        what, sys && primary == SQLITE_IOERR ? strerror(sys)
                                                             : msg);
}

/* Runs one statement without results; returns the SQLite code. */
static int exec_sql(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* Runs a query whose first row's first column is an integer. */
static int query_int(sqlite3 *db, const char *sql, long long *out)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int64(s, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            rc = SQLITE_ERROR;
        }
    }
    sqlite3_finalize(s);
    return rc;
}

/* ------------------------------------------------------------ opening */

/* Shows that the open file is a bo study this build can read: its
 * application id, its schema version, SQLite's quick_check, and the
 * columns this file queries. Reads only. `quick` skips quick_check (CREATE
 * only needs to know whether a study is there). */
static int check_study(bo_storage *st, int quick, bo_error *err)
{
    long long app = 0, version = 0;
    int rc = query_int(st->db, "PRAGMA application_id", &app);
    if (rc != SQLITE_OK)
        return read_failed(st->path, st->db, rc, err);
    rc = query_int(st->db, "PRAGMA user_version", &version);
    if (rc != SQLITE_OK)
        return read_failed(st->path, st->db, rc, err);
    if (app != BO_STUDY_APPLICATION_ID) {
        long long n_tables = 0;
        rc = query_int(st->db, "SELECT count(*) FROM sqlite_schema",
                       &n_tables);
        if (rc != SQLITE_OK)
            return read_failed(st->path, st->db, rc, err);
        return bo_error_set(err, BO_EIO, "%s: not a bo study (%s)",
                            st->path,
                            n_tables ? "an SQLite database of another program"
                                     : "an empty or truncated SQLite file");
    }
    if (version > BO_STUDY_SCHEMA_VERSION)
        return bo_error_set(err, BO_EIO,
                            "%s: written by a newer bo (study schema %lld; "
                            "this bo reads up to %d)", st->path, version,
                            BO_STUDY_SCHEMA_VERSION);
    if (version < 1)
        return bo_error_set(err, BO_EIO,
                            "%s: the study is incomplete (no schema version)",
                            st->path);
    if (quick)
        return BO_OK;

    sqlite3_stmt *s = NULL;
    rc = sqlite3_prepare_v2(st->db, "PRAGMA quick_check(1)", -1, &s, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            const char *verdict = (const char *)sqlite3_column_text(s, 0);
            if (!verdict || strcmp(verdict, "ok") != 0) {
                int e = bo_error_set(err, BO_EIO,
                                     "%s: the study is corrupted (%s)",
                                     st->path, verdict ? verdict : "?");
                sqlite3_finalize(s);
                return e;
            }
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_OK)
        return read_failed(st->path, st->db, rc, err);

    static const char *const probes[] = {
        "SELECT key, value FROM meta LIMIT 0",
        "SELECT " TRIAL_COLUMNS " FROM trials LIMIT 0",
        "SELECT trial, step, value FROM reports LIMIT 0",
    };
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        rc = sqlite3_prepare_v2(st->db, probes[i], -1, &s, NULL);
        sqlite3_finalize(s);
        if (rc != SQLITE_OK)
            return bo_error_set(err, BO_EIO,
                                "%s: the study is damaged (%s)", st->path,
                                sqlite3_errmsg(st->db));
    }
    return BO_OK;
}

/* Writes the schema into a new, empty file. The schema and its version are
 * committed in one rollback-journal transaction before the switch to WAL,
 * so that a crash leaves either an empty file or a whole study. */
static int create_schema(bo_storage *st, bo_error *err)
{
    char sql[sizeof schema_sql + 160];
    snprintf(sql, sizeof sql,
             "BEGIN IMMEDIATE;\n%s"
             "PRAGMA application_id = %d;\n"
             "PRAGMA user_version = %d;\n"
             "COMMIT;",
             schema_sql, BO_STUDY_APPLICATION_ID, BO_STUDY_SCHEMA_VERSION);
    int rc = exec_sql(st->db, sql);
    if (rc != SQLITE_OK)
        return write_failed(st, rc, "the new study's schema", err);
    return BO_OK;
}

/* WAL journal, FULL sync (see the head of this file). */
static int set_journal(bo_storage *st, bo_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "PRAGMA journal_mode = WAL", -1, &s,
                                NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    int wal = rc == SQLITE_ROW &&
              sqlite3_column_text(s, 0) &&
              strcmp((const char *)sqlite3_column_text(s, 0), "wal") == 0;
    if (rc == SQLITE_ROW)
        rc = SQLITE_OK;
    sqlite3_finalize(s);
    if (rc != SQLITE_OK)
        return write_failed(st, rc, "the journal mode", err);
    if (!wal)
        return bo_error_set(err, BO_EIO,
                            "%s: cannot use a WAL journal on this file "
                            "system", st->path);
    rc = exec_sql(st->db, "PRAGMA synchronous = FULL");
    if (rc != SQLITE_OK)
        return write_failed(st, rc, "the sync mode", err);
    return BO_OK;
}

static void remove_created(const char *path)
{
    static const char *const suffixes[] = {"", "-journal", "-wal", "-shm"};
    size_t len = strlen(path);
    char *name = malloc(len + 16);
    if (!name)
        return;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(name, len + 16, "%s%s", path, suffixes[i]);
        unlink(name);
    }
    free(name);
}

void bo_storage_close(bo_storage *st)
{
    if (!st)
        return;
    /* The connection first: closing the lock descriptor while SQLite still
     * holds the file would drop SQLite's own locks (storage_lock.h). */
    if (st->db)
        sqlite3_close(st->db);
    bo_study_lock_release(&st->lock);
    free(st->path);
    free(st);
}

/* The study opened read-only as immutable: SQLite then makes no -shm or
 * -wal beside it and takes no lock. Returns an SQLite code. */
static int open_immutable(bo_storage *st)
{
    /* file: URI of the path, its reserved characters escaped */
    size_t n = strlen(st->path);
    char *uri = malloc(3 * n + 32);
    if (!uri)
        return SQLITE_NOMEM;
    char *o = uri + sprintf(uri, "file:");
    for (const char *c = st->path; *c; c++)
        o += strchr("%?#", *c) ? sprintf(o, "%%%02X", (unsigned char)*c)
                               : sprintf(o, "%c", *c);
    sprintf(o, "?immutable=1");
    if (st->db)
        sqlite3_close(st->db);
    st->db = NULL;
    int src = sqlite3_open_v2(uri, &st->db, SQLITE_OPEN_READONLY |
                              SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE, NULL);
    free(uri);
    return src;
}

/* Whether the study has a -wal file with something in it. */
static int has_wal(const bo_storage *st)
{
    char *wal = bo_aprintf("%s-wal", st->path);
    struct stat sb;
    int has = !wal || (stat(wal, &sb) == 0 && sb.st_size > 0);
    free(wal);
    return has;
}

/*
 * A study in WAL mode is read through its -shm file, which SQLite must
 * be able to create: a study the user may read but not write (another
 * user's, a read-only mount) would not open. Such a file, with no -wal
 * beside it (a study closed cleanly holds everything in the main file),
 * is read as immutable instead. Returns an SQLite code.
 */
static int open_unwritable(bo_storage *st)
{
    sqlite3_stmt *q = NULL;
    int src = sqlite3_prepare_v2(st->db, "SELECT count(*) FROM sqlite_master",
                                 -1, &q, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_step(q) == SQLITE_ROW ? SQLITE_OK
                                            : sqlite3_extended_errcode(st->db);
    sqlite3_finalize(q);
    int e = src & 0xff;
    if (src == SQLITE_OK || (e != SQLITE_READONLY && e != SQLITE_CANTOPEN))
        return src;
    if (has_wal(st))
        return src;
    return open_immutable(st);
}

int bo_storage_check_path(const char *path, size_t suffix, bo_error *err)
{
    /* Past the limit SQLite says only "No such file or directory". */
    char cwd[4096];
    size_t len = strlen(path);
    if (path[0] != '/')
        len += getcwd(cwd, sizeof cwd) ? strlen(cwd) + 1 : sizeof cwd;
    if (len + suffix <= BO_STUDY_PATH_MAX)
        return BO_OK;
    return bo_error_set(err, BO_EINVAL, "%s: path too long for SQLite (%zu "
                        "characters as an absolute path; at most %zu)", path,
                        len, BO_STUDY_PATH_MAX - suffix);
}

int bo_storage_open(const char *path, int mode, bo_storage **out,
                    bo_error *err)
{
    *out = NULL;
    if (!path || !*path)
        return bo_error_set(err, BO_EINVAL, "study path is empty");
    int shared = mode == BO_STORAGE_READ_SHARED;
    if (shared)
        mode = BO_STORAGE_READ;
    if (mode != BO_STORAGE_CREATE && mode != BO_STORAGE_OPEN &&
        mode != BO_STORAGE_READ)
        return bo_error_set(err, BO_EINVAL, "%s: unknown storage mode %d",
                            path, mode);

    int rc = bo_storage_check_path(path, 0, err);
    if (rc)
        return rc;

    bo_storage *st = calloc(1, sizeof *st);
    if (!st || !(st->path = strdup(path))) {
        free(st);
        return bo_error_set(err, BO_ENOMEM, "%s: out of memory", path);
    }
    st->mode = mode;
    st->lock.fd = -1;

    if (mode == BO_STORAGE_READ) {
        struct stat sb;
        if (stat(path, &sb) != 0) {
            int e = errno;
            rc = bo_error_set(err, e == ENOENT ? BO_ENOTFOUND : BO_EIO,
                              "%s: cannot open the study: %s", path,
                              strerror(e));
            goto fail;
        }
        if (!S_ISREG(sb.st_mode)) {
            rc = bo_error_set(err, BO_EIO, "%s: not a regular file", path);
            goto fail;
        }
    } else {
        rc = bo_study_lock_acquire(path, mode == BO_STORAGE_CREATE, &st->lock,
                                   err);
        if (rc != BO_OK)
            goto fail;
    }

    int flags = mode == BO_STORAGE_READ
                    ? SQLITE_OPEN_READONLY
                    : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int src;
    /* A study no process writes and whose WAL is empty (closed cleanly)
     * holds everything in its main file: read as immutable, a reader
     * leaves no empty -wal and -shm beside it (a read-only connection
     * cannot remove what it made). A writer that starts meanwhile may
     * checkpoint into the file under the read: bo_storage_read_stale
     * tells the reader to read again. */
    if (mode == BO_STORAGE_READ && !shared &&
        stat(path, &st->before) == 0 && bo_study_lock_in_use(path) == 0 &&
        !has_wal(st)) {
        src = open_immutable(st);
        st->immutable = 1;
    }
    else
        src = sqlite3_open_v2(path, &st->db, flags | SQLITE_OPEN_EXRESCODE,
                              NULL);
    if (src == SQLITE_OK && mode == BO_STORAGE_READ)
        src = open_unwritable(st);
    if (src != SQLITE_OK) {
        rc = read_failed(path, st->db, src, err);
        goto fail;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, BO_STUDY_BUSY_TIMEOUT_MS);
    /* Until the file is known to be a study, closing must not checkpoint a
     * leftover WAL into it: that would write to someone else's file. */
    sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);

    if (mode == BO_STORAGE_CREATE) {
        if (st->lock.size > 0) {
            rc = check_study(st, 1, err);
            if (rc == BO_OK)
                rc = bo_error_set(err, BO_EIO,
                                  "%s: already exists: use bo resume", path);
            goto fail;
        }
        rc = create_schema(st, err);
        if (rc == BO_OK)
            rc = set_journal(st, err);
        if (rc != BO_OK) {
            /* Prefix the message so the user knows nothing was started. */
            goto fail_created;
        }
    } else {
        rc = check_study(st, 0, err);
        if (rc != BO_OK)
            goto fail;
        if (mode == BO_STORAGE_OPEN) {
            rc = set_journal(st, err);
            if (rc != BO_OK)
                goto fail;
        }
    }
    sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);
    *out = st;
    return BO_OK;

fail_created:
    if (st->lock.created) {
        sqlite3_close(st->db);
        st->db = NULL;
        remove_created(path);
    }
fail:
    bo_storage_close(st);
    return rc;
}

int bo_storage_read_stale(const bo_storage *st)
{
    if (!st || !st->immutable)
        return 0;
    struct stat now;
    return stat(st->path, &now) != 0 || now.st_ino != st->before.st_ino ||
           now.st_size != st->before.st_size ||
           now.st_mtim.tv_sec != st->before.st_mtim.tv_sec ||
           now.st_mtim.tv_nsec != st->before.st_mtim.tv_nsec ||
           has_wal(st) || bo_study_lock_in_use(st->path) != 0;
}

const char *bo_storage_path(const bo_storage *st)
{
    return st ? st->path : NULL;
}

/* ------------------------------------------------------------- writes */

static int check_writable(bo_storage *st, bo_error *err)
{
    if (st->mode == BO_STORAGE_READ)
        return bo_error_set(err, BO_ESTATE,
                            "%s: opened read-only: cannot write", st->path);
    return BO_OK;
}

int bo_storage_set_meta(bo_storage *st, const char *key, const char *value,
                        bo_error *err)
{
    int rc = check_writable(st, err);
    if (rc != BO_OK)
        return rc;
    if (!key)
        return bo_error_set(err, BO_EINVAL, "%s: meta key is NULL", st->path);
    char what[160];
    snprintf(what, sizeof what, "study setting '%.100s'", key);

    sqlite3_stmt *s = NULL;
    const char *sql = value
        ? "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)"
        : "DELETE FROM meta WHERE key = ?1";
    int src = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (src == SQLITE_OK) {
        bind_text(s, 1, key);
        if (value)
            bind_text(s, 2, value);
        src = sqlite3_step(s);
        if (src == SQLITE_DONE)
            src = SQLITE_OK;
    }
    sqlite3_finalize(s);
    return src == SQLITE_OK ? BO_OK : write_failed(st, src, what, err);
}

int bo_storage_get_meta(bo_storage *st, const char *key, char **value,
                        bo_error *err)
{
    *value = NULL;
    sqlite3_stmt *s = NULL;
    int src = sqlite3_prepare_v2(st->db,
                                 "SELECT value FROM meta WHERE key = ?1", -1,
                                 &s, NULL);
    if (src == SQLITE_OK) {
        bind_text(s, 1, key);
        src = sqlite3_step(s);
    }
    int rc = BO_OK, oom = 0;
    if (src == SQLITE_ROW) {
        *value = column_strdup(s, 0, &oom);
        if (oom)
            rc = bo_error_set(err, BO_ENOMEM, "%s: out of memory", st->path);
    } else if (src != SQLITE_DONE) {
        rc = read_failed(st->path, st->db, src, err);
    }
    sqlite3_finalize(s);
    return rc;
}

int bo_storage_trial_begin(bo_storage *st, const bo_trial_record *rec,
                           bo_error *err)
{
    int rc = check_writable(st, err);
    if (rc != BO_OK)
        return rc;
    if (rec->dim && !rec->u)
        return bo_error_set(err, BO_EINVAL, "%s: trial %lld has no point",
                            st->path, (long long)rec->number);
    char what[64];
    snprintf(what, sizeof what, "trial %lld", (long long)rec->number);

    unsigned char *blob = u_to_blob(rec->u, rec->dim);
    if (!blob)
        return bo_error_set(err, BO_ENOMEM, "%s: out of memory", st->path);
    int64_t seed;
    memcpy(&seed, &rec->seed, sizeof seed);

    sqlite3_stmt *del = NULL, *ins = NULL;
    int src = exec_sql(st->db, "BEGIN IMMEDIATE");
    /* A stale row of the same number (a trial that was running when the
     * study stopped) is replaced, with the reports of that attempt. */
    if (src == SQLITE_OK)
        src = sqlite3_prepare_v2(st->db,
                                 "DELETE FROM reports WHERE trial = ?1", -1,
                                 &del, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_int64(del, 1, rec->number);
        src = sqlite3_step(del);
        if (src == SQLITE_DONE)
            src = SQLITE_OK;
    }
    if (src == SQLITE_OK)
        src = sqlite3_prepare_v2(
            st->db,
            "INSERT OR REPLACE INTO trials (" TRIAL_COLUMNS ") VALUES "
            "(?1, ?2, ?3, ?4, ?5, ?6, NULL, NULL, NULL, ?7, NULL, NULL, NULL)",
            -1, &ins, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_int64(ins, 1, rec->number);
        bind_text(ins, 2, state_to_text(BO_TRIAL_RUNNING));
        sqlite3_bind_int(ins, 3, rec->origin);
        sqlite3_bind_int64(ins, 4, seed);
        sqlite3_bind_blob(ins, 5, blob, (int)(rec->dim * 8), SQLITE_STATIC);
        bind_text(ins, 6, rec->params_json);
        bind_real(ins, 7, rec->started_at);
        src = sqlite3_step(ins);
        if (src == SQLITE_DONE)
            src = SQLITE_OK;
    }
    sqlite3_finalize(del);
    sqlite3_finalize(ins);
    if (src == SQLITE_OK)
        src = exec_sql(st->db, "COMMIT");
    free(blob);
    return src == SQLITE_OK ? BO_OK : write_failed(st, src, what, err);
}

int bo_storage_trial_finish(bo_storage *st, const bo_trial_record *rec,
                            bo_error *err)
{
    int rc = check_writable(st, err);
    if (rc != BO_OK)
        return rc;
    const char *state = state_to_text(rec->state);
    if (!state)
        return bo_error_set(err, BO_EINVAL, "%s: trial %lld: unknown state %d",
                            st->path, (long long)rec->number, rec->state);
    char what[64];
    snprintf(what, sizeof what, "trial %lld", (long long)rec->number);

    sqlite3_stmt *s = NULL;
    int src = sqlite3_prepare_v2(
        st->db,
        "UPDATE trials SET state = ?2, loss = ?3, cost_s = ?4, wall_s = ?5, "
        "finished_at = ?6, metrics = ?7, message = ?8 WHERE number = ?1",
        -1, &s, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, rec->number);
        bind_text(s, 2, state);
        bind_real(s, 3, rec->loss);
        bind_real(s, 4, rec->cost_s);
        bind_real(s, 5, rec->wall_s);
        bind_real(s, 6, rec->finished_at);
        bind_text(s, 7, rec->metrics_json);
        bind_text(s, 8, rec->message);
        src = sqlite3_step(s);
        if (src == SQLITE_DONE)
            src = SQLITE_OK;
    }
    sqlite3_finalize(s);
    if (src != SQLITE_OK)
        return write_failed(st, src, what, err);
    if (sqlite3_changes(st->db) == 0)
        return bo_error_set(err, BO_ESTATE,
                            "%s: trial %lld was never begun", st->path,
                            (long long)rec->number);
    return BO_OK;
}

int bo_storage_report(bo_storage *st, int64_t trial, int64_t step,
                      double value, bo_error *err)
{
    int rc = check_writable(st, err);
    if (rc != BO_OK)
        return rc;
    char what[96];
    snprintf(what, sizeof what, "report %lld of trial %lld", (long long)step,
             (long long)trial);

    sqlite3_stmt *s = NULL;
    int src = sqlite3_prepare_v2(
        st->db,
        "INSERT OR REPLACE INTO reports (trial, step, value) "
        "SELECT ?1, ?2, ?3 WHERE EXISTS "
        "(SELECT 1 FROM trials WHERE number = ?1)",
        -1, &s, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, trial);
        sqlite3_bind_int64(s, 2, step);
        bind_real(s, 3, value);
        src = sqlite3_step(s);
        if (src == SQLITE_DONE)
            src = SQLITE_OK;
    }
    sqlite3_finalize(s);
    if (src != SQLITE_OK)
        return write_failed(st, src, what, err);
    if (sqlite3_changes(st->db) == 0)
        return bo_error_set(err, BO_ESTATE,
                            "%s: report for trial %lld, which was never begun",
                            st->path, (long long)trial);
    return BO_OK;
}

/* -------------------------------------------------------------- reads */

void bo_trial_records_free(bo_trial_record *recs, size_t n)
{
    if (!recs)
        return;
    for (size_t i = 0; i < n; i++) {
        free(recs[i].u);
        free(recs[i].params_json);
        free(recs[i].metrics_json);
        free(recs[i].message);
    }
    free(recs);
}

/* One row of TRIAL_COLUMNS into *rec. */
static int read_trial(bo_storage *st, sqlite3_stmt *s, bo_trial_record *rec,
                      bo_error *err)
{
    memset(rec, 0, sizeof *rec);
    rec->number = sqlite3_column_int64(s, 0);
    const char *state = (const char *)sqlite3_column_text(s, 1);
    rec->state = state_from_text(state);
    if (rec->state < 0)
        return bo_error_set(err, BO_EIO, "%s: trial %lld: unknown state '%s'",
                            st->path, (long long)rec->number,
                            state ? state : "(null)");
    rec->origin = sqlite3_column_int(s, 2);
    if (sqlite3_column_type(s, 2) != SQLITE_INTEGER ||
        (rec->origin != BO_ORIGIN_STRATEGY && rec->origin != BO_ORIGIN_USER))
        return bo_error_set(err, BO_EIO, "%s: trial %lld: unknown origin '%s'",
                            st->path, (long long)rec->number,
                            column_text_or(s, 2, "(null)"));
    if (sqlite3_column_type(s, 3) != SQLITE_INTEGER)
        return bo_error_set(err, BO_EIO, "%s: trial %lld: its seed is not a "
                            "whole number", st->path, (long long)rec->number);
    int64_t seed = sqlite3_column_int64(s, 3);
    memcpy(&rec->seed, &seed, sizeof seed);

    const unsigned char *blob = sqlite3_column_blob(s, 4);
    int bytes = sqlite3_column_bytes(s, 4);
    if (bytes % 8 != 0)
        return bo_error_set(err, BO_EIO,
                            "%s: trial %lld: its point is %d bytes, not a "
                            "whole number of doubles", st->path,
                            (long long)rec->number, bytes);
    rec->dim = (size_t)bytes / 8;
    int oom = 0;
    if (rec->dim) {
        rec->u = malloc(rec->dim * sizeof *rec->u);
        if (!rec->u)
            oom = 1;
        else
            u_from_blob(blob, rec->dim, rec->u);
    }
    rec->params_json = column_strdup(s, 5, &oom);
    static const char *const names[] = {"loss", "cost_s", "wall_s",
                                        "started_at", "finished_at"};
    double *reals[] = {&rec->loss, &rec->cost_s, &rec->wall_s,
                       &rec->started_at, &rec->finished_at};
    for (int k = 0; k < 5; k++)
        if (column_real(s, 6 + k, reals[k]))
            return bo_error_set(err, BO_EIO, "%s: trial %lld: its %s is not "
                                "a number", st->path, (long long)rec->number,
                                names[k]);
    /* what bo writes of a complete trial, and what a strategy needs */
    if (rec->state == BO_TRIAL_COMPLETE && !isfinite(rec->loss))
        return bo_error_set(err, BO_EIO, "%s: trial %lld: complete, but its "
                            "loss is not a finite number", st->path,
                            (long long)rec->number);
    rec->metrics_json = column_strdup(s, 11, &oom);
    rec->message = column_strdup(s, 12, &oom);
    if (oom)
        return bo_error_set(err, BO_ENOMEM, "%s: out of memory", st->path);
    const char *objects[] = {rec->params_json, rec->metrics_json};
    static const char *const object_names[] = {"parameters", "metrics"};
    for (int k = 0; k < 2; k++) {
        if (!objects[k])
            continue;
        cJSON *o = cJSON_Parse(objects[k]);
        int ok = cJSON_IsObject(o);
        cJSON_Delete(o);
        if (!ok)
            return bo_error_set(err, BO_EIO, "%s: trial %lld: its %s are not "
                                "a JSON object", st->path,
                                (long long)rec->number, object_names[k]);
    }
    return BO_OK;
}

int bo_storage_load_trials(bo_storage *st, bo_trial_record **out, size_t *n,
                           bo_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s = NULL;
    int src = sqlite3_prepare_v2(st->db,
                                 "SELECT " TRIAL_COLUMNS
                                 " FROM trials ORDER BY number",
                                 -1, &s, NULL);
    if (src != SQLITE_OK)
        return read_failed(st->path, st->db, src, err);

    bo_trial_record *recs = NULL;
    size_t count = 0, cap = 0;
    int rc = BO_OK;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        if (count == cap) {
            size_t grown_cap = cap ? 2 * cap : 16;
            bo_trial_record *grown = realloc(recs, grown_cap * sizeof *recs);
            if (!grown) {
                rc = bo_error_set(err, BO_ENOMEM, "%s: out of memory",
                                  st->path);
                break;
            }
            recs = grown;
            cap = grown_cap;
        }
        rc = read_trial(st, s, &recs[count], err);
        count++; /* a half-read record is freed with the rest */
        if (rc != BO_OK)
            break;
    }
    if (rc == BO_OK && src != SQLITE_DONE)
        rc = read_failed(st->path, st->db, src, err);
    sqlite3_finalize(s);
    if (rc != BO_OK) {
        bo_trial_records_free(recs, count);
        return rc;
    }
    *out = recs;
    *n = count;
    return BO_OK;
}

int bo_storage_load_reports(bo_storage *st, int64_t trial, int64_t **steps,
                            double **values, size_t *n, bo_error *err)
{
    *steps = NULL;
    *values = NULL;
    *n = 0;
    sqlite3_stmt *s = NULL;
    int src = sqlite3_prepare_v2(st->db,
                                 "SELECT step, value FROM reports "
                                 "WHERE trial = ?1 ORDER BY step",
                                 -1, &s, NULL);
    if (src != SQLITE_OK)
        return read_failed(st->path, st->db, src, err);
    sqlite3_bind_int64(s, 1, trial);

    int64_t *st_buf = NULL;
    double *v_buf = NULL;
    size_t count = 0, cap = 0;
    int rc = BO_OK;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        if (count == cap) {
            size_t grown_cap = cap ? 2 * cap : 16;
            int64_t *gs = realloc(st_buf, grown_cap * sizeof *gs);
            if (gs)
                st_buf = gs;
            double *gv = gs ? realloc(v_buf, grown_cap * sizeof *gv) : NULL;
            if (gv)
                v_buf = gv;
            if (!gs || !gv) {
                rc = bo_error_set(err, BO_ENOMEM, "%s: out of memory",
                                  st->path);
                break;
            }
            cap = grown_cap;
        }
        st_buf[count] = sqlite3_column_int64(s, 0);
        if (column_real(s, 1, &v_buf[count])) {
            rc = bo_error_set(err, BO_EIO, "%s: trial %lld: a report at "
                              "step %lld is not a number", st->path,
                              (long long)trial, (long long)st_buf[count]);
            break;
        }
        count++;
    }
    if (rc == BO_OK && src != SQLITE_DONE)
        rc = read_failed(st->path, st->db, src, err);
    sqlite3_finalize(s);
    if (rc != BO_OK) {
        free(st_buf);
        free(v_buf);
        return rc;
    }
    *steps = st_buf;
    *values = v_buf;
    *n = count;
    return BO_OK;
}
