/*
 * k_gather.cu — a step's (or an evaluation chunk's) rows, from the byte
 * images resident on the device into the float batch the first product
 * reads: x = pixel / 255 (BO_NN_PIXEL_SCALE, the CPU path's factor, so the
 * floats are identical), y = label.
 *
 * Holds: the CPU reference, the kernel (one thread per 4 pixels: a 4-byte
 * load and a 16-byte store, rows are 784 = 4 x 196 bytes), its launcher, a
 * host wrapper for the check, and nothing else (it is bandwidth-trivial:
 * 128 rows move 0.5 MB, under a microsecond at 3 TB/s). Never prints.
 */
#include "cuda_check.h"
#include "gpu.h"
#include "kernels.cuh"

#define QUADS (BO_NN_PIXELS / 4)

__global__ static void gather_kernel(const uint8_t *pix, const uint8_t *lab,
                                     const int32_t *order, const bo_gpu_step_args *args,
                                     size_t first, size_t n, float *x, int32_t *y)
{
    /* grid-stride: bo_gpu_blocks caps the grid */
    size_t stride = (size_t)gridDim.x * blockDim.x;
    for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n * QUADS;
         i += stride) {
        size_t r = i / QUADS, q = i % QUADS;
        size_t base = first + (args ? (size_t)args->offset : 0) + r;
        size_t row = order ? (size_t)order[base] : base;
        uchar4 u = reinterpret_cast<const uchar4 *>(pix + row * BO_NN_PIXELS)[q];
        float4 f = make_float4((float)u.x * BO_NN_PIXEL_SCALE, (float)u.y * BO_NN_PIXEL_SCALE,
                               (float)u.z * BO_NN_PIXEL_SCALE, (float)u.w * BO_NN_PIXEL_SCALE);
        reinterpret_cast<float4 *>(x + r * BO_NN_PIXELS)[q] = f;
        if (q == 0)
            y[r] = lab[row];
    }
}

/* Whether this library holds code the current device can run (machine
 * code for its architecture, or PTX the driver can compile for it):
 * opening a device succeeds on any GPU, and only the first launch would
 * say "no kernel image is available". */
cudaError_t bo_gpu_kernels_runnable(void)
{
    cudaFuncAttributes a;
    return cudaFuncGetAttributes(&a, gather_kernel);
}

cudaError_t bo_gpu_launch_gather(const uint8_t *pix, const uint8_t *lab, const int32_t *order,
                                 const bo_gpu_step_args *args, size_t first, size_t n, float *x,
                                 int32_t *y, cudaStream_t s)
{
    gather_kernel<<<bo_gpu_blocks(n * QUADS, 256), 256, 0, s>>>(pix, lab, order, args, first,
                                                                n, x, y);
    return cudaGetLastError();
}

extern "C" void bo_gpu_gather_ref(const uint8_t *pix, const uint8_t *lab, const int32_t *order,
                                  size_t n, float *x, int32_t *y)
{
    for (size_t i = 0; i < n; i++) {
        size_t row = order ? (size_t)order[i] : i;
        for (size_t j = 0; j < BO_NN_PIXELS; j++)
            x[i * BO_NN_PIXELS + j] = (float)pix[row * BO_NN_PIXELS + j] * BO_NN_PIXEL_SCALE;
        y[i] = lab[row];
    }
}

extern "C" int bo_gpu_gather_host(const uint8_t *pix, const uint8_t *lab, size_t n_rows,
                                  const int32_t *order, size_t n, float *x, int32_t *y,
                                  char *err, size_t errlen)
{
    int rc = 0;
    uint8_t *d_pix = NULL, *d_lab = NULL;
    int32_t *d_order = NULL, *d_y = NULL;
    float *d_x = NULL;
    cudaTry(cudaMalloc(&d_pix, n_rows * BO_NN_PIXELS));
    cudaTry(cudaMalloc(&d_lab, n_rows));
    cudaTry(cudaMalloc(&d_x, n * BO_NN_PIXELS * sizeof(float)));
    cudaTry(cudaMalloc(&d_y, n * sizeof(int32_t)));
    cudaTry(cudaMemcpy(d_pix, pix, n_rows * BO_NN_PIXELS, cudaMemcpyHostToDevice));
    cudaTry(cudaMemcpy(d_lab, lab, n_rows, cudaMemcpyHostToDevice));
    if (order) {
        cudaTry(cudaMalloc(&d_order, n * sizeof(int32_t)));
        cudaTry(cudaMemcpy(d_order, order, n * sizeof(int32_t), cudaMemcpyHostToDevice));
    }
    cudaTry(bo_gpu_launch_gather(d_pix, d_lab, d_order, NULL, 0, n, d_x, d_y, 0));
    cudaTry(cudaMemcpy(x, d_x, n * BO_NN_PIXELS * sizeof(float), cudaMemcpyDeviceToHost));
    cudaTry(cudaMemcpy(y, d_y, n * sizeof(int32_t), cudaMemcpyDeviceToHost));
done:
    cudaFree(d_pix);
    cudaFree(d_lab);
    cudaFree(d_order);
    cudaFree(d_x);
    cudaFree(d_y);
    return rc;
}
