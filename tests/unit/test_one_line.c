/*
 * test_one_line.c — bo_one_line against lines worked out by hand: what
 * fits, a plain message cut at its end, a stderr tail cut at its start
 * (the error is its last line), control characters, UTF-8 cuts.
 */
#include <string.h>

#include "check.h"
#include "one_line.h"

static int shows(const char *msg, size_t len, const char *want)
{
    char buf[256];
    memset(buf, 'Z', sizeof buf);
    bo_one_line(msg, buf, len);
    if (strcmp(buf, want) == 0 && strlen(buf) < len)
        return 1;
    fprintf(stderr, "one_line('%s', %zu): got '%s', want '%s'\n", msg, len,
            buf, want);
    return 0;
}

int main(void)
{
    /* fits: kept, control characters (a newline, an ESC sequence) as
     * spaces */
    CHECK(shows("", 32, ""));
    CHECK(shows("bad\nconfig\x1b[2J", 32, "bad config [2J"));
    CHECK(shows("exactly thirty-one bytes long!!", 32,
                "exactly thirty-one bytes long!!"));
    /* a plain message: its start, "..." in the last 3 of 31 bytes */
    CHECK(shows("exactly thirty-two bytes long!!!", 32,
                "exactly thirty-two bytes lon..."));
    /* a stderr tail: the head, then the tail's last bytes (39 - 16 - 3 =
     * 20 of them) */
    CHECK(shows("exit 1; stderr: Traceback | line 3 | KeyError: 'lr'", 40,
                "exit 1; stderr: ...e 3 | KeyError: 'lr'"));
    /* a head that leaves less than 16 bytes for the tail: cut as plain
     * text */
    CHECK(shows("exit 1; stderr: Traceback | line 3 | KeyError: 'lr'", 35,
                "exit 1; stderr: Traceback | lin..."));
    CHECK(shows("the program exited with status 1; stderr: E", 32,
                "the program exited with stat..."));
    /* cuts between characters: e-acute (2 bytes) across either cut */
    CHECK(shows("x; stderr: \xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 32,
                "x; stderr: ...\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                "\xC3\xA9\xC3\xA9\xC3\xA9"));
    CHECK(shows("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                "\xC3\xA9\xC3\xA9", 32,
                "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9..."));
    return check_summary();
}
