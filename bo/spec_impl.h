/*
 * spec_impl.h — what the parts of the spec parser share (spec.c,
 * spec_json.c, spec_space.c, spec_enqueue.c). Private to libbo.
 *
 * Every check names the offending key by its path in the document
 * ("space[1].low", "enqueue[0].lr") and fails with one line
 * "FILE: KEY: what is wrong". Text that comes from the user (keys, names,
 * choices) goes into messages only through bo_spec_quote, so a message
 * stays one printable line whatever the spec holds.
 */
#ifndef BO_SPEC_IMPL_H
#define BO_SPEC_IMPL_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "bo/bo.h"

/* Longest key path kept in a message; longer ones are cut. */
#define BO_SPEC_KEY_MAX 256
/* Largest magnitude accepted for a bound or value: far from overflow when
 * the space subtracts or takes logs of bounds. */
#define BO_SPEC_NUMBER_MAX 1e300
/* Limits that keep a hostile spec from costing quadratic time. */
#define BO_SPEC_PARAMS_MAX 4096
#define BO_SPEC_CHOICES_MAX 4096

typedef struct bo_spec_ctx {
    const char *path; /* the spec's name in messages */
    bo_error *err;
} bo_spec_ctx;

/* One enqueued configuration: values named as written, strings owned. */
typedef struct bo_spec_entry {
    bo_value *values;
    size_t n;
} bo_spec_entry;

/* What bo_spec keeps behind internal_. */
typedef struct bo_spec_internal {
    bo_spec_entry *entries;
    size_t n_entries;
} bo_spec_internal;

/* ------------------------------------------------------ spec_json.c */

/* Fails with "PATH: KEY: message" (or "PATH: message" when key is NULL)
 * and returns BO_EINVAL. */
int bo_spec_fail(const bo_spec_ctx *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An out-of-memory failure naming the spec. */
int bo_spec_nomem(const bo_spec_ctx *c);

/* s made safe for a one-line message: control bytes become '?', and text
 * past ~60 bytes is cut with "...". Always NUL-terminates buf. */
void bo_spec_quote(const char *s, char *buf, size_t len);
/* "parent.child" (child quoted), or "child" when parent is NULL. */
void bo_spec_key(char *buf, size_t len, const char *parent, const char *child);
/* "parent[i]". */
void bo_spec_key_index(char *buf, size_t len, const char *parent, size_t i);

/* "a number", "a string", "an object", ... for "got X" messages. */
const char *bo_spec_kind(const cJSON *item);

/* item must be an object whose keys are all in `allowed` (NULL-ended),
 * each given once. */
int bo_spec_check_object(const bo_spec_ctx *c, const cJSON *item,
                         const char *key, const char *const *allowed);
/* A finite number with |x| <= BO_SPEC_NUMBER_MAX. */
int bo_spec_get_number(const bo_spec_ctx *c, const cJSON *item,
                       const char *key, double *out);
/* An integral number in [lo, hi] (both within +-2^53). */
int bo_spec_get_int(const bo_spec_ctx *c, const cJSON *item, const char *key,
                    int64_t lo, int64_t hi, int64_t *out);
/* A string of 1..max_len bytes without control characters; *out points
 * into the cJSON tree. */
int bo_spec_get_string(const bo_spec_ctx *c, const cJSON *item,
                       const char *key, size_t max_len, const char **out);
int bo_spec_get_bool(const bo_spec_ctx *c, const cJSON *item, const char *key,
                     bool *out);
/* The shortest text that reads back as exactly x ("32", "0.5", "1e-07");
 * -0 is written "0". buf needs 32 bytes. Categorical choices given as
 * numbers are stored as this text: it must not change. */
void bo_spec_number_text(double x, char *buf, size_t len);

/* ----------------------------------------------------- spec_space.c */

/* Parses "space" into a new space. */
int bo_spec_parse_space(const bo_spec_ctx *c, const cJSON *item,
                        bo_space **out);

/* ------------------------------------------------------------ spec.c */

/* Whether two spec texts, both accepted by bo_spec_parse (so without
 * duplicate keys), hold the same document: layout and key order aside.
 * A study remembers its spec's text; the same spec re-indented is still
 * the same study. */
bool bo_spec_same_text(const char *a, const char *b);
/* The same comparison, one top-level key at a time, leaving out the keys
 * in `skip`: 0 when the rest is the same, 1 when it differs (the first
 * differing key, in a's order then b's, into `key`, with the path below
 * it to the first difference: "strategy.initial", "space[1].high"), -1
 * when either text is not a JSON object. */
int bo_spec_first_difference(const char *a, const char *b,
                             const char *const *skip, size_t n_skip,
                             char *key, size_t key_len);

/* --------------------------------------------------- spec_enqueue.c */

/* Parses "enqueue" into in->entries (structure only). */
int bo_spec_parse_enqueue(const bo_spec_ctx *c, const cJSON *item,
                          bo_spec_internal *in);
/* Checks entry i against space and encodes it into u, failing with
 * "PATH: enqueue[i].NAME: ..." */
int bo_spec_encode_entry(const bo_spec_ctx *c, const bo_spec_internal *in,
                         const bo_space *space, size_t i, double *u);
void bo_spec_internal_free(bo_spec_internal *in);
/* For the study loop: writes enqueue[i]'s float values, exactly as the
 * user wrote them, over a decoded assignment (space order). */
void bo_spec_enqueued_exact(const bo_spec *spec, const bo_space *space,
                            size_t i, bo_value *values);

#endif
