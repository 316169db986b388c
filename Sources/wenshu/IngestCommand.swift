import ArgumentParser
import Foundation
import WenshuCore
import WenshuIngest
import WenshuPipeline

/// `wenshu ingest PATH...`: files of every format into JSON lines with source metadata
/// and judgment structure.
///
/// Exit status: 0 every document was read; 1 some documents failed (one error line each
/// on the error stream); 2 the run failed (an output could not be written).
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Read files of every format into JSON lines with structure.",
        discussion: """
        Every file under the paths (recursively, hidden files skipped) becomes one wenshu.result/1 line per document: source (path, format, encoding, bytes, sha256), structure and sections, and the extracted text with --include-text. Failures are wenshu.error/1 lines (file, stage, code, message) on stderr or in --errors FILE.

        JSON and JSONL records take their text from the first of --json-text-field (default: text, fact, context, sentText, qw, content, body) that holds a string, and their id from --json-id-field; a record without an id of its own gets sha256: and the first 16 hex digits of its text's SHA-256, the same id as in run, filter and watch.
        Exit status: 0 all read, 1 some documents failed, 2 the run failed (including: no input files at all), 64 bad usage.
        """)

    @Argument(help: "Files or folders to read.")
    var paths: [String]

    @Option(name: [.short, .customLong("output")], help: "Results JSONL file (default: stdout).")
    var output: String?

    @Option(name: .customLong("errors"), help: "Errors JSONL file (default: stderr).")
    var errors: String?

    @Flag(name: .customLong("include-text"), help: "Write the extracted text into each line.")
    var includeText = false

    @Option(help: "Read every file as this format instead of sniffing: \(DocumentFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: String?

    @Option(parsing: .unconditional, help: "Worker threads (0: one per core).", transform: parseWorkers)
    var workers: Int = 0
    @Option(name: .customLong("json-text-field"),
            help: "JSON/JSONL records: the field holding the text, tried in the order given (repeatable; dotted paths like meta.fact; default: text, fact, context, sentText, qw, content, body).")
    var jsonTextFields: [String] = []
    @Option(name: .customLong("json-id-field"),
            help: "JSON/JSONL records: the field holding the record's own id (repeatable; default: id, docId, ...). Records without one get the content id sha256:<16 hex digits of the text's SHA-256>.")
    var jsonIDFields: [String] = []

    func run() throws {
        var options = IngestOptions()
        if let format {
            guard let f = DocumentFormat(rawValue: format) else {
                throw ValidationError("unknown format '\(format)': use one of \(DocumentFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            options.forceFormat(f)
        }
        if !jsonTextFields.isEmpty { options.json.textFields = jsonTextFields }
        if !jsonIDFields.isEmpty { options.json.idFields = jsonIDFields }
        try reportingFailures("ingest failed") {
            let results = try output.map { try LineWriter(path: $0, append: false) } ?? LineWriter(fileDescriptor: 1, name: "-")
            let errs = try errors.map { try LineWriter(path: $0, append: false) } ?? LineWriter(fileDescriptor: 2, name: "stderr")
            let runner = IngestRunner(paths: paths, ingest: options, includeText: includeText, workers: workers)
            let outcome = try runner.run(results: results, errors: errs)
            if outcome.documents == 0 && outcome.failures == 0 {
                printErr("wenshu: no input files under \(paths.joined(separator: ", ")) (nothing to do; check the paths)")
                throw ExitCode(RunExit.runFailed.rawValue)
            }
            if errors != nil || output != nil {
                FileHandle.standardError.write(Data("wenshu: \(outcome.documents) documents, \(outcome.failures) failures\n".utf8))
            }
            if outcome.failures > 0 { throw ExitCode(RunExit.documentsFailed.rawValue) }
        }
    }
}
