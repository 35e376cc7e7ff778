/*
 * The direct convolution (pk_conv_direct), written once with 16-lane GNU C vectors over filters
 * and compiled by conv_direct.c for each instruction set (PK_DIRECT_TARGET: a target attribute or
 * nothing; PK_DIRECT_NAME(x): the instance's function names; PK_DIRECT_TILE: accumulator vectors
 * the registers hold). Each lane performs the same IEEE operations whatever the instruction set,
 * so every instance gives the same bits. Included only by conv_direct.c.
 */

/* NP consecutive output pixels × NV 16-filter vectors: out[p·ldw + 16·v] = Σ_b s_b, each s_b a
   chain of fused multiply-adds over block b's patch elements from +0 (pk_sgemm's order). */
static PK_DIRECT_TARGET __attribute__((always_inline)) inline void PK_DIRECT_NAME(tile)(
    const float *pixel, ptrdiff_t pixelStride, const ptrdiff_t *offsets, ptrdiff_t patch, ptrdiff_t blocks,
    const float *w, ptrdiff_t ldw, float *out, const int NP, const int NV) {
    pk_f32x16 t[8], s[8];
    ptrdiff_t k = 0;
    for (ptrdiff_t block = 0; block < blocks; block++) {
        const ptrdiff_t end = k + pk_block_length(patch, blocks, block);
        for (int i = 0; i < NP * NV; i++) s[i] = (pk_f32x16){0};
        for (; k < end; k++) {
            pk_f32x16 wv[4];
            for (int v = 0; v < NV; v++) wv[v] = PK_CF32X16(w + k * ldw + 16 * v);
            for (int p = 0; p < NP; p++) {
                /* x − (+0) is x for every x, −0 included: a broadcast. */
                const pk_f32x16 x = pixel[p * pixelStride + offsets[k]] - (pk_f32x16){0};
                for (int v = 0; v < NV; v++) s[p * NV + v] = __builtin_elementwise_fma(x, wv[v], s[p * NV + v]);
            }
        }
        for (int i = 0; i < NP * NV; i++) t[i] = block == 0 ? s[i] : t[i] + s[i];
    }
    for (int p = 0; p < NP; p++)
        for (int v = 0; v < NV; v++) PK_F32X16(out + p * ldw + 16 * v) = t[p * NV + v];
}

