#ifndef PRUNEKIT_KERNELS_H
#define PRUNEKIT_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Single-precision matrix multiply on row-major matrices, single-threaded:
///
///     C[M×N] = op(A)[M×K] · op(B)[K×N] + (accumulate ? C : 0)
///
/// op(A) is A (lda ≥ K) or, when `transA` is non-zero, the transpose of a stored K×M matrix
/// (lda ≥ M); likewise op(B) is B (ldb ≥ N) or the transpose of a stored N×K matrix (ldb ≥ K).
/// The summation order over K depends only on K (never on M, N or the caller's threading), so
/// splitting M or N across threads gives bit-identical results.
/// M, N or K of 0 is allowed (with K = 0, C is zeroed unless accumulating).
void pk_sgemm(int transA, int transB, ptrdiff_t M, ptrdiff_t N, ptrdiff_t K,
              const float *A, ptrdiff_t lda,
              const float *B, ptrdiff_t ldb,
              int accumulate,
              float *C, ptrdiff_t ldc);

/// `C = A·B` (`B` not transposed, `C` overwritten) where row `i` of the `M × K` matrix `A` is a
/// convolution's receptive field read in place — implicit im2col: its element
/// `k = s·segmentLength + t` (`t < segmentLength`) is `input[rowOffsets[i] + s·segmentStride + t]`.
/// For a stride-1, channels-last convolution, `segmentLength` = kernel width · channels (one kernel
/// row's patch elements, contiguous in the input), `segmentStride` = input width · channels, and
/// `rowOffsets[i]` the offset of output position i's top-left input value. The same bits as
/// `pk_im2col` followed by `pk_sgemm(0, 0, …)`: the packed panels hold the same values.
void pk_sgemm_patches(ptrdiff_t M, ptrdiff_t N, ptrdiff_t K, const float *input, const ptrdiff_t *rowOffsets,
                      ptrdiff_t segmentLength, ptrdiff_t segmentStride, const float *B, ptrdiff_t ldb,
                      float *C, ptrdiff_t ldc);

/// Which implementation `pk_sgemm` dispatches to: "avx512", "avx2+fma", "neon" or "portable".
/// Without pk_sgemm_select, the first of those the CPU runs (AVX-512F; AVX2 with FMA; AArch64).
///
/// The SIMD paths ("avx512", "avx2+fma", "neon") compute every element of C as fused multiply-adds
/// in ascending k from +0 over K blocks of at most 320, the blocks added to C in order, so they
/// give the same bits. "portable" multiplies and adds separately (no FMA), so its last bits differ.
const char *pk_sgemm_implementation(void);

/// Whether this build and CPU can run the implementation `name` (see pk_sgemm_implementation).
int pk_sgemm_supports(const char *name);

/// Forces the implementation `name` for every later call on the calling thread, or restores CPU
/// dispatch there when `name` is NULL; for tests and benchmarks that compare paths. The choice
/// belongs to the thread (PruneKit's parallel loops hand it to the threads they run on, see
/// pk_sgemm_selection), so tests on other threads keep theirs. Every kernel with SIMD instances
/// (element-wise, pooling, sparse, direct convolution) follows it. Returns 0 on success, -1 for an
/// unknown name, -2 when this build or CPU cannot run it (the choice is then left unchanged).
int pk_sgemm_select(const char *name);

/// The calling thread's pk_sgemm_select choice (a static string), or NULL when it uses CPU dispatch.
const char *pk_sgemm_selection(void);

/* MARK: - Element-wise kernels
 *
 * Plain-C loops for the layers' element-wise work: they vectorise in release builds (-O2) and
 * stay cheap in debug builds (-O0), where Swift's SIMD types are very slow. Each states the
 * floating-point operations it performs per element; floating-point contraction is off, so every
 * operation rounds separately and the results are the same on every platform and build.
 * Counts may be 0, in which case the pointers are not read.
 */

/// `values[i] = value` (also to initialise freshly allocated memory).
void pk_fill(float *values, ptrdiff_t count, float value);

