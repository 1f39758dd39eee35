/*
 * mlp.h — the multilayer perceptron's parameter layout and its CPU forward
 * and backward passes (float32, row-major, OpenBLAS cblas_sgemm).
 *
 * Layout (shared with every backend, the CUDA one included): affine layer k
 * (0 <= k <= layers) maps dims[k] inputs to dims[k+1] outputs, with
 * dims[0] = 784, dims[1..layers] = width, dims[layers+1] = 10. Its weight
 * W_k is a dims[k] x dims[k+1] row-major block at params + w_off[k] (so a
 * batch goes forward as H_{k+1} = act(H_k W_k + b_k) without a transpose),
 * followed by its bias b_k at params + b_off[k]. All of it is one float
 * array of n_params, so optimizers treat it as a single vector.
 *
 * Never allocates outside bo_nn_ws_alloc, never prints; the passes run on
 * buffers the workspace owns and allocate nothing.
 */
#ifndef BO_NN_MLP_H
#define BO_NN_MLP_H

#include <stddef.h>
#include <stdint.h>

#define BO_NN_MAX_LAYERS 16  /* hidden layers */

enum bo_nn_act { BO_NN_RELU = 0, BO_NN_TANH = 1, BO_NN_SIGMOID = 2, BO_NN_GELU = 3 };

typedef struct bo_nn_layout {
    size_t layers;                        /* hidden layers, 0..BO_NN_MAX_LAYERS */
    size_t dims[BO_NN_MAX_LAYERS + 2];
    size_t w_off[BO_NN_MAX_LAYERS + 1];
    size_t b_off[BO_NN_MAX_LAYERS + 1];
    size_t n_params;
    int act;                              /* enum bo_nn_act, hidden layers only */
} bo_nn_layout;

/* Fills the layout for n_in -> (layers x width) -> n_out. Returns 0, or -1
 * when layers exceeds BO_NN_MAX_LAYERS or a size is zero. */
int bo_nn_layout_init(bo_nn_layout *lo, size_t n_in, size_t layers, size_t width,
                      size_t n_out, int act);

/* Multiply-add FLOPs of one training step per sample: forward, weight
 * gradients, and input gradients of every layer but the first (the data
 * needs none). The figure GFLOP/s is measured against. */
double bo_nn_layout_train_flops(const bo_nn_layout *lo);

/* The activation by name ("relu", "tanh", "sigmoid", "gelu"), or -1. GELU
 * is the tanh approximation 0.5 z (1 + tanh(sqrt(2/pi)(z + 0.044715 z^3))). */
int bo_nn_act_parse(const char *name);
const char *bo_nn_act_name(int act);

/* Per-batch buffers of the CPU passes for up to `cap` rows. x is where the
 * caller puts the batch (cap x dims[0]); h[k] holds layer k's output (h[0]
 * is x), the last one the logits and then their gradient. */
typedef struct bo_nn_ws {
    size_t cap;
    float *x;
    float *h[BO_NN_MAX_LAYERS + 2];
    float *pre[BO_NN_MAX_LAYERS + 2];  /* GELU: pre-activation; dropout: unmasked activation */
    float *delta[2];                   /* ping-pong gradients w.r.t. hidden outputs */
    int32_t *y;                        /* labels of the batch */
    int dropout;                       /* masks will be given */
    float *block_;
} bo_nn_ws;

/* Allocates the workspace (one block). dropout non-zero: forward may be
 * given masks. Returns 0 or -1 (out of memory). */
int bo_nn_ws_alloc(bo_nn_ws *ws, const bo_nn_layout *lo, size_t cap, int dropout);
void bo_nn_ws_free(bo_nn_ws *ws);

/* Forward pass of n <= cap rows in ws->x. masks: NULL (no dropout), or the
 * hidden layers' masks one after the other, each n x width, of values 0 or
 * 1/(1-p) (inverted dropout), applied to the activations. The logits land
 * in ws->h[layers + 1]. */
void bo_nn_forward(const bo_nn_layout *lo, const float *params, bo_nn_ws *ws,
                   size_t n, const float *masks);

/* Softmax cross-entropy of the logits against ws->y: returns the SUM over the
 * n rows of -log p(y), adds the number of argmax hits to *correct (if not
 * NULL), and when grad is non-zero overwrites the logits with
 * d(mean loss)/d(logits) = (softmax - onehot) / n for bo_nn_backward. */
double bo_nn_softmax_xent(const bo_nn_layout *lo, bo_nn_ws *ws, size_t n,
                          size_t *correct, int grad);

/* Backward pass after forward (with the same masks) and softmax_xent(grad):
 * writes d(mean loss + weight_decay/2 * sum of squared weights)/d(params)
 * into grad (n_params; biases carry no decay). */
void bo_nn_backward(const bo_nn_layout *lo, const float *params, bo_nn_ws *ws,
                    size_t n, const float *masks, float weight_decay, float *grad);

#endif
