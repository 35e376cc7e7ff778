/*
 * Element-wise loops of the layers (ReLU and its gradient, sums, products, zero counts, biases).
 *
 * Plain C with eight-lane vectors (vector_internal.h), so that they run a few instructions per
 * eight elements at SwiftPM's debug level (-O0), where Swift's SIMD types cost tens of
 * nanoseconds per element, as well as in release. Each loop performs, per element, exactly the
 * IEEE operations its doc comment in PruneKitKernels.h states, in that order.
 */
#include "PruneKitKernels.h"
#include "vector_internal.h"

#pragma STDC FP_CONTRACT OFF

void pk_fill(float *values, ptrdiff_t count, float value) {
    ptrdiff_t i = 0;
#if PK_VECTORS
    const pk_f32x8 v = {value, value, value, value, value, value, value, value};
    for (; i + 8 <= count; i += 8) PK_F32X8(values + i) = v;
#endif
    for (; i < count; i++) values[i] = value;
}

void pk_relu(float *values, ptrdiff_t count) {
    ptrdiff_t i = 0;
#if PK_VECTORS
    const pk_f32x8 zero = {0};
    for (; i + 8 <= count; i += 8) {
        const pk_f32x8 v = PK_CF32X8(values + i);
        PK_F32X8(values + i) = (pk_f32x8)((pk_i32x8)v & (v > zero)); /* +0 where not v > 0 */
    }
#endif
    for (; i < count; i++) values[i] = values[i] > 0.0f ? values[i] : 0.0f;
}

void pk_relu_gradient(float *gradient, const float *output, ptrdiff_t count) {
    ptrdiff_t i = 0;
#if PK_VECTORS
    const pk_f32x8 zero = {0};
    for (; i + 8 <= count; i += 8) {
        const pk_i32x8 keep = PK_CF32X8(output + i) > zero;
        PK_F32X8(gradient + i) = (pk_f32x8)((pk_i32x8)PK_CF32X8(gradient + i) & keep);
    }
#endif
    for (; i < count; i++) gradient[i] = output[i] > 0.0f ? gradient[i] : 0.0f;
}

void pk_add(const float *source, float *target, ptrdiff_t count) {
    ptrdiff_t i = 0;
#if PK_VECTORS
    for (; i + 8 <= count; i += 8) PK_F32X8(target + i) = PK_CF32X8(target + i) + PK_CF32X8(source + i);
#endif
    for (; i < count; i++) target[i] = target[i] + source[i];
}

void pk_multiply(float *values, const float *factors, ptrdiff_t count) {
    ptrdiff_t i = 0;
#if PK_VECTORS
    for (; i + 8 <= count; i += 8) PK_F32X8(values + i) = PK_CF32X8(values + i) * PK_CF32X8(factors + i);
#endif
    for (; i < count; i++) values[i] = values[i] * factors[i];
}

ptrdiff_t pk_count_zeros(const float *values, ptrdiff_t count) {
    ptrdiff_t zeros = 0, i = 0;
#if PK_VECTORS
    /* Lane counts (each comparison adds −1 or 0), flushed before they could overflow. */
    const pk_f32x8 zero = {0};
    while (i + 8 <= count) {
        pk_i32x8 lanes = {0};
        const ptrdiff_t end = count - i > ((ptrdiff_t)1 << 33) ? i + ((ptrdiff_t)1 << 33) : count;
        for (; i + 8 <= end; i += 8) lanes += PK_CF32X8(values + i) == zero;
        for (int lane = 0; lane < 8; lane++) zeros -= lanes[lane];
    }
#endif
    for (; i < count; i++) zeros += values[i] == 0.0f;
    return zeros;
}

void pk_add_bias(const float *bias, float *values, ptrdiff_t rows, ptrdiff_t width) {
    ptrdiff_t j0 = 0;
#if PK_VECTORS
    /* Column blocks of 32 with the bias held in registers, rows inside. */
    for (; j0 + 32 <= width; j0 += 32) {
        const pk_f32x8 b0 = PK_CF32X8(bias + j0), b1 = PK_CF32X8(bias + j0 + 8);
        const pk_f32x8 b2 = PK_CF32X8(bias + j0 + 16), b3 = PK_CF32X8(bias + j0 + 24);
        for (ptrdiff_t row = 0; row < rows; row++) {
            float *v = values + row * width + j0;
            PK_F32X8(v) = PK_CF32X8(v) + b0;
            PK_F32X8(v + 8) = PK_CF32X8(v + 8) + b1;
            PK_F32X8(v + 16) = PK_CF32X8(v + 16) + b2;
            PK_F32X8(v + 24) = PK_CF32X8(v + 24) + b3;
        }
    }
#endif
    if (j0 < width)
        for (ptrdiff_t row = 0; row < rows; row++) pk_add(bias + j0, values + row * width + j0, width - j0);
}

void pk_sum_rows(const float *values, ptrdiff_t rows, ptrdiff_t width, float *sums) {
    ptrdiff_t j0 = 0;
#if PK_VECTORS
    /* Column blocks of 32 summed in registers, rows in order: each column's order is unchanged. */
    for (; j0 + 32 <= width; j0 += 32) {
        pk_f32x8 s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0};
        for (ptrdiff_t row = 0; row < rows; row++) {
            const float *v = values + row * width + j0;
            s0 = s0 + PK_CF32X8(v);
            s1 = s1 + PK_CF32X8(v + 8);
            s2 = s2 + PK_CF32X8(v + 16);
            s3 = s3 + PK_CF32X8(v + 24);
        }
        PK_F32X8(sums + j0) = s0;
        PK_F32X8(sums + j0 + 8) = s1;
        PK_F32X8(sums + j0 + 16) = s2;
        PK_F32X8(sums + j0 + 24) = s3;
    }
#endif
    for (ptrdiff_t j = j0; j < width; j++) sums[j] = 0.0f;
    if (j0 < width)
        for (ptrdiff_t row = 0; row < rows; row++) pk_add(values + row * width + j0, sums + j0, width - j0);
}
