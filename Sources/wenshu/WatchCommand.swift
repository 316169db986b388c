import ArgumentParser
import Foundation
import WenshuCore
import WenshuPipeline

/// `wenshu watch PIPELINE.yaml [--inbox DIR] [--once]`: the watched inbox.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Process files as they arrive in an inbox folder.",
        discussion: """
        Watches the inbox of the pipeline's `watch:` section (recursively, with inotify and a periodic \
        rescan), takes each file once it is complete, appends its result lines to \
        OUTPUT/results-YYYY-MM-DD.jsonl and its errors to OUTPUT/errors-YYYY-MM-DD.jsonl, and moves it \
        to done/ or failed/. Safe against kill -9: restart it and every file is processed exactly once. \
        SIGTERM or SIGINT finishes the document in hand and exits 0. Status: OUTPUT/status.json. \
        Every key of the `watch:` section is described in pipelines/README.md. \
        Exit status: --once 0 all files done, 1 some failed; 0 after SIGTERM/SIGINT; 2 the watch failed (bad pipeline, unwritable folders); 64 bad usage.
        """)

    @Argument(help: "The pipeline file (YAML) with a `watch:` section.")
    var pipeline: String

    @Option(name: .long, help: "The folder to watch (overrides watch.inbox).")
    var inbox: String?

    @Option(name: .long, help: "Where results, errors, journal and status go (overrides watch.output_dir).")
    var outputDir: String?

    @Option(name: .long, help: "Settle time in milliseconds (overrides watch.settle_ms).")
    var settleMs: Int?

    @Option(name: .long, help: "Loopback HTTP port for /status and /metrics; 0 turns it off (overrides watch.http_port).")
    var httpPort: Int?

    @Option(name: .long, help: "move | keep: what happens to a processed file (overrides watch.on_done).")
    var onDone: String?

    @Flag(name: .long, help: "Process what is in the inbox now, then exit.")
    var once = false

    func run() throws {
        try reportingFailures(program: "wenshu watch") {
            let cwd = FileManager.default.currentDirectoryPath
            var (spec, o) = try WatchPipelineConfig.load(path: pipeline)
            if let inbox { o.inbox = inbox; o.doneDir = nil; o.failedDir = nil }
            if let outputDir { o.outputDir = outputDir; o.errorsDir = nil; o.stateDir = nil }
            if let settleMs { o.settleMs = settleMs }
            if let httpPort { o.httpPort = httpPort }
            if let onDone {
                guard let d = WatchDisposition(rawValue: onDone) else { throw ValidationError("--on-done must be move or keep") }
                o.onDone = d
            }
            try o.validate(path: pipeline)
            // Relative paths (from the file or the flags) are taken against the current folder, as in
            // `wenshu run` (the one rule: `WatchOptions.resolve(_:against:)`).
            let watcher = try InboxWatch.make(options: o.resolved(against: cwd), spec: spec,
                                              log: { FileHandle.standardError.write(Data(("wenshu watch: " + $0 + "\n").utf8)) })
            watcher.stop.install()
            defer { watcher.stop.uninstall() }
            let s = try watcher.run(once: once)
            FileHandle.standardError.write(Data(
                "wenshu watch: stopped: \(s.done) done, \(s.failed) failed, \(s.duplicates) duplicates\n".utf8))
            // --once is a batch: like `run`, 1 when some files failed (they are in failed/ and the errors file).
            if once && s.failed > 0 { throw ExitCode(RunExit.documentsFailed.rawValue) }
        }
    }
}