/// `values[i] = values[i] > 0 ? values[i] : 0` (ReLU; NaN and −0 become +0).
void pk_relu(float *values, ptrdiff_t count);

/// `gradient[i] = output[i] > 0 ? gradient[i] : 0`: ReLU's derivative applied from its output.
void pk_relu_gradient(float *gradient, const float *output, ptrdiff_t count);

/// `target[i] = target[i] + source[i]`.
void pk_add(const float *source, float *target, ptrdiff_t count);

/// `values[i] = values[i] · factors[i]`.
void pk_multiply(float *values, const float *factors, ptrdiff_t count);

/// The number of values equal to zero (+0 or −0).
ptrdiff_t pk_count_zeros(const float *values, ptrdiff_t count);

/// Adds `bias[j]` to element `j` of each of `rows` rows of `width` values:
/// `values[r·width + j] = values[r·width + j] + bias[j]`.
void pk_add_bias(const float *bias, float *values, ptrdiff_t rows, ptrdiff_t width);

/// Column sums of `rows × width` values, added in row order from +0:
/// `sums[j] = ((0 + values[j]) + values[width + j]) + …`.
void pk_sum_rows(const float *values, ptrdiff_t rows, ptrdiff_t width, float *sums);

/// Dropout with a counter-based keep mask. For element `i`, with `n = first + i` (mod 2³²):
///
///     bits = fmix32(fmix32(n ^ keyLow) ^ keyHigh)      (MurmurHash3's 32-bit finaliser)
///     kept = ((bits >> 8) + offset) >> 24              (0 or 1, arithmetic mod 2³²)
///     destination[i] = source[i] · (kept · keptScale)
///
/// `offset = 2²⁴ − ⌈rate · 2²⁴⌉` makes `kept` 1 exactly when the 24-bit uniform `bits >> 8` is at
/// least `rate · 2²⁴`; `keptScale = 1 / (1 − rate)`. `source` may equal `destination`.
void pk_dropout_scale(const float *source, float *destination, ptrdiff_t count, uint32_t first,
                      uint32_t keyLow, uint32_t keyHigh, uint32_t offset, float keptScale);

/// One Adam update of `count` parameters, each operation rounded separately in this order:
///
///     m[i] = m[i] + (g[i] − m[i]) · oneMinusBeta1
///     v[i] = v[i] + (g[i] · g[i] − v[i]) · oneMinusBeta2
///     θ[i] = θ[i] − (alpha · m[i]) / (sqrt(v[i]) + epsilon)
void pk_adam_step(float *theta, float *m, float *v, const float *g, ptrdiff_t count,
                  float alpha, float oneMinusBeta1, float oneMinusBeta2, float epsilon);

/* MARK: - Convolution and pooling helpers (one or more channels-last samples) */

/// Max pooling of one `[inputHeight, inputWidth, channels]` sample over non-overlapping
/// `poolHeight × poolWidth` windows into `[outputHeight, outputWidth, channels]`: each output is
/// its window's first value, then `max = candidate > max ? candidate : max` over the rest of the
/// window in row-major order.
void pk_maxpool_forward(const float *input, float *output, ptrdiff_t inputWidth,
                        ptrdiff_t channels, ptrdiff_t outputHeight, ptrdiff_t outputWidth,
                        ptrdiff_t poolHeight, ptrdiff_t poolWidth);

/// A convolution's bias and activation fused with the max pooling after it (inference), for one
/// sample whose products are `[inputHeight, inputWidth, channels]` channels-last: as
/// `pk_add_bias`, then `pk_relu` when `relu` is non-zero, then `pk_maxpool_forward`, with the same
/// operations in the same order (so the same bits), in one pass over the products. When
/// `switches` is not NULL (training), also records each window's switch there (see
/// `pk_maxpool_switch_backward`), output `(y, x, c)`'s at `(y·outputWidth + x)·switchStride + c`.
void pk_bias_maxpool_forward(const float *input, const float *bias, int relu, float *output,
                             ptrdiff_t inputWidth, ptrdiff_t channels, ptrdiff_t outputHeight,
                             ptrdiff_t outputWidth, ptrdiff_t poolHeight, ptrdiff_t poolWidth,
                             uint8_t *switches, ptrdiff_t switchStride);

