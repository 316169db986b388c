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
    /// Document vector: per pooling group of columns, the mean then the max over positions
    /// (one group for a single encoder; one per part for a stacked encoder).
    public var document: [Float]
    /// Sentence number of each character (from the analysed text's sentences), for link features.
    public var sentence: [Int32] = []
    /// Column widths pooled separately into the document vector (sum = width).
    public var poolingGroups: [Int]
    /// Backward cache (training only).
    var cache: EncoderCache?
    /// Backward caches of a stacked encoder's parts (training only).
    var partCaches: [EncodedText]?
    /// Word starts found by an encoder that segments words (LAC).
    var wordStarts: Set<Int>?
    /// LAC's top-layer training caches, one per piece of the text, with the pieces (fine-tuning only).
    var lacTraining: (pieces: [Range<Int>], caches: [LACTopLayerCache])?
    /// The encoded characters, set by the trainer for heads that read the text itself
    /// (the classifiers' sparse n-gram path); nil at inference, where heads get the text.
    var text: [Unicode.Scalar]?

    init(length: Int, width: Int, vectors: [Float], document: [Float], cache: EncoderCache?, poolingGroups: [Int]? = nil) {
        self.length = length; self.width = width; self.vectors = vectors; self.document = document; self.cache = cache
        self.poolingGroups = poolingGroups ?? [width]
    }

    /// Vectors pooled into a document vector: for each column group, mean then max over rows.
    static func pool(_ vectors: [Float], rows: Int, width: Int, groups: [Int]) -> [Float] {
        var doc = [Float](repeating: 0, count: 2 * width)
        if rows == 0 { return doc }
        var col = 0, out = 0
        for g in groups {
            for j in 0..<g {
                var s: Float = 0, m = -Float.infinity
                var i = col + j
                for _ in 0..<rows { let v = vectors[i]; s += v; if v > m { m = v }; i += width }
                doc[out + j] = s / Float(rows)
                doc[out + g + j] = m
            }
            col += g; out += 2 * g
        }
        return doc
    }

    /// The rows of `ranges`, concatenated, as an encoded text of its own (no training cache),
    /// with its document vector pooled over those rows alone; `pooled: false` leaves the
    /// document vector empty (sentence windows of span and event heads, which read only rows).
    func rows(_ ranges: [Range<Int>], pooled: Bool = true) -> EncodedText {
        var v: [Float] = []
        var sent: [Int32] = []
        var n = 0
        for r in ranges {
            v.append(contentsOf: vectors[(r.lowerBound * width)..<(r.upperBound * width)])
            if !sentence.isEmpty { sent.append(contentsOf: sentence[r]) }
            n += r.count
        }
        let doc = ranges.count == 1 && ranges[0] == 0..<length ? document
            : pooled ? EncodedText.pool(v, rows: n, width: width, groups: poolingGroups) : []
        var out = EncodedText(length: n, width: width, vectors: v, document: doc, cache: nil, poolingGroups: poolingGroups)
        out.sentence = sent
        return out
    }
}

/// What the hashed n-gram encoder keeps from a forward pass to run its backward pass.
struct EncoderCache: Sendable {
    var ids: [Int32]          // [T x F] bucket ids
    var featuresPerChar: Int
    var mean: [Float]         // [T x D]
    var argmax: [Int32]       // [H] row of the max per column
    var hidden: [Float] = []  // [T x H] context-layer output before dropout (empty: no dropout)
    var keep: [Float] = []    // [T x H] dropout scale per element (0 or 1/(1-p))
}

/// A shared text encoder: analysed text in, contextual vectors out, computed once per text
/// and read by every head. Implementations: `HashedNgramEncoder` (trainable, small),
/// `LACEncoder` (Baidu LAC's pretrained character BiGRU, frozen) and `StackedEncoder`
/// (several encoders side by side). A bundle's manifest names the type; `EncoderTypes`
/// maps the name to the implementation.
public protocol TextEncoder: AnyObject, Sendable {
    /// Width of the per-character vectors.
    var outputDim: Int { get }
    /// Width of the document vector (mean and max pooling of each column group).
    var documentDim: Int { get }
    /// SHA-256 over the configuration and every weight: heads record it and refuse
    /// another encoder.
    var fingerprint: String { get }
    /// Trainable parameters (empty for a frozen encoder).
    var parameters: [Parameter] { get }
    /// Checks the configuration; a bad one is a WenshuError.
    func validate() throws
    /// Encodes one analysed text (inference: no training cache).
    func encode(_ text: AnalyzedText) -> EncodedText
    /// The manifest entry describing this encoder, with file names made from `prefix`.
    func manifestEntry(prefix: String) -> EncoderManifest
    /// Writes the encoder's files into a bundle folder and returns its manifest entry;
    /// `prefix` makes file names unique when several encoders share a folder.
    func write(to folder: URL, prefix: String) throws -> EncoderManifest
    /// A one-line human description (type, sizes).
    var summary: String { get }
}

/// The training side of an encoder (internal to WenshuModel).
protocol TrainableEncoder: TextEncoder {
    /// Training forward pass: keeps what `backward` needs; `dropout` zeroes that fraction of
    /// the character vectors (inverted dropout) with a mask drawn from `seed`.
    func encode(_ text: AnalyzedText, training: Bool, dropout: Float, seed: UInt64) -> EncodedText
    /// Accumulates parameter gradients given dL/d(vectors) [T x width] and dL/d(document).
    func backward(_ enc: EncodedText, dVectors: [Float]?, dDocument: [Float]?, into g: Gradients)
    /// Forgets the cached fingerprint (after training changed the weights).
    func invalidateFingerprint()
    /// Keeps (or stops keeping) inference outputs of frozen parts per text, so epochs after
    /// the first do not recompute them.
    func setOutputCache(_ on: Bool)
}

extension TrainableEncoder {
    func setOutputCache(_ on: Bool) {}
}

extension TextEncoder {
    /// The training forward pass where the encoder supports one, else the inference pass.
    func trainingEncode(_ text: AnalyzedText, training: Bool, dropout: Float, seed: UInt64) -> EncodedText {
        if let t = self as? TrainableEncoder { return t.encode(text, training: training, dropout: dropout, seed: seed) }
        return encode(text)
    }
}
