/*
 * Sparse-weight products for pruned layers, and the layout changes around them.
 *
 * A pruned kernel is kept as lists of (offset, weight) entries per output column, cut at the
 * dense GEMM's K-block boundaries (pk_sgemm_k_block), so that each output is summed exactly as
 * pk_sgemm sums it: fused multiply-adds in ascending inner index from +0 over each block, the
 * blocks added in order. A pruned weight is zero, and for finite inputs fma(x, 0, s) = s
 * whenever s ≠ −0 — which a chain started from +0 never reaches short of underflow — so skipping
 * it changes nothing: the sparse products give the dense products' bits.
 *
 * The kernels are in sparse_impl.h, instantiated here for AVX-512F, AVX2+FMA and the baseline
 * instruction set, and chosen to match the dense path pk_sgemm uses.
 */
#include "PruneKitKernels.h"
#include "gemm_internal.h"
#include "vector_internal.h"

#include <string.h>

#pragma STDC FP_CONTRACT OFF

#if !PK_VECTORS || !defined(__has_builtin)
#error "the sparse kernels need GNU C vectors and __builtin_elementwise_fma (clang 17 or later)"
#elif !__has_builtin(__builtin_elementwise_fma)
#error "the sparse kernels need __builtin_elementwise_fma (clang 17 or later)"
#endif

#define PK_SPARSE_TARGET
#define PK_SPARSE_NAME(x) x##_baseline
#include "sparse_impl.h"
#undef PK_SPARSE_TARGET
#undef PK_SPARSE_NAME

#if defined(__x86_64__)
#define PK_SPARSE_TARGET __attribute__((target("avx2,fma")))
#define PK_SPARSE_NAME(x) x##_avx2
#include "sparse_impl.h"
#undef PK_SPARSE_TARGET
#undef PK_SPARSE_NAME

#define PK_SPARSE_TARGET __attribute__((target("avx512f")))
#define PK_SPARSE_NAME(x) x##_avx512
#include "sparse_impl.h"
#undef PK_SPARSE_TARGET
#undef PK_SPARSE_NAME
#endif

/* MARK: - Dispatch */

ptrdiff_t pk_sgemm_k_block(void) { return pk_gemm_active()->kc; }

int pk_sparse_available(void) { return pk_gemm_active() != &pk_gemm_kernel_portable; }

void pk_spmm(ptrdiff_t columns, ptrdiff_t blocks, const int32_t *starts, const ptrdiff_t *offsets,
             const float *values, const float *a, ptrdiff_t aStride, float *c, ptrdiff_t ldc,
             ptrdiff_t cStride, ptrdiff_t segments, ptrdiff_t length) {
    if (columns <= 0 || segments <= 0 || length <= 0) return;
#if defined(__x86_64__)
    const pk_gemm_kernel *path = pk_gemm_active();
    if (path == &pk_gemm_kernel_avx512) {
        spmm_avx512(columns, blocks, starts, offsets, values, a, aStride, c, ldc, cStride, segments, length);
        return;
    }
    if (path == &pk_gemm_kernel_avx2) {
        spmm_avx2(columns, blocks, starts, offsets, values, a, aStride, c, ldc, cStride, segments, length);
        return;
    }
#endif
    spmm_baseline(columns, blocks, starts, offsets, values, a, aStride, c, ldc, cStride, segments, length);
}

void pk_sddmm(ptrdiff_t count, const ptrdiff_t *aOffsets, const ptrdiff_t *bOffsets, const float *a,
              ptrdiff_t aStride, const float *b, ptrdiff_t bStride, ptrdiff_t segments,
              ptrdiff_t length, const int32_t *positions, float *out) {
    if (count <= 0) return;
#if defined(__x86_64__)
    const pk_gemm_kernel *path = pk_gemm_active();
    if (path == &pk_gemm_kernel_avx512) {
        sddmm_avx512(count, aOffsets, bOffsets, a, aStride, b, bStride, segments, length, positions, out);
        return;
    }
    if (path == &pk_gemm_kernel_avx2) {
        sddmm_avx2(count, aOffsets, bOffsets, a, aStride, b, bStride, segments, length, positions, out);
        return;
    }
#endif
    sddmm_baseline(count, aOffsets, bOffsets, a, aStride, b, bStride, segments, length, positions, out);
}

