import CICUShim
import WenshuCore

/// A word found by ICU's dictionary word breaking.
public struct Word: Sendable, Equatable {
    /// Scalar range in the text that was segmented.
    public var range: Range<Int>
    /// The word's text.
    public var text: String
    /// ICU's rule status kind.
    public var kind: Kind

    public enum Kind: String, Sendable, Codable {
        case ideographic, letter, number, kana, other
    }
}

/// Word segmentation with ICU's break iterator (UBRK_WORD, dictionary-based for Chinese).
/// ICU works in UTF-16; the boundaries are converted to scalar offsets, so supplementary
/// characters (two UTF-16 units) count as one. Whitespace-only segments are left out;
/// punctuation is kept as words of kind `other` unless `skipPunctuation`.
public struct WordSegmenter: Sendable {
    public var locale: String
    public var skipPunctuation: Bool

    public init(locale: String = "zh", skipPunctuation: Bool = false) {
        self.locale = locale; self.skipPunctuation = skipPunctuation
    }

    /// Word ranges of a string.
    public func words(_ text: String) throws -> [Word] { try words(ScalarText(text)) }

    /// Word ranges of a scalar text.
    public func words(_ text: ScalarText) throws -> [Word] {
        let u = UTF16Text(text.scalars)
        if u.units.isEmpty { return [] }
        var capacity = u.units.count + 2
        var bounds = [Int32](), statuses = [Int32]()
        var count: Int32 = 0
        while true {
            bounds = [Int32](repeating: 0, count: capacity)
            statuses = [Int32](repeating: 0, count: capacity)
            let rc = u.units.withUnsafeBufferPointer { t in
                bounds.withUnsafeMutableBufferPointer { bp in
                    statuses.withUnsafeMutableBufferPointer { sp in
                        locale.withCString { loc in
                            wsh_break(Int32(WSH_BREAK_WORD), loc, t.baseAddress, Int32(t.count),
                                      bp.baseAddress, sp.baseAddress, Int32(capacity), &count)
                        }
                    }
                }
            }
            if rc == WSH_BUFFER_TOO_SMALL { capacity = Int(count) + 1; continue }
            if rc < 0 { throw icuError(rc, .icu.breakIterator, stage: .segment) }
            break
        }
        var out: [Word] = []
        out.reserveCapacity(Int(count))
        for k in 1..<Int(count) {
            let lo = u.scalarOffset(utf16: Int(bounds[k - 1])), hi = u.scalarOffset(utf16: Int(bounds[k]))
            if hi <= lo { continue }
            let status = statuses[k]
            let kind: Word.Kind
            switch status {
            case 100..<200: kind = .number
            case 200..<300: kind = .letter
            case 300..<400: kind = .kana
            case 400..<500: kind = .ideographic
            default: kind = .other
            }
            if kind == .other {
                if text.scalars[lo..<hi].allSatisfy({ $0.properties.isWhitespace }) { continue }
                if skipPunctuation { continue }
            }
            out.append(Word(range: lo..<hi, text: text.slice(lo..<hi), kind: kind))
        }
        return out
    }
}
