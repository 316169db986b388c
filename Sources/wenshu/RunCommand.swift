import ArgumentParser
import WenshuPipeline

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a declarative pipeline over a corpus.")

    func run() throws {
        throw ValidationError("`wenshu run` is not implemented yet")
    }
}
