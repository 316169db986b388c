import Foundation
import WenshuCore
import XCTest
@testable import WenshuText

/// ICU against OpenCC on real sentences, as issue 2 asks: 300 sentences of
/// judgments-fulltext are converted to traditional with OpenCC (s2t), then back with ICU's
/// Traditional-Simplified and with OpenCC's t2s; both are compared with the original.
/// Needs the `opencc` command (Debian package opencc) and the shared data; skipped otherwise.
final class TraditionalSimplifiedComparisonTests: XCTestCase {
    func opencc(_ config: String, _ input: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["opencc", "-c", config]
        let inPipe = Pipe(), outPipe = Pipe()
        p.standardInput = inPipe; p.standardOutput = outPipe; p.standardError = FileHandle.nullDevice
        try p.run()
        // Write from another thread so a large output cannot block the child.
        let data = Data(input.utf8)
        DispatchQueue.global().async { inPipe.fileHandleForWriting.write(data); try? inPipe.fileHandleForWriting.close() }
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw XCTSkip("opencc exited with \(p.terminationStatus)") }
        return String(decoding: out, as: UTF8.self)
    }

    func testKeepsSimplifiedCharactersICUWouldRewrite() throws {
        let t2s = try TraditionalToSimplifiedNormalizer()
        XCTAssertEqual(try t2s.convert("俱乐部显著狼藉摔跤瞭望嶽峯國"), "俱乐部显著狼藉摔跤瞭望岳峰国")
    }

    func testICUAgainstOpenCC() throws {
        let url = try TestPaths.sharedData("judgments-fulltext/judgments.jsonl")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/opencc") else {
            throw XCTSkip("opencc not installed (apt-get install opencc): skipping the comparison")
        }
        // 300 sentences of 10-80 characters, taken in order from the documents' facts.
        var sentences: [String] = []
        for r in try TestPaths.jsonLines(url) {
            for s in (r["text"] as? String ?? "").split(separator: "。") where (10...80).contains(s.count) && !s.contains("\n") {
                sentences.append(String(s) + "。")
                if sentences.count % 3 == 0 { break }
            }
            if sentences.count >= 300 { break }
        }
        sentences = Array(sentences.prefix(300))
        let traditional = try opencc("s2t.json", sentences.joined(separator: "\n")).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertGreaterThanOrEqual(traditional.count, sentences.count)
        let viaOpenCC = try opencc("t2s.json", traditional.joined(separator: "\n")).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let t2s = try TraditionalToSimplifiedNormalizer()

        var icuExact = 0, occExact = 0, icuSame = 0, occSame = 0, total = 0, changed = 0
        var icuErrors: [String: Int] = [:], occErrors: [String: Int] = [:]
        for (k, original) in sentences.enumerated() {
            let trad = traditional[k]
            let icu = try t2s.convert(trad)
            let occ = viaOpenCC[k]
            if trad != original { changed += 1 }
            if icu == original { icuExact += 1 }
            if occ == original { occExact += 1 }
            let o = Array(original.unicodeScalars), i = Array(icu.unicodeScalars), c = Array(occ.unicodeScalars)
            XCTAssertEqual(i.count, o.count, "ICU keeps the length")
            for j in 0..<o.count {
                total += 1
                if j < i.count { if i[j] == o[j] { icuSame += 1 } else { icuErrors["\(Character(o[j]))→\(Character(i[j]))", default: 0] += 1 } }
                if j < c.count { if c[j] == o[j] { occSame += 1 } else { occErrors["\(Character(o[j]))→\(Character(c[j]))", default: 0] += 1 } }
            }
        }
        let n = Double(sentences.count), t = Double(total)
        print(String(format: "T2S on %d sentences (%d characters, %d sentences changed by s2t):", sentences.count, total, changed))
        print(String(format: "  ICU Traditional-Simplified: sentences exact %.1f%%, characters %.3f%%", Double(icuExact) / n * 100, Double(icuSame) / t * 100))
        print(String(format: "  OpenCC t2s:                 sentences exact %.1f%%, characters %.3f%%", Double(occExact) / n * 100, Double(occSame) / t * 100))
        print("  ICU errors (original→ICU): " + icuErrors.sorted { $0.value > $1.value }.prefix(15).map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        print("  OpenCC errors (original→OpenCC): " + occErrors.sorted { $0.value > $1.value }.prefix(15).map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        // Already simplified text must come through unchanged.
        var untouched = 0
        for original in sentences where try t2s.convert(original) == original { untouched += 1 }
        print(String(format: "  ICU on the simplified originals: %d of %d sentences unchanged", untouched, sentences.count))
        XCTAssertGreaterThanOrEqual(Double(icuSame) / t, 0.995)
        XCTAssertEqual(untouched, sentences.count)
    }
}
