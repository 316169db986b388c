/// Splits text into sentences, as scalar ranges (end exclusive, surrounding whitespace
/// trimmed, empty sentences dropped). A sentence ends after 。！？；!?; or an ellipsis
/// (…… or ...), together with the closing quotes and brackets that follow it (”’」』）》);
/// at a newline; and before a numbered item (一、 （一） (一) 1. 1、 (1) （1）) that starts a
/// line or follows a colon, as in "判决如下：一、被告人……".
public struct SentenceSegmenter: Sendable {
    /// Split at semicolons (default true: clauses of a judgment's decision are separated by ；).
    public var splitAtSemicolon: Bool

    public init(splitAtSemicolon: Bool = true) { self.splitAtSemicolon = splitAtSemicolon }

    static let closers: Set<UInt32> = [0x201D, 0x2019, 0x300D, 0x300F, 0xFF09, 0x300B, 0x29, 0x22, 0x27]
    static let chineseDigits: Set<UInt32> = Set("一二三四五六七八九十".unicodeScalars.map(\.value))

    @inline(__always) func isTerminator(_ v: UInt32) -> Bool {
        v == 0x3002 || v == 0xFF01 || v == 0xFF1F || v == 0x21 || v == 0x3F || v == 0x2026
            || (splitAtSemicolon && (v == 0xFF1B || v == 0x3B))
    }

    /// The length of a numbered-item marker starting at `i`, or 0.
    public static func itemMarkerLength(_ s: [Unicode.Scalar], at i: Int) -> Int {
        func isCD(_ k: Int) -> Bool { k < s.count && chineseDigits.contains(s[k].value) }
        func isD(_ k: Int) -> Bool { k < s.count && s[k].properties.numericType == .decimal && s[k].value < 0x80 }
        func at(_ k: Int, _ c: Unicode.Scalar) -> Bool { k < s.count && s[k] == c }
        // 一、 十二、
        var k = i
        while isCD(k) && k - i < 3 { k += 1 }
        if k > i, at(k, "、") { return k + 1 - i }
        // （一） (一) （1） (1)
        if at(i, "（") || at(i, "(") {
            k = i + 1
            while (isCD(k) || isD(k)) && k - i < 4 { k += 1 }
            if k > i + 1, at(k, "）") || at(k, ")") { return k + 1 - i }
        }
        // 1. 1、 (not a decimal number: the dot must not be followed by a digit)
        k = i
        while isD(k) && k - i < 3 { k += 1 }
        if k > i, at(k, "、") || (at(k, ".") && !isD(k + 1)) || at(k, "．") { return k + 1 - i }
        return 0
    }

    /// Sentence ranges of `text`.
    public func sentences(_ text: ScalarText) -> [Range<Int>] {
        sentences(text.scalars)
    }

    /// Sentence ranges of a scalar array.
    public func sentences(_ s: [Unicode.Scalar]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0
        func emit(_ end: Int) {
            var lo = start, hi = end
            while lo < hi, s[lo].properties.isWhitespace { lo += 1 }
            while hi > lo, s[hi - 1].properties.isWhitespace { hi -= 1 }
            if hi > lo { out.append(lo..<hi) }
            start = end
        }
        var i = 0
        while i < s.count {
            let v = s[i].value
            if v == 0x0A {
                emit(i + 1); i += 1; continue
            }
            if isTerminator(v) || (v == 0x2E && i + 2 < s.count && s[i + 1] == "." && s[i + 2] == ".") {
                var j = i + 1
                // Runs of end marks (……, ？！, ...).
                while j < s.count, isTerminator(s[j].value) || s[j] == "." { j += 1 }
                while j < s.count, Self.closers.contains(s[j].value) { j += 1 }
                emit(j); i = j; continue
            }
            if (v == 0xFF1A || v == 0x3A), i + 1 < s.count, Self.itemMarkerLength(s, at: i + 1) > 0 {
                emit(i + 1); i += 1; continue
            }
            i += 1
        }
        emit(s.count)
        return out
    }
}
