import ArgumentParser
import WenshuPipeline

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "model", abstract: "Inspect a model bundle, add or remove heads.")

    func run() throws {
        throw ValidationError("`wenshu model` is not implemented yet")
    }
}
