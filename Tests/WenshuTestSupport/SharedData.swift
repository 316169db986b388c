import Foundation
import XCTest

/// Shared by the test targets that read real data (WenshuTestSupport).
///
/// Where the real labelled data lives, for the tests that read it (issue 13, item 6):
/// 1. `WENSHU_DATA`, when set, is the data folder (the `shared/data` of the README);
/// 2. else `shared/data` beside the repository, or beside a folder above it (a git worktree).
/// A missing file is a failure when `CI` or `WENSHU_DATA` is set (the run was meant to check
/// the data), else a skip whose message, also printed to standard error, names the test as
/// skipped, where it looked and how to point it at the data.
public enum SharedData {
    /// The data was required (CI or WENSHU_DATA set) but is not there.
    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    /// The data file `relative` (e.g. `cail2021-theft/train.jsonl`) for a checkout at `repositoryRoot`.
    public static func file(_ relative: String, repositoryRoot: URL) throws -> URL {
        let env = ProcessInfo.processInfo.environment
        var looked: [String] = []
        if let dir = env["WENSHU_DATA"], !dir.isEmpty {
            let u = URL(fileURLWithPath: dir).appendingPathComponent(relative)
            if FileManager.default.fileExists(atPath: u.path) { return u }
            throw Missing(description: "WENSHU_DATA=\(dir) is set but \(u.path) does not exist: the real-data test cannot run")
        }
        var base = repositoryRoot.deletingLastPathComponent()
        while true {
            let u = base.appendingPathComponent("shared/data").appendingPathComponent(relative)
            looked.append(u.path)
            if FileManager.default.fileExists(atPath: u.path) { return u }
            if base.path == "/" || looked.count > 8 { break }
            base = base.deletingLastPathComponent()
        }
        let why = "real data \(relative) not found (looked in \(looked.prefix(2).joined(separator: ", ")), …); set WENSHU_DATA to the shared/data folder"
        if let ci = env["CI"], !ci.isEmpty { throw Missing(description: "CI is set and " + why) }
        FileHandle.standardError.write(Data("SKIPPED real-data test: \(why)\n".utf8))
        throw XCTSkip("SKIPPED real-data test: " + why)
    }
}
