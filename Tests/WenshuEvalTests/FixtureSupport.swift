import Foundation
import XCTest

/// Locates test fixtures and the repository root.
enum FixtureSupport {
    static func path(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(name).path
    }

    /// The repository root (walking up from this file to Package.swift).
    static var repoRoot: URL {
        var u = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while u.path != "/" {
            if FileManager.default.fileExists(atPath: u.appendingPathComponent("Package.swift").path) { return u }
            u = u.deletingLastPathComponent()
        }
        return u
    }

    /// ../shared/data beside the repository (or in a folder above it, as with git worktrees), or skip.
    static func sharedData() throws -> URL {
        var u = repoRoot.deletingLastPathComponent()
        while true {
            let d = u.appendingPathComponent("shared/data")
            if FileManager.default.fileExists(atPath: d.path) { return d }
            if u.path == "/" { break }
            u = u.deletingLastPathComponent()
        }
        throw XCTSkip("../shared/data is absent: skipping the full-data test")
    }
}
