/*
 * The sparse-weight kernels, written once with 16-lane GNU C vectors and compiled by sparse.c for
 * each instruction set (PK_SPARSE_TARGET: a target attribute or nothing; PK_SPARSE_NAME(x): the
 * instance's function names; PK_SPARSE_MAX_VECTORS: 16-row vectors per pass;
 * PK_SPARSE_MAX_SINGLE: the same when the inner dimension is a single block: 3, 6 or 12;
 * PK_SDDMM_GROUP: entries whose chains pk_sddmm runs together: 2, 4 or 8; PK_SPCONV_PAIR_VECTORS:
 * pk_spconv_pool_lanes' accumulators for 2 × 2 windows, 4 or 8). The lanes hold 16 consecutive
 * rows (pixels or samples), as in XNNPACK's SpMM, or 16 samples (pk_spconv_pool_lanes); each lane performs the same IEEE operations whatever the instruction set (two
 * ymm halves, one zmm, four NEON registers), so every instance gives the same bits, at -O0 too.
 * See PruneKitKernels.h for the contracts. Included only by sparse.c.
 */

/* One pass over VECTORS (≤ 8) vectors of column COLUMN: t = Σ_b s_b, each s_b a chain of fused
   multiply-adds over block b's entries from +0. Entry e reads its vector u at ADDRESS + u·STEP
   (ADDRESS an expression of e) and the sums go to OUT + 16·u. */
#define PK_SPMM_PASS(VECTORS, COLUMN, ADDRESS, STEP, OUT)                                         \
    do {                                                                                          \
        pk_f32x16 t[8] = {{0}};                                                                   \
        for (ptrdiff_t block = 0; block < blocks; block++) {                                      \
            pk_f32x16 s[8] = {{0}};                                                               \
            const int32_t first = starts[(COLUMN) * blocks + block];                              \
            const int32_t end = starts[(COLUMN) * blocks + block + 1];                            \
            for (int32_t e = first; e < end; e++) {                                               \
                const float *p = (ADDRESS);                                                       \
                const pk_f32x16 w = (pk_f32x16){0} + values[e];                                   \
                for (int u = 0; u < (VECTORS); u++)                                               \
                    s[u] = __builtin_elementwise_fma(PK_CF32X16(p + (STEP) * u), w, s[u]);        \
            }                                                                                     \
            for (int u = 0; u < (VECTORS); u++) t[u] = block == 0 ? s[u] : t[u] + s[u];           \
        }                                                                                         \
        for (int u = 0; u < (VECTORS); u++) PK_F32X16((OUT) + 16 * u) = t[u];                     \
    } while (0)

/* PK_SPMM_PASS for a product whose inner dimension is one block: the chains are the sums, so
   no second set of accumulators is needed and a pass holds up to PK_SPARSE_MAX_SINGLE vectors. */
#define PK_SPMM_SINGLE_PASS(VECTORS, COLUMN, ADDRESS, STEP, OUT)                                  \
    do {                                                                                          \
        pk_f32x16 s[16] = {{0}};                                                                  \
        const int32_t end = starts[(COLUMN) + 1];                                                 \
        for (int32_t e = starts[COLUMN]; e < end; e++) {                                          \
            const float *p = (ADDRESS);                                                           \
            const pk_f32x16 w = (pk_f32x16){0} + values[e];                                       \
            for (int u = 0; u < (VECTORS); u++)                                                   \
                s[u] = __builtin_elementwise_fma(PK_CF32X16(p + (STEP) * u), w, s[u]);            \
        }                                                                                         \
        for (int u = 0; u < (VECTORS); u++) PK_F32X16((OUT) + 16 * u) = s[u];                     \
    } while (0)

/* PK_SPMM_SINGLE_PASS or PK_SPMM_PASS over WIDTH vectors (at most PK_SPARSE_MAX_SINGLE or
   PK_SPARSE_MAX_VECTORS), instantiated for each width. */
