/*
 * Packing of op(A) and op(B) into the k-major panels the micro-kernels read.
 *
 * A panel of width r holds r consecutive floats per k: dst[k·r + j]. Packing an A panel without
 * transposition and a B panel with transposition are the same operation (gather r strided rows,
 * "transpose"); packing a transposed A panel or a plain B panel is a strided copy ("copy"). The
 * transposes are therefore fully handled here and the micro-kernels see a single layout.
 * Panel widths are specialised to compile-time constants so the inner loops unroll; full-width
 * copies move vectors (vector_internal.h), so they are also cheap at -O0 (SwiftPM's debug level).
 */
#include "gemm_internal.h"
#include "vector_internal.h"

#if defined(__GNUC__)
#define PK_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define PK_ALWAYS_INLINE inline
#endif

/* dst[j] = src[j] for j < r: vectors of 8 (or 4) floats, the last one overlapping the one
   before when r is not a multiple; scalars only for r < 4. */
static PK_ALWAYS_INLINE void copyRow(const float *src, int r, float *restrict dst) {
#if PK_VECTORS
    if (r >= 8) {
        int j = 0;
        for (; j + 8 <= r; j += 8) PK_F32X8(dst + j) = PK_CF32X8(src + j);
        if (j < r) PK_F32X8(dst + r - 8) = PK_CF32X8(src + r - 8);
        return;
    }
    if (r >= 4) {
        PK_F32X4(dst) = PK_CF32X4(src);
        PK_F32X4(dst + r - 4) = PK_CF32X4(src + r - 4);
        return;
    }
#endif
    for (int j = 0; j < r; j++) dst[j] = src[j];
}

/* dst[k·r + j] = src[k·ld + j] for j < w, 0 for w ≤ j < r. */
static PK_ALWAYS_INLINE void copyPanel(const float *src, ptrdiff_t ld, ptrdiff_t kc,
                                       ptrdiff_t w, int r, float *restrict dst) {
    if (w == r) {
        for (ptrdiff_t k = 0; k < kc; k++) copyRow(src + k * ld, r, dst + k * r);
        return;
    }
    for (ptrdiff_t k = 0; k < kc; k++) {
        for (ptrdiff_t j = 0; j < w; j++) dst[k * r + j] = src[k * ld + j];
        for (ptrdiff_t j = w; j < r; j++) dst[k * r + j] = 0.0f;
    }
}


/* dst[k·r + j] = src[j·ld + k] for j < w, 0 for w ≤ j < r. */
static PK_ALWAYS_INLINE void transposePanel(const float *src, ptrdiff_t ld, ptrdiff_t kc,
                                            ptrdiff_t w, int r, float *restrict dst) {
    if (w == r) {
        ptrdiff_t k = 0;
#if PK_VECTORS
        /* Blocks of 8 × 8 for panel widths that are multiples of 8 (B panels of 16 or 32 columns). */
        if (r % 8 == 0)
            for (; k + 8 <= kc; k += 8)
                for (int j = 0; j < r; j += 8) {
                    const float *const rows[8] = {src + j * ld + k, src + (j + 1) * ld + k, src + (j + 2) * ld + k,
                                                  src + (j + 3) * ld + k, src + (j + 4) * ld + k, src + (j + 5) * ld + k,
                                                  src + (j + 6) * ld + k, src + (j + 7) * ld + k};
                    pk_transpose8x8(rows, dst + k * r + j, r);
                }
#endif
        for (; k < kc; k++)
            for (int j = 0; j < r; j++) dst[k * r + j] = src[j * ld + k];
        return;
    }
    for (ptrdiff_t k = 0; k < kc; k++) {
        for (ptrdiff_t j = 0; j < w; j++) dst[k * r + j] = src[j * ld + k];
        for (ptrdiff_t j = w; j < r; j++) dst[k * r + j] = 0.0f;
    }
}

/* Packs `count` columns of a panel sequence (consecutive panels of width r) by copy or transpose. */
static PK_ALWAYS_INLINE void packPanels(int transpose, const float *src, ptrdiff_t ld,
                                        ptrdiff_t kc, ptrdiff_t count, int r, float *dst) {
    for (ptrdiff_t j = 0; j < count; j += r) {
        ptrdiff_t w = count - j < r ? count - j : r;
        if (transpose) transposePanel(src + j * ld, ld, kc, w, r, dst + j * kc);
        else copyPanel(src + j, ld, kc, w, r, dst + j * kc);
    }
}

/* Dispatches on the panel width so that each supported width gets an unrolled instance. */
static void packAny(int transpose, const float *src, ptrdiff_t ld, ptrdiff_t kc,
                    ptrdiff_t count, int r, float *dst) {
    switch (r) {
    case 4: packPanels(transpose, src, ld, kc, count, 4, dst); break;
    case 6: packPanels(transpose, src, ld, kc, count, 6, dst); break;
    case 8: packPanels(transpose, src, ld, kc, count, 8, dst); break;
    case 12: packPanels(transpose, src, ld, kc, count, 12, dst); break;
    case 16: packPanels(transpose, src, ld, kc, count, 16, dst); break;
    case 32: packPanels(transpose, src, ld, kc, count, 32, dst); break;
    default: packPanels(transpose, src, ld, kc, count, r, dst); break;
    }
}

