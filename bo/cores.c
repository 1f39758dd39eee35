/*
 * cores.c — how many cores this process may use, for sharing them among
 * workers. Its CPU affinity, not the machine's core count: under Slurm
 * (--cpus-per-task), taskset or a container's cpuset a rank or a study
 * owns a part of the node, and cores / K threads per worker from the
 * whole node would oversubscribe it.
 */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <sched.h>
#include <unistd.h>

#include "runner_proc.h"

int bo_proc_cores(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}
