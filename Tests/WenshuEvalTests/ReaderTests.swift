import XCTest
import WenshuCore
@testable import WenshuEval

final class ReaderTests: XCTestCase {
    func text(_ e: LabelledExample, _ s: Int, _ t: Int) -> String {
        let sc = Array(e.text.unicodeScalars)
        return String(String.UnicodeScalarView(sc[s..<t]))
    }

    func testTheftReaderSpansEventAndMalformedLines() throws {
        let set = try LabelledSetLoader.load(path: FixtureSupport.path("cail2021-theft.jsonl"), format: .cail2021Theft)
        XCTAssertEqual(set.examples.count, 5)
        XCTAssertEqual(set.records, 7)
        XCTAssertEqual(set.errors.count, 2)
        // Line 6 has the span "3-5"; line 7 is truncated JSON. Both errors name the file and line.
        XCTAssertEqual(set.errors.map { $0.location?.line }, [6, 7])
        XCTAssertTrue(set.errors[0].message.contains("3-5"), set.errors[0].message)
        XCTAssertTrue(set.errors[0].description.contains("cail2021-theft.jsonl: line 6"), set.errors[0].description)
        let e = set.examples[0]
        XCTAssertEqual(e.id, "88d1d6e93ec6f7803ec83c991277cfd5")
        // 破案后，公安机关将查获手机依法返还给了被害人严某某、肖某某。 : NO 4;8 公安机关, NASI 9;13, NHVI 22;25 and 26;29.
        XCTAssertEqual(e.spans.count, 4)
        XCTAssertEqual(e.spans[0], LabelledSpan(label: "NO", start: 4, end: 8))
        XCTAssertEqual(text(e, 4, 8), "公安机关")
        XCTAssertEqual(text(e, 22, 25), "严某某")
        XCTAssertEqual(e.events.count, 1)
        XCTAssertEqual(e.events[0].type, "theft")
        XCTAssertEqual(Set(e.events[0].arguments.map(\.role)), ["NO", "NASI", "NHVI"])
        XCTAssertEqual(e.events[0].arguments.count, 4)
    }

    func testDrugsReaderEventsWithContextArguments() throws {
        let set = try LabelledSetLoader.load(path: FixtureSupport.path("cail2022-drugs.jsonl"), format: .cail2022Drugs)
        XCTAssertEqual(set.examples.count, 3)
        XCTAssertEqual(set.errors.count, 1)
        XCTAssertEqual(set.errors[0].location?.line, 4)
        XCTAssertTrue(set.errors[0].message.contains("e1start 999"), set.errors[0].message)
        let e = set.examples[0]
        XCTAssertEqual(e.id, "21-39")
        XCTAssertEqual(e.spans.count, 6)
        // One non-NA relation: posess(焦某某 83..86, 海洛因 106..109). The anchor's sentence
        // (在搜查过程中，…检出海洛因计重120克。) holds the weight 120克 111..115, but not the time
        // (6..18) or the place (34..40), which sit in the first sentence.
        XCTAssertEqual(e.events.count, 1)
        let ev = e.events[0]
        XCTAssertEqual(ev.type, "posess")
        XCTAssertEqual(ev.arguments, [LabelledArgument(role: "possessor", start: 83, end: 86),
                                      LabelledArgument(role: "drug", start: 106, end: 109),
                                      LabelledArgument(role: "weight", start: 111, end: 115)])
        XCTAssertEqual(text(e, 83, 86), "焦某某")
        XCTAssertEqual(text(e, 111, 115), "120克")
    }

    func testCAIL2018StripsBracketsAndReportsMissingAccusation() throws {
        let set = try LabelledSetLoader.load(path: FixtureSupport.path("cail2018.jsonl"), format: .cail2018)
        XCTAssertEqual(set.examples.count, 4)
        XCTAssertEqual(set.errors.count, 1)
        XCTAssertEqual(set.errors[0].location?.line, 5)
        XCTAssertTrue(set.errors[0].message.contains("accusation"), set.errors[0].message)
        XCTAssertEqual(set.examples[3].labels, ["盗窃", "掩饰、隐瞒犯罪所得、犯罪所得收益"])
        XCTAssertEqual(set.examples[0].id, "cail2018-1")
        XCTAssertEqual(CAIL2018ChargesReader.clean("[走私、贩卖、运输、制造]毒品"), "走私、贩卖、运输、制造毒品")
    }

    func testCJRCLabelOption() throws {
        let types = try LabelledSetLoader.load(path: FixtureSupport.path("cjrc.jsonl"), format: .cjrc,
                                               options: ReaderOptions(cjrcLabel: .caseType))
        let causes = try LabelledSetLoader.load(path: FixtureSupport.path("cjrc.jsonl"), format: .cjrc,
                                                options: ReaderOptions(cjrcLabel: .causeOrCharge))
        XCTAssertEqual(types.examples.count, 4)
        XCTAssertEqual(types.examples[0].labels, ["民事"])
        XCTAssertEqual(causes.examples[0].labels, ["变更抚养关系纠纷"])
        XCTAssertEqual(types.errors.count, 1)
        XCTAssertEqual(types.errors[0].location?.line, 5)
        XCTAssertEqual(Set(types.examples.map { $0.labels[0] }), ["民事", "刑事"])
    }

