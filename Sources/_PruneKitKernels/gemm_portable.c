#include "PruneKitKernels.h"

/* Temporary reference implementation; replaced by the blocked, dispatched kernels. */
static const char *implementation = "portable";
static int forcePortable = 0;

void pk_force_portable(int enabled) { forcePortable = enabled; }
const char *pk_sgemm_implementation(void) { return implementation; }

void pk_sgemm(int transA, int transB, ptrdiff_t M, ptrdiff_t N, ptrdiff_t K,
              const float *A, ptrdiff_t lda, const float *B, ptrdiff_t ldb,
              int accumulate, float *C, ptrdiff_t ldc) {
    for (ptrdiff_t i = 0; i < M; i++) {
        float *c = C + i * ldc;
        if (!accumulate) for (ptrdiff_t j = 0; j < N; j++) c[j] = 0;
        for (ptrdiff_t k = 0; k < K; k++) {
            float a = transA ? A[k * lda + i] : A[i * lda + k];
            if (transB) { for (ptrdiff_t j = 0; j < N; j++) c[j] += a * B[j * ldb + k]; }
            else { const float *b = B + k * ldb; for (ptrdiff_t j = 0; j < N; j++) c[j] += a * b[j]; }
        }
    }
}