/// The gradient of a max pooling fused with a convolution's bias and activation, from the
/// switches its forward pass recorded, for one sample: a window's switch is the row-major index
/// `i·poolWidth + j` of its first value equal to its maximum, or 255 when no gradient passes (with
/// a ReLU, a maximum not above 0; a window with no value equal to its maximum, as for NaN).
/// Gives each output's gradient (`outputGradient`, `[outputHeight, outputWidth, channels]`) to the
/// input its switch names and +0 to every other of the `inputSize` values of `inputGradient`
/// (`[·, inputWidth, channels]`; a dropped last row or column included): the gradient at the
/// pre-activation values, with the bits of `pk_maxpool_backward` with `relu` on the activated
/// values (without ReLU, `relu` 0). Switch `(y, x, c)` is at `(y·outputWidth + x)·switchStride + c`.
/// Windows hold at most 255 values.
void pk_maxpool_switch_backward(const float *outputGradient, const uint8_t *switches, ptrdiff_t switchStride,
                                float *inputGradient, ptrdiff_t inputSize, ptrdiff_t inputWidth,
                                ptrdiff_t channels, ptrdiff_t outputHeight, ptrdiff_t outputWidth,
                                ptrdiff_t poolHeight, ptrdiff_t poolWidth);

/// As `pk_bias_maxpool_forward` for products laid out channel-major, into pooled planes:
/// channel c's product at position (y, x) is `planes[c·planeStride + y·rowStride + x]`, and its
/// pooled output at (y, x) goes to `output[c·outputPlaneStride + y·outputWidth + x]`. Reads stay
/// within the `channels · planeStride` floats of `planes`. The padding after each output plane
/// (`outputPlaneStride − outputHeight · outputWidth` floats) is set to +0. Whole vectors of
/// outputs are stored, rows and channels in ascending order, so what spills past a row or into
/// the next plane is written again afterwards; up to 15 floats past the last plane's last output
/// may be overwritten too.
void pk_bias_maxpool_planes(const float *planes, ptrdiff_t planeStride, ptrdiff_t rowStride,
                            const float *bias, int relu, float *output, ptrdiff_t outputPlaneStride,
                            ptrdiff_t channels, ptrdiff_t outputHeight, ptrdiff_t outputWidth,
                            ptrdiff_t poolHeight, ptrdiff_t poolWidth);

/// A valid, stride-1 convolution of `samples` consecutive channels-last `[inputHeight,
/// inputWidth, channels]` samples computed directly (no patch matrix), for layers with few inputs
/// per output. Each output is summed as `pk_im2col` + `pk_sgemm` sum it — fused multiply-adds over
/// the patch elements `k = (i·kernelWidth + j)·channels + c` in ascending order from +0, in
/// `pk_sgemm_k_block()` blocks added in order — so it has their bits on a fused multiply-add path.
/// `weights` is the `patch × ldw` kernel, `ldw` = `filters` rounded up to 16, zero in the padding.
/// With `bias` NULL, writes the products `[outputHeight, outputWidth, filters]` per sample
/// (`poolHeight` = `poolWidth` = 1). Else `bias` holds `ldw` floats (zero-padded), and each sample
/// becomes `[outputHeight / poolHeight, outputWidth / poolWidth, filters]`: bias, then ReLU if
/// `relu`, then max pooling over non-overlapping windows, with `pk_bias_maxpool_forward`'s bits;
/// with `switches` not NULL, each window's switch as `pk_bias_maxpool_forward` records it, the
/// samples' switches `sampleSwitchStride` bytes apart. `scratch` holds
/// `poolHeight · outputWidth · ldw` floats.
void pk_conv_direct(const float *input, ptrdiff_t samples, ptrdiff_t inputHeight, ptrdiff_t inputWidth,
                    ptrdiff_t channels, ptrdiff_t kernelHeight, ptrdiff_t kernelWidth, const float *weights,
                    ptrdiff_t filters, const float *bias, int relu, ptrdiff_t poolHeight, ptrdiff_t poolWidth,
                    float *scratch, float *output, uint8_t *switches, ptrdiff_t switchStride,
                    ptrdiff_t sampleSwitchStride);

