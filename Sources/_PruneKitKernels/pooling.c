/*
 * Max pooling over non-overlapping windows of one channels-last sample (see pk_maxpool_forward
 * and pk_maxpool_backward in PruneKitKernels.h). Channels are the innermost loop, eight at a time
 * (vector_internal.h), with the selects written as bit masks.
 */
#include "PruneKitKernels.h"
#include "vector_internal.h"

#include <string.h>

/* maximum[c] = candidate[c] > maximum[c] ? candidate[c] : maximum[c] for c < count. */
static void keepLarger(const float *candidate, float *maximum, ptrdiff_t count) {
    ptrdiff_t c = 0;
#if PK_VECTORS
    for (; c + 8 <= count; c += 8) {
        const pk_i32x8 x = (pk_i32x8)PK_CF32X8(candidate + c), m = (pk_i32x8)PK_CF32X8(maximum + c);
        const pk_i32x8 larger = PK_CF32X8(candidate + c) > PK_CF32X8(maximum + c);
        PK_F32X8(maximum + c) = (pk_f32x8)((x & larger) | (m & ~larger));
    }
#endif
    for (; c < count; c++) maximum[c] = candidate[c] > maximum[c] ? candidate[c] : maximum[c];
}

/* For c < count: target[c] = hit ? pending[c] : 0 and pending[c] = hit ? 0 : pending[c],
   with hit = candidate[c] == maximum[c]; with relu, the gradient placed is +0 unless
   maximum[c] > 0 (the ReLU's gradient at the hit, whose output equals the maximum). */
static void placeGradient(const float *candidate, const float *maximum, float *pending,
                          float *target, ptrdiff_t count, int relu) {
    ptrdiff_t c = 0;
#if PK_VECTORS
    const pk_f32x8 zero = {0};
    for (; c + 8 <= count; c += 8) {
        const pk_i32x8 hit = PK_CF32X8(candidate + c) == PK_CF32X8(maximum + c);
        const pk_i32x8 live = relu ? (pk_i32x8)(PK_CF32X8(maximum + c) > zero) : hit;
        const pk_i32x8 p = (pk_i32x8)PK_CF32X8(pending + c);
        PK_F32X8(target + c) = (pk_f32x8)(p & hit & live);
        PK_F32X8(pending + c) = (pk_f32x8)(p & ~hit);
    }
#endif
    for (; c < count; c++) {
        const int hit = candidate[c] == maximum[c];
        const int live = !relu || maximum[c] > 0.0f;
        target[c] = hit && live ? pending[c] : 0.0f;
        pending[c] = hit ? 0.0f : pending[c];
    }
}

void pk_maxpool_forward(const float *input, float *output, ptrdiff_t inputWidth,
                        ptrdiff_t channels, ptrdiff_t outputHeight, ptrdiff_t outputWidth,
                        ptrdiff_t poolHeight, ptrdiff_t poolWidth) {
    for (ptrdiff_t y = 0; y < outputHeight; y++) {
        for (ptrdiff_t x = 0; x < outputWidth; x++) {
            float *maximum = output + (y * outputWidth + x) * channels;
            const float *window = input + (y * poolHeight * inputWidth + x * poolWidth) * channels;
            memcpy(maximum, window, (size_t)channels * sizeof(float));
            for (ptrdiff_t i = 0; i < poolHeight; i++)
                for (ptrdiff_t j = i == 0 ? 1 : 0; j < poolWidth; j++)
                    keepLarger(window + (i * inputWidth + j) * channels, maximum, channels);
        }
    }
}

/* value + bias, then ReLU as pk_relu computes it when relu is set (+0 unless greater than 0). */
static inline float biasActivation(float value, float bias, int relu) {
    const float v = value + bias;
    return relu ? (v > 0.0f ? v : 0.0f) : v;
}

void pk_bias_maxpool_forward(const float *input, const float *bias, int relu, float *output,
                             ptrdiff_t inputWidth, ptrdiff_t channels, ptrdiff_t outputHeight,
                             ptrdiff_t outputWidth, ptrdiff_t poolHeight, ptrdiff_t poolWidth) {
    for (ptrdiff_t y = 0; y < outputHeight; y++) {
        for (ptrdiff_t x = 0; x < outputWidth; x++) {
            float *maximum = output + (y * outputWidth + x) * channels;
            const float *window = input + (y * poolHeight * inputWidth + x * poolWidth) * channels;
            ptrdiff_t c = 0;
#if PK_VECTORS
            const pk_f32x8 zero = {0};
            for (; c + 8 <= channels; c += 8) {
                const pk_f32x8 b = PK_CF32X8(bias + c);
                pk_f32x8 m = {0};
                for (ptrdiff_t i = 0; i < poolHeight; i++) {
                    for (ptrdiff_t j = 0; j < poolWidth; j++) {
                        pk_f32x8 v = PK_CF32X8(window + (i * inputWidth + j) * channels + c) + b;
                        if (relu) v = (pk_f32x8)((pk_i32x8)v & (v > zero));
                        if (i == 0 && j == 0) { m = v; continue; }
                        const pk_i32x8 larger = v > m;
                        m = (pk_f32x8)(((pk_i32x8)v & larger) | ((pk_i32x8)m & ~larger));
                    }
                }
                PK_F32X8(maximum + c) = m;
            }
#endif
            for (; c < channels; c++) {
                float m = biasActivation(window[c], bias[c], relu);
                for (ptrdiff_t i = 0; i < poolHeight; i++)
                    for (ptrdiff_t j = i == 0 ? 1 : 0; j < poolWidth; j++) {
                        const float v = biasActivation(window[(i * inputWidth + j) * channels + c], bias[c], relu);
                        m = v > m ? v : m;
                    }
                maximum[c] = m;
            }
        }
    }
}