/* MARK: - Gathers and layout changes */

void pk_sparse_gather(ptrdiff_t count, const int32_t *index, const int32_t *position,
                      const ptrdiff_t *indexOffsets, const float *weights, ptrdiff_t *offsets,
                      float *values) {
    for (ptrdiff_t e = 0; e < count; e++) {
        offsets[e] = indexOffsets[index[e]];
        values[e] = weights[position[e]];
    }
}

/* An 8×8 block: dst[j·ldd + i] = src[i·lds + j], in registers. */
static void transpose8x8(const float *src, ptrdiff_t lds, float *dst, ptrdiff_t ldd) {
    pk_f32x8 r[8], u[8], s[8];
    for (int i = 0; i < 8; i++) r[i] = PK_CF32X8(src + i * lds);
    for (int i = 0; i < 8; i += 2) {
        u[i] = __builtin_shufflevector(r[i], r[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
        u[i + 1] = __builtin_shufflevector(r[i], r[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
    }
    for (int i = 0; i < 8; i += 4) {
        s[i] = __builtin_shufflevector(u[i], u[i + 2], 0, 1, 8, 9, 4, 5, 12, 13);
        s[i + 1] = __builtin_shufflevector(u[i], u[i + 2], 2, 3, 10, 11, 6, 7, 14, 15);
        s[i + 2] = __builtin_shufflevector(u[i + 1], u[i + 3], 0, 1, 8, 9, 4, 5, 12, 13);
        s[i + 3] = __builtin_shufflevector(u[i + 1], u[i + 3], 2, 3, 10, 11, 6, 7, 14, 15);
    }
    for (int j = 0; j < 4; j++) {
        PK_F32X8(dst + j * ldd) = __builtin_shufflevector(s[j], s[j + 4], 0, 1, 2, 3, 8, 9, 10, 11);
        PK_F32X8(dst + (j + 4) * ldd) = __builtin_shufflevector(s[j], s[j + 4], 4, 5, 6, 7, 12, 13, 14, 15);
    }
}

void pk_transpose(ptrdiff_t rows, ptrdiff_t cols, const float *src, ptrdiff_t lds, float *dst,
                  ptrdiff_t ldd) {
    const ptrdiff_t fullRows = rows / 8 * 8, fullCols = cols / 8 * 8;
    for (ptrdiff_t i = 0; i < fullRows; i += 8)
        for (ptrdiff_t j = 0; j < fullCols; j += 8) transpose8x8(src + i * lds + j, lds, dst + j * ldd + i, ldd);
    for (ptrdiff_t i = 0; i < rows; i++) {
        const ptrdiff_t firstColumn = i < fullRows ? fullCols : 0;
        for (ptrdiff_t j = firstColumn; j < cols; j++) dst[j * ldd + i] = src[i * lds + j];
    }
}

void pk_col2im_wide(const float *patches, ptrdiff_t ldp, ptrdiff_t length, ptrdiff_t width,
                    ptrdiff_t channels, ptrdiff_t kernelHeight, ptrdiff_t kernelWidth,
                    float *inputGradient, ptrdiff_t channelStride) {
    for (ptrdiff_t i = kernelHeight - 1; i >= 0; i--) {
        for (ptrdiff_t j = kernelWidth - 1; j >= 0; j--) {
            for (ptrdiff_t c = 0; c < channels; c++) {
                const float *p = patches + ((i * kernelWidth + j) * channels + c) * ldp;
                float *d = inputGradient + c * channelStride + i * width + j;
                ptrdiff_t q = 0;
                for (; q + 8 <= length; q += 8) PK_F32X8(d + q) = PK_CF32X8(d + q) + PK_CF32X8(p + q);
                for (; q < length; q++) d[q] = d[q] + p[q];
            }
        }
    }
}
