import ArgumentParser
import WenshuPipeline

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "Evaluate a model bundle on a labelled set.")

    func run() throws {
        throw ValidationError("`wenshu eval` is not implemented yet")
    }
}
