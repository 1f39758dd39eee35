/*
 * no_entry.c — a test plugin that is a valid shared library but exports no
 * bo_objective_entry (a typo'd name instead): the loader must say so.
 */
#include "bo/objective.h"

BO_OBJECTIVE_EXPORT int bo_objective_entri(void);

BO_OBJECTIVE_EXPORT int bo_objective_entri(void)
{
    return 1;
}
