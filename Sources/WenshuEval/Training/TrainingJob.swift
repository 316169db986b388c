import Foundation
import WenshuCore
import WenshuModel

/// Where `wenshu train` writes the trained head.
public enum TrainingTarget: Sendable {
    /// Train into an existing bundle folder (the head is added or replaced; the bundle is saved back).
    case bundle(String)
    /// Create a new bundle folder with a fresh encoder.
    case newBundle(String)
}

/// One training run of `wenshu train`: read the labelled file (and the dev file, or cut the
/// deterministic dev split), train the head, save the bundle, describe what happened.
///
/// The shared encoder is trained together with the head when the bundle holds no other
/// heads (a new bundle, or retraining its only head); otherwise it is frozen so that the
/// bundle's other heads stay valid (their encoder fingerprint does not change).
public struct TrainingJob: Sendable {
    public var data: String
    public var dev: String?
    public var format: DatasetFormat?
    public var options: ReaderOptions
    public var head: String
    public var kind: HeadKind
    public var target: TrainingTarget
    public var config: TrainingConfig
    /// Encoder settings for a new bundle.
    public var encoder: EncoderConfig
    /// Force a frozen encoder even when the bundle has no other heads.
    public var freezeEncoder: Bool
    /// Judgment sections the head reads at inference (recorded in the manifest).
    public var scope: [String]?
    /// For a new bundle: stack LAC (a folder made by scripts/import-lac.sh) under the n-gram encoder.
    public var lacFolder: String?
    /// For a new bundle: a BERT-style checkpoint folder as the (frozen) shared encoder; the
    /// bundle records the folder and its fingerprint, not the weights.
    public var transformerFolder: String?
    /// For a new bundle with LAC: files whose characters keep their LAC embedding rows (others read LAC's OOV row).
    public var lacKeepFrom: [String] = []

    public init(data: String, dev: String? = nil, format: DatasetFormat? = nil, options: ReaderOptions = ReaderOptions(),
                head: String, kind: HeadKind, target: TrainingTarget, config: TrainingConfig = TrainingConfig(),
                encoder: EncoderConfig = EncoderConfig(), freezeEncoder: Bool = false) {
        self.data = data; self.dev = dev; self.format = format; self.options = options; self.head = head
        self.kind = kind; self.target = target; self.config = config; self.encoder = encoder; self.freezeEncoder = freezeEncoder
    }

    /// What the run did: the trainer's report plus the data it used.
    public struct Outcome: Codable, Sendable {
        public var schema = "wenshu.train/1"
        public var head: String
        public var kind: String
        public var bundle: String
        public var data: String
        public var dev: String?
        public var format: String
        public var trainExamples: Int
        public var devExamples: Int
        public var malformedLines: Int
        public var encoderTrained: Bool
        public var config: TrainingConfig
        /// Wall-clock seconds of training (from the trainer).
        public var seconds: Double
        public var report: TrainingReport
    }

    /// Reads the data and splits it; returns (train, dev, malformed line count, format).
    public func examples() throws -> (train: [LabelledExample], dev: [LabelledExample], malformed: Int, format: DatasetFormat) {
        let set = try LabelledSetLoader.load(path: data, format: format, options: options)
        if let dev {
            let d = try LabelledSetLoader.load(path: dev, format: format ?? set.format, options: options)
            return (set.examples, d.examples, set.errors.count + d.errors.count, set.format)
        }
        let (tr, dv) = DevSplit.split(set.examples)
        return (tr, dv, set.errors.count, set.format)
    }

    /// Loads the target bundle, or creates a new one (refusing to overwrite a bundle).
    func openTarget() throws -> (ModelBundle, String) {
        switch target {
        case .bundle(let p):
            return (try ModelBundle.load(at: URL(fileURLWithPath: p)), p)
        case .newBundle(let p):
            if FileManager.default.fileExists(atPath: URL(fileURLWithPath: p).appendingPathComponent("manifest.json").path) {
                throw WenshuError(.train.bundleExists, "a bundle already exists here; use --bundle to add a head to it",
                                  stage: .train, path: p)
            }
            return (ModelBundle.create(name: URL(fileURLWithPath: p).lastPathComponent, encoder: try newEncoder()), p)
        }
    }

    /// The encoder of a new bundle: the n-gram encoder alone, or LAC stacked under it (LAC runs
    /// first; its word starts feed the n-gram encoder's word features).
    func newEncoder() throws -> any TextEncoder {
        if let transformerFolder {
            return try TransformerEncoder(config: TransformerEncoderConfig(checkpoint: transformerFolder))
        }
        guard let lacFolder else { return HashedNgramEncoder(config: encoder) }
        var lac = try LACEncoder.imported(from: URL(fileURLWithPath: lacFolder))
        if !lacKeepFrom.isEmpty {
            var keep = Set<Unicode.Scalar>()
            for f in lacKeepFrom {
                guard let data = FileManager.default.contents(atPath: f) else {
                    throw WenshuError(.train.unreadable, "cannot read the file whose characters LAC should keep", stage: .train, path: f)
                }
                keep.formUnion(String(decoding: data, as: UTF8.self).unicodeScalars)
            }
            lac = try lac.pruned(keeping: keep)
        }
        var ngram = encoder
        ngram.wordFeatures = true
        return try StackedEncoder(parts: [lac, HashedNgramEncoder(config: ngram)])
    }

    /// The manifest note describing the data a (re)trained encoder learnt from: each file's
    /// name, size and SHA-256, and the dev split rule (the dev examples were held out).
    static func encoderTrainingNote(files: [String], devFile: Bool) -> String {
        let items = files.map { f -> String in
            let data = FileManager.default.contents(atPath: f) ?? Data()
            var h = SHA256Hasher(); h.update([UInt8](data))
            return "\(URL(fileURLWithPath: f).lastPathComponent) (\(data.count) bytes, sha256 \(h.finalize()))"
        }
        let rule = devFile ? "dev examples from the given dev files" : "dev when fnv1a64(id) % 10 == 0 (DevSplit), held out"
        return items.joined(separator: "; ") + "; split: " + rule + "; text hashes in " + EncoderTrainingTexts.file
    }

    /// Runs the training and saves the bundle.
    public func run(progress: (TrainingProgress) -> Void = { _ in }) throws -> Outcome {
        let (train, dev, malformed, fmt) = try examples()
        guard !train.isEmpty else {
            throw WenshuError(.train.noExamples, "no training examples", stage: .train, path: data)
        }
        let (bundle, dir) = try openTarget()
        var cfg = config
        let others = bundle.heads.map(\.name).filter { $0 != head }
        cfg.trainEncoder = !freezeEncoder && others.isEmpty && bundle.encoder.parameters.count > 0
        if cfg.trainEncoder || cfg.fineTuneLAC == true { bundle.notes["encoder.training"] = TrainingJob.encoderTrainingNote(files: [data], devFile: self.dev != nil) }
        let report = try Trainer.trainMultiTask(bundle: bundle, tasks: [TaskData(name: head, kind: kind, train: train, dev: dev,
                                                                                source: data, scope: scope)],
                                                config: cfg, progress: progress)
        try bundle.save(to: URL(fileURLWithPath: dir))
        return Outcome(head: head, kind: kind.rawValue, bundle: dir, data: data, dev: self.dev, format: fmt.rawValue,
                       trainExamples: train.count, devExamples: dev.count, malformedLines: malformed,
                       encoderTrained: cfg.trainEncoder || cfg.fineTuneLAC == true, config: cfg, seconds: report.seconds, report: report)
    }
}
