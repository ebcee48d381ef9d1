import Foundation
import ImageIO
import SegevalTestSupport
import Testing
@testable import Evaluation

@Suite("Folder layouts")
struct LayoutTests {
    let tree = TemporaryTree()

    func mask(_ relative: String) { tree.gray(relative, width: 2, height: 2, [255, 0, 0, 0]) }
    func map(_ relative: String) { tree.gray(relative, width: 2, height: 2, [200, 10, 0, 0]) }

    @Test("a folder of PNGs is one model named after the folder, in byte-wise (MATLAB dir) order")
    func singleModel() throws {
        for name in ["6", "18", "60", "7"] { mask("GT/\(name).png"); map("Pred/MyNet/\(name).png") }
        let jobs = try LayoutResolver(predictionRoot: tree.path("Pred/MyNet"), groundTruthRoot: tree.path("GT")).resolve()
        #expect(jobs.count == 1)
        #expect(jobs[0].model == "MyNet")
        #expect(jobs[0].pairs.map(\.name) == ["18.png", "6.png", "60.png", "7.png"])
    }

    @Test("a folder of folders is one model each; --gt may name the test-set folder holding GT/")
    func models() throws {
        for name in ["1", "2"] {
            mask("Set/GT/\(name).png")
            map("Pred/B/\(name).png")
            map("Pred/A/\(name).png")
        }
        let jobs = try LayoutResolver(predictionRoot: tree.path("Pred"), groundTruthRoot: tree.path("Set")).resolve()
        #expect(jobs.map(\.model) == ["A", "B"])
        #expect(jobs[0].pairs[0].groundTruth.path == tree.path("Set/GT/1.png"))
    }

    @Test("class folders: GT-k when present, else the label map GT/ (== k); GGO before consolidation")
    func classes() throws {
        map("Pred/Consolidation/M/1.png")
        map("Pred/Ground-glass opacities/M/1.png")
        map("Pred/class_12/1.png")             // beside the classes, as in the authors' tree
        mask("Set/GT-1/1.png")
        tree.png("Set/GT/1.png", DecodedImage(width: 2, height: 2, bitDepth: 8, colorKind: .palette,
                                              samples: .uint8([2, 1, 0, 0]), palette: [0, 0, 0, 255, 0, 0, 0, 255, 0]))
        let jobs = try LayoutResolver(predictionRoot: tree.path("Pred"), groundTruthRoot: tree.path("Set")).resolve()
        #expect(jobs.map(\.className) == ["Ground-glass opacities", "Consolidation"])
        #expect(jobs[0].pairs[0].groundTruth == GroundTruthSource(path: tree.path("Set/GT-1/1.png"), label: nil))
        #expect(jobs[1].pairs[0].groundTruth == GroundTruthSource(path: tree.path("Set/GT/1.png"), label: 2))
        // The ignored class_12/ is said of the prediction tree, not of a model (issue 14).
        let resolution = try LayoutResolver(predictionRoot: tree.path("Pred"), groundTruthRoot: tree.path("Set")).resolution()
        #expect(resolution.notes.contains { $0.contains("class_12") })
        #expect(!resolution.jobs.contains { $0.notes.contains { $0.contains("class_12") } })
        let results = try Evaluator().runKeepingImages(jobs)
        #expect(results[1].images[0].groundTruthForeground == 1)   // label 2 at pixel 0 only
    }

