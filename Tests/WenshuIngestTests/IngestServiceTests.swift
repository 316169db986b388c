import Foundation
import WenshuCore
import XCTest
@testable import WenshuIngest

final class IngestServiceTests: XCTestCase {
    func testFormatsAreSniffedFromContent() throws {
        let expected: [String: DocumentFormat] = [
            "utf8.txt": .text, "utf16le.txt": .text, "gbk-crlf.txt": .text, "big5.txt": .text,
            "judgment.xml": .xml, "judgment-gbk.xml": .xml, "page.html": .html, "judgment.docx": .docx,
            "records.jsonl": .jsonl, "gb18030-real.jsonl": .jsonl, "records.json": .json,
            "web-html.json": .webRecord, "web-skeys.json": .webRecord,
        ]
        for (name, format) in expected {
            let bytes = [UInt8](try Data(contentsOf: FixturePaths.fixtures.appendingPathComponent(name)))
            XCTAssertEqual(FormatSniffer.sniff(head: bytes, path: name), format, name)
            // The extension is only a hint: the same bytes under a neutral name sniff the same,
            // except JSON vs JSONL which a .jsonl extension settles for one-line files.
            if format != .jsonl && format != .html {
                XCTAssertEqual(FormatSniffer.sniff(head: bytes, path: "upload.bin"), format, "\(name) as upload.bin")
            }
        }
    }

    func testFilesUnderIsRecursiveSortedAndSkipsDotfiles() throws {
        let dir = try temporaryDirectory()
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent("b/c"), withIntermediateDirectories: true)
        try fm.createDirectory(at: dir.appendingPathComponent(".hidden"), withIntermediateDirectories: true)
        for name in ["z.txt", "a.txt", "b/c/d.xml", "b/a.json", ".dot.txt", ".hidden/x.txt"] {
            _ = fm.createFile(atPath: dir.appendingPathComponent(name).path, contents: Data("x".utf8))
        }
        let files = try IngestService.files(under: [dir.path])
        XCTAssertEqual(files.map { String($0.dropFirst(dir.path.count + 1)) }, ["a.txt", "b/a.json", "b/c/d.xml", "z.txt"])
        XCTAssertThrowsError(try IngestService.files(under: [dir.appendingPathComponent("missing").path]))
    }

    func testMissingFileIsAReadError() {
        let r = IngestService().documents(atPath: "/nonexistent/wenshu.txt")
        guard case .failure(let e)? = r.first else { return XCTFail("should fail") }
        XCTAssertEqual(e.stage, .read)
        XCTAssertEqual(e.path, "/nonexistent/wenshu.txt")
    }

    /// 50 MB of real judgment text, generated here (not committed).
    private func make50MB() throws -> (path: String, unit: String, copies: Int) {
        let dir = try temporaryDirectory()
        let unit = try String(contentsOf: FixturePaths.fixtures.appendingPathComponent("utf8.txt"), encoding: .utf8)
        let chunk = Data(unit.utf8)
        let copies = (50_000_000 + chunk.count - 1) / chunk.count
        let p = dir.appendingPathComponent("big.txt").path
        _ = FileManager.default.createFile(atPath: p, contents: nil)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: p))
        var block = Data()
        for _ in 0..<1000 { block.append(chunk) }
        var written = 0
        while written + 1000 <= copies { h.write(block); written += 1000 }
        for _ in written..<copies { h.write(chunk) }
        try h.close()
        return (p, unit, copies)
    }

    func testFiftyMegabyteTextIngestsOrIsRefusedByTheLimit() throws {
        let big = try make50MB()
        var o = IngestOptions()
        o.maxFileBytes = 10_000_000
        let e = try XCTUnwrap(failure(atPath: big.path, options: o))
        XCTAssertEqual(e.code, "file.too_large")

        // The default character limit refuses it before reading; a raised limit reads it whole.
        let refused = try XCTUnwrap(failure(atPath: big.path, options: IngestOptions()))
        XCTAssertEqual(refused.code, "document.too_large")
        var raised = IngestOptions()
        raised.maxDocumentChars = 100_000_000
        let r = IngestService(options: raised).documents(atPath: big.path)
        XCTAssertEqual(r.count, 1)
        let d = try r[0].get()
        XCTAssertEqual(d.source.encoding, "UTF-8")
        XCTAssertGreaterThanOrEqual(d.source.bytes, 50_000_000)
        XCTAssertEqual(d.text.utf8.count, d.source.bytes)
        XCTAssertTrue(d.text.hasPrefix(big.unit))
        XCTAssertTrue(d.text.hasSuffix(big.unit))
    }

    func testEverySampleDocumentIngestsAndTheBadOneFails() throws {
        let samples = FixturePaths.repoRoot.appendingPathComponent("samples")
        let files = try IngestService.files(under: [samples.appendingPathComponent("documents").path])
        XCTAssertGreaterThanOrEqual(files.count, 10)
        var formats = Set<DocumentFormat>()
        var encodings = Set<String>()
        for f in files {
            let results = IngestService().documents(atPath: f)
            XCTAssertFalse(results.isEmpty, f)
            for r in results {
                switch r {
                case .success(let d):
                    formats.insert(d.source.format)
                    if let e = d.source.encoding { encodings.insert(e) }
                    XCTAssertFalse(d.text.isEmpty, f)
                    XCTAssertFalse(d.text.contains("\u{FFFD}"), f)
                case .failure(let e): XCTFail("\(f): \(e)")
                }
            }
        }
        XCTAssertEqual(formats, Set(DocumentFormat.allCases))
        XCTAssertTrue(encodings.isSuperset(of: ["UTF-8", "UTF-16LE", "GB18030", "Big5", "GBK"]), "\(encodings)")
        for f in try IngestService.files(under: [samples.appendingPathComponent("bad").path]) {
            XCTAssertNotNil(failure(atPath: f), f)
        }
    }
}

