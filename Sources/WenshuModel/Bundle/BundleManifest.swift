import Foundation

/// The encoder entry of manifest.json. `type` picks the implementation (see `EncoderTypes`);
/// the other fields are those that type reads.
public struct EncoderManifest: Codable, Sendable, Equatable {
    /// Encoder type: "hashed-ngram", "lac" or "stacked".
    public var type: String
    /// Configuration of a "hashed-ngram" encoder.
    public var config: EncoderConfig?
    /// Configuration of a "lac" encoder.
    public var lac: LACEncoderConfig?
    /// The parts of a "stacked" encoder, in column order.
    public var parts: [EncoderManifest]?
    /// SHA-256 of configuration and weights.
    public var fingerprint: String
    /// Tensor file name inside the bundle (nil for a stacked encoder, whose parts have files).
    public var file: String?
    /// Where pretrained weights came from and under which licence (pretrained encoders).
    public var origin: String?
    /// Configuration of a "transformer" encoder (checkpoint folder and its fingerprint).
    public var transformer: TransformerEncoderConfig?

    /// An entry with the given fields.
    public init(type: String, config: EncoderConfig? = nil, lac: LACEncoderConfig? = nil, parts: [EncoderManifest]? = nil,
                fingerprint: String, file: String? = nil, origin: String? = nil) {
        self.type = type; self.config = config; self.lac = lac; self.parts = parts
        self.fingerprint = fingerprint; self.file = file; self.origin = origin
    }
}

/// manifest.json of a model bundle.
public struct BundleManifest: Codable, Sendable, Equatable {
    /// Format tag, checked on load.
    public var format: String
    /// Bundle name.
    public var name: String
    /// Content version: changes whenever the encoder or any head changes.
    public var version: String
    /// The shared encoder.
    public var encoder: EncoderManifest
    /// Heads, each stored in head-<name>.safetensors.
    public var heads: [HeadDescription]
    /// Software versions that wrote the bundle.
    public var versions: [String: String]
    /// Free notes (training data, commands).
    public var notes: [String: String]?
    /// The bundle's default decision settings (thresholds, minimum scores, gates, named
    /// labels): every pipeline, `filter`, `watch` and `annotate` start from them, and a
    /// pipeline's own settings replace them head by head (`AnnotatorOptions.merged(over:)`).
    /// `wenshu eval` scores heads without them. Nil: none.
    public var decisions: AnnotatorOptions?

    /// The current bundle format.
    public static let currentFormat = "wenshu.bundle/1"
    /// The software version string recorded in manifests.
    public static let softwareVersion = "wenshu-model 0.1"
}
