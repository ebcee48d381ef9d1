import Foundation
import SegevalTestSupport
import Testing

/// `--shard i/n` and `segeval merge`: n shards run at once, merged, equal a single run byte for byte.
@Suite("segeval --shard and merge (command line)")
struct ShardMergeTests {
    let tree = TemporaryTree()

    /// Two classes (GT-k folders) of two models, 17 random slices, one of them resized, one model
    /// lacking a slice; some GTs empty (undefined values and findings to merge).
    func makeData() {
        var generator = SplitMix64(seed: 9)
        for index in 0..<17 {
            let name = String(format: "s%02d.png", index)
            for label in [1, 2] {
                let empty = index % 5 == 0 && label == 2
                tree.gray("Set/GT-\(label)/\(name)", width: 6, height: 5,
                          (0..<30).map { _ in empty ? 0 : UInt8.random(in: 0...1, using: &generator) * 255 })
                for model in ["Net1", "Net2"] where !(model == "Net2" && index == 4) {
                    let className = label == 1 ? "Ground-glass opacities" : "Consolidation"
                    if index == 7 && model == "Net1" {
                        tree.gray("Pred/\(className)/\(model)/\(name)", width: 3, height: 5, (0..<15).map { _ in UInt8.random(in: 0...255, using: &generator) })
                    } else {
                        tree.gray("Pred/\(className)/\(model)/\(name)", width: 6, height: 5, (0..<30).map { _ in UInt8.random(in: 0...255, using: &generator) })
                    }
                }
            }
        }
    }

    func contents(_ folder: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            result[name] = FileManager.default.contents(atPath: folder + "/" + name)
        }
        return result
    }

    /// Runs `arguments` for every shard at once (separate processes).
    func runShards(_ count: Int, _ arguments: @escaping @Sendable (Int) -> [String]) throws -> [CommandRunner.Outcome] {
        let outcomes = OutcomeSlots(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            outcomes.set(index, Result { try CommandRunner.run(arguments(index)) })
        }
        return try outcomes.values.map { try $0!.get() }
    }

    @Test("2, 4 and 5 shards run in parallel (1 to 3 threads each) and merged in any order give a single run's files, byte for byte")
    func shardsMergeToTheSingleRun() throws {
        makeData()
        let common = ["--pred", tree.path("Pred"), "--gt", tree.path("Set")]
        let single = try CommandRunner.run(common + ["--out", tree.path("single"), "--format", "json", "--metrics", "dice,sm,wfm"])
        #expect(single.status == 0, "\(single.standardError)")
        let expected = try contents(tree.path("single"))
        #expect(expected.keys.sorted() == ["curves.csv", "per_image.csv", "summary.csv", "summary.json", "table.md", "table.tex"])
        // --format json prints the summary.json it wrote.
        #expect(Data(single.standardOutput.utf8) == expected["summary.json"])
        // Any number of worker threads: the same bytes.
        for threads in [1, 3] {
            let other = try CommandRunner.run(common + ["--out", tree.path("threads\(threads)"), "--threads", "\(threads)", "--metrics", "dice,sm,wfm", "-q"])
            #expect(other.status == 0, "\(other.standardError)")
            #expect(try contents(tree.path("threads\(threads)")) == expected, "--threads \(threads)")
        }

        for count in [2, 4, 5] {
            let root = tree.root
            let shards = try runShards(count) { index in
                common + ["--shard", "\(index)/\(count)", "--out", "\(root)/parts\(count)/\(index)", "--threads", "\(1 + index % 3)", "-q"]
            }
            for outcome in shards { #expect(outcome.status == 0, "\(outcome.standardError)") }
            let parts = (0..<count).reversed().map { tree.path("parts\(count)/\($0)") }
            let merged = try CommandRunner.run(["merge"] + parts + ["--out", tree.path("merged\(count)"), "--format", "json", "--metrics", "dice,sm,wfm"])
            #expect(merged.status == 0, "\(merged.standardError)")
            #expect(try contents(tree.path("merged\(count)")) == expected, "\(count) shards")
            #expect(merged.standardOutput == single.standardOutput)
            // The same warnings and notes as the single run (the model lacking a slice, the resize, the empty GTs).
            #expect(merged.standardError.replacingOccurrences(of: tree.path("merged\(count)"), with: "OUT")
                    == single.standardError.replacingOccurrences(of: tree.path("single"), with: "OUT"))
        }
        #expect(single.standardError.contains("scored on 16 of the 17 images"))
        #expect(single.standardError.contains("resized in memory"))
    }

    /// The synthetic data, and its `count` shards written one after the other to p/0, p/1, ...
    /// - Returns: the evaluation's common arguments.
    func makeParts(_ count: Int) throws -> [String] {
        makeData()
        let common = ["--pred", tree.path("Pred"), "--gt", tree.path("Set")]
        for index in 0..<count {
            let outcome = try CommandRunner.run(common + ["--shard", "\(index)/\(count)", "--out", tree.path("p/\(index)"), "-q"])
            #expect(outcome.status == 0, "\(outcome.standardError)")
        }
        return common
    }

    @Test("merge refuses a missing or repeated shard, and parts of another run")
    func mergeRefusesWhatDoesNotFit() throws {
        let common = try makeParts(3)
        let missing = try CommandRunner.run(["merge", tree.path("p/0"), tree.path("p/2"), "--out", tree.path("m")])
        #expect(missing.status != 0 && missing.standardError.contains("missing shard(s) 1/3"))
        let twice = try CommandRunner.run(["merge", tree.path("p/0"), tree.path("p/1"), tree.path("p/1"), "--out", tree.path("m")])
        #expect(twice.status != 0 && twice.standardError.contains("given twice"))
        let other = try CommandRunner.run(common + ["--protocol", "standard", "--shard", "1/3", "--out", tree.path("q/1"), "-q"])
        #expect(other.status == 0)
        let mixed = try CommandRunner.run(["merge", tree.path("p/0"), tree.path("q/1"), tree.path("p/2"), "--out", tree.path("m")])
        #expect(mixed.status != 0 && mixed.standardError.contains("not a shard of the same run"))
        let notAPart = try CommandRunner.run(["merge", tree.path("Pred")])
        #expect(notAPart.status != 0 && notAPart.standardError.contains("not a shard's part folder"))
        #expect(!FileManager.default.fileExists(atPath: tree.path("m")))
        let noOut = try CommandRunner.run(common + ["--shard", "0/3"])
        #expect(noOut.status != 0 && noOut.standardError.contains("--out"))
        let badShard = try CommandRunner.run(common + ["--shard", "3/3", "--out", tree.path("x")])
        #expect(badShard.status != 0 && badShard.standardError.contains("below 3"))
    }
}

