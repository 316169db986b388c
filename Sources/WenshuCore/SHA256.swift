import CSHA256
#if canImport(Glibc)
import Glibc
#endif

/// SHA-256 (FIPS 180-4), for content hashes of input files and model weights. Streaming:
/// feed bytes with `update`, then `finalize()` gives the lowercase hex digest. The
/// compression runs in C (the CSHA256 target) so it is fast in debug builds too.
public struct SHA256Hasher {
    private var ctx = wsh_sha256_ctx()

    public init() { wsh_sha256_init(&ctx) }

    /// Feeds a buffer of bytes.
    public mutating func update(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
        wsh_sha256_update(&ctx, base, Int64(buffer.count))
    }

    /// Feeds any collection of bytes (contiguous ones without a copy).
    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update($0) }
        if done == nil { Array(bytes).withUnsafeBufferPointer { update($0) } }
    }

    /// The lowercase hex digest of everything fed so far.
    public mutating func finalize() -> String {
        var hex = [CChar](repeating: 0, count: 65)
        wsh_sha256_final_hex(&ctx, &hex)
        return String(decoding: hex.prefix(64).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Hex digest of a byte buffer in one call.
    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var s = SHA256Hasher(); s.update(bytes); return s.finalize()
    }
}

extension SHA256Hasher {
    /// SHA-256 and size of everything `fd` reads from its start (it is rewound first), in
    /// 64 KB chunks, so memory stays flat whatever the file's size. Nil when a read fails
    /// (`errno` tells why). The one file hasher: ingest, the batch runner and the watch use it.
    public static func file(descriptor fd: Int32) -> (sha256: String, bytes: Int)? {
        lseek(fd, 0, SEEK_SET)
        var hasher = SHA256Hasher()
        var total = 0
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            guard let n = try? Posix.read(fd, into: &buf) else { return nil }
            if n == 0 { return (hasher.finalize(), total) }
            buf.withUnsafeBufferPointer { hasher.update(UnsafeBufferPointer(rebasing: $0[0..<n])) }
            total += n
        }
    }

    /// SHA-256 and size of the file at `path`; nil when it cannot be opened or read.
    /// `followSymlinks: false` refuses a symbolic link (`O_NOFOLLOW`). A FIFO or device is
    /// opened without blocking.
    public static func file(atPath path: String, followSymlinks: Bool = true) -> (sha256: String, bytes: Int)? {
        let fd = RawPath.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followSymlinks ? 0 : O_NOFOLLOW))
        if fd < 0 { return nil }
        defer { close(fd) }
        return file(descriptor: fd)
    }
}