#if PK_SPARSE_MAX_SINGLE >= 12
#define PK_SPMM_WIDE_SINGLE_CASES(...)                                                            \
    case 12: PK_SPMM_SINGLE_PASS(12, __VA_ARGS__); break;                                         \
    case 11: PK_SPMM_SINGLE_PASS(11, __VA_ARGS__); break;                                         \
    case 10: PK_SPMM_SINGLE_PASS(10, __VA_ARGS__); break;                                         \
    case 9: PK_SPMM_SINGLE_PASS(9, __VA_ARGS__); break;                                           \
    case 8: PK_SPMM_SINGLE_PASS(8, __VA_ARGS__); break;                                           \
    case 7: PK_SPMM_SINGLE_PASS(7, __VA_ARGS__); break;
#else
#define PK_SPMM_WIDE_SINGLE_CASES(...)
#endif
#if PK_SPARSE_MAX_SINGLE >= 6
#define PK_SPMM_MIDDLE_SINGLE_CASES(...)                                                          \
    case 6: PK_SPMM_SINGLE_PASS(6, __VA_ARGS__); break;                                           \
    case 5: PK_SPMM_SINGLE_PASS(5, __VA_ARGS__); break;                                           \
    case 4: PK_SPMM_SINGLE_PASS(4, __VA_ARGS__); break;
#else
#define PK_SPMM_MIDDLE_SINGLE_CASES(...)
#endif
#define PK_SPMM_PASSES(WIDTH, ...)                                                                \
    do {                                                                                          \
        if (blocks == 1) {                                                                        \
            switch (WIDTH) {                                                                      \
            PK_SPMM_WIDE_SINGLE_CASES(__VA_ARGS__)                                                \
            PK_SPMM_MIDDLE_SINGLE_CASES(__VA_ARGS__)                                              \
            case 3: PK_SPMM_SINGLE_PASS(3, __VA_ARGS__); break;                                   \
            case 2: PK_SPMM_SINGLE_PASS(2, __VA_ARGS__); break;                                   \
            default: PK_SPMM_SINGLE_PASS(1, __VA_ARGS__); break;                                  \
            }                                                                                     \
        } else {                                                                                  \
            switch (WIDTH) {                                                                      \
            case 8: PK_SPMM_PASS(8, __VA_ARGS__); break;                                          \
            case 7: PK_SPMM_PASS(7, __VA_ARGS__); break;                                          \
            case 6: PK_SPMM_PASS(6, __VA_ARGS__); break;                                          \
            case 5: PK_SPMM_PASS(5, __VA_ARGS__); break;                                          \
            case 4: PK_SPMM_PASS(4, __VA_ARGS__); break;                                          \
            case 3: PK_SPMM_PASS(3, __VA_ARGS__); break;                                          \
            case 2: PK_SPMM_PASS(2, __VA_ARGS__); break;                                          \
            default: PK_SPMM_PASS(1, __VA_ARGS__); break;                                         \
            }                                                                                     \
        }                                                                                         \
    } while (0)

static PK_SPARSE_TARGET void PK_SPARSE_NAME(spmm)(
    ptrdiff_t columns, ptrdiff_t blocks, const int32_t *starts, const int32_t *offsets,
    ptrdiff_t offsetScale, const float *values, const float *a, ptrdiff_t aStride, float *c, ptrdiff_t ldc,
    ptrdiff_t cStride, ptrdiff_t segments, ptrdiff_t length) {
    const ptrdiff_t vectors = (length + 15) / 16;
    /* Passes of at most as many vectors as the registers hold accumulators for, of near-equal widths. */
    const ptrdiff_t most = blocks == 1 ? PK_SPARSE_MAX_SINGLE : PK_SPARSE_MAX_VECTORS;
    const ptrdiff_t passes = (vectors + most - 1) / most;
    for (ptrdiff_t segment = 0; segment < segments; segment++) {
        const float *as = a + segment * aStride;
        for (ptrdiff_t column = 0; column < columns; column++) {
            float *cj = c + segment * cStride + column * ldc;
            ptrdiff_t v = 0;
            for (ptrdiff_t pass = 0; pass < passes; pass++) {
                const ptrdiff_t width = (vectors - v + passes - pass - 1) / (passes - pass);
                const ptrdiff_t r0 = 16 * v;
                PK_SPMM_PASSES(width, column, as + (ptrdiff_t)offsets[e] * offsetScale + r0, 16, cj + r0);
                v += width;
            }
        }
    }
}

