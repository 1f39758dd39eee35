/*
 * output_tf.h — the output transform of the `bo` strategy: a robust
 * standardization, then a Yeo-Johnson power transform (Yeo & Johnson
 * 2000) whose lambda is fitted by maximum likelihood. Monotone increasing,
 * so minimizing the transformed loss is minimizing the loss.
 *
 * Pure functions of their arguments: no allocation, no state.
 */
#ifndef BO_OUTPUT_TF_H
#define BO_OUTPUT_TF_H

#include <stddef.h>

/* lambda's search range: lambda <= 2 keeps the better-than-seen side
 * unbounded (no saturation of improvements). */
#define BO_OUTPUT_TF_LAMBDA_MIN (-2.0)
#define BO_OUTPUT_TF_LAMBDA_MAX 2.0

typedef struct bo_output_tf {
    double centre, scale; /* z = (y - centre) / scale */
    double lambda;        /* v = yj(lambda, z); 1 is the identity */
} bo_output_tf;

/* The Yeo-Johnson map and its inverse (+-inf where v is out of range). */
double bo_yeo_johnson(double lambda, double z);
double bo_yeo_johnson_inverse(double lambda, double v);
/* Profile log-likelihood of lambda for z[0..n) under a normal model of
 * the transformed values (mean and variance at their MLE), up to a
 * constant: -n/2 log var + (lambda - 1) sum sign(z) log(1 + |z|). */
double bo_yeo_johnson_loglik(double lambda, const double *z, size_t n);

/* Fits the transform to y[0..n) (finite values); work holds n doubles.
 * Centre and scale: median and interquartile range / 1.349 (the standard
 * deviation for normal data), or the mean and standard deviation where
 * the IQR is 0; the identity when n < 3 or the data are constant.
 * Magnitudes past 1e15 (losses) and 1e10 (standardized values) are
 * compressed logarithmically first, so that no finite loss overflows. */
void bo_output_tf_fit(bo_output_tf *t, const double *y, size_t n,
                      double *work);
double bo_output_tf_apply(const bo_output_tf *t, double y);
double bo_output_tf_inverse(const bo_output_tf *t, double v);

#endif
