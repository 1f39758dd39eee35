/*
 * mpi_common.c — start-up and receiving, shared by both sides of
 * bo_mpi.h. Must never print or touch CUDA.
 */
#include <mpi.h>
#include <stdlib.h>
#include <time.h>

#include "bo_mpi.h"
#include "error.h"

int bo_mpi_start(int *rank, int *size, bo_error *err)
{
    int provided = 0;
    /* One thread calls MPI; the runner's poll loop is the rest. */
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_SINGLE, &provided) !=
        MPI_SUCCESS)
        return bo_error_set(err, BO_ERUNTIME, "MPI_Init failed");
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    return BO_OK;
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