    func testLevenLawBenchTriggers() throws {
        let set = try LabelledSetLoader.load(path: FixtureSupport.path("leven-lawbench.jsonl"), format: .levenLawBench)
        XCTAssertEqual(set.examples.count, 4)
        XCTAssertEqual(set.errors.count, 1)
        XCTAssertTrue(set.errors[0].message.contains("查扣"), set.errors[0].message)
        let e = set.examples[0]
        XCTAssertEqual(e.spans, [LabelledSpan(label: "搜查/扣押", start: 15, end: 17), LabelledSpan(label: "退赃", start: 40, end: 42)])
        XCTAssertEqual(e.events.map(\.trigger), e.spans.map { Optional($0) })
        XCTAssertEqual(text(e, 40, 42), "退给")
    }

    func testLevenDocumentFormatConvertsTokenOffsets() throws {
        let docs = try LabelledSetLoader.load(path: FixtureSupport.path("leven-docs.jsonl"), format: .leven)
        let flat = try LabelledSetLoader.load(path: FixtureSupport.path("leven-lawbench.jsonl"), format: .levenLawBench)
        XCTAssertEqual(docs.errors.count, 0)
        XCTAssertEqual(docs.examples.count, 9)
        XCTAssertEqual(docs.examples[0].id, "leven-fixture-0#0")
        // The fixture was built from the same LawBench sentences: the converted character
        // offsets must equal the LawBench ones for the sentences both files hold.
        for f in flat.examples {
            if let d = docs.examples.first(where: { $0.text == f.text }), !d.id.hasPrefix("leven-fixture-2") {
                XCTAssertEqual(d.spans, f.spans.sorted { ($0.start, $0.end) < ($1.start, $1.end) }, d.id)
            }
        }
        XCTAssertEqual(docs.examples[0].spans.first, LabelledSpan(label: "搜查/扣押", start: 15, end: 17))
        // The third document has no events (test split form).
        XCTAssertTrue(docs.examples.filter { $0.id.hasPrefix("leven-fixture-2") }.allSatisfy { $0.spans.isEmpty })
        XCTAssertEqual(LevenDocumentReader.tokenOffsets(sentence: "被告人 张三盗窃", tokens: ["被告人", "张三", "盗窃"])!.map { [$0.0, $0.1] },
                       [[0, 3], [4, 6], [6, 8]])
        XCTAssertNil(LevenDocumentReader.tokenOffsets(sentence: "被告人", tokens: ["被告", "人人"]))
    }

    func testGenericReaderAndAutodetection() throws {
        let set = try LabelledSetLoader.load(path: FixtureSupport.path("generic.jsonl"))
        XCTAssertEqual(set.format, .generic)
        XCTAssertEqual(set.examples.count, 3)
        XCTAssertEqual(set.errors.count, 1)
        XCTAssertTrue(set.errors[0].message.contains("spans[0]"), set.errors[0].message)
        // The generic rewrite holds the same spans as the CAIL2021 reader gives.
        let theft = try LabelledSetLoader.load(path: FixtureSupport.path("cail2021-theft.jsonl"))
        XCTAssertEqual(theft.format, .cail2021Theft)
        XCTAssertEqual(Set(set.examples[0].spans), Set(theft.examples[0].spans))
        XCTAssertEqual(set.examples[0].labels, ["盗窃"])
        for (name, f) in [("cail2022-drugs.jsonl", DatasetFormat.cail2022Drugs), ("cail2018.jsonl", .cail2018),
                          ("cjrc.jsonl", .cjrc), ("leven-lawbench.jsonl", .levenLawBench), ("leven-docs.jsonl", .leven)] {
            XCTAssertEqual(try LabelledSetLoader.load(path: FixtureSupport.path(name)).format, f, name)
        }
    }

    func testUnreadableFileThrows() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.jsonl")
        try "{\"text\": 1}\n{\"text\": 2}\n".write(to: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try LabelledSetLoader.load(path: bad.path, format: .generic)) { e in
            let w = e as! WenshuError
            XCTAssertEqual(w.location?.line, 1)
            XCTAssertTrue(w.message.contains("2 malformed"), w.message)
        }
        XCTAssertThrowsError(try LabelledSetLoader.load(path: dir.appendingPathComponent("none.jsonl").path))
        let odd = dir.appendingPathComponent("odd.jsonl")
        try "{\"foo\": 1}\n".write(to: odd, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try LabelledSetLoader.load(path: odd.path)) { e in
            XCTAssertEqual((e as! WenshuError).code, "dataset.undetected")
        }
    }

    func testFullDatasetsReadWithoutErrors() throws {
        let d = try FixtureSupport.sharedData()
        for (file, f, minimum) in [("cail2021-theft/train.jsonl", DatasetFormat.cail2021Theft, 4232),
                                   ("cail2022-drugs/train.jsonl", .cail2022Drugs, 1415),
                                   ("leven-lawbench/triggers.jsonl", .levenLawBench, 297),
                                   ("cail2018-charges/train.jsonl", .cail2018, 4028),
                                   ("cjrc-casetype/train.jsonl", .cjrc, 1597)] {
            let s = try LabelledSetLoader.load(path: d.appendingPathComponent(file).path, format: f)
            XCTAssertEqual(s.errors.count, 0, "\(file): \(s.errors.first?.description ?? "")")
            XCTAssertEqual(s.examples.count, minimum, file)
        }
    }
}
