/*
 * im2col and its adjoint col2im for a valid, stride-1 convolution over channels-last samples
 * (see pk_im2col and pk_col2im in PruneKitKernels.h). Rows of a receptive field are copied with
 * memcpy, or a plain loop when they are too short for a call to pay; col2im adds them back with
 * pk_add (eight lanes at a time).
 */
#include "PruneKitKernels.h"

#include <string.h>

void pk_im2col(const float *input, ptrdiff_t samples, ptrdiff_t inputHeight,
               ptrdiff_t inputWidth, ptrdiff_t channels, ptrdiff_t kernelHeight,
               ptrdiff_t kernelWidth, ptrdiff_t outputHeight, ptrdiff_t outputWidth, float *patches) {
    const ptrdiff_t span = kernelWidth * channels, inputSize = inputHeight * inputWidth * channels;
    float *row = patches;
    for (ptrdiff_t sample = 0; sample < samples; sample++) {
        const float *image = input + sample * inputSize;
        for (ptrdiff_t y = 0; y < outputHeight; y++)
            for (ptrdiff_t x = 0; x < outputWidth; x++)
                for (ptrdiff_t i = 0; i < kernelHeight; i++, row += span) {
                    const float *source = image + ((y + i) * inputWidth + x) * channels;
                    if (span >= 8) memcpy(row, source, (size_t)span * sizeof(float));
                    else for (ptrdiff_t j = 0; j < span; j++) row[j] = source[j];
                }
    }
}

void pk_col2im(const float *patches, ptrdiff_t samples, ptrdiff_t inputHeight,
               ptrdiff_t inputWidth, ptrdiff_t channels, ptrdiff_t kernelHeight,
               ptrdiff_t kernelWidth, float *inputGradient) {
    const ptrdiff_t outputHeight = inputHeight - kernelHeight + 1;
    const ptrdiff_t outputWidth = inputWidth - kernelWidth + 1;
    const ptrdiff_t span = kernelWidth * channels, inputSize = inputHeight * inputWidth * channels;
    memset(inputGradient, 0, (size_t)(samples * inputSize) * sizeof(float)); /* +0.0f */
    const float *row = patches;
    for (ptrdiff_t sample = 0; sample < samples; sample++) {
        float *image = inputGradient + sample * inputSize;
        for (ptrdiff_t y = 0; y < outputHeight; y++)
            for (ptrdiff_t x = 0; x < outputWidth; x++)
                for (ptrdiff_t i = 0; i < kernelHeight; i++, row += span) {
                    pk_add(row, image + ((y + i) * inputWidth + x) * channels, span);
                }
    }
}
