import _PruneKitKernels

/// Dense's products on a compressed kernel (``SparseKernel``): the batch is transposed so that
/// each input feature's values over 16 samples form one vector, as XNNPACK's SpMM reads them.
/// Forward and input gradient equal the dense GEMM's bits; the kernel gradient is computed only
/// at kept positions (``pk_sddmm``'s 16-lane order) and is 0 at pruned ones.
extension Dense: SparseComputable {
    /// Sparse at a kept fraction of at most 20% (with at least one input), else dense GEMM.
    func automaticKernel(density: Double, inputsPerOutput: Int) -> AutomaticKernel {
        density <= 0.2 && inputsPerOutput >= 1 ? .sparse : .gemm
    }

    /// Samples per piece of the sparse forward pass: eight 16-sample vectors, so that each
    /// kept weight feeds eight independent chains of fused multiply-adds (four wait on their
    /// latency), while the piece's transposed input (`inputs × 128` floats: 800 KB for the
    /// article's 1,600 inputs) stays in L2.
    static let sparseForwardRows = 128

    /// `output = activation(input · kernel + bias)` through ``pk_spmm``, in pieces of
    /// ``sparseForwardRows`` samples (each output's sum does not depend on the piece), on the
    /// input transposed per piece or on the feature rows the convolution before handed over.
    func forwardSparse(_ pass: ForwardPass, kernel sparse: SparseKernel) {
        let inputs = pass.inputShape[0]
        let blocks = Parallel.ranges(pass.batchSize, size: Self.sparseForwardRows)
        let stride = roundUpToVector(min(pass.batchSize, Self.sparseForwardRows))
        if pass.batchSize == 1 { return forwardSparseSample(pass, kernel: sparse) }
        // Feature rows handed over by the convolution before (``PlanesHandoff``), which it writes for 16 samples or more.
        let handed = Conv2D.LaneLayout.holds(batchSize: pass.batchSize) ? pass.inputRows : nil
        parameters[0].scalars.withUnsafeBufferPointer { kernel in
            let weights = sparse.columnWeights(kernel.baseAddress!)
            parameters[1].scalars.withUnsafeBufferPointer { bias in
                sparse.columnEntryRows.withUnsafeBufferPointer { offsets in
                    weights.withUnsafeBufferPointer { values in
                        sparse.columnStarts.withUnsafeBufferPointer { starts in
                            Parallel.forEach(blocks.count) { index in
                                let rows = blocks[index]
                                // Rows past the block's samples are computed and dropped: only a partial
                                // block needs its padding initialised. pk_spmm writes all of outputT.
                                let outputT = UnsafeMutablePointer<Float>.allocate(capacity: units * stride)
                                var inputT: UnsafeMutablePointer<Float>?
                                defer { inputT?.deallocate(); outputT.deallocate() }
                                let input: UnsafePointer<Float>, inputStride: Int
                                if let handed {
                                    (input, inputStride) = (UnsafePointer(handed.start(of: rows.lowerBound)), FeatureRows.stride)
                                } else {
                                    let transposed = rows.count < stride ? zeroedBuffer(inputs * stride) : .allocate(capacity: inputs * stride)
                                    pk_transpose(rows.count, inputs, pass.input.baseAddress! + rows.lowerBound * inputs, inputs, transposed, stride)
                                    (inputT, input, inputStride) = (transposed, UnsafePointer(transposed), stride)
                                }
                                pk_spmm(units, sparse.rowBlocks, starts.baseAddress!, offsets.baseAddress, inputStride, values.baseAddress,
                                        input, 0, outputT, stride, 0, 1, rows.count)
                                let output = pass.output.baseAddress! + rows.lowerBound * units
                                pk_transpose(units, rows.count, outputT, stride, output, units)
                                finishLinearOutput(output, rows: rows.count, width: units, bias: bias.baseAddress!, activation: activation,
                                                   offset: rows.lowerBound * units, pass: pass)
                            }
                        }
                    }
                }
            }
        }
    }

