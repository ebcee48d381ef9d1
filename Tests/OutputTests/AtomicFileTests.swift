import Foundation
import Output
import SegevalTestSupport
import Testing

@Suite("Atomic file writes")
struct AtomicFileTests {
    @Test("atomic writes replace the file whole and leave no temporary file; a missing folder is an error")
    func atomicWrite() throws {
        let tree = TemporaryTree()
        let folder = tree.root
        try AtomicFile.write("first", to: folder + "/out.txt")
        try AtomicFile.write("second", to: folder + "/out.txt")
        #expect(try String(contentsOfFile: folder + "/out.txt", encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["out.txt"])
        do {
            try AtomicFile.write("x", to: folder + "/missing/out.txt")
            Issue.record("no error")
        } catch {
            #expect(error.reason.description.contains("does not exist"))
        }
    }
}
