/*
 * bo_mpi.h — `bo run` / `bo resume` under an MPI launcher (bo/DESIGN.md
 * "Scale"): rank 0 is the coordinator and the only writer of the study
 * file; every other rank is an evaluator that runs trials through a `bo
 * worker` process of its own (a local bo_runner with one worker), so no
 * rank ever loads a plugin. Only MPI crosses between ranks: no home-made
 * network protocol. Built only where CMake finds MPI (BO_HAVE_MPI), and
 * linked into the `bo` command only, never into libbo.
 *
 * Messages (MPI_BYTE payloads encoded with wire.h's buffers; the frame
 * header is ignored):
 *   0 -> r  INIT    str plugin, str config, f64 timeout_s, i64 memory_mb,
 *                   str log_dir
 *   0 -> r  TRIAL   i64 trial, u64 seed, values
 *   0 -> r  QUIT    (none)
 *   r -> 0  RESULT  i64 trial, i32 state, f64 loss, f64 cost_s, f64 wall_s,
 *                   str message, u32 n, n x (str name, f64 value)
 *   r -> 0  REPORT  i64 trial, i64 step, f64 value
 * Debian's OpenMPI has no fault tolerance: a rank that dies ends the job,
 * and the study's storage rules make `bo resume` continue it.
 * Must never: print (only cli_run.c does), or touch CUDA.
 */
#ifndef BO_MPI_H
#define BO_MPI_H

#include "executor.h"

/* STOP (rank 0 -> evaluator): early stopping asks the trial to stop; it
 * arrives after the report that decided it, so the evaluator acts on it at
 * the trial's next report, and ignores it if the trial has ended. */
enum { BO_MPI_INIT = 1, BO_MPI_TRIAL, BO_MPI_QUIT, BO_MPI_RESULT,
       BO_MPI_REPORT, BO_MPI_STOP };

/* MPI_Init; this process's rank and the job's size. Then the launch's
 * environment is dropped, so that what a rank starts is not a rank. */
int bo_mpi_start(int *rank, int *size, bo_error *err);
/* After bo_mpi_start: the ranks on this node, and this one's place. */
void bo_mpi_local(int *size, int *rank);
/* Rank 0: the evaluators (ranks 1 .. size-1) as bo_study_options.remote. */
void bo_mpi_remote(bo_remote *out, int size);
/* Rank 0, after the study: tells the evaluators to quit and finalizes;
 * if a trial is still in flight (the study failed in the middle), aborts
 * the job instead of waiting for it. */
void bo_mpi_finish(int size);
/* Ranks > 0: evaluates the trials rank 0 sends until it says quit, then
 * finalizes. 0, or a negative code with err set. */
int bo_mpi_evaluate(bo_error *err);

/* Shared by the two sides: waits (sleeping, not spinning: ranks share
 * cores with the workers) for a message from `source` (MPI_ANY_SOURCE
 * allowed) and receives it into *buf. */
int bo_mpi_recv(int source, uint8_t **buf, size_t *cap, int *from, int *tag,
                size_t *len, bo_error *err);

#endif
