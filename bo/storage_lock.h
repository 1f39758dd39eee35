/*
 * storage_lock.h — exclusive ownership of a study file by one process.
 *
 * A writer (bo run, bo resume) holds flock(LOCK_EX) on its own descriptor
 * of the study file for as long as the study is open. flock locks belong to
 * the open file, so they vanish when the holder exits, however it exits: a
 * kill -9 never leaves a study locked. They are also independent of the
 * POSIX (fcntl) byte-range locks SQLite takes on the same file on Linux.
 *
 * Never close a descriptor of a study file while a SQLite connection of the
 * same process has it open: POSIX drops every fcntl lock the process holds
 * on a file when any of its descriptors is closed. That is why the lock
 * descriptor is released only after the connection is closed, and why a
 * second open of a study already held by this process is refused before a
 * descriptor is opened at all.
 */
#ifndef BO_STORAGE_LOCK_H
#define BO_STORAGE_LOCK_H

#include "bo/bo.h"

typedef struct bo_study_lock {
    int fd;          /* -1 when not held */
    int created;     /* the file did not exist and this open made it */
    long long size;  /* the file's size when the lock was taken */
} bo_study_lock;

/* Opens `path` read-write (creating it when `create` is set) and locks it.
 * Errors, each one line naming the path: the OS reason the file cannot be
 * opened or created (BO_ENOTFOUND for a missing study, BO_EIO otherwise),
 * or "study is in use by another process (pid N)" (BO_EIO). */
int bo_study_lock_acquire(const char *path, int create, bo_study_lock *lock,
                          bo_error *err);
/* Unlocks and closes; a no-op on a lock not held. */
void bo_study_lock_release(bo_study_lock *lock);
/* Whether a writer holds the study now, as the kernel's lock list says
 * (Linux's /proc/locks): 1, 0, or -1 when it cannot be told (no such
 * regular file, no /proc). Takes no lock and opens nothing. */
int bo_study_lock_in_use(const char *path);

#endif
