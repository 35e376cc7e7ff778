/*
 * One Adam update of a run of parameters (see pk_adam_step in PruneKitKernels.h), in plain C so
 * that it vectorises at -O2 and stays cheap at -O0. FP contraction is off: every multiply and
 * add rounds separately, as in the Swift formulation this replaces.
 */
#include "PruneKitKernels.h"

#include <math.h>

#pragma STDC FP_CONTRACT OFF

/* A correctly rounded square root that the vectoriser accepts: sqrtf itself may set errno
   (math-errno is on by default on Linux), which keeps clang from vectorising the loop. */
#if defined(__has_builtin)
#if __has_builtin(__builtin_elementwise_sqrt)
#define PK_SQRTF(x) __builtin_elementwise_sqrt(x)
#endif
#endif
#ifndef PK_SQRTF
#define PK_SQRTF(x) sqrtf(x)
#endif

void pk_adam_step(float *theta, float *m, float *v, const float *g, ptrdiff_t count,
                  float alpha, float oneMinusBeta1, float oneMinusBeta2, float epsilon) {
    for (ptrdiff_t i = 0; i < count; i++) {
        const float gradient = g[i];
        const float first = m[i] + (gradient - m[i]) * oneMinusBeta1;
        const float second = v[i] + (gradient * gradient - v[i]) * oneMinusBeta2;
        const float update = alpha * first / (PK_SQRTF(second) + epsilon);
        m[i] = first;
        v[i] = second;
        theta[i] = theta[i] - update;
    }
}
