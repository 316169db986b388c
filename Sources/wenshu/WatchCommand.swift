import ArgumentParser
import WenshuPipeline

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "watch", abstract: "Process files as they arrive in an inbox folder.")

    func run() throws {
        throw ValidationError("`wenshu watch` is not implemented yet")
    }
}
