import Foundation
import XCTest
import WenshuTestSupport

/// Paths for the text tests: fixtures beside this file, the shared data beside the repository.
enum TestPaths {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    static func fixture(_ name: String) throws -> String {
        let url = testsDirectory.appendingPathComponent("Fixtures").appendingPathComponent(name)
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The repository root: the first folder above this file holding Package.swift.
    static var repositoryRoot: URL {
        var u = testsDirectory
        while u.path != "/" {
            if FileManager.default.fileExists(atPath: u.appendingPathComponent("Package.swift").path) { return u }
            u = u.deletingLastPathComponent()
        }
        return testsDirectory
    }

    /// A file of the shared data (see `SharedData`).
    static func sharedData(_ relative: String) throws -> URL {
        try SharedData.file(relative, repositoryRoot: repositoryRoot)
    }

    /// The records of a JSONL file.
    static func jsonLines(_ url: URL) throws -> [[String: Any]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        }
    }
}

/// Prints a line of a test's report and flushes it (XCTest's process may end without
/// flushing a partly filled stdout buffer).
func say(_ line: String) {
    print(line)
    fflush(stdout)
}
