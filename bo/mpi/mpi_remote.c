/*
 * mpi_remote.c — rank 0's side of bo_mpi.h: the evaluator ranks behind
 * the executor table (executor.h), one trial in flight per rank.
 * Must never print, load a plugin or touch CUDA.
 */
#include <math.h>
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_mpi.h"
#include "error.h"
#include "wire.h"

typedef struct remote {
    int size;                 /* ranks 1 .. size-1 evaluate */
    int *busy;                /* by rank */
    int64_t *trial;           /* by rank: the trial in flight */
    int *stop_sent;           /* by rank: STOP sent for that trial */
    int (*on_report)(void *ctx, int64_t trial, int64_t step, double value);
    void *ctx;
    bo_wbuf out;
    uint8_t *in;
    size_t in_cap;
} remote;

/* Trials in flight when the study ended: bo_mpi_finish must not wait for
 * them (the remote is freed by then). */
static int g_in_flight;

static int send_to(bo_wbuf *b, int rank, int tag, bo_error *err)
{
    if (b->bad)
        return bo_error_set(err, BO_EINVAL, "MPI: a message to rank %d is too "
                            "large or malformed", rank);
    if (MPI_Send(b->p, (int)b->len, MPI_BYTE, rank, tag, MPI_COMM_WORLD) !=
        MPI_SUCCESS)
        return bo_error_set(err, BO_ERUNTIME, "MPI: cannot send to rank %d",
                            rank);
    return BO_OK;
}

static int remote_idle(void *impl)
{
    remote *r = impl;
    int n = 0;
    for (int i = 1; i < r->size; i++)
        n += !r->busy[i];
    return n;
}

static int remote_submit(void *impl, int64_t trial, uint64_t seed,
                         const bo_value *assignment, size_t n, bo_error *err)
{
    remote *r = impl;
    int rank = 1;
    while (rank < r->size && r->busy[rank])
        rank++;
    if (rank >= r->size)
        return bo_error_set(err, BO_ESTATE, "MPI: no idle evaluator rank");
    bo_wbuf_begin(&r->out, BO_MPI_TRIAL);
    bo_wbuf_i64(&r->out, trial);
    bo_wbuf_u64(&r->out, seed);
    bo_wbuf_values(&r->out, assignment, n);
    int rc = send_to(&r->out, rank, BO_MPI_TRIAL, err);
    if (rc)
        return rc;
    r->busy[rank] = 1;
    r->trial[rank] = trial;
    r->stop_sent[rank] = 0;
    g_in_flight++;
    return BO_OK;
}

static int parse_result(remote *r, int rank, const uint8_t *p, size_t len,
                        bo_trial_result *out, bo_error *err)
{
    bo_rbuf rb = {.p = p, .len = len};
    memset(out, 0, sizeof *out);
    out->trial = bo_rbuf_i64(&rb);
    out->state = bo_rbuf_i32(&rb);
    out->loss = bo_rbuf_f64(&rb);
    out->cost_s = bo_rbuf_f64(&rb);
    out->wall_s = bo_rbuf_f64(&rb);
    out->stopped_early = bo_rbuf_u8(&rb) != 0;
    snprintf(out->message, sizeof out->message, "%s", bo_rbuf_str(&rb));
    uint32_t nm = bo_rbuf_u32(&rb);
    for (uint32_t i = 0; i < nm && i < BO_METRICS_MAX && !rb.bad; i++) {
        snprintf(out->metrics[i].name, sizeof out->metrics[i].name, "%s",
                 bo_rbuf_str(&rb));
        out->metrics[i].value = bo_rbuf_f64(&rb);
    }
    out->n_metrics = nm > BO_METRICS_MAX ? BO_METRICS_MAX : nm;
    if (rb.bad || out->trial != r->trial[rank] ||
        out->state < BO_TRIAL_COMPLETE)
        return bo_error_set(err, BO_ERUNTIME, "MPI: a malformed result from "
                            "rank %d", rank);
    return BO_OK;
}

