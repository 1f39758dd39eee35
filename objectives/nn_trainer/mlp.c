/*
 * mlp.c — forward and backward passes of the MLP on the CPU.
 *
 * Every product is one cblas_sgemm on row-major blocks, transposes only as
 * sgemm flags (never copied): forward H_k W_k, weight gradient H_k^T D,
 * input gradient D W_k^T. Between products one pass over each activation
 * adds the bias and applies the nonlinearity (and the dropout mask) while
 * the block is still in cache.
 *
 * What backward needs of each hidden layer: its output h (the masked
 * activation the next layer saw), and in `pre` the unmasked activation when
 * there is dropout (to get relu/tanh/sigmoid derivatives from the output)
 * or the pre-activation for GELU (whose derivative needs z).
 *
 * Must never allocate inside the passes, print, or touch global state.
 */
#include "mlp.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const ACT_NAMES[] = {"relu", "tanh", "sigmoid", "gelu"};

int bo_nn_act_parse(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(name, ACT_NAMES[i]) == 0)
            return i;
    return -1;
}

const char *bo_nn_act_name(int act)
{
    return act >= 0 && act < 4 ? ACT_NAMES[act] : "?";
}

int bo_nn_layout_init(bo_nn_layout *lo, size_t n_in, size_t layers, size_t width,
                      size_t n_out, int act)
{
    memset(lo, 0, sizeof *lo);
    if (layers > BO_NN_MAX_LAYERS || n_in == 0 || n_out == 0 || (layers && width == 0))
        return -1;
    lo->layers = layers;
    lo->act = act;
    lo->dims[0] = n_in;
    for (size_t l = 1; l <= layers; l++)
        lo->dims[l] = width;
    lo->dims[layers + 1] = n_out;
    size_t off = 0;
    for (size_t k = 0; k <= layers; k++) {
        lo->w_off[k] = off;
        off += lo->dims[k] * lo->dims[k + 1];
        lo->b_off[k] = off;
        off += lo->dims[k + 1];
    }
    lo->n_params = off;
    return 0;
}

double bo_nn_layout_train_flops(const bo_nn_layout *lo)
{
    double f = 0.0;
    for (size_t k = 0; k <= lo->layers; k++) {
        double mac = (double)lo->dims[k] * (double)lo->dims[k + 1];
        f += (k > 0 ? 6.0 : 4.0) * mac;
    }
    return f;
}

int bo_nn_ws_alloc(bo_nn_ws *ws, const bo_nn_layout *lo, size_t cap, int dropout)
{
    memset(ws, 0, sizeof *ws);
    size_t L = lo->layers, width = L ? lo->dims[1] : 0;
    int keep_pre = dropout || lo->act == BO_NN_GELU;
    size_t total = cap * lo->dims[0] + cap * lo->dims[L + 1] + 2 * cap * width;
    total += L * cap * width * (keep_pre ? 2 : 1);
    /* The labels share the block: one float slot per int32. */
    total += cap;
    ws->block_ = malloc(total * sizeof(float));
    if (!ws->block_)
        return -1;
    float *p = ws->block_;
    ws->cap = cap;
    ws->dropout = dropout;
    ws->x = ws->h[0] = p;
    p += cap * lo->dims[0];
    for (size_t l = 1; l <= L; l++) {
        ws->h[l] = p;
        p += cap * width;
        if (keep_pre) {
            ws->pre[l] = p;
            p += cap * width;
        }
    }
    ws->h[L + 1] = p;
    p += cap * lo->dims[L + 1];
    ws->delta[0] = p;
    p += cap * width;
    ws->delta[1] = p;
    p += cap * width;
    ws->y = (int32_t *)p;
    return 0;
}

void bo_nn_ws_free(bo_nn_ws *ws)
{
    if (ws) {
        free(ws->block_);
        memset(ws, 0, sizeof *ws);
    }
}

static const float GELU_C = 0.7978845608028654f; /* sqrt(2/pi) */
static const float GELU_A = 0.044715f;

static inline float gelu(float z)
{
    return 0.5f * z * (1.0f + tanhf(GELU_C * (z + GELU_A * z * z * z)));
}

static inline float gelu_grad(float z)
{
    float t = tanhf(GELU_C * (z + GELU_A * z * z * z));
    return 0.5f * (1.0f + t) + 0.5f * z * (1.0f - t * t) * GELU_C * (1.0f + 3.0f * GELU_A * z * z);
}

static inline float sigmoid(float v)
{
    return 1.0f / (1.0f + expf(-v));
}

/* One hidden layer's bias + activation (+ mask): src holds the product
 * X W (n x w). Without dropout and GELU src is h itself (in place). */
static void bias_act(int act, const float *b, float *src, float *h, const float *mask,
                     size_t n, size_t w)
{
    for (size_t r = 0; r < n; r++) {
        float *s = src + r * w, *o = h + r * w;
        const float *m = mask ? mask + r * w : NULL;
        switch (act) {
        case BO_NN_RELU:
            for (size_t j = 0; j < w; j++) {
                float v = s[j] + b[j];
                s[j] = v > 0.0f ? v : 0.0f;
            }
            break;
        case BO_NN_TANH:
            for (size_t j = 0; j < w; j++)
                s[j] = tanhf(s[j] + b[j]);
            break;
        case BO_NN_SIGMOID:
            for (size_t j = 0; j < w; j++)
                s[j] = sigmoid(s[j] + b[j]);
            break;
        case BO_NN_GELU:
            /* src keeps z; the activation goes straight to h. */
            for (size_t j = 0; j < w; j++) {
                float z = s[j] + b[j];
                s[j] = z;
                o[j] = gelu(z);
            }
            if (m)
                for (size_t j = 0; j < w; j++)
                    o[j] *= m[j];
            continue;
        }
        if (m)
            for (size_t j = 0; j < w; j++)
                o[j] = s[j] * m[j];
        else if (o != s)
            memcpy(o, s, w * sizeof *o);
    }
}

