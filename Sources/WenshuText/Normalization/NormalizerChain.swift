import WenshuCore

/// The configured chain of normalizers, built once and applied in order; each step's
/// alignment is composed onto the previous one so the result maps to the extracted text.
public struct NormalizerChain: Sendable {
    public let normalizers: [any Normalizer]

    public init(normalizers: [any Normalizer]) { self.normalizers = normalizers }

    /// Builds the chain for a configuration (opens ICU transliterators now, so a broken
    /// ICU installation fails at configuration time).
    public init(config: TextConfig) throws {
        var list: [any Normalizer] = []
        for step in config.normalization {
            switch step {
            case .nfc, .nfkc: list.append(try UnicodeFormNormalizer(step: step, protectChinesePunctuation: config.keepChinesePunctuation))
            case .fullwidthToHalfwidth: list.append(FullwidthNormalizer(keepChinesePunctuation: config.keepChinesePunctuation))
            case .traditionalToSimplified: list.append(try TraditionalToSimplifiedNormalizer())
            case .whitespace: list.append(WhitespaceNormalizer())
            case .spacedTitle: list.append(WhitespaceNormalizer(onlyBetweenCJK: true))
            case .controlCharacters: list.append(ControlCharacterNormalizer())
            case .chinesePunctuationToASCII: list.append(ChinesePunctuationNormalizer())
            }
        }
        normalizers = list
    }

    /// Normalizes an extracted text.
    public func normalize(_ text: String) throws -> NormalizedText {
        try normalize(NormalizedText(unchanged: text))
    }

    /// Applies every step to an already normalized text.
    public func normalize(_ input: NormalizedText) throws -> NormalizedText {
        var n = input
        for step in normalizers { n = try step.normalize(n) }
        return n
    }
}
