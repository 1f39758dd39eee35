/*
 * test_loader.c — the plugin loader and the path rules (loader.h,
 * bo_path_* in runner.h), against the test plugins in BUILD/tests/plugins
 * and the stock ones in the objectives folder. Each broken plugin must be
 * refused with one line that names its path.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "error.h"
#include "loader.h"
#include "runner.h"

/* Short enough that every path built from them fits a PATH_MAX buffer. */
static char g_build[1024];
static char g_tmp[1024];

static void test_plugin_path(const char *name, char *buf, size_t len)
{
    snprintf(buf, len, "%s/tests/plugins/%s.so", g_build, name);
}

static int one_line(const char *s)
{
    return s[0] && !strchr(s, '\n');
}

/* A good plugin loads; its descriptor is what hostile.c declares. */
static void test_loads_good_plugin(void)
{
    char path[PATH_MAX];
    test_plugin_path("hostile", path, sizeof path);
    bo_plugin *p = NULL;
    bo_error err = {0};
    CHECK(bo_plugin_open(path, &p, &err) == BO_OK);
    if (!p)
        return;
    CHECK(strcmp(p->desc.name, "hostile") == 0);
    CHECK(p->desc.n_space == 2);
    CHECK(p->desc.instance_space == NULL);
    const bo_param_spec *sp = NULL;
    uint32_t n = 0;
    CHECK(bo_plugin_space(p, NULL, &sp, &n, &err) == BO_OK);
    CHECK(n == 2 && sp && strcmp(sp[1].name, "x") == 0);
    bo_plugin_close(p);
}

/* A missing file: ENOENT's text and the path. */
static void test_missing_file(void)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/no-such-plugin.so", g_tmp);
    bo_plugin *p = NULL;
    bo_error err = {0};
    CHECK(bo_plugin_open(path, &p, &err) == BO_ENOTFOUND);
    CHECK(p == NULL);
    CHECK_STR_CONTAINS(err.message, path);
    CHECK_STR_CONTAINS(err.message, "No such file");
    CHECK(one_line(err.message));
}

/* A text file named .so, made here: dlopen refuses it. */
static void test_text_file_named_so(void)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/notes.so", g_tmp);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("this is not a shared object\nsecond line\n", f);
    fclose(f);
    bo_plugin *p = NULL;
    bo_error err = {0};
    CHECK(bo_plugin_open(path, &p, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, path);
    CHECK_STR_CONTAINS(err.message, "not a loadable shared object");
    CHECK(one_line(err.message));
}

