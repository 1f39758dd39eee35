/*
 * test_gpu_select.c — choosing the trainer's device where there may be no
 * GPU (this runs everywhere, CPU machines included): device "cuda" fails
 * with one line beginning "CUDA backend not available: " that says why
 * (the library is missing, or it loaded and found no CUDA device), "auto"
 * falls back to the CPU and says so in its note, and where gpu/ was built,
 * libbo_nn_cuda.so dlopens and exports a backend of the right version.
 *
 * The data set is a tiny hand-made one: opening a device must not touch
 * the files, and a CUDA open that finds no device fails before uploading.
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "backend_select.h"
#include "check.h"
#ifdef BO_HAVE_CUDA
#include "gpu.h"
#endif

static uint8_t PIX[4 * BO_NN_PIXELS], LAB[4];

static bo_nn_data tiny_data(void)
{
    bo_nn_data d;
    memset(&d, 0, sizeof d);
    for (int s = 0; s < 3; s++)
        d.split[s] = (bo_nn_split){4, PIX, LAB};
    return d;
}

/* Whether a CUDA device is usable here (the same probe the backend does). */
static int gpu_present(void)
{
#ifdef BO_HAVE_CUDA
    char why[256];
    return bo_gpu_device_count(why, sizeof why) > 0;
#else
    return 0;
#endif
}

/* Reference: backend_select.h: "cuda" must load and open, else an error
 * that begins "CUDA backend not available: ". Where gpu/ was built, the
 * library loads and the reason is its open()'s "no CUDA device". */
static void test_cuda_without_device_is_one_clear_line(void)
{
    bo_nn_data d = tiny_data();
    bo_nn_device dev;
    char note[600] = "", err[600] = "";
    int rc = bo_nn_device_open("cuda", &d, &dev, note, sizeof note, err, sizeof err);
    if (gpu_present()) {
        CHECK(rc == 0);
        CHECK(rc == 0 && strcmp(dev.backend->name, "cuda") == 0);
        CHECK_STR_CONTAINS(note, "device: cuda");
        if (rc == 0)
            bo_nn_device_close(&dev);
        return;
    }
    printf("device cuda here: %s\n", err);
    CHECK(rc != 0);
    CHECK(strncmp(err, "CUDA backend not available: ", 28) == 0);
    CHECK(strchr(err, '\n') == NULL);
#ifdef BO_HAVE_CUDA
    CHECK_STR_CONTAINS(err, "no CUDA device");
#else
    CHECK_STR_CONTAINS(err, "libbo_nn_cuda.so not found");
#endif
}

/* Reference: backend_select.h: "auto" takes the CPU when CUDA does not
 * open, and the note names the choice and the reason. */
static void test_auto_falls_back_to_cpu_and_says_so(void)
{
    bo_nn_data d = tiny_data();
    bo_nn_device dev;
    char note[600] = "", err[600] = "";
    int rc = bo_nn_device_open("auto", &d, &dev, note, sizeof note, err, sizeof err);
    CHECK(rc == 0);
    if (rc != 0)
        return;
    printf("device auto here: %s\n", note);
    if (gpu_present()) {
        CHECK(strcmp(dev.backend->name, "cuda") == 0);
        CHECK_STR_CONTAINS(note, "device: cuda (auto)");
    } else {
        CHECK(strcmp(dev.backend->name, "cpu") == 0);
        CHECK_STR_CONTAINS(note, "device: cpu (auto: CUDA backend not available: ");
    }
    bo_nn_device_close(&dev);
}

/* A library path that does not exist is "not found", not a crash or a
 * dlerror about something else. */
static void test_missing_library_is_not_found(void)
{
    bo_nn_data d = tiny_data();
    bo_nn_device dev;
    char note[600] = "", err[600] = "";
    const char *old = getenv("BO_NN_CUDA_LIB");
    char *saved = old ? strdup(old) : NULL;
    setenv("BO_NN_CUDA_LIB", "/nonexistent/libbo_nn_cuda.so", 1);
    int rc = bo_nn_device_open("cuda", &d, &dev, note, sizeof note, err, sizeof err);
    if (rc == 0) { /* found elsewhere (an installed copy with a device) */
        bo_nn_device_close(&dev);
    } else {
        CHECK(strncmp(err, "CUDA backend not available: ", 28) == 0);
    }
    if (saved) {
        setenv("BO_NN_CUDA_LIB", saved, 1);
        free(saved);
    } else {
        unsetenv("BO_NN_CUDA_LIB");
    }
}

/* Where gpu/ was built: the library dlopens here, GPU or not, and its one
 * entry returns a table of this trainer's version named "cuda". */
static void test_library_loads_and_exports_its_entry(void)
{
#ifdef BO_HAVE_CUDA
    void *h = dlopen(BO_NN_CUDA_LIB_PATH, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        fprintf(stderr, "dlopen %s: %s\n", BO_NN_CUDA_LIB_PATH, dlerror());
    CHECK(h != NULL);
    if (!h)
        return;
    const bo_nn_backend *(*entry)(void);
    *(void **)&entry = dlsym(h, BO_NN_CUDA_ENTRY);
    CHECK(entry != NULL);
    const bo_nn_backend *be = entry ? entry() : NULL;
    CHECK(be && be->version == BO_NN_BACKEND_VERSION);
    CHECK(be && strcmp(be->name, "cuda") == 0);
    CHECK(dlsym(h, "bo_gpu_device_count") == NULL); /* nothing else is exported */
    dlclose(h);
#else
    printf("libbo_nn_cuda.so not built here (nvcc not found): load test not run\n");
#endif
}

int main(void)
{
#ifdef BO_HAVE_CUDA
    /* The search must find the library just built, whatever is installed. */
    setenv("BO_NN_CUDA_LIB", BO_NN_CUDA_LIB_PATH, 0); /* a caller's choice wins */
#endif
    test_cuda_without_device_is_one_clear_line();
    test_auto_falls_back_to_cpu_and_says_so();
    test_missing_library_is_not_found();
    test_library_loads_and_exports_its_entry();
    return check_summary();
}