static PK_DIRECT_TARGET void PK_DIRECT_NAME(conv_direct)(
    const float *input, ptrdiff_t samples, ptrdiff_t inputHeight, ptrdiff_t inputWidth, ptrdiff_t channels,
    ptrdiff_t kernelHeight, ptrdiff_t kernelWidth, const float *weights, ptrdiff_t filters, ptrdiff_t blocks,
    const float *bias, int relu, ptrdiff_t poolHeight, ptrdiff_t poolWidth, float *scratch, float *output,
    uint8_t *switches, ptrdiff_t switchStride, ptrdiff_t sampleSwitchStride) {
    const ptrdiff_t outputHeight = inputHeight - kernelHeight + 1, outputWidth = inputWidth - kernelWidth + 1;
    const ptrdiff_t patch = kernelHeight * kernelWidth * channels, ldw = (filters + 15) / 16 * 16;
    const ptrdiff_t vectors = ldw / 16, inputSize = inputHeight * inputWidth * channels;
    const ptrdiff_t pooledHeight = outputHeight / poolHeight, pooledWidth = outputWidth / poolWidth;
    /* Pooling reads only the rows and columns its windows cover. */
    const ptrdiff_t rows = bias ? pooledHeight * poolHeight : outputHeight;
    const ptrdiff_t columns = bias ? pooledWidth * poolWidth : outputWidth;
    const ptrdiff_t outputSize = bias ? pooledHeight * pooledWidth * filters : outputHeight * outputWidth * filters;
    ptrdiff_t offsets[patch];
    for (ptrdiff_t k = 0; k < patch; k++) {
        const ptrdiff_t c = k % channels, ij = k / channels;
        offsets[k] = ((ij / kernelWidth) * inputWidth + ij % kernelWidth) * channels + c;
    }
    for (ptrdiff_t sample = 0; sample < samples; sample++) {
        const float *image = input + sample * inputSize;
        float *result = output + sample * outputSize;
        for (ptrdiff_t y = 0; y < rows; y++) {
            float *band = scratch + (bias ? y % poolHeight : 0) * outputWidth * ldw;
            for (ptrdiff_t v0 = 0; v0 < vectors;) {
                const int nv = vectors - v0 < 4 ? (int)(vectors - v0) : 4;
                const int widest = PK_DIRECT_TILE / nv > 0 ? PK_DIRECT_TILE / nv : 1;
                for (ptrdiff_t x = 0; x < columns;) {
                    const ptrdiff_t left = columns - x;
                    int np = left < widest ? (int)left : widest;
                    np = np >= 8 ? 8 : np >= 4 ? 4 : np;
                    const float *pixel = image + (y * inputWidth + x) * channels;
                    const float *w = weights + 16 * v0;
                    float *out = band + x * ldw + 16 * v0;
#define PK_DIRECT_CASE(NP, NV) \
    case (NP) * 8 + (NV): PK_DIRECT_NAME(tile)(pixel, channels, offsets, patch, blocks, w, ldw, out, NP, NV); break;
                    switch (np * 8 + nv) {
                    PK_DIRECT_CASE(1, 1) PK_DIRECT_CASE(1, 2) PK_DIRECT_CASE(1, 3) PK_DIRECT_CASE(1, 4)
                    PK_DIRECT_CASE(2, 1) PK_DIRECT_CASE(2, 2) PK_DIRECT_CASE(2, 3) PK_DIRECT_CASE(2, 4)
                    PK_DIRECT_CASE(3, 1) PK_DIRECT_CASE(3, 2) PK_DIRECT_CASE(4, 1) PK_DIRECT_CASE(4, 2)
                    PK_DIRECT_CASE(8, 1)
                    default: __builtin_unreachable(); /* np ≤ PK_DIRECT_TILE / nv: one of the cases */
                    }
#undef PK_DIRECT_CASE
                    x += np;
                }
                v0 += nv;
            }
            if (!bias) {
                for (ptrdiff_t x = 0; x < outputWidth; x++)
                    memcpy(result + (y * outputWidth + x) * filters, band + x * ldw, (size_t)filters * sizeof(float));
                continue;
            }
            if (y % poolHeight != poolHeight - 1) continue;
            /* value + bias, ReLU (+0 unless greater than 0), then the window's maximum in row-major
               order (v > m ? v : m), as pk_bias_maxpool_forward. */
            const ptrdiff_t py = y / poolHeight;
            for (ptrdiff_t px = 0; px < pooledWidth; px++) {
                float *target = result + (py * pooledWidth + px) * filters;
                uint8_t *windowSwitches = switches ? switches + sample * sampleSwitchStride
                                                       + (py * pooledWidth + px) * switchStride : NULL;
                for (ptrdiff_t v = 0; v < vectors; v++) {
                    const pk_f32x16 b = PK_CF32X16(bias + 16 * v), zero = {0};
                    pk_f32x16 m = zero;
                    pk_i32x16 sw = {0};
                    for (ptrdiff_t i = 0; i < poolHeight; i++) {
                        for (ptrdiff_t j = 0; j < poolWidth; j++) {
                            pk_f32x16 value = PK_CF32X16(scratch + (i * outputWidth + px * poolWidth + j) * ldw + 16 * v) + b;
                            if (relu) value = (pk_f32x16)((pk_i32x16)value & (value > zero));
                            if (i == 0 && j == 0) { m = value; continue; }
                            PK_KEEP_LARGER_SWITCH(pk_i32x16, m, sw, value, i * poolWidth + j);
                        }
                    }
                    const ptrdiff_t count = filters - 16 * v < 16 ? filters - 16 * v : 16;
                    if (count == 16) PK_F32X16(target + 16 * v) = m;
                    else for (ptrdiff_t f = 0; f < count; f++) target[16 * v + f] = m[f];
                    if (!windowSwitches) continue;
                    PK_SWITCH_LIVE(pk_i32x16, sw, m, relu ? (pk_i32x16){0} : ~(pk_i32x16){0});
                    const pk_u8x16 bytes = __builtin_convertvector(sw, pk_u8x16);
                    if (count == 16) *(pk_u8x16 *)(windowSwitches + 16 * v) = bytes;
                    else for (ptrdiff_t f = 0; f < count; f++) windowSwitches[16 * v + f] = bytes[f];
                }
            }
        }
    }
}

