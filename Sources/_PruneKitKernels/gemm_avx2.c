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
 * The micro-kernel and that transpose are inline assembly, so debug builds (C at -O0) run them
 * at full speed too; nothing else here needs the intrinsics header.
 */
#include "gemm_internal.h"

#if defined(__x86_64__) || defined(__i386__)

#define PK_AVX2 __attribute__((target("avx2,fma")))

/*
 * The micro-kernel is GNU inline assembly (AT&T syntax) with the whole K loop inside, as BLIS
 * does, so it runs at full speed whatever the optimisation level (SwiftPM builds C at -O0 in
 * debug). Accumulators: ymm4–ymm15 (row i in ymm(4 + 2i) | ymm(5 + 2i)); B row: ymm0, ymm1;
 * broadcast A element: ymm2, ymm3. Each k performs acc = a[i]·b[j] + acc (vfmadd231ps, one
 * rounding) in ascending k for every accumulator, so the result is the same as
 * _mm256_fmadd_ps(broadcast(a[i]), b, acc); the loop is unrolled by four, with a remainder loop.
 * The tile is then stored, or added to C (C + acc) when `accumulate` is non-zero.
 */
#define PK_K_STEP(offsetA, offsetB)                                  \
    "vmovaps " #offsetB "(%[b]), %%ymm0\n\t"                        \
    "vmovaps " #offsetB "+32(%[b]), %%ymm1\n\t"                     \
    "vbroadcastss " #offsetA "(%[a]), %%ymm2\n\t"                   \
    "vbroadcastss " #offsetA "+4(%[a]), %%ymm3\n\t"                 \
    "vfmadd231ps %%ymm0, %%ymm2, %%ymm4\n\t"                        \
    "vfmadd231ps %%ymm1, %%ymm2, %%ymm5\n\t"                        \
    "vfmadd231ps %%ymm0, %%ymm3, %%ymm6\n\t"                        \
    "vfmadd231ps %%ymm1, %%ymm3, %%ymm7\n\t"                        \
    "vbroadcastss " #offsetA "+8(%[a]), %%ymm2\n\t"                 \
    "vbroadcastss " #offsetA "+12(%[a]), %%ymm3\n\t"                \
    "vfmadd231ps %%ymm0, %%ymm2, %%ymm8\n\t"                        \
    "vfmadd231ps %%ymm1, %%ymm2, %%ymm9\n\t"                        \
    "vfmadd231ps %%ymm0, %%ymm3, %%ymm10\n\t"                       \
    "vfmadd231ps %%ymm1, %%ymm3, %%ymm11\n\t"                       \
    "vbroadcastss " #offsetA "+16(%[a]), %%ymm2\n\t"                \
    "vbroadcastss " #offsetA "+20(%[a]), %%ymm3\n\t"                \
    "vfmadd231ps %%ymm0, %%ymm2, %%ymm12\n\t"                       \
    "vfmadd231ps %%ymm1, %%ymm2, %%ymm13\n\t"                       \
    "vfmadd231ps %%ymm0, %%ymm3, %%ymm14\n\t"                       \
    "vfmadd231ps %%ymm1, %%ymm3, %%ymm15\n\t"

/* Row i of the tile: C[i] = acc (store) or C[i] + acc (add, then store); %[c] advances by ldc. */
#define PK_STORE_ROW(lo, hi)                                         \
    "vmovups %%" #lo ", (%[c])\n\t"                                 \
    "vmovups %%" #hi ", 32(%[c])\n\t"                               \
    "add %[ldcBytes], %[c]\n\t"
#define PK_ADD_ROW(lo, hi)                                           \
    "vaddps (%[c]), %%" #lo ", %%" #lo "\n\t"                       \
    "vaddps 32(%[c]), %%" #hi ", %%" #hi "\n\t"                     \
    PK_STORE_ROW(lo, hi)

