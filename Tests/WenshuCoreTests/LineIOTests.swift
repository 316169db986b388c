import XCTest
@testable import WenshuCore

final class LineIOTests: XCTestCase {
    private func tempFile(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "wenshu-lines-\(UUID().uuidString)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func testReadsLFAndCRLFAndUnterminatedLastLine() throws {
        let path = try tempFile(Array("第一行\r\n第二行\n\n最后".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try LineReader(path: path, chunkSize: 4)
        var lines: [String] = []
        while let l = try r.nextLine() { lines.append(String(decoding: l, as: UTF8.self)) }
        XCTAssertEqual(lines, ["第一行", "第二行", "", "最后"])
        XCTAssertEqual(r.lineNumber, 4)
    }

    func testMissingFileIsAClearError() {
        XCTAssertThrowsError(try LineReader(path: "/nonexistent/wenshu.jsonl")) { error in
            let e = error as? WenshuError
            XCTAssertEqual(e?.code, "read.open")
            XCTAssertEqual(e?.path, "/nonexistent/wenshu.jsonl")
        }
    }

    func testWriterAppendsWholeJSONLines() throws {
        let path = NSTemporaryDirectory() + "wenshu-out-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let w = try LineWriter(path: path)
        let err = WenshuError(.xml.malformed, "mismatched tag", stage: .ingest, path: "a.xml",
                              location: SourceLocation(line: 12, column: 3))
        try w.write(ErrorRecord(source: .init(path: "a.xml", format: .xml), error: err))
        try w.write(ErrorRecord(source: .init(path: "b.txt"), error: WenshuError(.file.empty, "empty", stage: .ingest)))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(text.hasSuffix("\n"))
        let decoded = try JSONDecoder().decode(ErrorRecord.self, from: Data(lines[0].utf8))
        XCTAssertEqual(decoded.schema, "wenshu.error/1")
        XCTAssertEqual(decoded.location?.line, 12)
        XCTAssertEqual(decoded.code, "xml.malformed")
    }

    func testErrorDescriptionNamesFilePlaceAndReason() {
        let e = WenshuError(.json.malformed, "unexpected end of input", stage: .ingest, path: "in/x.jsonl",
                            location: SourceLocation(line: 7))
        XCTAssertEqual(e.description, "in/x.jsonl: line 7: ingest error [json.malformed]: unexpected end of input")
    }
}