/// The kernel gradient of `pk_conv_direct`'s convolution over `samples` consecutive samples,
/// without a patch matrix: `kernelGradient[k·filters + f] = Σ_r patch[r][k] · gradient[r·filters + f]`
/// over the im2col rows `r` (sample, output row, output column) — `pk_sgemm(1, 0, …)` of `pk_im2col`'s
/// patches and `gradient`, summed as pk_sgemm sums it (fused multiply-adds in ascending `r` from +0,
/// in `pk_sgemm_k_block()` blocks of rows added in order), so with its bits on a fused
/// multiply-add path. `filters` must be a multiple of 16. Overwrites the `patch × filters` values,
/// and, when `biasGradient` is not NULL, its `filters` values with the bias gradient, the column
/// sums of `gradient` as `pk_sum_rows` computes them, in the same pass.
void pk_conv_direct_kernel_gradient(const float *input, ptrdiff_t samples, ptrdiff_t inputHeight,
                                    ptrdiff_t inputWidth, ptrdiff_t channels, ptrdiff_t kernelHeight,
                                    ptrdiff_t kernelWidth, const float *gradient, ptrdiff_t filters,
                                    float *kernelGradient, float *biasGradient);

/// `pk_conv_direct_kernel_gradient` for a convolution fused with its bias, activation and max
/// pooling, with the gradient at its outputs taken from the pooled gradient and the switches its
/// forward pass recorded as `pk_maxpool_switch_backward` computes it, row by row in registers
/// (the same values, so the same bits), without writing it: `pooledGradient` is
/// `[outputHeight / poolHeight, outputWidth / poolWidth, filters]` per sample, the switches
/// `switchStride` bytes per pooled position. `filters` must be a multiple of 16.
void pk_conv_direct_pool_kernel_gradient(const float *input, ptrdiff_t samples, ptrdiff_t inputHeight,
                                         ptrdiff_t inputWidth, ptrdiff_t channels, ptrdiff_t kernelHeight,
                                         ptrdiff_t kernelWidth, const float *pooledGradient, const uint8_t *switches,
                                         ptrdiff_t switchStride, ptrdiff_t poolHeight, ptrdiff_t poolWidth,
                                         ptrdiff_t filters, float *kernelGradient, float *biasGradient);

/// The gradient of `pk_maxpool_forward` for one sample: gives each output's gradient to the first
/// input of its window (row-major order) equal to the output, per channel, and +0 to every other
/// of the `inputSize` values of `inputGradient` (those of a dropped last row or column included).
///
/// With `relu` set, the input is a ReLU's output and the gradient is taken on through that ReLU
/// too (`pk_relu_gradient`'s rule: +0 where the input is not above 0): an output's gradient is
/// placed only when the output is above 0. The bits are those of this function without `relu`
/// followed by `pk_relu_gradient`, in one pass. `inputGradient` may be `input` (in place): each
/// input value is read before its gradient is written, and no value is read after that.
void pk_maxpool_backward(const float *input, const float *output, const float *outputGradient,
                         float *inputGradient, ptrdiff_t inputSize, ptrdiff_t inputWidth,
                         ptrdiff_t channels, ptrdiff_t outputHeight, ptrdiff_t outputWidth,
                         ptrdiff_t poolHeight, ptrdiff_t poolWidth, int relu);

