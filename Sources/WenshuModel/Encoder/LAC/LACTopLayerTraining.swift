import Foundation
import WenshuTensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the training forward pass of LAC's top GRU layer keeps for one sentence (piece), so
/// that the backward pass can run back through time: the layer's input (the first layer's
/// output, frozen), the gate activations of every step and the outputs. Arrays of the gates
/// are `[2, count, 128]` (direction, position in the sentence, unit).
struct LACTopLayerCache: Sendable {
    /// Characters in the sentence.
    let count: Int
    /// The layer's input, `[count, 256]`.
    var input: [Float]
    /// Update gate z per direction and position.
    var z: [Float]
    /// Reset gate r.
    var r: [Float]
    /// Candidate n = tanh(Wh x + Wbh + r ⊙ (Rh h' + Rbh)).
    var n: [Float]
    /// Rh h' + Rbh (the recurrent part of the candidate before the reset gate).
    var hn: [Float]
    /// The layer's output, `[count, 256]` (forward || backward).
    var output: [Float]
}

/// Forward (keeping the gates) and backward (through time) of one bidirectional GRU layer in
/// the ONNX layout LAC stores: `W` `[2, 384, input]`, `R` `[2, 384, 128]`, `B` `[2, 768]`
/// (`Wb` then `Rb` per direction), gates z, r, h, `linear_before_reset = 1` — the cell
/// `LACBiGRULayer` computes at inference, here with the C library's expf / tanhf
/// (`LACBiGRULayer.stepReference`), one sentence at a time.
enum LACGRUTraining {
    static let hidden = LACBiGRULayer.hidden
    static let gates = LACBiGRULayer.gates

    /// Runs the layer over one sentence, `input` `[count, inputSize]`.
    static func forward(input: [Float], count: Int, inputSize: Int,
                        w: UnsafePointer<Float>, r: UnsafePointer<Float>, b: UnsafePointer<Float>) -> LACTopLayerCache {
        let h = hidden, g = gates
        var c = LACTopLayerCache(count: count, input: input, z: .init(repeating: 0, count: 2 * count * h),
                                 r: .init(repeating: 0, count: 2 * count * h), n: .init(repeating: 0, count: 2 * count * h),
                                 hn: .init(repeating: 0, count: 2 * count * h), output: .init(repeating: 0, count: count * 2 * h))
        guard count > 0 else { return c }
        var xp = [Float](repeating: 0, count: count * g)
        var hp = [Float](repeating: 0, count: g)
        var state = [Float](repeating: 0, count: h)
        for d in 0..<2 {
            let wd = w + d * g * inputSize, rd = r + d * g * h
            let wb = b + d * 2 * g, rb = wb + g
            // Input projections of every position: [count, 384] = X W_d^T (+ Wb below).
            input.withUnsafeBufferPointer { px in
                xp.withUnsafeMutableBufferPointer { pp in
                    matmul(px.baseAddress!, wd, pp.baseAddress!, m: count, n: g, k: inputSize, transB: true)
                }
            }
            for i in state.indices { state[i] = 0 }
            for step in 0..<count {
                let t = d == 0 ? step : count - 1 - step
                // Recurrent products: R_d h' (zero at the first step).
                if step == 0 {
                    for i in hp.indices { hp[i] = 0 }
                } else {
                    state.withUnsafeBufferPointer { ps in
                        hp.withUnsafeMutableBufferPointer { ph in
                            matmul(ps.baseAddress!, rd, ph.baseAddress!, m: 1, n: g, k: h, transB: true)
                        }
                    }
                }
                let base = (d * count + t) * h
                for j in 0..<h {
                    let x = t * g
                    let z = 1 / (1 + expf(-(xp[x + j] + wb[j] + hp[j] + rb[j])))
                    let rr = 1 / (1 + expf(-(xp[x + h + j] + wb[h + j] + hp[h + j] + rb[h + j])))
                    let hn = hp[2 * h + j] + rb[2 * h + j]
                    let n = tanhf(xp[x + 2 * h + j] + wb[2 * h + j] + rr * hn)
                    let v = (1 - z) * n + z * state[j]
                    c.z[base + j] = z; c.r[base + j] = rr; c.n[base + j] = n; c.hn[base + j] = hn
                    state[j] = v
                    c.output[t * 2 * h + d * h + j] = v
                }
            }
        }
        return c
    }

