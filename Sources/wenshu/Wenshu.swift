import ArgumentParser
import Foundation
import WenshuPipeline

/// The `wenshu` command line: thin, each subcommand in its own file.
///
/// Exit status (the same for every command; `README.md` has the table): 0 success, 1 some
/// documents failed (each has an error line), 2 the command failed, 64 bad usage (the
/// message is followed by that command's usage), 128+N killed by signal N (`run` says so on
/// SIGINT and SIGTERM and exits 130 and 143; the journal keeps what was committed).
@main
struct Wenshu: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wenshu",
        abstract: "Batch processing of Chinese legal documents: ingest, normalize, structure, extract events, classify.",
        version: WenshuVersion.string,
        subcommands: [IngestCommand.self, RunCommand.self, FilterCommand.self, WatchCommand.self, AnnotateCommand.self,
                      TrainCommand.self, EvalCommand.self, ModelCommand.self, LACCommand.self, EncodeCommand.self,
                      ErrorsCommand.self])

    /// ArgumentParser's `main`, except that a usage error found while a subcommand runs
    /// (a `ValidationError` thrown from `run()`) prints that subcommand's usage, not the
    /// top-level one, and exits 64 like a usage error found while parsing.
    static func main() {
        // One BLAS thread unless a command asks for more (`encode --threads`): Wenshu runs
        // documents on its own workers, and OpenBLAS threads spinning on the small per-step
        // products of LAC's GRU made `eval` ten times slower on a busy machine.
        BLASThreads.set(1)
        let command: ParsableCommand
        do { command = try parseAsRoot() } catch { exit(withError: error) }
        var running = command
        do {
            try running.run()
        } catch let e as ValidationError {
            let usage = usageString(for: type(of: command))
            let text = "Error: \(e.message)\n" + (usage.hasPrefix("Usage:") ? usage : "Usage: " + usage)
                + "\n  See '\(commandPath(type(of: command))) --help' for more information.\n"
            FileHandle.standardError.write(Data(text.utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch {
            exit(withError: error)
        }
    }

    /// `wenshu model add-head` for ModelCommand.AddHead.
    static func commandPath(_ type: ParsableCommand.Type) -> String {
        func find(_ t: ParsableCommand.Type, _ path: [String]) -> [String]? {
            let name = t.configuration.commandName ?? String(describing: t).lowercased()
            if t == type { return path + [name] }
            for s in t.configuration.subcommands { if let p = find(s, path + [name]) { return p } }
            return nil
        }
        return (find(Wenshu.self, []) ?? ["wenshu"]).joined(separator: " ")
    }
}
