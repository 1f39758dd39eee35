/*
 * study.h — one study from spec to stored trials: the loop that asks the
 * strategy, stores each trial as running, hands it to a worker, stores the
 * outcome and tells the strategy. Used by `bo run` and `bo resume`.
 */
#ifndef BO_STUDY_H
#define BO_STUDY_H

#include <stdio.h>

#include "bo/bo.h"

typedef struct bo_study_options {
    const char *spec_path;   /* run: the spec file */
    const char *db_path;     /* run: NULL for NAME.db here; resume: the study */
    int64_t trials;          /* total trials wanted; -1: the spec's / stored */
    int has_seed;
    uint64_t seed;           /* with has_seed: overrides the spec's seed */
    const char *strategy;    /* NULL: the spec's */
    int64_t workers;         /* -1: the spec's */
    /* run: the reproducible parallel mode (see study.c); stored with the
     * study, so resume keeps it. */
    int deterministic;
    /* Evaluators elsewhere (MPI ranks) instead of local workers; NULL:
     * local workers. Their count overrides workers. */
    const struct bo_remote *remote;
    /* resume, from a run continuing its study: the spec text that run
     * gave (its trial or worker count changed), stored in place of the
     * study's, so that the next run compares with it. */
    const char *respec;
    FILE *out;               /* progress and the final report */
    int tty;                 /* redraw one progress line in place */
} bo_study_options;

/* Both return BO_OK, BO_EINVAL for a usage or spec error (exit status 2)
 * or another negative code for a runtime failure (exit status 1). */
int bo_study_run(const bo_study_options *opt, bo_error *err);
int bo_study_resume(const bo_study_options *opt, bo_error *err);
/* What bo run checks before it makes a study: the objective loads and
 * describes itself with the spec's config, there is a space, and every
 * enqueued point is in it. Runs nothing; leaves nothing behind. */
int bo_study_check(const bo_spec *spec, bo_error *err);

#endif
