/*
 * AArch64 Advanced SIMD micro-kernel: an 8×12 register tile (24 q-register accumulators, 2 for
 * the A column, 3 for the B row) using by-lane fused multiply-adds. Advanced SIMD is mandatory
 * on AArch64, so gemm.c selects this kernel unconditionally there.
 *
 * Blocking: KC = 320 keeps a 15 KiB B micro-panel plus a 10 KiB A micro-panel in L1 (64–128 KiB
 * on current cores); MC = 192 gives a 240 KiB packed A block in L2; NC = 2040 (a multiple of 12).
 */
#include "gemm_internal.h"

#if defined(__aarch64__)

#include <arm_neon.h>

enum { MR = 8, NR = 12 };

static void kernel8x12(ptrdiff_t kc, const float *restrict a, const float *restrict b,
                       float *restrict c, ptrdiff_t ldc, int accumulate) {
    float32x4_t acc[MR][3];
    for (int i = 0; i < MR; i++)
        for (int q = 0; q < 3; q++) acc[i][q] = vdupq_n_f32(0.0f);
    for (ptrdiff_t k = 0; k < kc; k++, a += MR, b += NR) {
        const float32x4_t a0 = vld1q_f32(a), a1 = vld1q_f32(a + 4);
        const float32x4_t b0 = vld1q_f32(b), b1 = vld1q_f32(b + 4), b2 = vld1q_f32(b + 8);
#define PK_ROW(i, v, lane)                                   \
    acc[i][0] = vfmaq_laneq_f32(acc[i][0], b0, v, lane);     \
    acc[i][1] = vfmaq_laneq_f32(acc[i][1], b1, v, lane);     \
    acc[i][2] = vfmaq_laneq_f32(acc[i][2], b2, v, lane);
        PK_ROW(0, a0, 0) PK_ROW(1, a0, 1) PK_ROW(2, a0, 2) PK_ROW(3, a0, 3)
        PK_ROW(4, a1, 0) PK_ROW(5, a1, 1) PK_ROW(6, a1, 2) PK_ROW(7, a1, 3)
#undef PK_ROW
    }
    for (int i = 0; i < MR; i++) {
        float *row = c + i * ldc;
        for (int q = 0; q < 3; q++) {
            float32x4_t v = acc[i][q];
            if (accumulate) v = vaddq_f32(vld1q_f32(row + 4 * q), v);
            vst1q_f32(row + 4 * q, v);
        }
    }
}

const pk_gemm_kernel pk_gemm_kernel_neon = {
    .name = "neon", .kernel = kernel8x12, .packA = pk_pack_a,
    .mr = MR, .nr = NR, .kc = 320, .mc = 192, .nc = 2040,
};

#endif
