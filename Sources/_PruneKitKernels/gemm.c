/*
 * pk_sgemm: the public entry points, CPU dispatch and the cache-blocked GEMM driver.
 *
 * Blocking scheme (GotoBLAS/BLIS). With op(A) M×K, op(B) K×N and an MR×NR micro-kernel:
 *
 *   for jc in N step NC:                 columns of C and op(B)
 *     for each K block [pc, pc+kc):      K split into ceil(K/KC) near-equal blocks
 *       pack op(B)[pc:pc+kc, jc:jc+nc]   into NR-column panels  (kc·nc floats, L2/L3)
 *       for ic in M step MC:
 *         pack op(A)[ic:ic+mc, pc:pc+kc] into MR-row panels     (mc·kc floats, L2)
 *         for jr in nc step NR:          one B micro-panel (kc·NR floats) stays in L1
 *           for ir in mc step MR:        A micro-panels stream from L2
 *             C tile (=|+=) A panel · B panel                    (registers)
 *
 * Summation-order contract: the K blocks depend only on K and the kernel's KC, every C element
 * is computed as  C = (((C₀ + s₀) + s₁) + …)  with each sᵦ accumulated over its K block in
 * ascending k, and edge tiles go through the same micro-kernel as full ones (zero-padded panels,
 * scratch tile). So the bits of C[i][j] depend only on row i of op(A), column j of op(B), K and
 * the selected implementation — never on M, N, MC, NC or how a caller splits rows or columns.
 *
 * Packing buffers live in a per-thread workspace, so concurrent calls from several threads are
 * safe. The only shared mutable state is the detected dispatch choice; a choice set by
 * pk_sgemm_select belongs to the calling thread.
 */
#include "PruneKitKernels.h"
#include "gemm_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* MARK: - Dispatch */

static _Atomic(const pk_gemm_kernel *) detectedKernel; /* resolved lazily; idempotent */
static _Thread_local const pk_gemm_kernel *selectedKernel; /* this thread's pk_sgemm_select choice; NULL: detected */

/* Every kernel compiled for this architecture, best first. */
static const pk_gemm_kernel *const kernels[] = {
#if defined(__x86_64__)
    &pk_gemm_kernel_avx512,
#endif
#if defined(__x86_64__) || defined(__i386__)
    &pk_gemm_kernel_avx2,
#endif
#if defined(__aarch64__)
    &pk_gemm_kernel_neon,
#endif
    &pk_gemm_kernel_portable,
};
enum { kernelCount = sizeof kernels / sizeof kernels[0] };

/* Whether this CPU can run `kernel`. */
static int cpuRuns(const pk_gemm_kernel *kernel) {
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
    __builtin_cpu_init();
#if defined(__x86_64__)
    if (kernel == &pk_gemm_kernel_avx512) return __builtin_cpu_supports("avx512f");
#endif
    if (kernel == &pk_gemm_kernel_avx2)
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
    (void)kernel;
    return 1; /* portable; NEON is mandatory on AArch64 */
}

static const pk_gemm_kernel *detectKernel(void) {
    for (int i = 0; i < kernelCount; i++)
        if (cpuRuns(kernels[i])) return kernels[i];
    return &pk_gemm_kernel_portable;
}

/* Racing first calls may both detect; they store the same pointer, so that is harmless. */
const pk_gemm_kernel *pk_gemm_active(void) {
    const pk_gemm_kernel *kernel = selectedKernel;
    if (kernel != NULL) return kernel;
    kernel = atomic_load_explicit(&detectedKernel, memory_order_acquire);
    if (kernel == NULL) {
        kernel = detectKernel();
        atomic_store_explicit(&detectedKernel, kernel, memory_order_release);
    }
    return kernel;
}

static const pk_gemm_kernel *kernelNamed(const char *name) {
    for (int i = 0; i < kernelCount; i++)
        if (strcmp(kernels[i]->name, name) == 0) return kernels[i];
    return NULL;
}

int pk_sgemm_supports(const char *name) {
    const pk_gemm_kernel *kernel = name == NULL ? NULL : kernelNamed(name);
    return kernel != NULL && cpuRuns(kernel);
}

