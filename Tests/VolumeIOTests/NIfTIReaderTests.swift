import Foundation
import SegevalTestSupport
import Testing
@testable import VolumeIO

@Suite("NIfTI volumes (nifticlib), read as untrusted input")
struct NIfTIReaderTests {
    let tree = TemporaryTree()

    func write(_ file: NIfTIFile, _ name: String, gzip: Bool = false) throws -> String {
        tree.bytes(name, file.bytes)
        guard gzip else { return tree.path(name) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-n", tree.path(name)]
        try process.run()
        process.waitUntilExit()
        return tree.path(name + ".gz")
    }

    static let labels: [UInt8] = [0, 1, 2, 0, 1, 1, 0, 0, 2, 2, 1, 0]   // 3 x 2 x 2

    @Test("NIfTI-1 uint8 labels, .nii and .nii.gz: values in x-fastest order, pixdim's float32 widened exactly, affine from pixdim")
    func littleEndianLabels() throws {
        var file = NIfTIFile()
        file.setData(Self.labels)
        for gzip in [false, true] {
            let volume = try NIfTIReader.read(path: try write(file, gzip ? "z.nii" : "a.nii", gzip: gzip))
            #expect(volume.format == "NIfTI-1")
            #expect(volume.size == [3, 2, 2])
            #expect(volume.samples == .bytes(Self.labels))
            #expect(volume.spacing == [Double(Float(0.7)), Double(Float(0.8)), 1.5])
            #expect(volume.spacing[0] == 0.699999988079071)
            #expect(volume.orientationSource == .pixdim)
            #expect(volume.affine[0][0] == Double(Float(0.7)) && volume.affine[2][2] == 1.5 && volume.affine[3][3] == 1)
            #expect(volume.notes.isEmpty)
        }
    }

    @Test("big-endian int16 with a header extension (vox_offset 384) and scl_slope/scl_inter: a probability map slope * raw + inter")
    func bigEndianScaledWithExtension() throws {
        var file = NIfTIFile()
        file.bigEndian = true
        file.datatype = 4
        file.bitpix = 16
        file.extensionBytes = 32
        file.slope = 0.5
        file.intercept = -1
        let raw: [Int16] = [0, 2, 4, -6, 300, 2, 0, 0, 1, 2, 3, 4]
        file.setData(raw)
        let volume = try NIfTIReader.read(path: try write(file, "be.nii"))
        #expect(volume.samples == .probabilities(raw.map { 0.5 * Double($0) - 1 }))
        // Scale (1, 0) is no scaling: the integers stay a label map.
        file.slope = 1
        file.intercept = 0
        #expect(try NIfTIReader.read(path: try write(file, "be1.nii")).samples == .labels(raw.map(Int32.init)))
    }

    @Test("NIfTI-2 float64 and float32 maps; sform chosen when its code is set")
    func niftiTwo() throws {
        var file = NIfTIFile()
        file.version = 2
        file.datatype = 64
        file.bitpix = 64
        file.pixdim = [1, 0.7, 0.8, 1.5]
        file.sformCode = 1
        file.srow = [[-0.7, 0, 0, 10], [0, 0.8, 0, -20], [0, 0, 1.5, 30]]
        let values = (0..<12).map { Double($0) / 11 }
        file.setData(values.map(\.bitPattern))
        let volume = try NIfTIReader.read(path: try write(file, "two.nii"))
        #expect(try NIfTIReader.read(path: try write(file, "two-gz.nii", gzip: true)).samples == volume.samples)
        #expect(volume.format == "NIfTI-2")
        #expect(volume.samples == .probabilities(values))
        #expect(volume.spacing == [0.7, 0.8, 1.5])   // NIfTI-2 pixdim is float64: no widening
        #expect(volume.orientationSource == .sform)
        #expect(volume.affine[0] == [-0.7, 0, 0, 10] && volume.affine[1] == [0, 0.8, 0, -20])

        file.version = 1
        file.datatype = 16
        file.bitpix = 32
        let floats: [Float] = values.map(Float.init)
        file.setData(floats.map(\.bitPattern))
        #expect(try NIfTIReader.read(path: try write(file, "f32.nii")).samples == .floats(floats))
    }

    @Test("2-D files and trailing sizes of 1 are volumes with nz = 1 or as stored; a 4-D series is refused")
    func dimensions() throws {
        var file = NIfTIFile()
        file.dims = [2, 6, 2]
        file.setData(Self.labels)
        #expect(try NIfTIReader.read(path: try write(file, "flat.nii")).size == [6, 2, 1])
        file.dims = [4, 3, 2, 2, 1]
        #expect(try NIfTIReader.read(path: try write(file, "t1.nii")).size == [3, 2, 2])
        file.dims = [4, 3, 2, 1, 2]
        expectError("only 2-D and 3-D volumes") { _ = try NIfTIReader.read(path: try write(file, "t2.nii")) }
    }

    @Test("spacing: a negative pixdim taken positive, metres converted to mm, each said in notes")
    func spacingRules() throws {
        var file = NIfTIFile()
        file.pixdim = [1, -0.5, 0.8, 2]
        file.xyzUnits = 1
        file.setData(Self.labels)
        let volume = try NIfTIReader.read(path: try write(file, "neg.nii"))
        #expect(volume.spacing == [500, Double(Float(0.8)) * 1000, 2000])
        #expect(volume.notes.count == 2 && volume.notes[0].contains("pixdim[1] = -0.5") && volume.notes[1].contains("metres"))
    }

    @Test("refused with a reason naming the file: not NIfTI, complex voxels, truncated data, too many voxels, labels beyond Int32, a FIFO")
    func refusals() throws {
        tree.bytes("png.nii", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 400))
        expectError("not a NIfTI-1 or NIfTI-2 file") { _ = try NIfTIReader.read(path: tree.path("png.nii")) }
        tree.bytes("short.nii", [0x5C, 0x01])
        expectError("shorter than a header") { _ = try NIfTIReader.read(path: tree.path("short.nii")) }

        var file = NIfTIFile()
        file.datatype = 32
        file.bitpix = 64
        file.data = [UInt8](repeating: 0, count: 12 * 8)
        expectError("complex64 is not read") { _ = try NIfTIReader.read(path: try write(file, "c.nii")) }

        file = NIfTIFile()
        file.setData(Array(Self.labels.prefix(7)))
        expectError("shorter than its header says") { _ = try NIfTIReader.read(path: try write(file, "trunc.nii")) }

        file = NIfTIFile()
        file.dims = [3, 30000, 30000, 30000]
        file.setData(Self.labels)
        expectError("over the limit of \(VolumeLimits.maxVoxels) voxels") { _ = try NIfTIReader.read(path: try write(file, "huge.nii")) }

        file = NIfTIFile()
        file.datatype = 768
        file.bitpix = 32
        file.setData([UInt32](repeating: 1, count: 11) + [3_000_000_000])
        expectError("label 3000000000 at voxel 11") { _ = try NIfTIReader.read(path: try write(file, "big.nii")) }

        // dim[0] out of 1...7 never reaches nifticlib, which would use it as a loop bound over its
        // 8-element arrays on the stack (the nifti fuzz target's first finding: a NIfTI-2 header
        // with dim[0] = 0x4300000003; NIfTI-1 has the same loops).
        for version in [1, 2] {
            file = NIfTIFile()
            file.version = version
            file.dims = [version == 2 ? 0x43_0000_0003 : 300, 3, 0, 0]
            file.setData(Self.labels)
            expectError("not 1 to 7 dimensions") { _ = try NIfTIReader.read(path: try write(file, "rank\(version).nii")) }
        }
        // A vox_offset far beyond any header extension (nifticlib would allocate that much first).
        var offsetBytes = NIfTIFile()
        offsetBytes.setData(Self.labels)
        var far = offsetBytes.bytes
        withUnsafeBytes(of: Float(1.4e9).bitPattern.littleEndian) { far.replaceSubrange(108..<112, with: $0) }
        tree.bytes("far.nii", far)
        expectError("vox_offset = 1400000000.0") { _ = try NIfTIReader.read(path: tree.path("far.nii")) }

        file = NIfTIFile()
        file.version = 2
        file.setData(Self.labels)
        tree.bytes("cut2.nii", Array(file.bytes.prefix(300)))
        expectError("shorter than its 540-byte header") { _ = try NIfTIReader.read(path: tree.path("cut2.nii")) }

        #expect(mkfifo(tree.path("fifo.nii"), 0o600) == 0)
        expectError("fifo.nii") { _ = try NIfTIReader.read(path: tree.path("fifo.nii")) }
    }
}

/// Expects `body` to throw an error whose description contains `phrase`.
func expectError(_ phrase: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("no error; expected one saying '\(phrase)'", sourceLocation: sourceLocation)
    } catch {
        #expect("\(error)".contains(phrase), "\(error)", sourceLocation: sourceLocation)
    }
}
