/*
 * objective_files.h — a fingerprint of the files an objective is: the
 * plugin's .so, or for a command its own program (when named by a path)
 * and the files its arguments name (a script: ["python3", "train.py"]).
 * A study stores it when made, so that a continuation, and a comparison
 * that keeps finished runs, can say when those files changed in between
 * (results from before and after may not compare); a comparison's
 * manifest records it so that others can tell they run the same code.
 *
 * Programs found along PATH (python3 itself) are left out: a system
 * update is not the user's edit.
 */
#ifndef BO_OBJECTIVE_FILES_H
#define BO_OBJECTIVE_FILES_H

#include "bo/bo.h"

/* A malloc'd compact JSON object {"ABSOLUTE PATH": "crc32 XXXXXXXX, N
 * bytes", ...} in argument order ("{}" when no file counts), or NULL when
 * out of memory. A file over 64 MiB (data, not code) is described by its
 * size and modification time instead of read. */
char *bo_objective_files_json(const bo_spec *spec);

/* The first file whose entry differs between two such texts (a file in
 * one and not the other counts), in `name`; 0 when they agree. NULL or
 * unreadable texts agree with anything (a study made before fingerprints
 * were stored). */
int bo_objective_files_differ(const char *was, const char *now, char *name,
                              size_t name_len);

#endif
