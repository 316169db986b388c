import Foundation
import XCTest

/// `wenshu ingest` on the Big5 sample gives the court, case number and document type
/// (issue 13, item 3): the structure rules fold a private simplified copy; the record keeps
/// the document's own script for the court and the case number.
final class TraditionalIngestProcessTests: XCTestCase {
    func testBig5SampleStructure() throws {
        let dir = try Harness.scratch("big5")
        defer { try? FileManager.default.removeItem(at: dir) }
        let sample = Harness.repoRoot.appendingPathComponent("samples/documents/criminal-fraud-90.big5.txt")
        let out = try Harness.run(["ingest", sample.path], cwd: dir)
        XCTAssertEqual(out.status, 0, out.stderr)
        let line = try XCTUnwrap(out.stdout.split(separator: "\n").first)
        let record = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let doc = try XCTUnwrap(record["document"] as? [String: Any])
        XCTAssertEqual(doc["court"] as? String, "河南省項城市人民法院")
        XCTAssertEqual(doc["doc_type"] as? String, "判决书")
        XCTAssertEqual(doc["title"] as? String, "刑事判決書")
        let number = try XCTUnwrap(doc["case_number"] as? [String: Any])
        XCTAssertEqual(number["text"] as? String, "（2017）豫1681刑初588號")
        XCTAssertEqual(number["serial"] as? Int, 588)
        XCTAssertGreaterThan((doc["sections"] as? [Any])?.count ?? 0, 2)
    }
}
