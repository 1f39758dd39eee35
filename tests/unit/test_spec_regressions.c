/*
 * test_spec_regressions.c — replays every input kept in
 * tests/fuzz/regressions/ (inputs the fuzzer found, and hand-made edge
 * cases) through bo_spec_parse, under whatever sanitizers the build has.
 *
 * The expected outcome is in the file's name: "ok-*" must parse (and its
 * enqueued entries must encode through its own space), "einval-*" must be
 * refused with BO_EINVAL and one line starting with the file's path. A
 * companion "NAME.msg" holds words the message must contain. The folder
 * is found through BO_SOURCE_DIR, which ctest sets.
 */
#include "check.h"

#include "bo/bo.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *g = realloc(buf, cap * 2);
            if (!g) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = g;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[n < cap ? n : cap - 1] = '\0';
    *len = n;
    return buf;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void replay(const char *dir, const char *file)
{
    char path[8192];
    snprintf(path, sizeof path, "%.4000s/%.4000s", dir, file);
    size_t len;
    char *data = read_all(path, &len);
    CHECK(data != NULL);
    if (!data)
        return;
    bool want_ok = strncmp(file, "ok-", 3) == 0;
    bo_spec *s = NULL;
    bo_error err = {0, ""};
    int rc = bo_spec_parse(data, len, path, &s, &err);
    if (want_ok ? rc != BO_OK : rc != BO_EINVAL)
        fprintf(stderr, "%s: got %d: %s\n", file, rc, err.message);
    if (want_ok) {
        CHECK(rc == BO_OK);
        for (size_t i = 0; s && s->space && i < s->n_enqueue; i++) {
            double *u = calloc(bo_space_dim(s->space), sizeof *u);
            CHECK(bo_spec_enqueued(s, s->space, i, u, &err) == BO_OK);
            free(u);
        }
    } else {
        CHECK(rc == BO_EINVAL);
        CHECK(s == NULL);
        CHECK(strncmp(err.message, path, strlen(path)) == 0);
        CHECK(strchr(err.message, '\n') == NULL);
        char msg_path[8300];
        snprintf(msg_path, sizeof msg_path, "%.8100s.msg", path);
        size_t mlen;
        char *want = read_all(msg_path, &mlen);
        if (want) {
            want[strcspn(want, "\n")] = '\0';
            CHECK_STR_CONTAINS(err.message, want);
            free(want);
        }
    }
    bo_spec_free(s);
    free(data);
}

/* Every input in the folder, in name order; the folder is not empty. */
static void test_replay_regressions(void)
{
    const char *src = getenv("BO_SOURCE_DIR");
    CHECK(src != NULL);
    if (!src)
        return;
    char dir[4096];
    snprintf(dir, sizeof dir, "%.3000s/tests/fuzz/regressions", src);
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *nm = e->d_name;
        if (nm[0] == '.' || ends_with(nm, ".msg"))
            continue;
        CHECK(strncmp(nm, "ok-", 3) == 0 || strncmp(nm, "einval-", 7) == 0);
        char **g = realloc(names, (n + 1) * sizeof *names);
        if (!g)
            break;
        names = g;
        names[n++] = strdup(nm);
    }
    closedir(d);
    CHECK(n >= 10);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        replay(dir, names[i]);
        free(names[i]);
    }
    free(names);
    printf("replayed %zu inputs\n", n);
}

int main(void)
{
    test_replay_regressions();
    return check_summary();
}
