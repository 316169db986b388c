import CICUShim
import Foundation
import WenshuCore
import XCTest
@testable import WenshuText

/// Structure rules on traditional text (issue 13, item 3): the rules match a private
/// simplified copy, the user's normalization stays as chosen, spans point into the
/// extracted text, and the court and case number come out in one script.
final class TraditionalStructureTests: XCTestCase {
    /// samples/documents/criminal-fraud-90.big5.txt, decoded by ICU as Big5.
    private func sample() throws -> String {
        let url = TestPaths.repositoryRoot.appendingPathComponent("samples/documents/criminal-fraud-90.big5.txt")
        let bytes = [UInt8](try Data(contentsOf: url))
        var out = [UInt16](repeating: 0, count: bytes.count * 2 + 16)
        var len: Int32 = 0
        var off: Int64 = -1
        let rc = bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                wsh_convert_to_utf16("Big5", src.baseAddress, Int32(src.count), dst.baseAddress, Int32(dst.count), &len, 1, &off)
            }
        }
        XCTAssertEqual(rc, 0)
        return String(decoding: out[0..<Int(len)], as: UTF16.self)
    }

    func testBig5SampleGivesCourtCaseNumberAndType() throws {
        let text = try sample()
        XCTAssertTrue(text.contains("刑事判決書"))
        let a = try TextAnalyzer().analyze(text)
        let s = a.structure
        // The user's normalization (the default chain) did not fold the text.
        XCTAssertTrue(a.normalized.string.contains("判決書"))
        XCTAssertEqual(s.court, "河南省項城市人民法院")
        XCTAssertEqual(s.caseNumber?.text, "（2017）豫1681刑初588號")
        XCTAssertEqual(s.caseNumber?.year, 2017)
        XCTAssertEqual(s.caseNumber?.category, "刑初")
        XCTAssertEqual(s.docType, "判决书")
        XCTAssertEqual(s.title, "刑事判決書")
        XCTAssertEqual(s.caseType, "刑事")
        XCTAssertGreaterThan(s.sections.count, 2, "\(s.sections.map(\.kind))")
        let src = a.normalized.source
        if let c = s.caseNumber { XCTAssertEqual(src.slice(c.start..<c.end), c.text) }
        for p in s.parties { XCTAssertEqual(src.slice(p.start..<p.end), p.name) }
        for m in s.money { XCTAssertEqual(src.slice(m.start..<m.end), m.text) }
    }

    func testFoldingChainKeepsCourtAndCaseNumberInOneScript() throws {
        let text = try sample()
        var config = TextConfig()
        config.normalization = [.nfkc, .traditionalToSimplified, .whitespace]
        let a = try TextAnalyzer(config: config).analyze(text)
        XCTAssertTrue(a.normalized.string.contains("判决书"))
        let s = a.structure
        // Both as the extracted text writes them: traditional, like every span of the record.
        XCTAssertEqual(s.court, "河南省項城市人民法院")
        XCTAssertEqual(s.caseNumber?.text, "（2017）豫1681刑初588號")
        XCTAssertEqual(s.docType, "判决书")
    }

    func testSimplifiedTextIsNotFolded() throws {
        XCTAssertFalse(TraditionalFolding.mayHoldTraditional(Array("浙江省金华市婺城区人民法院刑事判决书（2020）浙0702刑初662号".unicodeScalars)))
        XCTAssertTrue(TraditionalFolding.mayHoldTraditional(Array(try sample().unicodeScalars)))
        // Every marker is a character ICU folds to something else.
        let t2s = try TraditionalToSimplifiedNormalizer()
        for m in TraditionalFolding.markers {
            XCTAssertNotEqual(try t2s.convert(String(Character(m))), String(Character(m)), "\(m)")
        }
    }
}
