import WenshuCore

/// The text layer's result for one document.
public struct TextAnalysis: Sendable {
    /// The normalized text with its alignment to the extracted text.
    public var normalized: NormalizedText
    /// Sentence ranges in normalized coordinates.
    public var sentences: [Range<Int>]
    /// Judgment structure; all offsets in extracted-text coordinates.
    public var structure: DocumentStructure
    /// Words (normalized coordinates), when `TextConfig.words` is on; else empty.
    public var words: [Word]

    public init(normalized: NormalizedText, sentences: [Range<Int>], structure: DocumentStructure, words: [Word] = []) {
        self.normalized = normalized; self.sentences = sentences; self.structure = structure; self.words = words
    }

    /// A sentence as a span of the extracted text.
    public func sourceSpan(ofSentence k: Int) -> Span { normalized.sourceSpan(sentences[k]) }
}
