/*
 * wire.h — the frames coordinator and worker exchange over the worker's
 * private socket (a socketpair: one fd each side, both directions).
 *
 * A frame is a 4-byte length (native byte order: both ends are the same
 * `bo` binary), then a 1-byte message type, then the payload; the length
 * counts type + payload and never exceeds BO_WIRE_MAX. Payloads are a flat
 * binary encoding: u8, u32, i64/u64, f64 (the bits of the double, so values
 * cross exactly, NaN and infinities included) and strings (u32 length, the
 * bytes, a NUL, so a reader can point into the frame).
 *
 * Message types and their payloads:
 *   coordinator -> worker
 *     INIT      str plugin_path, str config_json
 *     TRIAL     i64 trial, u64 seed, str log_path, values
 *     DESCRIBE  (none)
 *     STOP      u8 stop (the answer to a REPORT)
 *   worker -> coordinator
 *     HELLO     u8 ok, str message (why the plugin or instance failed)
 *     REPORT    i64 trial, i64 step, f64 value       (answered by STOP)
 *     RESULT    i64 trial, i32 eval_rc, i32 status, f64 loss, f64 cost_s,
 *               u8 memory_note, str message, u32 n, n x (str name, f64)
 *     DESCRIPTION str name, u32 n, n x param (str name, i32 type, i32 log,
 *               f64 low, f64 high, u32 n_choices, n_choices x str)
 *     CRASH     i32 signal, i32 errno_at_crash  (sent from a signal handler)
 *   values = u32 n, n x (str name, i32 type, f64 d, i64 i, u8 has_s[, str s])
 *
 * Nothing here prints; sends never raise SIGPIPE (MSG_NOSIGNAL).
 */
#ifndef BO_WIRE_H
#define BO_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "bo/bo.h"

#define BO_WIRE_MAX (1u << 20)  /* largest frame, type + payload */
#define BO_WIRE_HEADER 5u       /* length + type */
/* The fd on which `bo worker` finds its end of the socket. */
#define BO_WIRE_WORKER_FD 3

enum bo_wire_type {
    BO_MSG_INIT = 1,
    BO_MSG_TRIAL = 2,
    BO_MSG_DESCRIBE = 3,
    BO_MSG_STOP = 4,
    BO_MSG_CHECK = 5,        /* values: would the objective take them? */
    BO_MSG_HELLO = 16,
    BO_MSG_REPORT = 17,
    BO_MSG_RESULT = 18,
    BO_MSG_DESCRIPTION = 19,
    BO_MSG_CRASH = 20,
    BO_MSG_CHECKED = 21      /* u8 refused, str why */
};

/* A frame being built. bad is set when an allocation failed or the frame
 * grew past BO_WIRE_MAX; sending a bad frame fails. */
typedef struct bo_wbuf {
    uint8_t *p;
    size_t len, cap;
    int bad;
} bo_wbuf;

/* Starts a frame of the given type (reuses b's memory). */
void bo_wbuf_begin(bo_wbuf *b, int type);
void bo_wbuf_free(bo_wbuf *b);
void bo_wbuf_u8(bo_wbuf *b, uint8_t v);
void bo_wbuf_u32(bo_wbuf *b, uint32_t v);
void bo_wbuf_i32(bo_wbuf *b, int32_t v);
void bo_wbuf_i64(bo_wbuf *b, int64_t v);
void bo_wbuf_u64(bo_wbuf *b, uint64_t v);
void bo_wbuf_f64(bo_wbuf *b, double v);
void bo_wbuf_str(bo_wbuf *b, const char *s); /* NULL is sent as "" */
void bo_wbuf_values(bo_wbuf *b, const bo_value *v, size_t n);

/* Reading a payload. Every getter returns a zero value once bad is set
 * (too short, a string without its NUL); check bad at the end. */
typedef struct bo_rbuf {
    const uint8_t *p;
    size_t len, pos;
    int bad;
} bo_rbuf;

uint8_t bo_rbuf_u8(bo_rbuf *r);
uint32_t bo_rbuf_u32(bo_rbuf *r);
int32_t bo_rbuf_i32(bo_rbuf *r);
int64_t bo_rbuf_i64(bo_rbuf *r);
uint64_t bo_rbuf_u64(bo_rbuf *r);
double bo_rbuf_f64(bo_rbuf *r);
/* Points into the payload; "" once bad. */
const char *bo_rbuf_str(bo_rbuf *r);
/* A malloc'd array of *n values whose strings point into the payload;
 * NULL with bad set on a malformed list, NULL with *n == 0 for none. */
bo_value *bo_rbuf_values(bo_rbuf *r, size_t *n);

/* Sends the whole frame (blocking; EINTR retried). 0, or -errno (-EPROTO
 * for a bad frame). */
int bo_wire_send(int fd, bo_wbuf *b);

/* Blocking read of one whole frame into *buf (grown as needed, the
 * caller's to free). Returns 0 with *type and the payload in
 * (*buf, *len), 1 on a clean end of stream, or -errno (-EPROTO for a frame
 * too long or cut short). */
int bo_wire_recv(int fd, uint8_t **buf, size_t *cap, int *type,
                 size_t *len);

/* Incremental reading for a poll() loop. */
typedef struct bo_inbuf {
    uint8_t *p;
    size_t len, cap, start;
} bo_inbuf;

/* Reads what is available without blocking. Returns bytes read (> 0),
 * 0 at end of stream, -EAGAIN when nothing is there, or -errno. Payloads
 * from bo_inbuf_next are invalid after this call. */
long bo_inbuf_fill(bo_inbuf *in, int fd);
/* The next whole frame: 1 with *type and (*payload, *len), 0 when none is
 * complete yet, -EPROTO for a frame longer than BO_WIRE_MAX. */
int bo_inbuf_next(bo_inbuf *in, int *type, const uint8_t **payload,
                  size_t *len);
/* Bytes of an unfinished frame left over (a worker died mid-frame). */
size_t bo_inbuf_pending(const bo_inbuf *in);
void bo_inbuf_reset(bo_inbuf *in);
void bo_inbuf_free(bo_inbuf *in);

#endif