extension ShardMergeTests {
    @Test("a part folder is untrusted input: malformed, tampered or special files are errors naming them, never a crash or a hang")
    func malformedParts() throws {
        _ = try makeParts(2)
        let partial = tree.path("p/1/partial.json")
        let original = try #require(FileManager.default.contents(atPath: partial))
        let text = String(decoding: original, as: UTF8.self)
        func merge() throws -> CommandRunner.Outcome {
            try CommandRunner.run(["merge", tree.path("p/0"), tree.path("p/1"), "--out", tree.path("m"), "-q"])
        }
        let cases: [(String, Data, String)] = [
            ("garbage", Data("{\"format\": ".utf8), "not a segeval partial result"),
            ("another format version", Data(text.replacingOccurrences(of: "\"version\":1", with: "\"version\":99").utf8), "partial format 99"),
            ("another segeval", Data(text.replacingOccurrences(of: "\"segeval\":\"", with: "\"segeval\":\"0.0.0-").utf8), "run every shard with one version"),
            ("a bad bit pattern", Data(text.replacingOccurrences(of: "\"partials\":[\"", with: "\"partials\":[\"zz").utf8), "is inconsistent"),
            ("a count that does not add up", Data(text.replacingOccurrences(of: "\"entries\":", with: "\"entries\":1").utf8), "is inconsistent"),
        ]
        for (what, data, message) in cases {
            #expect(FileManager.default.createFile(atPath: partial, contents: data), "\(what)")
            let outcome = try merge()
            #expect(outcome.status != 0 && outcome.standardError.contains(message), "\(what): \(outcome.standardError)")
            #expect(!FileManager.default.fileExists(atPath: tree.path("m")), "\(what)")
        }
        #expect(FileManager.default.createFile(atPath: partial, contents: original))
        // A FIFO where a part's rows should be: refused, not read (it would block).
        try FileManager.default.removeItem(atPath: tree.path("p/1/rows-0.csv"))
        #expect(mkfifo(tree.path("p/1/rows-0.csv"), 0o600) == 0)
        let fifo = try merge()
        #expect(fifo.status != 0 && fifo.standardError.contains("rows-0.csv"), "\(fifo.standardError)")
        #expect(!FileManager.default.fileExists(atPath: tree.path("m")))
    }
}

/// Write-once slots for results computed on several threads.
final class OutcomeSlots: @unchecked Sendable {
    private var slots: [Result<CommandRunner.Outcome, any Error>?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result<CommandRunner.Outcome, any Error>) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }
    var values: [Result<CommandRunner.Outcome, any Error>?] { lock.lock(); defer { lock.unlock() }; return slots }
}
