import Foundation
import WenshuCore
import WenshuIngest
import WenshuText
import WenshuModel

/// A declarative pipeline, decoded from `pipelines/NAME.yaml` by `PipelineSpecLoader`.
///
/// Every path in a spec is taken relative to the current directory of the process
/// (not to the YAML file), so `wenshu run pipelines/x.yaml` from the repository root
/// reads `samples/...` and writes `out/...` as written in the file.
public struct PipelineSpec: Codable, Sendable, Equatable {
    /// A short name, used in logs and the summary (defaults to the file name).
    public var name: String?
    public var description: String?
    public var inputs: InputsSpec
    /// The text layer: normalization chain and structure options (WenshuText's `TextConfig`).
    public var text: TextConfig?
    public var structure: StructureSpec?
    /// The model bundle and heads; a pipeline without `model` runs ingest, normalization and structure only.
    public var model: ModelSpec?
    public var outputs: OutputsSpec
    public var execution: ExecutionSpec?
    /// Settings of `wenshu watch` (inbox, done and failed folders, settle time, rotation).
    public var watch: WatchSpec?
    /// Per-input limits (`limits.max_document_chars`).
    public var limits: LimitsSpec?

    public init(name: String? = nil, description: String? = nil, inputs: InputsSpec, text: TextConfig? = nil,
                structure: StructureSpec? = nil, model: ModelSpec? = nil, outputs: OutputsSpec,
                execution: ExecutionSpec? = nil, watch: WatchSpec? = nil) {
        self.name = name; self.description = description; self.inputs = inputs; self.text = text
        self.structure = structure; self.model = model; self.outputs = outputs; self.execution = execution
        self.watch = watch
    }

    /// What to read.
    public struct InputsSpec: Codable, Sendable, Equatable {
        /// Files or folders (folders are walked recursively; hidden files are skipped).
        public var paths: [String]
        /// Patterns a file under a folder must match (`*`, `?`, `**`); a pattern without `/`
        /// matches the file name, one with `/` the path relative to the folder. Default: all files.
        public var globs: [String]?
        /// Patterns of files to leave out (same syntax).
        public var exclude: [String]?
        /// Formats to keep after sniffing; documents of other formats are skipped. Default: all.
        public var formats: [DocumentFormat]?
        /// Field mappings and limits for the ingesters.
        public var ingest: IngestOptions?
        /// Follow symbolic links found in the input folders (default false: a link is an error line).
        /// Links are followed only to targets inside the input folders, and a file is read once.
        public var followSymlinks: Bool?
        public init(paths: [String], globs: [String]? = nil, exclude: [String]? = nil,
                    formats: [DocumentFormat]? = nil, ingest: IngestOptions? = nil, followSymlinks: Bool? = nil) {
            self.paths = paths; self.globs = globs; self.exclude = exclude; self.formats = formats; self.ingest = ingest
            self.followSymlinks = followSymlinks
        }
        enum CodingKeys: String, CodingKey {
            case paths, globs, exclude, formats, ingest, followSymlinks = "follow_symlinks"
        }
    }

    /// Limits that keep one input from costing the run (`limits:`).
    public struct LimitsSpec: Codable, Sendable, Equatable {
        /// Documents with more characters are refused with `document.too_large` before
        /// normalization. Default 2,000,000; 0 turns the limit off.
        public var maxDocumentChars: Int?
        public init(maxDocumentChars: Int? = nil) { self.maxDocumentChars = maxDocumentChars }
        enum CodingKeys: String, CodingKey { case maxDocumentChars = "max_document_chars" }
    }

    /// Structure options.
    public struct StructureSpec: Codable, Sendable, Equatable {
        /// Write the judgment structure into results (default true).
        public var enabled: Bool?
        public init(enabled: Bool? = nil) { self.enabled = enabled }
    }

    /// The model bundle, the heads to run, and their decisions (thresholds, minimum scores, gates).
    public struct ModelSpec: Codable, Sendable, Equatable {
        /// Path of the bundle folder (with manifest.json).
        public var bundle: String
        /// Heads to run by name; all when absent.
        public var heads: [String]?
        /// Per-head thresholds in [0, 1] (multi-label classifiers).
        public var thresholds: [String: Double]?
        /// Per-head minimum scores in [0, 1]: classifier labels below are dropped (a head may
        /// then give no label), events below are dropped.
        public var minScores: [String: Double]?
        /// Per-head gates: a head runs on a document only when its gate opens (`HeadGate`).
        public var gates: [String: HeadGate]?
        /// Per classifier head, a source of labels the document names in its own words
        /// ("charges": the charges a judgment names, 构成盗窃罪): where the document names some of
        /// the head's labels, they replace its predictions, with score 1 and their evidence span
        /// (`AnnotatorOptions.namedLabels`).
        public var namedLabels: [String: String]?
        public init(bundle: String, heads: [String]? = nil, thresholds: [String: Double]? = nil,
                    minScores: [String: Double]? = nil, gates: [String: HeadGate]? = nil, namedLabels: [String: String]? = nil) {
            self.bundle = bundle; self.heads = heads; self.thresholds = thresholds
            self.minScores = minScores; self.gates = gates; self.namedLabels = namedLabels
        }
        enum CodingKeys: String, CodingKey { case bundle, heads, thresholds, minScores = "min_scores", gates, namedLabels = "named_labels" }
        /// The options handed to `ModelBundle.annotate`.
        public var annotatorOptions: AnnotatorOptions {
            AnnotatorOptions(heads: heads, thresholds: thresholds ?? [:], minScores: minScores ?? [:], gates: gates ?? [:],
                             namedLabels: namedLabels ?? [:])
        }
    }

