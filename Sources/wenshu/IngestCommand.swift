import ArgumentParser
import WenshuPipeline

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest", abstract: "Read files of every format into JSON lines with structure.")

    func run() throws {
        throw ValidationError("`wenshu ingest` is not implemented yet")
    }
}
