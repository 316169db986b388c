import Foundation
import XCTest

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

    /// A file of the shared data, or XCTSkip: ../shared/data relative to the repository root
    /// (CI's layout), else shared/data beside a folder further up (a git worktree nested one
    /// level deeper).
    static func sharedData(_ relative: String) throws -> URL {
        var base = repositoryRoot.deletingLastPathComponent()
        let first = base.appendingPathComponent("shared/data").appendingPathComponent(relative)
        while base.path != "/" {
            let u = base.appendingPathComponent("shared/data").appendingPathComponent(relative)
            if FileManager.default.fileExists(atPath: u.path) { return u }
            base = base.deletingLastPathComponent()
        }
        throw XCTSkip("shared data not found at \(first.path): skipping the real-data check")
    }

    /// The records of a JSONL file.
    static func jsonLines(_ url: URL) throws -> [[String: Any]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        }
    }
}