    /// Where results go.
    public struct OutputsSpec: Codable, Sendable, Equatable {
        /// Results JSONL (one `wenshu.result/1` line per document).
        public var results: String
        /// Errors JSONL (one `wenshu.error/1` line per failed document). Default: results path with `.errors.jsonl`.
        public var errors: String?
        /// Run summary JSON. Default: results path with `.summary.json`.
        public var summary: String?
        /// SQLite journal. Default: results path with `.journal.sqlite`; committed parts live beside it in `<journal>.parts/`.
        public var journal: String?
        /// Write the extracted text into every result line (default false).
        public var includeText: Bool?
        public init(results: String, errors: String? = nil, summary: String? = nil, journal: String? = nil,
                    includeText: Bool? = nil) {
            self.results = results; self.errors = errors; self.summary = summary; self.journal = journal
            self.includeText = includeText
        }
        enum CodingKeys: String, CodingKey { case results, errors, summary, journal, includeText = "include_text" }
    }

    /// How the run executes.
    public struct ExecutionSpec: Codable, Sendable, Equatable {
        /// Worker threads; 0 or absent means one per core.
        public var workers: Int?
        /// Documents per batch (the encoder's batch and the unit of a committed part). Default 16.
        public var batchSize: Int?
        /// How many times a failed document is retried on later runs. Default 2.
        public var retries: Int?
        /// Batches in flight between reader, workers and writer (bounds memory). Default 4 per worker.
        public var queueBatches: Int?
        /// Seconds between progress log lines when stderr is not a terminal. Default 10.
        public var logIntervalSeconds: Double?
        public init(workers: Int? = nil, batchSize: Int? = nil, retries: Int? = nil, queueBatches: Int? = nil,
                    logIntervalSeconds: Double? = nil) {
            self.workers = workers; self.batchSize = batchSize; self.retries = retries
            self.queueBatches = queueBatches; self.logIntervalSeconds = logIntervalSeconds
        }
        enum CodingKeys: String, CodingKey {
            case workers, batchSize = "batch_size", retries, queueBatches = "queue_batches"
            case logIntervalSeconds = "log_interval_seconds"
        }
    }

    /// The `watch:` section, read by `wenshu watch` (and ignored by `run`): the one schema of
    /// that section. Every key here is documented in pipelines/README.md ("The watch section");
    /// `WatchOptions(spec:path:)` applies the defaults and `WatchOptions.resolved(against:)`
    /// makes the folders absolute (`WatchConfiguration`).
    public struct WatchSpec: Codable, Sendable, Equatable {
        /// The folder to watch for new files.
        public var inbox: String
        /// Where processed files are moved (default `<inbox>/done`).
        public var done: String?
        /// Where files that failed are moved (default `<inbox>/failed`).
        public var failed: String?
        /// Seconds a file must stay unchanged before it is read (for writers that do not rename in).
        public var settleSeconds: Double?
        /// Rotate the results file when it exceeds this many megabytes.
        public var rotateMegabytes: Double?
        /// Rotated results files to keep.
        public var keepRotated: Int?
        /// The settle time in milliseconds (wins over `settle_seconds`).
        public var settleMs: Int?
        /// Seconds between full rescans of the inbox.
        public var rescanSeconds: Double?
        /// `move` (to done/failed) or `keep`.
        public var onDone: WatchDisposition?
        /// Files taken per round (committed together).
        public var batch: Int?
        /// How often `status.json` is rewritten.
        public var statusEveryMs: Int?
        /// Loopback HTTP port for `/status` and `/metrics`; 0 is off.
        public var httpPort: Int?
        /// Extra file name endings never taken.
        public var ignoreSuffixes: [String]?
        /// Where the daily results go (default: the folder of `outputs.results`).
        public var outputDir: String?
        /// Where the watch journal and `status.json` go (default: the folder of `outputs.journal`).
        public var stateDir: String?
        /// The rotation size in bytes (wins over `rotate_megabytes`).
        public var rotateBytes: Int?
        /// A file held open for writing longer than this is listed in the status.
        public var openLimitSeconds: Double?
        public init(inbox: String, done: String? = nil, failed: String? = nil, settleSeconds: Double? = nil,
                    rotateMegabytes: Double? = nil, keepRotated: Int? = nil) {
            self.inbox = inbox; self.done = done; self.failed = failed; self.settleSeconds = settleSeconds
            self.rotateMegabytes = rotateMegabytes; self.keepRotated = keepRotated
        }
        enum CodingKeys: String, CodingKey, CaseIterable {
            case inbox, done, failed, settleSeconds = "settle_seconds", rotateMegabytes = "rotate_megabytes"
            case keepRotated = "keep_rotated"
            case settleMs = "settle_ms", rescanSeconds = "rescan_seconds", onDone = "on_done", batch
            case statusEveryMs = "status_every_ms", httpPort = "http_port", ignoreSuffixes = "ignore_suffixes"
            case outputDir = "output_dir", stateDir = "state_dir", rotateBytes = "rotate_bytes"
            case openLimitSeconds = "open_limit_seconds"
        }

