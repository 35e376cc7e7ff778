/*
 * Dropout's counter-based keep mask (see pk_dropout_scale in PruneKitKernels.h): integer
 * hashing and one multiply per element. The loop is instantiated for AVX-512F (16 lanes), AVX2
 * (8 lanes) and the baseline instruction set (8-lane GNU C vectors, vector_internal.h, which
 * SSE2 runs as two halves and without a 32-bit vector multiply), and chosen with the path
 * pk_sgemm uses. Every lane performs the scalar loop's integer and IEEE operations, so all
 * paths give the same bits.
 */
#include "PruneKitKernels.h"
#include "gemm_internal.h"
#include "vector_internal.h"

#pragma STDC FP_CONTRACT OFF

/* MurmurHash3's 32-bit finaliser (fmix32), a bijection with full avalanche, on a scalar or on
   a vector of uint32_t (a macro, so that it is inlined at -O0 too). */
#define PK_FMIX32(h)        \
    do {                    \
        (h) ^= (h) >> 16;   \
        (h) *= 0x85EBCA6Bu; \
        (h) ^= (h) >> 13;   \
        (h) *= 0xC2B2AE35u; \
        (h) ^= (h) >> 16;   \
    } while (0)

/* destination[i] = source[i] · (kept(first + i) · keptScale), one element at a time. */
static void dropoutScalar(const float *source, float *destination, ptrdiff_t count, uint32_t first,
                          uint32_t keyLow, uint32_t keyHigh, uint32_t offset, float keptScale) {
    for (ptrdiff_t i = 0; i < count; i++) {
        uint32_t bits = (first + (uint32_t)i) ^ keyLow;
        PK_FMIX32(bits);
        bits ^= keyHigh;
        PK_FMIX32(bits);
        const uint32_t kept = ((bits >> 8) + offset) >> 24;
        destination[i] = source[i] * ((float)kept * keptScale);
    }
}

/* The vector loop over LANES-lane vectors of types U (uint32_t) and F (float), then the scalar tail. */
#define PK_DROPOUT_BODY(LANES, U, F)                                                             \
    ptrdiff_t i = 0;                                                                             \
    U lanes;                                                                                     \
    for (int lane = 0; lane < (LANES); lane++) lanes[lane] = (uint32_t)lane;                     \
    for (; i + (LANES) <= count; i += (LANES)) {                                                 \
        U bits = (first + (uint32_t)i + lanes) ^ keyLow;                                         \
        PK_FMIX32(bits);                                                                         \
        bits ^= keyHigh;                                                                         \
        PK_FMIX32(bits);                                                                         \
        const U kept = ((bits >> 8) + offset) >> 24;                                             \
        const F factor = __builtin_convertvector(kept, F) * keptScale;                           \
        *(F *)(destination + i) = *(const F *)(source + i) * factor;                             \
    }                                                                                            \
    dropoutScalar(source + i, destination + i, count - i, first + (uint32_t)i, keyLow, keyHigh, \
                  offset, keptScale);

#if PK_VECTORS
static void dropoutBaseline(const float *source, float *destination, ptrdiff_t count, uint32_t first,
                            uint32_t keyLow, uint32_t keyHigh, uint32_t offset, float keptScale) {
    PK_DROPOUT_BODY(8, pk_u32x8, pk_f32x8)
}
#endif

#if defined(__x86_64__) && PK_VECTORS

__attribute__((target("avx2"))) static void dropoutAVX2(const float *source, float *destination, ptrdiff_t count,
                                                        uint32_t first, uint32_t keyLow, uint32_t keyHigh,
                                                        uint32_t offset, float keptScale) {
    PK_DROPOUT_BODY(8, pk_u32x8, pk_f32x8)
}

__attribute__((target("avx512f"))) static void dropoutAVX512(const float *source, float *destination,
                                                             ptrdiff_t count, uint32_t first, uint32_t keyLow,
                                                             uint32_t keyHigh, uint32_t offset, float keptScale) {
    PK_DROPOUT_BODY(16, pk_u32x16, pk_f32x16)
}
#endif

void pk_dropout_scale(const float *source, float *destination, ptrdiff_t count, uint32_t first,
                      uint32_t keyLow, uint32_t keyHigh, uint32_t offset, float keptScale) {
#if defined(__x86_64__) && PK_VECTORS
    const pk_gemm_kernel *path = pk_gemm_active();
    if (path == &pk_gemm_kernel_avx512) {
        dropoutAVX512(source, destination, count, first, keyLow, keyHigh, offset, keptScale);
        return;
    }
    if (path == &pk_gemm_kernel_avx2) {
        dropoutAVX2(source, destination, count, first, keyLow, keyHigh, offset, keptScale);
        return;
    }
#endif
#if PK_VECTORS
    dropoutBaseline(source, destination, count, first, keyLow, keyHigh, offset, keptScale);
#else
    dropoutScalar(source, destination, count, first, keyLow, keyHigh, offset, keptScale);
#endif
}
