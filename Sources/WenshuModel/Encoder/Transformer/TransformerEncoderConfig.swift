import Foundation
import WenshuCore

/// Configuration of a "transformer" encoder (a BERT-compatible Hugging Face checkpoint,
/// frozen). Stored in manifest.json; the bundle records the checkpoint folder, not its
/// weights, and the folder's fingerprint so that a missing or changed folder is refused.
public struct TransformerEncoderConfig: Codable, Sendable, Equatable {
    /// The checkpoint folder (config.json, model.safetensors, vocab.txt or tokenizer.json);
    /// a relative path is read against the bundle folder.
    public var checkpoint: String
    /// SHA-256 over the checkpoint's files (config, tokenizer files, weights).
    public var checkpointFingerprint: String
    /// Tokens per window, [CLS] and [SEP] included (at most the model's positions).
    public var maxLength: Int
    /// Tokens shared by consecutive windows of a long text.
    public var stride: Int
    /// Windows run together in one forward pass.
    public var batchSize: Int
    /// Threads of one forward pass (BLAS and the attention loops).
    public var threads: Int

    /// A configuration; the fingerprint is filled in when the checkpoint is loaded.
    public init(checkpoint: String, checkpointFingerprint: String = "", maxLength: Int = 512, stride: Int = 128,
                batchSize: Int = 8, threads: Int = 1) {
        self.checkpoint = checkpoint; self.checkpointFingerprint = checkpointFingerprint
        self.maxLength = maxLength; self.stride = stride; self.batchSize = batchSize; self.threads = threads
    }

    /// Checks the window settings (against the model's longest sequence when given).
    public func validate(maxSequence: Int? = nil) throws {
        func bad(_ m: String) -> WenshuError { WenshuError(.transformer.badConfig, m, stage: .model) }
        if maxLength < 3 { throw bad("max length \(maxLength) leaves no room for text between [CLS] and [SEP]") }
        if let m = maxSequence, maxLength > m { throw bad("max length \(maxLength) exceeds the model's \(m) positions") }
        if stride < 0 || stride >= maxLength - 2 { throw bad("stride \(stride) must be at least 0 and below max length - 2 (\(maxLength - 2))") }
        if batchSize < 1 || threads < 1 { throw bad("batch size and threads must be at least 1") }
    }
}
