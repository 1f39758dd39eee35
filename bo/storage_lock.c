/*
 * storage_lock.c — see storage_lock.h. Takes and releases the one-writer
 * lock of a study file; must never touch the file's contents, and must
 * never close a descriptor of a study this process already holds.
 */
#include "storage_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "error.h"

/* The studies this process holds, by file identity. A second open of one
 * of them is refused without opening a descriptor (see the header). */
typedef struct held_file {
    dev_t dev;
    ino_t ino;
    pid_t pid;   /* a forked child inherits the table, not the ownership */
    int fd;
} held_file;

static pthread_mutex_t held_mutex = PTHREAD_MUTEX_INITIALIZER;
static held_file *held;
static size_t n_held, cap_held;

static int held_find(dev_t dev, ino_t ino)
{
    pid_t me = getpid();
    for (size_t i = 0; i < n_held; i++)
        if (held[i].dev == dev && held[i].ino == ino && held[i].pid == me)
            return 1;
    return 0;
}

static int held_add(dev_t dev, ino_t ino, int fd)
{
    if (n_held == cap_held) {
        size_t cap = cap_held ? 2 * cap_held : 8;
        held_file *grown = realloc(held, cap * sizeof *grown);
        if (!grown)
            return -1;
        held = grown;
        cap_held = cap;
    }
    held[n_held++] = (held_file){dev, ino, getpid(), fd};
    return 0;
}

static void held_remove(int fd)
{
    pid_t me = getpid();
    for (size_t i = 0; i < n_held; i++) {
        if (held[i].fd == fd && held[i].pid == me) {
            held[i] = held[--n_held];
            return;
        }
    }
}

/* Whether /proc/locks (Linux) lists a write flock on the file (dev, ino):
 * 1 with its holder's pid in *pid (0 when the pid cannot be read there, as
 * from another pid namespace), 0 when none is listed, -1 when the list
 * cannot be read (no /proc). A file system that keeps its locks elsewhere
 * lists none. */
static int flock_listed(dev_t dev, ino_t ino, long *pid)
{
    *pid = 0;
    FILE *f = fopen("/proc/locks", "re");
    if (!f)
        return -1;
    char line[256];
    int listed = 0;
    while (!listed && fgets(line, sizeof line, f)) {
        /* "1: FLOCK  ADVISORY  WRITE 1234 fe:00:408225 0 EOF"; waiters
         * carry "->" after the number and are skipped. */
        char kind[16], rw[16];
        long p;
        unsigned maj, min;
        unsigned long long i;
        if (sscanf(line, "%*d: %15s %*s %15s %ld %x:%x:%llu", kind, rw, &p,
                   &maj, &min, &i) != 6)
            continue;
        listed = strcmp(kind, "FLOCK") == 0 && strcmp(rw, "WRITE") == 0 &&
                 maj == major(dev) && min == minor(dev) &&
                 i == (unsigned long long)ino;
        if (listed)
            *pid = p > 0 ? p : 0;
    }
    fclose(f);
    return listed;
}

/* The pid holding an flock on the file behind fd, or 0 when it cannot be
 * told (no /proc, another pid namespace, a file system that keeps its
 * locks elsewhere). */
static long flock_holder(int fd)
{
    struct stat sb;
    long pid = 0;
    if (fstat(fd, &sb) == 0)
        flock_listed(sb.st_dev, sb.st_ino, &pid);
    return pid;
}

static int in_use(const char *path, long pid, bo_error *err)
{
    if (pid > 0)
        return bo_error_set(err, BO_EIO,
                            "%s: study is in use by another process (pid %ld)",
                            path, pid);
    return bo_error_set(err, BO_EIO,
                        "%s: study is in use by another process", path);
}

int bo_study_lock_acquire(const char *path, int create, bo_study_lock *lock,
                          bo_error *err)
{
    lock->fd = -1;
    lock->created = 0;
    lock->size = 0;

    pthread_mutex_lock(&held_mutex);
    int rc = BO_OK;
    struct stat sb;
    if (stat(path, &sb) == 0 && held_find(sb.st_dev, sb.st_ino)) {
        rc = in_use(path, (long)getpid(), err);
        goto out;
    }

    int fd = -1;
    if (create) {
        fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0)
            lock->created = 1;
        else if (errno == EEXIST)
            fd = open(path, O_RDWR | O_CLOEXEC);
        if (fd < 0) {
            rc = bo_error_set(err, BO_EIO, "%s: cannot create the study: %s",
                              path, strerror(errno));
            goto out;
        }
    } else {
        fd = open(path, O_RDWR | O_CLOEXEC);
        if (fd < 0) {
            int e = errno;
            rc = bo_error_set(err, e == ENOENT ? BO_ENOTFOUND : BO_EIO,
                              "%s: cannot open the study: %s", path,
                              strerror(e));
            goto out;
        }
    }

    if (fstat(fd, &sb) != 0) {
        rc = bo_error_set(err, BO_EIO, "%s: cannot open the study: %s", path,
                          strerror(errno));
        close(fd);
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        rc = bo_error_set(err, BO_EIO, "%s: not a regular file", path);
        close(fd);
        goto out;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        if (e == EWOULDBLOCK)
            rc = in_use(path, flock_holder(fd), err);
        else
            rc = bo_error_set(err, BO_EIO, "%s: cannot lock the study: %s",
                              path, strerror(e));
        /* Nothing of this process holds the file (held_find said so), so
         * closing drops no SQLite lock. */
        close(fd);
        goto out;
    }
    if (held_add(sb.st_dev, sb.st_ino, fd) != 0) {
        close(fd);
        rc = bo_error_set(err, BO_ENOMEM, "%s: out of memory", path);
        goto out;
    }
    lock->fd = fd;
    lock->size = (long long)sb.st_size;
out:
    pthread_mutex_unlock(&held_mutex);
    return rc;
}

void bo_study_lock_release(bo_study_lock *lock)
{
    if (!lock || lock->fd < 0)
        return;
    pthread_mutex_lock(&held_mutex);
    held_remove(lock->fd);
    pthread_mutex_unlock(&held_mutex);
    /* Closing the last descriptor of the open file drops the flock. */
    close(lock->fd);
    lock->fd = -1;
}

int bo_study_lock_in_use(const char *path)
{
    /* Read from the kernel's list, never by taking a lock: a writer that
     * starts meanwhile would find it taken and give up. */
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return -1;
    pthread_mutex_lock(&held_mutex);
    int mine = held_find(sb.st_dev, sb.st_ino);
    pthread_mutex_unlock(&held_mutex);
    if (mine)
        return 1;
    long pid;
    return flock_listed(sb.st_dev, sb.st_ino, &pid);
}
