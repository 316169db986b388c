// libFuzzer entry point for the text layer (built by scripts/fuzz/run.sh text, not by SwiftPM or CI).
// The input, read as UTF-8 with repair, is analyzed with words on; every offset must lie inside
// the text and every span's text must equal the slice at its offsets.
import Foundation
import WenshuCore
import WenshuText

let analyzer = try! TextAnalyzer(config: TextConfig(words: true))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let src = Array(text.unicodeScalars)
    func slice(_ s: Int, _ e: Int) -> String {
        var v = String.UnicodeScalarView(); v.append(contentsOf: src[s..<e]); return String(v)
    }
    func check(_ what: String, _ s: Int, _ e: Int, _ t: String?) {
        guard 0 <= s, s <= e, e <= src.count else { fatalError("\(what) \(s)..<\(e) outside \(src.count)") }
        if let t, t != slice(s, e) { fatalError("\(what) text \(t.debugDescription) != \(slice(s, e).debugDescription)") }
    }
    let a: TextAnalysis
    do { a = try analyzer.analyze(text) } catch {
        guard let w = error as? WenshuError, !w.code.isEmpty, !w.message.isEmpty else { fatalError("bad error \(error)") }
        return 0
    }
    let m = a.normalized.text.count
    let al = a.normalized.alignment
    if al.count != m || al.sourceLength != src.count { fatalError("alignment size") }
    for i in 0..<m where !(0 <= al.sourceStart[i] && al.sourceStart[i] <= al.sourceEnd[i] && al.sourceEnd[i] <= src.count) {
        fatalError("alignment of \(i)")
    }
    for (k, r) in a.sentences.enumerated() {
        if r.lowerBound < 0 || r.upperBound > m { fatalError("sentence \(r) outside \(m)") }
        let sp = a.sourceSpan(ofSentence: k)
        check("sentence", sp.start, sp.end, sp.text)
    }
    for w in a.words where w.range.lowerBound < 0 || w.range.upperBound > m { fatalError("word \(w.range)") }
    let st = a.structure
    if let c = st.caseNumber { check("case number", c.start, c.end, c.text) }
    for p in st.parties { check("party", p.start, p.end, p.name) }
    for s in st.sections { check("section", s.start, s.end, nil) }
    for x in st.money { check("money", x.start, x.end, x.text) }
    return 0
}
