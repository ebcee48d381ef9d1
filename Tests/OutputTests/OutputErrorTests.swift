import Output
import Testing

/// The words users read when an output cannot be written (they name the path and the cause).
@Suite("Output errors worded")
struct OutputErrorTests {
    @Test("every reason's sentence, after the path")
    func sentences() {
        let expected: [(OutputError.Reason, String)] = [
            (.notAFolder, "exists and is not a folder"),
            (.cannotCreateFolder("Permission denied"), "cannot create the folder (Permission denied)"),
            (.writtenTwice, "would be written twice (names that differ only in letter case are one file on macOS)"),
            (.isAFolder, "is a folder; cannot write a file there"),
            (.folderMissing("/x/missing"), "the folder /x/missing does not exist"),
            (.interrupted, "not written: interrupted"),
            (.cannotWrite("No space left on device"), "cannot write: No space left on device"),
            (.cannotReplace("Permission denied"), "cannot replace file: Permission denied"),
            (.nameTooLong(300), "the file name is 300 bytes long, more than the 255 a file name may have"),
            (.isAnInput("--gt folder GT"), "is the --gt folder GT; an output never replaces an input: choose another path"),
            (.insideAnInput("--gt folder GT"), "is inside the --gt folder GT; segeval never writes into an input folder: choose another path"),
        ]
        for (reason, sentence) in expected {
            #expect(OutputError(path: "/x/a.png", reason: reason).description == "/x/a.png: " + sentence)
        }
    }
}
