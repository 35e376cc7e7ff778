/*
 * The direct convolution of a layer with few inputs per output (the article's first
 * convolution: 3 × 3 × 1), without im2col: 16 filters per vector, each input broadcast, and the
 * patch elements summed in im2col's order with pk_sgemm's K blocks, so the products are
 * im2col + pk_sgemm's bits; bias, ReLU and max pooling optionally fused, as
 * pk_bias_maxpool_forward computes them.
 *
 * The kernel is in conv_direct_impl.h, instantiated here for AVX-512F, AVX2+FMA and the baseline
 * instruction set, and chosen to match the dense path pk_sgemm uses.
 */
#include "PruneKitKernels.h"
#include "gemm_internal.h"
#include "vector_internal.h"

#include <string.h>

#pragma STDC FP_CONTRACT OFF

#if !PK_VECTORS || !defined(__has_builtin)
#error "the direct convolution needs GNU C vectors and __builtin_elementwise_fma (clang 17 or later)"
#elif !__has_builtin(__builtin_elementwise_fma)
#error "the direct convolution needs __builtin_elementwise_fma (clang 17 or later)"
#endif

/* The gradient at a convolution's outputs given by its pooling's gradient and switches
   (pk_conv_direct_pool_kernel_gradient), for samples from the first the kernel reads. */
typedef struct {
    const float *gradient;   /* [height, width, filters] per sample */
    const uint8_t *switches; /* switchStride bytes per pooled position */
    ptrdiff_t switchStride, filters, height, width, poolHeight, poolWidth;
} pk_switched_gradient;

#define PK_DIRECT_TARGET
#define PK_DIRECT_NAME(x) x##_baseline
#define PK_DIRECT_TILE 4
#define PK_GRADIENT_TILE 4
#include "conv_direct_impl.h"
#undef PK_DIRECT_TARGET
#undef PK_DIRECT_NAME
#undef PK_DIRECT_TILE
#undef PK_GRADIENT_TILE

#if defined(__x86_64__)
#define PK_DIRECT_TARGET __attribute__((target("avx2,fma")))
#define PK_DIRECT_NAME(x) x##_avx2
#define PK_DIRECT_TILE 3 /* 6 of the 16 ymm registers for s, 6 for t */
#define PK_GRADIENT_TILE 3
#include "conv_direct_impl.h"
#undef PK_DIRECT_TARGET
#undef PK_DIRECT_NAME
#undef PK_DIRECT_TILE
#undef PK_GRADIENT_TILE

#define PK_DIRECT_TARGET __attribute__((target("avx512f")))
#define PK_DIRECT_NAME(x) x##_avx512
#define PK_DIRECT_TILE 8 /* 16 of the 32 zmm registers for s and t */
#define PK_GRADIENT_TILE 16 /* 16 zmm registers for s; t is touched once per K block */
#include "conv_direct_impl.h"
#undef PK_DIRECT_TARGET
#undef PK_DIRECT_NAME
#undef PK_DIRECT_TILE
#undef PK_GRADIENT_TILE
#endif

void pk_conv_direct(const float *input, ptrdiff_t samples, ptrdiff_t inputHeight, ptrdiff_t inputWidth,
                    ptrdiff_t channels, ptrdiff_t kernelHeight, ptrdiff_t kernelWidth, const float *weights,
                    ptrdiff_t filters, const float *bias, int relu, ptrdiff_t poolHeight, ptrdiff_t poolWidth,
                    float *scratch, float *output, uint8_t *switches, ptrdiff_t switchStride,
                    ptrdiff_t sampleSwitchStride) {
    const ptrdiff_t patch = kernelHeight * kernelWidth * channels;
    if (samples <= 0 || filters <= 0 || patch <= 0) return;
    const ptrdiff_t kc = pk_sgemm_k_block(), blocks = (patch + kc - 1) / kc;
#if defined(__x86_64__)
    const pk_gemm_kernel *path = pk_gemm_active();
    if (path == &pk_gemm_kernel_avx512) {
        conv_direct_avx512(input, samples, inputHeight, inputWidth, channels, kernelHeight, kernelWidth, weights,
                           filters, blocks, bias, relu, poolHeight, poolWidth, scratch, output, switches, switchStride,
                           sampleSwitchStride);
        return;
    }
    if (path == &pk_gemm_kernel_avx2) {
        conv_direct_avx2(input, samples, inputHeight, inputWidth, channels, kernelHeight, kernelWidth, weights,
                         filters, blocks, bias, relu, poolHeight, poolWidth, scratch, output, switches, switchStride,
                         sampleSwitchStride);
        return;
    }
#endif
    conv_direct_baseline(input, samples, inputHeight, inputWidth, channels, kernelHeight, kernelWidth, weights,
                         filters, blocks, bias, relu, poolHeight, poolWidth, scratch, output, switches, switchStride,
                         sampleSwitchStride);
}

