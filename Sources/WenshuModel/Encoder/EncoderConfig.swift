import Foundation
import WenshuCore

/// Hyper-parameters of the hashed character n-gram encoder. Stored in manifest.json;
/// part of the encoder's fingerprint.
public struct EncoderConfig: Codable, Sendable, Equatable {
    /// Width of the n-gram embedding rows.
    public var dim: Int
    /// Rows of the hashed embedding table.
    public var buckets: Int
    /// Smallest n-gram length.
    public var minN: Int
    /// Largest n-gram length.
    public var maxN: Int
    /// Characters on each side of a position whose n-grams feed it (position-tagged).
    public var window: Int
    /// Width of the context layer's output (per-character vector); 0 keeps the raw mean.
    public var hidden: Int
    /// Neighbouring mean vectors concatenated into the context layer on each side.
    public var context: Int
    /// Fold every digit to 0 before hashing.
    public var foldDigits: Bool
    /// Add word-boundary features when boundaries are given.
    public var wordFeatures: Bool
    /// Seed for the hash function and the initial weights.
    public var seed: UInt64

    /// The defaults chosen by measurement (see MODEL_CARD.md of the default bundle).
    public init(dim: Int = 64, buckets: Int = 1 << 16, minN: Int = 1, maxN: Int = 3, window: Int = 2,
                hidden: Int = 128, context: Int = 1, foldDigits: Bool = true, wordFeatures: Bool = false,
                seed: UInt64 = 1) {
        self.dim = dim; self.buckets = buckets; self.minN = minN; self.maxN = maxN; self.window = window
        self.hidden = hidden; self.context = context; self.foldDigits = foldDigits
        self.wordFeatures = wordFeatures; self.seed = seed
    }

    /// A tiny configuration for tests.
    public static let tiny = EncoderConfig(dim: 16, buckets: 4096, hidden: 24, context: 1)

    /// Width of the per-character output vectors.
    public var outputDim: Int { hidden > 0 ? hidden : dim }
    /// Width of the document vector (mean and max pooling concatenated).
    public var documentDim: Int { 2 * outputDim }

    /// Checks the values; a bad configuration is a WenshuError.
    public func validate() throws {
        if dim < 1 || buckets < 16 || minN < 1 || maxN < minN || maxN > 5 || window < 0 || window > 5
            || hidden < 0 || context < 0 || context > 3 {
            throw WenshuError(.bundle.badConfig, "invalid encoder configuration: \(self)", stage: .model)
        }
    }
}