void bo_nn_forward(const bo_nn_layout *lo, const float *params, bo_nn_ws *ws,
                   size_t n, const float *masks)
{
    size_t L = lo->layers;
    for (size_t k = 0; k <= L; k++) {
        size_t in = lo->dims[k], out = lo->dims[k + 1];
        const float *W = params + lo->w_off[k], *b = params + lo->b_off[k];
        int hidden = k < L;
        const float *mask = hidden && masks ? masks + k * n * out : NULL;
        float *h = ws->h[k + 1];
        /* Without a mask relu/tanh/sigmoid need no second copy of the layer. */
        int use_pre = hidden && ws->pre[k + 1] && (mask || lo->act == BO_NN_GELU);
        float *dst = use_pre ? ws->pre[k + 1] : h;
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)out, (int)in,
                    1.0f, ws->h[k], (int)in, W, (int)out, 0.0f, dst, (int)out);
        if (hidden) {
            bias_act(lo->act, b, dst, h, mask, n, out);
        } else {
            for (size_t r = 0; r < n; r++)
                for (size_t j = 0; j < out; j++)
                    h[r * out + j] += b[j];
        }
    }
}

double bo_nn_softmax_xent(const bo_nn_layout *lo, bo_nn_ws *ws, size_t n,
                          size_t *correct, int grad)
{
    size_t c = lo->dims[lo->layers + 1];
    float *z = ws->h[lo->layers + 1];
    double sum = 0.0;
    size_t hits = 0;
    float inv_n = 1.0f / (float)n;
    for (size_t r = 0; r < n; r++) {
        float *row = z + r * c;
        size_t y = (size_t)ws->y[r], arg = 0;
        float mx = row[0];
        for (size_t j = 1; j < c; j++)
            if (row[j] > mx) {
                mx = row[j];
                arg = j;
            }
        hits += arg == y;
        double se = 0.0;
        for (size_t j = 0; j < c; j++)
            se += exp((double)(row[j] - mx));
        double lse = (double)mx + log(se);
        sum += lse - (double)row[y];
        if (grad) {
            for (size_t j = 0; j < c; j++) {
                float p = (float)exp((double)row[j] - lse);
                row[j] = (p - (j == y ? 1.0f : 0.0f)) * inv_n;
            }
        }
    }
    if (correct)
        *correct += hits;
    return sum;
}

/* d <- d * mask * act'(.) for one hidden layer, in place. */
static void act_backward(int act, float *d, const float *h, const float *pre,
                         const float *mask, size_t count)
{
    /* relu/tanh/sigmoid read the unmasked activation: pre under dropout. */
    const float *a = pre ? pre : h;
    switch (act) {
    case BO_NN_RELU:
        for (size_t i = 0; i < count; i++)
            d[i] = a[i] > 0.0f ? d[i] : 0.0f;
        break;
    case BO_NN_TANH:
        for (size_t i = 0; i < count; i++)
            d[i] *= 1.0f - a[i] * a[i];
        break;
    case BO_NN_SIGMOID:
        for (size_t i = 0; i < count; i++)
            d[i] *= a[i] * (1.0f - a[i]);
        break;
    case BO_NN_GELU:
        for (size_t i = 0; i < count; i++)
            d[i] *= gelu_grad(pre[i]);
        break;
    }
    if (mask)
        for (size_t i = 0; i < count; i++)
            d[i] *= mask[i];
}

void bo_nn_backward(const bo_nn_layout *lo, const float *params, bo_nn_ws *ws,
                    size_t n, const float *masks, float weight_decay, float *grad)
{
    size_t L = lo->layers;
    float *d = ws->h[L + 1];
    for (size_t k = L + 1; k-- > 0;) {
        size_t in = lo->dims[k], out = lo->dims[k + 1];
        const float *W = params + lo->w_off[k];
        float *gW = grad + lo->w_off[k], *gb = grad + lo->b_off[k];
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)in, (int)out, (int)n,
                    1.0f, ws->h[k], (int)in, d, (int)out, 0.0f, gW, (int)out);
        /* in chunks: in * out passes INT_MAX past width 46340 */
        for (size_t o = 0; weight_decay != 0.0f && o < in * out; o += 1u << 30) {
            size_t m = in * out - o < (1u << 30) ? in * out - o : (1u << 30);
            cblas_saxpy((int)m, weight_decay, W + o, 1, gW + o, 1);
        }
        memcpy(gb, d, out * sizeof *gb);
        for (size_t r = 1; r < n; r++)
            for (size_t j = 0; j < out; j++)
                gb[j] += d[r * out + j];
        if (k == 0)
            break;
        float *dn = ws->delta[k & 1];
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)in, (int)out,
                    1.0f, d, (int)out, W, (int)out, 0.0f, dn, (int)in);
        const float *mask = masks ? masks + (k - 1) * n * in : NULL;
        const float *pre = mask || lo->act == BO_NN_GELU ? ws->pre[k] : NULL;
        act_backward(lo->act, dn, ws->h[k], pre, mask, n * in);
        d = dn;
    }
}
