/*
 * Max pooling over non-overlapping windows (see pk_maxpool_forward, pk_bias_maxpool_forward,
 * pk_bias_maxpool_planes and pk_maxpool_backward in PruneKitKernels.h). The kernels are in
 * pooling_impl.h, instantiated here for AVX-512F (16 lanes), AVX2 (8 lanes) and the baseline
 * instruction set (8-lane GNU C vectors, vector_internal.h), and chosen with the path pk_sgemm
 * uses; every lane performs the scalar code's operations, so all paths give the same bits.
 */
#include "PruneKitKernels.h"
#include "gemm_internal.h"
#include "vector_internal.h"

#include <string.h>

#pragma STDC FP_CONTRACT OFF

#if !PK_VECTORS
#error "the pooling kernels need GNU C vectors (clang or GCC)"
#endif

/* value + bias, then ReLU as pk_relu computes it when relu is set (+0 unless greater than 0). */
static inline float biasActivation(float value, float bias, int relu) {
    const float v = value + bias;
    return relu ? (v > 0.0f ? v : 0.0f) : v;
}

/* One output of pk_bias_maxpool_planes: the window at `window`, rows `rowStride` apart. */
static inline float poolWindow(const float *window, ptrdiff_t rowStride, float bias, int relu,
                               ptrdiff_t poolHeight, ptrdiff_t poolWidth) {
    float m = biasActivation(window[0], bias, relu);
    for (ptrdiff_t i = 0; i < poolHeight; i++)
        for (ptrdiff_t j = i == 0 ? 1 : 0; j < poolWidth; j++) {
            const float v = biasActivation(window[i * rowStride + j], bias, relu);
            m = v > m ? v : m;
        }
    return m;
}

/* +0 in the inputs no window covers: a dropped last row or column of one sample. */
static void zeroUncovered(float *inputGradient, ptrdiff_t inputSize, ptrdiff_t inputWidth, ptrdiff_t channels,
                          ptrdiff_t outputHeight, ptrdiff_t outputWidth, ptrdiff_t poolHeight, ptrdiff_t poolWidth) {
    const ptrdiff_t rowSize = inputWidth * channels, covered = outputWidth * poolWidth * channels;
    const ptrdiff_t coveredRows = outputHeight * poolHeight;
    if (covered < rowSize)
        for (ptrdiff_t y = 0; y < coveredRows; y++)
            memset(inputGradient + y * rowSize + covered, 0, (size_t)(rowSize - covered) * sizeof(float));
    if (coveredRows * rowSize < inputSize)
        memset(inputGradient + coveredRows * rowSize, 0, (size_t)(inputSize - coveredRows * rowSize) * sizeof(float));
}

#define PK_POOL_TARGET
#define PK_POOL_NAME(x) x##_baseline
#define PK_POOL_V pk_f32x8
#define PK_POOL_I pk_i32x8
#define PK_POOL_LANES 8
#define PK_POOL_U8 pk_u8x8
#include "pooling_impl.h"
#undef PK_POOL_TARGET
#undef PK_POOL_NAME
#undef PK_POOL_V
#undef PK_POOL_I
#undef PK_POOL_LANES
#undef PK_POOL_U8

#if defined(__x86_64__)
#define PK_POOL_TARGET __attribute__((target("avx2")))
#define PK_POOL_NAME(x) x##_avx2
#define PK_POOL_V pk_f32x8
#define PK_POOL_I pk_i32x8
#define PK_POOL_LANES 8
#define PK_POOL_U8 pk_u8x8
#include "pooling_impl.h"
#undef PK_POOL_TARGET
#undef PK_POOL_NAME
#undef PK_POOL_V
#undef PK_POOL_I
#undef PK_POOL_LANES
#undef PK_POOL_U8

#define PK_POOL_TARGET __attribute__((target("avx512f")))
#define PK_POOL_NAME(x) x##_avx512
#define PK_POOL_V pk_f32x16
#define PK_POOL_I pk_i32x16
#define PK_POOL_LANES 16
#define PK_POOL_U8 pk_u8x16
#include "pooling_impl.h"
#undef PK_POOL_TARGET
#undef PK_POOL_NAME
#undef PK_POOL_V
#undef PK_POOL_I
#undef PK_POOL_LANES
#undef PK_POOL_U8
#endif

/* MARK: - Dispatch (PK_PATH_DISPATCH, gemm_internal.h) */

void pk_maxpool_forward(const float *input, float *output, ptrdiff_t inputWidth,
                        ptrdiff_t channels, ptrdiff_t outputHeight, ptrdiff_t outputWidth,
                        ptrdiff_t poolHeight, ptrdiff_t poolWidth) {
    PK_PATH_DISPATCH(maxpool_forward, input, output, inputWidth, channels, outputHeight, outputWidth, poolHeight,
                     poolWidth);
}

void pk_bias_maxpool_forward(const float *input, const float *bias, int relu, float *output,
                             ptrdiff_t inputWidth, ptrdiff_t channels, ptrdiff_t outputHeight,
                             ptrdiff_t outputWidth, ptrdiff_t poolHeight, ptrdiff_t poolWidth,
                             uint8_t *switches, ptrdiff_t switchStride) {
    PK_PATH_DISPATCH(bias_maxpool_forward, input, bias, relu, output, inputWidth, channels, outputHeight,
                     outputWidth, poolHeight, poolWidth, switches, switchStride);
}

void pk_maxpool_switch_backward(const float *outputGradient, const uint8_t *switches, ptrdiff_t switchStride,
                                float *inputGradient, ptrdiff_t inputSize, ptrdiff_t inputWidth,
                                ptrdiff_t channels, ptrdiff_t outputHeight, ptrdiff_t outputWidth,
                                ptrdiff_t poolHeight, ptrdiff_t poolWidth) {
    PK_PATH_DISPATCH(maxpool_switch_backward, outputGradient, switches, switchStride, inputGradient, inputSize,
                     inputWidth, channels, outputHeight, outputWidth, poolHeight, poolWidth);
}

void pk_bias_maxpool_planes(const float *planes, ptrdiff_t planeStride, ptrdiff_t rowStride,
                            const float *bias, int relu, float *output, ptrdiff_t outputPlaneStride,
                            ptrdiff_t channels, ptrdiff_t outputHeight, ptrdiff_t outputWidth,
                            ptrdiff_t poolHeight, ptrdiff_t poolWidth) {
    PK_PATH_DISPATCH(bias_maxpool_planes, planes, planeStride, rowStride, bias, relu, output, outputPlaneStride,
                     channels, outputHeight, outputWidth, poolHeight, poolWidth);
}

void pk_maxpool_backward(const float *input, const float *output, const float *outputGradient,
                         float *inputGradient, ptrdiff_t inputSize, ptrdiff_t inputWidth,
                         ptrdiff_t channels, ptrdiff_t outputHeight, ptrdiff_t outputWidth,
                         ptrdiff_t poolHeight, ptrdiff_t poolWidth, int relu) {
    PK_PATH_DISPATCH(maxpool_backward, input, output, outputGradient, inputGradient, inputSize, inputWidth, channels,
                     outputHeight, outputWidth, poolHeight, poolWidth, relu);
}