        /// The documented keys, in the order of the README's table.
        public static let keys: [String] = [
            "inbox", "done", "failed", "settle_seconds", "rotate_megabytes", "keep_rotated", "settle_ms",
            "rescan_seconds", "on_done", "batch", "status_every_ms", "http_port", "ignore_suffixes",
            "output_dir", "state_dir", "rotate_bytes", "open_limit_seconds",
        ]
    }
}

extension PipelineSpec {
    /// Worker threads after defaults (one per core).
    public var resolvedWorkers: Int {
        let w = execution?.workers ?? 0
        return w > 0 ? w : max(1, ProcessInfo.processInfo.activeProcessorCount)
    }
    public var resolvedBatchSize: Int { max(1, execution?.batchSize ?? 16) }
    public var resolvedRetries: Int { max(0, execution?.retries ?? 2) }
    public var resolvedQueueBatches: Int { max(2, execution?.queueBatches ?? 4 * resolvedWorkers) }
    public var resolvedLogInterval: Double { execution?.logIntervalSeconds ?? 10 }
    public var includeText: Bool { outputs.includeText ?? false }
    public var structureEnabled: Bool { structure?.enabled ?? true }
    /// The ingest options with the pipeline's limits applied.
    public var resolvedIngestOptions: IngestOptions {
        var o = inputs.ingest ?? IngestOptions()
        if let m = limits?.maxDocumentChars { o.maxDocumentChars = max(0, m) }
        return o
    }

    /// Output paths after defaults.
    public var errorsPath: String { outputs.errors ?? PipelineSpec.sibling(outputs.results, suffix: ".errors.jsonl") }
    public var summaryPath: String { outputs.summary ?? PipelineSpec.sibling(outputs.results, suffix: ".summary.json") }
    public var journalPath: String { outputs.journal ?? PipelineSpec.sibling(outputs.results, suffix: ".journal.sqlite") }

    /// `out/x.jsonl` + `.errors.jsonl` -> `out/x.errors.jsonl`.
    static func sibling(_ path: String, suffix: String) -> String {
        let url = URL(fileURLWithPath: path)
        let base = url.pathExtension.isEmpty ? path : String(path.dropLast(url.pathExtension.count + 1))
        return base + suffix
    }

    /// A path with a marker inserted before its extension: `out/r.jsonl` -> `out/r.shard-0-of-4.jsonl`.
    static func marked(_ path: String, _ marker: String) -> String {
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension
        if ext.isEmpty { return path + "." + marker }
        return String(path.dropLast(ext.count + 1)) + "." + marker + "." + ext
    }

    /// A stable fingerprint of everything that changes what a document's result line holds
    /// (ingest options, formats, text config, structure, heads, thresholds, text inclusion, tool version).
    /// Part of the journal key: changing any of these reprocesses every document.
    public var fingerprint: String {
        struct Fingerprinted: Encodable {
            var version: String
            var ingest: IngestOptions?
            var text: TextConfig?
            var structure: Bool
            var heads: [String]?
            var thresholds: [String: Double]?
            var includeText: Bool
        }
        let f = Fingerprinted(version: WenshuVersion.string, ingest: inputs.ingest, text: text,
                              structure: structureEnabled, heads: model?.heads, thresholds: model?.thresholds,
                              includeText: includeText)
        let data = (try? JSONEncoder.wenshuLine().encode(f)) ?? Data()
        return String(SHA256Hasher.hex([UInt8](data)).prefix(16))
    }
}
