/* cli_run.c — `bo run` and `bo resume`. */
#include "cli.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "study.h"
#ifdef BO_HAVE_MPI
#include "mpi/bo_mpi.h"
#endif

static const char run_help[] =
    "usage: bo run SPEC.json [--db FILE] [--trials N] [--seed S]\n"
    "              [--strategy bo|random|sobol|grid] [--workers K]\n"
    "              [--deterministic]\n"
    "\n"
    "Runs a study: proposes trials with the spec's strategy, evaluates them\n"
    "with its objective and stores every trial in FILE (default NAME.db\n"
    "here). The flags override the spec. Ends with the best trial.\n"
    "--deterministic: with K workers, trial t is proposed from the outcomes\n"
    "of trials 0..t-K exactly (waiting for them where needed), so the same\n"
    "spec, seed and K give the same trials whatever the timing.\n"
    "Under mpirun, rank 0 coordinates and the other ranks evaluate.\n"
    "Exit status: 0 done, 1 runtime failure, 2 usage or spec error.\n";

static const char resume_help[] =
    "usage: bo resume FILE.db [--trials N] [--workers K]\n"
    "\n"
    "Continues a study after an interruption: trials that were running are\n"
    "evaluated again, then new ones until N trials in all (default: the\n"
    "study's own count). Proposes exactly what an uninterrupted run would.\n";

/* Parses the flags both commands share. Returns 0, or the exit status. */
static int parse(const char *cmd, int argc, char **argv, int resume,
                 const char **positional, bo_study_options *o)
{
    int i = 0, m;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *v = NULL;
        int64_t n;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            if (bo_cli_mpi_rank() <= 0) /* once under a launcher */
                fputs(resume ? resume_help : run_help, stdout);
            return -1;
        }
        if ((m = bo_cli_option(argc, argv, &i, "trials", &v)) != 0) {
            if (m < 0 || bo_cli_int(v, 1, 10000000, &n))
                return bo_cli_usage(cmd, "--trials wants a whole number from 1 to 10000000");
            o->trials = n;
        } else if ((m = bo_cli_option(argc, argv, &i, "workers", &v)) != 0) {
            if (m < 0 || bo_cli_int(v, 1, 4096, &n))
                return bo_cli_usage(cmd, "--workers wants a whole number from 1 to 4096");
            o->workers = n;
        } else if (!resume && strcmp(argv[i], "--deterministic") == 0) {
            o->deterministic = 1;
        } else if (!resume && (m = bo_cli_option(argc, argv, &i, "seed", &v)) != 0) {
            /* 2^53 as in the spec: the study stores its seed in JSON,
             * where a larger one would come back rounded on resume */
            if (m < 0 || bo_cli_int(v, 0, 9007199254740992LL, &n))
                return bo_cli_usage(cmd, "--seed wants a whole number from 0 to 2^53 (9007199254740992)");
            o->seed = (uint64_t)n;
            o->has_seed = 1;
        } else if (!resume && (m = bo_cli_option(argc, argv, &i, "db", &v)) != 0) {
            if (m < 0 || !*v)
                return bo_cli_usage(cmd, "--db wants a file name");
            o->db_path = v;
        } else if (!resume && (m = bo_cli_option(argc, argv, &i, "strategy", &v)) != 0) {
            if (m < 0 || !*v)
                return bo_cli_usage(cmd, "--strategy wants a name");
            if (strcmp(v, "bo") && strcmp(v, "random") && strcmp(v, "sobol") &&
                strcmp(v, "grid"))
                return bo_cli_usage(cmd, "--strategy: unknown strategy '%s' "
                                    "(known: bo, random, sobol, grid)", v);
            o->strategy = v;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return bo_cli_usage(cmd, "unknown option '%s'", argv[i]);
        } else if ((m = bo_cli_take_one(cmd, positional, argv[i]))) {
            return m;
        }
    }
    for (i++; i < argc; i++) /* after "--" */
        if ((m = bo_cli_take_one(cmd, positional, argv[i])))
            return m;
    if (!*positional)
        return bo_cli_usage(cmd, resume ? "missing FILE.db" : "missing SPEC.json");
    return 0;
}

static int study_once(bo_study_options *o, const char *positional, int resume,
                      bo_error *err)
{
    if (resume) {
        o->db_path = positional;
        return bo_study_resume(o, err);
    }
    o->spec_path = positional;
    return bo_study_run(o, err);
}

/* Under MPI: rank 0 runs the study with the other ranks as evaluators;
 * they evaluate until it is done. One rank alone runs as without MPI. */
static int run_mpi(bo_study_options *o, const char *positional, int resume)
{
#ifdef BO_HAVE_MPI
    bo_error err = {0};
    int rank = 0, size = 1;
    int rc = bo_mpi_start(&rank, &size, &err);
    if (rc)
        return bo_cli_fail(&err, rc);
    if (rank != 0) {
        rc = bo_mpi_evaluate(&err);
        return rc ? bo_cli_fail(&err, rc) : 0;
    }
    bo_remote remote;
    bo_mpi_remote(&remote, size);
    if (size > 1)
        o->remote = &remote;
    /* OpenMPI hands rank 0 a pseudo-terminal even when mpirun's own output
     * goes to a file: a progress line redrawn with \r would land there. */
    o->tty = 0;
    /* mpirun sends SIGTERM to the ranks left when one dies or it is
     * interrupted: rank 0 says where things stand */
    bo_cli_on_interrupt("bo: interrupted: every finished trial is stored; "
                        "bo resume (under mpirun or not) goes on\n");
    rc = study_once(o, positional, resume, &err);
    int status = rc ? bo_cli_fail(&err, rc) : 0;
    fflush(NULL);
    bo_mpi_finish(size);
    return status;
#else
    (void)o;
    (void)positional;
    (void)resume;
    fprintf(stderr, "bo: started by an MPI launcher, but this bo was built "
                    "without MPI (install libopenmpi-dev and rebuild)\n");
    return 1;
#endif
}

static int run_or_resume(int argc, char **argv, int resume)
{
    const char *cmd = resume ? "resume" : "run";
    bo_study_options o = {.trials = -1, .workers = -1, .out = stdout,
                          .tty = isatty(STDOUT_FILENO)};
    const char *positional = NULL;
    int st = parse(cmd, argc, argv, resume, &positional, &o);
    if (st)
        return st < 0 ? 0 : st;
    if (bo_cli_mpi_rank() >= 0)
        return run_mpi(&o, positional, resume);
    /* on a terminal, off the progress line first */
    static const char stopped[] = "\nbo: interrupted: every finished trial "
                                  "is stored; the same command (or bo "
                                  "resume) goes on\n";
    bo_cli_on_interrupt(o.tty ? stopped : stopped + 1);
    bo_error err = {0};
    int rc = study_once(&o, positional, resume, &err);
    return rc ? bo_cli_fail(&err, rc) : 0;
}

int bo_cli_run(int argc, char **argv)
{
    return run_or_resume(argc, argv, 0);
}

int bo_cli_resume(int argc, char **argv)
{
    return run_or_resume(argc, argv, 1);
}
