import CNIfTI
import Files
import Foundation

/// Reads NIfTI-1 and NIfTI-2 volumes, `.nii` and `.nii.gz`, little- and big-endian, with header
/// extensions, through Debian's nifticlib (`nifti_image_read`, which byte-swaps and honours
/// `vox_offset`). Every file is untrusted:
///
/// - only a regular file is opened (`RegularFile`: no FIFO hangs);
/// - its first four bytes (after gzip) must be a NIfTI-1 or NIfTI-2 `sizeof_hdr` in either byte
///   order before nifticlib sees it (so its ANALYZE and ASCII-header readers never run);
/// - the header is read alone first; dimensions, voxel type and voxel count are checked
///   (overflow-reporting arithmetic, `VolumeLimits.maxVoxels`) before any data is allocated;
/// - 4-D and larger files (time series, vector images) are refused, trailing sizes of 1 are not;
/// - complex, RGB and 128-bit float voxels are refused by name.
///
/// Values: integer voxel types without scaling are a label map (`Volume.Samples.labels`; a value
/// outside Int32 is an error); float types, or any type with `scl_slope` non-zero and finite and
/// (`scl_slope`, `scl_inter`) not (1, 0), are a probability map of doubles, `slope * raw + inter`
/// (nibabel's `get_slope_inter` rule: slope 0 or non-finite means no scaling).
public enum NIfTIReader {
    /// - Throws: `FileError` naming the file and what is wrong with it.
    public static func read(path: String) throws(FileError) -> Volume {
        try RegularFile.check(path)
        let format = try sniffFormat(path)
        var header = cnifti_header()
        guard let image = cnifti_read_header(path, &header) else {
            throw FileError(path: path, reason: "not a readable \(format) file (nifticlib could not read its header)")
        }
        defer { cnifti_free(image) }
        guard header.nifti_type == 1 || header.nifti_type == 4 else {
            throw FileError(path: path, reason: "a \(format) header without its data in the same file (a .hdr/.img pair?); give single-file .nii or .nii.gz volumes")
        }
        let size = try checkedSize(header, path: path)
        let type = try VoxelType(code: header.datatype, bytes: header.nbyper, path: path)
        guard let data = cnifti_load(image) else {
            throw FileError(path: path, reason: "its voxel data could not be read: the file is shorter than its header says (\(size.map(String.init).joined(separator: "x")) \(type.name) voxels from byte \(header.iname_offset)) or its compressed data is damaged")
        }
        var notes: [String] = []
        let samples = try convert(data, count: size.reduce(1, *), type: type, slope: header.scl_slope, intercept: header.scl_inter, path: path)
        let spacing = spacing(header, size: size, notes: &notes)
        let (affine, source) = orientation(header)
        var volume = Volume(size: size, spacing: spacing, affine: affine, orientationSource: source, samples: samples,
                            format: format, notes: notes)
        volume.rank = header.dim.0 <= 2 ? 2 : 3
        return volume
    }

    /// "NIfTI-1" or "NIfTI-2", from the header read here before nifticlib sees the file:
    /// `sizeof_hdr` must be 348 or 540 in either byte order, and `dim[0]`, read in that order,
    /// 1 to 7. nifticlib 3.0.1 does not check `dim[0]` before using it as a loop bound over the
    /// 8-element `dim` and `pixdim` arrays of a header copy on the stack: a file with a large
    /// `dim[0]` writes past them (found by `scripts/fuzz.sh nifti`; a test keeps the file). So no
    /// such header reaches it.
    static func sniffFormat(_ path: String) throws(FileError) -> String {
        var bytes = [UInt8](repeating: 0, count: 540)
        let count = Int(cnifti_peek(path, &bytes, Int32(bytes.count)))
        guard count >= 0 else { throw FileError(path: path, reason: "cannot be opened") }
        guard count >= 4 else { throw FileError(path: path, reason: "not a NIfTI file (shorter than a header)") }
        func integer(at offset: Int, bytes width: Int, bigEndian: Bool) -> Int64 {
            var value: UInt64 = 0
            for index in 0..<width {
                let byte = UInt64(bytes[offset + (bigEndian ? index : width - 1 - index)])
                value = value << 8 | byte
            }
            // Sign-extend from `width` bytes.
            let shift = UInt64(64 - 8 * width)
            return Int64(bitPattern: value << shift) >> Int64(shift)
        }
        for bigEndian in [false, true] {
            let size = integer(at: 0, bytes: 4, bigEndian: bigEndian)
            guard size == 348 || size == 540 else { continue }
            let format = size == 348 ? "NIfTI-1" : "NIfTI-2"
            guard count >= Int(size) else { throw FileError(path: path, reason: "not a \(format) file (shorter than its \(size)-byte header)") }
            let rank = size == 348 ? integer(at: 40, bytes: 2, bigEndian: bigEndian) : integer(at: 16, bytes: 8, bigEndian: bigEndian)
            guard (1...7).contains(rank) else {
                throw FileError(path: path, reason: "dim[0] = \(rank): not 1 to 7 dimensions (a damaged \(format) header)")
            }
            // nifticlib allocates the header extensions up to vox_offset before reading them: a
            // small file claiming vox_offset = 1.4e9 made it allocate 1.4 GB (the fuzz target's
            // second finding). Extensions are kilobytes, at most a few MB (DICOM headers).
            let offset: Double = size == 348
                ? Double(Float(bitPattern: UInt32(truncatingIfNeeded: integer(at: 108, bytes: 4, bigEndian: bigEndian))))
                : Double(integer(at: 168, bytes: 8, bigEndian: bigEndian))
            guard offset.isFinite, offset <= Double(NIfTIReader.maximumDataOffset) else {
                throw FileError(path: path, reason: "vox_offset = \(offset): the voxel data would start beyond \(NIfTIReader.maximumDataOffset >> 20) MiB of header extensions (a damaged \(format) header)")
            }
            return format
        }
        throw FileError(path: path, reason: "not a NIfTI-1 or NIfTI-2 file (its header does not start with 348 or 540)")
    }

