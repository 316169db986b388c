import Foundation

/// Hugging Face's BERT "basic tokenizer" (the `BertNormalizer` and `BertPreTokenizer` of the
/// `tokenizers` library): text cleaning, CJK characters split, optional accent stripping and
/// lowercasing, then words split on whitespace with punctuation isolated. Every produced
/// scalar remembers the scalar of the input it came from, so words carry offsets into the
/// original text (Unicode scalars, end exclusive).
public struct BertBasicTokenizer: Sendable, Equatable {
    /// Lowercase the text (`do_lower_case` / the normalizer's `lowercase`).
    public var lowercase: Bool
    /// Remove accents (NFD, then drop non-spacing marks); nil: as `lowercase` (Hugging Face's default).
    public var stripAccents: Bool?
    /// Put spaces around CJK ideographs so that each is a word of its own.
    public var handleChineseChars: Bool
    /// Remove control characters and map whitespace to spaces.
    public var cleanText: Bool

    /// A basic tokenizer with Hugging Face's defaults.
    public init(lowercase: Bool = true, stripAccents: Bool? = nil, handleChineseChars: Bool = true, cleanText: Bool = true) {
        self.lowercase = lowercase; self.stripAccents = stripAccents
        self.handleChineseChars = handleChineseChars; self.cleanText = cleanText
    }

    /// One word after pre-tokenization: normalized scalars and the original scalar of each.
    public struct Word: Sendable, Equatable {
        /// Normalized scalars.
        public var scalars: [Unicode.Scalar]
        /// Index in the original text of each normalized scalar.
        public var origins: [Int]
        /// Scalar range in the original text.
        public var range: Range<Int> { (origins.first ?? 0)..<((origins.last ?? -1) + 1) }
    }

    /// The words of `text[range]` (offsets are into `text`).
    public func words(_ text: [Unicode.Scalar], range: Range<Int>? = nil) -> [Word] {
        let r = range ?? 0..<text.count
        var out: [Word] = []
        var cur = Word(scalars: [], origins: [])
        func flush() { if !cur.scalars.isEmpty { out.append(cur); cur = Word(scalars: [], origins: []) } }
        let strip = stripAccents ?? lowercase
        var piece: [Unicode.Scalar] = []
        for i in r {
            let c = text[i]
            // Normalizer: clean text, CJK padding, accents, lowercase (the tokenizers crate's order).
            if cleanText {
                if c.value == 0 || c.value == 0xFFFD || Self.isControl(c) { continue }
                if Self.isWhitespace(c) { flush(); continue }
            }
            if handleChineseChars && Self.isChineseChar(c) {
                flush()
                cur.scalars.append(c); cur.origins.append(i)
                flush()
                continue
            }
            piece.removeAll(keepingCapacity: true)
            if c.value < 0x80 {
                piece.append(lowercase && c.value >= 65 && c.value <= 90 ? Unicode.Scalar(c.value + 32)! : c)
            } else {
                if strip {
                    for d in String(Character(c)).decomposedStringWithCanonicalMapping.unicodeScalars
                    where d.properties.generalCategory != .nonspacingMark { piece.append(d) }
                } else {
                    piece.append(c)
                }
                if lowercase {
                    var low: [Unicode.Scalar] = []
                    for p in piece { low.append(contentsOf: p.properties.lowercaseMapping.unicodeScalars) }
                    piece = low
                }
            }
            // Pre-tokenizer: whitespace splits, punctuation is a word of its own.
            for p in piece {
                if Self.isWhitespace(p) { flush(); continue }
                if Self.isPunctuation(p) {
                    flush(); cur.scalars.append(p); cur.origins.append(i); flush()
                } else {
                    cur.scalars.append(p); cur.origins.append(i)
                }
            }
        }
        flush()
        return out
    }

    /// Whitespace as the tokenizers crate sees it: tab, newline, carriage return and every
    /// scalar with the Unicode White_Space property.
    static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r" || (c.value >= 0x80 || c.value < 0x20 ? c.properties.isWhitespace : false)
    }

    /// A control character: general category C* (Cc, Cf, Cs, Co, Cn) except tab, newline and carriage return.
    static func isControl(_ c: Unicode.Scalar) -> Bool {
        if c == "\t" || c == "\n" || c == "\r" { return false }
        if c.value >= 0x20 && c.value < 0x7F { return false }
        switch c.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    /// Punctuation: ASCII punctuation (which includes symbols such as $ + < = > ^ ` | ~) or general category P*.
    static func isPunctuation(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) { return true }
        if v < 0x80 { return false }
        switch c.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
    }

    /// A CJK ideograph as BERT defines it (the URO, extension A, extensions B to F, and the
    /// compatibility blocks); not Hiragana, Katakana or Hangul.
    static func isChineseChar(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2A6DF).contains(v)
            || (0x2A700...0x2B73F).contains(v) || (0x2B740...0x2B81F).contains(v) || (0x2B920...0x2CEAF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x2F800...0x2FA1F).contains(v)
    }
}
