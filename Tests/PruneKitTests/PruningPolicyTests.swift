import Foundation
import Testing
@testable import PruneKit

/// A policy is one pattern: options that would override one another are refused up front.
@Suite struct PruningPolicyTests {
    @Test func conflictingPatternsAreRefusedNamingTheOptions() throws {
        let schedule = try ConstantSparsity(targetSparsity: 0.5, beginStep: 0)
        let blocks = try BlockSparsity(rows: 2, columns: 2)
        let nm = try NMSparsity(m: 2, n: 4)
        #expect(throws: PruningError.incompatibleOptions(["blockSparsity", "nmSparsity"],
                                                         reason: "a mask follows one pattern, blocks or m-by-n")) {
            try PruningPolicy(schedule: schedule, blockSparsity: blocks, nmSparsity: nm)
        }
        let globalBlocks = #expect(throws: PruningError.self) {
            try PruningPolicy(schedule: schedule, blockSparsity: blocks, scope: .global)
        }
        #expect(globalBlocks?.description == "blockSparsity and scope: .global cannot be used together: global pruning ranks single "
                + "weights across layers, block sparsity ranks blocks within one")
        let globalNM = #expect(throws: PruningError.self) { try PruningPolicy(schedule: schedule, nmSparsity: nm, scope: .global) }
        guard case .incompatibleOptions(["nmSparsity", "scope: .global"], _)? = globalNM else {
            Issue.record("m-by-n with global scope: \(String(describing: globalNM))")
            return
        }
        // Each pattern on its own is fine.
        #expect(try PruningPolicy(schedule: schedule, blockSparsity: blocks).blockSparsity == blocks)
        #expect(try PruningPolicy(schedule: schedule, nmSparsity: nm).nmSparsity == nm)
        #expect(try PruningPolicy(schedule: schedule, scope: .global).scope == .global)
    }

    @Test func layerNamesMustNameEachLayerOnce() throws {
        let schedule = try ConstantSparsity(targetSparsity: 0.5, beginStep: 0)
        #expect(throws: PruningError.invalidLayerNames([], reason: "it is empty; give nil to prune every prunable layer")) {
            try PruningPolicy(schedule: schedule, layerNames: [])
        }
        #expect(throws: PruningError.invalidLayerNames(["dense", "conv2d", "dense"], reason: "dense is named twice")) {
            try smallCNN().built([12, 12, 1]).pruned(with: schedule, layers: ["dense", "conv2d", "dense"])
        }
    }

    @Test func aModelFileWithAConflictingPolicyIsMalformed() throws {
        let schedule = try ConstantSparsity(targetSparsity: 0.5, beginStep: 0)
        let model = try smallCNN().built([12, 12, 1])
            .pruned(try PruningPolicy(schedule: schedule, layerNames: ["dense"], blockSparsity: try BlockSparsity(rows: 1, columns: 2)))
        let directory = try TemporaryDirectory()
        let path = directory.path("model.prunekit")
        try model.save(to: path)
        let (header, payload) = try ModelFileFormat.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: path))), path: path)
        let edited = String(decoding: header, as: UTF8.self).replacingOccurrences(of: #""scope":"perLayer""#, with: #""scope":"global""#)
        #expect(edited != String(decoding: header, as: UTF8.self))
        try directory.write(ModelFileFormat.encode(header: Array(edited.utf8), payload: Array(payload)), to: "model.prunekit")
        let error = #expect(throws: CheckpointError.self) { try Sequential.load(from: path) }
        guard case .malformedHeader(path, let detail)? = error else {
            Issue.record("conflicting policy in a file: \(String(describing: error))")
            return
        }
        #expect(detail.hasPrefix("pruning policy: blockSparsity and scope: .global cannot be used together"))
    }
}
