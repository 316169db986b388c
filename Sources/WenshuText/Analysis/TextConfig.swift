/// Configuration of the text layer: the normalization chain and analysis options.
/// Decoded from pipeline YAML with snake_case keys; every key is optional.
public struct TextConfig: Codable, Sendable, Equatable {
    /// The normalization chain, applied in order.
    public var normalization: [NormalizationStep]
    /// Keep Chinese punctuation （），。：；！？ as written through NFKC and full-width folding
    /// (default true). Use the `chinese_punctuation_to_ascii` step to convert it on purpose.
    public var keepChinesePunctuation: Bool
    /// Run the judgment structure rules in `analyze` (default true).
    public var structure: Bool
    /// Run ICU dictionary word segmentation in `analyze` (default false: it is the costliest step).
    public var words: Bool
    /// Locale for ICU word breaking (default "zh").
    public var wordLocale: String

    /// The default chain.
    public static let defaultNormalization: [NormalizationStep] = [.nfkc, .fullwidthToHalfwidth, .whitespace, .controlCharacters]

    public init(normalization: [NormalizationStep] = TextConfig.defaultNormalization,
                keepChinesePunctuation: Bool = true, structure: Bool = true, words: Bool = false,
                wordLocale: String = "zh") {
        self.normalization = normalization; self.keepChinesePunctuation = keepChinesePunctuation
        self.structure = structure; self.words = words; self.wordLocale = wordLocale
    }

    enum CodingKeys: String, CodingKey {
        case normalization, keepChinesePunctuation = "keep_chinese_punctuation", structure, words
        case wordLocale = "word_locale"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TextConfig()
        normalization = try c.decodeIfPresent([NormalizationStep].self, forKey: .normalization) ?? d.normalization
        keepChinesePunctuation = try c.decodeIfPresent(Bool.self, forKey: .keepChinesePunctuation) ?? d.keepChinesePunctuation
        structure = try c.decodeIfPresent(Bool.self, forKey: .structure) ?? d.structure
        words = try c.decodeIfPresent(Bool.self, forKey: .words) ?? d.words
        wordLocale = try c.decodeIfPresent(String.self, forKey: .wordLocale) ?? d.wordLocale
    }
}
