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
 * The kernels are in sparse_impl.h and sparse_rows_impl.h, instantiated here for AVX-512F,
 * AVX2+FMA and the baseline instruction set, and chosen to match the dense path pk_sgemm uses.
 */
#include "PruneKitKernels.h"
#include "gemm_internal.h"
#include "vector_internal.h"

#include <string.h>

/* pk_spconv_pool_lanes' switch words hold a sample's switches in memory order once transposed. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "switch words need a little-endian target");

#pragma STDC FP_CONTRACT OFF

#if !PK_VECTORS || !defined(__has_builtin)
#error "the sparse kernels need GNU C vectors and __builtin_elementwise_fma (clang 17 or later)"
#elif !__has_builtin(__builtin_elementwise_fma)
#error "the sparse kernels need __builtin_elementwise_fma (clang 17 or later)"
#endif

#define PK_SPARSE_TARGET
#define PK_SPARSE_NAME(x) x##_baseline
#define PK_SPARSE_MAX_VECTORS 4
#define PK_SPARSE_MAX_SINGLE 3 /* 12 of the 16 xmm registers */
#define PK_SPCONV_PAIR_VECTORS 4 /* accumulators of pk_spconv_pool_lanes for 2 × 2 windows: one window */
#define PK_SDDMM_GROUP 2 /* 8 xmm registers of chains, 4 for b */
#define PK_SPARSE_TRANSPOSE 1
#include "sparse_impl.h"
#undef PK_SPARSE_TARGET
#undef PK_SPARSE_NAME
#undef PK_SPARSE_MAX_VECTORS
#undef PK_SPARSE_MAX_SINGLE
#undef PK_SPCONV_PAIR_VECTORS
#undef PK_SDDMM_GROUP
#undef PK_SPARSE_TRANSPOSE

#if defined(__x86_64__)
#define PK_SPARSE_TARGET __attribute__((target("avx2,fma")))
#define PK_SPARSE_NAME(x) x##_avx2
#define PK_SPARSE_MAX_VECTORS 3 /* 6 of the 16 ymm registers for t, 6 for s */
#define PK_SPARSE_MAX_SINGLE 6 /* 12 of the 16 ymm registers */
#define PK_SPCONV_PAIR_VECTORS 4 /* one 2 × 2 window: 8 of the 16 ymm registers */
#define PK_SDDMM_GROUP 4 /* 8 ymm registers of chains, 2 for b */
#define PK_SPARSE_TRANSPOSE 1
#include "sparse_impl.h"
#undef PK_SPARSE_TARGET
#undef PK_SPARSE_NAME
#undef PK_SPARSE_MAX_VECTORS
#undef PK_SPARSE_MAX_SINGLE
#undef PK_SPCONV_PAIR_VECTORS
#undef PK_SDDMM_GROUP
#undef PK_SPARSE_TRANSPOSE

#define PK_SPARSE_TARGET __attribute__((target("avx512f")))
#define PK_SPARSE_NAME(x) x##_avx512
#define PK_SPARSE_MAX_VECTORS 8 /* 16 of the 32 zmm registers for t and s */
#define PK_SPARSE_MAX_SINGLE 12 /* 12 of the 32 zmm registers */
#define PK_SPCONV_PAIR_VECTORS 8 /* two 2 × 2 windows: 8 of the 32 zmm registers */
#define PK_SDDMM_GROUP 8 /* 8 zmm registers of chains */
#define PK_SPARSE_TRANSPOSE 0 /* 8×8 blocks: the AVX2 instance serves */
#include "sparse_impl.h"
#undef PK_SPARSE_TARGET
#undef PK_SPARSE_NAME
#undef PK_SPARSE_MAX_VECTORS
#undef PK_SPARSE_MAX_SINGLE
#undef PK_SPCONV_PAIR_VECTORS
#undef PK_SDDMM_GROUP
#undef PK_SPARSE_TRANSPOSE
#endif

/* pk_spmm_rows: sums of 4 vectors (one 16 KiB tile for 64 columns) per pass, after the kernels above. */
#define PK_SPMM_ROWS_TILE 4
#define PK_SPARSE_TARGET
#define PK_SPARSE_NAME(x) x##_baseline
#include "sparse_rows_impl.h"
#undef PK_SPARSE_TARGET
#undef PK_SPARSE_NAME
#if defined(__x86_64__)
#define PK_SPARSE_TARGET __attribute__((target("avx2,fma")))
#define PK_SPARSE_NAME(x) x##_avx2
#include "sparse_rows_impl.h"
#undef PK_SPARSE_TARGET
#undef PK_SPARSE_NAME
#define PK_SPARSE_TARGET __attribute__((target("avx512f")))
#define PK_SPARSE_NAME(x) x##_avx512
#include "sparse_rows_impl.h"
#undef PK_SPARSE_TARGET
#undef PK_SPARSE_NAME
#endif
#undef PK_SPMM_ROWS_TILE

/* MARK: - Dispatch (PK_PATH_DISPATCH, gemm_internal.h) */

ptrdiff_t pk_sgemm_k_block(void) { return pk_gemm_active()->kc; }

