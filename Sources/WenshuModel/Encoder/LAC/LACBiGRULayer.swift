import Foundation
import WenshuTensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One bidirectional GRU layer of LAC, computed as the ONNX `GRU` operator defines it with
/// `linear_before_reset = 1` and the default activations (sigmoid, tanh), gates in ONNX order
/// z (update), r (reset), h (candidate), initial state zero, no sequence lengths:
///
///     z = σ(Wz x + Wbz + Rz h' + Rbz)
///     r = σ(Wr x + Wbr + Rr h' + Rbr)
///     n = tanh(Wh x + Wbh + r ⊙ (Rh h' + Rbh))
///     h = (1 - z) ⊙ n + z ⊙ h'
///
/// Direction 0 reads the sentence forwards, direction 1 backwards; the output row of a
/// character is forward || backward (the export's Transpose(0, 2, 1, 3) + Reshape(0, 0, -1)).
///
/// A batch of sentences runs together: the input projections of every character of every
/// sentence and both directions are one `sgemm` ([tokens x input] x [input x 768]); each time
/// step multiplies the states of the sentences still running by R, one `sgemm` per direction.
public struct LACBiGRULayer: Sendable {
    /// Hidden size per direction.
    public static let hidden = 128
    /// Gate rows per direction (z, r, h).
    public static let gates = 3 * hidden

    /// Input width (128 for the first layer, 256 for the second).
    public let inputSize: Int
    /// ONNX `W` of both directions, `[2 * 384, inputSize]` row-major.
    public let w: [Float]
    /// ONNX `R` of both directions, `[2 * 384, 128]`.
    public let r: [Float]
    /// The input biases `Wb` of both directions, `[2 * 384]`.
    public let inputBias: [Float]
    /// The recurrent biases `Rb` of both directions, `[2 * 384]`.
    public let recurrentBias: [Float]

    /// A layer from ONNX `W` [2, 384, input], `R` [2, 384, 128] and `B` [2, 768] (`Wb` then `Rb` per direction).
    public init(inputSize: Int, w: [Float], r: [Float], b: [Float]) {
        let g = Self.gates
        self.inputSize = inputSize
        self.w = w
        self.r = r
        self.inputBias = Array(b[0..<g]) + Array(b[(2 * g)..<(3 * g)])
        self.recurrentBias = Array(b[g..<(2 * g)]) + Array(b[(3 * g)..<(4 * g)])
    }

    /// Runs the layer over a batch.
    /// - Parameters:
    ///   - input: `[tokens, inputSize]`; sentence `s` holds rows `offsets[s] ..< offsets[s] + lengths[s]`.
    ///   - lengths: sentence lengths, non-increasing (so the running sentences are always a prefix).
    ///   - output: `[tokens, 256]`, written in full.
    ///   - scratch: work buffers, grown as needed.
    ///   - reference: use `stepReference` (C library expf/tanhf) instead of the vectorised `step`.
    func run(input: UnsafePointer<Float>, lengths: [Int], offsets: [Int], output: UnsafeMutablePointer<Float>,
             scratch: inout LACScratch, reference: Bool = false) {
        let tokens = (offsets.last ?? 0) + (lengths.last ?? 0)
        let batch = lengths.count
        guard tokens > 0 else { return }
        let h = Self.hidden, g = Self.gates
        scratch.reserve(tokens: tokens, batch: batch)
        let proj = scratch.projections.baseAddress!
        // All input projections of the batch, both directions: [tokens, 768] = input x W^T + Wb.
        w.withUnsafeBufferPointer { pw in
            matmul(input, pw.baseAddress!, proj, m: tokens, n: 2 * g, k: inputSize, transB: true)
        }
        inputBias.withUnsafeBufferPointer { addRowVector(proj, $0.baseAddress!, rows: tokens, cols: 2 * g) }

        let state = scratch.state.baseAddress!, gh = scratch.recurrent.baseAddress!
        let maxLength = lengths.first ?? 0
        r.withUnsafeBufferPointer { pr in
            recurrentBias.withUnsafeBufferPointer { prb in
                for d in 0..<2 {
                    let hd = state + d * batch * h
                    hd.update(repeating: 0, count: batch * h)
                    let rd = pr.baseAddress! + d * g * h
                    let rbd = prb.baseAddress! + d * g
                    var active = batch
                    for t in 0..<maxLength {
                        while active > 0 && lengths[active - 1] <= t { active -= 1 }
                        // Recurrent products of the running sentences: [active, 384] = H x R^T.
                        if t == 0 {
                            gh.update(repeating: 0, count: active * g)
                        } else {
                            matmul(hd, rd, gh, m: active, n: g, k: h, transB: true)
                        }
                        for s in 0..<active {
                            let pos = d == 0 ? t : lengths[s] - 1 - t
                            let row = offsets[s] + pos
                            if reference {
                                Self.stepReference(x: proj + row * 2 * g + d * g, hh: gh + s * g, rb: rbd,
                                                   state: hd + s * h, out: output + row * 2 * h + d * h)
                            } else {
                                Self.step(x: proj + row * 2 * g + d * g, hh: gh + s * g, rb: rbd,
                                          state: hd + s * h, out: output + row * 2 * h + d * h)
                            }
                        }
                    }
                }
            }
        }
    }

