/*
 * mpi_rank.c — an evaluator rank's side of bo_mpi.h: a local runner with
 * one worker (`bo worker`, as on a single machine: its crash costs that
 * trial only and the worker is replaced), fed by rank 0's messages.
 * Must never print, load a plugin or touch CUDA.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bo_mpi.h"
#include "error.h"
#include "runner_proc.h"
#include "wire.h"

typedef struct rank_state {
    bo_runner *runner;
    char failure[BO_MESSAGE_MAX];  /* why there is no runner */
    bo_wbuf out;
} rank_state;

static void send_result(rank_state *s, const bo_trial_result *r)
{
    bo_wbuf_begin(&s->out, BO_MPI_RESULT);
    bo_wbuf_i64(&s->out, r->trial);
    bo_wbuf_i32(&s->out, r->state);
    bo_wbuf_f64(&s->out, r->loss);
    bo_wbuf_f64(&s->out, r->cost_s);
    bo_wbuf_f64(&s->out, r->wall_s);
    bo_wbuf_u8(&s->out, r->stopped_early != 0);
    bo_wbuf_str(&s->out, r->message);
    bo_wbuf_u32(&s->out, r->n_metrics);
    for (uint32_t i = 0; i < r->n_metrics; i++) {
        bo_wbuf_str(&s->out, r->metrics[i].name);
        bo_wbuf_f64(&s->out, r->metrics[i].value);
    }
    MPI_Send(s->out.p, (int)s->out.len, MPI_BYTE, 0, BO_MPI_RESULT,
             MPI_COMM_WORLD);
}

/* A report goes to rank 0, which answers each one (stop, or go on); the
 * trial waits for the answer, as with a local worker, so that a stop acts
 * at the report it was decided on. */
static int on_report(void *ctx, int64_t trial, int64_t step, double value)
{
    rank_state *s = ctx;
    bo_wbuf_begin(&s->out, BO_MPI_REPORT);
    bo_wbuf_i64(&s->out, trial);
    bo_wbuf_i64(&s->out, step);
    bo_wbuf_f64(&s->out, value);
    if (MPI_Send(s->out.p, (int)s->out.len, MPI_BYTE, 0, BO_MPI_REPORT,
                 MPI_COMM_WORLD) != MPI_SUCCESS)
        return 0;
    /* The answer has a fixed size: header, trial, stop flag. */
    uint8_t reply[BO_WIRE_HEADER + 9];
    MPI_Status st;
    int count = 0;
    if (MPI_Recv(reply, (int)sizeof reply, MPI_BYTE, 0, BO_MPI_STOP,
                 MPI_COMM_WORLD, &st) != MPI_SUCCESS ||
        MPI_Get_count(&st, MPI_BYTE, &count) != MPI_SUCCESS ||
        count != (int)sizeof reply)
        return 0;
    bo_rbuf rb = {.p = reply + BO_WIRE_HEADER, .len = 9};
    int64_t t = bo_rbuf_i64(&rb);
    int stop = bo_rbuf_u8(&rb);
    return !rb.bad && t == trial && stop;
}

