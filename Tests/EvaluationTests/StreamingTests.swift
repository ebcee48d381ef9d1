import Foundation
import ImageIO
import Metrics
import SegevalTestSupport
import Testing
@testable import Evaluation

/// The streaming evaluator: order, windows, shards.
@Suite("Streaming evaluation and shards")
struct StreamingTests {
    let tree = TemporaryTree()

    /// Three models of 23 random slices (one model lacks two), sizes 5x7.
    func makeJobs() throws -> [ModelJob] {
        var generator = SplitMix64(seed: 42)
        for index in 0..<23 {
            let name = "\(index).png"
            tree.gray("GT/\(name)", width: 5, height: 7, (0..<35).map { _ in UInt8.random(in: 0...1, using: &generator) * 255 })
            for model in ["A", "B", "C"] where !(model == "B" && index % 11 == 3) {
                tree.gray("Pred/\(model)/\(name)", width: 5, height: 7, (0..<35).map { _ in UInt8.random(in: 0...255, using: &generator) })
            }
        }
        return try LayoutResolver(predictionRoot: tree.path("Pred"), groundTruthRoot: tree.path("GT")).resolve()
    }

    @Test("each job sees its pairs in its own order; groups share a ground truth across models")
    func order() throws {
        let jobs = try makeJobs()
        let groups = Evaluator.groups(jobs)
        #expect(groups.count == 23)
        #expect(groups.allSatisfy { group in Set(group.map(\.pair.groundTruth)).count == 1 })
        var seen = Array(repeating: [String](), count: jobs.count)
        _ = try Evaluator(windowSize: 4).run(jobs, consume: { job, scores in seen[job].append(scores.name) })
        #expect(seen == jobs.map { $0.pairs.map(\.name) })
        #expect(seen[1].count == 21)
    }

    @Test("any window size and any sharding, merged in any order, give bit-identical summaries")
    func shardsMergeExactly() throws {
        let jobs = try makeJobs()
        for evaluationProtocol in [EvaluationProtocol.infnet, .standard] {
            let whole = try Evaluator(protocol: evaluationProtocol, computesWeightedFMeasure: true, windowSize: 1000).run(jobs)
            for (count, window) in [(1, 1), (2, 3), (3, 64), (5, 2), (23, 1), (30, 7)] {
                var merged: [ModelResult]?
                var names = Array(repeating: Array(repeating: [String](), count: jobs.count), count: count)
                for index in (0..<count).reversed() {
                    let part = try Evaluator(protocol: evaluationProtocol, computesWeightedFMeasure: true, windowSize: window)
                        .run(jobs, shard: try Shard(index: index, count: count), consume: { job, scores in names[index][job].append(scores.name) })
                    if merged == nil {
                        merged = part
                    } else {
                        for job in part.indices { merged![job].merge(part[job], protocol: evaluationProtocol) }
                    }
                }
                for (a, b) in zip(whole, merged!) {
                    #expect(a.summary == b.summary, "\(count) shards, window \(window)")
                    #expect(a.imageCount == b.imageCount)
                }
                // Shards are contiguous runs in order: concatenated in shard order, each job's images in its order.
                let concatenated = jobs.indices.map { job in names.flatMap { $0[job] } }
                #expect(concatenated == jobs.map { $0.pairs.map(\.name) })
            }
        }
    }

    @Test func shardArithmetic() throws {
        for total in [0, 1, 7, 100] {
            for count in 1...9 {
                let ranges = try (0..<count).map { try Shard(index: $0, count: count).range(of: total) }
                #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == total)
                for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
                #expect(ranges.map(\.count).max()! - ranges.map(\.count).min()! <= 1)
            }
        }
        #expect(try Shard(parsing: "3/8") == Shard(index: 3, count: 8))
        #expect(throws: EvaluationError.self) { try Shard(parsing: "8/8") }
        #expect(throws: EvaluationError.self) { try Shard(parsing: "-1/8") }
        #expect(throws: EvaluationError.self) { try Shard(parsing: "1/0") }
        #expect(throws: EvaluationError.self) { try Shard(parsing: "1") }
        #expect(throws: EvaluationError.self) { try Shard(parsing: "1/2/3") }
    }
}