int pk_sgemm_select(const char *name) {
    if (name == NULL) {
        selectedKernel = NULL;
        return 0;
    }
    static const char *const knownNames[] = {"avx512", "avx2+fma", "neon", "portable"};
    int known = 0;
    for (size_t i = 0; i < sizeof knownNames / sizeof knownNames[0]; i++)
        known |= strcmp(knownNames[i], name) == 0;
    if (!known) return -1;
    const pk_gemm_kernel *kernel = kernelNamed(name);
    if (kernel == NULL || !cpuRuns(kernel)) return -2; /* not built for this architecture, or not this CPU */
    selectedKernel = kernel;
    return 0;
}

const char *pk_sgemm_selection(void) { return selectedKernel == NULL ? NULL : selectedKernel->name; }

const char *pk_sgemm_implementation(void) { return pk_gemm_active()->name; }

/* MARK: - Per-thread workspace */

typedef struct {
    float *data;
    size_t capacity; /* in floats */
} Workspace;

static pthread_key_t workspaceKey;
static pthread_once_t workspaceKeyOnce = PTHREAD_ONCE_INIT;

static void freeWorkspace(void *value) {
    Workspace *ws = value;
    free(ws->data);
    free(ws);
}

static void makeWorkspaceKey(void) {
    if (pthread_key_create(&workspaceKey, freeWorkspace) != 0) abort();
}

/* Returns this thread's 64-byte-aligned buffer of at least `count` floats, grown on demand and
   freed at thread exit. Its size is bounded by the blocking, KC·(NC + MC) floats (under 3 MiB),
   not by the problem size. Allocation failure aborts, like any other out-of-memory in Swift. */
static float *threadWorkspace(size_t count) {
    pthread_once(&workspaceKeyOnce, makeWorkspaceKey);
    Workspace *ws = pthread_getspecific(workspaceKey);
    if (ws == NULL) {
        ws = calloc(1, sizeof *ws);
        if (ws == NULL || pthread_setspecific(workspaceKey, ws) != 0) abort();
    }
    if (ws->capacity < count) {
        const size_t capacity = (count + 15) / 16 * 16; /* aligned_alloc: size % alignment == 0 */
        free(ws->data);
        ws->data = aligned_alloc(64, capacity * sizeof(float));
        if (ws->data == NULL) abort();
        ws->capacity = capacity;
    }
    return ws->data;
}

/* MARK: - Driver */

static ptrdiff_t minp(ptrdiff_t a, ptrdiff_t b) { return a < b ? a : b; }
static ptrdiff_t roundUp(ptrdiff_t x, ptrdiff_t step) { return (x + step - 1) / step * step; }

/* C[m×n] (= or +=) the scratch tile; the same single addition the micro-kernel performs. */
static void mergeTile(const float *tile, ptrdiff_t nr, ptrdiff_t m, ptrdiff_t n,
                      float *c, ptrdiff_t ldc, int accumulate) {
    for (ptrdiff_t i = 0; i < m; i++)
        for (ptrdiff_t j = 0; j < n; j++)
            c[i * ldc + j] = accumulate ? c[i * ldc + j] + tile[i * nr + j] : tile[i * nr + j];
}

/* Multiplies a packed mc×kc block of op(A) by a packed kc×nc block of op(B) into C. */
static void macroKernel(const pk_gemm_kernel *g, ptrdiff_t mc, ptrdiff_t nc, ptrdiff_t kc,
                        const float *ap, const float *bp, float *c, ptrdiff_t ldc,
                        int accumulate) {
    const ptrdiff_t mr = g->mr, nr = g->nr;
    _Alignas(64) float tile[PK_MR_MAX * PK_NR_MAX];
    for (ptrdiff_t jr = 0; jr < nc; jr += nr) {
        const ptrdiff_t n = minp(nr, nc - jr);
        for (ptrdiff_t ir = 0; ir < mc; ir += mr) {
            const ptrdiff_t m = minp(mr, mc - ir);
            const float *a = ap + ir * kc, *b = bp + jr * kc;
            float *cTile = c + ir * ldc + jr;
            if (m == mr && n == nr) {
                g->kernel(kc, a, b, cTile, ldc, accumulate);
            } else {
                g->kernel(kc, a, b, tile, nr, 0);
                mergeTile(tile, nr, m, n, cTile, ldc, accumulate);
            }
        }
    }
}

