/*
 * Internal interface between the GEMM driver (gemm.c), the packing routines (gemm_pack.c) and
 * the instruction-set-specific micro-kernels (gemm_avx512.c, gemm_avx2.c, gemm_neon.c,
 * gemm_portable.c), and the sparse kernels that share the dense kernels' K blocking.
 * Not part of the public API; only include/PruneKitKernels.h is.
 */
#ifndef PK_GEMM_INTERNAL_H
#define PK_GEMM_INTERNAL_H

#include <stddef.h>

#if defined(__GNUC__)
#define PK_HIDDEN __attribute__((visibility("hidden")))
#else
#define PK_HIDDEN
#endif

/* pk_sgemm's cut of an inner dimension of n into `blocks` near-equal blocks, the first n % blocks
   one longer; the sparse and direct kernels cut theirs the same way to sum as pk_sgemm sums. */
static inline ptrdiff_t pk_block_length(ptrdiff_t n, ptrdiff_t blocks, ptrdiff_t block) {
    return n / blocks + (block < n % blocks ? 1 : 0);
}
static inline ptrdiff_t pk_block_start(ptrdiff_t n, ptrdiff_t blocks, ptrdiff_t block) {
    return block * (n / blocks) + (block < n % blocks ? block : n % blocks);
}

/* Largest register tile any micro-kernel uses; sizes the driver's edge-tile scratch buffer. */
enum { PK_MR_MAX = 8, PK_NR_MAX = 32 };

/*
 * A micro-kernel computes one MR×NR tile of C from packed panels:
 *
 *     acc = Σ_{k < kc} a[k·MR + i] · b[k·NR + j]      (k ascending, starting from +0)
 *     C[i·ldc + j] = accumulate ? C[i·ldc + j] + acc : acc
 *
 * `a` is an MR-row panel of op(A) stored k-major (MR consecutive floats per k), `b` an NR-column
 * panel of op(B) stored k-major (NR consecutive floats per k; aligned to NR·4 bytes, at least 16).
 * Both are zero-padded, so the kernel always computes a full tile; the driver routes edge tiles
 * through a scratch tile. Every element of the tile is computed by the same sequence of operations.
 */
typedef void (*pk_microkernel)(ptrdiff_t kc, const float *a, const float *b,
                               float *c, ptrdiff_t ldc, int accumulate);

/* Packs a block of op(A) into mr-row panels; pk_pack_a below, or an ISA-specific version. */
typedef void (*pk_pack_a_fn)(int transA, const float *A, ptrdiff_t lda, ptrdiff_t i0,
                             ptrdiff_t mc, ptrdiff_t p0, ptrdiff_t kc, int mr, float *dst);

/* A micro-kernel together with its A packer, register tile and cache-blocking sizes. */
typedef struct {
    const char *name;      /* value of pk_sgemm_implementation() */
    pk_microkernel kernel;
    pk_pack_a_fn packA;
    int mr, nr;            /* register tile; mr ≤ PK_MR_MAX, nr ≤ PK_NR_MAX */
    int kc;                /* largest K block: B micro-panel (kc·nr floats) stays in L1 */
    int mc;                /* rows of op(A) per packed block (mc·kc floats in L2); multiple of mr */
    int nc;                /* columns of op(B) per packed block (kc·nc floats in L2/L3); multiple of nr */
} pk_gemm_kernel;

PK_HIDDEN extern const pk_gemm_kernel pk_gemm_kernel_portable;
#if defined(__x86_64__) || defined(__i386__)
PK_HIDDEN extern const pk_gemm_kernel pk_gemm_kernel_avx2;
#endif
#if defined(__x86_64__)
PK_HIDDEN extern const pk_gemm_kernel pk_gemm_kernel_avx512;
#endif
#if defined(__aarch64__)
PK_HIDDEN extern const pk_gemm_kernel pk_gemm_kernel_neon;
#endif

/* The kernel pk_sgemm uses now: the one pk_sgemm_select chose on this thread, else the best the CPU runs. */
PK_HIDDEN const pk_gemm_kernel *pk_gemm_active(void);

/* Calls KERNEL's instance (KERNEL##_avx512, _avx2 or _baseline) for the GEMM path in use, so that
   every kernel runs on the instruction set pk_sgemm runs on. */
#if defined(__x86_64__)
#define PK_PATH_DISPATCH(KERNEL, ...)                                                             \
    do {                                                                                          \
        const pk_gemm_kernel *path_ = pk_gemm_active();                                           \
        if (path_ == &pk_gemm_kernel_avx512) KERNEL##_avx512(__VA_ARGS__);                        \
        else if (path_ == &pk_gemm_kernel_avx2) KERNEL##_avx2(__VA_ARGS__);                       \
        else KERNEL##_baseline(__VA_ARGS__);                                                      \
    } while (0)
#else
#define PK_PATH_DISPATCH(KERNEL, ...) KERNEL##_baseline(__VA_ARGS__)
#endif

/* Whether the GEMM path in use runs AVX2 (the AVX-512 and AVX2 paths): for kernels whose 8-float
   vectors an AVX2 instance serves on both. */
static inline int pk_path_has_avx2(void) {
#if defined(__x86_64__)
    const pk_gemm_kernel *path = pk_gemm_active();
    return path == &pk_gemm_kernel_avx512 || path == &pk_gemm_kernel_avx2;
#else
    return 0;
#endif
}

/*
 * Packs rows [i0, i0+mc) × columns [p0, p0+kc) of op(A) into consecutive mr-row panels
 * (panel stride mr·kc floats), zero-padding the last panel to mr rows.
 */
PK_HIDDEN void pk_pack_a(int transA, const float *A, ptrdiff_t lda, ptrdiff_t i0, ptrdiff_t mc,
                         ptrdiff_t p0, ptrdiff_t kc, int mr, float *dst);

/*
 * pk_pack_a for the patch rows of pk_sgemm_patches: row i of A is the patch at
 * input + rowOffsets[i], whose element k = s·segmentLength + t is at s·segmentStride + t. mr ≤ 8.
 */
PK_HIDDEN void pk_pack_a_patches(const float *input, const ptrdiff_t *rowOffsets, ptrdiff_t segmentLength,
                                 ptrdiff_t segmentStride, ptrdiff_t i0, ptrdiff_t mc, ptrdiff_t p0, ptrdiff_t kc,
                                 int mr, float *dst);

/*
 * Packs rows [p0, p0+kc) × columns [j0, j0+nc) of op(B) into consecutive nr-column panels
 * (panel stride nr·kc floats), zero-padding the last panel to nr columns.
 */
PK_HIDDEN void pk_pack_b(int transB, const float *B, ptrdiff_t ldb, ptrdiff_t p0, ptrdiff_t kc,
                         ptrdiff_t j0, ptrdiff_t nc, int nr, float *dst);

#endif