int pk_sparse_available(void) { return pk_gemm_active() != &pk_gemm_kernel_portable; }

void pk_spmm(ptrdiff_t columns, ptrdiff_t blocks, const int32_t *starts, const int32_t *offsets,
             ptrdiff_t offsetScale, const float *values, const float *a, ptrdiff_t aStride, float *c, ptrdiff_t ldc,
             ptrdiff_t cStride, ptrdiff_t segments, ptrdiff_t length) {
    if (columns <= 0 || segments <= 0 || length <= 0) return;
    PK_PATH_DISPATCH(spmm, columns, blocks, starts, offsets, offsetScale, values, a, aStride, c, ldc, cStride, segments,
                       length);
}

void pk_sddmm(ptrdiff_t columns, ptrdiff_t blocks, const int32_t *starts, const int32_t *aOffsets,
              ptrdiff_t aScale, const float *a, ptrdiff_t aStride, const float *b, ptrdiff_t ldb, const int32_t *bOffsets,
              ptrdiff_t bStride, ptrdiff_t segments, ptrdiff_t length, const int32_t *positions, float *partial, float *out) {
    if (columns <= 0) return;
    PK_PATH_DISPATCH(sddmm, columns, blocks, starts, aOffsets, aScale, a, aStride, b, ldb, bOffsets, bStride, segments,
                       length, positions, partial, out);
}

void pk_spconv_pool_lanes(ptrdiff_t filters, ptrdiff_t blocks, const int32_t *starts, const int32_t *offsets,
                          const float *values, const float *bias, int relu, const float *input, ptrdiff_t rowStride,
                          ptrdiff_t pixelStride, ptrdiff_t pooledHeight, ptrdiff_t pooledWidth, ptrdiff_t poolHeight,
                          ptrdiff_t poolWidth, float *scratch, float *output, ptrdiff_t outputFilterStride,
                          ptrdiff_t outputPixelStride, int32_t *switchWords, ptrdiff_t switchWordStride) {
    if (filters <= 0 || pooledHeight <= 0 || pooledWidth <= 0) return;
    PK_PATH_DISPATCH(spconv_pool_lanes, filters, blocks, starts, offsets, values, bias, relu, input, rowStride, pixelStride,
                       pooledHeight, pooledWidth, poolHeight, poolWidth, scratch, output, outputFilterStride, outputPixelStride,
                       switchWords, switchWordStride);
}

void pk_spmm_rows(ptrdiff_t rows, ptrdiff_t blocks, const int32_t *starts, ptrdiff_t rowStride,
                  const int32_t *entryColumns, const float *values, const float *a, ptrdiff_t lda, ptrdiff_t columns,
                  ptrdiff_t width, float *scratch, float *c, ptrdiff_t ldc) {
    if (columns <= 0 || width <= 0) return;
    PK_PATH_DISPATCH(spmm_rows, rows, blocks, starts, rowStride, entryColumns, values, a, lda, columns, width, scratch,
                       c, ldc);
}

void pk_spmv(ptrdiff_t rows, ptrdiff_t blocks, const int32_t *starts, ptrdiff_t rowStride,
             const int32_t *entryColumns, const float *values, const float *input, ptrdiff_t columns,
             float *scratch, float *output) {
    if (columns <= 0) return;
    PK_PATH_DISPATCH(spmv, rows, blocks, starts, rowStride, entryColumns, values, input, columns, scratch, output);
}

/* MARK: - Gathers and layout changes */

void pk_nonzero_positions(const float *values, ptrdiff_t rows, ptrdiff_t columns, int32_t *entryRows,
                          int32_t *entryColumns, int32_t *positions) {
    /* A 64-bit mask of non-zeros at a time, then its set bits: no branch on each value (a
       pruned kernel's zeros are random, so such a branch would mispredict at every kept one). */
    ptrdiff_t e = 0;
    for (ptrdiff_t k = 0; k < rows; k++) {
        const float *row = values + k * columns;
        for (ptrdiff_t n0 = 0; n0 < columns; n0 += 64) {
            const ptrdiff_t width = columns - n0 < 64 ? columns - n0 : 64;
            uint64_t bits = 0;
            for (ptrdiff_t i = 0; i < width; i++) bits |= (uint64_t)(row[n0 + i] != 0.0f) << i;
            for (; bits != 0; bits &= bits - 1, e++) {
                const ptrdiff_t n = n0 + __builtin_ctzll(bits);
                entryRows[e] = (int32_t)k;
                entryColumns[e] = (int32_t)n;
                positions[e] = (int32_t)(k * columns + n);
            }
        }
    }
}

/* Bit i set where row[i] ≠ 0, for i < width ≤ 64: 16 lanes compared at once where they are whole. */
static uint64_t nonzeroBits(const float *row, ptrdiff_t width) {
    uint64_t bits = 0;
    ptrdiff_t i = 0;
#if __has_builtin(__builtin_reduce_or)
    const pk_i32x16 lanes = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768};
    for (; i + 16 <= width; i += 16) {
        const pk_i32x16 set = (pk_i32x16)(PK_CF32X16(row + i) != 0.0f) & lanes;
        bits |= (uint64_t)(uint32_t)__builtin_reduce_or(set) << i;
    }
