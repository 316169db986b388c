import Foundation
import WenshuCore
import XCTest
@testable import WenshuIngest

/// Runs the ingesters over the full real datasets in ../shared/data (skipped when absent).
final class RealDataTests: XCTestCase {
    private func dataDir() throws -> URL { try FixturePaths.sharedData("") }

    private func ingestAll(_ path: String, options: IngestOptions = IngestOptions()) -> (docs: [Document], errors: [WenshuError]) {
        var docs: [Document] = []
        var errors: [WenshuError] = []
        IngestService(options: options).forEachDocument(atPath: path) { r in
            switch r {
            case .success(let d): docs.append(d)
            case .failure(let e): errors.append(e)
            }
        }
        return (docs, errors)
    }

    func testJudgmentsFulltextEveryRecord() throws {
        let p = try dataDir().appendingPathComponent("judgments-fulltext/judgments.jsonl").path
        let r = ingestAll(p)
        XCTAssertEqual(r.errors, [])
        XCTAssertEqual(r.docs.count, 264)
        XCTAssertEqual(Set(r.docs.map(\.id)).count, 264, "ids are the records' own")
        XCTAssertTrue(r.docs.allSatisfy { $0.text.contains("判决书") || $0.text.contains("裁定书") })
    }

    func testRawGB18030FileEveryLine() throws {
        let p = try dataDir().appendingPathComponent("raw-encodings/cail2018-sample.gb18030.jsonl").path
        let r = ingestAll(p)
        XCTAssertEqual(r.errors, [])
        XCTAssertEqual(r.docs.count, 400)
        XCTAssertTrue(r.docs.allSatisfy { $0.source.encoding == "GB18030" })
        XCTAssertFalse(r.docs.contains { $0.text.contains("\u{FFFD}") })
    }

    func testRealGBKAndCRLFTrafficFile() throws {
        let dir = try dataDir().appendingPathComponent("traffic-elements")
        let gbk = ingestAll(dir.appendingPathComponent("annotated_sample.gbk.txt").path)
        XCTAssertEqual(gbk.docs.first?.source.encoding, "GB18030")
        XCTAssertFalse(gbk.docs.first?.text.contains("\r") ?? true)
        let utf8 = ingestAll(dir.appendingPathComponent("test.data.txt").path)
        XCTAssertEqual(utf8.docs.first?.source.encoding, "UTF-8")
        XCTAssertFalse(utf8.docs.first?.text.contains("\r") ?? true)
    }

    func testEveryDatasetWithDefaultOrMappedFields() throws {
        let d = try dataDir()
        let cases: [(String, [String], Int)] = [
            ("cail2021-theft/train.jsonl", [], 4232), ("cail2022-drugs/train.jsonl", [], 1415),
            ("cail2018-charges/train.jsonl", [], 4028), ("cjrc-casetype/train.jsonl", [], 1597),
            ("leven-lawbench/triggers.jsonl", ["sentence"], 297), ("civil-loans/documents.jsonl", ["A"], 500),
        ]
        for (file, fields, count) in cases {
            var o = IngestOptions()
            if !fields.isEmpty { o.json.textFields = fields }
            let start = Date()
            let r = ingestAll(d.appendingPathComponent(file).path, options: o)
            let secs = Date().timeIntervalSince(start)
            let bytes = r.docs.first?.source.bytes ?? 0
            print(String(format: "ingest %@: %d records, %.1f MB in %.2f s (%.1f MB/s, %.0f records/s; this build)",
                         file, r.docs.count, Double(bytes) / 1e6, secs, Double(bytes) / 1e6 / secs, Double(r.docs.count) / secs))
            XCTAssertEqual(r.errors, [], file)
            XCTAssertEqual(r.docs.count, count, file)
        }
        for name in ["wenshu-sample2.json", "wenshu-sample3.json"] {
            let r = ingestAll(d.appendingPathComponent("raw-web/\(name)").path)
            XCTAssertEqual(r.errors, [], name)
            XCTAssertEqual(r.docs.first?.source.format, .webRecord)
        }
    }
}
