/*
 * Portable micro-kernel in plain C11: a 6×8 register tile written with constant trip counts so
 * the compiler fully unrolls it and auto-vectorises it for the baseline ISA (SSE2 on x86-64,
 * Advanced SIMD on AArch64). Used when no SIMD kernel is available, or when
 * pk_sgemm_select("portable") forces it.
 * The tile shape matters to clang's SLP vectoriser at -O2 (SwiftPM's release level): 6×8 becomes
 * 12 row vectors of accumulators, whereas a 4×8 tile was vectorised down the columns with
 * shuffles in every iteration and ran 4× slower.
 *
 * Blocking: KC = 320 (10 KiB B micro-panel; K = 288 convolutions are one block), MC = 192,
 * NC = 2048.
 */
#include "gemm_internal.h"

enum { MR = 6, NR = 8 };

static void kernel6x8(ptrdiff_t kc, const float *restrict a, const float *restrict b,
                      float *restrict c, ptrdiff_t ldc, int accumulate) {
    float acc[MR][NR] = {{0.0f}};
    for (ptrdiff_t k = 0; k < kc; k++, a += MR, b += NR) {
        for (int i = 0; i < MR; i++) {
            const float ai = a[i];
            for (int j = 0; j < NR; j++) acc[i][j] += ai * b[j];
        }
    }
    for (int i = 0; i < MR; i++)
        for (int j = 0; j < NR; j++)
            c[i * ldc + j] = accumulate ? c[i * ldc + j] + acc[i][j] : acc[i][j];
}

const pk_gemm_kernel pk_gemm_kernel_portable = {
    .name = "portable", .kernel = kernel6x8, .packA = pk_pack_a,
    .mr = MR, .nr = NR, .kc = 320, .mc = 192, .nc = 2048,
};
