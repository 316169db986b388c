import ArgumentParser
import Foundation
import WenshuCore
import WenshuModel
import WenshuEval
import WenshuPipeline
#if canImport(Glibc)
import Glibc
#endif

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train a task head on a labelled set.",
        discussion: """
        Without --dev, every example whose fnv1a64(id) % 10 == 0 is held out as the dev split, for early stopping and scoring (the same split `wenshu eval` scores by default). \
        The shared encoder is trained with the head when the bundle has no other heads, and frozen otherwise, so the other heads stay valid. \
        A head that the bundle already has is replaced only with --replace.

        Several heads can be trained jointly on one encoder with --plan FILE, a JSON file: \
        {"tasks": [{"task": "charge", "kind": "multi_label", "format": "cail2018", "data": "train.jsonl", "dev": "dev.jsonl", "cjrc_label": "case_type"}]} \
        (format, dev and cjrc_label are optional; relative paths are taken from the plan file's folder).

        Exit status: 0 trained and saved, 2 failed (unreadable data, bad bundle, a head that exists without --replace), 64 bad arguments.
        """)
    @OptionGroup var dataset: DatasetOptions
    @Option(help: "Head (task) name.") var task: String?
    @Option(help: "Head kind: single_label, multi_label, span_tagger, event_extractor.") var kind: String?
    @Argument(help: "Labelled JSONL file.") var data: String?
    @Option(help: "Train several heads jointly from a plan file (JSON, described below) instead of --task/--kind/DATA.") var plan: String?
    @Option(help: "Dev file (instead of the deterministic split).") var dev: String?
    @Option(help: "Existing bundle folder to train the head into.") var bundle: String?
    @Option(name: .customLong("new-bundle"), help: "Create a new bundle folder.") var newBundle: String?
    @Option(help: "Maximum epochs (default: 12).") var epochs: Int?
    @Option(help: "Random seed (default: 1).") var seed: UInt64?
    @Option(help: "Worker threads (default: 2).") var threads: Int?
    @Option(name: .customLong("learning-rate"), help: "Adam learning rate (default: 0.005).") var learningRate: Float?
    @Option(help: "Epochs without a better dev score before stopping (default: 5).") var patience: Int?
    @Option(name: .customLong("batch-size"), help: "Examples per step (default: 16).") var batchSize: Int?
    @Option(name: .customLong("max-length"), help: "Cut training texts to this many characters (default: 1500).") var maxLength: Int?
    @Option(name: .customLong("sparse-buckets"), help: "Classifier heads: add a sparse linear path over N hashed character 1-2-gram buckets (default: 0, none).") var sparseBuckets: Int?
    @Option(name: .customLong("emission-buckets"), help: "Span and event heads: add a sparse emission path over N hashed character n-gram buckets (CRFsuite-like features, stored as float16; default: 0, none).") var emissionBuckets: Int?
    @Option(name: .customLong("emission-learning-rate"), help: "With --emission-buckets: Adam learning rate of the sparse emission tables (default: the --learning-rate).") var emissionLearningRate: Float?
    @Flag(name: .customLong("emission-tables-only"), help: "With --emission-buckets and --replace: keep every weight of the bundle's existing head and train only the new sparse emission tables on top (frozen encoder).") var emissionTablesOnly = false
    @Option(name: .customLong("ngram-max"), help: "Classifier heads: longest character n-gram of the sparse path (1-3; default 2).") var ngramMax: Int?
    @Flag(name: .customLong("linear-svm"), help: "Classifier heads on a frozen encoder: TF-IDF n-grams (idf from the training texts) and the document vector, fitted by one-vs-rest squared-hinge SVMs instead of gradient descent.") var linearSVM = false
    @Option(name: .customLong("svm-c"), help: "With --linear-svm: the SVMs' C (default 1).") var svmC: Double?
    @Flag(name: .customLong("balanced"), help: "With --linear-svm: weight each label's positives and negatives by n / (2 count).") var balanced = false
    @Option(name: .customLong("document-weight"), help: "With --linear-svm: mean norm of the encoder's document vector beside the unit TF-IDF vector (default 1; 0: n-grams only).") var documentWeight: Float?
    @Option(help: "Judgment sections the head reads at inference, comma-separated (e.g. facts,claims); default: the whole text.") var scope: String?
    @Option(help: "New bundle: stack Baidu LAC's pretrained BiGRU (the folder made by scripts/import-lac.sh) under the n-gram encoder.") var lac: String?
    @Option(name: .customLong("lac-keep-from"), help: "New bundle with --lac: keep LAC embedding rows only for the characters of these files (repeatable; default: all rows).") var lacKeepFrom: [String] = []
    @Option(name: .customLong("encoder-buckets"), help: "New bundle: rows of the n-gram encoder's hashed table (default 65536).") var encoderBuckets: Int?
    @Option(help: "New bundle: a BERT-style checkpoint folder (config.json, vocab.txt or tokenizer.json, model.safetensors) as the frozen shared encoder; the bundle records the folder and its fingerprint, not the weights.") var transformer: String?
    @Option(name: .customLong("feature-cache"), help: "Frozen encoder: keep each text's encoder output in this folder so that every epoch reads it instead of encoding again (one file per text; reusable across runs of the same encoder).") var featureCache: String?
    @Option(name: .customLong("fine-tune"), help: "Also train part of a pretrained encoder: 'lac' fine-tunes the top GRU layer of the bundle's LAC encoder (its embedding and first layer stay frozen). Refused when the bundle has no LAC encoder or holds other heads.") var fineTune: String?
    @Flag(name: .customLong("freeze-encoder"), help: "Keep the shared encoder fixed even in a bundle with no other heads.") var freezeEncoder = false
    @Option(help: "Write the training report (JSON) here.") var report: String?
    @Flag(help: "Retrain a head the bundle already has (refused without it, so a head is never replaced by mistake).") var replace = false

    func run() throws {
        if plan != nil && (task != nil || kind != nil || data != nil) {
            throw ValidationError("--plan replaces --task, --kind and DATA")
        }
        if plan == nil && (task == nil || kind == nil || data == nil) {
            throw ValidationError("pass --task NAME --kind KIND DATA.jsonl (or --plan FILE)")
        }
        let target: TrainingTarget
        switch (bundle, newBundle) {
        case (let b?, nil): target = .bundle(b)
        case (nil, let n?): target = .newBundle(n)
        default: throw ValidationError("pass exactly one of --bundle DIR and --new-bundle DIR")
        }
        try refuseReplacing(target: target)
        var cfg = TrainingConfig()
        if let epochs { cfg.epochs = epochs }
        if let seed { cfg.seed = seed }
        if let threads { cfg.threads = threads }
        if let learningRate { cfg.learningRate = learningRate }
        if let patience { cfg.patience = patience }
        if let batchSize { cfg.batchSize = batchSize }
        if let maxLength { cfg.maxTrainLength = maxLength }
        if let sparseBuckets { cfg.sparseBuckets = sparseBuckets }
        if let emissionBuckets {
            guard (0...SparseEmissions.maxBuckets).contains(emissionBuckets) else {
                throw ValidationError("--emission-buckets must be between 0 and \(SparseEmissions.maxBuckets)")
            }
            cfg.emissionBuckets = emissionBuckets
        }
        if emissionTablesOnly {
            guard (emissionBuckets ?? 0) > 0, bundle != nil, replace else {
                throw ValidationError("--emission-tables-only needs --emission-buckets N, --bundle DIR and --replace (it extends the bundle's head)")
            }
            cfg.emissionTablesOnly = true
        }
        if let emissionLearningRate {
            guard emissionLearningRate > 0 && emissionLearningRate.isFinite else { throw ValidationError("--emission-learning-rate must be positive") }
            cfg.emissionLearningRate = emissionLearningRate
        }
        if lac != nil || !lacKeepFrom.isEmpty || encoderBuckets != nil || transformer != nil, newBundle == nil {
            throw ValidationError("--lac, --lac-keep-from, --encoder-buckets and --transformer shape a new bundle's encoder: use them with --new-bundle")
        }
        if transformer != nil && (lac != nil || encoderBuckets != nil) {
            throw ValidationError("--transformer is the whole encoder: it does not combine with --lac or --encoder-buckets")
        }
        if let featureCache { cfg.featureCache = featureCache }
        if let fineTune {
            guard fineTune == "lac" else { throw ValidationError("--fine-tune takes 'lac' (the top GRU layer of the bundle's LAC encoder), got '\(fineTune)'") }
            guard bundle != nil || lac != nil else {
                throw ValidationError("--fine-tune lac needs a bundle with a LAC encoder: --bundle DIR made with --lac, or --new-bundle DIR --lac FOLDER")
            }
            cfg.fineTuneLAC = true
        }
        var encoderConfig = EncoderConfig()
        if let encoderBuckets { encoderConfig.buckets = encoderBuckets }
        let scopeList = scope.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        if let ngramMax { cfg.ngramMax = ngramMax }
        if linearSVM {
            guard (sparseBuckets ?? 0) > 0 else { throw ValidationError("--linear-svm needs --sparse-buckets N") }
            cfg.linearSVM = true
        }
        if let svmC { cfg.svmC = svmC }
        if balanced { cfg.balancedClasses = true }
        if let documentWeight { cfg.documentWeight = documentWeight }
        try reportingFailures {
            let bar = ProgressBar(terminal: isatty(2) != 0)
            let outcomes: [TrainingJob.Outcome]
            if let plan {
                var jobs = try TrainingPlan.load(path: plan).jobs(target: target, config: cfg, encoder: encoderConfig)
                for i in jobs.indices {
                    jobs[i].lacFolder = lac; jobs[i].lacKeepFrom = lacKeepFrom; jobs[i].transformerFolder = transformer
                    if let scopeList { jobs[i].scope = scopeList }
                }
                outcomes = try TrainingJob.runJointly(jobs, progress: bar.update)
            } else {
                let k = HeadKind(kind!)
                guard HeadKinds.builtIn.contains(k) else {
                    throw ValidationError("--kind must be one of \(HeadKinds.builtIn.names.joined(separator: ", "))")
                }
                var job = TrainingJob(data: data!, dev: dev, format: try dataset.datasetFormat(),
                                      options: try dataset.readerOptions(head: task!), head: task!, kind: k,
                                      target: target, config: cfg, encoder: encoderConfig, freezeEncoder: freezeEncoder)
                job.scope = scopeList; job.lacFolder = lac; job.lacKeepFrom = lacKeepFrom; job.transformerFolder = transformer
                outcomes = [try job.run(progress: bar.update)]
            }
            bar.finish()
            for out in outcomes { try finish(out) }
            // The model card's generated Heads section follows the manifest.
            for b in Set(outcomes.map(\.bundle)) { try ModelCard.update(bundleAt: URL(fileURLWithPath: b)) }
        }
    }

    func finish(_ out: TrainingJob.Outcome) throws {
        let r = out.report
        let score = r.metrics[out.head]?["score"] ?? r.bestDevScore
        let tuned = r.metrics[out.head]?["threshold"] != nil ? ", threshold tuned on dev" : ""
        print(String(format: "trained head %@ (%@) on %d examples (dev %d): kept epoch %d of %d, its dev score %.4f%@, %.1f s; saved %@",
                     out.head, out.kind, out.trainExamples, out.devExamples, r.bestEpoch, r.epochs, score, tuned,
                     r.seconds, out.bundle))
        if out.malformedLines > 0 { printErr("wenshu: \(out.malformedLines) malformed lines were skipped") }
        if let n = r.devSeenByEncoder[out.head], n > 0 {
            printErr("wenshu: warning: \(n) of \(out.devExamples) dev examples of '\(out.head)' are texts the bundle's frozen encoder was trained on; its dev score is optimistic (use a --dev file of texts the encoder never saw)")
        }
        if let report {
            let path = outcomesPath(report, head: out.head)
            let enc = JSONEncoder(); enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            do { try enc.encode(out).write(to: URL(fileURLWithPath: path), options: .atomic) }
            catch { throw WenshuError(.output.write, "cannot write: \(error.localizedDescription)", stage: .output, path: path) }
        }
    }

    /// Refuses (exit 2) to train a head into a bundle that already has one of that name,
    /// unless --replace: retraining silently replaced a 127-label head by a 2-label one.
    func refuseReplacing(target: TrainingTarget) throws {
        guard !replace, case let .bundle(dir) = target else { return }
        let manifest = URL(fileURLWithPath: dir).appendingPathComponent("manifest.json")
        guard let data = FileManager.default.contents(atPath: manifest.path),
              let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let heads = obj["heads"] as? [[String: Any]] else { return }  // the training job reports a bad bundle
        let existing = Set(heads.compactMap { $0["name"] as? String })
        let wanted: [String]
        if let plan {
            wanted = (try? TrainingPlan.load(path: plan).tasks.map(\.task)) ?? []
        } else {
            wanted = task.map { [$0] } ?? []
        }
        let clash = wanted.filter { existing.contains($0) }
        if !clash.isEmpty {
            printErr("wenshu: the bundle \(dir) already has a head named \(clash.joined(separator: ", ")); pass --replace to retrain it (its labels and weights are replaced), or choose another --task name")
            throw ExitCode(RunExit.runFailed.rawValue)
        }
    }

    /// With --plan, --report names a folder that gets one <head>.train.json per head.
    func outcomesPath(_ report: String, head: String) -> String {
        guard plan != nil else { return report }
        try? FileManager.default.createDirectory(atPath: report, withIntermediateDirectories: true)
        return URL(fileURLWithPath: report).appendingPathComponent("\(head).train.json").path
    }
}
