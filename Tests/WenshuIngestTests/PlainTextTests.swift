import Foundation
import WenshuCore
import XCTest
@testable import WenshuIngest

final class PlainTextTests: XCTestCase {
    func testUTF8JudgmentKeepsTextAndSource() throws {
        let d = try single("utf8.txt")
        let bytes = try Data(contentsOf: FixturePaths.fixtures.appendingPathComponent("utf8.txt"))
        XCTAssertEqual(d.source.format, .text)
        XCTAssertEqual(d.source.encoding, "UTF-8")
        XCTAssertEqual(d.source.bytes, bytes.count)
        XCTAssertEqual(d.source.sha256, SHA256Hasher.hex([UInt8](bytes)))
        XCTAssertEqual(d.id, FixturePaths.path("utf8.txt"))
        XCTAssertEqual(d.text, String(decoding: bytes, as: UTF8.self))
        XCTAssertTrue(d.text.hasPrefix("黄勇盗窃二审刑事判决书"))
    }

    func testUTF8WithBOMDropsTheMark() throws {
        let d = try single("utf8-bom.txt")
        XCTAssertEqual(d.source.encoding, "UTF-8")
        XCTAssertFalse(d.text.unicodeScalars.contains("\u{FEFF}"))
        XCTAssertTrue(d.text.hasPrefix("李艾琪一审刑事判决书"))
    }

    func testUTF16BothByteOrdersGiveTheSameText() throws {
        let le = try single("utf16le.txt")
        let be = try single("utf16be.txt")
        XCTAssertEqual(le.source.encoding, "UTF-16LE")
        XCTAssertEqual(be.source.encoding, "UTF-16BE")
        XCTAssertEqual(le.text, be.text)
        XCTAssertTrue(le.text.hasPrefix("赵艳新一审刑事判决书"))
        XCTAssertFalse(le.text.unicodeScalars.contains("\u{FEFF}"))
    }

    func testGBKUserDefinedBytesDecodeToPrivateUse() throws {
        let d = try single("gbk-userdefined.txt")
        XCTAssertEqual(d.source.encoding, "GB18030")
        XCTAssertTrue(d.text.unicodeScalars.contains("\u{E004}"), "AA A5 must decode to U+E004")
        XCTAssertTrue(d.text.hasPrefix("北京市通州区人民检察院指控"))
        XCTAssertFalse(d.text.contains("\r"))
        XCTAssertFalse(d.text.contains("\u{FFFD}"))
    }

