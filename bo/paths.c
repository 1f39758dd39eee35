/*
 * paths.c — where bo's own files are (bo_path_* in runner.h).
 *
 * The objectives folder is found from the running executable, so that a
 * build tree and an install tree behave alike: PREFIX/BO_BINDIR/bo finds
 * PREFIX/BO_OBJECTIVES_SUBDIR (both relative, set at build time). The
 * environment variable BO_OBJECTIVES_DIR, when set and non-empty, names
 * another folder instead (tests and relocated installs use it).
 *
 * A plugin name without '/' resolves only to NAME.so inside that folder,
 * never along a search path and never outside it; it must never accept a
 * name that could climb out ("..", a leading '.').
 */
#include "runner.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"

#ifndef BO_OBJECTIVES_SUBDIR
#define BO_OBJECTIVES_SUBDIR "lib/bo/objectives"
#endif
#ifndef BO_BINDIR
#define BO_BINDIR "bin"
#endif

int bo_path_self_exe(char *buf, size_t len, bo_error *err)
{
    if (len < 2)
        return bo_error_set(err, BO_EINVAL, "/proc/self/exe: buffer too small");
    ssize_t n = readlink("/proc/self/exe", buf, len - 1);
    if (n < 0)
        return bo_error_set(err, BO_EIO, "/proc/self/exe: %s", strerror(errno));
    if ((size_t)n >= len - 1)
        return bo_error_set(err, BO_EINVAL, "/proc/self/exe: path too long");
    buf[n] = '\0';
    return BO_OK;
}

/* Strips the last path component of buf in place ("/a/b" -> "/a"). */
static void strip_component(char *buf)
{
    char *slash = strrchr(buf, '/');
    if (!slash)
        return;
    if (slash == buf)
        slash[1] = '\0';
    else
        *slash = '\0';
}

int bo_path_objectives_dir(char *buf, size_t len, bo_error *err)
{
    const char *env = getenv("BO_OBJECTIVES_DIR");
    if (env && env[0]) {
        if ((size_t)snprintf(buf, len, "%s", env) >= len)
            return bo_error_set(err, BO_EINVAL, "BO_OBJECTIVES_DIR: path too long");
        return BO_OK;
    }
    char exe[PATH_MAX];
    int rc = bo_path_self_exe(exe, sizeof exe, err);
    if (rc)
        return rc;
    strip_component(exe);             /* PREFIX/BINDIR */
    /* One level up per component of BINDIR gives PREFIX. */
    const char *b = BO_BINDIR;
    for (const char *c = b; *c;) {
        strip_component(exe);
        c = strchr(c, '/');
        if (!c)
            break;
        c++;
    }
    if ((size_t)snprintf(buf, len, "%s/%s", strcmp(exe, "/") ? exe : "",
                         BO_OBJECTIVES_SUBDIR) >= len)
        return bo_error_set(err, BO_EINVAL, "%s: path too long", exe);
    return BO_OK;
}

/* "a, b, c" from the NAME.so files of dir, or "none". */
static void list_objectives(const char *dir, char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    DIR *d = opendir(dir);
    if (d) {
        /* Sorted for a stable message: collect, then a small insertion sort. */
        char names[64][BO_NAME_MAX];
        size_t n = 0;
        struct dirent *e;
        while ((e = readdir(d)) && n < 64) {
            size_t l = strlen(e->d_name);
            if (l <= 3 || l - 3 >= BO_NAME_MAX || e->d_name[0] == '.' ||
                strcmp(e->d_name + l - 3, ".so") != 0)
                continue;
            memcpy(names[n], e->d_name, l - 3);
            names[n][l - 3] = '\0';
            size_t j = n++;
            while (j > 0 && strcmp(names[j - 1], names[j]) > 0) {
                char t[BO_NAME_MAX];
                memcpy(t, names[j], sizeof t);
                memcpy(names[j], names[j - 1], sizeof t);
                memcpy(names[j - 1], t, sizeof t);
                j--;
            }
        }
        closedir(d);
        for (size_t i = 0; i < n && used + 1 < len; i++) {
            int w = snprintf(out + used, len - used, "%s%s", i ? ", " : "",
                             names[i]);
            if (w < 0)
                break;
            used += (size_t)w;
        }
    }
    if (!out[0])
        snprintf(out, len, "none");
}

