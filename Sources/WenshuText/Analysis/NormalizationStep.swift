/// One normalization step, named as in pipeline YAML files.
public enum NormalizationStep: String, Codable, Sendable, CaseIterable {
    /// Unicode canonical composition (ICU NFC).
    case nfc
    /// Unicode compatibility composition (ICU NFKC), Chinese punctuation protected unless
    /// `TextConfig.keepChinesePunctuation` is false.
    case nfkc
    /// Full-width letters, digits, ASCII punctuation and U+3000 to their half-width forms;
    /// Chinese punctuation （），。：；！？ stays.
    case fullwidthToHalfwidth = "fullwidth_to_halfwidth"
    /// Traditional to simplified characters with ICU's Traditional-Simplified transliterator.
    case traditionalToSimplified = "traditional_to_simplified"
    /// U+3000, NBSP, zero-width characters, spaces between Chinese characters (spaced titles),
    /// runs of spaces; newlines kept as paragraph breaks (CRLF and CR become LF).
    case whitespace
    /// Control characters removed (tab and newline kept).
    case controlCharacters = "control_characters"
    /// Removes only the spaces between two Chinese characters ("民 事 判 决 书" -> "民事判决书").
    /// Included in `whitespace`; useful alone when other spacing must stay.
    case spacedTitle = "spaced_title"
    /// Chinese punctuation to ASCII (，->, ：->: （->( ...). Off by default: legal text keeps it.
    case chinesePunctuationToASCII = "chinese_punctuation_to_ascii"
}
