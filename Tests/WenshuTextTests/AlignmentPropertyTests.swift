import Foundation
import WenshuCore
import XCTest
@testable import WenshuText

/// Alignment properties over real documents: for random normalized ranges the source range
/// is within bounds and monotone, unchanged characters map to the identical characters, and
/// composing steps keeps all of it. The documents are the fixtures, each also "dirtied" the
/// way real files come (full-width digits and letters, CRLF, U+3000 and NBSP, zero-width and
/// control characters, spaced titles, traditional characters, circled numbers).
final class AlignmentPropertyTests: XCTestCase {
    /// A deterministic generator, so a failure can be replayed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let fixtures = ["judgment-first-instance.txt", "judgment-second-instance.txt", "judgment-title-first.txt",
                           "web-civil-judgment.txt", "web-civil-judgment-2.txt"]

    /// Inserts the kinds of noise real files carry at random places.
    func dirty(_ text: String, _ rng: inout SplitMix) -> String {
        let noise: [String] = ["\u{3000}", "\u{A0}", "\u{200B}", "\u{FEFF}", "\r\n", "\u{7}", " ", "１２", "ＡＢ", "（", "）", "，",
                               "㈠", "①", "國", "華", "條", "e\u{301}", "𠀀", "\t", "\u{3000}\u{3000}"]
        var scalars = Array(text.unicodeScalars)
        for _ in 0..<(scalars.count / 25) {
            let at = Int.random(in: 0...scalars.count, using: &rng)
            scalars.insert(contentsOf: noise.randomElement(using: &rng)!.unicodeScalars, at: at)
        }
        var v = String.UnicodeScalarView(); v.append(contentsOf: scalars)
        return String(v)
    }

    func checkProperties(_ n: NormalizedText, _ label: String, _ rng: inout SplitMix) {
        let a = n.alignment
        XCTAssertEqual(a.count, n.text.count, label)
        XCTAssertEqual(a.sourceLength, n.source.count, label)
        // Per scalar: in bounds, non-empty, monotone.
        var lastStart = 0, lastEnd = 0
        for i in 0..<a.count {
            let s = a.sourceStart[i], e = a.sourceEnd[i]
            XCTAssert(0 <= s && s < e && e <= n.source.count, "\(label): scalar \(i) maps to \(s)..<\(e)")
            XCTAssert(s >= lastStart && e >= lastEnd, "\(label): not monotone at \(i)")
            lastStart = s; lastEnd = e
        }
        // Random ranges: bounds, monotone in both ends, containment kept.
        for _ in 0..<300 {
            guard n.text.count > 1 else { break }
            let lo = Int.random(in: 0..<n.text.count, using: &rng)
            let hi = Int.random(in: lo...n.text.count, using: &rng)
            let r = a.sourceRange(lo..<hi)
            XCTAssert(r.lowerBound >= 0 && r.upperBound <= n.source.count, label)
            let inner = a.sourceRange(min(lo + 1, hi)..<hi)
            XCTAssert(inner.isEmpty || (inner.lowerBound >= r.lowerBound && inner.upperBound <= r.upperBound), "\(label): containment")
            let later = a.sourceRange(hi..<n.text.count)
            XCTAssert(later.lowerBound >= r.lowerBound, "\(label): order")
        }
        // A normalized scalar whose source is one scalar and equal to it maps to the identical character.
        for i in 0..<a.count where a.sourceEnd[i] - a.sourceStart[i] == 1 && n.source.scalars[a.sourceStart[i]] == n.text.scalars[i] {
            XCTAssertEqual(n.sourceSpan(i..<(i + 1)).text, String(n.text.scalars[i]))
        }
        // Unchanged runs: every maximal run of normalized ASCII/CJK text copied as is maps to the same text.
        let words = n.string.split(whereSeparator: { !$0.unicodeScalars.allSatisfy { (0x4E00...0x9FFF).contains($0.value) } })
        for w in words.prefix(50) where w.count >= 4 {
            // Find the run's offset in the normalized text and check the mapped source text contains it.
            let ws = Array(w.unicodeScalars)
            guard let k = RuleText(n.text).find(String(w)) else { continue }
            let span = n.sourceSpan(k..<(k + ws.count))
            let kept = span.text.unicodeScalars.filter { (0x4E00...0x9FFF).contains($0.value) }
            XCTAssertEqual(kept.count, ws.count, "\(label): \(w) -> \(span.text)")
        }
    }

    func testEveryStepAndTheChainKeepAlignmentProperties() throws {
        var rng = SplitMix(state: 20260529)
        let steps: [NormalizationStep] = [.nfc, .nfkc, .fullwidthToHalfwidth, .traditionalToSimplified, .whitespace,
                                          .controlCharacters, .spacedTitle, .chinesePunctuationToASCII]
        for name in Self.fixtures {
            let clean = try TestPaths.fixture(name)
            for (variant, text) in [("clean", clean), ("dirty", dirty(clean, &rng))] {
                for step in steps {
                    let chain = try NormalizerChain(config: TextConfig(normalization: [step]))
                    checkProperties(try chain.normalize(text), "\(name) \(variant) \(step.rawValue)", &rng)
                }
                var all = TextConfig.defaultNormalization
                all.insert(.traditionalToSimplified, at: 0)
                let chain = try NormalizerChain(config: TextConfig(normalization: all))
                let full = try chain.normalize(text)
                checkProperties(full, "\(name) \(variant) chain", &rng)
                // The chain equals applying the steps one by one and composing by hand.
                var byHand = NormalizedText(unchanged: text)
                for n in chain.normalizers {
                    let next = try n.normalize(NormalizedText(unchanged: byHand.string))
                    byHand = NormalizedText(text: next.text, alignment: byHand.alignment.composed(with: next.alignment), source: byHand.source)
                }
                XCTAssertEqual(byHand.string, full.string)
                XCTAssertEqual(byHand.alignment, full.alignment)
            }
        }
    }

    func testDirtyTextNormalizesToTheCleanText() throws {
        // Noise that the default chain removes entirely: the result equals the clean text's.
        var rng = SplitMix(state: 7)
        let chain = try NormalizerChain(config: TextConfig())
        for name in Self.fixtures {
            let clean = try TestPaths.fixture(name)
            var scalars = Array(clean.unicodeScalars)
            for _ in 0..<40 {
                let at = Int.random(in: 0...scalars.count, using: &rng)
                scalars.insert(["\u{200B}", "\u{7}", "\u{FEFF}"].randomElement(using: &rng)!, at: at)
            }
            var v = String.UnicodeScalarView(); v.append(contentsOf: scalars)
            XCTAssertEqual(try chain.normalize(String(v)).string, try chain.normalize(clean).string, name)
        }
    }
}
