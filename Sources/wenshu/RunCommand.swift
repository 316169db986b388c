import ArgumentParser
import Foundation
import Logging
import WenshuCore
import WenshuPipeline

/// `wenshu run pipelines/NAME.yaml`: the nightly batch, or with `--filter` a
/// stdin-to-stdout JSONL filter for Spark, Hadoop Streaming and shell pipes.
///
/// Exit status: 0 every document succeeded; 1 some documents failed (see the error
/// stream); 2 the run failed (bad pipeline file, model, unwritable output, full disk).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a declarative pipeline over a corpus.",
        discussion: """
        Paths in the pipeline file are relative to the current directory. The journal beside the results makes reruns incremental and resumable: done documents are skipped, changed files and new model versions reprocessed, failed ones retried up to execution.retries times.

        Shards: --shard i/n, or JOB_COMPLETION_INDEX (+ JOB_COMPLETIONS or WENSHU_SHARD_COUNT), or SLURM_ARRAY_TASK_ID (+ SLURM_ARRAY_TASK_COUNT); each shard writes its own outputs.

        Exit status: 0 all documents succeeded, 1 some documents failed, 2 the run failed.
        """)

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    @Option(name: .customLong("input"), help: "Input file or folder, replacing the pipeline's inputs (repeatable).")
    var inputs: [String] = []

    @Option(name: [.short, .customLong("output")],
            help: "Results JSONL file; errors, summary and journal go beside it (NAME.errors.jsonl, ...) unless named.")
    var output: String?

    @Option(name: .customLong("errors"), help: "Errors JSONL file.")
    var errors: String?

    @Option(name: .customLong("summary"), help: "Summary JSON file.")
    var summary: String?

    @Option(name: .customLong("journal"), help: "Journal SQLite file.")
    var journal: String?

    @Option(name: .customLong("model"), help: "Model bundle folder, replacing the pipeline's.")
    var model: String?

    @Option(parsing: .unconditional, help: "Worker threads (0: one per core).", transform: parseWorkers)
    var workers: Int?

    @Option(name: .customLong("batch-size"), help: "Documents per batch.")
    var batchSize: Int?

    @Option(help: "Retries of failed documents on later runs.")
    var retries: Int?

    @Option(help: "Process shard i of n (0-based), by a stable hash of the document id.")
    var shard: String?

    @Option(help: "Process at most this many new documents.")
    var limit: Int?

    @Flag(help: "Ignore the journal: clear it and process every document again.")
    var fresh = false

    @Flag(name: .customLong("include-text"), help: "Write the extracted text into each result line.")
    var includeText = false

    @Flag(help: "Filter mode: JSONL records on stdin, one result or error line each on stdout.")
    var filter = false

    @Flag(name: .customLong("no-progress"), help: "No progress bar or progress log lines.")
    var noProgress = false

    @Flag(name: .customLong("check"), help: "Validate the pipeline file and exit.")
    var check = false

    func run() throws {
        bootstrapLogging()
        try reportingFailures("run failed") {
            var spec = try PipelineSpecLoader.load(path: pipeline, checkInputs: !filter && inputs.isEmpty,
                                                   checkBundle: model == nil)
            if let model { try checkBundleFolder(model) }
            if !inputs.isEmpty {
                spec.inputs.paths = inputs
                for p in inputs where !FileManager.default.fileExists(atPath: p) {
                    throw WenshuError(.config.inputMissing, "input path does not exist", stage: .config, path: p)
                }
            }
            if let output {
                // The other outputs follow the results file unless named too.
                spec.outputs = .init(results: output, includeText: spec.outputs.includeText)
            }
            if let errors { spec.outputs.errors = errors }
            if let summary { spec.outputs.summary = summary }
            if let journal { spec.outputs.journal = journal }
            if let model {
                if spec.model == nil { spec.model = .init(bundle: model) } else { spec.model?.bundle = model }
            }
            var exec = spec.execution ?? .init()
            if let workers { exec.workers = workers }
            if let batchSize { exec.batchSize = batchSize }
            if let retries { exec.retries = retries }
            spec.execution = exec
            if includeText { spec.outputs.includeText = true }
            if check {
                FileHandle.standardError.write(Data("wenshu: \(pipeline) is valid\n".utf8))
                return
            }
            if filter {
                try FilterCommand.runFilter(spec: spec)
                return
            }
            let shardValue: Shard?
            do {
                shardValue = try shard.map { try Shard(parsing: $0) } ?? Shard.fromEnvironment()
            } catch {
                throw ValidationError("\(error)")
            }
            InterruptMessage.install()
            let runner = PipelineRunner(spec: spec, specPath: pipeline,
                                        options: RunOptions(fresh: fresh, limit: limit, shard: shardValue,
                                                            progress: noProgress ? .off : .auto))
            let s = try runner.run()
            FileHandle.standardError.write(Data((s.humanDescription + "\n").utf8))
            if s.documentsSeen == 0 && s.filteredOut == 0 && s.exitCode == 0 {
                // Nothing at all under the inputs: a wrong path or an empty mount, not a success.
                printErr("wenshu: no input documents under \(spec.inputs.paths.joined(separator: ", ")) (nothing to do; check the paths)")
                throw ExitCode(RunExit.runFailed.rawValue)
            }
            if s.exitCode != 0 { throw ExitCode(s.exitCode) }
        }
    }
}

/// `--workers N`: taken even when N looks like a flag (`-1`), so the message says what is wrong.
func parseWorkers(_ s: String) throws -> Int {
    guard let n = Int(s), n >= 0 else {
        throw ValidationError("--workers must be 0 (one worker per core) or a positive number, not '\(s)'")
    }
    return n
}

/// `run --model DIR` and `--check`: the bundle folder must exist and hold manifest.json.
func checkBundleFolder(_ path: String) throws {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue,
          FileManager.default.fileExists(atPath: path + "/manifest.json") else {
        throw WenshuError(.config.bundleMissing,
                          "the model bundle folder does not exist or has no manifest.json (paths are relative to the current folder, \(FileManager.default.currentDirectoryPath))",
                          stage: .config, path: path)
    }
}
