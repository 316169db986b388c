import Foundation
import WenshuCore
import XCTest
@testable import WenshuText

/// Throughput of the text layer on judgments-fulltext, stage by stage. Not a unit test: it
/// runs only with WENSHU_BENCHMARK=1 (in release: see docs/TEXT.md for the command) and
/// prints MB/s and documents/s; it asserts only that every document was analyzed.
final class TextThroughputBenchmark: XCTestCase {
    func testThroughput() throws {
        guard ProcessInfo.processInfo.environment["WENSHU_BENCHMARK"] == "1" else {
            throw XCTSkip("set WENSHU_BENCHMARK=1 to run the text throughput benchmark")
        }
        let url = try TestPaths.sharedData("judgments-fulltext/judgments.jsonl")
        let texts = try TestPaths.jsonLines(url).compactMap { $0["text"] as? String }
        let bytes = texts.reduce(0) { $0 + $1.utf8.count }
        let rounds = Int(ProcessInfo.processInfo.environment["WENSHU_BENCHMARK_ROUNDS"] ?? "3") ?? 3
        let chain = try NormalizerChain(config: TextConfig())
        let analyzer = try TextAnalyzer()

        func time(_ label: String, _ body: () throws -> Void) rethrows {
            var best = Double.infinity
            for _ in 0..<rounds {
                let t0 = DispatchTime.now().uptimeNanoseconds
                try body()
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }
            say(String(format: "%-28@ %8.1f ms  %7.2f MB/s  %8.0f docs/s", label as NSString, best * 1000,
                       Double(bytes) / 1e6 / best, Double(texts.count) / best))
        }
        say("judgments-fulltext: \(texts.count) documents, \(bytes) bytes, best of \(rounds)")
        let normalized = try texts.map { try chain.normalize($0) }
        try time("normalize (default chain)") { for t in texts { _ = try chain.normalize(t) } }
        let t2s = try NormalizerChain(config: TextConfig(normalization: [.traditionalToSimplified]))
        try time("traditional_to_simplified") { for t in texts { _ = try t2s.normalize(t) } }
        time("sentences") { for n in normalized { _ = SentenceSegmenter().sentences(n.text) } }
        try time("words (ICU)") { for n in normalized.prefix(texts.count) { _ = try WordSegmenter().words(n.text) } }
        time("structure") { for n in normalized { _ = JudgmentStructurer().structure(n) } }
        let rule = normalized.map { RuleText($0.text) }
        time("  RuleText") { for n in normalized { _ = RuleText(n.text) } }
        time("  header") { for r in rule { _ = HeaderParser().parse(r) } }
        time("  sections") { for r in rule { _ = SectionParser().parse(r, headerEnd: 10, partiesFound: true) } }
        time("  dates") { for r in rule { _ = DateParser().parseAll(r) } }
        time("  money") { for r in rule { _ = MoneyParser().parseAll(r) } }
        var analyzed = 0
        try time("analyze, one thread") { analyzed = 0; for t in texts { _ = try analyzer.analyze(t); analyzed += 1 } }
        XCTAssertEqual(analyzed, texts.count)
        // One long document (all texts joined, four times): the cost should stay linear.
        let long = String(repeating: texts.joined(separator: "\n"), count: 4)
        let longBytes = long.utf8.count
        var best = Double.infinity
        for _ in 0..<rounds {
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = try analyzer.analyze(long)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        say(String(format: "analyze, one %.1f MB document %8.1f ms  %7.2f MB/s", Double(longBytes) / 1e6, best * 1000, Double(longBytes) / 1e6 / best))
        let cores = ProcessInfo.processInfo.activeProcessorCount
        time("normalize, \(cores) threads") {
            DispatchQueue.concurrentPerform(iterations: cores) { w in
                for k in stride(from: w, to: texts.count, by: cores) { _ = try? chain.normalize(texts[k]) }
            }
        }
        time("  money, \(cores) threads") {
            DispatchQueue.concurrentPerform(iterations: cores) { w in
                for k in stride(from: w, to: rule.count, by: cores) { _ = MoneyParser().parseAll(rule[k]) }
            }
        }
        time("  sections, \(cores) threads") {
            DispatchQueue.concurrentPerform(iterations: cores) { w in
                for k in stride(from: w, to: rule.count, by: cores) { _ = SectionParser().parse(rule[k], headerEnd: 10, partiesFound: true) }
            }
        }
        time("structure, \(cores) threads") {
            DispatchQueue.concurrentPerform(iterations: cores) { w in
                for k in stride(from: w, to: texts.count, by: cores) { _ = JudgmentStructurer().structure(normalized[k]) }
            }
        }
        time("analyze, \(cores) threads") {
            let failures = ManagedAtomicCounter()
            DispatchQueue.concurrentPerform(iterations: texts.count) { k in
                if (try? analyzer.analyze(texts[k])) == nil { failures.increment() }
            }
            XCTAssertEqual(failures.value, 0)
        }
    }
}

/// A counter shared by worker threads.
final class ManagedAtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