/* PK_SPMM_SINGLE_PASS for VECTORS / 2 whole 2 × 2 windows of pk_spconv_pool_lanes, pooled in registers: each entry's
   weight and offset are loaded once for both rows (the second at `tile + rowStride`), then each
   window's four products get bias and activation and their maximum is stored. */
#define PK_SPCONV_WINDOWS_2X2(VECTORS)                                                            \
    do {                                                                                          \
        pk_f32x16 s[2][VECTORS] = {{{0}}};                                                        \
        const int32_t end = starts[filter + 1];                                                   \
        for (int32_t e = starts[filter]; e < end; e++) {                                          \
            const float *p = tile + offsets[e];                                                   \
            const pk_f32x16 w = (pk_f32x16){0} + values[e];                                       \
            for (int u = 0; u < (VECTORS); u++) {                                                 \
                s[0][u] = __builtin_elementwise_fma(PK_CF32X16(p + u * pixelStride), w, s[0][u]); \
                s[1][u] = __builtin_elementwise_fma(PK_CF32X16(p + rowStride + u * pixelStride), w, s[1][u]); \
            }                                                                                     \
        }                                                                                         \
        const pk_f32x16 b = (pk_f32x16){0} + bias[filter];                                        \
        for (int u = 0; u < (VECTORS); u += 2) {                                                  \
            pk_f32x16 v0 = s[0][u], v1 = s[0][u + 1], v2 = s[1][u], v3 = s[1][u + 1];             \
            PK_SPCONV_ACTIVATE(v0, b, keep);                                                      \
            PK_SPCONV_ACTIVATE(v1, b, keep);                                                      \
            PK_SPCONV_ACTIVATE(v2, b, keep);                                                      \
            PK_SPCONV_ACTIVATE(v3, b, keep);                                                      \
            pk_f32x16 m = v0;                                                                     \
            pk_i32x16 sw = {0};                                                                   \
            PK_SPCONV_KEEP_LARGER(m, sw, v1, 1);                                                  \
            PK_SPCONV_KEEP_LARGER(m, sw, v2, 2);                                                  \
            PK_SPCONV_KEEP_LARGER(m, sw, v3, 3);                                                  \
            const ptrdiff_t pixel_ = py * pooledWidth + px0 + u / 2;                              \
            PK_F32X16(output + filter * outputFilterStride + pixel_ * outputPixelStride) = m;     \
            if (RECORD) PK_SPCONV_STORE_SWITCH(sw, m, pixel_);                                    \
        }                                                                                         \
    } while (0)

/* Switch vector SW of window MAXIMUM M at pooled position PIXEL of `filter` (255 where no gradient
   passes) into byte filter % 4 of its 16 lanes' words (pk_spconv_pool_lanes' switchWords). */
#define PK_SPCONV_STORE_SWITCH(sw, m, pixel)                                                      \
    do {                                                                                          \
        PK_SWITCH_LIVE(pk_i32x16, sw, m, keep);                                                   \
        pk_i32x16 *word_ = (pk_i32x16 *)(switchWords + ((pixel) * switchWordStride + filter / 4) * 16); \
        const int shift_ = (int)(filter % 4) * 8;                                                 \
        const pk_u32x16 byte_ = (pk_u32x16)(sw) << shift_, mask_ = (pk_u32x16){0} + (0xFFu << shift_); \
        if (shift_ == 0) *word_ = (sw);                                                           \
        else *word_ = (pk_i32x16)(((pk_u32x16)*word_ & ~mask_) | byte_);                          \
    } while (0)

/* v = v + bias, then pk_relu's rule when `keep` is the ReLU mask (+0 unless above 0: lanes
   where v > 0 or keep is all ones keep their bits). */
#define PK_SPCONV_ACTIVATE(v, b, keep)                                                            \
    do {                                                                                          \
        (v) = (v) + (b);                                                                          \
        (v) = (pk_f32x16)((pk_i32x16)(v) & (((v) > (pk_f32x16){0}) | (keep)));                    \
    } while (0)