    /// One sample's forward pass through ``pk_spmv``, a kept weight at a time in input-gradient
    /// order: a 16-sample vector would hold one sample, and its column-by-column chains would wait
    /// on each fused multiply-add's latency. The same bits as ``pk_spmm``.
    private func forwardSparseSample(_ pass: ForwardPass, kernel sparse: SparseKernel) {
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: units)
        defer { scratch.deallocate() }
        parameters[0].scalars.withUnsafeBufferPointer { kernel in
            let weights = sparse.rowWeights(kernel.baseAddress!)
            weights.withUnsafeBufferPointer { values in
                sparse.rowStarts.withUnsafeBufferPointer { starts in
                    sparse.rowEntryColumns.withUnsafeBufferPointer { columns in
                        pk_spmv(sparse.rows, sparse.rowBlocks, starts.baseAddress!, sparse.columnBlocks, columns.baseAddress,
                                values.baseAddress, pass.input.baseAddress!, units, scratch, pass.output.baseAddress!)
                    }
                }
            }
            parameters[1].scalars.withUnsafeBufferPointer { bias in
                finishLinearOutput(pass.output.baseAddress!, rows: 1, width: units, bias: bias.baseAddress!, activation: activation,
                                   offset: 0, pass: pass)
            }
        }
    }

    /// The backward pass with ``pk_sddmm`` for the kernel gradient (kept positions only) and
    /// ``pk_spmm`` on the kernel's rows for the input gradient.
    func backwardSparse(_ pass: BackwardPass, kernel sparse: SparseKernel) {
        let inputs = pass.inputShape[0], batch = pass.batchSize
        let gradient = pass.outputGradient.baseAddress!
        if !pass.gradientIsPreActivation {
            activation.backpropagate(gradient, output: pass.output.baseAddress!, rows: batch, width: units)
        }
        Elementwise.sumRows(gradient, rows: batch, width: units, into: pass.parameterGradients[1].baseAddress!)
        // The whole batch transposed, padded with zeros to a multiple of 16 samples (only the
        // padding is zeroed: the transposes write the rest).
        let stride = roundUpToVector(batch)
        let inputT = UnsafeMutablePointer<Float>.allocate(capacity: max(inputs * stride, 1))
        let gradientT = UnsafeMutablePointer<Float>.allocate(capacity: max(units * stride, 1))
        defer { inputT.deallocate(); gradientT.deallocate() }
        let featureBlocks = Parallel.ranges(inputs, size: Self.blockRows)
        let kernelGradient = pass.parameterGradients[0].baseAddress!
        Parallel.forEach(featureBlocks.count + 1) { index in
            if index < featureBlocks.count {
                // The transposed input, and 0 in the kernel gradient (kept positions are written below).
                let features = featureBlocks[index]
                pk_transpose(batch, features.count, pass.input.baseAddress! + features.lowerBound, inputs,
                             inputT + features.lowerBound * stride, stride)
                zeroPadding(inputT, rows: features, stride: stride, written: batch)
                pk_fill(kernelGradient + features.lowerBound * units, features.count * units, 0)
            } else {
                pk_transpose(batch, units, gradient, units, gradientT, stride)
                zeroPadding(gradientT, rows: 0 ..< units, stride: stride, written: batch)
            }
        }
        parameters[0].scalars.withUnsafeBufferPointer { kernel in
            let weights = sparse.rowWeights(kernel.baseAddress!)
            let unitBlocks = Parallel.ranges(units, size: Self.blockRows)
            let batchBlocks = Parallel.ranges(batch, size: Self.blockRows)
            let inputGradientPieces = pass.inputGradient == nil ? 0 : batchBlocks.count
            sparse.rowEntryColumns.withUnsafeBufferPointer { columnOffsets in
                weights.withUnsafeBufferPointer { values in
                    sparse.columnEntryRows.withUnsafeBufferPointer { entryRows in
                        sparse.rowStarts.withUnsafeBufferPointer { starts in
                            sparse.columnStarts.withUnsafeBufferPointer { columnStarts in
                                sparse.columnEntryPositions.withUnsafeBufferPointer { positions in
                                    Parallel.forEach(unitBlocks.count + inputGradientPieces) { index in
                                        if index < unitBlocks.count {
                                            // kernelGradient[:, units] at kept positions, unit by unit.
                                            let block = unitBlocks[index]
                                            pk_sddmm(block.count, sparse.rowBlocks, columnStarts.baseAddress! + block.lowerBound * sparse.rowBlocks,
                                                     entryRows.baseAddress, stride, inputT, 0, gradientT + block.lowerBound * stride, stride, nil,
                                                     0, 1, batch, positions.baseAddress, nil, kernelGradient)
                                        } else {
                                            // inputGradient[rows, :] = gradient[rows, :] · kernelᵀ
                                            let rows = batchBlocks[index - unitBlocks.count]
                                            // Written whole: pk_spmm writes every vector of a row's `rows.count` samples.
                                            let rowStride = roundUpToVector(Self.blockRows)
                                            let inputGradientT = UnsafeMutablePointer<Float>.allocate(capacity: max(inputs * rowStride, 1))
                                            defer { inputGradientT.deallocate() }
                                            pk_spmm(inputs, sparse.columnBlocks, starts.baseAddress!, columnOffsets.baseAddress, stride,
                                                    values.baseAddress, gradientT + rows.lowerBound, 0, inputGradientT, rowStride, 0, 1,
                                                    rows.count)
                                            pk_transpose(inputs, rows.count, inputGradientT, rowStride,
                                                         pass.inputGradient!.baseAddress! + rows.lowerBound * inputs, inputs)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
