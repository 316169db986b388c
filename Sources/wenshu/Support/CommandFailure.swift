import ArgumentParser
import Foundation
import WenshuCore
import WenshuPipeline

/// The one mapping from failures to what a user sees: every command runs its body through
/// `reportingFailures`, which prints the failure on standard error and exits with
/// `RunExit.runFailed` (2). Usage errors (`ValidationError`) pass through to the argument
/// parser, which prints the command's usage and exits 64; `ExitCode`s thrown on purpose
/// (1: some documents failed) pass through unchanged.
///
/// - `PipelineSpecError`: the pipeline file's problems, one per line, as they are;
/// - `RunFailure`: the run summary when there is one (its last lines say what failed);
/// - `WenshuError`: "wenshu: <context>: <code> <message> (<path>)".
/// `context` names what failed ("run failed"); `program` starts every line ("wenshu", or
/// "wenshu watch" for the watcher's log-style lines).
func reportingFailures(_ context: String? = nil, program: String = "wenshu", _ body: () throws -> Void) throws {
    let prefix = program + ": " + (context.map { $0 + ": " } ?? "")
    do {
        try body()
    } catch let e as PipelineSpecError {
        printErr(e.description)
        throw ExitCode(RunExit.runFailed.rawValue)
    } catch let e as RunFailure {
        if let s = e.summary { printErr(s.humanDescription) } else { printErr(prefix + "\(e.error)") }
        throw ExitCode(RunExit.runFailed.rawValue)
    } catch let e as WenshuError {
        printErr(prefix + e.description)
        throw ExitCode(RunExit.runFailed.rawValue)
    }
}

/// Prints a line to standard error.
func printErr(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
