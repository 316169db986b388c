import CICUShim
import Foundation
import WenshuCore
import XCTest
@testable import WenshuIngest

/// GB18030 vs Big5 detection on short real texts (the hard case for ICU's detector).
final class DetectionAccuracyTests: XCTestCase {
    private func traditional(_ s: String) throws -> String {
        let id = Array("Simplified-Traditional".utf16)
        var err: Int32 = 0
        let t = try XCTUnwrap(wsh_transliterator_open(id, Int32(id.count), &err))
        defer { wsh_transliterator_close(t) }
        var buf = Array(s.utf16) + [UInt16](repeating: 0, count: s.utf16.count + 16)
        var len = Int32(s.utf16.count)
        XCTAssertEqual(wsh_transliterate(t, &buf, &len, Int32(buf.count)), 0)
        return String(decoding: buf[0..<Int(len)], as: UTF16.self)
    }

    func testShortRealTextsInGBKAndBig5() throws {
        let url = try FixturePaths.sharedData("cail2021-theft/train.jsonl")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").prefix(300)
        var total = 0, gbOK = 0, big5OK = 0, icuGB = 0, icuBig5 = 0
        for line in lines {
            guard let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let text = obj["context"] as? String, text.count >= 12 else { continue }
            let short = String(text.prefix(20))
            guard let gbk = ICUConverter.fromString(short, charset: "GBK"),
                  let b5 = ICUConverter.fromString(try traditional(short), charset: "Big5") else { continue }
            total += 1
            let g = gbk.withUnsafeBufferPointer { EncodingDetector.detect($0, path: "g") }
            if case .success(let r) = g, r.encoding == "GB18030" { gbOK += 1 }
            let b = b5.withUnsafeBufferPointer { EncodingDetector.detect($0, path: "b") }
            if case .success(let r) = b, r.encoding == "Big5" { big5OK += 1 }
            if let d = gbk.withUnsafeBufferPointer({ ICUConverter.detect($0) }), d.name.hasPrefix("GB") { icuGB += 1 }
            if let d = b5.withUnsafeBufferPointer({ ICUConverter.detect($0) }), d.name.hasPrefix("Big5") { icuBig5 += 1 }
        }
        print("detection on \(total) real 20-character texts: GBK \(gbOK), Big5 \(big5OK); ICU alone: GBK \(icuGB), Big5 \(icuBig5)")
        XCTAssertGreaterThan(total, 200)
        XCTAssertGreaterThanOrEqual(Double(gbOK) / Double(total), 0.98)
        XCTAssertGreaterThanOrEqual(Double(big5OK) / Double(total), 0.95)
    }
}
