import WenshuCore

/// Full-width letters, digits and ASCII punctuation (U+FF01-FF5E) to ASCII, and the
/// ideographic space U+3000 to a space. Chinese punctuation （），：；！？ stays as written
/// unless `keepChinesePunctuation` is false. Half-width katakana and CJK punctuation such
/// as 。 are left alone (ICU's Fullwidth-Halfwidth transliterator would turn 。 into ｡).
/// One scalar in, one scalar out: the alignment is the identity on positions.
public struct FullwidthNormalizer: Normalizer {
    public let step: NormalizationStep = .fullwidthToHalfwidth
    public let keepChinesePunctuation: Bool

    public init(keepChinesePunctuation: Bool = true) { self.keepChinesePunctuation = keepChinesePunctuation }

    /// The half-width form of `s`, or nil when it stays.
    public func halfwidth(_ s: Unicode.Scalar) -> Unicode.Scalar? {
        let v = s.value
        if v == 0x3000 { return " " }
        guard (0xFF01...0xFF5E).contains(v) else { return nil }
        if keepChinesePunctuation, CharClass.isChinesePunctuation(s) { return nil }
        return Unicode.Scalar(v - 0xFEE0)
    }

    public func normalize(_ input: NormalizedText) throws -> NormalizedText {
        let src = input.text.scalars
        var b = AlignedBuilder(capacity: src.count)
        for (i, s) in src.enumerated() {
            if let h = halfwidth(s) { b.substitute(h, at: i) } else { b.keep(s, at: i) }
        }
        return b.finish(from: input)
    }
}
