/* cli_common.c — helpers shared by the subcommands (see cli.h). */
#include "cli.h"
#include "utf8.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int bo_cli_fail(const bo_error *err, int rc)
{
    /* a file's name may hold an escape sequence: not for the terminal */
    char line[sizeof err->message];
    snprintf(line, sizeof line, "%s", err->message[0] ? err->message : "failed");
    fprintf(stderr, "bo: %s\n", bo_text_printable(line, '?'));
    /* a file the command line or the spec names that is not there is the
     * user's to fix, as a mistyped option is */
    return rc == BO_EINVAL || rc == BO_ENOTFOUND ? 2 : 1;
}

int bo_cli_usage(const char *cmd, const char *fmt, ...)
{
    /* Under a launcher every rank parses the same line: rank 0 says what
     * is wrong with it. The other ranks give it time to: the launcher ends
     * the whole job at the first non-zero exit, which could otherwise be
     * theirs, before rank 0 has written a word. Rank 0's exit ends their
     * wait; the time limit only matters if rank 0 was given another line. */
    if (bo_cli_mpi_rank() > 0) {
        struct timespec wait = {20, 0};
        while (nanosleep(&wait, &wait) != 0 && errno == EINTR)
            ;
        return 2;
    }
    /* the line may quote an argument: not for the terminal as it is */
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "bo %s: %s (see bo %s --help)\n", cmd,
            bo_text_printable(line, '?'), cmd);
    return 2;
}

int bo_cli_option(int argc, char **argv, int *i, const char *name,
                  const char **value)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, "--", 2) != 0 || strncmp(a + 2, name, n) != 0)
        return 0;
    if (a[2 + n] == '=') {
        *value = a + 3 + n;
        return 1;
    }
    if (a[2 + n] != '\0')
        return 0;
    /* "--out --seeds 2" forgot the folder: a value that looks like the
     * next option is one ("--out=--x" still gives such a value) */
    if (*i + 1 >= argc || (strncmp(argv[*i + 1], "--", 2) == 0 &&
                           argv[*i + 1][2] != '\0'))
        return -1;
    *value = argv[++*i];
    return 1;
}

int bo_cli_int(const char *text, int64_t lo, int64_t hi, int64_t *out)
{
    /* digits, with a leading '-' at most: strtoll would also take
     * spaces and a '+' ("--trials ' 3'") */
    const char *d = text + (text[0] == '-');
    if (*d < '0' || *d > '9')
        return -1;
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = (int64_t)v;
    return 0;
}

int bo_cli_take_one(const char *cmd, const char **slot, const char *arg)
{
    if (*slot)
        return bo_cli_usage(cmd, "unexpected argument '%s'", arg);
    *slot = arg;
    return 0;
}

static const char *g_interrupt_msg;
static size_t g_interrupt_len;

static void interrupted(int sig)
{
    /* async-signal-safe: write and raise only */
    ssize_t w = write(STDERR_FILENO, g_interrupt_msg, g_interrupt_len);
    (void)w;
    signal(sig, SIG_DFL);
    raise(sig);
}

void bo_cli_on_interrupt(const char *message)
{
    g_interrupt_msg = message;
    g_interrupt_len = strlen(message);
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = interrupted;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaddset(&sa.sa_mask, sigs[i]); /* one message, not one each */
    sa.sa_flags = SA_RESETHAND;
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        /* an ignored signal stays ignored: `nohup bo run &` survives a
         * logout, a background job in a script survives Ctrl-C */
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(sigs[i], &sa, NULL);
    }
}

int bo_cli_mpi_rank(void)
{
    /* Told by the launcher's environment, so that a plain `bo run` never
     * initializes MPI (slow and noisy as a singleton). */
    static const char *const vars[] = {"OMPI_COMM_WORLD_RANK", "PMIX_RANK",
                                       "PMI_RANK"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv(vars[i]);
        if (v) {
            int rank = atoi(v);
            return rank > 0 ? rank : 0;
        }
    }
    return -1;
}