/* m = v > m ? v : m, and with RECORD (a constant) the switch sw = k there (PK_KEEP_LARGER_SWITCH). */
#define PK_SPCONV_KEEP_LARGER(m, sw, v, k)                                                        \
    do {                                                                                          \
        if (RECORD) PK_KEEP_LARGER_SWITCH(pk_i32x16, m, sw, v, k);                                 \
        else PK_KEEP_LARGER(pk_i32x16, m, v);                                                     \
    } while (0)

/* The kernel's body; RECORD (a constant of each function below) says whether it records switches. */
static PK_SPARSE_TARGET __attribute__((always_inline)) inline void PK_SPARSE_NAME(spconv_pool_lanes_body)(
    ptrdiff_t filters, ptrdiff_t blocks, const int32_t *starts, const int32_t *offsets, const float *values,
    const float *bias, int relu, const float *input, ptrdiff_t rowStride, ptrdiff_t pixelStride, ptrdiff_t pooledHeight,
    ptrdiff_t pooledWidth, ptrdiff_t poolHeight, ptrdiff_t poolWidth, float *scratch, float *output,
    ptrdiff_t outputFilterStride, ptrdiff_t outputPixelStride, int32_t *switchWords, ptrdiff_t switchWordStride,
    const int RECORD) {
    /* Tiles of whole windows along a row, of near-equal widths and at most as many positions as
       the registers hold accumulators for (at least one window, a row of it at a time); every
       filter reads a tile's input while it is in cache, and pools its products at once. */
    const ptrdiff_t limit = blocks == 1 ? PK_SPARSE_MAX_SINGLE : PK_SPARSE_MAX_VECTORS;
    /* 2 × 2 windows of a one-block kernel: both rows in one pass, pooled in registers (PK_SPCONV_WINDOWS_2X2). */
    const int pairs = blocks == 1 && poolHeight == 2 && poolWidth == 2;
    /* All ones without ReLU: PK_SPCONV_ACTIVATE then keeps every lane. */
    const pk_i32x16 keep = (pk_i32x16){0} - (relu ? 0 : 1);
    const ptrdiff_t most = pairs ? PK_SPCONV_PAIR_VECTORS / 4
                                 : limit / poolWidth > 0 ? limit / poolWidth : 1; /* windows per tile */
    const ptrdiff_t tiles = (pooledWidth + most - 1) / most;
    const ptrdiff_t parts = (poolWidth + limit - 1) / limit; /* pieces of one window row, when wider than `limit` */
    for (ptrdiff_t py = 0; py < pooledHeight; py++) {
        ptrdiff_t px0 = 0;
        for (ptrdiff_t pass = 0; pass < tiles; pass++) {
            const ptrdiff_t windows = (pooledWidth - px0 + tiles - pass - 1) / (tiles - pass);
            const ptrdiff_t columns = windows * poolWidth;
            for (ptrdiff_t filter = 0; filter < filters; filter++) {
                /* The products of the tile's windows: scratch[(row·columns + x)·16]. */
                if (pairs) {
                    const float *tile = input + py * 2 * rowStride + px0 * 2 * pixelStride;
                    switch (windows) {
#if PK_SPCONV_PAIR_VECTORS >= 24
                    case 6: PK_SPCONV_WINDOWS_2X2(12); break;
#endif
#if PK_SPCONV_PAIR_VECTORS >= 20
                    case 5: PK_SPCONV_WINDOWS_2X2(10); break;
#endif
#if PK_SPCONV_PAIR_VECTORS >= 16
                    case 4: PK_SPCONV_WINDOWS_2X2(8); break;
#endif
#if PK_SPCONV_PAIR_VECTORS >= 12
                    case 3: PK_SPCONV_WINDOWS_2X2(6); break;
#endif
#if PK_SPCONV_PAIR_VECTORS >= 8
                    case 2: PK_SPCONV_WINDOWS_2X2(4); break;
#endif
                    default: PK_SPCONV_WINDOWS_2X2(2); break;
                    }
                    continue;
                }
                for (ptrdiff_t row = 0; row < poolHeight; row++) {
                    ptrdiff_t x = 0;
                    for (ptrdiff_t part = 0; part < (windows == 1 ? parts : 1); part++) {
                        const ptrdiff_t width = windows == 1 ? (columns - x + parts - part - 1) / (parts - part) : columns;
                        const float *tile = input + (py * poolHeight + row) * rowStride + (px0 * poolWidth + x) * pixelStride;
                        float *products = scratch + (row * columns + x) * 16;
                        PK_SPMM_PASSES(width, filter, tile + offsets[e], pixelStride, products);
                        x += width;
                    }
                }
                /* Bias, activation and the windows' maxima, in row-major order within each window. */
                const pk_f32x16 b = (pk_f32x16){0} + bias[filter];
                for (ptrdiff_t w = 0; w < windows; w++) {
                    const float *window = scratch + w * poolWidth * 16;
                    pk_f32x16 m = PK_CF32X16(window);
                    pk_i32x16 sw = {0};
                    PK_SPCONV_ACTIVATE(m, b, keep);
                    for (ptrdiff_t i = 0; i < poolHeight; i++)
                        for (ptrdiff_t j = i == 0 ? 1 : 0; j < poolWidth; j++) {
                            pk_f32x16 v = PK_CF32X16(window + (i * columns + j) * 16);
                            PK_SPCONV_ACTIVATE(v, b, keep);
                            PK_SPCONV_KEEP_LARGER(m, sw, v, i * poolWidth + j);
                        }
                    PK_F32X16(output + filter * outputFilterStride + (py * pooledWidth + px0 + w) * outputPixelStride) = m;
                    if (RECORD) PK_SPCONV_STORE_SWITCH(sw, m, py * pooledWidth + px0 + w);
                }
            }
            px0 += windows;
        }
    }
}