static int valid_name(const char *name)
{
    if (!name[0] || name[0] == '.')
        return 0;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == '.'))
            return 0;
    return strstr(name, "..") == NULL;
}

int bo_path_resolve_plugin(const char *plugin, const char *spec_dir,
                           char *buf, size_t len, bo_error *err)
{
    if (!plugin || !plugin[0])
        return bo_error_set(err, BO_EINVAL, "objective.plugin: empty name");
    struct stat st;
    if (!strchr(plugin, '/')) {
        char dir[PATH_MAX];
        int rc = bo_path_objectives_dir(dir, sizeof dir, err);
        if (rc)
            return rc;
        if (!valid_name(plugin))
            return bo_error_set(err, BO_EINVAL, "objective.plugin: '%.64s' is "
                                "not a plugin name (letters, digits, '_', '-' "
                                "and '.', with no '.' first and no '..'; a "
                                "path needs a '/')", plugin);
        size_t pl = strlen(plugin);
        int has_so = pl > 3 && strcmp(plugin + pl - 3, ".so") == 0;
        if ((size_t)snprintf(buf, len, "%s/%s%s", dir, plugin,
                             has_so ? "" : ".so") >= len)
            return bo_error_set(err, BO_EINVAL, "%s: path too long", dir);
        if (stat(buf, &st) != 0 || !S_ISREG(st.st_mode)) {
            char names[512], local[PATH_MAX];
            list_objectives(dir, names, sizeof names);
            /* a file of that name where the spec (or the user) is: a
             * path was meant, and a path needs a '/' */
            snprintf(local, sizeof local, "%s/%s", spec_dir && spec_dir[0]
                     ? spec_dir : ".", plugin);
            int is_file = stat(local, &st) == 0 && S_ISREG(st.st_mode);
            return bo_error_set(err, BO_ENOTFOUND, "objective.plugin: no "
                                "objective '%s' in %s (available: %s)%s%s",
                                plugin, dir, names,
                                is_file || has_so ? "; for a file, write ./"
                                                  : "",
                                is_file || has_so ? plugin : "");
        }
        return BO_OK;
    }
    int n;
    if (plugin[0] == '/' || !spec_dir || !spec_dir[0])
        n = snprintf(buf, len, "%s", plugin);
    else
        n = snprintf(buf, len, "%s/%s", spec_dir, plugin);
    if (n < 0 || (size_t)n >= len)
        return bo_error_set(err, BO_EINVAL, "%s: path too long", plugin);
    if (stat(buf, &st) != 0)
        return bo_error_set(err, BO_ENOTFOUND, "%s: objective plugin: %s", buf,
                            strerror(errno));
    if (!S_ISREG(st.st_mode))
        return bo_error_set(err, BO_EINVAL, "%s: objective plugin: not a "
                            "regular file", buf);
    return BO_OK;
}

void bo_path_clean(char *p)
{
    char *out = p;
    const char *in = p;
    int absolute = *in == '/';
    if (absolute)
        *out++ = *in++;
    while (*in) {
        while (*in == '/')
            in++;
        size_t seg = strcspn(in, "/");
        if (seg == 1 && in[0] == '.') {
            in += 1;
            continue;
        }
        if (seg && out > p && out[-1] != '/')
            *out++ = '/';
        memmove(out, in, seg);
        out += seg;
        in += seg;
    }
    if (out == p)
        *out++ = '.';
    *out = '\0';
}

int bo_path_absolute(const char *path, char *buf, size_t len)
{
    char cwd[PATH_MAX];
    int n = path[0] == '/' || !getcwd(cwd, sizeof cwd)
                ? snprintf(buf, len, "%s", path)
                : snprintf(buf, len, "%s/%s", cwd, path);
    if (n < 0 || (size_t)n >= len)
        return -1;
    /* a relative one (no working folder) keeps its "./": dlopen searches
     * the library path for a name without '/' */
    if (buf[0] == '/')
        bo_path_clean(buf);
    return 0;
}