#endif
    for (; i < width; i++) bits |= (uint64_t)(row[i] != 0.0f) << i;
    return bits;
}

ptrdiff_t pk_nonzero_entries(const float *values, ptrdiff_t rows, ptrdiff_t columns, ptrdiff_t columnBlocks,
                             ptrdiff_t capacity, int32_t *rowStarts, int32_t *rowColumns, float *rowValues) {
    /* As pk_nonzero_positions finds them, a start written at each column block's first entry. */
    ptrdiff_t e = 0;
    int fits = 0;
    for (ptrdiff_t r = 0; r < rows; r++) {
        /* Once a row could overflow the arrays, the rest is counted once: it fits, or the lists are given up. */
        if (!fits && e > capacity - columns) {
            ptrdiff_t left = 0;
            for (ptrdiff_t i = r * columns; i < rows * columns; i++) left += values[i] != 0.0f;
            if (e + left > capacity) return -1;
            fits = 1;
        }
        const float *row = values + r * columns;
        ptrdiff_t columnBlock = 0, nextColumnBlock = pk_block_start(columns, columnBlocks, 1);
        rowStarts[r * columnBlocks] = (int32_t)e;
        for (ptrdiff_t n0 = 0; n0 < columns; n0 += 64) {
            uint64_t bits = nonzeroBits(row + n0, columns - n0 < 64 ? columns - n0 : 64);
            for (; bits != 0; bits &= bits - 1, e++) {
                const ptrdiff_t n = n0 + __builtin_ctzll(bits);
                while (n >= nextColumnBlock) {
                    rowStarts[r * columnBlocks + ++columnBlock] = (int32_t)e;
                    nextColumnBlock = pk_block_start(columns, columnBlocks, columnBlock + 1);
                }
                rowColumns[e] = (int32_t)n;
                rowValues[e] = row[n];
            }
        }
        while (++columnBlock < columnBlocks) rowStarts[r * columnBlocks + columnBlock] = (int32_t)e;
    }
    rowStarts[rows * columnBlocks] = (int32_t)e;
    return e;
}

void pk_gather(ptrdiff_t count, const int32_t *index, const float *source, float *destination) {
    for (ptrdiff_t e = 0; e < count; e++) destination[e] = source[index[e]];
}

void pk_gather_i32(ptrdiff_t count, const int32_t *index, const int32_t *source, int32_t *destination) {
    for (ptrdiff_t e = 0; e < count; e++) destination[e] = source[index[e]];
}

void pk_transpose(ptrdiff_t rows, ptrdiff_t cols, const float *src, ptrdiff_t lds, float *dst,
                  ptrdiff_t ldd) {
    /* A single column read with unit stride (a one-channel image to its plane), or a single row
       written with unit stride: a copy. */
    if ((cols == 1 && lds == 1) || (rows == 1 && ldd == 1)) {
        if (rows > 0 && cols > 0) memcpy(dst, src, (size_t)(rows * cols) * sizeof(float));
        return;
    }
#if defined(__x86_64__)
    if (pk_path_has_avx2()) {
        transpose_avx2(rows, cols, src, lds, dst, ldd);
        return;
    }
#endif
    transpose_baseline(rows, cols, src, lds, dst, ldd);
}

/* pk_col2im_wide's loop, inlined into a baseline and an AVX2 instance (its 8-float vectors in
   single registers); plain additions, so both give the same bits. */
static inline __attribute__((always_inline)) void col2imWide(const float *patches, ptrdiff_t ldp, ptrdiff_t length,
                                                             ptrdiff_t width, ptrdiff_t channels, ptrdiff_t kernelHeight,
                                                             ptrdiff_t kernelWidth, float *inputGradient,
                                                             ptrdiff_t channelStride) {
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

#if defined(__x86_64__)
static __attribute__((target("avx2"))) void col2imWideAVX2(const float *patches, ptrdiff_t ldp, ptrdiff_t length,
                                                           ptrdiff_t width, ptrdiff_t channels, ptrdiff_t kernelHeight,
                                                           ptrdiff_t kernelWidth, float *inputGradient,
                                                           ptrdiff_t channelStride) {
    col2imWide(patches, ldp, length, width, channels, kernelHeight, kernelWidth, inputGradient, channelStride);
}
#endif

void pk_col2im_wide(const float *patches, ptrdiff_t ldp, ptrdiff_t length, ptrdiff_t width,
                    ptrdiff_t channels, ptrdiff_t kernelHeight, ptrdiff_t kernelWidth,
                    float *inputGradient, ptrdiff_t channelStride) {
#if defined(__x86_64__)
    if (pk_path_has_avx2()) {
        col2imWideAVX2(patches, ldp, length, width, channels, kernelHeight, kernelWidth, inputGradient, channelStride);
        return;
    }
#endif
    col2imWide(patches, ldp, length, width, channels, kernelHeight, kernelWidth, inputGradient, channelStride);
}