/* Each on its own, so that each gets its own register allocation: with the switch code inlined
   next to it, the inference loop spilled a pointer to the stack and ran about 15% slower. */
static PK_SPARSE_TARGET __attribute__((noinline)) void PK_SPARSE_NAME(spconv_pool_lanes_plain)(
    ptrdiff_t filters, ptrdiff_t blocks, const int32_t *starts, const int32_t *offsets, const float *values,
    const float *bias, int relu, const float *input, ptrdiff_t rowStride, ptrdiff_t pixelStride, ptrdiff_t pooledHeight,
    ptrdiff_t pooledWidth, ptrdiff_t poolHeight, ptrdiff_t poolWidth, float *scratch, float *output,
    ptrdiff_t outputFilterStride, ptrdiff_t outputPixelStride) {
    PK_SPARSE_NAME(spconv_pool_lanes_body)(filters, blocks, starts, offsets, values, bias, relu, input, rowStride,
                                           pixelStride, pooledHeight, pooledWidth, poolHeight, poolWidth, scratch, output,
                                           outputFilterStride, outputPixelStride, NULL, 0, 0);
}

static PK_SPARSE_TARGET __attribute__((noinline)) void PK_SPARSE_NAME(spconv_pool_lanes_switched)(
    ptrdiff_t filters, ptrdiff_t blocks, const int32_t *starts, const int32_t *offsets, const float *values,
    const float *bias, int relu, const float *input, ptrdiff_t rowStride, ptrdiff_t pixelStride, ptrdiff_t pooledHeight,
    ptrdiff_t pooledWidth, ptrdiff_t poolHeight, ptrdiff_t poolWidth, float *scratch, float *output,
    ptrdiff_t outputFilterStride, ptrdiff_t outputPixelStride, int32_t *switchWords, ptrdiff_t switchWordStride) {
    PK_SPARSE_NAME(spconv_pool_lanes_body)(filters, blocks, starts, offsets, values, bias, relu, input, rowStride,
                                           pixelStride, pooledHeight, pooledWidth, poolHeight, poolWidth, scratch, output,
                                           outputFilterStride, outputPixelStride, switchWords, switchWordStride, 1);
}

