/*
 * utf8.h — text that objectives give (messages, metric names, stderr) kept
 * valid UTF-8 where bo cuts or stores it: a cut lands between characters,
 * and a byte that starts no valid character (RFC 3629: no overlong forms,
 * no surrogates, nothing past U+10FFFF) shows as '?'. Otherwise a message
 * cut at a byte count breaks the JSON export for strict readers.
 *
 * Header-only (static inline): the program plugin, built apart from
 * libbo, uses it too.
 */
#ifndef BO_UTF8_H
#define BO_UTF8_H

#include <stddef.h>
#include <string.h>

/* Length of the valid character at s (1 to 4 bytes, n available), or 0. */
static inline size_t bo_utf8_char_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len = c >= 0xC2 && c <= 0xDF   ? 2
                 : c >= 0xE0 && c <= 0xEF ? 3
                 : c >= 0xF0 && c <= 0xF4 ? 4
                                          : 0;
    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    unsigned c1 = s[1];
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) ||
        (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F))
        return 0;
    return len;
}

/* How many of s's first len bytes are valid UTF-8 before the first byte
 * that starts no valid character (len when all are). */
static inline size_t bo_utf8_valid_prefix(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, n;
    while (i < len && (n = bo_utf8_char_len(p + i, len - i)) > 0)
        i += n;
    return i;
}

/* The largest k <= len at which s (at least len + 1 bytes readable, or
 * len == strlen(s)) can be cut without splitting a character. */
static inline size_t bo_utf8_cut(const char *s, size_t len)
{
    size_t k = len;
    while (k > 0 && len - k < 3 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    return k;
}

/* Characters in s (its continuation bytes not counted): the columns it
 * takes on a terminal, wide East Asian characters aside. */
static inline size_t bo_utf8_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* In place: each byte that starts no valid character becomes '?', except
 * an incomplete character at the very end (a cut), which is dropped. */
static inline void bo_utf8_repair(char *s)
{
    unsigned char *p = (unsigned char *)s;
    size_t n = 0;
    while (p[n])
        n++;
    size_t i = 0;
    while (i < n) {
        size_t len = bo_utf8_char_len(p + i, n - i);
        if (len) {
            i += len;
            continue;
        }
        /* an incomplete tail: a lead byte and only continuations after */
        size_t j = i + 1;
        while (j < n && (p[j] & 0xC0) == 0x80)
            j++;
        if (j == n && p[i] >= 0xC2 && p[i] <= 0xF4 && n - i < 4) {
            p[i] = '\0';
            return;
        }
        p[i++] = '?';
    }
}

/* A control character (C0 or DEL): what bo never lets an objective's or
 * a spec's text bring into a line, a column or a terminal. */
static inline int bo_text_is_control(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}

/* Whether s (NUL-ended) starts with a C1 control, U+0080 to U+009F, in
 * UTF-8 (0xC2 0x80 to 0xC2 0x9F): U+009B is the terminals' one-byte CSI. */
static inline int bo_text_is_c1(const char *s)
{
    return (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] >= 0x80 &&
           (unsigned char)s[1] <= 0x9F;
}

/* 1 when s is valid UTF-8 without control characters: what a name or a
 * choice must be, as it becomes a column, a CSV field and JSON text. */
static inline int bo_text_is_clean(const char *s)
{
    size_t n = strlen(s);
    if (bo_utf8_valid_prefix(s, n) < n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (bo_text_is_control((unsigned char)s[i]) || bo_text_is_c1(s + i))
            return 0;
    return 1;
}

/* s's control characters (C0, DEL and C1), in place, become repl (a C1
 * one, two bytes, twice). Returns s. */
static inline char *bo_text_printable(char *s, char repl)
{
    for (char *c = s; *c; c++)
        if (bo_text_is_c1(c))
            c[0] = c[1] = repl;
        else if (bo_text_is_control((unsigned char)*c))
            *c = repl;
    return s;
}

/* At most max bytes of s (cut between characters) into out (len >= 8),
 * control characters as '?', "..." where cut: text quoted in a message. */
static inline void bo_text_excerpt(const char *s, size_t max, char *out,
                                   size_t len)
{
    if (max > len - 4)
        max = len - 4;
    size_t n = 0;
    while (n < max && s[n])
        n++;
    int cut = s[n] != '\0';
    if (cut)
        n = bo_utf8_cut(s, n);
    memcpy(out, s, n);
    out[n] = '\0';
    bo_text_printable(out, '?');
    if (cut) {
        out[n++] = '.';
        out[n++] = '.';
        out[n++] = '.';
    }
    out[n] = '\0';
}

#endif
