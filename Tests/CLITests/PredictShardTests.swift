import Foundation
import SegevalTestSupport
import Testing

/// `segeval predict --shard i/n`: n jobs writing into one folder give the maps of one run.
@Suite("predict --shard (command line)")
struct PredictShardTests {
    let tree = TemporaryTree()

    @Test("3 shards of the 6 demo slices, run at once into one folder, write the single run's maps byte for byte; an empty shard is a note")
    func shardsWriteTheSingleRunsMaps() throws {
        let root = SharedData.packageRoot
        let common = ["predict", "--images", root + "/fixtures/demo/Imgs", "--weights", root + "/fixtures/cosup-small/weights.safetensors", "--size", "64", "--threads", "1"]
        let single = try CommandRunner.run(common + ["--out", tree.path("single"), "-q"])
        #expect(single.status == 0, "\(single.standardError)")
        let outRoot = tree.path("sharded")
        let slots = OutcomeSlots(count: 3)
        DispatchQueue.concurrentPerform(iterations: 3) { index in
            slots.set(index, Result { try CommandRunner.run(common + ["--out", outRoot, "--shard", "\(index)/3"]) })
        }
        for slot in slots.values {
            let outcome = try slot!.get()
            #expect(outcome.status == 0, "\(outcome.standardError)")
            #expect(outcome.standardError.contains("2 of 6 slices"))
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: tree.path("single")).sorted()
        #expect(names.count == 6)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outRoot).sorted() == names)
        for name in names {
            #expect(FileManager.default.contents(atPath: tree.path("single/\(name)")) == FileManager.default.contents(atPath: outRoot + "/" + name), "\(name)")
        }
        let empty = try CommandRunner.run(common + ["--out", tree.path("empty"), "--shard", "1/13"])
        #expect(empty.status == 0 && empty.standardError.contains("no slices"))
        #expect(!FileManager.default.fileExists(atPath: tree.path("empty")))
        let bad = try CommandRunner.run(common + ["--out", tree.path("bad"), "--shard", "1/x"])
        #expect(bad.status != 0 && bad.standardError.contains("expected i/n"))
    }
}
