import Foundation
import WenshuCore
import WenshuTensor

/// A model bundle: one shared encoder and named task heads, stored as a folder with
/// `manifest.json` and one safetensors file per module (`encoder.safetensors`,
/// `head-<name>.safetensors`). Every head records the fingerprint of the encoder it was
/// trained on and is refused on any other encoder.
///
/// Thread safety: `annotate` may run from several threads at once; training and
/// head edits must not overlap with anything else.
public final class ModelBundle: @unchecked Sendable {
    /// Folder it was loaded from or last saved to.
    public private(set) var url: URL?
    /// Bundle name.
    public var name: String
    /// The shared encoder.
    public let encoder: HashedNgramEncoder
    /// Heads in order.
    var modules: [TaskHead]
    /// Free notes kept in the manifest (training commands, data).
    public var notes: [String: String] = [:]
    private var cachedVersion: String?
    private let lock = NSLock()

    init(name: String, encoder: HashedNgramEncoder, heads: [TaskHead], url: URL?) {
        self.name = name; self.encoder = encoder; self.modules = heads; self.url = url
    }

    /// A new bundle with a freshly initialised encoder and no heads. The configuration is
    /// checked when the bundle is trained, used or saved (a bad one is a WenshuError then).
    public static func create(name: String, encoder config: EncoderConfig) -> ModelBundle {
        ModelBundle(name: name, encoder: HashedNgramEncoder(config: config), heads: [], url: nil)
    }

    /// The heads' descriptions.
    public var heads: [HeadDescription] { modules.map(\.description) }

    /// The encoder's fingerprint.
    public var fingerprint: String { encoder.fingerprint }

    /// Name and content version (a hash over the encoder fingerprint and every head's
    /// description and weights), as written in result records.
    public var info: ModelInfo { ModelInfo(name: name, version: version) }

    /// The content version: first 16 hex digits of a SHA-256 over the encoder fingerprint and all heads.
    public var version: String {
        lock.lock(); defer { lock.unlock() }
        if let v = cachedVersion { return v }
        let v = computeVersion()
        cachedVersion = v
        return v
    }

    private func computeVersion() -> String {
        var h = SHA256Hasher()
        h.update(Array(encoder.fingerprint.utf8))
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        for m in modules {
            var d = m.description
            d.metrics = [:]; d.training = nil
            h.update(Array((try? enc.encode(d)) ?? Data()))
            for p in m.parameters { h.update(Array(p.name.utf8)); p.value.withUnsafeBytes { h.update($0) } }
        }
        return String(h.finalize().prefix(16))
    }

    /// The head named `name`.
    public func head(named name: String) -> TaskHead? { modules.first { $0.description.name == name } }