    @Test("--class maps an unknown class folder; without it the error says how")
    func classOverride() throws {
        map("Pred/Lesion/M/1.png")
        mask("Set/GT-3/1.png")
        #expect(throws: EvaluationError.self) {
            try LayoutResolver(predictionRoot: tree.path("Pred"), groundTruthRoot: tree.path("Set"), forcedLayout: .classes).resolve()
        }
        let jobs = try LayoutResolver(predictionRoot: tree.path("Pred"), groundTruthRoot: tree.path("Set"),
                                      classLabels: ["lesion": 3]).resolve()
        #expect(jobs.count == 1 && jobs[0].classLabel == 3)
    }

    @Test("missing ground truths: an error listing them (first 10 + count), or skipped with --skip-missing")
    func missing() throws {
        mask("GT/0.png")
        for index in 0..<13 { map("Pred/M/\(index).png") }
        do {
            _ = try LayoutResolver(predictionRoot: tree.path("Pred/M"), groundTruthRoot: tree.path("GT")).resolve()
            Issue.record("no error")
        } catch {
            #expect(error.message.contains("12 prediction(s) have no ground truth"))
            #expect(error.message.contains("1.png, 10.png, 11.png"))
            #expect(error.message.contains("and 2 more"))
            #expect(error.message.contains("--skip-missing"))
        }
        let jobs = try LayoutResolver(predictionRoot: tree.path("Pred/M"), groundTruthRoot: tree.path("GT"), skipMissing: true).resolve()
        #expect(jobs[0].pairs.count == 1)
        #expect(jobs[0].skipped.count == 12)
    }

    @Test("upper-case .PNG, spaces and non-ASCII names are evaluated; the toolbox difference is noted")
    func names() throws {
        for name in ["slice 1.PNG", "Lunge-ß ü.png", "正常.png"] {
            mask("GT/\(name)")
            map("Pred/M/\(name)")
        }
        let jobs = try LayoutResolver(predictionRoot: tree.path("Pred/M"), groundTruthRoot: tree.path("GT")).resolve()
        #expect(jobs[0].pairs.count == 3)
        #expect(jobs[0].notes.contains { $0.contains("upper-case") && $0.contains("slice 1.PNG") })
        let results = try Evaluator().runKeepingImages(jobs)
        #expect(results[0].images.map(\.name).sorted() == ["Lunge-ß ü.png", "slice 1.PNG", "正常.png"].sorted())
    }

    @Test("21.png and 21.PNG in one prediction folder would score GT 21.png twice: an error naming both")
    func sameSliceTwice() throws {
        mask("GT/21.png")
        mask("GT/22.png")
        map("Pred/M/21.png")
        map("Pred/M/21.PNG")
        map("Pred/M/22.png")
        #expect(throws: EvaluationError("\(tree.path("Pred/M")): 21.PNG and 21.png would both be scored against the ground truth 21.png, counting that slice twice; remove or rename one of them")) {
            _ = try LayoutResolver(predictionRoot: tree.path("Pred/M"), groundTruthRoot: tree.path("GT")).resolve()
        }
    }

    @Test("--layout models forced on a class tree is an error naming the class folders, not a silent drop")
    func forcedModelsOnClassTree() throws {
        mask("Set/GT-1/1.png")
        map("Pred/Ground-glass opacities/Net/1.png")
        map("Pred/Other/1.png")
        #expect(throws: EvaluationError("\(tree.path("Pred")): Ground-glass opacities hold(s) folders of maps, not maps: a class tree, which --layout models would leave out; use --layout classes (or auto)")) {
            try LayoutResolver(predictionRoot: tree.path("Pred"), groundTruthRoot: tree.path("Set/GT-1"), forcedLayout: .models).resolve()
        }
    }

    @Test("JPEG predictions are named when no PNG map is found")
    func jpegPredictions() throws {
        mask("GT/1.png")
        tree.bytes("Pred/M/1.jpg", [0xFF, 0xD8, 0xFF])
        tree.bytes("Pred/M/2.JPEG", [0xFF, 0xD8, 0xFF])
        do {
            _ = try LayoutResolver(predictionRoot: tree.path("Pred"), groundTruthRoot: tree.path("GT")).resolve()
            Issue.record("a folder of JPEGs was accepted")
        } catch {
            #expect(error.message.contains("found 2 JPEG file(s) (M/1.jpg, M/2.JPEG): prediction maps must be PNG"), "\(error)")
        }
        #expect(throws: EvaluationError.self) {
            try LayoutResolver(predictionRoot: tree.path("Pred/M"), groundTruthRoot: tree.path("GT"), forcedLayout: .singleModel).resolve()
        }
    }

    @Test("empty and missing folders are errors naming the folder")
    func emptyFolders() throws {
        try FileManager.default.createDirectory(atPath: tree.path("Empty"), withIntermediateDirectories: true)
        mask("GT/1.png")
        #expect(throws: EvaluationError.self) {
            try LayoutResolver(predictionRoot: tree.path("Empty"), groundTruthRoot: tree.path("GT")).resolve()
        }
        do {
            _ = try LayoutResolver(predictionRoot: tree.path("Nope"), groundTruthRoot: tree.path("GT")).resolve()
            Issue.record("a missing prediction folder was accepted")
        } catch {
            #expect(error.message == "\(tree.path("Nope")): prediction folder not found (--pred)")
        }
        // A file where a folder is wanted is called a file, not "not found".
        #expect(throws: EvaluationError("\(tree.path("GT/1.png")): prediction folder is a file, not a folder (--pred)")) {
            try LayoutResolver(predictionRoot: tree.path("GT/1.png"), groundTruthRoot: tree.path("GT")).resolve()
        }
        #expect(throws: EvaluationError("\(tree.path("GT/1.png")): ground-truth folder is a file, not a folder (--gt)")) {
            try LayoutResolver(predictionRoot: tree.path("Empty"), groundTruthRoot: tree.path("GT/1.png")).resolve()
        }
        // A forced single-model layout on a folder without PNGs is an error, not a row of NaN.
        try FileManager.default.createDirectory(atPath: tree.path("Nested/Model"), withIntermediateDirectories: true)
        map("Nested/Model/1.png")
        #expect(throws: EvaluationError("\(tree.path("Nested")): no PNG prediction maps in this folder")) {
            try LayoutResolver(predictionRoot: tree.path("Nested"), groundTruthRoot: tree.path("GT"), forcedLayout: .singleModel).resolve()
        }
        map("Pred/1.png")
        try FileManager.default.createDirectory(atPath: tree.path("EmptyGT"), withIntermediateDirectories: true)
        #expect(throws: EvaluationError.self) {
            try LayoutResolver(predictionRoot: tree.path("Pred"), groundTruthRoot: tree.path("EmptyGT")).resolve()
        }
    }

    @Test("an unreadable prediction stops the run with its name")
    func unreadable() throws {
        mask("GT/1.png"); mask("GT/2.png")
        map("Pred/M/1.png")
        tree.bytes("Pred/M/2.png", Array("GIF89a, not a PNG at all".utf8))
        let jobs = try LayoutResolver(predictionRoot: tree.path("Pred/M"), groundTruthRoot: tree.path("GT")).resolve()
        do {
            _ = try Evaluator().runKeepingImages(jobs)
            Issue.record("no error")
        } catch {
            #expect(error.message.contains(tree.path("Pred/M/2.png")))
            #expect(error.message.contains("not a PNG"))
        }
    }
}
