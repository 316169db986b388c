import ArgumentParser
import WenshuPipeline

/// The `wenshu` command line: thin, each subcommand in its own file.
@main
struct Wenshu: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wenshu",
        abstract: "Batch processing of Chinese legal documents: ingest, normalize, structure, extract events, classify.",
        version: WenshuVersion.string,
        subcommands: [IngestCommand.self, RunCommand.self, FilterCommand.self, WatchCommand.self,
                      TrainCommand.self, EvalCommand.self, ModelCommand.self, LACCommand.self, EncodeCommand.self])
}
