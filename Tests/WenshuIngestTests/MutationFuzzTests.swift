import Foundation
import WenshuCore
import XCTest
@testable import WenshuIngest

/// Regressions for the mutants that `WenshuPipelineTests.MutationFuzzTests` found (saved as is
/// in Fixtures/fuzz; FIXTURES.md says what each one broke). The fuzzing itself lives with the
/// pipeline tests, the only test target that may import both WenshuIngest and WenshuText.
final class MutationFuzzTests: XCTestCase {
    /// A DOCX whose central directory points past the end of the file: ZIPFoundation's
    /// in-memory archive trapped ("Range requires lowerBound <= upperBound"); now a clear error.
    func testDocxWithOffsetPastTheEndIsAnError() throws {
        let path = FixturePaths.path("fuzz/docx-central-offset.docx")
        let results = IngestService().documents(atPath: path)
        XCTAssertEqual(results.count, 1)
        guard case .failure(let e)? = results.first else { return XCTFail("should fail: \(results)") }
        XCTAssertEqual(e.path, path)
        // The central directory cannot be walked, so the main part is not found.
        XCTAssertTrue(["docx.corrupt", "docx.missing_part"].contains(e.code), "\(e)")
        XCTAssertFalse(e.message.isEmpty)
    }

    /// The intact DOCX still reads after the switch to a file-backed archive, and no temporary
    /// copy is left behind.
    func testDocxStillReadsAndLeavesNoTemporaryFile() throws {
        let before = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("wenshu-docx-") }
        let d = try single("judgment.docx")
        XCTAssertFalse(d.text.isEmpty)
        let after = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("wenshu-docx-") }
        XCTAssertEqual(Set(after), Set(before))
    }
}