/* conv_direct_kernel_gradient on the instance matching pk_sgemm's path, from `gradient` or, when
   `pooled` is not NULL, from a pooling's gradient and switches. */
static void directKernelGradient(const float *input, ptrdiff_t samples, ptrdiff_t inputHeight,
                                 ptrdiff_t inputWidth, ptrdiff_t channels, ptrdiff_t kernelHeight,
                                 ptrdiff_t kernelWidth, const float *gradient, const pk_switched_gradient *pooled,
                                 ptrdiff_t filters, float *kernelGradient, float *biasGradient) {
    const ptrdiff_t patch = kernelHeight * kernelWidth * channels;
    const ptrdiff_t rows = samples * (inputHeight - kernelHeight + 1) * (inputWidth - kernelWidth + 1);
    if (patch <= 0 || filters <= 0) return;
    if (rows <= 0) {
        memset(kernelGradient, 0, (size_t)(patch * filters) * sizeof(float));
        if (biasGradient) memset(biasGradient, 0, (size_t)filters * sizeof(float));
        return;
    }
    const ptrdiff_t kc = pk_sgemm_k_block(), blocks = (rows + kc - 1) / kc, vectors = filters / 16;
#if defined(__x86_64__)
    const pk_gemm_kernel *path = pk_gemm_active();
    if (path == &pk_gemm_kernel_avx512) {
        conv_direct_kernel_gradient_avx512(input, samples, inputHeight, inputWidth, channels, kernelHeight, kernelWidth,
                                           gradient, filters, vectors, blocks, kernelGradient, filters, biasGradient, pooled);
        return;
    }
    if (path == &pk_gemm_kernel_avx2) {
        conv_direct_kernel_gradient_avx2(input, samples, inputHeight, inputWidth, channels, kernelHeight, kernelWidth,
                                         gradient, filters, vectors, blocks, kernelGradient, filters, biasGradient, pooled);
        return;
    }
#endif
    conv_direct_kernel_gradient_baseline(input, samples, inputHeight, inputWidth, channels, kernelHeight, kernelWidth,
                                         gradient, filters, vectors, blocks, kernelGradient, filters, biasGradient, pooled);
}

void pk_conv_direct_kernel_gradient(const float *input, ptrdiff_t samples, ptrdiff_t inputHeight,
                                    ptrdiff_t inputWidth, ptrdiff_t channels, ptrdiff_t kernelHeight,
                                    ptrdiff_t kernelWidth, const float *gradient, ptrdiff_t filters,
                                    float *kernelGradient, float *biasGradient) {
    directKernelGradient(input, samples, inputHeight, inputWidth, channels, kernelHeight, kernelWidth, gradient, NULL,
                         filters, kernelGradient, biasGradient);
}

void pk_conv_direct_pool_kernel_gradient(const float *input, ptrdiff_t samples, ptrdiff_t inputHeight,
                                         ptrdiff_t inputWidth, ptrdiff_t channels, ptrdiff_t kernelHeight,
                                         ptrdiff_t kernelWidth, const float *pooledGradient, const uint8_t *switches,
                                         ptrdiff_t switchStride, ptrdiff_t poolHeight, ptrdiff_t poolWidth,
                                         ptrdiff_t filters, float *kernelGradient, float *biasGradient) {
    const pk_switched_gradient pooled = {
        pooledGradient, switches, switchStride, filters, (inputHeight - kernelHeight + 1) / poolHeight,
        (inputWidth - kernelWidth + 1) / poolWidth, poolHeight, poolWidth};
    directKernelGradient(input, samples, inputHeight, inputWidth, channels, kernelHeight, kernelWidth, NULL, &pooled,
                         filters, kernelGradient, biasGradient);
}
