import CSHA256

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
