import Foundation
import WenshuCore
import XCTest
@testable import WenshuText

/// Precision of party names on real text (issue 13, item 2), reported in docs/TEXT.md.
///
/// A name counts as well formed when it is an anonymised name (surname + 某, 某某, 某1, 某甲),
/// a full name of two to four Han characters that holds no clause word, an organisation
/// (…人民检察院, …有限公司), or a masked name (×, x). Everything else is printed for review;
/// the figures in docs/TEXT.md are these counts after reading the printed names by hand.
final class PartyPrecisionTests: XCTestCase {
    static func wellFormed(_ name: String) -> Bool {
        let u = Array(name.unicodeScalars)
        let han = { (c: Unicode.Scalar) in (0x4E00...0x9FFF).contains(c.value) || (0x3400...0x4DBF).contains(c.value) }
        let organisations = ["公司", "检察院", "法院", "银行", "支行", "分行", "局", "事务所", "委员会", "中心", "厂", "店", "社"]
        if organisations.contains(where: name.hasSuffix), u.count >= 4, u[1] != "某", !(0x30...0x39).contains(u[1].value) { return true }
        if name.contains("×") || name.contains("*") || name.lowercased().contains("x") { return u.count <= 8 }
        if let k = u.firstIndex(of: "某"), (1...2).contains(k), u[..<k].allSatisfy({ han($0) || (0x30...0x39).contains($0.value) }) {
            return u[k...].allSatisfy { $0 == "某" || "甲乙丙丁戊己庚辛".unicodeScalars.contains($0) || (0x30...0x39).contains($0.value) }
        }
        guard (2...4).contains(u.count), u.allSatisfy(han) else { return false }
        let rest = String(String.UnicodeScalarView(u.dropFirst(2)))
        return !u.dropFirst(2).contains { PartyParser.clauseCharacters.contains($0) }
            && !PartyParser.clauseWords.contains { rest.contains(String(String.UnicodeScalarView($0))) }
    }

    private func measure(_ texts: [String], label: String) throws -> (total: Int, good: Int) {
        let analyzer = try TextAnalyzer()
        var total = 0, good = 0
        var odd: [String] = []
        for t in texts {
            let a = try analyzer.analyze(t)
            for p in a.structure.parties {
                total += 1
                XCTAssertEqual(a.normalized.source.slice(p.start..<p.end), p.name)
                if Self.wellFormed(p.name) { good += 1 } else { odd.append("\(p.role) \(p.name)") }
                if ProcessInfo.processInfo.environment["WENSHU_PARTY_DUMP"] != nil { say("  all: \(p.role) \(p.name)") }
            }
        }
        say(String(format: "%@: %d party names, %d well formed (%.1f%%); for review:", label, total, good,
                   total == 0 ? 0 : Double(good) / Double(total) * 100))
        for o in odd { say("  party: \(o)") }
        return (total, good)
    }

    func testJudgmentsPartyLines() throws {
        let url = try TestPaths.sharedData("judgments-fulltext/judgments.jsonl")
        let texts = try TestPaths.jsonLines(url).map { $0["text"] as? String ?? "" }
        let (total, good) = try measure(texts, label: "judgments-fulltext")
        // Most of these texts run from the case number straight to the procedure: few party lines.
        XCTAssertGreaterThan(total, 100)
        XCTAssertGreaterThanOrEqual(Double(good) / Double(total), 0.95)
    }

    func testCAIL2018Facts() throws {
        let url = try TestPaths.sharedData("cail2018-charges/train.jsonl")
        let texts = try TestPaths.jsonLines(url).map { $0["fact"] as? String ?? "" }
        let (total, good) = try measure(texts, label: "cail2018-charges facts")
        XCTAssertGreaterThan(total, 100)
        XCTAssertGreaterThanOrEqual(Double(good) / Double(total), 0.9)
    }
}
