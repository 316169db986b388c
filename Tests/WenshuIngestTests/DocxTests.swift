import Foundation
import WenshuCore
import XCTest
import ZIPFoundation
@testable import WenshuIngest

final class DocxTests: XCTestCase {
    func testParagraphsTableAndBreaksInOrder() throws {
        let d = try single("judgment.docx")
        XCTAssertEqual(d.source.format, .docx)
        XCTAssertNil(d.source.encoding)
        XCTAssertEqual(d.title, "民间借贷纠纷一审民事判决书")
        let lines = d.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("原告"))
        XCTAssertEqual(lines[1], "原告\t王某1")
        XCTAssertEqual(lines[2], "被告\t路某1")
        XCTAssertTrue(lines[3].hasSuffix("，"), "w:br splits the second paragraph: \(lines[3])")
        XCTAssertFalse(lines.contains(""), "no empty lines")
        XCTAssertFalse(d.text.contains("仿宋"), "run properties are not text")
    }

    func testMissingDocumentPart() {
        XCTAssertEqual(failure("bad/missing-part.docx")?.code, "docx.missing_part")
    }

    func testCorruptZip() {
        XCTAssertEqual(failure("bad/corrupt.docx")?.code, "docx.corrupt")
    }

    /// A DOCX whose word/document.xml is 8 MiB of one repeated paragraph.
    private func makeBomb(at url: URL, megabytes: Int = 8) throws {
        let archive = try Archive(url: url, accessMode: .create)
        let head = Data("<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>".utf8)
        let para = Data("<w:p><w:r><w:t>被告人</w:t></w:r></w:p>".utf8)
        let tail = Data("</w:body></w:document>".utf8)
        var content = head
        while content.count < megabytes << 20 { content.append(para) }
        content.append(tail)
        let total = content.count
        try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: Int64(total),
                             compressionMethod: .deflate) { pos, size in content.subdata(in: Int(pos)..<Int(pos) + size) }
    }

    func testZipBombRatioFromCentralDirectory() throws {
        let dir = try temporaryDirectory()
        let url = dir.appendingPathComponent("bomb.docx")
        try makeBomb(at: url)
        let e = try XCTUnwrap(failure(atPath: url.path))
        XCTAssertEqual(e.code, "docx.zip_bomb")
        XCTAssertEqual(e.location?.within, "word/document.xml")
    }

    func testZipBombTotalSizeLimit() throws {
        var o = IngestOptions()
        o.docxMaxUncompressedBytes = 1000
        let e = try XCTUnwrap(failure("judgment.docx", options: o))
        XCTAssertEqual(e.code, "docx.zip_bomb")
    }

    func testZipBombWithLyingDirectoryIsCaughtWhileInflating() throws {
        let dir = try temporaryDirectory()
        let url = dir.appendingPathComponent("liar.docx")
        try makeBomb(at: url)
        var bytes = [UInt8](try Data(contentsOf: url))
        // Rewrite the declared uncompressed size (local header offset 22, central header offset 24) to 4000.
        func put(_ v: UInt32, _ at: Int) { for k in 0..<4 { bytes[at + k] = UInt8((v >> (8 * UInt32(k))) & 0xFF) } }
        var patched = 0
        var i = 0
        while i + 46 <= bytes.count {
            if bytes[i] == 0x50 && bytes[i + 1] == 0x4B && bytes[i + 2] == 3 && bytes[i + 3] == 4 { put(4000, i + 22); patched += 1 }
            if bytes[i] == 0x50 && bytes[i + 1] == 0x4B && bytes[i + 2] == 1 && bytes[i + 3] == 2 { put(4000, i + 24); patched += 1 }
            i += 1
        }
        XCTAssertGreaterThanOrEqual(patched, 2)
        try Data(bytes).write(to: url)
        let e = try XCTUnwrap(failure(atPath: url.path))
        XCTAssertEqual(e.code, "docx.zip_bomb", e.description)
        XCTAssertTrue(e.message.contains("inflates"), e.message)
    }
}
