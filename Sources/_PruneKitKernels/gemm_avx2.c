/*
 * x86-64 AVX2+FMA micro-kernel: a 6×16 register tile (12 ymm accumulators, 2 ymm for the B row,
 * 1 for the broadcast A element), compiled with a per-function target attribute so the rest of
 * the package keeps the baseline ISA. Selected at run time by gemm.c only when the CPU reports
 * both AVX2 and FMA.
 *
 * Blocking for ~32–48 KiB L1d and 1 MiB L2: KC = 256 keeps a 16 KiB B micro-panel plus a 6 KiB
 * A micro-panel in L1; MC = 240 gives a 240 KiB packed A block in L2; NC = 2048 bounds the
 * packed B block (2 MiB at KC = 256) for very wide products.
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

const pk_gemm_kernel pk_gemm_kernel_avx2 = {
    .name = "avx2+fma", .kernel = kernel6x16,
    .mr = 6, .nr = 16, .kc = 256, .mc = 240, .nc = 2048,
};

#endif
