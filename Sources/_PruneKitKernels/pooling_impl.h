/*
 * The max-pooling kernels, written once with GNU C vectors of PK_POOL_LANES floats (V, and I for
 * their comparison masks) and compiled by pooling.c for each instruction set (PK_POOL_TARGET: a
 * target attribute or nothing; PK_POOL_NAME(x): the instance's function names). Channels-last
 * kernels put channels in the lanes; the channel-major kernel puts output columns in them. Each
 * lane performs the scalar code's IEEE operations in the same order (selects written as bit
 * masks), so every instance gives the same bits. See PruneKitKernels.h for the contracts.
 * Included only by pooling.c.
 */

#define V PK_POOL_V
#define I PK_POOL_I
#define LANES PK_POOL_LANES
#define U8 PK_POOL_U8

/* v = v + bias, then pk_relu's rule when relu is set (+0 unless above 0), lane by lane. */
#define PK_POOL_BIAS_ACTIVATE(v, bias, relu)                      \
    do {                                                          \
        (v) = (v) + (bias);                                       \
        if (relu) (v) = (V)((I)(v) & ((v) > (V){0}));             \
    } while (0)

static PK_POOL_TARGET void PK_POOL_NAME(maxpool_forward)(
    const float *input, float *output, ptrdiff_t inputWidth, ptrdiff_t channels, ptrdiff_t outputHeight,
    ptrdiff_t outputWidth, ptrdiff_t poolHeight, ptrdiff_t poolWidth) {
    for (ptrdiff_t y = 0; y < outputHeight; y++) {
        for (ptrdiff_t x = 0; x < outputWidth; x++) {
            float *maximum = output + (y * outputWidth + x) * channels;
            const float *window = input + (y * poolHeight * inputWidth + x * poolWidth) * channels;
            ptrdiff_t c = 0;
            for (; c + LANES <= channels; c += LANES) {
                V m = *(const V *)(window + c);
                for (ptrdiff_t i = 0; i < poolHeight; i++)
                    for (ptrdiff_t j = i == 0 ? 1 : 0; j < poolWidth; j++)
                        PK_KEEP_LARGER(I, m, *(const V *)(window + (i * inputWidth + j) * channels + c));
                *(V *)(maximum + c) = m;
            }
            for (; c < channels; c++) {
                float m = window[c];
                for (ptrdiff_t i = 0; i < poolHeight; i++)
                    for (ptrdiff_t j = i == 0 ? 1 : 0; j < poolWidth; j++) {
                        const float v = window[(i * inputWidth + j) * channels + c];
                        m = v > m ? v : m;
                    }
                maximum[c] = m;
            }
        }
    }
}

static PK_POOL_TARGET void PK_POOL_NAME(bias_maxpool_forward)(
    const float *input, const float *bias, int relu, float *output, ptrdiff_t inputWidth, ptrdiff_t channels,
    ptrdiff_t outputHeight, ptrdiff_t outputWidth, ptrdiff_t poolHeight, ptrdiff_t poolWidth, uint8_t *switches,
    ptrdiff_t switchStride) {
    for (ptrdiff_t y = 0; y < outputHeight; y++) {
        for (ptrdiff_t x = 0; x < outputWidth; x++) {
            float *maximum = output + (y * outputWidth + x) * channels;
            uint8_t *windowSwitches = switches ? switches + (y * outputWidth + x) * switchStride : NULL;
            const float *window = input + (y * poolHeight * inputWidth + x * poolWidth) * channels;
            ptrdiff_t c = 0;
            for (; c + LANES <= channels; c += LANES) {
                const V b = *(const V *)(bias + c);
                V m = *(const V *)(window + c);
                I sw = {0};
                PK_POOL_BIAS_ACTIVATE(m, b, relu);
                for (ptrdiff_t i = 0; i < poolHeight; i++)
                    for (ptrdiff_t j = i == 0 ? 1 : 0; j < poolWidth; j++) {
                        V v = *(const V *)(window + (i * inputWidth + j) * channels + c);
                        PK_POOL_BIAS_ACTIVATE(v, b, relu);
                        PK_KEEP_LARGER_SWITCH(I, m, sw, v, i * poolWidth + j);
                    }
                *(V *)(maximum + c) = m;
                if (!windowSwitches) continue;
                PK_SWITCH_LIVE(I, sw, m, relu ? (I){0} : ~(I){0});
                *(U8 *)(windowSwitches + c) = __builtin_convertvector(sw, U8);
            }
            for (; c < channels; c++) {
                float m = biasActivation(window[c], bias[c], relu);
                int sw = 0; /* as PK_KEEP_LARGER_SWITCH */
                for (ptrdiff_t i = 0; i < poolHeight; i++)
                    for (ptrdiff_t j = i == 0 ? 1 : 0; j < poolWidth; j++) {
                        const float v = biasActivation(window[(i * inputWidth + j) * channels + c], bias[c], relu);
                        if (v > m) { m = v; sw = (int)(i * poolWidth + j); }
                    }
                maximum[c] = m;
                if (windowSwitches) windowSwitches[c] = (uint8_t)(m == m && (!relu || m > 0.0f) ? sw : 255);
            }
        }
    }
}

