/*
 * act.cuh — the hidden activations and their derivatives, for host and
 * device, with mlp.c's formulas (GELU: the tanh approximation). The host
 * versions are the kernels' CPU references; both sides use the float
 * library functions (tanhf, expf), which agree to a few ulps.
 */
#ifndef BO_GPU_ACT_CUH
#define BO_GPU_ACT_CUH

#include <math.h>

#include "mlp.h"

#define BO_GPU_GELU_C 0.7978845608028654f /* sqrt(2/pi) */
#define BO_GPU_GELU_A 0.044715f

__host__ __device__ static inline float bo_gpu_act(int act, float z)
{
    switch (act) {
    case BO_NN_RELU:
        return z > 0.0f ? z : 0.0f;
    case BO_NN_TANH:
        return tanhf(z);
    case BO_NN_SIGMOID:
        return 1.0f / (1.0f + expf(-z));
    default: /* BO_NN_GELU */
        return 0.5f * z * (1.0f + tanhf(BO_GPU_GELU_C * (z + BO_GPU_GELU_A * z * z * z)));
    }
}

/* d x act'(.), where a is the activation (relu, tanh, sigmoid) or the
 * pre-activation z (GELU), as mlp.c's act_backward reads them. */
__host__ __device__ static inline float bo_gpu_act_back(int act, float d, float a)
{
    switch (act) {
    case BO_NN_RELU:
        return a > 0.0f ? d : 0.0f;
    case BO_NN_TANH:
        return d * (1.0f - a * a);
    case BO_NN_SIGMOID:
        return d * (a * (1.0f - a));
    default: {
        float t = tanhf(BO_GPU_GELU_C * (a + BO_GPU_GELU_A * a * a * a));
        float g = 0.5f * (1.0f + t) +
                  0.5f * a * (1.0f - t * t) * BO_GPU_GELU_C * (1.0f + 3.0f * BO_GPU_GELU_A * a * a);
        return d * g;
    }
    }
}

#endif