    /// Accumulates dL/dW, dL/dR and dL/dB (ONNX layout, added to `dW`, `dR`, `dB`) given
    /// dL/d(output) `[count, 256]`, back through time in both directions.
    static func backward(_ c: LACTopLayerCache, dOutput: [Float], inputSize: Int, r: UnsafePointer<Float>,
                         dW: UnsafeMutablePointer<Float>, dR: UnsafeMutablePointer<Float>, dB: UnsafeMutablePointer<Float>) {
        let h = hidden, g = gates, T = c.count
        guard T > 0 else { return }
        var dXP = [Float](repeating: 0, count: T * g)     // dL/d(W x + Wb) per position
        var dHP = [Float](repeating: 0, count: T * g)     // dL/d(R h' + Rb) per position
        var prev = [Float](repeating: 0, count: T * h)    // h' per position
        var dNext = [Float](repeating: 0, count: h)       // dL/dh' flowing back from the later step
        var dh = [Float](repeating: 0, count: h)
        for d in 0..<2 {
            let rd = r + d * g * h
            for i in dNext.indices { dNext[i] = 0 }
            for step in stride(from: T - 1, through: 0, by: -1) {
                let t = d == 0 ? step : T - 1 - step
                let tPrev = d == 0 ? t - 1 : t + 1       // the position processed just before
                let base = (d * T + t) * h
                let x = t * g
                for j in 0..<h {
                    let hPrev: Float = step == 0 ? 0 : c.output[tPrev * 2 * h + d * h + j]
                    prev[t * h + j] = hPrev
                    let dhj = dOutput[t * 2 * h + d * h + j] + dNext[j]
                    let z = c.z[base + j], rr = c.r[base + j], n = c.n[base + j], hn = c.hn[base + j]
                    let dz = dhj * (hPrev - n)
                    let dn = dhj * (1 - z)
                    let dan = dn * (1 - n * n)
                    let dar = dan * hn * rr * (1 - rr)
                    let daz = dz * z * (1 - z)
                    dXP[x + j] = daz; dXP[x + h + j] = dar; dXP[x + 2 * h + j] = dan
                    dHP[x + j] = daz; dHP[x + h + j] = dar; dHP[x + 2 * h + j] = dan * rr
                    dh[j] = dhj * z
                }
                // dL/dh' = dh ⊙ z + R_d^T dHP.
                dHP.withUnsafeBufferPointer { pd in
                    dh.withUnsafeMutableBufferPointer { ph in
                        matmul(pd.baseAddress! + x, rd, ph.baseAddress!, m: 1, n: h, k: g, beta: 1)
                    }
                }
                swap(&dNext, &dh)
            }
            // dW_d += dXP^T X, dR_d += dHP^T H', dB_d += column sums.
            dXP.withUnsafeBufferPointer { pd in
                c.input.withUnsafeBufferPointer { px in
                    matmul(pd.baseAddress!, px.baseAddress!, dW + d * g * inputSize, m: g, n: inputSize, k: T, transA: true, beta: 1)
                }
            }
            dHP.withUnsafeBufferPointer { pd in
                prev.withUnsafeBufferPointer { pp in
                    matmul(pd.baseAddress!, pp.baseAddress!, dR + d * g * h, m: g, n: h, k: T, transA: true, beta: 1)
                }
            }
            let wb = dB + d * 2 * g, rb = wb + g
            for t in 0..<T {
                for i in 0..<g { wb[i] += dXP[t * g + i]; rb[i] += dHP[t * g + i] }
            }
        }
    }
}