static PK_POOL_TARGET void PK_POOL_NAME(maxpool_switch_backward)(
    const float *outputGradient, const uint8_t *switches, ptrdiff_t switchStride, float *inputGradient,
    ptrdiff_t inputSize, ptrdiff_t inputWidth, ptrdiff_t channels, ptrdiff_t outputHeight, ptrdiff_t outputWidth,
    ptrdiff_t poolHeight, ptrdiff_t poolWidth) {
    zeroUncovered(inputGradient, inputSize, inputWidth, channels, outputHeight, outputWidth, poolHeight, poolWidth);
    for (ptrdiff_t y = 0; y < outputHeight; y++) {
        for (ptrdiff_t x = 0; x < outputWidth; x++) {
            const ptrdiff_t outputOffset = (y * outputWidth + x) * channels;
            const uint8_t *windowSwitches = switches + (y * outputWidth + x) * switchStride;
            const ptrdiff_t first = (y * poolHeight * inputWidth + x * poolWidth) * channels;
            ptrdiff_t c = 0;
            for (; c + LANES <= channels; c += LANES) {
                const I gradient = *(const I *)(outputGradient + outputOffset + c);
                const I sw = __builtin_convertvector(*(const U8 *)(windowSwitches + c), I);
                for (ptrdiff_t i = 0; i < poolHeight; i++)
                    for (ptrdiff_t j = 0; j < poolWidth; j++)
                        *(I *)(inputGradient + first + (i * inputWidth + j) * channels + c) =
                            gradient & (sw == (I){0} + (int32_t)(i * poolWidth + j));
            }
            for (; c < channels; c++) {
                const float gradient = outputGradient[outputOffset + c];
                for (ptrdiff_t i = 0; i < poolHeight; i++)
                    for (ptrdiff_t j = 0; j < poolWidth; j++)
                        inputGradient[first + (i * inputWidth + j) * channels + c] =
                            windowSwitches[c] == i * poolWidth + j ? gradient : 0.0f;
            }
        }
    }
}

static PK_POOL_TARGET void PK_POOL_NAME(maxpool_backward)(
    const float *input, const float *output, const float *outputGradient, float *inputGradient,
    ptrdiff_t inputSize, ptrdiff_t inputWidth, ptrdiff_t channels, ptrdiff_t outputHeight, ptrdiff_t outputWidth,
    ptrdiff_t poolHeight, ptrdiff_t poolWidth, int relu) {
    zeroUncovered(inputGradient, inputSize, inputWidth, channels, outputHeight, outputWidth, poolHeight, poolWidth);
    for (ptrdiff_t y = 0; y < outputHeight; y++) {
        for (ptrdiff_t x = 0; x < outputWidth; x++) {
            const ptrdiff_t outputOffset = (y * outputWidth + x) * channels;
            const ptrdiff_t first = (y * poolHeight * inputWidth + x * poolWidth) * channels;
            ptrdiff_t c = 0;
            /* The gradient still to be placed stays in a register while the window is walked. */
            for (; c + LANES <= channels; c += LANES) {
                const V maximum = *(const V *)(output + outputOffset + c);
                const I live = relu ? maximum > (V){0} : ~(I){0};
                I pending = *(const I *)(outputGradient + outputOffset + c);
                for (ptrdiff_t i = 0; i < poolHeight; i++) {
                    for (ptrdiff_t j = 0; j < poolWidth; j++) {
                        const ptrdiff_t offset = first + (i * inputWidth + j) * channels + c;
                        const I hit = *(const V *)(input + offset) == maximum;
                        *(I *)(inputGradient + offset) = pending & hit & live;
                        pending &= ~hit;
                    }
                }
            }
            for (; c < channels; c++) {
                float pending = outputGradient[outputOffset + c];
                const float maximum = output[outputOffset + c];
                const int live = !relu || maximum > 0.0f;
                for (ptrdiff_t i = 0; i < poolHeight; i++) {
                    for (ptrdiff_t j = 0; j < poolWidth; j++) {
                        const ptrdiff_t offset = first + (i * inputWidth + j) * channels + c;
                        const int hit = input[offset] == maximum;
                        inputGradient[offset] = hit && live ? pending : 0.0f;
                        pending = hit ? 0.0f : pending;
                    }
                }
            }
        }
    }
}

