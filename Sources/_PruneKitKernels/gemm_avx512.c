/*
 * x86-64 AVX-512 micro-kernel: an 8×32 register tile (16 zmm accumulators, 2 zmm for the B row,
 * 2 for broadcast A elements), compiled with a per-function target attribute so the rest of the
 * package keeps the baseline ISA. Selected at run time by gemm.c when the CPU reports AVX-512F.
 *
 * Same summation contract as the AVX2 kernel, and the same KC = 320: every element of C is a chain
 * of fused multiply-adds in ascending k from +0 over each K block, the blocks added in order. The
 * K blocks depend only on K and KC, so this path gives the same bits as the AVX2+FMA and NEON
 * paths (GEMMTests checks that bit for bit). MC = 256 (an 80 KiB packed A block), NC = 2048.
 * A B micro-panel is 40 KiB (320 · 32 floats), more than a 32 KiB L1: it streams from L2, which
 * costs 128 bytes per k against 16 FMAs, well within L2's bandwidth.
 *
 * The micro-kernel and the 8×8 transpose used to pack non-transposed A are inline assembly, so a
 * debug build (C at -O0) runs them at full speed too.
 */
#include "gemm_internal.h"

#if defined(__x86_64__)

#define PK_AVX512 __attribute__((target("avx512f")))

/*
 * Accumulators zmm16–zmm31 (row i in zmm(16 + 2i) | zmm(17 + 2i)); B row: zmm0, zmm1; broadcast
 * A elements: zmm2, zmm3. Each k performs acc = a[i]·b[j] + acc (vfmadd231ps, one rounding).
 * The K loop is unrolled by four, with a remainder loop; the tile is then stored, or added to C.
 */
#define PK_ROW_PAIR(offsetA, row, accA, accB, accC, accD)            \
    "vbroadcastss " #offsetA "+" #row "*4(%[a]), %%zmm2\n\t"        \
    "vbroadcastss " #offsetA "+" #row "*4+4(%[a]), %%zmm3\n\t"      \
    "vfmadd231ps %%zmm0, %%zmm2, %%" #accA "\n\t"                   \
    "vfmadd231ps %%zmm1, %%zmm2, %%" #accB "\n\t"                   \
    "vfmadd231ps %%zmm0, %%zmm3, %%" #accC "\n\t"                   \
    "vfmadd231ps %%zmm1, %%zmm3, %%" #accD "\n\t"
#define PK_K_STEP(offsetA, offsetB)                                  \
    "vmovups " #offsetB "(%[b]), %%zmm0\n\t"                        \
    "vmovups " #offsetB "+64(%[b]), %%zmm1\n\t"                     \
    PK_ROW_PAIR(offsetA, 0, zmm16, zmm17, zmm18, zmm19)              \
    PK_ROW_PAIR(offsetA, 2, zmm20, zmm21, zmm22, zmm23)              \
    PK_ROW_PAIR(offsetA, 4, zmm24, zmm25, zmm26, zmm27)              \
    PK_ROW_PAIR(offsetA, 6, zmm28, zmm29, zmm30, zmm31)

#define PK_STORE_ROW(lo, hi)                                         \
    "vmovups %%" #lo ", (%[c])\n\t"                                 \
    "vmovups %%" #hi ", 64(%[c])\n\t"                               \
    "add %[ldcBytes], %[c]\n\t"
#define PK_ADD_ROW(lo, hi)                                           \
    "vaddps (%[c]), %%" #lo ", %%" #lo "\n\t"                       \
    "vaddps 64(%[c]), %%" #hi ", %%" #hi "\n\t"                     \
    PK_STORE_ROW(lo, hi)
#define PK_ALL_ROWS(OP)                                              \
    OP(zmm16, zmm17) OP(zmm18, zmm19) OP(zmm20, zmm21) OP(zmm22, zmm23) \
    OP(zmm24, zmm25) OP(zmm26, zmm27) OP(zmm28, zmm29) OP(zmm30, zmm31)

