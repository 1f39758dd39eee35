/* objective_files.c — see objective_files.h. */
#include "objective_files.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "runner.h"

#define READ_MAX (64L << 20)

/* "crc32 XXXXXXXX, N bytes" of the regular file at path, or a size and
 * time for a big one; 0, or -1 when it is no readable regular file. */
static int describe(const char *path, char *out, size_t len)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return -1;
    if (st.st_size > READ_MAX) {
        snprintf(out, len, "%lld bytes, modified %lld", (long long)st.st_size,
                 (long long)st.st_mtime);
        return 0;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    uLong crc = crc32(0L, Z_NULL, 0);
    unsigned char buf[65536];
    ssize_t n;
    long long total = 0;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        crc = crc32(crc, buf, (uInt)n);
        total += n;
    }
    close(fd);
    if (n < 0)
        return -1;
    snprintf(out, len, "crc32 %08lx, %lld bytes", (unsigned long)crc, total);
    return 0;
}

/* Adds path (relative to dir unless absolute) when it is a file. */
static int add_file(cJSON *o, const char *dir, const char *path)
{
    char rel[PATH_MAX], abs[PATH_MAX], what[96];
    int n = path[0] == '/' ? snprintf(rel, sizeof rel, "%s", path)
                           : snprintf(rel, sizeof rel, "%s/%s", dir, path);
    if (n < 0 || (size_t)n >= sizeof rel ||
        bo_path_absolute(rel, abs, sizeof abs) != 0 ||
        describe(abs, what, sizeof what) != 0 ||
        cJSON_GetObjectItemCaseSensitive(o, abs))
        return 0;
    return cJSON_AddStringToObject(o, abs, what) ? 0 : -1;
}

char *bo_objective_files_json(const bo_spec *spec)
{
    cJSON *o = cJSON_CreateObject();
    int bad = !o;
    const char *dir = spec->dir ? spec->dir : ".";
    if (!bad && spec->plugin) {
        char path[PATH_MAX];
        bo_error ignored;
        if (bo_path_resolve_plugin(spec->plugin, dir, path, sizeof path,
                                   &ignored) == BO_OK)
            bad = add_file(o, ".", path) != 0;
    }
    for (size_t i = 0; !bad && spec->command && i < spec->n_command; i++) {
        const char *a = spec->command[i];
        /* the program only when named by a path: one found along PATH is
         * the system's */
        if (i == 0 && !strchr(a, '/'))
            continue;
        bad = add_file(o, dir, a) != 0;
    }
    char *text = bad ? NULL : cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}

/* The entry of `o` naming the same path as `name`, up to "." segments
 * and repeated slashes (studies made before paths were cleaned hold
 * ".../././build/obj.so"). */
static const cJSON *same_file_in(const cJSON *o, const char *name)
{
    char want[PATH_MAX], key[PATH_MAX];
    snprintf(want, sizeof want, "%s", name);
    bo_path_clean(want);
    const cJSON *item;
    cJSON_ArrayForEach(item, o)
    {
        snprintf(key, sizeof key, "%s", item->string);
        bo_path_clean(key);
        if (strcmp(key, want) == 0)
            return item;
    }
    return NULL;
}

int bo_objective_files_differ(const char *was, const char *now, char *name,
                              size_t name_len)
{
    cJSON *a = was ? cJSON_Parse(was) : NULL;
    cJSON *b = now ? cJSON_Parse(now) : NULL;
    int differ = 0;
    if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
        for (int pass = 0; pass < 2 && !differ; pass++) {
            const cJSON *from = pass ? b : a, *to = pass ? a : b, *item;
            cJSON_ArrayForEach(item, from)
            {
                const cJSON *other = same_file_in(to, item->string);
                const char *x = cJSON_GetStringValue(item);
                const char *y = cJSON_GetStringValue(other);
                if (!x || !y || strcmp(x, y) != 0) {
                    snprintf(name, name_len, "%s", item->string);
                    differ = 1;
                    break;
                }
            }
        }
    }
    cJSON_Delete(a);
    cJSON_Delete(b);
    return differ;
}
