/*
 * test_utf8.c — utf8.h against characters worked out by hand from RFC
 * 3629's table (well-formed byte sequences) and the cuts a message meets.
 */
#include <string.h>

#include "check.h"
#include "utf8.h"

static size_t clen(const char *s, size_t n)
{
    return bo_utf8_char_len((const unsigned char *)s, n);
}

static int repaired(const char *in, const char *want)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", in);
    bo_utf8_repair(buf);
    if (strcmp(buf, want) == 0)
        return 1;
    fprintf(stderr, "repair: got '%s', want '%s'\n", buf, want);
    return 0;
}

int main(void)
{
    /* one character of each length */
    CHECK(clen("a", 1) == 1);
    CHECK(clen("\xC3\xA9", 2) == 2);          /* U+00E9 */
    CHECK(clen("\xE2\x82\xAC", 3) == 3);      /* U+20AC */
    CHECK(clen("\xF0\x9F\x98\x80", 4) == 4);  /* U+1F600 */
    CHECK(clen("\xF4\x8F\xBF\xBF", 4) == 4);  /* U+10FFFF, the last */
    /* not well-formed: overlong forms, surrogates, past U+10FFFF, a lone
     * continuation, a lead byte without its continuations */
    CHECK(clen("\xC0\x80", 2) == 0);
    CHECK(clen("\xC1\xBF", 2) == 0);
    CHECK(clen("\xE0\x80\x80", 3) == 0);
    CHECK(clen("\xF0\x80\x80\x80", 4) == 0);
    CHECK(clen("\xED\xA0\x80", 3) == 0);      /* U+D800 */
    CHECK(clen("\xED\x9F\xBF", 3) == 3);      /* U+D7FF is fine */
    CHECK(clen("\xF4\x90\x80\x80", 4) == 0);  /* U+110000 */
    CHECK(clen("\xF5\x80\x80\x80", 4) == 0);
    CHECK(clen("\x80", 1) == 0);
    CHECK(clen("\xE2\x82", 2) == 0);
    CHECK(clen("\xE2\x82x", 3) == 0);

    /* cuts land between characters */
    const char *s = "a\xC3\xA9" "b\xE2\x82\xAC";  /* a é b € : 7 bytes */
    CHECK(bo_utf8_cut(s, 0) == 0);
    CHECK(bo_utf8_cut(s, 1) == 1);
    CHECK(bo_utf8_cut(s, 2) == 1);  /* inside é */
    CHECK(bo_utf8_cut(s, 3) == 3);
    CHECK(bo_utf8_cut(s, 5) == 4);  /* inside € */
    CHECK(bo_utf8_cut(s, 6) == 4);
    CHECK(bo_utf8_cut(s, 7) == 7);
    /* bytes that are all continuations: at most 3 steps back */
    CHECK(bo_utf8_cut("\x80\x80\x80\x80\x80\x80", 5) == 2);

    /* width: characters, not bytes */
    CHECK(bo_utf8_width("") == 0);
    CHECK(bo_utf8_width("relu") == 4);
    CHECK(bo_utf8_width("\xC3\xA9lu") == 3);
    CHECK(bo_utf8_width("\xF0\x9F\x98\x80!") == 2);

    /* repair: a cut character at the end goes, any other bad byte is ? */
    CHECK(repaired("plain", "plain"));
    CHECK(repaired("\xC3\xA9t\xC3\xA9", "\xC3\xA9t\xC3\xA9"));
    CHECK(repaired("ab\xC3", "ab"));
    CHECK(repaired("ab\xF0\x9F\x98", "ab"));
    CHECK(repaired("a\xFF" "b", "a?b"));
    CHECK(repaired("x\x80", "x?"));
    CHECK(repaired("\xED\xA0\x80x", "???x"));
    CHECK(repaired("\xC3(\xC3\xA9", "?(\xC3\xA9"));
    CHECK(repaired("\xC0\x80", "??"));
    CHECK(repaired("", ""));

    /* clean text: UTF-8 without C0, DEL or C1 controls (U+0085, U+009B
     * are C2 85, C2 9B; U+00A0 and U+0100 (C2 A0, C4 80) are letters) */
    CHECK(bo_text_is_clean("lr") && bo_text_is_clean("\xCE\xBB") &&
          bo_text_is_clean(""));
    CHECK(bo_text_is_clean("a\xC2\xA0" "b") && bo_text_is_clean("\xC4\x80"));
    CHECK(!bo_text_is_clean("a\tb") && !bo_text_is_clean("a\x7f"));
    CHECK(!bo_text_is_clean("x\xC2\x9B" "31m") && !bo_text_is_clean("\xC2\x85"));
    CHECK(!bo_text_is_clean("caf\xE9") && !bo_text_is_clean("\xC2"));
    char p1[] = "a\x1b[1m\xC2\x9B" "2J\xC2\xA0z\x7f";
    CHECK(strcmp(bo_text_printable(p1, '?'), "a?[1m??2J\xC2\xA0z?") == 0);
    char ex[32];
    bo_text_excerpt("x\xC2\x9B" "31m tail", 6, ex, sizeof ex);
    CHECK(strcmp(ex, "x??31m...") == 0);
    return check_summary();
}
