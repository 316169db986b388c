import Foundation
import WenshuCore

/// The output of an encoder for one text: one vector per character and one per document.
public struct EncodedText: Sendable {
    /// Number of characters (Unicode scalars).
    public let length: Int
    /// Width of each character vector.
    public let width: Int
    /// Character vectors, row-major [length x width].
    public var vectors: [Float]
    /// Document vector (mean and max pooling of the character vectors).
    public var document: [Float]
    /// Sentence number of each character (sentences end after 。！？；!?;), for link features.
    public var sentence: [Int32] = []
    /// Backward cache (training only).
    var cache: EncoderCache?
    /// The encoded characters, set by the trainer for heads that read the text itself
    /// (the classifiers' sparse n-gram path); nil at inference, where heads get the text.
    var text: [Unicode.Scalar]?

    init(length: Int, width: Int, vectors: [Float], document: [Float], cache: EncoderCache?) {
        self.length = length; self.width = width; self.vectors = vectors; self.document = document; self.cache = cache
    }
}

/// What the encoder keeps from a forward pass to run its backward pass.
struct EncoderCache: Sendable {
    var ids: [Int32]          // [T x F] bucket ids
    var featuresPerChar: Int
    var mean: [Float]         // [T x D]
    var argmax: [Int32]       // [H] row of the max per column
    var hidden: [Float] = []  // [T x H] context-layer output before dropout (empty: no dropout)
    var keep: [Float] = []    // [T x H] dropout scale per element (0 or 1/(1-p))
}

/// A shared text encoder: characters in, contextual vectors out, computed once per text
/// and read by every head.
public protocol Encoder: AnyObject, Sendable {
    /// Its configuration.
    var config: EncoderConfig { get }
    /// SHA-256 over the configuration and every weight: heads record it and refuse
    /// another encoder.
    var fingerprint: String { get }
    /// Encodes one text (word-boundary starts optional, scalar offsets).
    func encode(_ text: [Unicode.Scalar], wordStarts: Set<Int>?) -> EncodedText
}