    /// The largest `vox_offset` read: 64 MiB of header and extensions.
    static let maximumDataOffset = 64 << 20

    /// nx, ny, nz, checked: every size at least 1, dimensions 4 to 7 of size 1, the voxel count
    /// and byte count within `VolumeLimits`.
    static func checkedSize(_ header: cnifti_header, path: String) throws(FileError) -> [Int] {
        let dims = withUnsafeBytes(of: header.dim) { Array($0.bindMemory(to: Int64.self)) }
        let rank = Int(dims[0])
        guard (1...7).contains(rank) else { throw FileError(path: path, reason: "dim[0] = \(rank): not 1 to 7 dimensions") }
        let sizes = (1...7).map { $0 <= rank ? dims[$0] : 1 }
        guard sizes.allSatisfy({ $0 >= 1 }) else {
            throw FileError(path: path, reason: "a dimension of size \(sizes.first { $0 < 1 }!): every size must be at least 1")
        }
        if let extra = (3..<7).first(where: { sizes[$0] > 1 }) {
            throw FileError(path: path, reason: "\(rank)-D (dim[\(extra + 1)] = \(sizes[extra])): only 2-D and 3-D volumes are evaluated (one time point, one component)")
        }
        var voxels = 1
        for size in sizes.prefix(3) {
            let (product, overflow) = voxels.multipliedReportingOverflow(by: Int(size))
            guard !overflow, product <= VolumeLimits.maxVoxels else {
                throw FileError(path: path, reason: VolumeLimits.message(sizes.prefix(3).map(String.init).joined(separator: "x")))
            }
            voxels = product
        }
        return sizes.prefix(3).map { Int($0) }
    }

    /// The voxel types read, and the refused ones by name.
    struct VoxelType {
        enum Kind { case uint8, int8, uint16, int16, uint32, int32, uint64, int64, float32, float64 }
        var kind: Kind
        var name: String

        init(code: Int32, bytes: Int32, path: String) throws(FileError) {
            let known: [Int32: (Kind, String, Int32)] = [
                2: (.uint8, "uint8", 1), 256: (.int8, "int8", 1), 512: (.uint16, "uint16", 2), 4: (.int16, "int16", 2),
                768: (.uint32, "uint32", 4), 8: (.int32, "int32", 4), 1280: (.uint64, "uint64", 8), 1024: (.int64, "int64", 8),
                16: (.float32, "float32", 4), 64: (.float64, "float64", 8),
            ]
            guard let (kind, name, size) = known[code] else {
                let refused: [Int32: String] = [1: "1-bit binary", 32: "complex64", 128: "RGB24", 1536: "float128", 1792: "complex128",
                                                 2048: "complex256", 2304: "RGBA32"]
                throw FileError(path: path, reason: "voxel type \(refused[code] ?? "code \(code)") is not read: give a label map (integers) or a probability map (float32/float64)")
            }
            guard bytes == size else { throw FileError(path: path, reason: "voxel type \(name) with \(bytes) bytes per voxel") }
            self.kind = kind
            self.name = name
        }
    }