/// im2col for a valid, stride-1 convolution: copies each `kernelHeight × kernelWidth × channels`
/// receptive field of `samples` consecutive `[inputHeight, inputWidth, channels]` samples into one
/// row of `patches`, in sample, output-row, output-column order — the fields of the outputs (y, x)
/// with y < `outputHeight` and x < `outputWidth`: all of them (`inputHeight − kernelHeight + 1`
/// and `inputWidth − kernelWidth + 1`), or a top-left region of them, such as the outputs a max
/// pooling after the convolution reads.
void pk_im2col(const float *input, ptrdiff_t samples, ptrdiff_t inputHeight,
               ptrdiff_t inputWidth, ptrdiff_t channels, ptrdiff_t kernelHeight,
               ptrdiff_t kernelWidth, ptrdiff_t outputHeight, ptrdiff_t outputWidth, float *patches);

/// The adjoint of `pk_im2col`: zeroes the samples' `inputGradient`, then adds each row of
/// `patches` back onto the input positions it was copied from, in row order.
void pk_col2im(const float *patches, ptrdiff_t samples, ptrdiff_t inputHeight,
               ptrdiff_t inputWidth, ptrdiff_t channels, ptrdiff_t kernelHeight,
               ptrdiff_t kernelWidth, float *inputGradient);

/* MARK: - Sparse-weight products (pruned layers)
 *
 * XNNPACK-style SpMM: the rows of the dense operand (pixels or samples) lie in 16-float vectors,
 * the sparse operand is a list of (offset, weight) entries per output column. Each entry list is
 * cut where the dense GEMM cuts K (pk_sgemm_k_block), so that with the same entries in ascending
 * inner index the products equal pk_sgemm's bit for bit (pruned weights are zero and skipping
 * them changes no sum: see sparse.c). They run on the fused multiply-add paths only.
 */

/// The largest K block of the GEMM path in use (320 on every path): where sums are cut.
ptrdiff_t pk_sgemm_k_block(void);

/// Whether the sparse products match the dense ones on the GEMM path in use: 1 on the fused
/// multiply-add paths ("avx512", "avx2+fma", "neon"), 0 on "portable".
int pk_sparse_available(void);

/// For every segment s < `segments`, column j < `columns` and row r < roundUp(length, 16):
///
///     c[s·cStride + j·ldc + r] = ((t₀ + t₁) + …) + t_{blocks−1}
///     t_b = fma(values[e_last], A(e_last), … fma(values[e_first], A(e_first), +0))
///
/// over the entries e of block b of column j, `starts[j·blocks + b] ≤ e < starts[j·blocks + b + 1]`,
/// in order, with A(e) = a[s·aStride + offsets[e]·offsetScale + r]. Rows from `length` up to the next multiple
/// of 16 are computed too (from whatever `a` holds there), so both buffers must extend that far.
void pk_spmm(ptrdiff_t columns, ptrdiff_t blocks, const int32_t *starts, const int32_t *offsets,
             ptrdiff_t offsetScale, const float *values, const float *a, ptrdiff_t aStride, float *c, ptrdiff_t ldc,
             ptrdiff_t cStride, ptrdiff_t segments, ptrdiff_t length);

/// A sparse, valid, stride-1 convolution fused with bias, activation and max pooling over
/// non-overlapping `poolHeight × poolWidth` windows, on 16 samples at once, one in each lane of a
/// vector. The 16 values of input position (y, x) for kernel element k are at
/// `input + y·rowStride + x·pixelStride + offsets[e]` for each entry e of k (the kernel in
/// pk_spmm's layout, one column per filter). The product of filter f at output position (y, x)
/// is summed exactly as pk_spmm sums column f (so it has the im2col + GEMM path's bits); then,
/// lane by lane, `bias[f]` is added, ReLU applied when `relu` is set (+0 unless above 0), and the
/// window's maximum taken in row-major order (`v > m` replaces m), as pk_bias_maxpool_forward
/// does. Pooled position p = py·pooledWidth + px of filter f goes to the 16 floats at
/// `output + f·outputFilterStride + p·outputPixelStride`. `scratch` holds
/// `poolHeight · pooledWidth · poolWidth · 16` floats. When `switchWords` is not NULL (training),
/// each window's switch (as `pk_bias_maxpool_forward` records it) goes to byte `f % 4` of the
/// 16 lanes' 32-bit words at `switchWords + (p·switchWordStride + f / 4)·16`: transposed as 32-bit
/// values (`pk_transpose`), the words become each sample's switches, channels-last with
/// `4·switchWordStride` bytes per position (little-endian byte order).
void pk_spconv_pool_lanes(ptrdiff_t filters, ptrdiff_t blocks, const int32_t *starts, const int32_t *offsets,
                          const float *values, const float *bias, int relu, const float *input, ptrdiff_t rowStride,
                          ptrdiff_t pixelStride, ptrdiff_t pooledHeight, ptrdiff_t pooledWidth, ptrdiff_t poolHeight,
                          ptrdiff_t poolWidth, float *scratch, float *output, ptrdiff_t outputFilterStride,
                          ptrdiff_t outputPixelStride, int32_t *switchWords, ptrdiff_t switchWordStride);

