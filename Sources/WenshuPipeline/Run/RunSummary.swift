import Foundation
import WenshuCore

/// How a run ended, as the process exit status: 0 every document succeeded,
/// 1 some documents failed (they are in the error stream), 2 the run itself failed
/// (bad pipeline file, unreadable model, unwritable output, full disk...).
public enum RunExit: Int32, Codable, Sendable {
    case ok = 0
    case documentsFailed = 1
    case runFailed = 2
}

/// The summary written at the end of a run (JSON file and a few lines on stderr).
public struct RunSummary: Codable, Sendable {
    public var schema = "wenshu.summary/1"
    public var pipeline: String
    public var specPath: String?
    public var started: String
    public var finished: String
    public var seconds: Double
    public var workers: Int
    public var batchSize: Int
    public var shard: String?
    public var fingerprint: String
    public var model: ModelInfo?
    /// Documents this run read from the inputs (after format and shard filters).
    public var documentsSeen: Int
    /// Documents processed in this run (not skipped by the journal).
    public var processed: Int
    public var succeeded: Int
    public var failed: Int
    /// Documents found done in the journal and not processed again.
    public var skippedDone: Int
    /// Failed documents not retried because they reached the retry limit.
    public var skippedExhausted: Int
    /// Documents left out by the format filter or the shard.
    public var filteredOut: Int
    /// Lines in the results and errors files after the run.
    public var resultLines: Int
    public var errorLines: Int
    public var documentsPerSecond: Double
    public var results: String
    public var errors: String
    public var journal: String?
    public var exitCode: Int32
    public var message: String?
    /// When the run failed before rebuilding its outputs: the lines the results and errors
    /// files still hold from before (they are untouched; nil when a file did not exist).
    public var untouchedResultLines: Int?
    public var untouchedErrorLines: Int?

    enum CodingKeys: String, CodingKey {
        case schema, pipeline, specPath = "spec_path", started, finished, seconds, workers, batchSize = "batch_size"
        case shard, fingerprint, model, documentsSeen = "documents_seen", processed, succeeded, failed
        case skippedDone = "skipped_done", skippedExhausted = "skipped_exhausted", filteredOut = "filtered_out"
        case resultLines = "result_lines", errorLines = "error_lines", documentsPerSecond = "documents_per_second"
        case results, errors, journal, exitCode = "exit_code", message
        case untouchedResultLines = "untouched_result_lines", untouchedErrorLines = "untouched_error_lines"
    }

    /// A few human lines for stderr.
    public var humanDescription: String {
        var s = "wenshu: \(pipeline): \(processed) processed (\(succeeded) ok, \(failed) failed), "
        s += "\(skippedDone) already done, \(skippedExhausted) failed before and out of retries"
        if filteredOut > 0 { s += ", \(filteredOut) filtered out" }
        s += String(format: " in %.1f s (%.1f docs/s)\n", seconds, documentsPerSecond)
        if exitCode == RunExit.runFailed.rawValue {
            func old(_ n: Int?, _ path: String) -> String {
                n.map { "\(path) is untouched and still holds its \($0) line(s) from before" } ?? "\(path) was not written"
            }
            s += "wenshu: outputs not rebuilt: \(old(untouchedResultLines, results)); \(old(untouchedErrorLines, errors)); "
            s += "the work committed so far is kept in the journal, and a rerun continues from it"
        } else {
            s += "wenshu: results: \(resultLines) lines in \(results); errors: \(errorLines) lines in \(errors)"
        }
        if let message { s += "\nwenshu: \(message)" }
        return s
    }
}
