import Foundation
import WenshuCore
import XCTest
@testable import WenshuIngest

final class JSONRecordTests: XCTestCase {
    func testJSONLOneDocumentPerLineAndBadLinesAlone() throws {
        let r = ingest("records.jsonl")
        XCTAssertEqual(r.count, 5)
        let raw = try String(contentsOf: FixturePaths.fixtures.appendingPathComponent("records.jsonl"), encoding: .utf8)
        let lines = raw.split(separator: "\n").map(String.init)
        for i in [0, 1, 3] {
            let d = try r[i].get()
            let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lines[i].utf8)) as? [String: Any])
            XCTAssertEqual(d.id, obj["id"] as? String)
            XCTAssertEqual(d.text, obj["context"] as? String)
            XCTAssertEqual(d.source.format, .jsonl)
            XCTAssertEqual(d.source.line, i + 1)
            XCTAssertEqual(d.source.encoding, "UTF-8")
        }
        guard case .failure(let bad) = r[2] else { return XCTFail("line 3 is malformed") }
        XCTAssertEqual(bad.code, "json.malformed")
        XCTAssertEqual(bad.location?.line, 3)
        guard case .failure(let noText) = r[4] else { return XCTFail("line 5 has no text field") }
        XCTAssertEqual(noText.code, "json.no_text_field")
        XCTAssertEqual(noText.location?.line, 5)
        // All records share the file's hash.
        let sha = SHA256Hasher.hex([UInt8](Data(raw.utf8)))
        XCTAssertEqual(try r[0].get().source.sha256, sha)
    }

    func testTextFieldMappingIsConfigurable() throws {
        var o = IngestOptions()
        o.json.textFields = ["A"]
        o.json.metadataFields = ["entities"]
        let r = ingest("records.jsonl", options: o)
        guard case .success(let d) = r[4] else { return XCTFail("\(r[4])") }
        XCTAssertTrue(d.text.hasPrefix("原告"))
        XCTAssertEqual(d.id, "sha256:" + SHA256Hasher.hex(Array(d.text.utf8)).prefix(16),
                       "no id field: the hash of the record's text")
        guard case .failure(let e) = r[0] else { return XCTFail("theft lines have no A field") }
        XCTAssertEqual(e.code, "json.no_text_field")
    }

    func testRealGB18030JSONLStreams() throws {
        let r = ingest("gb18030-real.jsonl")
        let docs = try r.map { try $0.get() }
        XCTAssertEqual(docs.count, 3)
        XCTAssertTrue(docs.allSatisfy { $0.source.encoding == "GB18030" && $0.source.format == .jsonl })
        XCTAssertTrue(docs[0].text.hasPrefix("北京市通州区人民检察院指控"))
        XCTAssertEqual(docs.map(\.id), docs.map { "sha256:" + SHA256Hasher.hex(Array($0.text.utf8)).prefix(16) })
        XCTAssertEqual(Set(docs.map(\.id)).count, 3)
        XCTAssertEqual(docs.map { $0.source.record }, [0, 1, 2])
    }

    func testJSONArrayOfRecords() throws {
        var o = IngestOptions()
        o.json.metadataFields = ["case_type", "cause_or_charge"]
        let r = ingest("records.json", options: o)
        let docs = try r.map { try $0.get() }
        XCTAssertEqual(docs.count, 2)
        XCTAssertEqual(docs[0].id, "cjrc-dev-2-0")
        XCTAssertEqual(docs[0].source.format, .json)
        XCTAssertEqual(docs[0].metadata["case_type"], "民事")
        XCTAssertTrue(docs[0].text.hasPrefix("依据上述有效证据"))
    }

    func testMalformedJSONFileHasALine() throws {
        let dir = try temporaryDirectory()
        let p = dir.appendingPathComponent("bad.json").path
        _ = FileManager.default.createFile(atPath: p, contents: Data("[\n {\"id\": 1, \"text\": \"被告人\"},\n {\"id\": 2 \"text\": \"x\"}\n]".utf8))
        let e = try XCTUnwrap(failure(atPath: p))
        XCTAssertEqual(e.code, "json.malformed")
    }

    func testLargeJSONLStreamsEveryLine() throws {
        let dir = try temporaryDirectory()
        let p = dir.appendingPathComponent("big.jsonl").path
        let line = try String(contentsOf: FixturePaths.fixtures.appendingPathComponent("records.jsonl"), encoding: .utf8)
            .split(separator: "\n")[0]
        var data = Data()
        for _ in 0..<3000 { data.append(contentsOf: Array(line.utf8)); data.append(0x0A) }
        _ = FileManager.default.createFile(atPath: p, contents: data)
        var count = 0
        var lastLine = 0
        IngestService().forEachDocument(atPath: p) { r in
            if case .success(let d) = r { count += 1; lastLine = d.source.line ?? 0 }
        }
        XCTAssertEqual(count, 3000)
        XCTAssertEqual(lastLine, 3000)
    }

    func testOptionsDecodeFromSnakeCaseWithDefaults() throws {
        let json = """
        {"json": {"text_fields": ["qw"], "metadata_fields": ["s2"]}, "max_file_bytes": 1000,
         "xml": {"body": "//p", "metadata": {"court": "//court"}}, "encoding": "GB18030"}
        """
        let o = try JSONDecoder().decode(IngestOptions.self, from: Data(json.utf8))
        XCTAssertEqual(o.json.textFields, ["qw"])
        XCTAssertEqual(o.json.idFields, IngestOptions.JSONMapping.defaultIdFields)
        XCTAssertEqual(o.maxFileBytes, 1000)
        XCTAssertEqual(o.xml.body, "//p")
        XCTAssertEqual(o.xml.metadata["court"], "//court")
        XCTAssertEqual(o.encoding, "GB18030")
        XCTAssertEqual(o.docxMaxCompressionRatio, IngestOptions().docxMaxCompressionRatio)
        XCTAssertEqual(try JSONDecoder().decode(IngestOptions.self, from: Data("{}".utf8)), IngestOptions())
        let round = try JSONDecoder().decode(IngestOptions.self, from: JSONEncoder().encode(o))
        XCTAssertEqual(round, o)
    }
}