final class ConcurrencyTests: XCTestCase {
    /// Every fixture ingested from 8 threads at once gives what one thread gives.
    func testParallelIngestMatchesSerial() throws {
        let names = ["utf8.txt", "gbk-crlf.txt", "big5.txt", "judgment.xml", "judgment-gbk.xml", "page.html",
                     "judgment.docx", "records.jsonl", "web-html.json", "bad/malformed.xml", "bad/billion-laughs.xml",
                     "bad/xxe.xml"]
        func summary(_ name: String) -> String {
            IngestService().documents(atPath: FixturePaths.path(name)).map { r -> String in
                switch r {
                case .success(let d): return "\(d.id)|\(d.source.encoding ?? "-")|\(d.text.hashValue)"
                case .failure(let e): return "\(e.code)|\(e.location?.line ?? 0)|\(e.location?.column ?? 0)"
                }
            }.joined(separator: ";")
        }
        IngestService.prepareForConcurrency()
        let serial = names.map(summary)
        let lock = NSLock()
        var parallel = [[String]](repeating: [], count: names.count)
        DispatchQueue.concurrentPerform(iterations: names.count * 8) { i in
            let k = i % names.count
            let s = summary(names[k])
            lock.lock(); parallel[k].append(s); lock.unlock()
        }
        for (k, name) in names.enumerated() {
            XCTAssertEqual(parallel[k].count, 8)
            XCTAssertTrue(parallel[k].allSatisfy { $0 == serial[k] }, name)
        }
    }

    func testMixedEncodingJSONLDecodesEachLine() throws {
        let dir = try temporaryDirectory()
        let p = dir.appendingPathComponent("mixed.jsonl").path
        // 2000 ASCII lines (past the 64 KiB head the charset is detected from), then a GBK line.
        var data = Data()
        for i in 0..<2000 { data.append(contentsOf: Array("{\"id\": \"a\(i)\", \"text\": \"ascii only\"}\n".utf8)) }
        let gbk = try XCTUnwrap(ICUConverter.fromString("{\"id\": \"b\", \"text\": \"被告人黄勇犯盗窃罪\"}", charset: "GBK"))
        data.append(contentsOf: gbk)
        data.append(0x0A)
        _ = FileManager.default.createFile(atPath: p, contents: data)
        let docs = try IngestService().documents(atPath: p).map { try $0.get() }
        XCTAssertEqual(docs.count, 2001)
        XCTAssertEqual(docs.last?.text, "被告人黄勇犯盗窃罪")
        XCTAssertEqual(docs.last?.source.encoding, "GB18030")
        XCTAssertEqual(docs.first?.source.encoding, "UTF-8")
    }
}
