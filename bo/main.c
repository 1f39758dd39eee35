/*
 * main.c — the `bo` command: dispatches to one cli_*.c per subcommand.
 * Only the command layer prints and exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bo/bo.h"
#include "cli.h"
#include "runner.h"

static const char help[] =
    "usage: bo COMMAND [ARGS]\n"
    "\n"
    "Bayesian-optimization tuning.\n"
    "\n"
    "commands:\n"
    "  run SPEC.json      run a study (bo run --help)\n"
    "  resume FILE.db     continue an interrupted study\n"
    "  show FILE.db       the best trial, counts by state, the trials\n"
    "  export FILE.db     all trials as CSV or JSON on standard output\n"
    "  compare SPEC.json... --out DIR\n"
    "                     strategies x objectives x seeds, with tables\n"
    "  plugin check PATH|NAME\n"
    "                     load an objective in a worker, evaluate it once\n"
    "  --version          print the version\n"
    "\n"
    "Exit status: 0 ok, 1 runtime failure, 2 usage or spec error.\n";

/* Runs command `cmd`; its exit status. */
static int command(const char *cmd, int argc, char **argv)
{
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        strcmp(cmd, "help") == 0) {
        fputs(help, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("bo %s\n", BO_VERSION_STRING);
        return 0;
    }
    if (strcmp(cmd, "run") == 0)
        return bo_cli_run(argc - 2, argv + 2);
    if (strcmp(cmd, "resume") == 0)
        return bo_cli_resume(argc - 2, argv + 2);
    if (strcmp(cmd, "show") == 0)
        return bo_cli_show(argc - 2, argv + 2);
    if (strcmp(cmd, "export") == 0)
        return bo_cli_export(argc - 2, argv + 2);
    if (strcmp(cmd, "compare") == 0)
        return bo_cli_compare(argc - 2, argv + 2);
    if (strcmp(cmd, "plugin") == 0)
        return bo_cli_plugin(argc - 2, argv + 2);
    fprintf(stderr, "bo: unknown command '%s' (see bo --help)\n", cmd);
    return 2;
}

/* Standard output is a pipe whose reader has closed it: an earlier write
 * failed with EPIPE (SIGPIPE ignored), and errno has moved on since. */
static int reader_gone(void)
{
    struct pollfd p = {.fd = STDOUT_FILENO, .events = POLLOUT};
    return poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
}

int main(int argc, char **argv)
{
    /* A closed standard stream would hand its number to the next file or
     * socket opened (a worker's channel as fd 1, written into by every
     * progress line): hold 0-2 open on /dev/null first. */
    for (int fd = 0; fd < 3; fd++)
        if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
            int nul = open("/dev/null", O_RDWR);
            if (nul >= 0 && nul != fd) {
                dup2(nul, fd);
                close(nul);
            }
        }
    if (argc < 2) {
        /* an error is one line; the list is --help's */
        fputs("bo: no command given: run, resume, show, export, compare or "
              "plugin (see bo --help)\n", stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "worker") == 0)
        return bo_worker_main(argc - 1, argv + 1);
    int rc = command(cmd, argc, argv);
    /* Output that could not be written (a full disk, a closed terminal)
     * is a failure the user must hear of; a reader that quit (| head) is
     * not. The study itself is safe either way. */
    errno = 0;
    if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)) &&
        errno != EPIPE && !reader_gone()) {
        int e = errno;
        fprintf(stderr, "bo: cannot write to standard output%s%s\n",
                e ? ": " : "", e ? strerror(e) : "");
        rc = 1;
    }
    return rc;
}