static PK_AVX2 void kernel6x16(ptrdiff_t kc, const float *restrict a, const float *restrict b,
                               float *restrict c, ptrdiff_t ldc, int accumulate) {
    ptrdiff_t quads = kc >> 2, rest = kc & 3, ldcBytes = ldc * (ptrdiff_t)sizeof(float);
    ptrdiff_t add = accumulate != 0;
    __asm__ volatile(
        "vxorps %%ymm4, %%ymm4, %%ymm4\n\t"
        "vxorps %%ymm5, %%ymm5, %%ymm5\n\t"
        "vxorps %%ymm6, %%ymm6, %%ymm6\n\t"
        "vxorps %%ymm7, %%ymm7, %%ymm7\n\t"
        "vxorps %%ymm8, %%ymm8, %%ymm8\n\t"
        "vxorps %%ymm9, %%ymm9, %%ymm9\n\t"
        "vxorps %%ymm10, %%ymm10, %%ymm10\n\t"
        "vxorps %%ymm11, %%ymm11, %%ymm11\n\t"
        "vxorps %%ymm12, %%ymm12, %%ymm12\n\t"
        "vxorps %%ymm13, %%ymm13, %%ymm13\n\t"
        "vxorps %%ymm14, %%ymm14, %%ymm14\n\t"
        "vxorps %%ymm15, %%ymm15, %%ymm15\n\t"
        "test %[quads], %[quads]\n\t"
        "jz 2f\n\t"
        ".p2align 4\n"
        "1:\n\t"
        PK_K_STEP(0, 0)
        PK_K_STEP(24, 64)
        PK_K_STEP(48, 128)
        PK_K_STEP(72, 192)
        "add $96, %[a]\n\t"
        "add $256, %[b]\n\t"
        "dec %[quads]\n\t"
        "jnz 1b\n"
        "2:\n\t"
        "test %[rest], %[rest]\n\t"
        "jz 4f\n"
        "3:\n\t"
        PK_K_STEP(0, 0)
        "add $24, %[a]\n\t"
        "add $64, %[b]\n\t"
        "dec %[rest]\n\t"
        "jnz 3b\n"
        "4:\n\t"
        "test %[add], %[add]\n\t"
        "jnz 5f\n\t"
        PK_STORE_ROW(ymm4, ymm5)
        PK_STORE_ROW(ymm6, ymm7)
        PK_STORE_ROW(ymm8, ymm9)
        PK_STORE_ROW(ymm10, ymm11)
        PK_STORE_ROW(ymm12, ymm13)
        PK_STORE_ROW(ymm14, ymm15)
        "jmp 6f\n"
        "5:\n\t"
        PK_ADD_ROW(ymm4, ymm5)
        PK_ADD_ROW(ymm6, ymm7)
        PK_ADD_ROW(ymm8, ymm9)
        PK_ADD_ROW(ymm10, ymm11)
        PK_ADD_ROW(ymm12, ymm13)
        PK_ADD_ROW(ymm14, ymm15)
        "6:\n\t"
        "vzeroupper\n\t"
        : [a] "+r"(a), [b] "+r"(b), [c] "+r"(c), [quads] "+r"(quads), [rest] "+r"(rest)
        : [ldcBytes] "r"(ldcBytes), [add] "r"(add)
        : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
          "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "cc", "memory");
}

#undef PK_K_STEP
#undef PK_STORE_ROW
#undef PK_ADD_ROW

/*
 * Packs one full 6-row panel of a non-transposed A (rows `src + i·lda`, i < 6) for kc columns:
 * dst[k·6 + i] = src[i·lda + k]. Eight columns at a time are loaded as six 8-float rows and
 * transposed in registers (inline assembly, so it is as fast at -O0): rows 0–3 by unpack and
 * shuffle into (column c | column c + 4) pairs of 4-float quads, rows 4–5 by unpack into
 * 2-float pairs; each column k is then stored as 4 + 2 floats. Remaining columns are copied
 * one by one.
 */
static PK_AVX2 void transposePanel6(const float *src, ptrdiff_t lda, ptrdiff_t kc,
                                    float *restrict dst) {
    ptrdiff_t blocks = kc / 8;
    if (blocks > 0) {
        const float *p = src, *q = src + 3 * lda; /* rows 0–2 from p, rows 3–5 from q */
        float *d = dst;
        const ptrdiff_t ldaBytes = lda * (ptrdiff_t)sizeof(float);
        __asm__ volatile(
            ".p2align 4\n"
            "1:\n\t"
            "vmovups (%[p]), %%ymm0\n\t"
            "vmovups (%[p],%[lda],1), %%ymm1\n\t"
            "vmovups (%[p],%[lda],2), %%ymm2\n\t"
            "vmovups (%[q]), %%ymm3\n\t"
            "vmovups (%[q],%[lda],1), %%ymm4\n\t"
            "vmovups (%[q],%[lda],2), %%ymm5\n\t"
            /* Per 128-bit lane (columns 0–3 | 4–7): pairs of rows interleaved. */
            "vunpcklps %%ymm1, %%ymm0, %%ymm6\n\t"   /* t01lo */
            "vunpckhps %%ymm1, %%ymm0, %%ymm7\n\t"   /* t01hi */
            "vunpcklps %%ymm3, %%ymm2, %%ymm8\n\t"   /* t23lo */
            "vunpckhps %%ymm3, %%ymm2, %%ymm9\n\t"   /* t23hi */
            "vunpcklps %%ymm5, %%ymm4, %%ymm10\n\t"  /* t45lo: rows 4–5 of columns 0,1 | 4,5 */
            "vunpckhps %%ymm5, %%ymm4, %%ymm11\n\t"  /* t45hi: rows 4–5 of columns 2,3 | 6,7 */
            /* Rows 0–3 of columns (0|4), (1|5), (2|6), (3|7). */
            "vshufps $0x44, %%ymm8, %%ymm6, %%ymm12\n\t"
            "vshufps $0xEE, %%ymm8, %%ymm6, %%ymm13\n\t"
            "vshufps $0x44, %%ymm9, %%ymm7, %%ymm14\n\t"
            "vshufps $0xEE, %%ymm9, %%ymm7, %%ymm15\n\t"
            /* Columns 0–3: dst + 6c (quad) and dst + 6c + 4 (pair). */
            "vmovups %%xmm12, (%[d])\n\t"
            "vmovlps %%xmm10, 16(%[d])\n\t"
            "vmovups %%xmm13, 24(%[d])\n\t"
            "vmovhps %%xmm10, 40(%[d])\n\t"
            "vmovups %%xmm14, 48(%[d])\n\t"
            "vmovlps %%xmm11, 64(%[d])\n\t"
            "vmovups %%xmm15, 72(%[d])\n\t"
            "vmovhps %%xmm11, 88(%[d])\n\t"
            /* Columns 4–7 from the upper lanes. */
            "vextractf128 $1, %%ymm12, %%xmm0\n\t"
            "vextractf128 $1, %%ymm13, %%xmm1\n\t"
            "vextractf128 $1, %%ymm14, %%xmm2\n\t"
            "vextractf128 $1, %%ymm15, %%xmm3\n\t"
            "vextractf128 $1, %%ymm10, %%xmm4\n\t"
            "vextractf128 $1, %%ymm11, %%xmm5\n\t"
            "vmovups %%xmm0, 96(%[d])\n\t"
            "vmovlps %%xmm4, 112(%[d])\n\t"
            "vmovups %%xmm1, 120(%[d])\n\t"
            "vmovhps %%xmm4, 136(%[d])\n\t"
            "vmovups %%xmm2, 144(%[d])\n\t"
            "vmovlps %%xmm5, 160(%[d])\n\t"
            "vmovups %%xmm3, 168(%[d])\n\t"
            "vmovhps %%xmm5, 184(%[d])\n\t"
            "add $32, %[p]\n\t"
            "add $32, %[q]\n\t"
            "add $192, %[d]\n\t"
            "dec %[blocks]\n\t"
            "jnz 1b\n\t"
            "vzeroupper\n\t"
            : [p] "+r"(p), [q] "+r"(q), [d] "+r"(d), [blocks] "+r"(blocks)
            : [lda] "r"(ldaBytes)
            : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
              "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "cc", "memory");
    }
    for (ptrdiff_t k = kc / 8 * 8; k < kc; k++)
        for (int i = 0; i < 6; i++) dst[k * 6 + i] = src[i * lda + k];
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
