/*
 * pk_spmm_rows, written once with 16-lane GNU C vectors and compiled by sparse.c for each
 * instruction set after the kernels of sparse_impl.h (PK_SPARSE_TARGET, PK_SPARSE_NAME as there;
 * PK_SPMM_ROWS_TILE: vectors of a row per pass). Included only by sparse.c.
 */

/* pk_spmv over 16-lane vectors of a: tiles of PK_SPMM_ROWS_TILE vectors, whose sums for every
   column stay in L1 while the rows stream past. */
static PK_SPARSE_TARGET void PK_SPARSE_NAME(spmm_rows)(
    ptrdiff_t rows, ptrdiff_t blocks, const int32_t *starts, ptrdiff_t rowStride, const int32_t *entryColumns,
    const float *values, const float *a, ptrdiff_t lda, ptrdiff_t columns, ptrdiff_t width, float *scratch,
    float *c, ptrdiff_t ldc) {
    const ptrdiff_t vectors = width / 16;
    for (ptrdiff_t v0 = 0; v0 < vectors; v0 += PK_SPMM_ROWS_TILE) {
        const ptrdiff_t tile = vectors - v0 < PK_SPMM_ROWS_TILE ? vectors - v0 : PK_SPMM_ROWS_TILE;
        ptrdiff_t k = 0;
        for (ptrdiff_t block = 0; block < blocks; block++) {
            const ptrdiff_t end = k + pk_block_length(rows, blocks, block);
            float *s = block == 0 ? c : scratch;
            const ptrdiff_t lds = block == 0 ? ldc : width;
            for (ptrdiff_t n = 0; n < columns; n++)
                for (ptrdiff_t u = 0; u < tile; u++) PK_F32X16(s + n * lds + 16 * (v0 + u)) = (pk_f32x16){0};
            for (; k < end; k++) {
                const int32_t first = starts[k * rowStride], last = starts[(k + 1) * rowStride];
                if (first == last) continue;
                /* Row k's tile in registers: the stores to the sums cannot alias it. */
                const float *ak = a + k * lda + 16 * v0;
                if (tile == PK_SPMM_ROWS_TILE) {
                    pk_f32x16 x[PK_SPMM_ROWS_TILE];
                    for (int u = 0; u < PK_SPMM_ROWS_TILE; u++) x[u] = PK_CF32X16(ak + 16 * u);
                    for (int32_t e = first; e < last; e++) {
                        float *sn = s + entryColumns[e] * lds + 16 * v0;
                        const pk_f32x16 w = (pk_f32x16){0} + values[e];
                        for (int u = 0; u < PK_SPMM_ROWS_TILE; u++)
                            PK_F32X16(sn + 16 * u) = __builtin_elementwise_fma(x[u], w, PK_CF32X16(sn + 16 * u));
                    }
                } else {
                    for (int32_t e = first; e < last; e++) {
                        float *sn = s + entryColumns[e] * lds + 16 * v0;
                        const pk_f32x16 w = (pk_f32x16){0} + values[e];
                        for (ptrdiff_t u = 0; u < tile; u++)
                            PK_F32X16(sn + 16 * u) = __builtin_elementwise_fma(PK_CF32X16(ak + 16 * u), w, PK_CF32X16(sn + 16 * u));
                    }
                }
            }
            if (block > 0)
                for (ptrdiff_t n = 0; n < columns; n++)
                    for (ptrdiff_t u = 0; u < tile; u++) {
                        float *cn = c + n * ldc + 16 * (v0 + u);
                        PK_F32X16(cn) = PK_CF32X16(cn) + PK_CF32X16(s + n * width + 16 * (v0 + u));
                    }
        }
    }
}
