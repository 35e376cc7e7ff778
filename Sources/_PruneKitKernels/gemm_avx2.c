/*
 * x86-64 AVX2+FMA micro-kernel: a 6×16 register tile (12 ymm accumulators, 2 ymm for the B row,
 * 1 for the broadcast A element), compiled with a per-function target attribute so the rest of
 * the package keeps the baseline ISA. Selected at run time by gemm.c only when the CPU reports
 * both AVX2 and FMA.
 *
 * Blocking for ~32–48 KiB L1d and 1 MiB L2: KC = 320 keeps a 20 KiB B micro-panel plus a
 * 7.5 KiB A micro-panel in L1 and makes the K = 288 convolution products a single K block, so
 * their A rows are packed in one sequential pass; MC = 240 gives a ≤ 300 KiB packed A block in
 * L2; NC = 2048 bounds the packed B block (2.5 MiB) for very wide products.
 * Packing of non-transposed A (row gathers) is vectorised with in-register 8×6 transposes.
 */
#include "gemm_internal.h"

#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>

#define PK_AVX2 __attribute__((target("avx2,fma")))

/* Stores (or adds into C) one 16-wide accumulator row. */
static inline PK_AVX2 void storeRow(float *c, __m256 lo, __m256 hi, int accumulate) {
    if (accumulate) {
        lo = _mm256_add_ps(_mm256_loadu_ps(c), lo);
        hi = _mm256_add_ps(_mm256_loadu_ps(c + 8), hi);
    }
    _mm256_storeu_ps(c, lo);
    _mm256_storeu_ps(c + 8, hi);
}

static PK_AVX2 void kernel6x16(ptrdiff_t kc, const float *restrict a, const float *restrict b,
                               float *restrict c, ptrdiff_t ldc, int accumulate) {
    __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
    __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
    __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
    __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
    __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
    __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
    for (ptrdiff_t k = 0; k < kc; k++) {
        const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
        __m256 ai;
        ai = _mm256_broadcast_ss(a + 0);
        c00 = _mm256_fmadd_ps(ai, b0, c00); c01 = _mm256_fmadd_ps(ai, b1, c01);
        ai = _mm256_broadcast_ss(a + 1);
        c10 = _mm256_fmadd_ps(ai, b0, c10); c11 = _mm256_fmadd_ps(ai, b1, c11);
        ai = _mm256_broadcast_ss(a + 2);
        c20 = _mm256_fmadd_ps(ai, b0, c20); c21 = _mm256_fmadd_ps(ai, b1, c21);
        ai = _mm256_broadcast_ss(a + 3);
        c30 = _mm256_fmadd_ps(ai, b0, c30); c31 = _mm256_fmadd_ps(ai, b1, c31);
        ai = _mm256_broadcast_ss(a + 4);
        c40 = _mm256_fmadd_ps(ai, b0, c40); c41 = _mm256_fmadd_ps(ai, b1, c41);
        ai = _mm256_broadcast_ss(a + 5);
        c50 = _mm256_fmadd_ps(ai, b0, c50); c51 = _mm256_fmadd_ps(ai, b1, c51);
        a += 6;
        b += 16;
    }
    storeRow(c + 0 * ldc, c00, c01, accumulate);
    storeRow(c + 1 * ldc, c10, c11, accumulate);
    storeRow(c + 2 * ldc, c20, c21, accumulate);
    storeRow(c + 3 * ldc, c30, c31, accumulate);
    storeRow(c + 4 * ldc, c40, c41, accumulate);
    storeRow(c + 5 * ldc, c50, c51, accumulate);
}

/*
 * Packs one full 6-row panel of a non-transposed A (rows `src + i·lda`, i < 6) for kc columns:
 * dst[k·6 + i] = src[i·lda + k]. Eight columns at a time are loaded as six 8-float rows and
 * transposed in registers; each column k is then stored as 4 + 2 floats.
 */