/* One output of pk_bias_maxpool_planes: the window at `window`, rows `rowStride` apart. */
static inline float poolWindow(const float *window, ptrdiff_t rowStride, float bias, int relu,
                               ptrdiff_t poolHeight, ptrdiff_t poolWidth) {
    float m = biasActivation(window[0], bias, relu);
    for (ptrdiff_t i = 0; i < poolHeight; i++)
        for (ptrdiff_t j = i == 0 ? 1 : 0; j < poolWidth; j++) {
            const float v = biasActivation(window[i * rowStride + j], bias, relu);
            m = v > m ? v : m;
        }
    return m;
}

#if PK_VECTORS
/* poolWindow at eight consecutive window starts (the same operations per lane); inlined with
   constant pool sizes for the common 2 × 2 window. */
static inline void poolWindows8(const float *start, ptrdiff_t rowStride, float bias, int relu,
                                ptrdiff_t poolHeight, ptrdiff_t poolWidth, float *maxima) {
    const pk_f32x8 zero = {0}, b = zero + bias;
    pk_f32x8 m = {0};
    for (ptrdiff_t i = 0; i < poolHeight; i++) {
        for (ptrdiff_t j = 0; j < poolWidth; j++) {
            pk_f32x8 v = PK_CF32X8(start + i * rowStride + j) + b;
            if (relu) v = (pk_f32x8)((pk_i32x8)v & (v > zero));
            if (i == 0 && j == 0) { m = v; continue; }
            const pk_i32x8 larger = v > m;
            m = (pk_f32x8)(((pk_i32x8)v & larger) | ((pk_i32x8)m & ~larger));
        }
    }
    PK_F32X8(maxima) = m;
}
#endif

void pk_bias_maxpool_planes(const float *planes, ptrdiff_t planeStride, ptrdiff_t rowStride,
                            const float *bias, int relu, float *output, ptrdiff_t channels,
                            ptrdiff_t outputHeight, ptrdiff_t outputWidth, ptrdiff_t poolHeight,
                            ptrdiff_t poolWidth) {
    const ptrdiff_t span = outputWidth * poolWidth; /* positions of a row that windows start from */
    const ptrdiff_t reach = (poolHeight - 1) * rowStride + poolWidth - 1;
    for (ptrdiff_t c = 0; c < channels; c++) {
        const float *plane = planes + c * planeStride;
        for (ptrdiff_t y = 0; y < outputHeight; y++) {
            const ptrdiff_t base = y * poolHeight * rowStride;
            float *row = output + y * outputWidth * channels + c;
            ptrdiff_t x = 0;
#if PK_VECTORS
            for (ptrdiff_t q0 = 0; q0 < span && base + q0 + 8 + reach <= planeStride; q0 += 8) {
                const float *start = plane + base + q0;
                float m[8];
                if (poolHeight == 2 && poolWidth == 2) poolWindows8(start, rowStride, bias[c], relu, 2, 2, m);
                else poolWindows8(start, rowStride, bias[c], relu, poolHeight, poolWidth, m);
                for (; x < outputWidth && x * poolWidth < q0 + 8; x++) row[x * channels] = m[x * poolWidth - q0];
            }
#endif
            for (; x < outputWidth; x++)
                row[x * channels] = poolWindow(plane + base + x * poolWidth, rowStride, bias[c], relu, poolHeight, poolWidth);
        }
    }
}

void pk_maxpool_backward(const float *input, const float *output, const float *outputGradient,
                         float *inputGradient, ptrdiff_t inputSize, ptrdiff_t inputWidth,
                         ptrdiff_t channels, ptrdiff_t outputHeight, ptrdiff_t outputWidth,
                         ptrdiff_t poolHeight, ptrdiff_t poolWidth, int relu) {
    enum { CHUNK = 64 };
    float pending[CHUNK]; /* what is still to be placed, per channel of the current chunk */
    /* Every input inside a window is written below; only a dropped last row or column is zeroed. */
    const ptrdiff_t rowSize = inputWidth * channels, covered = outputWidth * poolWidth * channels;
    const ptrdiff_t coveredRows = outputHeight * poolHeight;
    if (covered < rowSize)
        for (ptrdiff_t y = 0; y < coveredRows; y++)
            memset(inputGradient + y * rowSize + covered, 0, (size_t)(rowSize - covered) * sizeof(float));
    if (coveredRows * rowSize < inputSize)
        memset(inputGradient + coveredRows * rowSize, 0, (size_t)(inputSize - coveredRows * rowSize) * sizeof(float));
    for (ptrdiff_t y = 0; y < outputHeight; y++) {
        for (ptrdiff_t x = 0; x < outputWidth; x++) {
            const ptrdiff_t outputOffset = (y * outputWidth + x) * channels;
            const ptrdiff_t first = (y * poolHeight * inputWidth + x * poolWidth) * channels;
            for (ptrdiff_t c0 = 0; c0 < channels; c0 += CHUNK) {
                const ptrdiff_t width = channels - c0 < CHUNK ? channels - c0 : CHUNK;
                memcpy(pending, outputGradient + outputOffset + c0, (size_t)width * sizeof(float));
                /* The first input equal to the maximum, in row-major order, takes the gradient. */
                for (ptrdiff_t i = 0; i < poolHeight; i++) {
                    for (ptrdiff_t j = 0; j < poolWidth; j++) {
                        const ptrdiff_t offset = first + (i * inputWidth + j) * channels + c0;
                        placeGradient(input + offset, output + outputOffset + c0, pending,
                                      inputGradient + offset, width, relu);
                    }
                }
            }
        }
    }
}
