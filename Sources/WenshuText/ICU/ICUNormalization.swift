import CICUShim
import WenshuCore

/// Unicode normalization forms through ICU's Normalizer2 (via the C shim).
enum ICUNormalization {
    /// Normalizes a short run of scalars with form `form` (WSH_NFC, WSH_NFKC, ...).
    static func normalize(_ scalars: ArraySlice<Unicode.Scalar>, form: Int32) throws -> [Unicode.Scalar] {
        let src = UTF16Text(scalars).units
        var capacity = Int32(src.count * 3 + 16)
        while true {
            var dest = [UInt16](repeating: 0, count: Int(capacity))
            var length: Int32 = 0
            let rc = src.withUnsafeBufferPointer { s in
                dest.withUnsafeMutableBufferPointer { d in
                    wsh_normalize(form, s.baseAddress, Int32(s.count), d.baseAddress, capacity, &length)
                }
            }
            if rc == WSH_BUFFER_TOO_SMALL || (rc < 0 && length > capacity) {
                capacity = length + 16; continue
            }
            if rc < 0 { throw icuError(rc, .icu.normalize, stage: .normalize) }
            return UTF16Text.scalars(dest[0..<Int(length)])
        }
    }

    /// Whether `scalar` is unaffected by `form` and never combines with its neighbours.
    static func isInert(_ scalar: Unicode.Scalar, form: Int32) -> Bool {
        wsh_normalize_is_inert(form, Int32(bitPattern: scalar.value)) != 0
    }

    /// Whether `scalar` starts a new normalization segment for `form`.
    static func hasBoundaryBefore(_ scalar: Unicode.Scalar, form: Int32) -> Bool {
        wsh_normalize_has_boundary_before(form, Int32(bitPattern: scalar.value)) != 0
    }
}