    func testRealGBKFileWithCRLF() throws {
        let d = try single("gbk-crlf.txt")
        XCTAssertEqual(d.source.encoding, "GB18030")
        XCTAssertFalse(d.text.unicodeScalars.contains("\r"))
        let lines = d.text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.first, "4800\tm\tO\tO")
        XCTAssertEqual(lines[1], "被告人\tn\tO\tO")
        let raw = try Data(contentsOf: FixturePaths.fixtures.appendingPathComponent("gbk-crlf.txt"))
        let crlf = zip(raw, raw.dropFirst()).filter { $0 == 0x0D && $1 == 0x0A }.count
        XCTAssertEqual(lines.count, crlf + 1, "one line per CRLF, nothing more")
    }

    func testBig5IsToldApartFromGB18030() throws {
        let d = try single("big5.txt")
        XCTAssertEqual(d.source.encoding, "Big5")
        XCTAssertTrue(d.text.contains("刑事判決書"), String(d.text.prefix(40)))
        XCTAssertTrue(d.text.contains("人民法院"))
    }

    func testCRLFAndLoneCRBecomeLF() throws {
        let d = try single("crlf.txt")
        XCTAssertFalse(d.text.unicodeScalars.contains("\r"))
        let raw = try String(contentsOf: FixturePaths.fixtures.appendingPathComponent("crlf.txt"), encoding: .utf8)
        let breaks = raw.unicodeScalars.filter { $0 == "\r" }.count
        XCTAssertEqual(d.text.unicodeScalars.filter { $0 == "\n" }.count, breaks, "each CRLF or CR is one LF")
        XCTAssertEqual(d.text.unicodeScalars.count, raw.unicodeScalars.count - raw.components(separatedBy: "\r\n").count + 1)
    }

    func testSpacedTitleStaysAsIs() throws {
        let d = try single("spaced-title.txt")
        let lines = d.text.split(separator: "\n")
        XCTAssertEqual(lines[0], "池州市贵池区人民法院")
        XCTAssertEqual(lines[1], "民 事 判 决 书")
        XCTAssertEqual(lines[2], "（2018）皖1702民初804号")
    }

    func testForcedEncodingIsUsed() throws {
        var o = IngestOptions()
        o.encoding = "Big5"
        // GBK bytes forced through Big5 either fail strictly or give different text; never GB18030.
        let r = ingest("gbk-userdefined.txt", options: o)
        switch r.first {
        case .success(let d)?: XCTAssertEqual(d.source.encoding, "Big5"); XCTAssertFalse(d.text.hasPrefix("北京市"))
        case .failure(let e)?: XCTAssertEqual(e.code, "encoding.invalid")
        case nil: XCTFail("no result")
        }
    }

    func testEmptyFile() {
        XCTAssertEqual(failure("bad/empty.txt")?.code, "file.empty")
    }

    func testBinaryJunk() {
        let e = failure("bad/binary.bin")
        XCTAssertEqual(e?.code, "file.binary")
        XCTAssertEqual(e?.stage, .ingest)
    }

    func testTruncatedUTF8GivesTheByteOffset() throws {
        let e = failure("bad/truncated-utf8.txt")
        XCTAssertEqual(e?.code, "encoding.invalid")
        let size = try Data(contentsOf: FixturePaths.fixtures.appendingPathComponent("bad/truncated-utf8.txt")).count
        let off = try XCTUnwrap(e?.location?.byteOffset)
        XCTAssertTrue(off < size && off >= size - 3, "offset \(off) of \(size)")
        XCTAssertTrue(e?.message.contains("truncated") ?? false, e?.message ?? "")
    }

    func testInvalidByteInsideUTF8Text() throws {
        var bytes = [UInt8]("被告人黄勇在贵阳市云岩区".utf8)
        let bad = bytes.count
        bytes += [0xFF]
        bytes += Array("将被害人陈某停放在该处的一辆电瓶车盗走。".utf8)
        let r = EncodingDetector.decode(bytes, path: "x.txt")
        guard case .failure(let e) = r else { return XCTFail("should fail") }
        XCTAssertEqual(e.code, "encoding.invalid")
        XCTAssertEqual(e.location?.byteOffset, bad)
    }

    func testSourceHashEqualsSha256sumOfTheFile() throws {
        // The sha256 in SourceInfo is the file's digest as coreutils' sha256sum computes it.
        for name in ["utf8.txt", "judgment.docx", "gb18030-real.jsonl"] {
            let url = FixturePaths.fixtures.appendingPathComponent(name)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
            p.arguments = [url.path]
            let pipe = Pipe()
            p.standardOutput = pipe
            try p.run()
            let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            let expected = String(out.prefix(64))
            let docs = IngestService().documents(atPath: url.path)
            XCTAssertFalse(docs.isEmpty, name)
            for d in docs { XCTAssertEqual(try d.get().source.sha256, expected, name) }
        }
    }

    func testDetectorOnRealGB18030Lines() throws {
        let raw = try Data(contentsOf: FixturePaths.fixtures.appendingPathComponent("gb18030-real.jsonl"))
        let r = EncodingDetector.decode([UInt8](raw), path: "gb")
        let d = try r.get()
        XCTAssertEqual(d.encoding, "GB18030")
        XCTAssertEqual(d.text.split(separator: "\n").count, 3)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(d.text.split(separator: "\n")[0].utf8)))
    }
}

final class EdgeCaseTests: XCTestCase {
    private func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let p = try temporaryDirectory().appendingPathComponent(name).path
        _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    func testOnlyABOMIsEmpty() throws {
        XCTAssertEqual(failure(atPath: try write([0xEF, 0xBB, 0xBF], "bom.txt"))?.code, "file.empty")
        XCTAssertEqual(failure(atPath: try write([0xFF, 0xFE], "bom16.txt"))?.code, "file.empty")
        XCTAssertEqual(failure(atPath: try write([0xEF, 0xBB, 0xBF], "bom.xml"))?.code, "file.empty")
    }

    func testEmptyTextFieldIsNoText() throws {
        let e = failure(atPath: try write(Array("{\"id\": \"x\", \"text\": \"\"}\n".utf8), "e.jsonl"))
        XCTAssertEqual(e?.code, "json.no_text_field")
        XCTAssertEqual(e?.location?.line, 1)
    }

    func testUndecodableBytesWithoutNULs() throws {
        // 0x80 and 0xFF are lead bytes in neither GB18030 nor Big5, and not UTF-8.
        let e = failure(atPath: try write([0x80, 0xFF, 0x80, 0xFF, 0x41, 0x80, 0xFF, 0x42], "junk.txt"))
        XCTAssertEqual(e?.code, "encoding.undetected")
    }
}