static PK_AVX512 void kernel8x32(ptrdiff_t kc, const float *restrict a, const float *restrict b,
                                 float *restrict c, ptrdiff_t ldc, int accumulate) {
    ptrdiff_t quads = kc >> 2, rest = kc & 3, ldcBytes = ldc * (ptrdiff_t)sizeof(float);
    ptrdiff_t add = accumulate != 0;
    __asm__ volatile(
        "vpxord %%zmm16, %%zmm16, %%zmm16\n\t"
        "vpxord %%zmm17, %%zmm17, %%zmm17\n\t"
        "vpxord %%zmm18, %%zmm18, %%zmm18\n\t"
        "vpxord %%zmm19, %%zmm19, %%zmm19\n\t"
        "vpxord %%zmm20, %%zmm20, %%zmm20\n\t"
        "vpxord %%zmm21, %%zmm21, %%zmm21\n\t"
        "vpxord %%zmm22, %%zmm22, %%zmm22\n\t"
        "vpxord %%zmm23, %%zmm23, %%zmm23\n\t"
        "vpxord %%zmm24, %%zmm24, %%zmm24\n\t"
        "vpxord %%zmm25, %%zmm25, %%zmm25\n\t"
        "vpxord %%zmm26, %%zmm26, %%zmm26\n\t"
        "vpxord %%zmm27, %%zmm27, %%zmm27\n\t"
        "vpxord %%zmm28, %%zmm28, %%zmm28\n\t"
        "vpxord %%zmm29, %%zmm29, %%zmm29\n\t"
        "vpxord %%zmm30, %%zmm30, %%zmm30\n\t"
        "vpxord %%zmm31, %%zmm31, %%zmm31\n\t"
        "test %[quads], %[quads]\n\t"
        "jz 2f\n\t"
        ".p2align 4\n"
        "1:\n\t"
        PK_K_STEP(0, 0)
        PK_K_STEP(32, 128)
        PK_K_STEP(64, 256)
        PK_K_STEP(96, 384)
        "add $128, %[a]\n\t"
        "add $512, %[b]\n\t"
        "dec %[quads]\n\t"
        "jnz 1b\n"
        "2:\n\t"
        "test %[rest], %[rest]\n\t"
        "jz 4f\n"
        "3:\n\t"
        PK_K_STEP(0, 0)
        "add $32, %[a]\n\t"
        "add $128, %[b]\n\t"
        "dec %[rest]\n\t"
        "jnz 3b\n"
        "4:\n\t"
        "test %[add], %[add]\n\t"
        "jnz 5f\n\t"
        PK_ALL_ROWS(PK_STORE_ROW)
        "jmp 6f\n"
        "5:\n\t"
        PK_ALL_ROWS(PK_ADD_ROW)
        "6:\n\t"
        "vzeroupper\n\t"
        : [a] "+r"(a), [b] "+r"(b), [c] "+r"(c), [quads] "+r"(quads), [rest] "+r"(rest)
        : [ldcBytes] "r"(ldcBytes), [add] "r"(add)
        : "xmm0", "xmm1", "xmm2", "xmm3", "xmm16", "xmm17", "xmm18", "xmm19", "xmm20", "xmm21",
          "xmm22", "xmm23", "xmm24", "xmm25", "xmm26", "xmm27", "xmm28", "xmm29", "xmm30", "xmm31",
          "cc", "memory");
}

#undef PK_ROW_PAIR
#undef PK_K_STEP
#undef PK_STORE_ROW
#undef PK_ADD_ROW
#undef PK_ALL_ROWS

/*
 * Packs one full 8-row panel of a non-transposed A (rows `src + i·lda`, i < 8) for kc columns:
 * dst[k·8 + i] = src[i·lda + k]. Eight columns at a time: eight 8-float rows are transposed in
 * ymm registers (unpack, shuffle, 128-bit permute) and stored as eight 8-float columns.
 * Remaining columns are copied one by one.
 */
