/* cli_show.c — `bo show` and `bo export`: a stored study as text. */
#include "cli.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "export.h"

static const char show_help[] =
    "usage: bo show FILE.db [--json]\n"
    "\n"
    "The study: its best trial, counts by state and every trial. Works on\n"
    "a study that a `bo run` is still writing.\n";

static const char export_help[] =
    "usage: bo export FILE.db [--format csv|json]\n"
    "\n"
    "Every trial on standard output. CSV columns: trial,state,loss,cost_s,\n"
    "one per parameter, one metric.NAME per metric, then wall_s,\n"
    "started_at,finished_at,seed,message,origin. Numbers are exact (%.17g).\n";

int bo_cli_show(int argc, char **argv)
{
    const char *path = NULL;
    int json = 0;
    int i = 0, rc;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(show_help, stdout);
            return 0;
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return bo_cli_usage("show", "unknown option '%s'", argv[i]);
        } else if ((rc = bo_cli_take_one("show", &path, argv[i]))) {
            return rc;
        }
    }
    for (i++; i < argc; i++) /* after "--" */
        if ((rc = bo_cli_take_one("show", &path, argv[i])))
            return rc;
    if (!path)
        return bo_cli_usage("show", "missing FILE.db");
    /* A reader that quits early (| head) is not an error worth a line. */
    signal(SIGPIPE, SIG_DFL);
    bo_error err = {0};
    rc = bo_show_study(path, json, stdout, &err);
    return rc ? bo_cli_fail(&err, rc) : 0;
}

int bo_cli_export(int argc, char **argv)
{
    const char *path = NULL;
    int format = BO_EXPORT_CSV;
    int i = 0, rc;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *v;
        int m;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(export_help, stdout);
            return 0;
        } else if ((m = bo_cli_option(argc, argv, &i, "format", &v)) != 0) {
            if (m < 0)
                return bo_cli_usage("export", "--format wants csv or json");
            if (!strcmp(v, "csv"))
                format = BO_EXPORT_CSV;
            else if (!strcmp(v, "json"))
                format = BO_EXPORT_JSON;
            else
                return bo_cli_usage("export", "unknown format '%s' (csv or json)", v);
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return bo_cli_usage("export", "unknown option '%s'", argv[i]);
        } else if ((rc = bo_cli_take_one("export", &path, argv[i]))) {
            return rc;
        }
    }
    for (i++; i < argc; i++) /* after "--" */
        if ((rc = bo_cli_take_one("export", &path, argv[i])))
            return rc;
    if (!path)
        return bo_cli_usage("export", "missing FILE.db");
    signal(SIGPIPE, SIG_DFL);
    bo_error err = {0};
    rc = bo_export_study(path, format, stdout, &err);
    return rc ? bo_cli_fail(&err, rc) : 0;
}