    static func convert(_ data: UnsafeMutableRawPointer, count: Int, type: VoxelType, slope: Double, intercept: Double,
                        path: String) throws(FileError) -> Volume.Samples {
        let scales = slope != 0 && slope.isFinite && !(slope == 1 && intercept == 0)
        func doubles<T>(_ type: T.Type, _ widen: (T) -> Double) -> [Double] {
            let values = UnsafeBufferPointer(start: data.assumingMemoryBound(to: T.self), count: count)
            return scales ? values.map { slope * widen($0) + intercept } : values.map(widen)
        }
        /// An integer voxel type: a label map, or a probability map when scaled.
        func integers<T: BinaryInteger>(_ type: T.Type) throws(FileError) -> Volume.Samples {
            if scales { return .probabilities(doubles(T.self) { Double($0) }) }
            let values = UnsafeBufferPointer(start: data.assumingMemoryBound(to: T.self), count: count)
            var result = [Int32](repeating: 0, count: count)
            for (index, value) in values.enumerated() {
                guard let label = Int32(exactly: value) else {
                    throw FileError(path: path, reason: "label \(value) at voxel \(index) is outside the range of labels read (-2^31 to 2^31-1)")
                }
                result[index] = label
            }
            return .labels(result)
        }
        switch type.kind {
        case .uint8:
            // Kept as bytes (most label maps): a quarter of the memory of Int32 labels.
            if scales { return try integers(UInt8.self) }
            return .bytes(Array(UnsafeBufferPointer(start: data.assumingMemoryBound(to: UInt8.self), count: count)))
        case .int8: return try integers(Int8.self)
        case .uint16: return try integers(UInt16.self)
        case .int16: return try integers(Int16.self)
        case .uint32: return try integers(UInt32.self)
        case .int32: return try integers(Int32.self)
        case .uint64: return try integers(UInt64.self)
        case .int64: return try integers(Int64.self)
        case .float32:
            if scales { return .probabilities(doubles(Float.self) { Double($0) }) }
            return .floats(Array(UnsafeBufferPointer(start: data.assumingMemoryBound(to: Float.self), count: count)))
        case .float64: return .probabilities(doubles(Double.self) { $0 })
        }
    }

    /// pixdim[1...3] as the spacing (see `Volume.spacing`). nifticlib has already replaced a 0 by
    /// 1 and widened NIfTI-1's float32 exactly; here a negative value is taken positive and the
    /// unit converted to mm.
    static func spacing(_ header: cnifti_header, size: [Int], notes: inout [String]) -> [Double] {
        let pixdim = withUnsafeBytes(of: header.pixdim) { Array($0.bindMemory(to: Double.self)) }
        var spacing = Array(pixdim[1...3])
        for axis in 0..<3 where spacing[axis] < 0 || !spacing[axis].isFinite || spacing[axis] == 0 {
            notes.append("pixdim[\(axis + 1)] = \(spacing[axis]): the spacing used is \(spacing[axis].isFinite && spacing[axis] != 0 ? abs(spacing[axis]) : 1) (nibabel's and ITK's rule)")
            spacing[axis] = spacing[axis].isFinite && spacing[axis] != 0 ? abs(spacing[axis]) : 1
        }
        // NIFTI_UNITS_METER 1, _MM 2, _MICRON 3 (xyzt_units & 7).
        switch header.xyz_units {
        case 1:
            notes.append("spacing given in metres: converted to mm")
            spacing = spacing.map { $0 * 1000 }
        case 3:
            notes.append("spacing given in micrometres: converted to mm")
            spacing = spacing.map { $0 / 1000 }
        default:
            break
        }
        return spacing
    }

    /// nibabel's choice of affine: the sform if its code is set, else the qform, else pixdim.
    static func orientation(_ header: cnifti_header) -> ([[Double]], Volume.OrientationSource) {
        func rows<M>(_ matrix: M) -> [[Double]] {
            withUnsafeBytes(of: matrix) { raw in
                let values = Array(raw.bindMemory(to: Double.self))
                return (0..<4).map { row in Array(values[(row * 4)..<(row * 4 + 4)]) }
            }
        }
        if header.sform_code > 0 { return (rows(header.sto_xyz), .sform) }
        if header.qform_code > 0 { return (rows(header.qto_xyz), .qform) }
        let pixdim = withUnsafeBytes(of: header.pixdim) { Array($0.bindMemory(to: Double.self)) }
        var affine = (0..<4).map { row in (0..<4).map { column in row == column ? 1.0 : 0.0 } }
        for axis in 0..<3 { affine[axis][axis] = pixdim[axis + 1] }
        return (affine, .pixdim)
    }
}

/// The largest volume read: checked from the header, before any voxel is allocated.
public enum VolumeLimits {
    /// 2^30 voxels (e.g. 1024 x 1024 x 1024): 4 GiB as labels, 8 GiB as probabilities.
    public static let defaultMaxVoxels = 1 << 30
    nonisolated(unsafe) public static var maxVoxels = defaultMaxVoxels

    static func message(_ dimensions: String) -> String {
        "volume of \(dimensions) voxels is over the limit of \(maxVoxels) voxels; raise it with --max-voxels if the volume is real"
    }
}