/// Sampled dense-dense product over a compressed kernel's entry lists (pk_spmm's `starts`, in
/// forward or input-gradient order): for each list j ("column") and each of its entries e
/// (`starts[j·blocks] ≤ e < starts[(j + 1)·blocks]`), `out[positions[e]]` (`out[e − starts[0]]`
/// when `positions` is NULL: the entries' own order) = the dot product of
/// a[s·aStride + aOffsets[e]·aScale + r] and b[s·bStride + B_j + r], B_j = `bOffsets[j]` (or
/// j·ldb when `bOffsets` is NULL), over segments s and rows r < roundUp(length, 16), summed in 16
/// lanes (lane l takes r ≡ l mod 16, by fused multiply-adds in ascending s then r, from +0), then
/// the lanes added: h_l = x_l + x_{l+8}, q_l = h_l + h_{l+4}, result = (q₀ + q₂) + (q₁ + q₃).
/// Products commute, so a and b may trade roles: the list's shared operand is b, loaded once for
/// several entries. The caller pads so that for rows ≥ `length` one operand is 0 and the other
/// finite. With more than one segment, `partial` holds 16 floats per entry
/// (`starts[columns·blocks] − starts[0]` entries), where the sums wait between segments (each
/// segment's a and b are read while in cache); else it may be NULL.
void pk_sddmm(ptrdiff_t columns, ptrdiff_t blocks, const int32_t *starts, const int32_t *aOffsets,
              ptrdiff_t aScale, const float *a, ptrdiff_t aStride, const float *b, ptrdiff_t ldb, const int32_t *bOffsets,
              ptrdiff_t bStride, ptrdiff_t segments, ptrdiff_t length, const int32_t *positions, float *partial, float *out);

/// One sample's product through a kernel compressed in input-gradient order (a row at a time):
/// for every column n < `columns`, `output[n]` = ((t₀ + t₁) + …) + t_{blocks−1}, where t_b is the
/// chain of fused multiply-adds from +0 over the rows k of block b in ascending order (`rows`
/// cut into `blocks` near-equal blocks, the first `rows % blocks` one longer, as pk_sgemm cuts K)
/// of `fma(input[k], values[e], ·)` for the entries e of row k with `columns[e] = n` — the
/// entries `starts[k·rowStride] ≤ e < starts[(k + 1)·rowStride]`. So `output[n]` equals pk_spmm's
/// column n bit for bit. Rows whose input is 0 are skipped, which changes no sum (as a pruned
/// weight). `scratch` holds `columns` floats.
void pk_spmv(ptrdiff_t rows, ptrdiff_t blocks, const int32_t *starts, ptrdiff_t rowStride,
             const int32_t *entryColumns, const float *values, const float *input, ptrdiff_t columns,
             float *scratch, float *output);

