import Foundation
import Files
import ImageIO
import SegevalTestSupport
import Testing

/// Only regular files are read; FIFOs, broken and looping links are named, never opened
/// (a FIFO named `18.png` used to block the read forever).
@Suite("Regular files only")
struct RegularFileTests {
    let tree = TemporaryTree()

    func make() throws {
        tree.gray("dir/ok.png", width: 2, height: 2, [0, 255, 255, 0])
        #expect(mkfifo(tree.path("dir/fifo.png"), 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: tree.path("dir/broken.png"), withDestinationPath: tree.path("dir/gone.png"))
        try FileManager.default.createSymbolicLink(atPath: tree.path("dir/a.png"), withDestinationPath: tree.path("dir/b.png"))
        try FileManager.default.createSymbolicLink(atPath: tree.path("dir/b.png"), withDestinationPath: tree.path("dir/a.png"))
        try FileManager.default.createSymbolicLink(atPath: tree.path("dir/link.png"), withDestinationPath: tree.path("dir/ok.png"))
    }

    @Test("each kind is named by every reader, without blocking")
    func named() throws {
        try make()
        let cases = [("fifo.png", "a FIFO (named pipe)"), ("broken.png", "a broken link"), ("a.png", "a link that loops back on itself"),
                     ("missing.png", "no such file"), ("", "a folder, not a file")]
        for (name, reason) in cases {
            let path = tree.path("dir/" + name)
            for read in [{ _ = try ImageReader.read(path: path) }, { _ = try PNGCodec.read(path: path) }, { _ = try JPEGCodec.read(path: path) }] as [() throws -> Void] {
                do {
                    try read()
                    Issue.record("\(name) was read")
                } catch let error as FileError {
                    #expect(error.reason.hasPrefix(reason), "\(name): \(error)")
                }
            }
        }
        // A link to a regular file is read through.
        #expect(try ImageReader.read(path: tree.path("dir/link.png")).width == 2)
    }

    @Test("folder listings keep broken links and FIFOs named *.png, so that reading names them")
    func listed() throws {
        try make()
        #expect(FolderListing.pngFiles(in: tree.path("dir")) == ["a.png", "b.png", "broken.png", "fifo.png", "link.png", "ok.png"])
    }
}