    /// One GRU cell update for one sentence: `x` = Wx + Wb (384), `hh` = R h' (384, without Rb),
    /// `state` = h' in, h out (128); h is also written to `out`. Eight lanes at a time.
    @inline(__always)
    static func step(x: UnsafePointer<Float>, hh: UnsafePointer<Float>, rb: UnsafePointer<Float>,
                     state: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
        typealias V = LACActivations.V
        let h = hidden
        func load(_ p: UnsafePointer<Float>, _ i: Int) -> V {
            UnsafeRawPointer(p + i).loadUnaligned(as: V.self)
        }
        for j in stride(from: 0, to: h, by: 8) {
            let zIn: V = load(x, j) + load(hh, j) + load(rb, j)
            let rIn: V = load(x, h + j) + load(hh, h + j) + load(rb, h + j)
            let z = LACActivations.sigmoid(zIn)
            let r = LACActivations.sigmoid(rIn)
            let recurrent: V = load(hh, 2 * h + j) + load(rb, 2 * h + j)
            let n = LACActivations.tanh(load(x, 2 * h + j) + r * recurrent)
            let previous = load(UnsafePointer(state), j)
            let v: V = (1 - z) * n + z * previous
            UnsafeMutableRawPointer(state + j).storeBytes(of: v, as: V.self)
            UnsafeMutableRawPointer(out + j).storeBytes(of: v, as: V.self)
        }
    }

    /// The same cell update one unit at a time with the C library's `expf` and `tanhf`
    /// (the reference the tests hold `step` to).
    static func stepReference(x: UnsafePointer<Float>, hh: UnsafePointer<Float>, rb: UnsafePointer<Float>,
                              state: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
        let h = hidden
        for j in 0..<h {
            let z = 1 / (1 + expf(-(x[j] + hh[j] + rb[j])))
            let r = 1 / (1 + expf(-(x[h + j] + hh[h + j] + rb[h + j])))
            let n = tanhf(x[2 * h + j] + r * (hh[2 * h + j] + rb[2 * h + j]))
            let v = (1 - z) * n + z * state[j]
            state[j] = v
            out[j] = v
        }
    }
}

/// Work buffers of one worker running LAC batches; reused from batch to batch.
struct LACScratch {
    /// Input projections, `[tokens, 768]`.
    var projections = UnsafeMutableBufferPointer<Float>.allocate(capacity: 1)
    /// States of both directions, `[2, batch, 128]`.
    var state = UnsafeMutableBufferPointer<Float>.allocate(capacity: 1)
    /// Recurrent products, `[batch, 384]`.
    var recurrent = UnsafeMutableBufferPointer<Float>.allocate(capacity: 1)

    /// Grows the buffers to hold `tokens` characters in `batch` sentences.
    mutating func reserve(tokens: Int, batch: Int) {
        Self.grow(&projections, tokens * 2 * LACBiGRULayer.gates)
        Self.grow(&state, 2 * batch * LACBiGRULayer.hidden)
        Self.grow(&recurrent, batch * LACBiGRULayer.gates)
    }

    private static func grow(_ b: inout UnsafeMutableBufferPointer<Float>, _ n: Int) {
        if b.count < n { b.deallocate(); b = .allocate(capacity: n) }
    }

    /// Frees the buffers.
    func release() { projections.deallocate(); state.deallocate(); recurrent.deallocate() }
}
