/*
 * mpi_common.c — start-up and receiving, shared by both sides of
 * bo_mpi.h. Must never print or touch CUDA.
 */
#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bo_mpi.h"
#include "error.h"

extern char **environ;

static int g_local_size = 1, g_local_rank;

/* Variables that make a process one rank of this launch. */
static int launch_var(const char *entry)
{
    static const char *const prefixes[] = {
        "PMIX_", "PMI_", "OMPI_COMM_WORLD_", "OMPI_UNIVERSE_SIZE=",
        "OMPI_APP_CTX_", "OMPI_NUM_APP_CTX=", "OMPI_FIRST_RANKS=",
        "OMPI_FILE_LOCATION=", "OMPI_COMMAND=", "OMPI_ARGV=",
        "OMPI_MCA_ess", "OMPI_MCA_orte_", "OMPI_MCA_pmix",
        "OMPI_MCA_initial_wdir=", "OMPI_MCA_shmem_RUNTIME_QUERY_hint=",
    };
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (strncmp(entry, prefixes[i], strlen(prefixes[i])) == 0)
            return 1;
    return 0;
}

/* Once this process is a rank, what it starts (workers, objective
 * programs, bo compare's runs) must not believe it is one too: a program
 * that calls MPI_Init itself would join this job's wire-up and hang it.
 * The user's own settings (OMPI_MCA_btl, OMPI_ALLOW_RUN_AS_ROOT) stay. */
static void forget_launch(void)
{
    char name[256];
    for (size_t i = 0; environ[i];) {
        const char *eq = strchr(environ[i], '=');
        if (!eq || !launch_var(environ[i]) ||
            (size_t)(eq - environ[i]) >= sizeof name) {
            i++;
            continue;
        }
        memcpy(name, environ[i], (size_t)(eq - environ[i]));
        name[eq - environ[i]] = '\0';
        unsetenv(name); /* environ[i] is now the next entry */
    }
}

int bo_mpi_start(int *rank, int *size, bo_error *err)
{
    int provided = 0;
    /* One thread calls MPI; the runner's poll loop is the rest. */
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_SINGLE, &provided) !=
        MPI_SUCCESS)
        return bo_error_set(err, BO_ERUNTIME, "MPI_Init failed");
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    /* The ranks on this node, asked of MPI (collective: every rank is
     * here), before the launch's variables go. */
    MPI_Comm node;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, *rank,
                            MPI_INFO_NULL, &node) == MPI_SUCCESS) {
        MPI_Comm_size(node, &g_local_size);
        MPI_Comm_rank(node, &g_local_rank);
        MPI_Comm_free(&node);
    }
    forget_launch();
    return BO_OK;
}

void bo_mpi_local(int *size, int *rank)
{
    *size = g_local_size > 0 ? g_local_size : 1;
    *rank = g_local_rank > 0 ? g_local_rank : 0;
}

int bo_mpi_recv(int source, uint8_t **buf, size_t *cap, int *from, int *tag,
                size_t *len, bo_error *err)
{
    /* MPI_Recv busy-polls in OpenMPI: with ranks oversubscribed on a few
     * cores it would steal the workers' CPU. Probe, then sleep a little
     * longer each time (1 to 20 ms: small next to any trial). */
    long sleep_us = 1000;
    MPI_Status st;
    for (;;) {
        int flag = 0;
        if (MPI_Iprobe(source, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st) !=
            MPI_SUCCESS)
            return bo_error_set(err, BO_ERUNTIME, "MPI_Iprobe failed");
        if (flag)
            break;
        struct timespec ts = {0, sleep_us * 1000};
        nanosleep(&ts, NULL);
        if (sleep_us < 20000)
            sleep_us += sleep_us / 2;
    }
    int count = 0;
    MPI_Get_count(&st, MPI_BYTE, &count);
    if ((size_t)count + 1 > *cap) {
        uint8_t *p = realloc(*buf, (size_t)count + 1);
        if (!p)
            return bo_error_set(err, BO_ENOMEM, "out of memory");
        *buf = p;
        *cap = (size_t)count + 1;
    }
    if (MPI_Recv(*buf, count, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG,
                 MPI_COMM_WORLD, MPI_STATUS_IGNORE) != MPI_SUCCESS)
        return bo_error_set(err, BO_ERUNTIME, "MPI_Recv from rank %d failed",
                            st.MPI_SOURCE);
    *from = st.MPI_SOURCE;
    *tag = st.MPI_TAG;
    *len = (size_t)count;
    return BO_OK;
}
