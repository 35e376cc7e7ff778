/*
 * Dropout's counter-based keep mask (see pk_dropout_scale in PruneKitKernels.h): integer
 * hashing and one multiply per element, eight lanes at a time (vector_internal.h).
 */
#include "PruneKitKernels.h"
#include "vector_internal.h"

/* MurmurHash3's 32-bit finaliser (fmix32), a bijection with full avalanche, on a scalar or on
   a vector of uint32_t (a macro, so that it is inlined at -O0 too). */
#define PK_FMIX32(h)        \
    do {                    \
        (h) ^= (h) >> 16;   \
        (h) *= 0x85EBCA6Bu; \
        (h) ^= (h) >> 13;   \
        (h) *= 0xC2B2AE35u; \
        (h) ^= (h) >> 16;   \
    } while (0)

void pk_dropout_scale(const float *source, float *destination, ptrdiff_t count, uint32_t first,
                      uint32_t keyLow, uint32_t keyHigh, uint32_t offset, float keptScale) {
    ptrdiff_t i = 0;
#if PK_VECTORS
    const pk_u32x8 lanes = {0, 1, 2, 3, 4, 5, 6, 7};
    for (; i + 8 <= count; i += 8) {
        pk_u32x8 bits = (first + (uint32_t)i + lanes) ^ keyLow;
        PK_FMIX32(bits);
        bits ^= keyHigh;
        PK_FMIX32(bits);
        const pk_u32x8 kept = ((bits >> 8) + offset) >> 24;
        const pk_f32x8 factor = __builtin_convertvector(kept, pk_f32x8) * keptScale;
        PK_F32X8(destination + i) = PK_CF32X8(source + i) * factor;
    }
#endif
    for (; i < count; i++) {
        uint32_t bits = (first + (uint32_t)i) ^ keyLow;
        PK_FMIX32(bits);
        bits ^= keyHigh;
        PK_FMIX32(bits);
        const uint32_t kept = ((bits >> 8) + offset) >> 24;
        destination[i] = source[i] * ((float)kept * keptScale);
    }
}