    static func checkHeadName(_ name: String) throws {
        let ok = !name.isEmpty && name.count <= 64 && name.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-" || $0 == "."
        } && !name.hasPrefix(".")
        if !ok {
            throw WenshuError("bundle.bad_head_name", "head name '\(name)' must be 1-64 letters, digits, '_', '-' or '.' (not starting with '.')", stage: .model)
        }
    }

    // MARK: load and save

    /// Loads and checks a bundle folder: manifest format, encoder configuration, every
    /// tensor's shape, the encoder fingerprint, and each head's recorded fingerprint.
    public static func load(at url: URL) throws -> ModelBundle {
        let manifestURL = url.appendingPathComponent("manifest.json")
        let data: Data
        do { data = try Data(contentsOf: manifestURL) }
        catch { throw WenshuError("bundle.missing_manifest", "no readable manifest.json in the bundle folder", stage: .model, path: manifestURL.path) }
        let manifest: BundleManifest
        do { manifest = try JSONDecoder().decode(BundleManifest.self, from: data) }
        catch { throw WenshuError("bundle.bad_manifest", "manifest.json does not decode: \(error)", stage: .model, path: manifestURL.path) }
        guard manifest.format == BundleManifest.currentFormat else {
            throw WenshuError("bundle.bad_manifest", "unsupported bundle format '\(manifest.format)' (expected \(BundleManifest.currentFormat))",
                              stage: .model, path: manifestURL.path)
        }
        guard manifest.encoder.type == "hashed-ngram" else {
            throw WenshuError("bundle.bad_manifest", "unsupported encoder type '\(manifest.encoder.type)'", stage: .model, path: manifestURL.path)
        }
        try manifest.encoder.config.validate()
        let encURL = url.appendingPathComponent(manifest.encoder.file)
        let encoder = try HashedNgramEncoder(config: manifest.encoder.config, tensors: SafeTensors.read(from: encURL).tensors, path: encURL.path)
        guard encoder.fingerprint == manifest.encoder.fingerprint else {
            throw WenshuError("bundle.fingerprint_mismatch",
                              "encoder weights have fingerprint \(encoder.fingerprint) but manifest.json records \(manifest.encoder.fingerprint)",
                              stage: .model, path: encURL.path)
        }
        var heads: [TaskHead] = []
        for d in manifest.heads {
            try checkHeadName(d.name)
            let hURL = url.appendingPathComponent("head-\(d.name).safetensors")
            guard d.encoderFingerprint == encoder.fingerprint else {
                throw WenshuError("bundle.fingerprint_mismatch",
                                  "head '\(d.name)' was trained on encoder \(d.encoderFingerprint) but this bundle's encoder is \(encoder.fingerprint)",
                                  stage: .model, path: hURL.path)
            }
            let t = try SafeTensors.read(from: hURL).tensors
            heads.append(try HeadFactory.make(d, inputDim: encoder.config.outputDim, documentDim: encoder.config.documentDim,
                                              tensors: t, path: hURL.path, seed: 0))
        }
        let b = ModelBundle(name: manifest.name, encoder: encoder, heads: heads, url: url)
        b.notes = manifest.notes ?? [:]
        return b
    }

    /// The manifest as it would be written now.
    public var manifest: BundleManifest {
        BundleManifest(format: BundleManifest.currentFormat, name: name, version: version,
                       encoder: EncoderManifest(type: "hashed-ngram", config: encoder.config, fingerprint: encoder.fingerprint,
                                                file: "encoder.safetensors"),
                       heads: heads, versions: ["software": BundleManifest.softwareVersion, "format": BundleManifest.currentFormat],
                       notes: notes.isEmpty ? nil : notes)
    }

    /// Writes the bundle folder (created if needed); stale head files of removed heads are deleted.
    public func save(to url: URL) throws {
        try encoder.config.validate()
        let fm = FileManager.default
        do { try fm.createDirectory(at: url, withIntermediateDirectories: true) }
        catch { throw WenshuError("bundle.write_failed", "cannot create the bundle folder: \(error.localizedDescription)", stage: .model, path: url.path) }
        try SafeTensors.write(encoder.parameters.tensors, metadata: ["module": "encoder", "fingerprint": encoder.fingerprint],
                              to: url.appendingPathComponent("encoder.safetensors"))
        for m in modules {
            try SafeTensors.write(m.parameters.tensors, metadata: ["module": "head", "name": m.description.name, "kind": m.description.kind.rawValue],
                                  to: url.appendingPathComponent("head-\(m.description.name).safetensors"))
        }
        let keep = Set(modules.map { "head-\($0.description.name).safetensors" })
        if let files = try? fm.contentsOfDirectory(atPath: url.path) {
            for f in files where f.hasPrefix("head-") && f.hasSuffix(".safetensors") && !keep.contains(f) {
                try? fm.removeItem(at: url.appendingPathComponent(f))
            }
        }
        let enc = JSONEncoder(); enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do { try enc.encode(manifest).write(to: url.appendingPathComponent("manifest.json"), options: .atomic) }
        catch { throw WenshuError("bundle.write_failed", "cannot write manifest.json: \(error.localizedDescription)", stage: .model, path: url.path) }
        self.url = url
    }

    // MARK: heads

    /// Removes a head; unknown names are an error.
    public func removeHead(named name: String) throws {
        guard let i = modules.firstIndex(where: { $0.description.name == name }) else {
            throw WenshuError("bundle.unknown_head", "no head named '\(name)' (heads: \(heads.map(\.name).joined(separator: ", ")))", stage: .model)
        }
        modules.remove(at: i)
        invalidateVersion()
    }

    func invalidateVersion() { lock.lock(); cachedVersion = nil; lock.unlock() }

    /// Copies head `name` from another bundle. Refused (code "bundle.fingerprint_mismatch")
    /// when the head was trained on an encoder other than this bundle's, and (code
    /// "bundle.head_exists") when this bundle already has a head of that name unless `replace`.
    public func addHead(named name: String, from other: ModelBundle, replace: Bool = false) throws {
        guard let h = other.head(named: name) else {
            throw WenshuError("bundle.unknown_head", "bundle '\(other.name)' has no head named '\(name)'", stage: .model)
        }
        guard h.description.encoderFingerprint == encoder.fingerprint else {
            throw WenshuError("bundle.fingerprint_mismatch",
                              "head '\(name)' was trained on encoder \(h.description.encoderFingerprint); this bundle's encoder is \(encoder.fingerprint): retrain the head on this bundle",
                              stage: .model, path: other.url?.path)
        }
        if !replace && head(named: name) != nil {
            throw WenshuError("bundle.head_exists",
                              "this bundle already has a head named '\(name)'; pass --replace to replace it",
                              stage: .model, path: url?.path)
        }
        let copy = try HeadFactory.make(h.description, inputDim: encoder.config.outputDim, documentDim: encoder.config.documentDim,
                                        tensors: h.parameters.tensors, path: other.url?.path ?? other.name, seed: 0)
        install(copy)
    }

    /// Adds or replaces a head.
    func install(_ head: TaskHead) {
        if let i = modules.firstIndex(where: { $0.description.name == head.description.name }) { modules[i] = head }
        else { modules.append(head) }
        invalidateVersion()
    }

    // MARK: inference

    /// Runs the selected heads over a batch of texts (the pipeline passes normalized text);
    /// the encoder runs once per text and every selected head reads its output. Spans come
    /// back as scalar offsets into the given strings (the pipeline maps them to
    /// extracted-text coordinates with `ModelAnnotations.mapped(through:)`). Any length works.
    public func annotate(_ texts: [String], options: AnnotatorOptions = AnnotatorOptions()) throws -> [ModelAnnotations] {
        let selected = try selectHeads(options.heads)
        if !selected.isEmpty { try encoder.config.validate() }
        return texts.map { annotate(ScalarText($0), heads: selected, thresholds: options.thresholds) }
    }

    func selectHeads(_ names: [String]?) throws -> [TaskHead] {
        guard let names else { return modules }
        return try names.map { n in
            guard let h = head(named: n) else {
                throw WenshuError("bundle.unknown_head", "no head named '\(n)' in bundle '\(name)' (heads: \(heads.map(\.name).joined(separator: ", ")))", stage: .model)
            }
            return h
        }
    }

    func annotate(_ text: ScalarText, heads: [TaskHead], thresholds: [String: Double]) -> ModelAnnotations {
        var out = ModelAnnotations()
        if heads.isEmpty { return out }
        let enc = encoder.encode(text.scalars, wordStarts: nil)
        // Classifiers read the whole document; span and event heads read sentence windows.
        let windows = SentenceWindows.ranges(text.scalars)
        for h in heads {
            let threshold = thresholds[h.description.name]
            if h.description.kind == .singleLabel || h.description.kind == .multiLabel || windows.count == 1 {
                h.annotate(enc, text: text, threshold: threshold, into: &out)
                continue
            }
            for w in windows {
                var part = ModelAnnotations()
                h.annotate(SentenceWindows.slice(enc, w), text: ScalarText(scalars: Array(text.scalars[w])),
                           threshold: threshold, into: &part)
                let moved = SentenceWindows.shifted(part, by: w.lowerBound)
                out.classifications += moved.classifications
                out.entities += moved.entities
                out.events += moved.events
            }
        }
        return out
    }
}
