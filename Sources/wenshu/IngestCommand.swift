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

        Exit status: 0 all read, 1 some documents failed, 2 the run failed.
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

    @Option(help: "Worker threads (0: one per core).")
    var workers: Int = 0

    func run() throws {
        var options = IngestOptions()
        if let format {
            guard let f = DocumentFormat(rawValue: format) else {
                throw ValidationError("unknown format '\(format)': use one of \(DocumentFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            options.forceFormat(f)
        }
        do {
            let results = try output.map { try LineWriter(path: $0, append: false) } ?? LineWriter(fileDescriptor: 1, name: "-")
            let errs = try errors.map { try LineWriter(path: $0, append: false) } ?? LineWriter(fileDescriptor: 2, name: "stderr")
            let runner = IngestRunner(paths: paths, ingest: options, includeText: includeText, workers: workers)
            let outcome = try runner.run(results: results, errors: errs)
            if errors != nil || output != nil {
                FileHandle.standardError.write(Data("wenshu: \(outcome.documents) documents, \(outcome.failures) failures\n".utf8))
            }
            if outcome.failures > 0 { throw ExitCode(RunExit.documentsFailed.rawValue) }
        } catch let e as WenshuError {
            FileHandle.standardError.write(Data("wenshu: ingest failed: \(e)\n".utf8))
            throw ExitCode(RunExit.runFailed.rawValue)
        }
    }
}