/* NK patch elements × NV 16-filter vectors of the kernel gradient over `rows` im2col rows:
   out[k·ldo + 16·v] = Σ_b s_b, each s_b a chain of fused multiply-adds over block b's rows from +0
   in ascending row order (pk_sgemm's order for patchesᵀ · gradient). Row r is output pixel
   (sample, y, x) in im2col order; its patch element k is at image + pixel·channels + offsets[k].
   With `bias`, also bias[16·v] = the column sums of the gradient over all rows in order from +0
   (pk_sum_rows's order). */
static PK_DIRECT_TARGET __attribute__((always_inline)) inline void PK_DIRECT_NAME(gradient_tile)(
    const float *input, ptrdiff_t inputSize, ptrdiff_t inputWidth, ptrdiff_t channels, ptrdiff_t outputWidth,
    ptrdiff_t outputPixels, const ptrdiff_t *offsets, const float *gradient, ptrdiff_t ldg, ptrdiff_t rows,
    ptrdiff_t blocks, float *out, ptrdiff_t ldo, float *bias, const pk_switched_gradient *pooled,
    ptrdiff_t filterOffset, const int NK, const int NV) {
    pk_f32x16 t[16], s[16], sums[2] = {{0}, {0}};
    ptrdiff_t r = 0;
    for (ptrdiff_t block = 0; block < blocks; block++) {
        const ptrdiff_t end = r + pk_block_length(rows, blocks, block);
        for (int i = 0; i < NK * NV; i++) s[i] = (pk_f32x16){0};
        ptrdiff_t sample = r / outputPixels, pixel = r % outputPixels;
        ptrdiff_t y = pixel / outputWidth, x = pixel % outputWidth;
        /* With `pooled`: the row's window (py, px) and its position in it (iy, ix), kept as x and y advance. */
        const ptrdiff_t ph = pooled ? pooled->poolHeight : 1, pw = pooled ? pooled->poolWidth : 1;
        ptrdiff_t py = y / ph, iy = y % ph, px = x / pw, ix = x % pw;
        for (; r < end; r++) {
            const float *patch = input + sample * inputSize + (y * inputWidth + x) * channels;
            pk_f32x16 g[4];
            if (pooled) {
                /* The row's gradient from its window's pooled gradient and switch (pk_maxpool_switch_backward's values). */
                if (py < pooled->height && px < pooled->width) {
                    const ptrdiff_t at = (sample * pooled->height + py) * pooled->width + px;
                    const float *source = pooled->gradient + at * pooled->filters + filterOffset;
                    const uint8_t *switches = pooled->switches + at * pooled->switchStride + filterOffset;
                    const pk_i32x16 k = (pk_i32x16){0} + (int32_t)(iy * pw + ix);
                    for (int v = 0; v < NV; v++)
                        g[v] = (pk_f32x16)((pk_i32x16)PK_CF32X16(source + 16 * v)
                                           & (__builtin_convertvector(*(const pk_u8x16 *)(switches + 16 * v), pk_i32x16) == k));
                } else {
                    for (int v = 0; v < NV; v++) g[v] = (pk_f32x16){0};
                }
            } else {
                for (int v = 0; v < NV; v++) g[v] = PK_CF32X16(gradient + r * ldg + 16 * v);
            }
            if (bias)
                for (int v = 0; v < NV; v++) sums[v] = sums[v] + g[v];
            for (int k = 0; k < NK; k++) {
                const pk_f32x16 value = patch[offsets[k]] - (pk_f32x16){0}; /* a broadcast, −0 kept */
                for (int v = 0; v < NV; v++) s[k * NV + v] = __builtin_elementwise_fma(value, g[v], s[k * NV + v]);
            }
            if (++ix == pw) { ix = 0; px++; }
            if (++x == outputWidth) {
                x = ix = px = 0;
                if (++iy == ph) { iy = 0; py++; }
                if (++y == outputPixels / outputWidth) { y = iy = py = 0; sample++; }
            }
        }
        for (int i = 0; i < NK * NV; i++) t[i] = block == 0 ? s[i] : t[i] + s[i];
    }
    for (int k = 0; k < NK; k++)
        for (int v = 0; v < NV; v++) PK_F32X16(out + k * ldo + 16 * v) = t[k * NV + v];
    if (bias)
        for (int v = 0; v < NV; v++) PK_F32X16(bias + 16 * v) = sums[v];
}

