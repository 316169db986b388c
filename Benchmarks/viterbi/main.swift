// Decode time per 1,000 characters of LinearChainCRF.viterbi (vectorised, over the tag
// structure) against viterbiReference (the scalar loop over predecessor lists it replaced),
// for 11, 21 and 159 BIO tags (5, 10 and 79 labels; LEVEN's head has 159) and 41 BIOES tags.
// Built by bench.sh from the library's own source files; checks that both give the same paths.
import Foundation

struct RNG { var s: UInt64
    mutating func next() -> Float { s = s &* 6364136223846793005 &+ 1442695040888963407; return Float(s >> 40) / Float(1 << 24) * 4 - 2 } }

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

let sentence = 60
print("tags  scheme  characters  before ms/1k chars  after ms/1k chars  speed-up")
for (scheme, labels) in [(TagScheme.bio, 5), (.bio, 10), (.bio, 79), (.bioes, 10)] {
    let crf = LinearChainCRF(scheme: scheme, labels: labels)
    let K = crf.K
    var rng = RNG(s: UInt64(K))
    let chars = K > 100 ? 60_000 : 300_000
    let n = chars / sentence
    let tr = (0..<(K * K)).map { _ in rng.next() }
    let st = (0..<K).map { _ in rng.next() }, en = (0..<K).map { _ in rng.next() }
    let ems = (0..<n).map { _ in (0..<(sentence * K)).map { _ in rng.next() } }
    var times: [Double] = []
    var paths: [[[Int]]] = []
    for fast in [false, true] {
        var best = Double.infinity
        var out: [[Int]] = []
        for _ in 0..<3 {
            out = []
            let t0 = now()
            for e in ems {
                out.append(fast ? crf.viterbi(emissions: e, transitions: tr, start: st, end: en, length: sentence)
                                : crf.viterbiReference(emissions: e, transitions: tr, start: st, end: en, length: sentence))
            }
            best = min(best, now() - t0)
        }
        times.append(best / Double(n * sentence) * 1000 * 1000)
        paths.append(out)
    }
    guard paths[0] == paths[1] else { print("MISMATCH: the two decoders disagree for \(K) tags"); exit(1) }
    print(String(format: "%4d  %-6@  %10d  %18.4f  %17.4f  %7.1fx", K, scheme.rawValue, n * sentence, times[0], times[1], times[0] / times[1]))
}
