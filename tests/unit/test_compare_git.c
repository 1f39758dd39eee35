/*
 * test_compare_git.c — what a comparison's manifest says of the source
 * tree (compare_manifest.c, bo_compare_git_state), on a git tree made
 * here: its commit, whether tracked files differ from it, and that the
 * comparison's own output folder, rewritten by the comparison itself, is
 * left out of that, taken literally (a folder "o*" hides nothing else).
 * Needs git; without it there is nothing to check, and it says so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "compare.h"

static char g_dir[256];

static int sh(const char *cmd)
{
    char full[1024];
    snprintf(full, sizeof full, "cd '%s' && (%s) >/dev/null 2>&1", g_dir, cmd);
    return system(full);
}

static void write_file(const char *rel, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", g_dir, rel);
    FILE *f = fopen(p, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void mkdir_in(const char *rel)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", g_dir, rel);
    CHECK(mkdir(p, 0755) == 0);
}

static int dirty_with(const char *out_rel)
{
    char out[512], commit[128] = "";
    snprintf(out, sizeof out, "%s/%s", g_dir, out_rel);
    int dirty = -2;
    CHECK(bo_compare_git_state(g_dir, out_rel ? out : NULL, commit,
                               sizeof commit, &dirty) == 0);
    CHECK(strlen(commit) == 40);
    return dirty;
}

int main(void)
{
    if (system("git --version >/dev/null 2>&1") != 0) {
        puts("git not found: nothing to check");
        return 0;
    }
    snprintf(g_dir, sizeof g_dir, "/tmp/bo-test-git.XXXXXX");
    if (!mkdtemp(g_dir))
        return perror("mkdtemp"), 1;
    mkdir_in("out");
    mkdir_in("o*");
    write_file("src.c", "int x;\n");
    write_file("other.c", "int y;\n");
    write_file("out/t.csv", "a\n");
    write_file("o*/t.csv", "a\n");
    CHECK(sh("git init -q . && git add -A && git -c user.name=t "
             "-c user.email=t@t commit -qm init") == 0);

    /* a directory that is no git tree: no commit */
    char commit[128];
    int dirty;
    CHECK(bo_compare_git_state("/", NULL, commit, sizeof commit, &dirty) == -1);

    CHECK(dirty_with(NULL) == 0);
    write_file("out/t.csv", "b\n");           /* the comparison's tables */
    CHECK(dirty_with(NULL) == 1);
    CHECK(dirty_with("out") == 0);            /* left out */
    write_file("src.c", "int x = 1;\n");      /* a source edited */
    CHECK(dirty_with("out") == 1);
    CHECK(sh("git checkout -q -- src.c out") == 0);
    /* "o*" is a name, not a pattern: other.c still counts */
    write_file("o*/t.csv", "b\n");
    CHECK(dirty_with("o*") == 0);
    write_file("other.c", "int y = 1;\n");
    CHECK(dirty_with("o*") == 1);
    /* an output folder outside the tree changes nothing (git would refuse
     * a pathspec outside it) */
    CHECK(bo_compare_git_state(g_dir, "/tmp", commit, sizeof commit,
                               &dirty) == 0 && dirty == 1);

    char rm[512];
    snprintf(rm, sizeof rm, "rm -rf '%s'", g_dir);
    CHECK(system(rm) == 0);
    return check_summary();
}