static PK_DIRECT_TARGET void PK_DIRECT_NAME(conv_direct_kernel_gradient)(
    const float *input, ptrdiff_t samples, ptrdiff_t inputHeight, ptrdiff_t inputWidth, ptrdiff_t channels,
    ptrdiff_t kernelHeight, ptrdiff_t kernelWidth, const float *gradient, ptrdiff_t ldg, ptrdiff_t vectors,
    ptrdiff_t blocks, float *out, ptrdiff_t ldo, float *bias, const pk_switched_gradient *pooled) {
    const ptrdiff_t outputHeight = inputHeight - kernelHeight + 1, outputWidth = inputWidth - kernelWidth + 1;
    const ptrdiff_t patch = kernelHeight * kernelWidth * channels, inputSize = inputHeight * inputWidth * channels;
    const ptrdiff_t outputPixels = outputHeight * outputWidth, rows = samples * outputPixels;
    ptrdiff_t offsets[patch];
    for (ptrdiff_t k = 0; k < patch; k++) {
        const ptrdiff_t c = k % channels, ij = k / channels;
        offsets[k] = ((ij / kernelWidth) * inputWidth + ij % kernelWidth) * channels + c;
    }
    for (ptrdiff_t v0 = 0; v0 < vectors;) {
        const int nv = vectors - v0 >= 2 && PK_GRADIENT_TILE >= 8 ? 2 : 1;
        const int widest = PK_GRADIENT_TILE / nv;
        for (ptrdiff_t k0 = 0; k0 < patch;) {
            const ptrdiff_t left = patch - k0;
            int nk = left < widest ? (int)left : widest;
            nk = nk >= 8 ? 8 : nk >= 4 ? 4 : nk;
            const float *g = gradient ? gradient + 16 * v0 : NULL;
            float *o = out + k0 * ldo + 16 * v0;
#define PK_GRADIENT_CASE(NK, NV)                                                                                  \
    case (NK) * 8 + (NV):                                                                                         \
        PK_DIRECT_NAME(gradient_tile)(input, inputSize, inputWidth, channels, outputWidth, outputPixels,          \
                                      offsets + k0, g, ldg, rows, blocks, o, ldo,                                 \
                                      k0 == 0 && bias ? bias + 16 * v0 : NULL, pooled, 16 * v0, NK, NV);          \
        break;
            switch (nk * 8 + nv) {
            PK_GRADIENT_CASE(1, 1) PK_GRADIENT_CASE(2, 1) PK_GRADIENT_CASE(3, 1) PK_GRADIENT_CASE(4, 1)
            PK_GRADIENT_CASE(8, 1) PK_GRADIENT_CASE(1, 2) PK_GRADIENT_CASE(2, 2) PK_GRADIENT_CASE(3, 2)
            PK_GRADIENT_CASE(4, 2) PK_GRADIENT_CASE(8, 2)
            default: __builtin_unreachable(); /* nk ≤ PK_GRADIENT_TILE / nv: one of the cases */
            }
#undef PK_GRADIENT_CASE
            k0 += nk;
        }
        v0 += nv;
    }
}
