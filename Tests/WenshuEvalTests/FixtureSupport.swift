import Foundation
import XCTest
import WenshuTestSupport

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

    /// The shared data folder (`WENSHU_DATA`, else ../shared/data; see `SharedData`).
    static func sharedData() throws -> URL {
        try SharedData.file("", repositoryRoot: repoRoot)
    }
}
