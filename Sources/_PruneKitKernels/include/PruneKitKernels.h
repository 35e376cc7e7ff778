#ifndef PRUNEKIT_KERNELS_H
#define PRUNEKIT_KERNELS_H

#include <stddef.h>

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

/// Which implementation `pk_sgemm` dispatches to on this CPU: "avx2+fma", "neon" or "portable".
const char *pk_sgemm_implementation(void);

/// Forces the portable implementation (non-zero) or restores CPU dispatch (zero); for tests and
/// benchmarks that compare paths.
void pk_force_portable(int enabled);

#ifdef __cplusplus
}
#endif

#endif
