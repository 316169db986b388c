import ArgumentParser
import Foundation
import WenshuCore

/// `wenshu errors`: the error-code catalogue, for people filtering the error stream by code.
struct ErrorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "errors", abstract: "List the error codes of error lines, with their meanings.",
        discussion: "Every wenshu.error/1 line carries one of these codes in \"code\". With a prefix (read, xml, bundle.), only the codes that start with it.")

    @Argument(help: "Show only codes starting with this prefix (a group such as read, or a full code).")
    var prefix: String?

    @Flag(help: "Print the catalogue as the Markdown table in README.md.")
    var markdown = false

    func run() throws {
        if markdown { print(ErrorCode.markdownTable, terminator: ""); return }
        let codes = ErrorCode.catalogue.filter { prefix.map($0.rawValue.hasPrefix) ?? true }
        guard !codes.isEmpty else {
            throw ValidationError("no error code starts with '\(prefix ?? "")'; groups: \(Set(ErrorCode.catalogue.map(\.group)).sorted().joined(separator: ", "))")
        }
        let width = codes.map(\.rawValue.count).max() ?? 0
        for c in codes { print(c.rawValue.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + c.meaning) }
    }
}