static PK_SPARSE_TARGET void PK_SPARSE_NAME(spconv_pool_lanes)(
    ptrdiff_t filters, ptrdiff_t blocks, const int32_t *starts, const int32_t *offsets, const float *values,
    const float *bias, int relu, const float *input, ptrdiff_t rowStride, ptrdiff_t pixelStride, ptrdiff_t pooledHeight,
    ptrdiff_t pooledWidth, ptrdiff_t poolHeight, ptrdiff_t poolWidth, float *scratch, float *output,
    ptrdiff_t outputFilterStride, ptrdiff_t outputPixelStride, int32_t *switchWords, ptrdiff_t switchWordStride) {
    if (switchWords)
        PK_SPARSE_NAME(spconv_pool_lanes_switched)(filters, blocks, starts, offsets, values, bias, relu, input, rowStride,
                                                   pixelStride, pooledHeight, pooledWidth, poolHeight, poolWidth, scratch,
                                                   output, outputFilterStride, outputPixelStride, switchWords, switchWordStride);
    else
        PK_SPARSE_NAME(spconv_pool_lanes_plain)(filters, blocks, starts, offsets, values, bias, relu, input, rowStride,
                                                pixelStride, pooledHeight, pooledWidth, poolHeight, poolWidth, scratch,
                                                output, outputFilterStride, outputPixelStride);
}

#undef PK_SPCONV_WINDOWS_2X2
#undef PK_SPCONV_ACTIVATE
#undef PK_SPCONV_KEEP_LARGER
#undef PK_SPCONV_STORE_SWITCH

/* The lanes of `acc` summed into `result`: halves, then quarters, eighths, and the last two
   lanes (a statement macro: a vector argument of the baseline instance would change the ABI). */
#define PK_SPARSE_REDUCE(acc, result)                                                                   \
    do {                                                                                                \
        const pk_f32x8 h_ = __builtin_shufflevector((acc), (acc), 0, 1, 2, 3, 4, 5, 6, 7)                \
                          + __builtin_shufflevector((acc), (acc), 8, 9, 10, 11, 12, 13, 14, 15);         \
        const pk_f32x4 q_ = __builtin_shufflevector(h_, h_, 0, 1, 2, 3) + __builtin_shufflevector(h_, h_, 4, 5, 6, 7); \
        const float d0_ = q_[0] + q_[2], d1_ = q_[1] + q_[3];                                           \
        (result) = d0_ + d1_;                                                                           \
    } while (0)

/* pk_sddmm's N chains for entries e ..< e + N of one column, as one segment adds to them. */
#define PK_SDDMM_CHAINS(N)                                                                                   \
    do {                                                                                                     \
        pk_f32x16 acc[(N)];                                                                                  \
        const float *pa[(N)];                                                                                \
        for (int i = 0; i < (N); i++) {                                                                      \
            pa[i] = a + segment * aStride + (ptrdiff_t)aOffsets[e + i] * aScale;                             \
            acc[i] = resume ? PK_CF32X16(partial + 16 * (ptrdiff_t)(e + i - first)) : (pk_f32x16){0};       \
        }                                                                                                    \
        for (ptrdiff_t v = 0; v < vectors; v++) {                                                            \
            const pk_f32x16 bv = PK_CF32X16(pb + 16 * v);                                                    \
            for (int i = 0; i < (N); i++) acc[i] = __builtin_elementwise_fma(PK_CF32X16(pa[i] + 16 * v), bv, acc[i]); \
        }                                                                                                    \
        for (int i = 0; i < (N); i++) {                                                                      \
            if (finish) PK_SPARSE_REDUCE(acc[i], out[positions ? positions[e + i] : e + i - first]);         \
            else PK_F32X16(partial + 16 * (ptrdiff_t)(e + i - first)) = acc[i];                              \
        }                                                                                                    \
    } while (0)

/* PK_SDDMM_GROUP (≤ 8) entries of one column at a time, each with its own chain: the column's b
   vector is loaded once for all of them, and the chains hide the fused multiply-adds' latency.
   Segment by segment, so that one segment's a and b stay in cache while every entry reads them;
   between segments each chain waits in `partial` (16 floats per entry). */
