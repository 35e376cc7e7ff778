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
   with hit = candidate[c] == maximum[c]. */
static void placeGradient(const float *candidate, const float *maximum, float *pending,
                          float *target, ptrdiff_t count) {
    ptrdiff_t c = 0;
#if PK_VECTORS
    for (; c + 8 <= count; c += 8) {
        const pk_i32x8 hit = PK_CF32X8(candidate + c) == PK_CF32X8(maximum + c);
        const pk_i32x8 p = (pk_i32x8)PK_CF32X8(pending + c);
        PK_F32X8(target + c) = (pk_f32x8)(p & hit);
        PK_F32X8(pending + c) = (pk_f32x8)(p & ~hit);
    }
#endif
    for (; c < count; c++) {
        const int hit = candidate[c] == maximum[c];
        target[c] = hit ? pending[c] : 0.0f;
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

void pk_maxpool_backward(const float *input, const float *output, const float *outputGradient,
                         float *inputGradient, ptrdiff_t inputSize, ptrdiff_t inputWidth,
                         ptrdiff_t channels, ptrdiff_t outputHeight, ptrdiff_t outputWidth,
                         ptrdiff_t poolHeight, ptrdiff_t poolWidth) {
    enum { CHUNK = 64 };
    float pending[CHUNK]; /* what is still to be placed, per channel of the current chunk */
    memset(inputGradient, 0, (size_t)inputSize * sizeof(float)); /* +0.0f */
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
                                      inputGradient + offset, width);
                    }
                }
            }
        }
    }
}
