/*
 * AArch64 Advanced SIMD micro-kernel: an 8×12 register tile (24 q-register accumulators, 2 for
 * the A column, 3 for the B row) using by-lane fused multiply-adds, in inline assembly. Advanced
 * SIMD is mandatory on AArch64, so gemm.c selects this kernel unconditionally there.
 *
 * Blocking: KC = 320 keeps a 15 KiB B micro-panel plus a 10 KiB A micro-panel in L1 (64–128 KiB
 * on current cores); MC = 192 gives a 240 KiB packed A block in L2; NC = 2040 (a multiple of 12).
 */
#include "gemm_internal.h"

#if defined(__aarch64__)

enum { MR = 8, NR = 12 };

/*
 * GNU inline assembly with the whole K loop inside, so that it runs at full speed at any
 * optimisation level (SwiftPM compiles C at -O0 in debug builds). Accumulators: row i of the tile
 * in v(8 + 3i)…v(10 + 3i); A column: v0, v1; B row: v2–v4. Each k performs
 * acc = acc + b · a[i] fused (fmla by element, one rounding) in ascending k for every
 * accumulator, as vfmaq_laneq_f32 does; the tile is then stored, or added to C (C + acc).
 */
static void kernel8x12(ptrdiff_t kc, const float *restrict a, const float *restrict b,
                       float *restrict c, ptrdiff_t ldc, int accumulate) {
    const ptrdiff_t ldcBytes = ldc * (ptrdiff_t)sizeof(float), add = accumulate != 0;
    __asm__ volatile(
        "movi v8.4s, #0\n\t"
        "movi v9.4s, #0\n\t"
        "movi v10.4s, #0\n\t"
        "movi v11.4s, #0\n\t"
        "movi v12.4s, #0\n\t"
        "movi v13.4s, #0\n\t"
        "movi v14.4s, #0\n\t"
        "movi v15.4s, #0\n\t"
        "movi v16.4s, #0\n\t"
        "movi v17.4s, #0\n\t"
        "movi v18.4s, #0\n\t"
        "movi v19.4s, #0\n\t"
        "movi v20.4s, #0\n\t"
        "movi v21.4s, #0\n\t"
        "movi v22.4s, #0\n\t"
        "movi v23.4s, #0\n\t"
        "movi v24.4s, #0\n\t"
        "movi v25.4s, #0\n\t"
        "movi v26.4s, #0\n\t"
        "movi v27.4s, #0\n\t"
        "movi v28.4s, #0\n\t"
        "movi v29.4s, #0\n\t"
        "movi v30.4s, #0\n\t"
        "movi v31.4s, #0\n\t"
        "cmp %[kc], #0\n\t"
        "b.le 2f\n"
        "1:\n\t"
        "ld1 {v0.4s, v1.4s}, [%[a]], #32\n\t"
        "ld1 {v2.4s, v3.4s, v4.4s}, [%[b]], #48\n\t"
        "fmla v8.4s, v2.4s, v0.s[0]\n\t"
        "fmla v9.4s, v3.4s, v0.s[0]\n\t"
        "fmla v10.4s, v4.4s, v0.s[0]\n\t"
        "fmla v11.4s, v2.4s, v0.s[1]\n\t"
        "fmla v12.4s, v3.4s, v0.s[1]\n\t"
        "fmla v13.4s, v4.4s, v0.s[1]\n\t"
        "fmla v14.4s, v2.4s, v0.s[2]\n\t"
        "fmla v15.4s, v3.4s, v0.s[2]\n\t"
        "fmla v16.4s, v4.4s, v0.s[2]\n\t"
        "fmla v17.4s, v2.4s, v0.s[3]\n\t"
        "fmla v18.4s, v3.4s, v0.s[3]\n\t"
        "fmla v19.4s, v4.4s, v0.s[3]\n\t"
        "fmla v20.4s, v2.4s, v1.s[0]\n\t"
        "fmla v21.4s, v3.4s, v1.s[0]\n\t"
        "fmla v22.4s, v4.4s, v1.s[0]\n\t"
        "fmla v23.4s, v2.4s, v1.s[1]\n\t"
        "fmla v24.4s, v3.4s, v1.s[1]\n\t"
        "fmla v25.4s, v4.4s, v1.s[1]\n\t"
        "fmla v26.4s, v2.4s, v1.s[2]\n\t"
        "fmla v27.4s, v3.4s, v1.s[2]\n\t"
        "fmla v28.4s, v4.4s, v1.s[2]\n\t"
        "fmla v29.4s, v2.4s, v1.s[3]\n\t"
        "fmla v30.4s, v3.4s, v1.s[3]\n\t"
        "fmla v31.4s, v4.4s, v1.s[3]\n\t"
        "subs %[kc], %[kc], #1\n\t"
        "b.ne 1b\n"
        "2:\n\t"
        "cbnz %[add], 3f\n\t"
        "st1 {v8.4s, v9.4s, v10.4s}, [%[c]], %[ldcBytes]\n\t"
        "st1 {v11.4s, v12.4s, v13.4s}, [%[c]], %[ldcBytes]\n\t"
        "st1 {v14.4s, v15.4s, v16.4s}, [%[c]], %[ldcBytes]\n\t"
        "st1 {v17.4s, v18.4s, v19.4s}, [%[c]], %[ldcBytes]\n\t"
        "st1 {v20.4s, v21.4s, v22.4s}, [%[c]], %[ldcBytes]\n\t"
        "st1 {v23.4s, v24.4s, v25.4s}, [%[c]], %[ldcBytes]\n\t"
        "st1 {v26.4s, v27.4s, v28.4s}, [%[c]], %[ldcBytes]\n\t"
        "st1 {v29.4s, v30.4s, v31.4s}, [%[c]], %[ldcBytes]\n\t"
        "b 4f\n"
        "3:\n\t"
        "ld1 {v0.4s, v1.4s, v2.4s}, [%[c]]\n\t"
        "fadd v8.4s, v0.4s, v8.4s\n\t"
        "fadd v9.4s, v1.4s, v9.4s\n\t"
        "fadd v10.4s, v2.4s, v10.4s\n\t"
        "st1 {v8.4s, v9.4s, v10.4s}, [%[c]], %[ldcBytes]\n\t"
        "ld1 {v0.4s, v1.4s, v2.4s}, [%[c]]\n\t"
        "fadd v11.4s, v0.4s, v11.4s\n\t"
        "fadd v12.4s, v1.4s, v12.4s\n\t"
        "fadd v13.4s, v2.4s, v13.4s\n\t"
        "st1 {v11.4s, v12.4s, v13.4s}, [%[c]], %[ldcBytes]\n\t"
        "ld1 {v0.4s, v1.4s, v2.4s}, [%[c]]\n\t"
        "fadd v14.4s, v0.4s, v14.4s\n\t"
        "fadd v15.4s, v1.4s, v15.4s\n\t"
        "fadd v16.4s, v2.4s, v16.4s\n\t"
        "st1 {v14.4s, v15.4s, v16.4s}, [%[c]], %[ldcBytes]\n\t"
        "ld1 {v0.4s, v1.4s, v2.4s}, [%[c]]\n\t"
        "fadd v17.4s, v0.4s, v17.4s\n\t"
        "fadd v18.4s, v1.4s, v18.4s\n\t"
        "fadd v19.4s, v2.4s, v19.4s\n\t"
        "st1 {v17.4s, v18.4s, v19.4s}, [%[c]], %[ldcBytes]\n\t"
        "ld1 {v0.4s, v1.4s, v2.4s}, [%[c]]\n\t"
        "fadd v20.4s, v0.4s, v20.4s\n\t"
        "fadd v21.4s, v1.4s, v21.4s\n\t"
        "fadd v22.4s, v2.4s, v22.4s\n\t"
        "st1 {v20.4s, v21.4s, v22.4s}, [%[c]], %[ldcBytes]\n\t"
        "ld1 {v0.4s, v1.4s, v2.4s}, [%[c]]\n\t"
        "fadd v23.4s, v0.4s, v23.4s\n\t"
        "fadd v24.4s, v1.4s, v24.4s\n\t"
        "fadd v25.4s, v2.4s, v25.4s\n\t"
        "st1 {v23.4s, v24.4s, v25.4s}, [%[c]], %[ldcBytes]\n\t"
        "ld1 {v0.4s, v1.4s, v2.4s}, [%[c]]\n\t"
        "fadd v26.4s, v0.4s, v26.4s\n\t"
        "fadd v27.4s, v1.4s, v27.4s\n\t"
        "fadd v28.4s, v2.4s, v28.4s\n\t"
        "st1 {v26.4s, v27.4s, v28.4s}, [%[c]], %[ldcBytes]\n\t"
        "ld1 {v0.4s, v1.4s, v2.4s}, [%[c]]\n\t"
        "fadd v29.4s, v0.4s, v29.4s\n\t"
        "fadd v30.4s, v1.4s, v30.4s\n\t"
        "fadd v31.4s, v2.4s, v31.4s\n\t"
        "st1 {v29.4s, v30.4s, v31.4s}, [%[c]], %[ldcBytes]\n\t"
        "4:\n\t"
        : [a] "+r"(a), [b] "+r"(b), [c] "+r"(c), [kc] "+r"(kc)
        : [ldcBytes] "r"(ldcBytes), [add] "r"(add)
        : "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12",
          "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24",
          "v25", "v26", "v27", "v28", "v29", "v30", "v31", "cc", "memory");
}

const pk_gemm_kernel pk_gemm_kernel_neon = {
    .name = "neon", .kernel = kernel8x12, .packA = pk_pack_a,
    .mr = MR, .nr = NR, .kc = 320, .mc = 192, .nc = 2040,
};

#endif
