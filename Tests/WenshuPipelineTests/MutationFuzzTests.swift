import Foundation
import WenshuCore
import WenshuIngest
import WenshuText
import XCTest

/// Deterministic mutation fuzzing of the ingest and text layers.
///
/// Every fixture of `Tests/WenshuIngestTests/Fixtures` and every file of `samples/documents` is
/// mutated `mutantsPerFile` times with a seeded PRNG (byte flips, truncation inside multi-byte
/// sequences, NULs, duplicated and removed chunks, tag damage for markup, bracket damage for
/// JSON, central-directory and local-header damage for DOCX). Each mutant is written to a temp
/// file under the original name, ingested with `IngestService.forEachDocument`, and every
/// document's text is analyzed by `TextAnalyzer`. Checked for each mutant:
/// - nothing is lost: at least one result per file; for a JSONL file, one result per non-blank
///   line (or a single whole-file error); for a JSON array, one result per element;
/// - every error is a `WenshuError` with a code, a message and the mutant's path;
/// - every offset the text layer reports lies within the extracted text and every span's text
///   equals the extracted text's slice at its offsets; the alignment is well formed;
/// - each mutant finishes within a gross hang guard (10 s), measured on a worker thread.
///
/// It lives with the pipeline tests because it is the only test target that may import both
/// WenshuIngest and WenshuText. A crash kills the test process; the mutant being processed is
/// then named in `$TMPDIR/wenshu-fuzz-current` (and its file is left in place) for reproduction.
final class MutationFuzzTests: XCTestCase {
    /// 30 by default (a few seconds of CPU in debug); `WENSHU_FUZZ_MUTANTS` and `WENSHU_FUZZ_SEED` run a longer or another pass by hand.
    static let mutantsPerFile = ProcessInfo.processInfo.environment["WENSHU_FUZZ_MUTANTS"].flatMap { Int($0) } ?? 30
    static let seedOffset = ProcessInfo.processInfo.environment["WENSHU_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0
    static let hangGuardSeconds = 10.0

    static let repoRoot: URL = {
        var u = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while u.path != "/" {
            if FileManager.default.fileExists(atPath: u.appendingPathComponent("Package.swift").path) { return u }
            u = u.deletingLastPathComponent()
        }
        return u
    }()

    /// The seed files: ingest fixtures (with the bad inputs, without the saved fuzz mutants and
    /// the fixture tooling) and the sample documents.
    static func seedFiles() -> [URL] {
        var out: [URL] = []
        let fm = FileManager.default
        let fixtures = repoRoot.appendingPathComponent("Tests/WenshuIngestTests/Fixtures")
        for dir in [fixtures, fixtures.appendingPathComponent("bad"), repoRoot.appendingPathComponent("samples/documents")] {
            let names = (try? fm.contentsOfDirectory(atPath: dir.path)) ?? []
            for n in names.sorted() where !n.hasPrefix(".") && !n.hasSuffix(".md") && !n.hasSuffix(".py") {
                var isDir: ObjCBool = false
                let u = dir.appendingPathComponent(n)
                if fm.fileExists(atPath: u.path, isDirectory: &isDir), !isDir.boolValue { out.append(u) }
            }
        }
        return out
    }

    func testMutantsNeverCrashHangOrLoseDocuments() throws {
        let seeds = Self.seedFiles()
        XCTAssertGreaterThan(seeds.count, 20, "fixtures and samples found under \(Self.repoRoot.path)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-fuzz-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let analyzer = try TextAnalyzer(config: TextConfig(words: true))
        let service = IngestService()
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-fuzz-current")
        var checked = 0, documents = 0, errors = 0
        var codes: [String: Int] = [:]
        let started = Date()
        for (fileIndex, seed) in seeds.enumerated() {
            let original = [UInt8](try Data(contentsOf: seed))
            var rng = SplitMix64(seed: 0x5745_4E53_4855 &+ UInt64(fileIndex) &* 0x9E37_79B9 &+ Self.seedOffset &* 0x1_0000_0001)
            let kind = MutationKind.of(name: seed.lastPathComponent, bytes: original)
            for m in 0..<Self.mutantsPerFile {
                let (op, bytes) = Mutator.mutate(original, kind: kind, rng: &rng)
                let sub = dir.appendingPathComponent("\(fileIndex)-\(m)")
                try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
                let path = sub.appendingPathComponent(seed.lastPathComponent).path
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                try Data("\(path) (\(seed.lastPathComponent), mutant \(m), \(op))\n".utf8).write(to: marker)
                let label = "\(seed.lastPathComponent) mutant \(m) (\(op)) at \(path)"
                guard let outcome = Self.run(path: path, service: service, analyzer: analyzer) else {
                    XCTFail("hang: \(label) took over \(Self.hangGuardSeconds) s")
                    return  // the worker is still running; stop here
                }
                checked += 1
                Self.check(outcome, path: path, bytes: bytes, label: label, codes: &codes)
                documents += outcome.documents.count
                errors += outcome.errors.count
                try? FileManager.default.removeItem(at: sub)
            }
        }
        try? FileManager.default.removeItem(at: dir)
        try? FileManager.default.removeItem(at: marker)
        print("mutation fuzz: \(seeds.count) files x \(Self.mutantsPerFile) mutants = \(checked) checked, "
              + "\(documents) documents, \(errors) errors in \(String(format: "%.1f", Date().timeIntervalSince(started))) s; "
              + "codes: \(codes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }

    /// The text layer alone on texts the decoders can produce but byte mutants rarely reach:
    /// each seed document's text with adversarial snippets spliced in (long numeral and money
    /// runs, repeated anchors, combining marks, zero-width and ideographic spaces, CR/LF
    /// mixtures, half a case number). Same offset checks and hang guard.
    func testTextLayerOnSplicedTexts() throws {
        let analyzer = try TextAnalyzer(config: TextConfig(words: true))
        let service = IngestService()
        var texts: [(String, String)] = []
        for seed in Self.seedFiles() {
            for case .success(let d) in service.documents(atPath: seed.path) { texts.append((seed.lastPathComponent, d.text)) }
        }
        XCTAssertGreaterThan(texts.count, 15)
        let snippets = [
            String(repeating: "九", count: 400) + "万亿元", String(repeating: "1,", count: 2000) + "元",
            "人民币" + String(repeating: "一二三四五六七八九十百千", count: 200) + "元整",
            String(repeating: "（2020）浙0702刑初", count: 300) + "号", "（２０２０）浙０７０２刑初６６２号", "〔2019〕", "[2018",
            String(repeating: "被告人", count: 500), String(repeating: "本院认为，", count: 300), "判决如下：",
            "二〇一九年十三月三十二日", String(repeating: "年月日", count: 500), "9999999999999999999999年1月1日",
            "e\u{301}\u{301}\u{301}", "\u{200B}\u{200D}\u{FEFF}\u{2060}", String(repeating: "\u{3000}", count: 3000),
            "\r\n\r\r\n\n", "\u{0}\u{1}\u{7F}\u{85}", "ﬁ㍻㈱①⑳", "\u{FFFD}\u{FFFD}", "\u{1F600}\u{10FFFF}",
            String(repeating: "民 事 判 决 书 ", count: 200), String(repeating: "，", count: 5000), String(repeating: "\n", count: 3000),
        ]
        var rng = SplitMix64(seed: 0x7465_7874 &+ Self.seedOffset)
        var codes: [String: Int] = [:]
        for (name, text) in texts {
            for m in 0..<6 {
                var scalars = Array(text.unicodeScalars)
                for _ in 0..<(1 + rng.int(3)) {
                    let snippet = Array(rng.pick(snippets).unicodeScalars)
                    let at = rng.int(scalars.count + 1)
                    if rng.int(3) == 0, at < scalars.count {
                        scalars.replaceSubrange(at..<min(scalars.count, at + snippet.count), with: snippet)
                    } else {
                        scalars.insert(contentsOf: snippet, at: at)
                    }
                }
                var v = String.UnicodeScalarView(); v.append(contentsOf: scalars)
                let mutated = String(v)
                let doc = Document(id: "\(name)#\(m)", source: SourceInfo(path: name, format: .text, encoding: "UTF-8",
                                                                      bytes: 0, sha256: ""), text: mutated)
                let box = Box()
                let done = DispatchSemaphore(value: 0)
                let thread = Thread {
                    box.outcome.order.append(true)
                    do { box.outcome.documents.append(Analyzed(document: doc, analysis: try analyzer.analyze(mutated))) } catch {
                        box.outcome.documents.append(Analyzed(document: doc, analysis: nil, error: error))
                    }
                    done.signal()
                }
                thread.start()
                if done.wait(timeout: .now() + Self.hangGuardSeconds) == .timedOut {
                    XCTFail("hang: analyzing \(name) splice \(m)"); return
                }
                Self.check(box.outcome, path: name, bytes: [], label: "\(name) splice \(m)", codes: &codes)
            }
        }
    }

    /// The saved mutants that once crashed, hung or misplaced offsets (Fixtures/fuzz) still pass
    /// every check.
    func testSavedMutantsStayFixed() throws {
        let dir = Self.repoRoot.appendingPathComponent("Tests/WenshuIngestTests/Fixtures/fuzz")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { !$0.hasSuffix(".md") }.sorted()
        if names.isEmpty { throw XCTSkip("no saved mutants in \(dir.path)") }
        let analyzer = try TextAnalyzer(config: TextConfig(words: true))
        var codes: [String: Int] = [:]
        for n in names {
            let path = dir.appendingPathComponent(n).path
            guard let outcome = Self.run(path: path, service: IngestService(), analyzer: analyzer) else {
                XCTFail("hang: \(n)"); return
            }
            Self.check(outcome, path: path, bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))),
                       label: n, codes: &codes)
        }
    }

    // MARK: - running one mutant

    struct Analyzed {
        var document: Document
        var analysis: TextAnalysis?
        var error: Error?
    }

    struct Outcome {
        var documents: [Analyzed] = []
        var errors: [WenshuError] = []
        /// Results in emission order (true: a document).
        var order: [Bool] = []
    }

    final class Box: @unchecked Sendable { var outcome = Outcome() }

    /// Ingests and analyzes one file on a worker thread; nil when it outlasts the hang guard.
    static func run(path: String, service: IngestService, analyzer: TextAnalyzer) -> Outcome? {
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            service.forEachDocument(atPath: path) { r in
                switch r {
                case .success(let d):
                    box.outcome.order.append(true)
                    do { box.outcome.documents.append(Analyzed(document: d, analysis: try analyzer.analyze(d.text))) } catch {
                        box.outcome.documents.append(Analyzed(document: d, analysis: nil, error: error))
                    }
                case .failure(let e):
                    box.outcome.order.append(false)
                    box.outcome.errors.append(e)
                }
            }
            done.signal()
        }
        thread.start()
        if done.wait(timeout: .now() + hangGuardSeconds) == .timedOut { return nil }
        return box.outcome
    }

