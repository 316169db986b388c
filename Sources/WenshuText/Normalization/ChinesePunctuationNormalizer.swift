import WenshuCore

/// Chinese punctuation to ASCII: ，->,  ：->:  ；->;  ！->!  ？->?  （->(  ）->)  、->,
/// “”->"  ‘’->'  【】〔〕->[]. 。《》 and … stay (no ASCII equivalent a reader would accept).
/// Off by default; for pipelines that feed tools expecting ASCII punctuation.
public struct ChinesePunctuationNormalizer: Normalizer {
    public let step: NormalizationStep = .chinesePunctuationToASCII
    public init() {}

    static let table: [UInt32: Unicode.Scalar] = [
        0xFF0C: ",", 0xFF1A: ":", 0xFF1B: ";", 0xFF01: "!", 0xFF1F: "?", 0xFF08: "(", 0xFF09: ")",
        0x3001: ",", 0x201C: "\"", 0x201D: "\"", 0x2018: "'", 0x2019: "'", 0x3010: "[", 0x3011: "]",
        0x3014: "[", 0x3015: "]",
    ]

    public func normalize(_ input: NormalizedText) throws -> NormalizedText {
        let src = input.text.scalars
        var b = AlignedBuilder(capacity: src.count)
        for (i, s) in src.enumerated() {
            if let a = Self.table[s.value] { b.substitute(a, at: i) } else { b.keep(s, at: i) }
        }
        return b.finish(from: input)
    }
}
