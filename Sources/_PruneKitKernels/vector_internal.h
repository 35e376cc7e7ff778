/*
 * Eight-lane GNU C vector types (clang and GCC) for the element-wise kernels. SwiftPM compiles C
 * at -O0 in debug builds, where nothing is vectorised automatically; written with these types,
 * a loop does eight elements per handful of instructions at any optimisation level, and lowers
 * to AVX, SSE2 (two halves) or Advanced SIMD as the target allows. Each file keeps a scalar loop
 * for the tail, which also serves compilers without the extension (PK_VECTORS is 0 there).
 * Every lane performs the same IEEE operation as the scalar loop, so results are bit-identical.
 * Not part of the public API.
 */
#ifndef PK_VECTOR_INTERNAL_H
#define PK_VECTOR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define PK_VECTORS 1
/* Unaligned, aliasing vectors, like the _u types of the compilers' own intrinsic headers. */
typedef float pk_f32x8 __attribute__((vector_size(32), aligned(4), may_alias));
typedef int32_t pk_i32x8 __attribute__((vector_size(32), aligned(4), may_alias));
typedef uint32_t pk_u32x8 __attribute__((vector_size(32), aligned(4), may_alias));
typedef float pk_f32x4 __attribute__((vector_size(16), aligned(4), may_alias));
typedef float pk_f32x16 __attribute__((vector_size(64), aligned(4), may_alias));
typedef int32_t pk_i32x16 __attribute__((vector_size(64), aligned(4), may_alias));
typedef uint32_t pk_u32x16 __attribute__((vector_size(64), aligned(4), may_alias));
typedef uint8_t pk_u8x8 __attribute__((vector_size(8), aligned(1), may_alias));
typedef uint8_t pk_u8x16 __attribute__((vector_size(16), aligned(1), may_alias));

/* m = v > m ? v : m, lane by lane, for float vectors m, v and the matching int vector type I
   (statement macros: a vector argument of the baseline instances' helpers would change the ABI,
   -Wpsabi). */
#define PK_KEEP_LARGER(I, m, v)                                                  \
    do {                                                                         \
        const __typeof__(m) v_ = (v);                                            \
        const I larger_ = (I)(v_ > (m));                                         \
        (m) = (__typeof__(m))(((I)v_ & larger_) | ((I)(m) & ~larger_));          \
    } while (0)
/* A max-pooling window's maximum M and switch SW (int vectors of type I), lane by lane: V, the
   window's value K in row-major order, replaces M where V > M, and SW becomes K there. Starting
   from the first value (M = it, SW = 0), SW ends as the first value equal to the maximum — every
   value before it is smaller — unless the first value is NaN, which nothing replaces and nothing
   equals (PK_SWITCH_LIVE). */
#define PK_KEEP_LARGER_SWITCH(I, m, sw, v, k)                                    \
    do {                                                                         \
        const I larger_ = (I)((v) > (m));                                        \
        (m) = (__typeof__(m))(((I)(v) & larger_) | ((I)(m) & ~larger_));         \
        (sw) = ((sw) & ~larger_) | (((I){0} + (int32_t)(k)) & larger_);          \
    } while (0)
/* 255 (no gradient) where the window's maximum M passes none: a NaN, or with a ReLU (RELU_MASK 0;
   all ones without) a maximum not above 0. */
#define PK_SWITCH_LIVE(I, sw, m, reluMask)                                                         \
    do {                                                                                         \
        const I live_ = (I)((m) == (m)) & ((I)((m) > (__typeof__(m)){0}) | (reluMask));            \
        (sw) = ((sw) & live_) | (((I){0} + 255) & ~live_);                                        \
    } while (0)

/* The float vector at p (any alignment), as an lvalue. */
#define PK_F32X8(p) (*(pk_f32x8 *)(p))
#define PK_CF32X8(p) (*(const pk_f32x8 *)(p))
#define PK_F32X4(p) (*(pk_f32x4 *)(p))
#define PK_CF32X4(p) (*(const pk_f32x4 *)(p))
#define PK_F32X16(p) (*(pk_f32x16 *)(p))
#define PK_CF32X16(p) (*(const pk_f32x16 *)(p))

/* dst[j·ldd + i] = rows[i][j] for i, j < 8: eight rows loaded as vectors and transposed in
   registers (pairs, then quads, then halves). Always inlined, so it runs in the caller's
   instruction set. */
static inline __attribute__((always_inline)) void pk_transpose8x8(const float *const rows[8], float *dst,
                                                                  ptrdiff_t ldd) {
    pk_f32x8 t[8], u[8];
    for (int i = 0; i < 8; i += 2) {
        const pk_f32x8 a = PK_CF32X8(rows[i]), b = PK_CF32X8(rows[i + 1]);
        t[i] = __builtin_shufflevector(a, b, 0, 8, 1, 9, 4, 12, 5, 13);
        t[i + 1] = __builtin_shufflevector(a, b, 2, 10, 3, 11, 6, 14, 7, 15);
    }
    for (int i = 0; i < 8; i += 4) {
        u[i] = __builtin_shufflevector(t[i], t[i + 2], 0, 1, 8, 9, 4, 5, 12, 13);
        u[i + 1] = __builtin_shufflevector(t[i], t[i + 2], 2, 3, 10, 11, 6, 7, 14, 15);
        u[i + 2] = __builtin_shufflevector(t[i + 1], t[i + 3], 0, 1, 8, 9, 4, 5, 12, 13);
        u[i + 3] = __builtin_shufflevector(t[i + 1], t[i + 3], 2, 3, 10, 11, 6, 7, 14, 15);
    }
    for (int j = 0; j < 4; j++) {
        PK_F32X8(dst + j * ldd) = __builtin_shufflevector(u[j], u[j + 4], 0, 1, 2, 3, 8, 9, 10, 11);
        PK_F32X8(dst + (j + 4) * ldd) = __builtin_shufflevector(u[j], u[j + 4], 4, 5, 6, 7, 12, 13, 14, 15);
    }
}
#else
#define PK_VECTORS 0
#endif

#endif