/* A shared object without the entry symbol. */
static void test_missing_symbol(void)
{
    char path[PATH_MAX];
    test_plugin_path("no_entry", path, sizeof path);
    bo_plugin *p = NULL;
    bo_error err = {0};
    CHECK(bo_plugin_open(path, &p, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, path);
    CHECK_STR_CONTAINS(err.message, "no symbol 'bo_objective_entry'");
    CHECK(one_line(err.message));
}

/* A plugin for ABI 99 is refused naming both versions, although its
 * struct_size (7) and name pointer (0x1) are garbage: the version is
 * checked first, so those are never read. */
static void test_version_mismatch(void)
{
    char path[PATH_MAX];
    test_plugin_path("bad_abi", path, sizeof path);
    bo_plugin *p = NULL;
    bo_error err = {0};
    CHECK(bo_plugin_open(path, &p, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, path);
    CHECK_STR_CONTAINS(err.message, "ABI version 99");
    CHECK_STR_CONTAINS(err.message, "ABI version 1");
    CHECK(one_line(err.message));
}

/* A directory is not a plugin either. */
static void test_directory(void)
{
    bo_plugin *p = NULL;
    bo_error err = {0};
    CHECK(bo_plugin_open(g_tmp, &p, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, g_tmp);
    CHECK(one_line(err.message));
}

/* instance_space wins over the descriptor's space: the synthetic
 * objective's Ackley in 3 dimensions has x0, x1, x2 (synthetic.c). */
static void test_instance_space(void)
{
    char dir[1024], path[PATH_MAX];
    bo_error err = {0};
    CHECK(bo_path_objectives_dir(dir, sizeof dir, &err) == BO_OK);
    snprintf(path, sizeof path, "%s/synthetic.so", dir);
    bo_plugin *p = NULL;
    CHECK(bo_plugin_open(path, &p, &err) == BO_OK);
    if (!p) {
        fprintf(stderr, "%s\n", err.message);
        return;
    }
    CHECK(p->desc.instance_space != NULL);
    void *inst = NULL;
    char msg[BO_MESSAGE_MAX];
    CHECK(p->desc.create("{\"function\": \"ackley\", \"dim\": 3}", &inst, msg,
                         sizeof msg) == 0);
    const bo_param_spec *sp = NULL;
    uint32_t n = 0;
    CHECK(bo_plugin_space(p, inst, &sp, &n, &err) == BO_OK);
    CHECK(n == 3);
    if (n == 3)
        CHECK(strcmp(sp[2].name, "x2") == 0);
    if (inst)
        p->desc.destroy(inst);
    bo_plugin_close(p);
}

/* The build tree mirrors the install tree: BUILD/tests/test_loader finds
 * BUILD/<libdir>/bo/objectives, which holds synthetic.so and program.so. */
static void test_objectives_dir(void)
{
    char exe[PATH_MAX], dir[PATH_MAX];
    bo_error err = {0};
    CHECK(bo_path_self_exe(exe, sizeof exe, &err) == BO_OK);
    CHECK_STR_CONTAINS(exe, "/tests/test_loader");
    CHECK(bo_path_objectives_dir(dir, sizeof dir, &err) == BO_OK);
    CHECK(strncmp(dir, g_build, strlen(g_build)) == 0);
    CHECK_STR_CONTAINS(dir, "/bo/objectives");
}

/* A name resolves inside the objectives folder only. */
static void test_resolve_name(void)
{
    char path[PATH_MAX], dir[1024];
    bo_error err = {0};
    CHECK(bo_path_objectives_dir(dir, sizeof dir, &err) == BO_OK);
    CHECK(bo_path_resolve_plugin("synthetic", "/somewhere", path, sizeof path,
                                 &err) == BO_OK);
    char want[PATH_MAX + 32];
    snprintf(want, sizeof want, "%s/synthetic.so", dir);
    CHECK(strcmp(path, want) == 0);

    /* Unknown: one line listing what there is. */
    CHECK(bo_path_resolve_plugin("nosuch", NULL, path, sizeof path, &err) ==
          BO_ENOTFOUND);
    CHECK_STR_CONTAINS(err.message, "'nosuch'");
    CHECK_STR_CONTAINS(err.message, "program");
    CHECK_STR_CONTAINS(err.message, "synthetic");
    CHECK(one_line(err.message));

    /* No climbing out, no hidden files. */
    CHECK(bo_path_resolve_plugin("..", NULL, path, sizeof path, &err) == BO_EINVAL);
    CHECK(bo_path_resolve_plugin(".synthetic", NULL, path, sizeof path, &err) ==
          BO_EINVAL);
}

/* A path with '/' is relative to the spec's folder; it must exist. */
static void test_resolve_path(void)
{
    char path[PATH_MAX], want[PATH_MAX];
    bo_error err = {0};
    CHECK(bo_path_resolve_plugin("plugins/hostile.so", g_build, path,
                                 sizeof path, &err) == BO_ENOTFOUND);
    CHECK_STR_CONTAINS(err.message, "plugins/hostile.so");
    char tests_dir[1100];
    snprintf(tests_dir, sizeof tests_dir, "%s/tests", g_build);
    CHECK(bo_path_resolve_plugin("plugins/hostile.so", tests_dir, path,
                                 sizeof path, &err) == BO_OK);
    snprintf(want, sizeof want, "%s/plugins/hostile.so", tests_dir);
    CHECK(strcmp(path, want) == 0);
    CHECK(bo_path_resolve_plugin("/abs/none.so", tests_dir, path, sizeof path,
                                 &err) == BO_ENOTFOUND);
    CHECK_STR_CONTAINS(err.message, "/abs/none.so");
}

/* BO_OBJECTIVES_DIR replaces the folder. */
static void test_objectives_env(void)
{
    char path[PATH_MAX], want[PATH_MAX];
    snprintf(want, sizeof want, "%s/mine.so", g_tmp);
    FILE *f = fopen(want, "w");
    if (f)
        fclose(f);
    setenv("BO_OBJECTIVES_DIR", g_tmp, 1);
    bo_error err = {0};
    CHECK(bo_path_resolve_plugin("mine", NULL, path, sizeof path, &err) == BO_OK);
    CHECK(strcmp(path, want) == 0);
    CHECK(bo_path_resolve_plugin("synthetic", NULL, path, sizeof path, &err) ==
          BO_ENOTFOUND);
    CHECK_STR_CONTAINS(err.message, "available: mine");
    unsetenv("BO_OBJECTIVES_DIR");
    unlink(want);
}

int main(void)
{
    const char *b = getenv("BO_BUILD_DIR");
    if (!b) {
        fprintf(stderr, "BO_BUILD_DIR is not set (run through ctest)\n");
        return 1;
    }
    snprintf(g_build, sizeof g_build, "%s", b);
    snprintf(g_tmp, sizeof g_tmp, "/tmp/bo-test-loader.XXXXXX");
    if (!mkdtemp(g_tmp)) {
        perror("mkdtemp");
        return 1;
    }
    test_loads_good_plugin();
    test_missing_file();
    test_text_file_named_so();
    test_missing_symbol();
    test_version_mismatch();
    test_directory();
    test_instance_space();
    test_objectives_dir();
    test_resolve_name();
    test_resolve_path();
    test_objectives_env();

    char notes[PATH_MAX + 16];
    snprintf(notes, sizeof notes, "%s/notes.so", g_tmp);
    unlink(notes);
    rmdir(g_tmp);
    return check_summary();
}
