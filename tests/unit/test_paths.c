/*
 * test_paths.c — the edges of plugin name resolution (paths.c) that
 * test_loader.c's tour leaves out. The rule (bo/DESIGN.md "The study spec"):
 * a name without '/' is NAME.so inside the objectives folder and nowhere
 * else; anything with '/' is a path, relative to the spec's folder.
 * Every case works in a scratch folder given as BO_OBJECTIVES_DIR.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "error.h"
#include "runner.h"

static char g_tmp[256];   /* scratch: objectives/, spec/, cwd/ */
static char g_objs[512];  /* g_tmp/objectives, the BO_OBJECTIVES_DIR */

static void touch(const char *dir, const char *name)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    if (f)
        fclose(f);
}

static int resolve(const char *plugin, const char *spec_dir, char *out,
                   bo_error *err)
{
    return bo_path_resolve_plugin(plugin, spec_dir, out, PATH_MAX, err);
}

/* "" and NULL are not names: one line naming objective.plugin. */
static void test_empty(void)
{
    char path[PATH_MAX];
    bo_error err = {0};
    CHECK(resolve("", g_tmp, path, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "objective.plugin: empty name");
    CHECK(resolve(NULL, g_tmp, path, &err) == BO_EINVAL);
}

/* Names that could climb out, hide, or smuggle a separator are refused
 * before the folder is even looked at, even when such a file exists. */
static void test_refused_names(void)
{
    touch(g_objs, ".hidden.so");
    touch(g_objs, "a..b.so");
    static const char *const bad[] = {".hidden", ".", "..", "a..b",
                                      "sp ace", "back\\slash", "tab\tname",
                                      "caf\xc3\xa9", "semi;colon"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char path[PATH_MAX];
        bo_error err = {0};
        CHECK(resolve(bad[i], g_tmp, path, &err) == BO_EINVAL);
        CHECK_STR_CONTAINS(err.message, "is not a plugin name");
    }
}

/* NAME and NAME.so are the same objective. */
static void test_so_suffix(void)
{
    char a[PATH_MAX], b[PATH_MAX], want[PATH_MAX + 16];
    bo_error err = {0};
    touch(g_objs, "mine.so");
    CHECK(resolve("mine", NULL, a, &err) == BO_OK);
    CHECK(resolve("mine.so", NULL, b, &err) == BO_OK);
    snprintf(want, sizeof want, "%s/mine.so", g_objs);
    CHECK(strcmp(a, want) == 0);
    CHECK(strcmp(b, want) == 0);
    /* The suffix is not doubled, nor added twice. */
    CHECK(resolve("mine.so.so", NULL, b, &err) == BO_ENOTFOUND);
}

/* A name never finds a file in the working folder or the spec's folder,
 * only in the objectives folder. */
static void test_name_ignores_other_folders(void)
{
    char cwd[PATH_MAX], here[PATH_MAX], path[PATH_MAX];
    bo_error err = {0};
    snprintf(here, sizeof here, "%s/cwd", g_tmp);
    mkdir(here, 0755);
    touch(here, "local.so");
    if (!getcwd(cwd, sizeof cwd))
        cwd[0] = '\0';
    CHECK(chdir(here) == 0);
    CHECK(resolve("local", here, path, &err) == BO_ENOTFOUND);
    CHECK_STR_CONTAINS(err.message, "no objective 'local' in");
    CHECK_STR_CONTAINS(err.message, g_objs);
    /* With a '/', the same file is a path, and it is found. */
    CHECK(resolve("./local.so", here, path, &err) == BO_OK);
    if (cwd[0])
        CHECK(chdir(cwd) == 0);
}

/* "../x.so" contains '/': a path from the spec's folder, which may well
 * lie outside the objectives folder. That is the user's own file. */
static void test_dotdot_is_a_path(void)
{
    char spec[PATH_MAX], path[PATH_MAX], want[PATH_MAX * 2];
    bo_error err = {0};
    snprintf(spec, sizeof spec, "%s/spec", g_tmp);
    mkdir(spec, 0755);
    touch(g_tmp, "up.so");
    CHECK(resolve("../up.so", spec, path, &err) == BO_OK);
    snprintf(want, sizeof want, "%s/../up.so", spec);
    CHECK(strcmp(path, want) == 0);
    /* Not looked up in the objectives folder, even when a same-named file
     * sits there: "../mine.so" from the spec's folder does not exist. */
    CHECK(resolve("../mine.so", spec, path, &err) == BO_ENOTFOUND);
}

/* Something in the objectives folder that is not a regular file is not an
 * objective; a path naming a folder is refused as such. */
static void test_not_regular(void)
{
    char d[PATH_MAX], path[PATH_MAX];
    bo_error err = {0};
    snprintf(d, sizeof d, "%s/dir.so", g_objs);
    mkdir(d, 0755);
    CHECK(resolve("dir", NULL, path, &err) == BO_ENOTFOUND);
    CHECK(resolve(d, NULL, path, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "not a regular file");
    rmdir(d);
}

/* An empty BO_OBJECTIVES_DIR counts as unset: the folder next to the
 * executable (BUILD/lib/bo/objectives for this test). */
static void test_empty_env(void)
{
    char dir[PATH_MAX];
    bo_error err = {0};
    setenv("BO_OBJECTIVES_DIR", "", 1);
    CHECK(bo_path_objectives_dir(dir, sizeof dir, &err) == BO_OK);
    CHECK_STR_CONTAINS(dir, "/bo/objectives");
    CHECK(strcmp(dir, g_objs) != 0);
    setenv("BO_OBJECTIVES_DIR", g_objs, 1);
}

/* Paths cleaned by hand: repeated slashes and "." segments go, ".."
 * stays (a link may stand before it); absolute from a relative path. */
static void test_clean_and_absolute(void)
{
    static const char *const cases[][2] = {
        {"/a/./././b//c.so", "/a/b/c.so"}, {"./x", "x"}, {".", "."},
        {"././", "."}, {"/", "/"}, {"//", "/"}, {"/.", "/"}, {"a/", "a"},
        {"a/../b", "a/../b"}, {"..", ".."}, {".hidden/./f", ".hidden/f"},
        {"a/.b/..c", "a/.b/..c"}, {"", "."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char p[64];
        snprintf(p, sizeof p, "%s", cases[i][0]);
        bo_path_clean(p);
        if (strcmp(p, cases[i][1]) != 0)
            fprintf(stderr, "clean '%s': got '%s'\n", cases[i][0], p);
        CHECK(strcmp(p, cases[i][1]) == 0);
    }
    char cwd[PATH_MAX], got[PATH_MAX], want[PATH_MAX + 16];
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    /* the same file, however the relative path was written */
    snprintf(want, sizeof want, "%s/b/c.so", strcmp(cwd, "/") ? cwd : "");
    static const char *const forms[] = {"b/c.so", "./b/c.so", "././b/./c.so",
                                        ".//b//c.so"};
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        CHECK(bo_path_absolute(forms[i], got, sizeof got) == 0);
        CHECK(strcmp(got, want) == 0);
    }
    CHECK(bo_path_absolute(".", got, sizeof got) == 0);
    CHECK(strcmp(got, cwd) == 0);
}

static void cleanup(void)
{
    static const char *const files[] = {
        "objectives/.hidden.so", "objectives/a..b.so", "objectives/mine.so",
        "cwd/local.so", "up.so"};
    char p[PATH_MAX];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(p, sizeof p, "%s/%s", g_tmp, files[i]);
        unlink(p);
    }
    static const char *const dirs[] = {"objectives", "cwd", "spec"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        snprintf(p, sizeof p, "%s/%s", g_tmp, dirs[i]);
        rmdir(p);
    }
    rmdir(g_tmp);
}

int main(void)
{
    snprintf(g_tmp, sizeof g_tmp, "/tmp/bo-test-paths.XXXXXX");
    if (!mkdtemp(g_tmp)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(g_objs, sizeof g_objs, "%s/objectives", g_tmp);
    mkdir(g_objs, 0755);
    setenv("BO_OBJECTIVES_DIR", g_objs, 1);
    test_empty();
    test_refused_names();
    test_so_suffix();
    test_name_ignores_other_folders();
    test_dotdot_is_a_path();
    test_not_regular();
    test_empty_env();
    test_clean_and_absolute();
    cleanup();
    return check_summary();
}
