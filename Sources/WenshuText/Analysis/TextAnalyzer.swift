import Foundation
import WenshuCore

/// Normalizes, segments and structures a document: the configured normalizer chain, the
/// sentence segmenter, optionally ICU word segmentation, and the judgment rules.
///
/// Safe to share between threads: the normalizers are values except the traditional-to-
/// simplified one, whose ICU transliterators are pooled behind a lock; word breaking opens
/// its own ICU iterator per call.
public final class TextAnalyzer: @unchecked Sendable {
    public let config: TextConfig
    public let chain: NormalizerChain
    private let sentenceSegmenter = SentenceSegmenter()
    private let wordSegmenter: WordSegmenter
    private let structurer = JudgmentStructurer()
    /// Folds traditional text privately for the structure rules; nil when the chain already
    /// converts to simplified (or ICU lacks the transliterator: the rules then see the text as is).
    private let folding: TraditionalFolding?

    /// Builds the chain; fails (stage `config`) when an ICU transliterator cannot be opened.
    public init(config: TextConfig = TextConfig()) throws {
        self.config = config
        self.chain = try NormalizerChain(config: config)
        self.wordSegmenter = WordSegmenter(locale: config.wordLocale)
        self.folding = config.normalization.contains(.traditionalToSimplified) ? nil : try? TraditionalFolding()
    }

    /// Analyzes one extracted text.
    public func analyze(_ text: String) throws -> TextAnalysis {
        let normalized = try chain.normalize(text)
        let sentences = sentenceSegmenter.sentences(normalized.text)
        let structure = config.structure ? structurer.structure(normalized, folding: folding) : DocumentStructure()
        let words = config.words ? try wordSegmenter.words(normalized.text) : []
        return TextAnalysis(normalized: normalized, sentences: sentences, structure: structure, words: words)
    }
}
