import WenshuCore

/// One normalization step: maps a normalized text to a new normalized text and keeps the
/// alignment back to the extracted text. Implementations build the alignment of their own
/// change (new scalars -> input scalars) with `AlignedBuilder` and compose it with the
/// input's alignment, so a chain of steps always maps back to the extracted text.
public protocol Normalizer: Sendable {
    /// The step's name as written in pipeline YAML.
    var step: NormalizationStep { get }
    /// Applies the step.
    func normalize(_ input: NormalizedText) throws -> NormalizedText
}
