/// A minimal reader for the zip container `torch.save` writes: the central directory (zip64
/// included) and entries stored without compression. It never decompresses; a compressed entry is
/// reported as such.
struct ZipArchive {
    struct Entry {
        var name: String
        /// 0 = stored; anything else is refused when read.
        var method: UInt16
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    let bytes: UnsafeRawBufferPointer
    private(set) var entries: [Entry] = []

    /// True when the bytes start like a zip file (a local file header).
    static func looksLikeZip(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B && bytes[2] == 0x03 && bytes[3] == 0x04
    }

    /// Parses the central directory. Throws `FormatError` for a truncated or corrupt container.
    init(_ bytes: UnsafeRawBufferPointer) throws(FormatError) {
        self.bytes = bytes
        let eocd = try Self.findEndOfCentralDirectory(bytes)
        var count = Int(Self.u16(bytes, eocd + 10))
        var directorySize = Int(Self.u32(bytes, eocd + 12))
        var directoryOffset = Int(Self.u32(bytes, eocd + 16))
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // Zip64: the locator sits just before the classic record.
            let locator = eocd - 20
            guard locator >= 0, Self.u32(bytes, locator) == 0x0706_4B50 else {
                throw FormatError("corrupt zip: zip64 locator missing")
            }
            let record = try CheckedSize.int(Self.u64(bytes, locator + 8), "zip64 end record offset")
            guard CheckedSize.fits(record, 56, in: bytes.count), Self.u32(bytes, record) == 0x0606_4B50 else {
                throw FormatError("corrupt zip: zip64 end record missing")
            }
            count = try CheckedSize.int(Self.u64(bytes, record + 32), "zip64 entry count")
            directorySize = try CheckedSize.int(Self.u64(bytes, record + 40), "zip64 central directory size")
            directoryOffset = try CheckedSize.int(Self.u64(bytes, record + 48), "zip64 central directory offset")
        }
        guard CheckedSize.fits(directoryOffset, directorySize, in: bytes.count) else {
            throw FormatError("truncated zip: the central directory lies beyond the end of the file")
        }
        // Each entry takes at least 46 bytes of the directory.
        guard count <= directorySize / 46 + 1 else {
            throw FormatError("corrupt zip: \(count) entries cannot fit in a central directory of \(directorySize) bytes")
        }
        var position = directoryOffset
        for _ in 0..<count {
            guard position + 46 <= bytes.count, Self.u32(bytes, position) == 0x0201_4B50 else {
                throw FormatError("corrupt zip: bad central directory entry")
            }
            let method = Self.u16(bytes, position + 10)
            var compressed = Int(Self.u32(bytes, position + 20))
            var uncompressed = Int(Self.u32(bytes, position + 24))
            let nameLength = Int(Self.u16(bytes, position + 28))
            let extraLength = Int(Self.u16(bytes, position + 30))
            let commentLength = Int(Self.u16(bytes, position + 32))
            var localOffset = Int(Self.u32(bytes, position + 42))
            let nameStart = position + 46
            guard nameStart + nameLength + extraLength <= bytes.count else {
                throw FormatError("truncated zip: central directory entry cut short")
            }
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[nameStart..<(nameStart + nameLength)]), as: UTF8.self)
            // Zip64 extended information: only the fields whose classic value is saturated, in order.
            var extra = nameStart + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let tag = Self.u16(bytes, extra)
                let size = Int(Self.u16(bytes, extra + 2))
                if tag == 0x0001 {
                    var field = extra + 4
                    if uncompressed == 0xFFFF_FFFF, field + 8 <= extraEnd { uncompressed = try CheckedSize.int(Self.u64(bytes, field), "zip64 size"); field += 8 }
                    if compressed == 0xFFFF_FFFF, field + 8 <= extraEnd { compressed = try CheckedSize.int(Self.u64(bytes, field), "zip64 size"); field += 8 }
                    if localOffset == 0xFFFF_FFFF, field + 8 <= extraEnd { localOffset = try CheckedSize.int(Self.u64(bytes, field), "zip64 offset"); field += 8 }
                }
                extra += 4 + size
            }
            entries.append(Entry(name: name, method: method, compressedSize: compressed,
                                 uncompressedSize: uncompressed, localHeaderOffset: localOffset))
            position = nameStart + nameLength + extraLength + commentLength
        }
    }

    func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// The bytes of a stored entry (a view into the archive, no copy).
    func contents(of entry: Entry) throws(FormatError) -> UnsafeRawBufferPointer {
        guard entry.method == 0 else {
            throw FormatError("zip entry \(entry.name) is compressed (method \(entry.method)); only stored entries are read, as torch.save writes them — re-save the checkpoint with torch.save")
        }
        let header = entry.localHeaderOffset
        guard CheckedSize.fits(header, 30, in: bytes.count), Self.u32(bytes, header) == 0x0403_4B50 else {
            throw FormatError("corrupt zip: bad local header for \(entry.name)")
        }
        let start = header + 30 + Int(Self.u16(bytes, header + 26)) + Int(Self.u16(bytes, header + 28))
        guard CheckedSize.fits(start, entry.uncompressedSize, in: bytes.count), entry.compressedSize == entry.uncompressedSize else {
            throw FormatError("truncated file: zip entry \(entry.name) extends beyond the end of the file")
        }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<(start + entry.uncompressedSize)])
    }

    private static func findEndOfCentralDirectory(_ bytes: UnsafeRawBufferPointer) throws(FormatError) -> Int {
        guard bytes.count >= 22 else { throw FormatError("truncated zip: no end-of-central-directory record") }
        let lowest = max(0, bytes.count - 22 - 65_535)
        var position = bytes.count - 22
        while position >= lowest {
            if u32(bytes, position) == 0x0605_4B50 { return position }
            position -= 1
        }
        throw FormatError("truncated or corrupt zip: no end-of-central-directory record (is the file complete?)")
    }

    static func u16(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt16 { UInt16(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt16.self)) }
    static func u32(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt32 { UInt32(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt32.self)) }
    static func u64(_ b: UnsafeRawBufferPointer, _ o: Int) -> UInt64 { UInt64(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt64.self)) }
}
