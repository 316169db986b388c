import Foundation
import WenshuCore

/// The table from a manifest's encoder `type` to the code that loads it: the one place an
/// encoder type is added. Passed by value (`ModelBundle.load(at:encoderTypes:)`), so a
/// caller or a test can add a type without touching the others; no global registry.
public struct EncoderTypes: Sendable {
    /// Loads an encoder from its manifest entry; files are read from the bundle folder.
    /// The table is passed along so that composite encoders can load their parts.
    public typealias Loader = @Sendable (_ entry: EncoderManifest, _ folder: URL, _ types: EncoderTypes) throws -> any TextEncoder

    /// Loaders by type name.
    public var loaders: [String: Loader]

    /// A table with the given loaders.
    public init(loaders: [String: Loader]) { self.loaders = loaders }

    /// The encoder types Wenshu ships.
    public static let builtIn = EncoderTypes(loaders: [
        HashedNgramEncoder.typeName: { e, f, _ in try HashedNgramEncoder.load(e, folder: f) },
        LACEncoder.typeName: { e, f, _ in try LACEncoder.load(e, folder: f) },
        StackedEncoder.typeName: { e, f, t in try StackedEncoder.load(e, folder: f, types: t) },
        TransformerEncoder.typeName: { e, f, _ in try TransformerEncoder.load(e, folder: f) },
    ])

    /// Loads `entry` and checks its fingerprint against the manifest.
    public func load(_ entry: EncoderManifest, folder: URL) throws -> any TextEncoder {
        guard let loader = loaders[entry.type] else {
            throw WenshuError(.bundle.badManifest,
                              "unsupported encoder type '\(entry.type)' (known: \(loaders.keys.sorted().joined(separator: ", ")))",
                              stage: .model, path: folder.appendingPathComponent("manifest.json").path)
        }
        let encoder = try loader(entry, folder, self)
        guard encoder.fingerprint == entry.fingerprint else {
            throw WenshuError(.bundle.fingerprintMismatch,
                              "\(entry.type) encoder weights have fingerprint \(encoder.fingerprint) but manifest.json records \(entry.fingerprint)",
                              stage: .model, path: folder.appendingPathComponent(entry.file ?? "manifest.json").path)
        }
        return encoder
    }
}
