/* one_line.c — see one_line.h. */
#include "one_line.h"

#include <string.h>

#include "utf8.h"

#define TAIL_MARK "; stderr: "
/* bytes of a stderr tail worth keeping after "...", or the start is kept */
#define MIN_TAIL 16

/* Copies n bytes, control characters as spaces; returns the end. */
static char *put(char *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        *o++ = bo_text_is_control((unsigned char)s[i]) ? ' ' : s[i];
    return o;
}

void bo_one_line(const char *msg, char *out, size_t len)
{
    size_t n = strlen(msg), room = len - 1;
    char *o = out;
    const char *mark = strstr(msg, TAIL_MARK);
    if (n <= room) {
        o = put(o, msg, n);
    } else if (mark && (size_t)(mark - msg) + strlen(TAIL_MARK) + 3 +
                           MIN_TAIL <= room) {
        size_t head = (size_t)(mark - msg) + strlen(TAIL_MARK);
        o = put(o, msg, head);
        o = put(o, "...", 3);
        size_t keep = room - head - 3;
        const char *end = msg + n - keep;
        /* to the next character's start */
        while (*end && ((unsigned char)*end & 0xC0) == 0x80)
            end++;
        o = put(o, end, strlen(end));
    } else {
        o = put(o, msg, bo_utf8_cut(msg, room - 3));
        o = put(o, "...", 3);
    }
    *o = '\0';
}
