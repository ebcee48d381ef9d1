import Foundation
import SegevalTestSupport
import Testing
import Output

@Suite("Output folders created, and removed again after a failure")
struct FolderCreationTests {
    let tree = TemporaryTree()

    @Test("a path through a folder that does not exist yet resolves as the kernel will resolve it")
    func resolution() throws {
        try FileManager.default.createDirectory(atPath: tree.path("Imgs"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: tree.path("link"), withDestinationPath: tree.path("Imgs"))
        let root = URL(fileURLWithPath: tree.root).resolvingSymlinksInPath().path
        #expect(FolderCreation.resolved(tree.path("new/../Imgs")) == root + "/Imgs")
        #expect(FolderCreation.resolved(tree.path("link/./maps")) == root + "/Imgs/maps")
        #expect(FolderCreation.resolved(tree.path("a/b/../c")) == root + "/a/c")
        // Nothing is created for an existing folder, whatever the path; `path` leads there.
        let existing = try FolderCreation.create(tree.path("new/../Imgs"))
        #expect(existing.created.isEmpty && existing.path == root + "/Imgs")
        #expect(!FileManager.default.fileExists(atPath: tree.path("new")))
    }

    @Test("the folders created are listed and removed while empty; a folder with a file stays")
    func removal() throws {
        let creation = try FolderCreation.create(tree.path("a/b/c"))
        let root = URL(fileURLWithPath: tree.root).resolvingSymlinksInPath().path
        #expect(creation.created == [root + "/a", root + "/a/b", root + "/a/b/c"])
        #expect(creation.path == tree.path("a/b/c"))
        tree.bytes("a/keep.txt", [1])
        creation.removeIfEmpty()
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.path("a")) == ["keep.txt"])
        tree.bytes("file", [1])
        #expect(throws: OutputError(path: tree.path("file"), reason: .notAFolder)) {
            _ = try FolderCreation.create(tree.path("file"))
        }
        // Through a file: said so, in our words (no "NSCocoaErrorDomain error 512"), nothing created.
        let root2 = URL(fileURLWithPath: tree.root).resolvingSymlinksInPath().path
        #expect(throws: OutputError(path: tree.path("file/x/y"), reason: .cannotCreateFolder("\(root2)/file is a file, not a folder"))) {
            _ = try FolderCreation.create(tree.path("file/x/y"))
        }
    }
}
