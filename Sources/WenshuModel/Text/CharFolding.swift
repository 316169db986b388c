import Foundation

/// Length-preserving character folding applied before hashing: each Unicode scalar maps
/// to exactly one scalar, so offsets into the folded text are offsets into the input.
/// Full-width ASCII (U+FF01...U+FF5E) becomes ASCII, the ideographic space becomes a
/// space, ASCII letters are lower-cased, and (optionally) every digit becomes "0".
public enum CharFolding {
    /// The folded form of one scalar value.
    @inline(__always)
    public static func fold(_ v: UInt32, digits: Bool) -> UInt32 {
        var c = v
        if c >= 0xFF01 && c <= 0xFF5E { c -= 0xFEE0 }
        else if c == 0x3000 || c == 0x00A0 { c = 0x20 }
        if c >= 0x41 && c <= 0x5A { c += 0x20 }
        if digits && c >= 0x30 && c <= 0x39 { c = 0x30 }
        // Chinese numerals are kept: they carry meaning in amounts and dates.
        return c
    }

    /// Folds every scalar of `text`; the result has the same count.
    public static func fold(_ text: [Unicode.Scalar], digits: Bool) -> [UInt32] {
        text.map { fold($0.value, digits: digits) }
    }
}
