import Foundation
import WenshuCore
import WenshuTensor

/// Options for applying a bundle: which heads run, and their thresholds.
public struct AnnotatorOptions: Codable, Sendable, Equatable {
    /// Heads to run by name; nil runs all.
    public var heads: [String]?
    /// Per-head threshold overrides (multi-label classifiers, span scores).
    public var thresholds: [String: Double]
    public init(heads: [String]? = nil, thresholds: [String: Double] = [:]) { self.heads = heads; self.thresholds = thresholds }
}

/// A model bundle folder: manifest.json plus one safetensors file per module.
public final class ModelBundle: @unchecked Sendable {
    public let url: URL
    public let info: ModelInfo
    public init(url: URL, info: ModelInfo) { self.url = url; self.info = info }

    /// Loads and checks a bundle folder.
    public static func load(at url: URL) throws -> ModelBundle {
        throw WenshuError("bundle.unimplemented", "model bundles are not implemented yet", stage: .model, path: url.path)
    }

    /// Runs the selected heads over a batch of texts (the pipeline passes normalized text);
    /// spans come back as scalar offsets into the given strings (the pipeline maps them
    /// to extracted-text coordinates with `ModelAnnotations.mapped(through:)`).
    public func annotate(_ texts: [String], options: AnnotatorOptions = AnnotatorOptions()) throws -> [ModelAnnotations] {
        texts.map { _ in ModelAnnotations() }
    }
}
