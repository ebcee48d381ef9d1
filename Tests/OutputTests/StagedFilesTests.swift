import Foundation
import SegevalTestSupport
import Testing
import Output

@Suite("Files staged and committed all or nothing")
struct StagedFilesTests {
    let tree = TemporaryTree()
    var folder: String { tree.root }

    func contents() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder).sorted() }
    func text(_ name: String) throws -> String { try String(contentsOfFile: folder + "/" + name, encoding: .utf8) }

    @Test("nothing is in place before commit; commit puts every file in place and leaves no temporary file")
    func commit() throws {
        try AtomicFile.write("old", to: folder + "/a.txt")
        let staged = StagedFiles(folder: folder)
        try staged.stage(Array("new a".utf8), as: "a.txt")
        try staged.stage(Array("new b".utf8), as: "b.txt")
        #expect(try text("a.txt") == "old")
        #expect(!FileManager.default.fileExists(atPath: folder + "/b.txt"))
        #expect(staged.destinations == [folder + "/a.txt", folder + "/b.txt"])
        try staged.commit()
        #expect(try contents() == ["a.txt", "b.txt"])
        #expect(try text("a.txt") == "new a" && text("b.txt") == "new b")
    }

    @Test("discarding, or releasing without commit, removes the temporary files and touches nothing")
    func discard() throws {
        try AtomicFile.write("old", to: folder + "/a.txt")
        do {
            let staged = StagedFiles(folder: folder)
            try staged.stage(Array("new".utf8), as: "a.txt")
            #expect(try contents().count == 2)   // a.txt and the hidden temporary file
        }
        #expect(try contents() == ["a.txt"])
        let staged = StagedFiles(folder: folder)
        try staged.stage(Array("new".utf8), as: "c.txt")
        staged.discard()
        try staged.commit()   // nothing left to commit
        #expect(try contents() == ["a.txt"])
        #expect(try text("a.txt") == "old")
    }

    @Test("a name as long as the file system allows is staged and committed (the temporary name is short)")
    func longNames() throws {
        let name = String(repeating: "a", count: 251) + ".png"
        let staged = StagedFiles(folder: folder)
        try staged.stage(Array("x".utf8), as: name)
        try staged.commit()
        #expect(try contents() == [name])
    }

    @Test("a destination that is a folder, or a name staged twice, is refused when staged")
    func refusals() throws {
        try FileManager.default.createDirectory(atPath: folder + "/table.md", withIntermediateDirectories: true)
        let staged = StagedFiles(folder: folder)
        try staged.stage(Array("x".utf8), as: "x.txt")
        #expect(throws: OutputError(path: folder + "/table.md", reason: .isAFolder)) {
            try staged.stage(Array("y".utf8), as: "table.md")
        }
        #expect(throws: OutputError(path: folder + "/X.txt", reason: .writtenTwice)) {
            try staged.stage(Array("z".utf8), as: "X.txt")
        }
        // Too long a name is refused when staged, so that commit cannot fail on it half-way.
        let long = String(repeating: "b", count: 252) + ".png"
        #expect(throws: OutputError(path: folder + "/" + long, reason: .nameTooLong(256))) {
            try staged.stage(Array("w".utf8), as: long)
        }
        let missing = StagedFiles(folder: folder + "/missing")
        #expect(throws: OutputError(path: folder + "/missing/x.txt", reason: .folderMissing("\(folder)/missing"))) {
            try missing.stage(Array("x".utf8), as: "x.txt")
        }
    }
}
