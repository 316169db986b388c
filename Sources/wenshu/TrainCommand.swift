import ArgumentParser
import WenshuPipeline

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "Train a task head on a labelled set.")

    func run() throws {
        throw ValidationError("`wenshu train` is not implemented yet")
    }
}
