import Foundation
import WenshuCore
import WenshuTensor

/// Span tagger: per-character emissions from the encoder vectors and a linear-chain CRF
/// (BIO or BIOES, Viterbi decoding, trained by forward-backward). Entities, triggers,
/// arguments: any labelled spans. With `settings.emissionBuckets` the emissions also get
/// CRFsuite-like hashed character n-gram features (`SparseEmissions`).
public final class SpanTaggerHead: TrainableHead, @unchecked Sendable {
    public var description: HeadDescription
    let core: TaggerCore

    /// Builds the head from its description; `tensors` nil initialises fresh weights.
    public init(description: HeadDescription, inputDim: Int, tensors: [String: SafeTensor]?, path: String, seed: UInt64) throws {
        self.description = description
        core = try TaggerCore(prefix: "", scheme: description.settings.tagScheme ?? .bio, labels: description.labels, groups: description.settings.layers,
                              inputDim: inputDim, emissionBuckets: description.settings.emissionBuckets, tensors: tensors, path: path, seed: seed)
    }

    public var parameters: [Parameter] { core.parameters }

    public func annotate(_ encoded: EncodedText, text: ScalarText, threshold: Double?, into out: inout ModelAnnotations) {
        for s in core.decode(encoded, text: text.scalars) {
            out.entities.append(EntityMention(task: description.name, label: description.labels[s.label],
                                              text: text.slice(s.start..<s.end), start: s.start, end: s.end))
        }
    }

    func target(for example: LabelledExample) -> HeadTarget? {
        let T = example.text.unicodeScalars.count
        return .tags(core.tags(example.spans.map { ($0.label, $0.start, $0.end) }, length: T))
    }

    func lossAndGradients(_ encoded: EncodedText, target: HeadTarget, into g: Gradients) -> (loss: Double, dVectors: [Float]?, dDocument: [Float]?) {
        guard case .tags(let tags) = target, tags.allSatisfy({ $0.count == encoded.length }) else { return (0, nil, nil) }
        let (l, dx) = core.lossAndGradients(encoded, tags: tags, into: g)
        return (l, dx, nil)
    }
}
