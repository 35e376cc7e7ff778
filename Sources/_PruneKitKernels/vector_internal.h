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
/* The float vector at p (any alignment), as an lvalue. */
#define PK_F32X8(p) (*(pk_f32x8 *)(p))
#define PK_CF32X8(p) (*(const pk_f32x8 *)(p))
#define PK_F32X4(p) (*(pk_f32x4 *)(p))
#define PK_CF32X4(p) (*(const pk_f32x4 *)(p))
#define PK_F32X16(p) (*(pk_f32x16 *)(p))
#define PK_CF32X16(p) (*(const pk_f32x16 *)(p))
#else
#define PK_VECTORS 0
#endif

#endif
