import Foundation
import XCTest
import WenshuTestSupport

/// The data locator of the real-data tests (issue 13, item 6): WENSHU_DATA first, a failure
/// rather than a skip when CI or WENSHU_DATA says the data should be there.
final class SharedDataTests: XCTestCase {
    private var saved: [String: String?] = [:]

    override func setUp() {
        for k in ["WENSHU_DATA", "CI"] { saved[k] = ProcessInfo.processInfo.environment[k] }
    }

    override func tearDown() {
        for (k, v) in saved { if let v { setenv(k, v, 1) } else { unsetenv(k) } }
    }

    /// A repository root with no shared/data anywhere above it.
    private var nowhere: URL { URL(fileURLWithPath: "/proc/self/wenshu-no-repo") }

    func testWenshuDataComesFirst() throws {
        let real = try TestPaths.sharedData("judgments-fulltext/judgments.jsonl")
        let dir = real.deletingLastPathComponent().deletingLastPathComponent()
        setenv("WENSHU_DATA", dir.path, 1)
        let u = try SharedData.file("judgments-fulltext/judgments.jsonl", repositoryRoot: nowhere)
        XCTAssertEqual(u.path, dir.appendingPathComponent("judgments-fulltext/judgments.jsonl").path)
    }

    func testMissingDataFailsWhenWenshuDataOrCIIsSet() {
        setenv("WENSHU_DATA", "/nonexistent/shared/data", 1)
        XCTAssertThrowsError(try SharedData.file("judgments-fulltext/judgments.jsonl", repositoryRoot: nowhere)) { e in
            XCTAssertTrue(e is SharedData.Missing, "a failure, not a skip: \(e)")
            XCTAssertTrue("\(e)".contains("WENSHU_DATA=/nonexistent/shared/data"))
        }
        unsetenv("WENSHU_DATA")
        setenv("CI", "true", 1)
        XCTAssertThrowsError(try SharedData.file("judgments-fulltext/judgments.jsonl", repositoryRoot: nowhere)) { e in
            XCTAssertTrue(e is SharedData.Missing, "\(e)")
            XCTAssertTrue("\(e)".contains("CI is set"))
        }
    }

    func testMissingDataSkipsWithAClearMessageOtherwise() {
        unsetenv("WENSHU_DATA"); unsetenv("CI")
        XCTAssertThrowsError(try SharedData.file("judgments-fulltext/judgments.jsonl", repositoryRoot: nowhere)) { e in
            XCTAssertTrue(e is XCTSkip, "\(e)")
            XCTAssertTrue("\(e)".contains("SKIPPED real-data test"), "\(e)")
            XCTAssertTrue("\(e)".contains("set WENSHU_DATA"), "\(e)")
        }
    }
}