static void zeroMatrix(ptrdiff_t M, ptrdiff_t N, float *C, ptrdiff_t ldc) {
    for (ptrdiff_t i = 0; i < M; i++)
        for (ptrdiff_t j = 0; j < N; j++) C[i * ldc + j] = 0.0f;
}

/* Where op(A)'s rows come from: a strided matrix (transA, A, lda), or convolution patches. */
typedef struct {
    int transA;
    const float *A;
    ptrdiff_t lda;
    const ptrdiff_t *rowOffsets; /* NULL for a matrix */
    ptrdiff_t segmentLength, segmentStride;
} ASource;

static void gemm(const ASource *a, int transB, ptrdiff_t M, ptrdiff_t N, ptrdiff_t K, const float *B,
                 ptrdiff_t ldb, int accumulate, float *C, ptrdiff_t ldc) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0) {
        if (!accumulate) zeroMatrix(M, N, C, ldc);
        return;
    }
    const pk_gemm_kernel *g = pk_gemm_active();

    /* K blocks: a function of K and the kernel only (see the contract above). */
    const ptrdiff_t kBlocks = (K + g->kc - 1) / g->kc;
    const ptrdiff_t kcMax = (K + kBlocks - 1) / kBlocks;
    const ptrdiff_t mcMax = minp(roundUp(M, g->mr), g->mc);
    const ptrdiff_t ncMax = minp(roundUp(N, g->nr), g->nc);

    const ptrdiff_t bSize = roundUp(kcMax * ncMax, 16); /* keeps the A block 64-byte aligned */
    float *bp = threadWorkspace((size_t)(bSize + kcMax * mcMax));
    float *ap = bp + bSize;

    for (ptrdiff_t jc = 0; jc < N; jc += ncMax) {
        const ptrdiff_t nc = minp(ncMax, N - jc);
        ptrdiff_t pc = 0;
        for (ptrdiff_t block = 0; block < kBlocks; block++) {
            const ptrdiff_t kc = pk_block_length(K, kBlocks, block);
            const int accumulateBlock = accumulate || block > 0;
            pk_pack_b(transB, B, ldb, pc, kc, jc, nc, g->nr, bp);
            for (ptrdiff_t ic = 0; ic < M; ic += mcMax) {
                const ptrdiff_t mc = minp(mcMax, M - ic);
                if (a->rowOffsets != NULL)
                    pk_pack_a_patches(a->A, a->rowOffsets, a->segmentLength, a->segmentStride, ic, mc, pc, kc, g->mr, ap);
                else
                    g->packA(a->transA, a->A, a->lda, ic, mc, pc, kc, g->mr, ap);
                macroKernel(g, mc, nc, kc, ap, bp, C + ic * ldc + jc, ldc, accumulateBlock);
            }
            pc += kc;
        }
    }
}

void pk_sgemm(int transA, int transB, ptrdiff_t M, ptrdiff_t N, ptrdiff_t K,
              const float *A, ptrdiff_t lda,
              const float *B, ptrdiff_t ldb,
              int accumulate,
              float *C, ptrdiff_t ldc) {
    const ASource a = {.transA = transA, .A = A, .lda = lda};
    gemm(&a, transB, M, N, K, B, ldb, accumulate, C, ldc);
}

void pk_sgemm_patches(ptrdiff_t M, ptrdiff_t N, ptrdiff_t K, const float *input, const ptrdiff_t *rowOffsets,
                      ptrdiff_t segmentLength, ptrdiff_t segmentStride, const float *B, ptrdiff_t ldb,
                      float *C, ptrdiff_t ldc) {
    if (segmentLength <= 0) return;
    const ASource a = {.A = input, .rowOffsets = rowOffsets, .segmentLength = segmentLength,
                       .segmentStride = segmentStride};
    gemm(&a, 0, M, N, K, B, ldb, 0, C, ldc);
}