/// pk_spmv over 16-lane vectors: for every column n < `columns` and lane q < `width` (a multiple
/// of 16), `c[n·ldc + q]` = ((t₀ + t₁) + …) + t_{blocks−1}, where t_b is the chain of fused
/// multiply-adds from +0 over the rows k of block b in ascending order (`rows` cut into `blocks`
/// as pk_sgemm cuts K) of `fma(a[k·lda + q], values[e], ·)` for the entries e of row k with
/// `entryColumns[e] = n` — the entries `starts[k·rowStride] ≤ e < starts[(k + 1)·rowStride]`.
/// So `c` is pk_sgemm's product of `a`ᵀ and the sparse matrix, transposed, bit for bit. Rows with
/// no entries cost nothing. `scratch` holds `columns · width` floats when `blocks` > 1.
void pk_spmm_rows(ptrdiff_t rows, ptrdiff_t blocks, const int32_t *starts, ptrdiff_t rowStride,
                  const int32_t *entryColumns, const float *values, const float *a, ptrdiff_t lda, ptrdiff_t columns,
                  ptrdiff_t width, float *scratch, float *c, ptrdiff_t ldc);

/// The non-zero positions of a row-major `rows × columns` matrix, row by row and columns
/// ascending: entry e is row `entryRows[e]`, column `entryColumns[e]`, position
/// `positions[e] = row·columns + column`. Each array holds one entry per non-zero value.
void pk_nonzero_positions(const float *values, ptrdiff_t rows, ptrdiff_t columns, int32_t *entryRows,
                          int32_t *entryColumns, int32_t *positions);

/// The non-zeros of a row-major `rows × columns` matrix, row by row, each row's list cut into
/// `columnBlocks` blocks as pk_sgemm cuts K (near-equal blocks, the first `columns % columnBlocks`
/// one longer): the entries `rowStarts[r·columnBlocks + b] ≤ e < rowStarts[r·columnBlocks + b + 1]`
/// of row r's column block b hold its non-zero columns in ascending order (`rowColumns[e]`) and
/// their values (`rowValues[e]`) — pk_spmm's entry lists of the matrix's transpose, and
/// pk_spmm_rows's of the matrix. `rowStarts` holds `rows·columnBlocks + 1` elements, the entry
/// arrays `capacity`. Returns the number of non-zeros, or −1 (the lists unfinished) when there
/// are more than `capacity`: a matrix too dense for the lists to pay is given up early.
ptrdiff_t pk_nonzero_entries(const float *values, ptrdiff_t rows, ptrdiff_t columns, ptrdiff_t columnBlocks,
                             ptrdiff_t capacity, int32_t *rowStarts, int32_t *rowColumns, float *rowValues);

/// `destination[e] = source[index[e]]` for e < count (a compressed kernel's current weights).
void pk_gather(ptrdiff_t count, const int32_t *index, const float *source, float *destination);

/// `destination[e] = source[index[e]]` for e < count (entry offsets for a memory layout).
void pk_gather_i32(ptrdiff_t count, const int32_t *index, const int32_t *source, int32_t *destination);

/// `dst[j·ldd + i] = src[i·lds + j]` for i < rows, j < cols (in 8×8 register blocks); `dst` must
/// not overlap `src`.
void pk_transpose(ptrdiff_t rows, ptrdiff_t cols, const float *src, ptrdiff_t lds, float *dst,
                  ptrdiff_t ldd);

/// The adjoint of a stride-1 convolution's receptive fields on a channel-major sample, from
/// patches laid out one row per kernel element k = (i·kernelWidth + j)·channels + c over "wide"
/// output positions q (q = y·width + x): for (i, j) from (kernelHeight − 1, kernelWidth − 1) down
/// to (0, 0), then c ascending, `inputGradient[c·channelStride + i·width + j + q] += patches[k·ldp + q]`
/// for q < length. Each input position thus receives its contributions in ascending q, as pk_col2im
/// adds them in ascending patch row.
void pk_col2im_wide(const float *patches, ptrdiff_t ldp, ptrdiff_t length, ptrdiff_t width,
                    ptrdiff_t channels, ptrdiff_t kernelHeight, ptrdiff_t kernelWidth,
                    float *inputGradient, ptrdiff_t channelStride);

#ifdef __cplusplus
}
#endif

#endif
