import CICUShim
import Foundation

/// Charset conversion through ICU (via the C shim).
enum ICUConverter {
    /// Outcome of a strict decode.
    enum Outcome {
        case ok([UInt16])
        /// The first illegal or truncated sequence starts at this byte offset.
        case invalid(offset: Int, icuError: String)
        /// ICU does not know the charset, or another failure.
        case failed(String)
    }

    /// Decodes `bytes` from `charset` to UTF-16. With `strict`, stops at the first bad sequence.
    static func toUTF16(_ bytes: UnsafeBufferPointer<UInt8>, charset: String, strict: Bool = true) -> Outcome {
        if bytes.count > Int(Int32.max) / 2 { return .failed("input too large for ICU conversion") }
        let n = Int32(bytes.count)
        // UTF-8, GB18030, Big5 and UTF-16 all need at most one UTF-16 unit per byte (+1 for a BOM).
        var capacity = Int(n) + 2
        for _ in 0..<2 {
            var out = [UInt16](repeating: 0, count: capacity)
            var len: Int32 = 0
            var errOffset: Int64 = -1
            let rc = out.withUnsafeMutableBufferPointer { dst in
                wsh_convert_to_utf16(charset, bytes.baseAddress, n, dst.baseAddress, Int32(capacity), &len,
                                     strict ? 1 : 0, &errOffset)
            }
            if rc == 0 {
                out.removeSubrange(Int(len)...)
                return .ok(out)
            }
            if rc == WSH_BUFFER_TOO_SMALL {
                capacity = Int(len) + 2
                continue
            }
            let name = String(cString: wsh_error_name(rc))
            if errOffset >= 0 { return .invalid(offset: Int(errOffset), icuError: name) }
            return .failed(name)
        }
        return .failed("buffer sizing failed")
    }

    /// Encodes `text` into `charset` (used to build test inputs and by the XML path).
    static func fromString(_ text: String, charset: String) -> [UInt8]? {
        let units = Array(text.utf16)
        var capacity = units.count * 4 + 4
        var out = [UInt8](repeating: 0, count: capacity)
        var len: Int32 = 0
        var rc = units.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                wsh_convert_from_utf16(charset, src.baseAddress, Int32(src.count), dst.baseAddress,
                                       Int32(capacity), &len)
            }
        }
        if rc == WSH_BUFFER_TOO_SMALL {
            capacity = Int(len) + 4
            out = [UInt8](repeating: 0, count: capacity)
            rc = units.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    wsh_convert_from_utf16(charset, src.baseAddress, Int32(src.count), dst.baseAddress,
                                           Int32(capacity), &len)
                }
            }
        }
        guard rc == 0 else { return nil }
        out.removeSubrange(Int(len)...)
        return out
    }

    /// ICU's charset detector: the best guess and its confidence (0-100).
    static func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> (name: String, confidence: Int)? {
        let n = min(bytes.count, 1 << 16)
        var name = [CChar](repeating: 0, count: 64)
        var conf: Int32 = 0
        let rc = wsh_detect_charset(bytes.baseAddress, Int32(n), &name, 64, &conf)
        guard rc == 0 else { return nil }
        return (String(cString: name), Int(conf))
    }
}
