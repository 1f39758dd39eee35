/*
 * gp_fit.h — private to gp.c and gp_fit.c: the hyperparameter priors they
 * share and the fitter workspace a bo_gp owns. (The fit lives in its own
 * file because GSL's headers declare a CBLAS of their own that clashes
 * with OpenBLAS's cblas.h, which gp.c needs.)
 */
#ifndef BO_GP_FIT_H
#define BO_GP_FIT_H

#include <stddef.h>

#include "gp.h"

/* Weak priors, in the fit's coordinates (inputs in [0,1]^d, outputs
 * standardized). Length scales: log-normal centred on 0.35 sqrt(d), the
 * typical distance between points grows like sqrt(d), so the prior widens
 * with the dimension instead of favouring ever sharper models; sd 1.5 in
 * log space lets the data move it by a factor of 20 at little cost.
 * Signal variance: centred on the data's variance. Noise: centred on 1e-2
 * of it (a noise sd of a tenth of the outputs' spread) with sd 4 (a factor
 * e^4 ~ 55 per sd). Where few points cannot tell noise from detail the
 * likelihood is flat in the noise and the fit stays near this centre; at
 * 1e-4 (the first choice) it read a trainer's trial-to-trial noise as
 * detail, with short length scales, and spent its trials on points that
 * had been lucky; a deterministic objective still drives the noise to the
 * floor once its points are dense enough to show it. Mean: near the data
 * mean. None of these is tuned to a particular test function. */
#define LS_MU_BASE 0.35
#define LS_SD 1.5
#define SF_MU 0.0
#define SF_SD 1.5
#define NOISE_MU (-4.605170185988091) /* log 1e-2 */
#define NOISE_SD 4.0
#define MEAN_SD 1.0
/* Centre of the log length-scale prior for d dimensions. */
double bo_gp_prior_ls_mu(size_t d);

typedef struct bo_gp_fitter bo_gp_fitter;
/* Allocations bo_gp_fitter_create makes (for bo_gp_alloc_count). */
#define BO_GP_FITTER_ALLOCS 5
bo_gp_fitter *bo_gp_fitter_create(size_t d);
void bo_gp_fitter_free(bo_gp_fitter *f);
bo_gp_fitter *bo_gp_fitter_of(bo_gp *gp);

#endif
