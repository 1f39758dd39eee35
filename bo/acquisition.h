/*
 * acquisition.h — acquisition functions of the `bo` strategy, all written
 * as values to MAXIMIZE over the unit cube, with their gradients w.r.t. x
 * for the local refinement (acq_search.h).
 *
 *   ei   log EI(x)                 EI = sigma h(z), z = (best - mu) / sigma,
 *                                  h(z) = z Phi(z) + phi(z)
 *   pi   log PI(x)                 PI = Phi(z)
 *   ucb  beta sigma(x) - mu(x)     (a lower confidence bound on the loss)
 *   eips log EI(x) - E[log cost_s](x)   EI per second, the cost modelled by
 *                                  a second GP on log cost_s
 *
 * EI and PI are computed in log space: where the improvement is tiny
 * (z << 0) EI underflows to 0 and every candidate ties, while log h(z)
 * stays finite and accurate (Ament et al. 2023, "Unexpected improvements
 * to expected improvement"). mu and sigma are the GP's latent posterior.
 * Pure functions: no allocation, no state.
 */
#ifndef BO_ACQUISITION_H
#define BO_ACQUISITION_H

#include <stddef.h>

#include "bo/bo.h"
#include "gp.h"

enum bo_acq_kind { BO_ACQ_EI = 0, BO_ACQ_PI, BO_ACQ_UCB, BO_ACQ_EIPS };

/* "ei", "pi", "ucb", "eips" -> kind, or -1. */
int bo_acq_kind_parse(const char *name);

/* Scalar building blocks (minimization: improvement is best - mu). */
double bo_acq_log_h(double z);        /* log(z Phi(z) + phi(z)) */
double bo_acq_dlog_h(double z);       /* d/dz log h = Phi(z) / h(z) */
double bo_acq_log_phi_cdf(double z);  /* log Phi(z) */
double bo_acq_ei(double mu, double sigma, double best);     /* plain EI */
double bo_acq_log_ei(double mu, double sigma, double best); /* -inf: none */
double bo_acq_pi(double mu, double sigma, double best);
double bo_acq_log_pi(double mu, double sigma, double best);
double bo_acq_ucb(double mu, double sigma, double beta);    /* beta sigma - mu */

/* UCB's default width: constant, so that no proposal depends on the
 * budget. */
#define BO_ACQ_UCB_BETA 2.0

typedef struct bo_acq {
    int kind;          /* enum bo_acq_kind */
    bo_gp *gp;         /* the loss model */
    bo_gp *cost_gp;    /* eips: model of log cost_s; NULL means EI */
    double best;       /* incumbent loss, raw units */
    double beta;       /* ucb */
} bo_acq;

/* The acquisition at u (dim values), its gradient into grad if not NULL. */
double bo_acq_value(const bo_acq *a, const double *u, double *grad);
/* At m points (rows of u) into out; work holds 4 m doubles. */
int bo_acq_values(const bo_acq *a, const double *u, size_t m, double *out,
                  double *work, bo_error *err);

#endif
