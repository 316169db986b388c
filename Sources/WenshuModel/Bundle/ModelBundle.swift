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
    public let encoder: any TextEncoder
    /// Heads in order.
    var modules: [TaskHead]
    /// The head kinds this bundle builds, trains and scores heads with.
    public let headKinds: HeadKinds
    /// Free notes kept in the manifest (training commands, data).
    public var notes: [String: String] = [:]
    /// Default decision settings (`BundleManifest.decisions`), nil when the bundle has none.
    public var decisions: AnnotatorOptions?
    /// Hashes of the texts the shared encoder was trained on (`encoder-texts.bin`).
    public internal(set) var encoderTexts = EncoderTrainingTexts()
    private var cachedVersion: String?
    /// Charge-name matchers per head object (built once from its labels).
    private var matchers: [ObjectIdentifier: ChargeNameMatcher] = [:]
    private let lock = NSLock()

    init(name: String, encoder: any TextEncoder, heads: [TaskHead], url: URL?, headKinds: HeadKinds = .builtIn) {
        self.name = name; self.encoder = encoder; self.modules = heads; self.url = url; self.headKinds = headKinds
    }

    /// A new bundle with a freshly initialised encoder and no heads. The configuration is
    /// checked when the bundle is trained, used or saved (a bad one is a WenshuError then).
    public static func create(name: String, encoder config: EncoderConfig) -> ModelBundle {
        ModelBundle(name: name, encoder: HashedNgramEncoder(config: config), heads: [], url: nil)
    }

    /// A new bundle over a given encoder (for example a stacked n-gram + LAC encoder) and no heads.
    public static func create(name: String, encoder: any TextEncoder, headKinds: HeadKinds = .builtIn) -> ModelBundle {
        ModelBundle(name: name, encoder: encoder, heads: [], url: nil, headKinds: headKinds)
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
            throw WenshuError(.bundle.badHeadName, "head name '\(name)' must be 1-64 letters, digits, '_', '-' or '.' (not starting with '.')", stage: .model)
        }
    }

    // MARK: load and save

    /// Loads and checks a bundle folder: manifest format, encoder configuration, every
    /// tensor's shape, the encoder fingerprint, and each head's recorded fingerprint.
    /// Encoders are built from `encoderTypes`, heads from `headKinds` (an unknown type or kind
    /// is an error naming the known ones).
    public static func load(at url: URL, encoderTypes: EncoderTypes = .builtIn, headKinds: HeadKinds = .builtIn) throws -> ModelBundle {
        let manifestURL = url.appendingPathComponent("manifest.json")
        let data: Data
        do { data = try Data(contentsOf: manifestURL) }
        catch { throw WenshuError(.bundle.missingManifest, "no readable manifest.json in the bundle folder", stage: .model, path: manifestURL.path) }
        let manifest: BundleManifest
        do { manifest = try JSONDecoder().decode(BundleManifest.self, from: data) }
        catch { throw WenshuError(.bundle.badManifest, "manifest.json does not decode: \(error)", stage: .model, path: manifestURL.path) }
        guard manifest.format == BundleManifest.currentFormat else {
            throw WenshuError(.bundle.badManifest, "unsupported bundle format '\(manifest.format)' (expected \(BundleManifest.currentFormat))",
                              stage: .model, path: manifestURL.path)
        }
        let encoder = try encoderTypes.load(manifest.encoder, folder: url)
        var heads: [TaskHead] = []
        for d in manifest.heads {
            try checkHeadName(d.name)
            let hURL = url.appendingPathComponent("head-\(d.name).safetensors")
            guard d.encoderFingerprint == encoder.fingerprint else {
                throw WenshuError(.bundle.fingerprintMismatch,
                                  "head '\(d.name)' was trained on encoder \(d.encoderFingerprint) but this bundle's encoder is \(encoder.fingerprint)",
                                  stage: .model, path: hURL.path)
            }
            let kind = try headKinds.definition(d.kind, head: d.name, path: manifestURL.path)
            let t = try SafeTensors.read(from: hURL).tensors
            heads.append(try kind.make(d, encoder: EncoderDimensions(encoder), tensors: t, path: hURL.path, seed: 0))
        }
        let b = ModelBundle(name: manifest.name, encoder: encoder, heads: heads, url: url, headKinds: headKinds)
        b.notes = manifest.notes ?? [:]
        // Default decisions that name heads the bundle no longer has are left out.
        b.decisions = manifest.decisions?.restricted(to: Set(heads.map(\.description.name)))
        b.encoderTexts = try EncoderTrainingTexts.read(from: url)
        return b
    }

    /// The manifest as it would be written now.
    public var manifest: BundleManifest { manifest(encoder: encoder.manifestEntry(prefix: "")) }

    /// The manifest for a given encoder entry.
    func manifest(encoder entry: EncoderManifest) -> BundleManifest {
        BundleManifest(format: BundleManifest.currentFormat, name: name, version: version, encoder: entry,
                       heads: heads, versions: ["software": BundleManifest.softwareVersion, "format": BundleManifest.currentFormat],
                       notes: notes.isEmpty ? nil : notes, decisions: decisions)
    }

    /// Head tensors with at least this many values are stored as float16 (and, whatever their
    /// size, those marked `Parameter.halfPrecision`).
    public static let float16Threshold = 1 << 20

    /// Writes the bundle folder (created if needed); stale head files of removed heads are deleted.
    public func save(to url: URL) throws {
        try encoder.validate()
        let fm = FileManager.default
        do { try fm.createDirectory(at: url, withIntermediateDirectories: true) }
        catch { throw WenshuError(.bundle.writeFailed, "cannot create the bundle folder: \(error.localizedDescription)", stage: .model, path: url.path) }
        let encoderEntry = try encoder.write(to: url, prefix: "")
        try encoderTexts.write(to: url)
        for m in modules {
            // Large tables (the classifiers' hashed n-gram weights, the taggers' sparse emission
            // tables) are stored as float16 to keep
            // bundles small; they are rounded in memory first, so the saved bundle and this one
            // predict the same and have the same version.
            var half: [String: SafeTensorDType] = [:]
            for p in m.parameters where p.count >= ModelBundle.float16Threshold || p.halfPrecision {
                let rounded = p.value.map { HalfFloat.float(HalfFloat.bits($0)) }
                if rounded != p.value { p.value = rounded; invalidateVersion() }
                half[p.name] = .f16
            }
            try SafeTensors.write(m.parameters.tensors, metadata: ["module": "head", "name": m.description.name, "kind": m.description.kind.rawValue],
                                  dtypes: half, to: url.appendingPathComponent("head-\(m.description.name).safetensors"))
        }
        let keep = Set(modules.map { "head-\($0.description.name).safetensors" })
        if let files = try? fm.contentsOfDirectory(atPath: url.path) {
            for f in files where f.hasPrefix("head-") && f.hasSuffix(".safetensors") && !keep.contains(f) {
                try? fm.removeItem(at: url.appendingPathComponent(f))
            }
        }
        let enc = JSONEncoder(); enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do { try enc.encode(manifest(encoder: encoderEntry)).write(to: url.appendingPathComponent("manifest.json"), options: .atomic) }
        catch { throw WenshuError(.bundle.writeFailed, "cannot write manifest.json: \(error.localizedDescription)", stage: .model, path: url.path) }
        self.url = url
    }

    // MARK: heads

    /// Removes a head; unknown names are an error.
    public func removeHead(named name: String) throws {
        guard let i = modules.firstIndex(where: { $0.description.name == name }) else {
            throw WenshuError(.bundle.unknownHead, "no head named '\(name)' (heads: \(heads.map(\.name).joined(separator: ", ")))", stage: .model)
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
            throw WenshuError(.bundle.unknownHead, "bundle '\(other.name)' has no head named '\(name)'", stage: .model)
        }
        guard h.description.encoderFingerprint == encoder.fingerprint else {
            throw WenshuError(.bundle.fingerprintMismatch,
                              "head '\(name)' was trained on encoder \(h.description.encoderFingerprint); this bundle's encoder is \(encoder.fingerprint): retrain the head on this bundle",
                              stage: .model, path: other.url?.path)
        }
        if !replace && head(named: name) != nil {
            throw WenshuError(.bundle.headExists,
                              "this bundle already has a head named '\(name)'; pass --replace to replace it",
                              stage: .model, path: url?.path)
        }
        let kind = try headKinds.definition(h.description.kind, head: name, path: other.url?.path)
        let copy = try kind.make(h.description, encoder: EncoderDimensions(encoder), tensors: h.parameters.tensors,
                                 path: other.url?.path ?? other.name, seed: 0)
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
        try annotate(texts.map { AnalyzedText($0) }, options: options)
    }

    /// Runs the selected heads over analysed texts (sentences, words and sections from the
    /// text layer). A head with an input scope reads only the sections its scope names (the
    /// whole text when the text has none of them); span and event heads read sentence windows.
    /// Gated heads run after the heads their gates read, and only where the gate opens.
    public func annotate(_ texts: [AnalyzedText], options: AnnotatorOptions = AnnotatorOptions()) throws -> [ModelAnnotations] {
        let chosen = try selectHeads(options.heads)
        let problems = self.problems(with: options)
        if !problems.isEmpty {
            throw WenshuError(.bundle.badOptions, problems.joined(separator: "; "), stage: .model, path: url?.path)
        }
        let selected = try runOrder(chosen, gates: options.gates)
        if !selected.isEmpty { try encoder.validate() }
        return texts.map { annotate($0, heads: selected, options: options) }
    }

    /// Everything wrong with `options` for this bundle (see `AnnotatorOptions.problems`).
    public func problems(with options: AnnotatorOptions) -> [String] {
        options.problems(bundle: name, heads: heads, kinds: headKinds)
    }

    /// The heads in an order where every gate's source head comes before the gated head (and a
    /// head named `case_type` before heads gated on the case type, which read it when the
    /// structure found none).
    func runOrder(_ heads: [TaskHead], gates: [String: HeadGate]) throws -> [TaskHead] {
        var done: [TaskHead] = [], placed = Set<String>()
        var pending = heads
        while !pending.isEmpty {
            let before = pending.count
            let waiting = Set(pending.map(\.description.name))
            var next: [TaskHead] = []
            for h in pending {
                let n = h.description.name
                var sources: [String] = []
                if let src = gates[n]?.head { sources.append(src) }
                if gates[n]?.caseType != nil { sources.append("case_type") }
                if sources.contains(where: { $0 != n && waiting.contains($0) && !placed.contains($0) }) { next.append(h); continue }
                done.append(h); placed.insert(n)
            }
            pending = next
            if pending.count == before {
                throw WenshuError(.bundle.badOptions, "gates form a cycle among \(pending.map(\.description.name).joined(separator: ", "))", stage: .model)
            }
        }
        return done
    }

    func selectHeads(_ names: [String]?) throws -> [TaskHead] {
        guard let names else { return modules }
        return try names.map { n in
            guard let h = head(named: n) else {
                throw WenshuError(.bundle.unknownHead, "no head named '\(n)' in bundle '\(name)' (heads: \(heads.map(\.name).joined(separator: ", ")))", stage: .model)
            }
            return h
        }
    }

    func annotate(_ text: AnalyzedText, heads: [TaskHead], options: AnnotatorOptions) -> ModelAnnotations {
        var out = ModelAnnotations()
        if heads.isEmpty { return out }
        var encoded: EncodedText?
        for h in heads {
            let name = h.description.name
            if let gate = options.gates[name], let why = gate.closedReason(attributes: text.attributes, classifications: out.classifications) {
                out.skipped[name] = why
                continue
            }
            let enc: EncodedText
            if let e = encoded { enc = e } else { enc = encoder.encode(text); encoded = enc }
            var mine = ModelAnnotations()
            run(h, on: text, encoded: enc, threshold: options.thresholds[name], into: &mine)
            if options.namedLabels[name] == "charges", !text.namedCharges.isEmpty {
                mine.classifications = Self.withNamedLabels(mine.classifications, task: name, matcher: matcher(for: h),
                                                            named: text.namedCharges, text: text)
            }
            if let floor = options.minScores[name] {
                mine.classifications = mine.classifications.compactMap { c in
                    var c = c
                    c.labels = c.labels.filter { $0.score >= floor }
                    return c.labels.isEmpty ? nil : c
                }
                mine.events = mine.events.filter { ($0.score ?? 1) >= floor }
            }
            out.classifications += mine.classifications
            out.entities += mine.entities
            out.events += mine.events
        }
        return out
    }

    /// The charge-name matcher over a head's labels (made once per head).
    func matcher(for h: TaskHead) -> ChargeNameMatcher {
        lock.lock(); defer { lock.unlock() }
        // The labels are compared too: an identifier may be reused once a replaced head is gone.
        if let m = matchers[ObjectIdentifier(h)], m.labels == h.description.labels { return m }
        let m = ChargeNameMatcher(labels: h.description.labels)
        matchers[ObjectIdentifier(h)] = m
        return m
    }

    /// How much a section's naming of a charge weighs: the decision, then the reasoning, then
    /// the accusation (procedure, claims), then the facts (where other cases and the defence's
    /// view are often cited).
    static func namingWeight(_ section: String) -> Int {
        switch section {
        case "decision": return 4
        case "reasoning": return 3
        case "claims", "procedure": return 2
        default: return 1
        }
    }

    /// A classifier's output where the document names some of its labels: those labels
    /// (score 1, with their evidence), each once, from the weightiest section that names any
    /// (`namingWeight`), in place of the head's predictions (which would otherwise open gates
    /// for a charge the court did not name). Unchanged when no named charge is a label.
    static func withNamedLabels(_ classifications: [Classification], task: String, matcher: ChargeNameMatcher,
                                named: [AnalyzedText.NamedMention], text: AnalyzedText) -> [Classification] {
        let matched = named.compactMap { n in matcher.label(for: n.name).map { (n, $0) } }
        guard let top = matched.map({ namingWeight($0.0.section) }).max() else { return classifications }
        var found: [LabelScore] = []
        for (n, label) in matched where namingWeight(n.section) == top {
            guard !found.contains(where: { $0.label == label }) else { continue }
            let span = ScalarText(scalars: Array(text.scalars[n.range])).string
            found.append(LabelScore(label: label, score: 1,
                                    evidence: LabelEvidence(section: n.section, text: span, start: n.range.lowerBound, end: n.range.upperBound)))
        }
        return classifications.filter { $0.task != task } + [Classification(task: task, labels: found)]
    }

    /// One head over its scope of one text: classifiers read the scope as one document;
    /// span and event heads read it in sentence windows.
    func run(_ h: TaskHead, on text: AnalyzedText, encoded enc: EncodedText, threshold: Double?, into out: inout ModelAnnotations) {
        let ranges = HeadScope.ranges(h.description.scope, in: text)
        let whole = ranges.count == 1 && ranges[0] == 0..<text.count
        if headKinds.output(of: h.description.kind)?.isClassification ?? false {
            let scalars = whole ? text.scalars : ranges.flatMap { Array(text.scalars[$0]) }
            h.annotate(whole ? enc : enc.rows(ranges), text: ScalarText(scalars: scalars), threshold: threshold, into: &out)
            return
        }
        for r in ranges {
            for w in SentenceWindows.ranges(text.slice(r)) {
                let window = (w.lowerBound + r.lowerBound)..<(w.upperBound + r.lowerBound)
                if window == 0..<text.count {
                    h.annotate(enc, text: ScalarText(scalars: text.scalars), threshold: threshold, into: &out)
                    continue
                }
                var part = ModelAnnotations()
                h.annotate(enc.rows([window], pooled: false), text: ScalarText(scalars: Array(text.scalars[window])), threshold: threshold, into: &part)
                let moved = SentenceWindows.shifted(part, by: window.lowerBound)
                out.classifications += moved.classifications
                out.entities += moved.entities
                out.events += moved.events
            }
        }
    }
}
