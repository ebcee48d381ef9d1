/// Element types found in PyTorch and safetensors weight files.
public enum TensorDType: String, Sendable, Equatable {
    case float32 = "F32", float16 = "F16", bfloat16 = "BF16", float64 = "F64"
    case int64 = "I64", int32 = "I32", int16 = "I16", int8 = "I8", uint8 = "U8", bool = "BOOL"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .float64, .int64: return 8
        case .float32, .int32: return 4
        case .float16, .bfloat16, .int16: return 2
        case .int8, .uint8, .bool: return 1
        }
    }

    public var isFloatingPoint: Bool {
        switch self {
        case .float32, .float16, .bfloat16, .float64: return true
        default: return false
        }
    }
}

/// One tensor of a weight file, its values converted to `Float` (C-contiguous, row-major).
///
/// Integer tensors (e.g. BatchNorm's `num_batches_tracked`) are converted too; they are never used.
public struct StoredTensor: Sendable, Equatable {
    /// The element type in the file (the values are always `Float` here).
    public var dtype: TensorDType
    public var shape: [Int]
    public var values: [Float]

    public init(dtype: TensorDType, shape: [Int], values: [Float]) {
        self.dtype = dtype
        self.shape = shape
        self.values = values
    }

    public var elementCount: Int { shape.reduce(1, *) }
}

/// Little-endian decoding of raw tensor bytes to `Float`.
enum ElementDecoder {
    /// Converts `count` elements of `dtype` starting at `base` (element `i` at `base + i * stride * size`).
    static func decode(_ bytes: UnsafeRawBufferPointer, at byteOffset: Int, dtype: TensorDType,
                       indices: [Int]) -> [Float] {
        let size = dtype.byteSize
        var out = [Float](repeating: 0, count: indices.count)
        for (k, index) in indices.enumerated() {
            out[k] = element(bytes, at: byteOffset + index * size, dtype: dtype)
        }
        return out
    }

    /// Converts `count` consecutive elements (the fast path for contiguous tensors).
    static func decodeContiguous(_ bytes: UnsafeRawBufferPointer, at byteOffset: Int, dtype: TensorDType,
                                 count: Int) -> [Float] {
        if dtype == .float32 {
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                let source = UnsafeRawBufferPointer(rebasing: bytes[byteOffset..<(byteOffset + count * 4)])
                for i in 0..<count {
                    buffer[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                }
                initialized = count
            }
        }
        var out = [Float](repeating: 0, count: count)
        let size = dtype.byteSize
        for i in 0..<count {
            out[i] = element(bytes, at: byteOffset + i * size, dtype: dtype)
        }
        return out
    }

    static func element(_ bytes: UnsafeRawBufferPointer, at offset: Int, dtype: TensorDType) -> Float {
        switch dtype {
        case .float32:
            return Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        case .float16:
            return halfToFloat(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
        case .bfloat16:
            let bits = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            return Float(bitPattern: UInt32(bits) << 16)
        case .float64:
            return Float(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
        case .int64:
            return Float(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
        case .int32:
            return Float(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
        case .int16:
            return Float(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
        case .int8:
            return Float(bytes.load(fromByteOffset: offset, as: Int8.self))
        case .uint8, .bool:
            return Float(bytes[offset])
        }
    }

    /// IEEE 754 binary16 to binary32, exact (subnormals, infinities and NaN included).
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = Int((h >> 10) & 0x1F)
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0 {
            // Zero or subnormal: mantissa * 2^-24.
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 31 {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | (UInt32(exponent - 15 + 127) << 23) | (mantissa << 13))
    }
}
