import Foundation

/// The encoder entry of manifest.json.
public struct EncoderManifest: Codable, Sendable, Equatable {
    /// Encoder type ("hashed-ngram").
    public var type: String
    /// Its configuration.
    public var config: EncoderConfig
    /// SHA-256 of configuration and weights.
    public var fingerprint: String
    /// Tensor file name inside the bundle.
    public var file: String
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

    /// The current bundle format.
    public static let currentFormat = "wenshu.bundle/1"
    /// The software version string recorded in manifests.
    public static let softwareVersion = "wenshu-model 0.1"
}