    // MARK: - invariants

    static func check(_ o: Outcome, path: String, bytes: [UInt8], label: String, codes: inout [String: Int],
                      file: StaticString = #filePath, line: UInt = #line) {
        // Nothing lost.
        XCTAssertFalse(o.order.isEmpty, "no result at all for \(label)", file: file, line: line)
        let utf16 = bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])
        if FormatSniffer.sniff(head: Array(bytes.prefix(1 << 16)), path: path) == .jsonl, !utf16 {
            let expected = nonBlankLines(bytes)
            let wholeFileError = o.order.count == 1 && o.errors.count == 1
            if !wholeFileError {
                XCTAssertEqual(o.order.count, expected, "JSONL results vs non-blank lines for \(label)", file: file, line: line)
            }
        }
        // A JSON array: one result per element.
        if !bytes.isEmpty, FormatSniffer.sniff(head: Array(bytes.prefix(1 << 16)), path: path) == .json,
           String(validating: bytes, as: UTF8.self) != nil,
           let array = (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) as? [Any],
           !array.isEmpty {
            XCTAssertEqual(o.order.count, array.count, "JSON results vs array elements for \(label)", file: file, line: line)
        }
        for e in o.errors {
            codes[e.code, default: 0] += 1
            XCTAssertFalse(e.code.isEmpty, "error without a code for \(label): \(e)", file: file, line: line)
            XCTAssertFalse(e.message.isEmpty, "error without a message for \(label): \(e)", file: file, line: line)
            XCTAssertEqual(e.path, path, "error does not name the file for \(label): \(e)", file: file, line: line)
        }
        for a in o.documents {
            XCTAssertEqual(a.document.source.path, path, "document path for \(label)", file: file, line: line)
            if let err = a.error {
                guard let w = err as? WenshuError else {
                    XCTFail("analyze threw a non-Wenshu error for \(label): \(err)", file: file, line: line); continue
                }
                XCTAssertFalse(w.code.isEmpty || w.message.isEmpty, "analyze error without code/message for \(label)",
                               file: file, line: line)
                continue
            }
            guard let an = a.analysis else { continue }
            checkAnalysis(an, text: a.document.text, label: label, file: file, line: line)
        }
    }

    static func checkAnalysis(_ an: TextAnalysis, text: String, label: String, file: StaticString, line: UInt) {
        let src = Array(text.unicodeScalars)
        let n = src.count
        func slice(_ s: Int, _ e: Int) -> String {
            var v = String.UnicodeScalarView(); v.append(contentsOf: src[s..<e]); return String(v)
        }
        /// Offsets inside the text and, when given, the text equal to the slice.
        func span(_ what: String, _ s: Int, _ e: Int, _ t: String?) {
            guard 0 <= s, s <= e, e <= n else {
                XCTFail("\(what) \(s)..<\(e) outside the text of \(n) scalars for \(label)", file: file, line: line); return
            }
            if let t, t != slice(s, e) {
                XCTFail("\(what) text \(t.debugDescription) != slice \(slice(s, e).debugDescription) at \(s)..<\(e) for \(label)",
                        file: file, line: line)
            }
        }
        XCTAssertEqual(an.normalized.source.count, n, "source of the normalized text for \(label)", file: file, line: line)
        let al = an.normalized.alignment
        let m = an.normalized.text.count
        XCTAssertEqual(al.count, m, "alignment size for \(label)", file: file, line: line)
        XCTAssertEqual(al.sourceLength, n, "alignment source length for \(label)", file: file, line: line)
        if al.count == m {
            for i in 0..<m where !(0 <= al.sourceStart[i] && al.sourceStart[i] <= al.sourceEnd[i] && al.sourceEnd[i] <= n) {
                XCTFail("alignment of scalar \(i) is \(al.sourceStart[i])..<\(al.sourceEnd[i]) (text of \(n)) for \(label)",
                        file: file, line: line)
                break
            }
        }
        for (k, r) in an.sentences.enumerated() {
            guard 0 <= r.lowerBound, r.upperBound <= m else {
                XCTFail("sentence \(k) \(r) outside the normalized text of \(m) for \(label)", file: file, line: line); break
            }
            let sp = an.sourceSpan(ofSentence: k)
            span("sentence \(k)", sp.start, sp.end, sp.text)
        }
        for w in an.words where !(0 <= w.range.lowerBound && w.range.upperBound <= m) {
            XCTFail("word \(w.range) outside the normalized text of \(m) for \(label)", file: file, line: line); break
        }
        let st = an.structure
        if let c = st.caseNumber { span("case number", c.start, c.end, c.text) }
        for p in st.parties { span("party \(p.role)", p.start, p.end, p.name) }
        for s in st.sections { span("section \(s.kind)", s.start, s.end, nil) }
        for a in st.money { span("money", a.start, a.end, a.text) }
    }

    /// Lines (split at LF) holding anything but spaces, tabs and CR; a leading BOM is ignored.
    static func nonBlankLines(_ bytes: [UInt8]) -> Int {
        var b = bytes[...]
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b = b.dropFirst(3) }
        return b.split(separator: 0x0A, omittingEmptySubsequences: false)
            .filter { !$0.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }.count
    }
}