/* The even and the odd lanes of the 2·LANES floats at p, each as a vector. */
static PK_POOL_TARGET inline void PK_POOL_NAME(deinterleave)(const float *p, V *even, V *odd) {
    const V a = *(const V *)p, b = *(const V *)(p + LANES);
#if PK_POOL_LANES == 16
    *even = __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    *odd = __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
#elif PK_POOL_LANES == 8
    *even = __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14);
    *odd = __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15);
#else
#error "PK_POOL_LANES must be 8 or 16"
#endif
}

static PK_POOL_TARGET void PK_POOL_NAME(bias_maxpool_planes)(
    const float *planes, ptrdiff_t planeStride, ptrdiff_t rowStride, const float *bias, int relu, float *output,
    ptrdiff_t outputPlaneStride, ptrdiff_t channels, ptrdiff_t outputHeight, ptrdiff_t outputWidth, ptrdiff_t poolHeight,
    ptrdiff_t poolWidth) {
    const ptrdiff_t total = channels * planeStride; /* every read stays below planes + total */
    for (ptrdiff_t c = 0; c < channels; c++) {
        const V b = (V){0} + bias[c];
        for (ptrdiff_t y = 0; y < outputHeight; y++) {
            const ptrdiff_t base = c * planeStride + y * poolHeight * rowStride;
            float *row = output + c * outputPlaneStride + y * outputWidth;
            ptrdiff_t x = 0;
            /* A 2 × 2 window: LANES outputs from two rows of 2·LANES products, deinterleaved into
               the windows' left and right columns, compared in row-major order; a whole vector is
               stored (rows are written in order, so what spills past a row is written again). */
            for (; poolHeight == 2 && poolWidth == 2 && x < outputWidth && base + rowStride + 2 * x + 2 * LANES <= total;
                 x += LANES) {
                V left0, right0, left1, right1;
                PK_POOL_NAME(deinterleave)(planes + base + 2 * x, &left0, &right0);
                PK_POOL_NAME(deinterleave)(planes + base + rowStride + 2 * x, &left1, &right1);
                PK_POOL_BIAS_ACTIVATE(left0, b, relu);
                PK_POOL_BIAS_ACTIVATE(right0, b, relu);
                PK_POOL_BIAS_ACTIVATE(left1, b, relu);
                PK_POOL_BIAS_ACTIVATE(right1, b, relu);
                V m = left0;
                PK_KEEP_LARGER(I, m, right0);
                PK_KEEP_LARGER(I, m, left1);
                PK_KEEP_LARGER(I, m, right1);
                *(V *)(row + x) = m;
            }
            for (; x < outputWidth; x++)
                row[x] = poolWindow(planes + base + x * poolWidth, rowStride, bias[c], relu, poolHeight, poolWidth);
        }
        /* The padding after the plane (and what spilled into it): +0. */
        const ptrdiff_t pixels = outputHeight * outputWidth;
        if (outputPlaneStride > pixels)
            memset(output + c * outputPlaneStride + pixels, 0, (size_t)(outputPlaneStride - pixels) * sizeof(float));
    }
}

#undef PK_POOL_BIAS_ACTIVATE
#undef V
#undef I
#undef LANES
#undef U8
