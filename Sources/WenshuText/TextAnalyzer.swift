import Foundation
import WenshuCore

/// One normalization step, named as in pipeline YAML files.
public enum NormalizationStep: String, Codable, Sendable, CaseIterable {
    case nfc, nfkc
    case fullwidthToHalfwidth = "fullwidth_to_halfwidth"
    case traditionalToSimplified = "traditional_to_simplified"
    case whitespace
    case controlCharacters = "control_characters"
}

/// Configuration of the text layer: the normalization chain and structure options.
public struct TextConfig: Codable, Sendable, Equatable {
    public var normalization: [NormalizationStep]
    public init(normalization: [NormalizationStep] = [.nfkc, .fullwidthToHalfwidth, .whitespace, .controlCharacters]) {
        self.normalization = normalization
    }
}

/// The text layer's result for one document.
public struct TextAnalysis: Sendable {
    /// The normalized text with its alignment to the extracted text.
    public var normalized: NormalizedText
    /// Sentence ranges in normalized coordinates.
    public var sentences: [Range<Int>]
    /// Judgment structure; all offsets in extracted-text coordinates.
    public var structure: DocumentStructure
    public init(normalized: NormalizedText, sentences: [Range<Int>], structure: DocumentStructure) {
        self.normalized = normalized; self.sentences = sentences; self.structure = structure
    }
}

/// Normalizes, segments and structures a document. Safe to share between threads.
public final class TextAnalyzer: @unchecked Sendable {
    public let config: TextConfig
    public init(config: TextConfig = TextConfig()) throws { self.config = config }

    public func analyze(_ text: String) throws -> TextAnalysis {
        let n = NormalizedText(unchanged: text)
        return TextAnalysis(normalized: n, sentences: [0..<n.text.count], structure: DocumentStructure())
    }
}
