import XCTest
@testable import WenshuCore

/// The error catalogue: well-formed unique codes, every member listed, and README.md's
/// error table equal to the catalogue.
final class ErrorCatalogueTests: XCTestCase {
    func testCodesAreWellFormedUniqueAndMeaningful() {
        let all = ErrorCode.catalogue
        XCTAssertGreaterThan(all.count, 100)
        XCTAssertEqual(Set(all.map(\.rawValue)).count, all.count, "codes repeat")
        let shape = try! NSRegularExpression(pattern: "^[a-z]+\\.[a-z0-9_]+$")
        for c in all {
            XCTAssertNotNil(shape.firstMatch(in: c.rawValue, range: NSRange(c.rawValue.startIndex..., in: c.rawValue)), c.rawValue)
            XCTAssertFalse(c.meaning.isEmpty, c.rawValue)
        }
    }

    /// Each group's `all` lists every member the group declares (a code added to a group but
    /// not to `all` would be missing from the README).
    func testEveryGroupMemberIsInTheCatalogue() {
        let listed = Set(ErrorCode.catalogue.map(\.rawValue))
        var declared: [String] = []
        for group in groups() {
            for child in Mirror(reflecting: group).children {
                if let c = child.value as? ErrorCode { declared.append(c.rawValue) }
            }
        }
        XCTAssertEqual(Set(declared), listed)
        XCTAssertEqual(declared.count, listed.count)
    }

    func groups() -> [Any] {
        [ErrorCode.bundle, ErrorCode.config, ErrorCode.dataset, ErrorCode.document, ErrorCode.docx, ErrorCode.encoding,
         ErrorCode.eval, ErrorCode.file, ErrorCode.filter, ErrorCode.format, ErrorCode.html, ErrorCode.icu, ErrorCode.ingest,
         ErrorCode.internalError, ErrorCode.journal, ErrorCode.json, ErrorCode.lac, ErrorCode.model, ErrorCode.output,
         ErrorCode.plan, ErrorCode.read, ErrorCode.run, ErrorCode.text, ErrorCode.train, ErrorCode.transformer,
         ErrorCode.watch, ErrorCode.web, ErrorCode.xml]
    }

    func testREADMEErrorTableEqualsTheCatalogue() throws {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
            let up = dir.deletingLastPathComponent()
            guard up.path != dir.path else { throw XCTSkip("no Package.swift above the test file") }
            dir = up
        }
        let readme = try String(contentsOf: dir.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = "<!-- wenshu:error-codes:begin -->\n", end = "<!-- wenshu:error-codes:end -->"
        guard let a = readme.range(of: begin), let b = readme.range(of: end, range: a.upperBound..<readme.endIndex) else {
            return XCTFail("README.md has no error-code table between \(begin) and \(end)")
        }
        let table = String(readme[a.upperBound..<b.lowerBound])
        XCTAssertEqual(table, ErrorCode.markdownTable,
                       "README.md's error table differs from ErrorCode.catalogue; paste this between the markers:\n\(ErrorCode.markdownTable)")
    }

    func testAnErrorKeepsItsCatalogueCode() {
        let e = WenshuError(.read.missing, "no such file or directory", stage: .read, path: "/x")
        XCTAssertEqual(e.code, "read.missing")
        XCTAssertEqual(ErrorCode.read.missing.group, "read")
        XCTAssertTrue(ErrorCode.catalogue.contains(ErrorCode.read.missing))
    }

    /// A cause keeps its type: a failed system call stays an `ErrnoError` under the Wenshu error.
    func testACauseKeepsItsType() throws {
        let path = NSTemporaryDirectory() + "wenshu-no-such-\(UUID().uuidString)"
        let e: WenshuError
        do {
            _ = try Posix.retrying("open", path: path) { RawPath.open(path, O_RDONLY) }
            return XCTFail("opening a missing file succeeded")
        } catch let f as ErrnoError {
            e = WenshuError(.read.open, "cannot open", stage: .read, errno: f)
        }
        XCTAssertEqual((e.underlying as? ErrnoError)?.code, ENOENT)
        XCTAssertEqual(e.path, path)
        XCTAssertTrue(e.message.hasSuffix(String(cString: strerror(ENOENT))), e.message)
        let wrapped = WenshuError(.read.failed, "cannot read", stage: .read).caused(by: CocoaError(.fileNoSuchFile))
        XCTAssertTrue(wrapped.underlying is CocoaError)
        XCTAssertNotNil(wrapped.cause)
    }
}
