import CICUShim

/// SHA-256 content hashes of input files through the C implementation in the shim target:
/// the same lowercase hex digest as `WenshuCore.SHA256Hasher`, fast in debug builds too.
struct ContentHash {
    private var ctx = wsh_sha256_ctx()

    init() { wsh_sha256_init(&ctx) }

    mutating func update(_ buf: UnsafeBufferPointer<UInt8>) {
        wsh_sha256_update(&ctx, buf.baseAddress, Int64(buf.count))
    }

    mutating func finalize() -> String {
        var hex = [CChar](repeating: 0, count: 65)
        wsh_sha256_final_hex(&ctx, &hex)
        return String(cString: hex)
    }

    /// Hex digest of a whole buffer.
    static func hex(_ bytes: [UInt8]) -> String {
        var h = ContentHash()
        bytes.withUnsafeBufferPointer { h.update($0) }
        return h.finalize()
    }
}
