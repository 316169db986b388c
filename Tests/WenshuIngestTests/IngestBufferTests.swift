import Foundation
import WenshuCore
import XCTest
@testable import WenshuIngest

/// `IngestService` over a buffer held in memory (`IngestSource.bytes`): the same formats,
/// encodings and limits as a file, documents and errors named by the buffer's name.
final class IngestBufferTests: XCTestCase {
    private func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: FixturePaths.fixtures.appendingPathComponent(name)))
    }

    /// A buffer gives what the file with the same bytes gives, under the buffer's name.
    private func assertSameAsFile(_ fixture: String, as name: String, format: DocumentFormat,
                                  file: StaticString = #filePath, line: UInt = #line) throws {
        let fromFile = ingest(fixture)
        let fromBuffer = IngestService().documents(in: .bytes(try bytes(fixture), name: name))
        XCTAssertEqual(fromBuffer.count, fromFile.count, file: file, line: line)
        for (b, f) in zip(fromBuffer, fromFile) {
            guard case let .success(db) = b, case let .success(df) = f else {
                return XCTFail("\(fixture): \(b) / \(f)", file: file, line: line)
            }
            XCTAssertEqual(db.source.format, format, file: file, line: line)
            XCTAssertEqual(db.source.path, name, file: file, line: line)
            XCTAssertEqual(db.text, df.text, file: file, line: line)
            XCTAssertEqual(db.source.encoding, df.source.encoding, file: file, line: line)
            XCTAssertEqual(db.source.sha256, df.source.sha256, file: file, line: line)
            XCTAssertEqual(db.source.bytes, df.source.bytes, file: file, line: line)
        }
    }

    func testGBKPlainTextBuffer() throws {
        try assertSameAsFile("gbk-crlf.txt", as: "upload.txt", format: .text)
        let d = try XCTUnwrap(try IngestService().documents(in: .bytes(bytes("gbk-crlf.txt"), name: "upload.txt")).first?.get())
        XCTAssertEqual(d.source.encoding, "GB18030")
        XCTAssertEqual(d.id, "upload.txt", "a plain text document is named by its input")
        XCTAssertFalse(d.text.contains("\r"))
    }

    func testHTMLPageBufferIsSniffedFromContent() throws {
        try assertSameAsFile("page.html", as: "page.html", format: .html)
        // No extension to go by: the content says XML.
        try assertSameAsFile("judgment.xml", as: "upload.bin", format: .xml)
    }

    func testJSONRecordBuffer() throws {
        let record = Array(#"{"id": "r-1", "text": "被告人张三盗窃人民币500元。", "court": "某某法院"}"#.utf8)
        var options = IngestOptions()
        options.format = .jsonl
        let r = IngestService(options: options).documents(in: .bytes(record, name: "-", line: 12))
        XCTAssertEqual(r.count, 1)
        let d = try XCTUnwrap(try r.first?.get())
        XCTAssertEqual(d.id, "r-1")
        XCTAssertEqual(d.text, "被告人张三盗窃人民币500元。")
        XCTAssertEqual(d.source.path, "-")
        XCTAssertEqual(d.source.line, 12, "line numbers count from the buffer's first line")
        XCTAssertNil(d.source.record)
        XCTAssertEqual(d.source.sha256, SHA256Hasher.hex(record))
        XCTAssertEqual(d.source.bytes, record.count)
        // Sniffed, not forced: one JSON value.
        let json = try XCTUnwrap(try IngestService().documents(in: .bytes(record, name: "record.json")).first?.get())
        XCTAssertEqual(json.source.format, .json)
        XCTAssertEqual(json.id, "r-1")
    }

    func testJSONLBufferKeepsEachLinesPlace() throws {
        var options = IngestOptions()
        options.format = .jsonl
        let fromFile = ingest("records.jsonl", options: options)
        let fromBuffer = IngestService(options: options).documents(in: .bytes(try bytes("records.jsonl"), name: "-", line: 101))
        XCTAssertEqual(fromBuffer.count, fromFile.count)
        for (b, f) in zip(fromBuffer, fromFile) {
            switch (b, f) {
            case let (.success(db), .success(df)):
                XCTAssertEqual(db.id, df.id)
                XCTAssertEqual(db.source.line, (df.source.line ?? 0) + 100)
            case let (.failure(eb), .failure(ef)):
                XCTAssertEqual(eb.code, ef.code)
                XCTAssertEqual(eb.path, "-")
                XCTAssertEqual(eb.location?.line, (ef.location?.line ?? 0) + 100)
                XCTAssertFalse(eb.message.contains(FixturePaths.fixtures.path), eb.message)
            default:
                XCTFail("\(b) / \(f)")
            }
        }
        XCTAssertTrue(fromBuffer.contains { if case .failure = $0 { return true } else { return false } },
                      "the fixture holds a malformed line")
    }

    func testBadBuffersAreErrorsNamingTheInputAndPlace() throws {
        func error(_ bytes: [UInt8], _ options: IngestOptions = IngestOptions(), line: Int? = nil) -> WenshuError {
            let r = IngestService(options: options).documents(in: .bytes(bytes, name: "upload-7", line: line))
            XCTAssertEqual(r.count, 1)
            guard case let .failure(e)? = r.first else {
                XCTFail("not an error: \(r)")
                return WenshuError(.ingest.noDocument, "not an error", stage: .ingest)
            }
            XCTAssertEqual(e.path, "upload-7")
            return e
        }
        XCTAssertEqual(error([]).code, "file.empty")
        let binary = error(try bytes("bad/binary.bin"))
        XCTAssertEqual(binary.code, "file.binary")
        XCTAssertNotNil(binary.location?.byteOffset)
        XCTAssertEqual(error(Array("%PDF-1.4\n".utf8)).code, "format.unsupported")
        var small = IngestOptions()
        small.maxFileBytes = 10
        XCTAssertEqual(error(Array("被告人张三盗窃人民币500元。".utf8), small).code, "file.too_large")
        var jsonl = IngestOptions()
        jsonl.format = .jsonl
        let malformed = error(Array(#"{"text": "未闭合"#.utf8), jsonl, line: 42)
        XCTAssertEqual(malformed.code, "json.malformed")
        XCTAssertEqual(malformed.location?.line, 42)
        // An error about the whole buffer names the buffer's line.
        let invalid = error([0x7B, 0x22, 0xFF, 0xFE, 0x00, 0x22, 0x7D], jsonl, line: 9)
        XCTAssertEqual(invalid.location?.line, 9, "\(invalid)")
    }

    func testAFileCanBeNamedOtherwise() throws {
        let r = IngestService().documents(in: .file(FixturePaths.path("utf8.txt"), name: "inbox/a.txt"))
        let d = try XCTUnwrap(try r.first?.get())
        XCTAssertEqual(d.source.path, "inbox/a.txt")
        XCTAssertEqual(d.id, "inbox/a.txt")
        let missing = IngestService().documents(in: .file("/nonexistent/wenshu.txt", name: "gone.txt"))
        guard case let .failure(e)? = missing.first else { return XCTFail("should fail") }
        XCTAssertEqual(e.path, "gone.txt")
    }
}
