import ArgumentParser
import Foundation
import WenshuCore
import WenshuPipeline

/// `wenshu filter pipelines/NAME.yaml`: the same as `wenshu run --filter`.
struct FilterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter", abstract: "JSONL records on stdin, one result or error line each on stdout.",
        discussion: """
        For Spark's RDD.pipe, Hadoop Streaming and shell pipes. One output line per input line, in order; the record's id is echoed in error lines. A record without an id of its own gets sha256: and the first 16 hex digits of its text's SHA-256, the same id a plain `wenshu run` gives it, however the input is split. The model is loaded once. Exit status 0 unless the run itself fails (2): failed records are error lines in the stream, not a failure of the process.
        """)

    @Argument(help: "The pipeline file (YAML); its inputs and outputs are not used.")
    var pipeline: String

    @Option(parsing: .unconditional, help: "Worker threads (0: one per core).", transform: parseWorkers)
    var workers: Int?

    @Flag(name: .customLong("include-text"), help: "Write the extracted text into each result line.")
    var includeText = false

    func run() throws {
        bootstrapLogging()
        try reportingFailures("filter failed") {
            var spec = try PipelineSpecLoader.load(path: pipeline, checkInputs: false)
            if let workers { spec.execution = spec.execution ?? .init(); spec.execution?.workers = workers }
            if includeText { spec.outputs.includeText = true }
            try FilterCommand.runFilter(spec: spec)
        }
    }

    static func runFilter(spec: PipelineSpec) throws {
        BLASThreads.set(1)
        let processor = try DocumentProcessor(spec: spec)
        let runner = FilterRunner(processor: processor, ingest: spec.resolvedIngestOptions,
                                  workers: spec.resolvedWorkers, batchSize: spec.resolvedBatchSize)
        let input = LineReader(fileDescriptor: 0, name: "-")
        let output = LineWriter(fileDescriptor: 1, name: "-")
        _ = try runner.run(input: input, output: output)
    }
}
