/*
 * The sparse-weight kernels, written once with 16-lane GNU C vectors and compiled by sparse.c for
 * each instruction set (PK_SPARSE_TARGET: a target attribute or nothing; PK_SPARSE_NAME(x): the
 * instance's function names). The lanes hold 16 consecutive rows (pixels or samples), as in
 * XNNPACK's SpMM; each lane performs the same IEEE operations whatever the instruction set (two
 * ymm halves, one zmm, four NEON registers), so every instance gives the same bits, at -O0 too.
 * See PruneKitKernels.h for the contracts. Included only by sparse.c.
 */

/* One pass over up to four 16-row vectors of column `column`: t = Σ_b s_b, each s_b a chain of
   fused multiply-adds over block b's entries from +0. */
#define PK_SPMM_PASS(VECTORS)                                                                     \
    do {                                                                                          \
        pk_f32x16 t[4] = {{0}};                                                                   \
        for (ptrdiff_t block = 0; block < blocks; block++) {                                      \
            pk_f32x16 s[4] = {{0}};                                                               \
            const int32_t first = starts[column * blocks + block];                                \
            const int32_t end = starts[column * blocks + block + 1];                              \
            for (int32_t e = first; e < end; e++) {                                               \
                const float *p = as + offsets[e] + r0;                                            \
                const pk_f32x16 w = (pk_f32x16){0} + values[e];                                   \
                for (int u = 0; u < (VECTORS); u++)                                               \
                    s[u] = __builtin_elementwise_fma(PK_CF32X16(p + 16 * u), w, s[u]);            \
            }                                                                                     \
            for (int u = 0; u < (VECTORS); u++) t[u] = block == 0 ? s[u] : t[u] + s[u];           \
        }                                                                                         \
        for (int u = 0; u < (VECTORS); u++) PK_F32X16(cj + r0 + 16 * u) = t[u];                   \
    } while (0)

static PK_SPARSE_TARGET void PK_SPARSE_NAME(spmm)(
    ptrdiff_t columns, ptrdiff_t blocks, const int32_t *starts, const ptrdiff_t *offsets,
    const float *values, const float *a, ptrdiff_t aStride, float *c, ptrdiff_t ldc,
    ptrdiff_t cStride, ptrdiff_t segments, ptrdiff_t length) {
    const ptrdiff_t vectors = (length + 15) / 16;
    for (ptrdiff_t segment = 0; segment < segments; segment++) {
        const float *as = a + segment * aStride;
        for (ptrdiff_t column = 0; column < columns; column++) {
            float *cj = c + segment * cStride + column * ldc;
            ptrdiff_t v = 0;
            for (; v + 4 <= vectors; v += 4) {
                const ptrdiff_t r0 = 16 * v;
                PK_SPMM_PASS(4);
            }
            const ptrdiff_t r0 = 16 * v;
            switch (vectors - v) {
            case 3: PK_SPMM_PASS(3); break;
            case 2: PK_SPMM_PASS(2); break;
            case 1: PK_SPMM_PASS(1); break;
            default: break;
            }
        }
    }
}

/* The lanes of `acc` summed: halves, then quarters, eighths, and the last two lanes. */
static PK_SPARSE_TARGET inline float PK_SPARSE_NAME(reduce)(pk_f32x16 acc) {
    const pk_f32x8 h = __builtin_shufflevector(acc, acc, 0, 1, 2, 3, 4, 5, 6, 7)
                     + __builtin_shufflevector(acc, acc, 8, 9, 10, 11, 12, 13, 14, 15);
    const pk_f32x4 q = __builtin_shufflevector(h, h, 0, 1, 2, 3) + __builtin_shufflevector(h, h, 4, 5, 6, 7);
    const float d0 = q[0] + q[2], d1 = q[1] + q[3];
    return d0 + d1;
}

static PK_SPARSE_TARGET void PK_SPARSE_NAME(sddmm)(
    ptrdiff_t count, const ptrdiff_t *aOffsets, const ptrdiff_t *bOffsets, const float *a,
    ptrdiff_t aStride, const float *b, ptrdiff_t bStride, ptrdiff_t segments, ptrdiff_t length,
    const int32_t *positions, float *out) {
    const ptrdiff_t vectors = (length + 15) / 16;
    ptrdiff_t e = 0;
    /* Four positions at a time: four independent chains hide the FMA latency. */
    for (; e + 4 <= count; e += 4) {
        pk_f32x16 acc[4] = {{0}};
        for (ptrdiff_t segment = 0; segment < segments; segment++) {
            const float *pa[4], *pb[4];
            for (int i = 0; i < 4; i++) {
                pa[i] = a + segment * aStride + aOffsets[e + i];
                pb[i] = b + segment * bStride + bOffsets[e + i];
            }
            for (ptrdiff_t v = 0; v < vectors; v++)
                for (int i = 0; i < 4; i++)
                    acc[i] = __builtin_elementwise_fma(PK_CF32X16(pa[i] + 16 * v), PK_CF32X16(pb[i] + 16 * v), acc[i]);
        }
        for (int i = 0; i < 4; i++) out[positions[e + i]] = PK_SPARSE_NAME(reduce)(acc[i]);
    }
    for (; e < count; e++) {
        pk_f32x16 acc = {0};
        for (ptrdiff_t segment = 0; segment < segments; segment++) {
            const float *pa = a + segment * aStride + aOffsets[e], *pb = b + segment * bStride + bOffsets[e];
            for (ptrdiff_t v = 0; v < vectors; v++)
                acc = __builtin_elementwise_fma(PK_CF32X16(pa + 16 * v), PK_CF32X16(pb + 16 * v), acc);
        }
        out[positions[e]] = PK_SPARSE_NAME(reduce)(acc);
    }
}

#undef PK_SPMM_PASS
