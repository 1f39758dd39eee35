/*
 * wire.c — frames over the worker socket (see wire.h). Must never block
 * except where a function says so, never print, and never trust a length it
 * read: every size is checked against BO_WIRE_MAX and the payload's end.
 */
#include "wire.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* ------------------------------------------------------------ building */

static void wbuf_put(bo_wbuf *b, const void *src, size_t n)
{
    if (b->bad)
        return;
    if (b->len + n > BO_WIRE_HEADER - 1 + BO_WIRE_MAX) {
        b->bad = 1;
        return;
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *p = realloc(b->p, cap);
        if (!p) {
            b->bad = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, src, n);
    b->len += n;
}

void bo_wbuf_begin(bo_wbuf *b, int type)
{
    b->len = 0;
    b->bad = 0;
    uint32_t zero = 0;
    wbuf_put(b, &zero, sizeof zero);
    bo_wbuf_u8(b, (uint8_t)type);
}

void bo_wbuf_free(bo_wbuf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

void bo_wbuf_u8(bo_wbuf *b, uint8_t v) { wbuf_put(b, &v, sizeof v); }
void bo_wbuf_u32(bo_wbuf *b, uint32_t v) { wbuf_put(b, &v, sizeof v); }
void bo_wbuf_i32(bo_wbuf *b, int32_t v) { wbuf_put(b, &v, sizeof v); }
void bo_wbuf_i64(bo_wbuf *b, int64_t v) { wbuf_put(b, &v, sizeof v); }
void bo_wbuf_u64(bo_wbuf *b, uint64_t v) { wbuf_put(b, &v, sizeof v); }
void bo_wbuf_f64(bo_wbuf *b, double v) { wbuf_put(b, &v, sizeof v); }

void bo_wbuf_str(bo_wbuf *b, const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    if (n >= BO_WIRE_MAX) {
        b->bad = 1;
        return;
    }
    bo_wbuf_u32(b, (uint32_t)n);
    wbuf_put(b, s, n + 1);
}

void bo_wbuf_values(bo_wbuf *b, const bo_value *v, size_t n)
{
    bo_wbuf_u32(b, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        bo_wbuf_str(b, v[i].name);
        bo_wbuf_i32(b, v[i].type);
        if (v[i].type < BO_VALUE_DOUBLE || v[i].type > BO_VALUE_STRING ||
            (v[i].type == BO_VALUE_STRING && !v[i].s))
            b->bad = 1;
        /* every member: a categorical choice that reads as a number
         * arrives typed INT or DOUBLE with its text in s as well */
        bo_wbuf_f64(b, v[i].d);
        bo_wbuf_i64(b, v[i].i);
        bo_wbuf_u8(b, v[i].s != NULL);
        if (v[i].s)
            bo_wbuf_str(b, v[i].s);
    }
}

/* ------------------------------------------------------------- reading */

static int rbuf_get(bo_rbuf *r, void *dst, size_t n)
{
    if (r->bad || r->len - r->pos < n) {
        r->bad = 1;
        memset(dst, 0, n);
        return -1;
    }
    memcpy(dst, r->p + r->pos, n);
    r->pos += n;
    return 0;
}

uint8_t bo_rbuf_u8(bo_rbuf *r) { uint8_t v; rbuf_get(r, &v, sizeof v); return v; }
uint32_t bo_rbuf_u32(bo_rbuf *r) { uint32_t v; rbuf_get(r, &v, sizeof v); return v; }
int32_t bo_rbuf_i32(bo_rbuf *r) { int32_t v; rbuf_get(r, &v, sizeof v); return v; }
int64_t bo_rbuf_i64(bo_rbuf *r) { int64_t v; rbuf_get(r, &v, sizeof v); return v; }
uint64_t bo_rbuf_u64(bo_rbuf *r) { uint64_t v; rbuf_get(r, &v, sizeof v); return v; }
double bo_rbuf_f64(bo_rbuf *r) { double v; rbuf_get(r, &v, sizeof v); return v; }

const char *bo_rbuf_str(bo_rbuf *r)
{
    uint32_t n = bo_rbuf_u32(r);
    if (r->bad || r->len - r->pos < (size_t)n + 1 || r->p[r->pos + n] != '\0') {
        r->bad = 1;
        return "";
    }
    const char *s = (const char *)r->p + r->pos;
    r->pos += (size_t)n + 1;
    return s;
}

bo_value *bo_rbuf_values(bo_rbuf *r, size_t *n)
{
    *n = 0;
    uint32_t count = bo_rbuf_u32(r);
    /* Each value takes at least 25 bytes, which bounds a hostile count. */
    if (r->bad || count > (r->len - r->pos) / 25) {
        r->bad = 1;
        return NULL;
    }
    if (count == 0)
        return NULL;
    bo_value *v = calloc(count, sizeof *v);
    if (!v) {
        r->bad = 1;
        return NULL;
    }
    for (uint32_t i = 0; i < count && !r->bad; i++) {
        v[i].name = bo_rbuf_str(r);
        v[i].type = bo_rbuf_i32(r);
        v[i].d = bo_rbuf_f64(r);
        v[i].i = bo_rbuf_i64(r);
        if (bo_rbuf_u8(r))
            v[i].s = bo_rbuf_str(r);
        if (v[i].type < BO_VALUE_DOUBLE || v[i].type > BO_VALUE_STRING ||
            (v[i].type == BO_VALUE_STRING && !v[i].s))
            r->bad = 1;
    }
    if (r->bad) {
        free(v);
        return NULL;
    }
    *n = count;
    return v;
}

/* ------------------------------------------------------------ blocking */

int bo_wire_send(int fd, bo_wbuf *b)
{
    if (b->bad || b->len < BO_WIRE_HEADER)
        return -EPROTO;
    uint32_t n = (uint32_t)(b->len - 4);
    memcpy(b->p, &n, sizeof n);
    size_t done = 0;
    while (done < b->len) {
        ssize_t w = send(fd, b->p + done, b->len - done, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        done += (size_t)w;
    }
    return 0;
}

/* 0 when all n bytes came, 1 on end of stream before the first byte,
 * -EPROTO when it ended in the middle, -errno otherwise. */
static int read_full(int fd, void *dst, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (uint8_t *)dst + got, n - got);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (r == 0)
            return got == 0 ? 1 : -EPROTO;
        got += (size_t)r;
    }
    return 0;
}

int bo_wire_recv(int fd, uint8_t **buf, size_t *cap, int *type, size_t *len)
{
    uint8_t head[BO_WIRE_HEADER];
    int rc = read_full(fd, head, sizeof head);
    if (rc)
        return rc;
    uint32_t n;
    memcpy(&n, head, sizeof n);
    if (n < 1 || n > BO_WIRE_MAX)
        return -EPROTO;
    size_t plen = n - 1;
    if (plen + 1 > *cap) {
        uint8_t *p = realloc(*buf, plen + 1);
        if (!p)
            return -ENOMEM;
        *buf = p;
        *cap = plen + 1;
    }
    rc = read_full(fd, *buf, plen);
    if (rc)
        return rc == 1 ? -EPROTO : rc;
    *type = head[4];
    *len = plen;
    return 0;
}

/* --------------------------------------------------------- incremental */

long bo_inbuf_fill(bo_inbuf *in, int fd)
{
    if (in->start > 0) {
        memmove(in->p, in->p + in->start, in->len - in->start);
        in->len -= in->start;
        in->start = 0;
    }
    if (in->cap - in->len < 4096) {
        size_t cap = in->cap ? in->cap * 2 : 8192;
        if (cap > 2 * (BO_WIRE_MAX + BO_WIRE_HEADER))
            cap = 2 * (BO_WIRE_MAX + BO_WIRE_HEADER);
        if (cap <= in->len)
            return -EPROTO;  /* a frame larger than allowed is waiting */
        uint8_t *p = realloc(in->p, cap);
        if (!p)
            return -ENOMEM;
        in->p = p;
        in->cap = cap;
    }
    if (in->cap == in->len)
        return -EPROTO;  /* recv of 0 bytes would read as end of stream */
    for (;;) {
        ssize_t r = recv(fd, in->p + in->len, in->cap - in->len, MSG_DONTWAIT);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return errno == EWOULDBLOCK ? -EAGAIN : -errno;
        in->len += (size_t)r;
        return (long)r;
    }
}

int bo_inbuf_next(bo_inbuf *in, int *type, const uint8_t **payload,
                  size_t *len)
{
    size_t avail = in->len - in->start;
    if (avail < BO_WIRE_HEADER)
        return 0;
    uint32_t n;
    memcpy(&n, in->p + in->start, sizeof n);
    if (n < 1 || n > BO_WIRE_MAX)
        return -EPROTO;
    if (avail < 4 + (size_t)n)
        return 0;
    *type = in->p[in->start + 4];
    *payload = in->p + in->start + BO_WIRE_HEADER;
    *len = n - 1;
    in->start += 4 + (size_t)n;
    return 1;
}

size_t bo_inbuf_pending(const bo_inbuf *in)
{
    return in->len - in->start;
}

void bo_inbuf_reset(bo_inbuf *in)
{
    in->len = in->start = 0;
}

void bo_inbuf_free(bo_inbuf *in)
{
    free(in->p);
    memset(in, 0, sizeof *in);
}