static PK_AVX512 void transposePanel8(const float *src, ptrdiff_t lda, ptrdiff_t kc,
                                      float *restrict dst) {
    ptrdiff_t blocks = kc / 8;
    if (blocks > 0) {
        const float *p = src, *q = src + 4 * lda; /* rows 0–3 from p, rows 4–7 from q */
        float *d = dst;
        const ptrdiff_t ldaBytes = lda * (ptrdiff_t)sizeof(float), lda3Bytes = 3 * ldaBytes;
        __asm__ volatile(
            ".p2align 4\n"
            "1:\n\t"
            "vmovups (%[p]), %%ymm0\n\t"
            "vmovups (%[p],%[lda],1), %%ymm1\n\t"
            "vmovups (%[p],%[lda],2), %%ymm2\n\t"
            "vmovups (%[p],%[lda3],1), %%ymm3\n\t"
            "vmovups (%[q]), %%ymm4\n\t"
            "vmovups (%[q],%[lda],1), %%ymm5\n\t"
            "vmovups (%[q],%[lda],2), %%ymm6\n\t"
            "vmovups (%[q],%[lda3],1), %%ymm7\n\t"
            "vunpcklps %%ymm1, %%ymm0, %%ymm8\n\t"
            "vunpckhps %%ymm1, %%ymm0, %%ymm9\n\t"
            "vunpcklps %%ymm3, %%ymm2, %%ymm10\n\t"
            "vunpckhps %%ymm3, %%ymm2, %%ymm11\n\t"
            "vunpcklps %%ymm5, %%ymm4, %%ymm12\n\t"
            "vunpckhps %%ymm5, %%ymm4, %%ymm13\n\t"
            "vunpcklps %%ymm7, %%ymm6, %%ymm14\n\t"
            "vunpckhps %%ymm7, %%ymm6, %%ymm15\n\t"
            /* Rows 0–3 (ymm0–3) and 4–7 (ymm4–7) of columns (0|4), (1|5), (2|6), (3|7). */
            "vshufps $0x44, %%ymm10, %%ymm8, %%ymm0\n\t"
            "vshufps $0xEE, %%ymm10, %%ymm8, %%ymm1\n\t"
            "vshufps $0x44, %%ymm11, %%ymm9, %%ymm2\n\t"
            "vshufps $0xEE, %%ymm11, %%ymm9, %%ymm3\n\t"
            "vshufps $0x44, %%ymm14, %%ymm12, %%ymm4\n\t"
            "vshufps $0xEE, %%ymm14, %%ymm12, %%ymm5\n\t"
            "vshufps $0x44, %%ymm15, %%ymm13, %%ymm6\n\t"
            "vshufps $0xEE, %%ymm15, %%ymm13, %%ymm7\n\t"
            /* Column c = (low or high half of rows 0–3) | (the same half of rows 4–7). */
            "vperm2f128 $0x20, %%ymm4, %%ymm0, %%ymm8\n\t"
            "vperm2f128 $0x20, %%ymm5, %%ymm1, %%ymm9\n\t"
            "vperm2f128 $0x20, %%ymm6, %%ymm2, %%ymm10\n\t"
            "vperm2f128 $0x20, %%ymm7, %%ymm3, %%ymm11\n\t"
            "vperm2f128 $0x31, %%ymm4, %%ymm0, %%ymm12\n\t"
            "vperm2f128 $0x31, %%ymm5, %%ymm1, %%ymm13\n\t"
            "vperm2f128 $0x31, %%ymm6, %%ymm2, %%ymm14\n\t"
            "vperm2f128 $0x31, %%ymm7, %%ymm3, %%ymm15\n\t"
            "vmovups %%ymm8, (%[d])\n\t"
            "vmovups %%ymm9, 32(%[d])\n\t"
            "vmovups %%ymm10, 64(%[d])\n\t"
            "vmovups %%ymm11, 96(%[d])\n\t"
            "vmovups %%ymm12, 128(%[d])\n\t"
            "vmovups %%ymm13, 160(%[d])\n\t"
            "vmovups %%ymm14, 192(%[d])\n\t"
            "vmovups %%ymm15, 224(%[d])\n\t"
            "add $32, %[p]\n\t"
            "add $32, %[q]\n\t"
            "add $256, %[d]\n\t"
            "dec %[blocks]\n\t"
            "jnz 1b\n\t"
            "vzeroupper\n\t"
            : [p] "+r"(p), [q] "+r"(q), [d] "+r"(d), [blocks] "+r"(blocks)
            : [lda] "r"(ldaBytes), [lda3] "r"(lda3Bytes)
            : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
              "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "cc", "memory");
    }
    for (ptrdiff_t k = kc / 8 * 8; k < kc; k++)
        for (int i = 0; i < 8; i++) dst[k * 8 + i] = src[i * lda + k];
}

/* pk_pack_a with the full panels of a non-transposed A (the common forward case) vectorised. */
static PK_AVX512 void packA8(int transA, const float *A, ptrdiff_t lda, ptrdiff_t i0, ptrdiff_t mc,
                             ptrdiff_t p0, ptrdiff_t kc, int mr, float *dst) {
    const ptrdiff_t full = transA ? 0 : mc / 8 * 8;
    for (ptrdiff_t i = 0; i < full; i += 8)
        transposePanel8(A + (i0 + i) * lda + p0, lda, kc, dst + i * kc);
    if (full < mc) pk_pack_a(transA, A, lda, i0 + full, mc - full, p0, kc, mr, dst + full * kc);
}

const pk_gemm_kernel pk_gemm_kernel_avx512 = {
    .name = "avx512", .kernel = kernel8x32, .packA = packA8,
    .mr = 8, .nr = 32, .kc = 320, .mc = 256, .nc = 2048,
};

#endif