static PK_SPARSE_TARGET void PK_SPARSE_NAME(sddmm)(
    ptrdiff_t columns, ptrdiff_t blocks, const int32_t *starts, const int32_t *aOffsets, ptrdiff_t aScale,
    const float *a, ptrdiff_t aStride, const float *b, ptrdiff_t ldb, const int32_t *bOffsets, ptrdiff_t bStride,
    ptrdiff_t segments, ptrdiff_t length, const int32_t *positions, float *partial, float *out) {
    const ptrdiff_t vectors = (length + 15) / 16;
    const int32_t first = starts[0];
    for (ptrdiff_t segment = 0; segment < segments; segment++) {
        const int resume = segment > 0, finish = segment == segments - 1;
        for (ptrdiff_t column = 0; column < columns; column++) {
            const float *pb = b + segment * bStride + (bOffsets ? (ptrdiff_t)bOffsets[column] : column * ldb);
            const int32_t end = starts[(column + 1) * blocks];
            for (int32_t e = starts[column * blocks]; e < end;) {
                const int group = end - e < PK_SDDMM_GROUP ? (int)(end - e) : PK_SDDMM_GROUP;
                /* A constant number of chains per case, so that they stay in registers. */
                switch (group) {
                case 8: PK_SDDMM_CHAINS(8); break;
                case 7: PK_SDDMM_CHAINS(7); break;
                case 6: PK_SDDMM_CHAINS(6); break;
                case 5: PK_SDDMM_CHAINS(5); break;
                case 4: PK_SDDMM_CHAINS(4); break;
                case 3: PK_SDDMM_CHAINS(3); break;
                case 2: PK_SDDMM_CHAINS(2); break;
                default: PK_SDDMM_CHAINS(1); break;
                }
                e += group;
            }
        }
    }
}

#undef PK_SDDMM_CHAINS

static PK_SPARSE_TARGET void PK_SPARSE_NAME(spmv)(
    ptrdiff_t rows, ptrdiff_t blocks, const int32_t *starts, ptrdiff_t rowStride, const int32_t *entryColumns,
    const float *values, const float *input, ptrdiff_t columns, float *scratch, float *output) {
    ptrdiff_t k = 0;
    for (ptrdiff_t block = 0; block < blocks; block++) {
        const ptrdiff_t end = k + pk_block_length(rows, blocks, block);
        float *s = block == 0 ? output : scratch;
        for (ptrdiff_t n = 0; n < columns; n++) s[n] = 0.0f;
        for (; k < end; k++) {
            const float x = input[k];
            if (x == 0.0f) continue;
            for (int32_t e = starts[k * rowStride]; e < starts[(k + 1) * rowStride]; e++)
                s[entryColumns[e]] = __builtin_elementwise_fma(x, values[e], s[entryColumns[e]]);
        }
        if (block > 0)
            for (ptrdiff_t n = 0; n < columns; n++) output[n] = output[n] + s[n];
    }
}

#if PK_SPARSE_TRANSPOSE
static PK_SPARSE_TARGET void PK_SPARSE_NAME(transpose)(ptrdiff_t rows, ptrdiff_t cols, const float *src,
                                                     ptrdiff_t lds, float *dst, ptrdiff_t ldd) {
    if (rows < 8 || cols < 8) {
        for (ptrdiff_t i = 0; i < rows; i++)
            for (ptrdiff_t j = 0; j < cols; j++) dst[j * ldd + i] = src[i * lds + j];
        return;
    }
    /* 8×8 blocks; a last block overlaps the one before it when a size is not a multiple of 8
       (its elements are written twice, with the same values). */
    for (ptrdiff_t i0 = 0; i0 < rows; i0 += 8) {
        const ptrdiff_t i = i0 + 8 <= rows ? i0 : rows - 8;
        for (ptrdiff_t j0 = 0; j0 < cols; j0 += 8) {
            const ptrdiff_t j = j0 + 8 <= cols ? j0 : cols - 8;
            const float *const block[8] = {src + i * lds + j,       src + (i + 1) * lds + j, src + (i + 2) * lds + j,
                                           src + (i + 3) * lds + j, src + (i + 4) * lds + j, src + (i + 5) * lds + j,
                                           src + (i + 6) * lds + j, src + (i + 7) * lds + j};
            pk_transpose8x8(block, dst + j * ldd + i, ldd);
        }
    }
}

#endif

#undef PK_SPMM_PASS
#undef PK_SPARSE_REDUCE
#undef PK_SPMM_SINGLE_PASS
#undef PK_SPMM_PASSES
#undef PK_SPMM_WIDE_SINGLE_CASES
#undef PK_SPMM_MIDDLE_SINGLE_CASES
