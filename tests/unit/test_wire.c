/*
 * test_wire.c — the worker protocol's value encoding: every member of a
 * value survives a round trip (a categorical choice that reads as a
 * number keeps its text), and malformed payloads are refused.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "wire.h"

static void test_round_trip(void)
{
    const bo_value in[] = {
        {.name = "lr", .type = BO_VALUE_DOUBLE, .d = 0.001},
        {.name = "layers", .type = BO_VALUE_INT, .i = 3, .d = 3.0},
        /* categorical choices "16" and "2.5": numbers with their text */
        {.name = "batch", .type = BO_VALUE_INT, .i = 16, .d = 16.0, .s = "16"},
        {.name = "ratio", .type = BO_VALUE_DOUBLE, .d = 2.5, .s = "2.5"},
        {.name = "act", .type = BO_VALUE_STRING, .s = "r\xC3\xA9lu"},
    };
    size_t n_in = sizeof in / sizeof *in;
    bo_wbuf b = {0};
    bo_wbuf_begin(&b, BO_MSG_TRIAL);
    bo_wbuf_values(&b, in, n_in);
    CHECK(!b.bad);
    bo_rbuf r = {.p = b.p + BO_WIRE_HEADER, .len = b.len - BO_WIRE_HEADER};
    size_t n = 0;
    bo_value *out = bo_rbuf_values(&r, &n);
    CHECK(out && n == n_in && !r.bad && r.pos == r.len);
    for (size_t i = 0; out && i < n; i++) {
        CHECK(strcmp(out[i].name, in[i].name) == 0);
        CHECK(out[i].type == in[i].type);
        CHECK(out[i].d == in[i].d);
        CHECK(out[i].i == in[i].i);
        CHECK((out[i].s == NULL) == (in[i].s == NULL));
        CHECK(!in[i].s || (out[i].s && strcmp(out[i].s, in[i].s) == 0));
    }
    free(out);

    /* every cut of the payload is refused, none reads past it */
    for (size_t cut = 0; cut + BO_WIRE_HEADER < b.len; cut++) {
        bo_rbuf t = {.p = b.p + BO_WIRE_HEADER, .len = cut};
        size_t m = 7;
        bo_value *v = bo_rbuf_values(&t, &m);
        CHECK(v == NULL && m == 0 && t.bad);
    }
    bo_wbuf_free(&b);
}

static void test_refuses(void)
{
    /* a string value without its text, an unknown type */
    const bo_value bad[][1] = {
        {{.name = "a", .type = BO_VALUE_STRING, .s = NULL}},
        {{.name = "a", .type = 9, .d = 1}},
    };
    for (size_t k = 0; k < 2; k++) {
        bo_wbuf b = {0};
        bo_wbuf_begin(&b, BO_MSG_TRIAL);
        bo_wbuf_values(&b, bad[k], 1);
        CHECK(b.bad);
        bo_wbuf_free(&b);
    }
    /* a count far past what the payload can hold */
    uint8_t p[8] = {0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0};
    bo_rbuf r = {.p = p, .len = sizeof p};
    size_t n = 1;
    CHECK(bo_rbuf_values(&r, &n) == NULL && n == 0 && r.bad);
}

int main(void)
{
    test_round_trip();
    test_refuses();
    return check_summary();
}
