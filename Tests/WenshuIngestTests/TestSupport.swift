import Foundation
import WenshuCore
import XCTest
import WenshuTestSupport
@testable import WenshuIngest

/// Paths of fixtures and of the repository.
enum FixturePaths {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let repoRoot: URL = {
        var u = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while u.path != "/" {
            if FileManager.default.fileExists(atPath: u.appendingPathComponent("Package.swift").path) { return u }
            u = u.deletingLastPathComponent()
        }
        return u
    }()
    static func path(_ name: String) -> String { fixtures.appendingPathComponent(name).path }
    /// A file or folder of the shared data (`WENSHU_DATA`, else ../shared/data; see `SharedData`).
    static func sharedData(_ relative: String) throws -> URL {
        try SharedData.file(relative, repositoryRoot: repoRoot)
    }
}

extension XCTestCase {
    /// All results of ingesting one fixture.
    func ingest(_ name: String, options: IngestOptions = IngestOptions()) -> [Result<Document, WenshuError>] {
        IngestService(options: options).documents(atPath: FixturePaths.path(name))
    }

    /// The single document of a fixture (fails the test otherwise).
    func single(_ name: String, options: IngestOptions = IngestOptions(),
                file: StaticString = #filePath, line: UInt = #line) throws -> Document {
        let r = ingest(name, options: options)
        XCTAssertEqual(r.count, 1, "results of \(name)", file: file, line: line)
        switch r.first {
        case .success(let d)?: return d
        case .failure(let e)?: XCTFail("\(name): \(e)", file: file, line: line); throw e
        case nil: throw WenshuError(.ingest.noDocument, "no result", stage: .ingest)
        }
    }

    /// The single error of a fixture (fails the test otherwise).
    func failure(_ name: String, options: IngestOptions = IngestOptions(),
                 file: StaticString = #filePath, line: UInt = #line) -> WenshuError? {
        failure(atPath: FixturePaths.path(name), options: options, file: file, line: line)
    }

    func failure(atPath path: String, options: IngestOptions = IngestOptions(),
                 file: StaticString = #filePath, line: UInt = #line) -> WenshuError? {
        let r = IngestService(options: options).documents(atPath: path)
        XCTAssertEqual(r.count, 1, "results of \(path)", file: file, line: line)
        guard case .failure(let e)? = r.first else {
            XCTFail("\(path) should fail", file: file, line: line)
            return nil
        }
        XCTAssertEqual(e.path, path, "error names the file", file: file, line: line)
        return e
    }

    /// A fresh temporary directory, removed after the test.
    func temporaryDirectory() throws -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: u) }
        return u
    }
}