static int remote_wait(void *impl, bo_trial_result *out, bo_error *err)
{
    remote *r = impl;
    for (;;) {
        int any = 0;
        for (int i = 1; i < r->size; i++)
            any |= r->busy[i];
        if (!any)
            return BO_DONE;
        int from, tag;
        size_t len;
        int rc = bo_mpi_recv(MPI_ANY_SOURCE, &r->in, &r->in_cap, &from, &tag,
                             &len, err);
        if (rc)
            return rc;
        if (from <= 0 || from >= r->size || !r->busy[from] ||
            len < BO_WIRE_HEADER)
            return bo_error_set(err, BO_ERUNTIME, "MPI: an unexpected message "
                                "from rank %d", from);
        const uint8_t *p = r->in + BO_WIRE_HEADER;
        size_t n = len - BO_WIRE_HEADER;
        if (tag == BO_MPI_REPORT) {
            bo_rbuf rb = {.p = p, .len = n};
            int64_t trial = bo_rbuf_i64(&rb);
            int64_t step = bo_rbuf_i64(&rb);
            double value = bo_rbuf_f64(&rb);
            /* Every report is answered, stop or go on, and the rank waits
             * for the answer, as a local worker does: a stop then lands at
             * the very report it was decided on, which is what makes early
             * stopping reproducible (--deterministic) under MPI too. */
            int stop = r->stop_sent[from] ||
                       (!rb.bad && trial == r->trial[from] && r->on_report &&
                        r->on_report(r->ctx, trial, step, value));
            bo_wbuf_begin(&r->out, BO_MPI_STOP);
            bo_wbuf_i64(&r->out, trial);
            bo_wbuf_u8(&r->out, (uint8_t)(stop != 0));
            if ((rc = send_to(&r->out, from, BO_MPI_STOP, err)))
                return rc;
            r->stop_sent[from] = stop;
            continue;
        }
        if (tag != BO_MPI_RESULT)
            return bo_error_set(err, BO_ERUNTIME, "MPI: an unexpected message "
                                "(tag %d) from rank %d", tag, from);
        rc = parse_result(r, from, p, n, out, err);
        r->busy[from] = 0;
        g_in_flight--;
        return rc;
    }
}

static void remote_free(void *impl)
{
    remote *r = impl;
    if (!r)
        return;
    bo_wbuf_free(&r->out);
    free(r->in);
    free(r->busy);
    free(r->trial);
    free(r->stop_sent);
    free(r);
}

static int remote_close(void *impl, char *why, size_t why_len)
{
    (void)why;
    (void)why_len;
    remote_free(impl);
    return 0;
}

static int remote_open(void *ctx, const bo_runner_options *ro,
                       bo_executor *out, bo_error *err)
{
    int size = (int)(intptr_t)ctx;
    remote *r = calloc(1, sizeof *r);
    if (r) {
        r->busy = calloc((size_t)size, sizeof *r->busy);
        r->trial = calloc((size_t)size, sizeof *r->trial);
        r->stop_sent = calloc((size_t)size, sizeof *r->stop_sent);
    }
    if (!r || !r->busy || !r->trial || !r->stop_sent) {
        remote_free(r);
        return bo_error_set(err, BO_ENOMEM, "out of memory");
    }
    r->size = size;
    r->on_report = ro->on_report;
    r->ctx = ro->ctx;
    bo_wbuf_begin(&r->out, BO_MPI_INIT);
    bo_wbuf_str(&r->out, ro->plugin_path);
    bo_wbuf_str(&r->out, ro->config_json);
    bo_wbuf_f64(&r->out, ro->timeout_s);
    bo_wbuf_i64(&r->out, ro->memory_mb);
    bo_wbuf_str(&r->out, ro->log_dir);
    int rc = BO_OK;
    for (int i = 1; i < size && !rc; i++)
        rc = send_to(&r->out, i, BO_MPI_INIT, err);
    if (rc) {
        remote_free(r);
        return rc;
    }
    out->impl = r;
    out->idle = remote_idle;
    out->submit = remote_submit;
    out->wait = remote_wait;
    out->close = remote_close;
    return BO_OK;
}

void bo_mpi_remote(bo_remote *out, int size)
{
    out->workers = size - 1;
    out->open = remote_open;
    out->ctx = (void *)(intptr_t)size;
}

void bo_mpi_finish(int size)
{
    if (g_in_flight > 0)
        MPI_Abort(MPI_COMM_WORLD, 1);
    uint8_t none[BO_WIRE_HEADER] = {0};
    for (int i = 1; i < size; i++)
        MPI_Send(none, (int)sizeof none, MPI_BYTE, i, BO_MPI_QUIT,
                 MPI_COMM_WORLD);
    MPI_Finalize();
}