void pk_pack_a(int transA, const float *A, ptrdiff_t lda, ptrdiff_t i0, ptrdiff_t mc,
               ptrdiff_t p0, ptrdiff_t kc, int mr, float *dst) {
    /* op(A)[i][k] is A[i·lda + k] (rows gathered: transpose) or A[k·lda + i] (copy). */
    if (transA) packAny(0, A + p0 * lda + i0, lda, kc, mc, mr, dst);
    else packAny(1, A + i0 * lda + p0, lda, kc, mc, mr, dst);
}

void pk_pack_b(int transB, const float *B, ptrdiff_t ldb, ptrdiff_t p0, ptrdiff_t kc,
               ptrdiff_t j0, ptrdiff_t nc, int nr, float *dst) {
    /* op(B)[k][j] is B[k·ldb + j] (copy) or B[j·ldb + k] (columns gathered: transpose). */
    if (transB) packAny(1, B + j0 * ldb + p0, ldb, kc, nc, nr, dst);
    else packAny(0, B + p0 * ldb + j0, ldb, kc, nc, nr, dst);
}

/* pk_pack_a_patches' loop, inlined into a baseline and, on x86-64, an AVX2 instance (its 8-float
   vectors and shuffles in single registers), chosen with the GEMM path. Within a K
   block, each kernel-row segment of a panel's w rows is contiguous in the input: dst[k·mr + j] =
   rows[j][k] for j < w, by 8 × 8 register transposes while 8 values of each row are left, single
   values after. The lanes of a panel's missing rows (w ≤ j < mr) hold copies of row 0 in the
   transposed part, +0 after: the micro-kernel's results for them go to its scratch tile and never
   reach C. */
static PK_ALWAYS_INLINE void packPatches(const float *input, const ptrdiff_t *rowOffsets, ptrdiff_t segmentLength,
                                         ptrdiff_t segmentStride, ptrdiff_t i0, ptrdiff_t mc, ptrdiff_t p0, ptrdiff_t kc,
                                         int mr, float *dst) {
    for (ptrdiff_t i = 0; i < mc; i += mr) {
        const ptrdiff_t w = mc - i < mr ? mc - i : mr;
        for (ptrdiff_t k0 = p0; k0 < p0 + kc;) {
            const ptrdiff_t segment = k0 / segmentLength, t0 = k0 % segmentLength;
            const ptrdiff_t count = segmentLength - t0 < p0 + kc - k0 ? segmentLength - t0 : p0 + kc - k0;
            const float *rows[8];
            for (ptrdiff_t j = 0; j < 8; j++)
                rows[j] = input + rowOffsets[i0 + i + (j < w ? j : 0)] + segment * segmentStride + t0;
            float *out = dst + i * kc + (k0 - p0) * mr;
            ptrdiff_t k = 0;
#if PK_VECTORS
            for (; k + 8 <= count; k += 8) {
                const float *const at[8] = {rows[0] + k, rows[1] + k, rows[2] + k, rows[3] + k,
                                            rows[4] + k, rows[5] + k, rows[6] + k, rows[7] + k};
                if (mr == 8) {
                    pk_transpose8x8(at, out + k * 8, 8);
                } else {
                    float transposed[64];
                    pk_transpose8x8(at, transposed, 8);
                    for (int t = 0; t < 8; t++)
                        for (int j = 0; j < mr; j++) out[(k + t) * mr + j] = transposed[t * 8 + j];
                }
            }
#endif
            for (; k < count; k++)
                for (int j = 0; j < mr; j++) out[k * mr + j] = j < w ? rows[j][k] : 0.0f;
            k0 += count;
        }
    }
}

#if defined(__x86_64__)
static __attribute__((target("avx2"))) void packPatchesAVX2(const float *input, const ptrdiff_t *rowOffsets,
                                                            ptrdiff_t segmentLength, ptrdiff_t segmentStride,
                                                            ptrdiff_t i0, ptrdiff_t mc, ptrdiff_t p0, ptrdiff_t kc,
                                                            int mr, float *dst) {
    packPatches(input, rowOffsets, segmentLength, segmentStride, i0, mc, p0, kc, mr, dst);
}
#endif

void pk_pack_a_patches(const float *input, const ptrdiff_t *rowOffsets, ptrdiff_t segmentLength,
                       ptrdiff_t segmentStride, ptrdiff_t i0, ptrdiff_t mc, ptrdiff_t p0, ptrdiff_t kc, int mr,
                       float *dst) {
#if defined(__x86_64__)
    if (pk_path_has_avx2()) {
        packPatchesAVX2(input, rowOffsets, segmentLength, segmentStride, i0, mc, p0, kc, mr, dst);
        return;
    }
#endif
    packPatches(input, rowOffsets, segmentLength, segmentStride, i0, mc, p0, kc, mr, dst);
}
