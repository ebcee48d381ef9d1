/// NIfTI files written byte by byte (the header layouts of nifti1.h and nifti2.h), for tests
/// that read them back: every expected value is what was written.
public struct NIfTIFile {
    public init() {}

    public var version = 1
    public var bigEndian = false
    public var dims: [Int] = [3, 3, 2, 2]          // dim[0], then the sizes
    public var datatype = 2
    public var bitpix = 8
    public var pixdim: [Double] = [1, 0.7, 0.8, 1.5]
    public var slope = 0.0
    public var intercept = 0.0
    public var xyzUnits = 2
    public var qformCode = 0
    public var sformCode = 0
    public var srow: [[Double]] = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
    /// Header extension bytes (a multiple of 16, 8 of them esize and ecode).
    public var extensionBytes = 0
    public var data: [UInt8] = []

    private func put<T: FixedWidthInteger>(_ value: T, at offset: Int, into bytes: inout [UInt8]) {
        let stored = bigEndian ? value.bigEndian : value.littleEndian
        withUnsafeBytes(of: stored) { for (index, byte) in $0.enumerated() { bytes[offset + index] = byte } }
    }
    private func putFloat(_ value: Double, at offset: Int, into bytes: inout [UInt8]) {
        put(Float(value).bitPattern, at: offset, into: &bytes)
    }
    private func putDouble(_ value: Double, at offset: Int, into bytes: inout [UInt8]) {
        put(value.bitPattern, at: offset, into: &bytes)
    }

    public var bytes: [UInt8] {
        let headerSize = version == 1 ? 348 : 540
        let dataStart = headerSize + 4 + extensionBytes
        var bytes = [UInt8](repeating: 0, count: dataStart)
        put(Int32(headerSize), at: 0, into: &bytes)
        if version == 1 {
            for (index, value) in dims.enumerated() { put(Int16(value), at: 40 + 2 * index, into: &bytes) }
            put(Int16(datatype), at: 70, into: &bytes)
            put(Int16(bitpix), at: 72, into: &bytes)
            for (index, value) in pixdim.enumerated() { putFloat(value, at: 76 + 4 * index, into: &bytes) }
            putFloat(Double(dataStart), at: 108, into: &bytes)
            putFloat(slope, at: 112, into: &bytes)
            putFloat(intercept, at: 116, into: &bytes)
            bytes[123] = UInt8(xyzUnits)
            put(Int16(qformCode), at: 252, into: &bytes)
            put(Int16(sformCode), at: 254, into: &bytes)
            for row in 0..<3 { for column in 0..<4 { putFloat(srow[row][column], at: 280 + 16 * row + 4 * column, into: &bytes) } }
            bytes.replaceSubrange(344..<348, with: Array("n+1\0".utf8))
        } else {
            bytes.replaceSubrange(4..<12, with: [0x6E, 0x2B, 0x32, 0x00, 0x0D, 0x0A, 0x1A, 0x0A])
            put(Int16(datatype), at: 12, into: &bytes)
            put(Int16(bitpix), at: 14, into: &bytes)
            for (index, value) in dims.enumerated() { put(Int64(value), at: 16 + 8 * index, into: &bytes) }
            for (index, value) in pixdim.enumerated() { putDouble(value, at: 104 + 8 * index, into: &bytes) }
            put(Int64(dataStart), at: 168, into: &bytes)
            putDouble(slope, at: 176, into: &bytes)
            putDouble(intercept, at: 184, into: &bytes)
            put(Int32(qformCode), at: 344, into: &bytes)
            put(Int32(sformCode), at: 348, into: &bytes)
            for row in 0..<3 { for column in 0..<4 { putDouble(srow[row][column], at: 400 + 32 * row + 8 * column, into: &bytes) } }
            put(Int32(xyzUnits), at: 500, into: &bytes)
        }
        if extensionBytes > 0 {
            bytes[headerSize] = 1
            put(Int32(extensionBytes), at: headerSize + 4, into: &bytes)
            put(Int32(6), at: headerSize + 8, into: &bytes)   // NIFTI_ECODE_COMMENT
        }
        return bytes + data
    }

    /// Voxel values in the file's byte order.
    public mutating func setData<T: FixedWidthInteger>(_ values: [T]) {
        data = values.flatMap { value -> [UInt8] in
            withUnsafeBytes(of: bigEndian ? value.bigEndian : value.littleEndian) { Array($0) }
        }
    }
}