static void start_runner(rank_state *s, const uint8_t *p, size_t len)
{
    bo_rbuf rb = {.p = p, .len = len};
    const char *plugin = bo_rbuf_str(&rb);
    const char *config = bo_rbuf_str(&rb);
    double timeout_s = bo_rbuf_f64(&rb);
    int64_t memory_mb = bo_rbuf_i64(&rb);
    const char *log_dir = bo_rbuf_str(&rb);
    bo_error err = {0};
    char exe[PATH_MAX];
    if (rb.bad) {
        snprintf(s->failure, sizeof s->failure, "MPI: a malformed INIT");
        return;
    }
    if (bo_path_self_exe(exe, sizeof exe, &err) != BO_OK) {
        snprintf(s->failure, sizeof s->failure, "%.500s", err.message);
        return;
    }
    /* Another node may not have the log folder yet (no shared folder). */
    if (log_dir[0] && mkdir(log_dir, 0777) != 0 && errno != EEXIST)
        log_dir = "";
    /* The cores this rank was bound to (Slurm's --cpus-per-task, mpirun's
     * binding); unbound, the node's shared by the ranks on it. Its GPUs
     * go round-robin by local rank. */
    int local, local_rank;
    bo_mpi_local(&local, &local_rank);
    int mine = bo_proc_cores();
    int share = mine < sysconf(_SC_NPROCESSORS_ONLN) ? mine : mine / local;
    const char *gpus = NULL;
    /* BO_GPUS or CUDA_VISIBLE_DEVICES only: a node's ranks include the
     * coordinator, which evaluates nothing, so splitting the driver's
     * GPUs among them by local rank would leave one idle */
    if (bo_executor_gpu_list(1, &gpus, &err) != BO_OK) {
        snprintf(s->failure, sizeof s->failure, "%.500s", err.message);
        return;
    }
    bo_runner_options ro = {
        .bo_exe = exe,
        .plugin_path = plugin,
        .config_json = config,
        .workers = 1,
        .timeout_s = timeout_s,
        .memory_mb = memory_mb,
        .log_dir = log_dir[0] ? log_dir : NULL,
        .threads_per_worker = share, /* the runner gives at least 1 */
        .gpus = gpus,
        .gpu_first = local_rank,
        .on_report = on_report,
        .ctx = s,
    };
    if (bo_runner_create(&ro, &s->runner, &err) != BO_OK)
        snprintf(s->failure, sizeof s->failure, "%.500s", err.message);
}

static void run_trial(rank_state *s, const uint8_t *p, size_t len)
{
    bo_rbuf rb = {.p = p, .len = len};
    int64_t trial = bo_rbuf_i64(&rb);
    uint64_t seed = bo_rbuf_u64(&rb);
    size_t n = 0;
    bo_value *values = bo_rbuf_values(&rb, &n);
    bo_trial_result res;
    memset(&res, 0, sizeof res);
    res.trial = trial;
    res.state = BO_TRIAL_FAILED;
    res.loss = res.cost_s = res.wall_s = NAN;
    bo_error err = {0};
    int rc = BO_OK;
    if (rb.bad)
        rc = bo_error_set(&err, BO_ERUNTIME, "MPI: a malformed TRIAL");
    else if (!s->runner)
        rc = bo_error_set(&err, BO_ERUNTIME, "%s", s->failure[0] ? s->failure
                          : "MPI: the evaluator was not started");
    if (!rc)
        rc = bo_runner_submit(s->runner, trial, seed, values, n, &err);
    if (!rc) {
        rc = bo_runner_wait(s->runner, &res, &err);
        if (rc == BO_DONE)
            rc = bo_error_set(&err, BO_ERUNTIME, "MPI: the trial vanished");
    }
    if (rc) {
        res.trial = trial;
        res.state = BO_TRIAL_FAILED;
        snprintf(res.message, sizeof res.message, "MPI rank: %.480s", err.message);
    }
    free(values);
    send_result(s, &res);
}

int bo_mpi_evaluate(bo_error *err)
{
    rank_state s;
    memset(&s, 0, sizeof s);
    uint8_t *buf = NULL;
    size_t cap = 0;
    int rc = BO_OK;
    for (;;) {
        int from, tag;
        size_t len;
        rc = bo_mpi_recv(0, &buf, &cap, &from, &tag, &len, err);
        if (rc || tag == BO_MPI_QUIT)
            break;
        if (len < BO_WIRE_HEADER) {
            rc = bo_error_set(err, BO_ERUNTIME, "MPI: a short message");
            break;
        }
        if (tag == BO_MPI_INIT && !s.runner)
            start_runner(&s, buf + BO_WIRE_HEADER, len - BO_WIRE_HEADER);
        else if (tag == BO_MPI_TRIAL)
            run_trial(&s, buf + BO_WIRE_HEADER, len - BO_WIRE_HEADER);
    }
    bo_runner_free(s.runner);
    bo_wbuf_free(&s.out);
    free(buf);
    MPI_Finalize();
    return rc;
}
