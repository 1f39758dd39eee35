/*
 * test_gpu_list.c — which GPU each worker slot is given (executor.c):
 * BO_GPUS, a CUDA_VISIBLE_DEVICES of several devices, or, with neither
 * set and several workers, the GPUs the NVIDIA driver lists. The driver's
 * folder is stood in for by a scratch folder with one entry per GPU, as
 * /proc/driver/nvidia/gpus has (named by PCI address).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "executor.h"

static char g_dir[256];

static void add_gpu(const char *pci)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", g_dir, pci);
    CHECK(mkdir(p, 0755) == 0);
}

static void test_driver_folder(void)
{
    char buf[64];
    CHECK(bo_executor_gpus_in("/nonexistent/gpus", buf, sizeof buf) == 0);
    CHECK(buf[0] == '\0');
    CHECK(bo_executor_gpus_in(g_dir, buf, sizeof buf) == 0);
    add_gpu("0000:17:00.0");
    /* one GPU: nothing to split */
    CHECK(bo_executor_gpus_in(g_dir, buf, sizeof buf) == 1);
    CHECK(buf[0] == '\0');
    add_gpu("0000:65:00.0");
    add_gpu("0000:ca:00.0");
    CHECK(bo_executor_gpus_in(g_dir, buf, sizeof buf) == 3);
    CHECK(strcmp(buf, "0,1,2") == 0);
    /* a list that does not fit is no list (not a cut one) */
    char tiny[4];
    CHECK(bo_executor_gpus_in(g_dir, tiny, sizeof tiny) == 3);
    CHECK(tiny[0] == '\0');
}

static void test_variables(void)
{
    const char *list = NULL;
    bo_error err;
    unsetenv("BO_GPUS");
    unsetenv("CUDA_VISIBLE_DEVICES");
    setenv("BO_GPUS", "3,5", 1);
    CHECK(bo_executor_gpu_list(1, &list, &err) == BO_OK);
    CHECK(list && strcmp(list, "3,5") == 0);
    unsetenv("BO_GPUS");
    setenv("CUDA_VISIBLE_DEVICES", "2,4", 1);
    CHECK(bo_executor_gpu_list(2, &list, &err) == BO_OK);
    CHECK(list && strcmp(list, "2,4") == 0);
    /* one device, or none at all (set but empty): left as it is, whatever
     * the driver lists */
    setenv("CUDA_VISIBLE_DEVICES", "1", 1);
    CHECK(bo_executor_gpu_list(4, &list, &err) == BO_OK && list == NULL);
    setenv("CUDA_VISIBLE_DEVICES", "", 1);
    CHECK(bo_executor_gpu_list(4, &list, &err) == BO_OK && list == NULL);
    setenv("BO_GPUS", "0,x", 1);
    CHECK(bo_executor_gpu_list(2, &list, &err) == BO_EINVAL);
    CHECK_STR_CONTAINS(err.message, "BO_GPUS: 'x' is neither");
    unsetenv("BO_GPUS");
    unsetenv("CUDA_VISIBLE_DEVICES");
    /* neither set, one worker: left alone (it may use every GPU) */
    CHECK(bo_executor_gpu_list_in(g_dir, 1, &list, &err) == BO_OK && list == NULL);
    /* several: the driver's GPUs (three in the stand-in folder) */
    CHECK(bo_executor_gpu_list_in(g_dir, 2, &list, &err) == BO_OK);
    CHECK(list && strcmp(list, "0,1,2") == 0);
    /* but not over a variable the user set */
    setenv("CUDA_VISIBLE_DEVICES", "1", 1);
    CHECK(bo_executor_gpu_list_in(g_dir, 2, &list, &err) == BO_OK && list == NULL);
    unsetenv("CUDA_VISIBLE_DEVICES");
    setenv("BO_GPUS", "4", 1);
    CHECK(bo_executor_gpu_list_in(g_dir, 2, &list, &err) == BO_OK);
    CHECK(list && strcmp(list, "4") == 0);
    unsetenv("BO_GPUS");
    /* several workers: the machine's own GPUs, where the driver lists
     * two or more (this machine's, so only the form can be checked) */
    char want[4096];
    int n = bo_executor_gpus_in(BO_NVIDIA_GPUS_DIR, want, sizeof want);
    CHECK(bo_executor_gpu_list(3, &list, &err) == BO_OK);
    if (n >= 2)
        CHECK(list && strcmp(list, want) == 0);
    else
        CHECK(list == NULL);
}

int main(void)
{
    snprintf(g_dir, sizeof g_dir, "/tmp/bo-test-gpus.XXXXXX");
    if (!mkdtemp(g_dir))
        return perror("mkdtemp"), 1;
    test_driver_folder();
    test_variables();
    char rm[512];
    snprintf(rm, sizeof rm, "rm -rf '%s'", g_dir);
    CHECK(system(rm) == 0);
    return check_summary();
}
