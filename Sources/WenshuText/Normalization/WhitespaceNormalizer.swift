import WenshuCore

/// Whitespace clean-up for Chinese legal text:
/// - zero-width characters (U+200B-200D, U+2060, U+FEFF) are removed;
/// - CRLF and CR become LF; newlines are paragraph breaks: a run of whitespace holding
///   newlines becomes one newline (indentation and trailing spaces go with it);
/// - U+3000, NBSP, tabs and the other Unicode spaces count as spaces; a run of spaces between
///   two Chinese characters is removed (spaced titles "民 事 判 决 书", full-width-spaced
///   signatures "审　判　长"), at a line's start or end it is removed, elsewhere it becomes
///   one ASCII space.
/// With `onlyBetweenCJK` (the `spaced_title` step) only the spaces between two Chinese
/// characters are removed and everything else stays.
public struct WhitespaceNormalizer: Normalizer {
    public let step: NormalizationStep
    public let onlyBetweenCJK: Bool

    public init(onlyBetweenCJK: Bool = false) {
        self.onlyBetweenCJK = onlyBetweenCJK
        self.step = onlyBetweenCJK ? .spacedTitle : .whitespace
    }

    @inline(__always) static func isZeroWidth(_ v: UInt32) -> Bool {
        v == 0x200B || v == 0x200C || v == 0x200D || v == 0x2060 || v == 0xFEFF
    }

    @inline(__always) static func isSpace(_ v: UInt32) -> Bool {
        v == 0x20 || v == 0x09 || v == 0x3000 || v == 0xA0 || (0x2000...0x200A).contains(v)
            || v == 0x202F || v == 0x205F || v == 0x1680 || v == 0x0B || v == 0x0C
    }

    @inline(__always) static func isNewline(_ v: UInt32) -> Bool {
        v == 0x0A || v == 0x0D || v == 0x2028 || v == 0x2029 || v == 0x85
    }

    public func normalize(_ input: NormalizedText) throws -> NormalizedText {
        let src = input.text.scalars
        var b = AlignedBuilder(capacity: src.count)
        var i = 0
        // The last kept non-space scalar (or nil at the start of the text).
        var previous: Unicode.Scalar? = nil
        while i < src.count {
            let v = src[i].value
            if Self.isZeroWidth(v) { b.drop(at: i); i += 1; continue }
            guard Self.isSpace(v) || Self.isNewline(v) else {
                b.keep(src[i], at: i); previous = src[i]; i += 1; continue
            }
            // A run of whitespace (zero-width characters inside it are part of it).
            var j = i
            var firstNewline: Int? = nil
            while j < src.count {
                let w = src[j].value
                if Self.isNewline(w) { if firstNewline == nil { firstNewline = j } } else if !Self.isSpace(w) && !Self.isZeroWidth(w) { break }
                j += 1
            }
            let next: Unicode.Scalar? = j < src.count ? src[j] : nil
            if onlyBetweenCJK {
                let removable = firstNewline == nil && previous.map(CharClass.isCJK) == true && next.map(CharClass.isCJK) == true
                for k in i..<j { if removable { b.drop(at: k) } else { b.keep(src[k], at: k) } }
                i = j; continue
            }
            if let nl = firstNewline {
                // One paragraph break, none at the very start or end of the text.
                for k in i..<j {
                    if k == nl && previous != nil && next != nil {
                        if src[k] == "\n" { b.keep(src[k], at: k) } else { b.substitute("\n", at: k) }
                    } else { b.drop(at: k) }
                }
                if previous != nil && next != nil { previous = "\n" }
            } else {
                let atLineEdge = previous == nil || previous == "\n" || next == nil
                let betweenCJK = previous.map(CharClass.isCJK) == true && next.map(CharClass.isCJK) == true
                for k in i..<j {
                    if k == i && !atLineEdge && !betweenCJK {
                        if src[k] == " " { b.keep(src[k], at: k) } else { b.substitute(" ", at: k) }
                    } else { b.drop(at: k) }
                }
            }
            i = j
        }
        return b.finish(from: input)
    }
}