static PK_AVX2 void transposePanel6(const float *src, ptrdiff_t lda, ptrdiff_t kc,
                                    float *restrict dst) {
    ptrdiff_t k = 0;
    for (; k + 8 <= kc; k += 8, dst += 48) {
        const __m256 r0 = _mm256_loadu_ps(src + 0 * lda + k), r1 = _mm256_loadu_ps(src + 1 * lda + k);
        const __m256 r2 = _mm256_loadu_ps(src + 2 * lda + k), r3 = _mm256_loadu_ps(src + 3 * lda + k);
        const __m256 r4 = _mm256_loadu_ps(src + 4 * lda + k), r5 = _mm256_loadu_ps(src + 5 * lda + k);
        /* Per 128-bit lane (columns 0–3 | 4–7): pairs of rows interleaved. */
        const __m256 t01lo = _mm256_unpacklo_ps(r0, r1), t01hi = _mm256_unpackhi_ps(r0, r1);
        const __m256 t23lo = _mm256_unpacklo_ps(r2, r3), t23hi = _mm256_unpackhi_ps(r2, r3);
        const __m256 t45lo = _mm256_unpacklo_ps(r4, r5), t45hi = _mm256_unpackhi_ps(r4, r5);
        /* Rows 0–3 of columns (0|4), (1|5), (2|6), (3|7). */
        const __m256 c0 = _mm256_shuffle_ps(t01lo, t23lo, _MM_SHUFFLE(1, 0, 1, 0));
        const __m256 c1 = _mm256_shuffle_ps(t01lo, t23lo, _MM_SHUFFLE(3, 2, 3, 2));
        const __m256 c2 = _mm256_shuffle_ps(t01hi, t23hi, _MM_SHUFFLE(1, 0, 1, 0));
        const __m256 c3 = _mm256_shuffle_ps(t01hi, t23hi, _MM_SHUFFLE(3, 2, 3, 2));
        const __m128 quads[8] = {
            _mm256_castps256_ps128(c0), _mm256_castps256_ps128(c1),
            _mm256_castps256_ps128(c2), _mm256_castps256_ps128(c3),
            _mm256_extractf128_ps(c0, 1), _mm256_extractf128_ps(c1, 1),
            _mm256_extractf128_ps(c2, 1), _mm256_extractf128_ps(c3, 1),
        };
        /* Rows 4–5: column pairs (0,1 | 4,5) in t45lo and (2,3 | 6,7) in t45hi. */
        const __m128 pairs[4] = {
            _mm256_castps256_ps128(t45lo), _mm256_castps256_ps128(t45hi),
            _mm256_extractf128_ps(t45lo, 1), _mm256_extractf128_ps(t45hi, 1),
        };
        for (int c = 0; c < 8; c++) {
            _mm_storeu_ps(dst + 6 * c, quads[c]);
            if (c % 2 == 0) _mm_storel_pi((__m64 *)(dst + 6 * c + 4), pairs[c / 2]);
            else _mm_storeh_pi((__m64 *)(dst + 6 * c + 4), pairs[c / 2]);
        }
    }
    for (; k < kc; k++, dst += 6)
        for (int i = 0; i < 6; i++) dst[i] = src[i * lda + k];
}

/* pk_pack_a with the full panels of a non-transposed A (the common forward case) vectorised. */
static PK_AVX2 void packA6(int transA, const float *A, ptrdiff_t lda, ptrdiff_t i0, ptrdiff_t mc,
                           ptrdiff_t p0, ptrdiff_t kc, int mr, float *dst) {
    const ptrdiff_t full = transA ? 0 : mc / 6 * 6;
    for (ptrdiff_t i = 0; i < full; i += 6)
        transposePanel6(A + (i0 + i) * lda + p0, lda, kc, dst + i * kc);
    if (full < mc) pk_pack_a(transA, A, lda, i0 + full, mc - full, p0, kc, mr, dst + full * kc);
}

const pk_gemm_kernel pk_gemm_kernel_avx2 = {
    .name = "avx2+fma", .kernel = kernel6x16, .packA = packA6,
    .mr = 6, .nr = 16, .kc = 320, .mc = 240, .nc = 2048,
};

#endif
