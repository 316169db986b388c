import Foundation
import WenshuCore

/// The tensors of a BERT-compatible checkpoint, checked by name and shape against its
/// configuration and laid out for the forward pass (the query, key and value projections of
/// each layer fused into one [3H x H] matrix). Names are Hugging Face's, with or without the
/// prefix the `BertFor*` classes add (`bert.`), or `roberta.`-style prefixes where the
/// layout is the same; other tensors (task heads such as `classifier.*`, `cls.*`) are ignored.
/// Old checkpoints' `LayerNorm.gamma` / `LayerNorm.beta` are read as `weight` / `bias`.
public struct BertWeights: Sendable {
    /// One encoder layer.
    public struct Layer: Sendable {
        /// Fused query, key and value weights [3H x H] (PyTorch's [out x in]) and bias [3H].
        public var qkvWeight: [Float], qkvBias: [Float]
        /// Attention output projection [H x H], bias [H].
        public var attnOutWeight: [Float], attnOutBias: [Float]
        /// LayerNorm after attention.
        public var attnNormWeight: [Float], attnNormBias: [Float]
        /// Feed-forward in [I x H], bias [I].
        public var interWeight: [Float], interBias: [Float]
        /// Feed-forward out [H x I], bias [H].
        public var outWeight: [Float], outBias: [Float]
        /// LayerNorm after the feed-forward layer.
        public var outNormWeight: [Float], outNormBias: [Float]
    }

    /// Word, position and token-type embeddings, row-major.
    public var wordEmbeddings: [Float], positionEmbeddings: [Float], tokenTypeEmbeddings: [Float]
    /// Embedding LayerNorm.
    public var embNormWeight: [Float], embNormBias: [Float]
    /// Layers in order.
    public var layers: [Layer]
    /// Pooler dense layer [H x H] and bias, when the checkpoint has one.
    public var poolerWeight: [Float]?, poolerBias: [Float]?
    /// The prefix found on the model's tensor names ("", "bert.", "roberta.", ...).
    public var prefix: String

    /// Prefixes tried, in order, when the plain names are absent.
    static let prefixes = ["", "bert.", "roberta.", "model.", "encoder.", "ernie."]

    /// Checks and arranges `tensors` for `config`; `path` names the file in errors.
    public init(config c: BertConfig, tensors: [String: SafeTensor], path: String) throws {
        let key = "embeddings.word_embeddings.weight"
        guard let p = Self.prefixes.first(where: { tensors[$0 + key] != nil }) else {
            let near = tensors.keys.filter { $0.contains("word_embeddings") }.sorted()
            throw WenshuError(.transformer.missingWeight,
                              "weight '\(key)' (with or without a 'bert.' / 'roberta.' prefix) is missing" +
                              (near.isEmpty ? "" : "; the file has \(near.joined(separator: ", "))"),
                              stage: .model, path: path)
        }
        prefix = p
        func get(_ name: String, _ shape: [Int]) throws -> [Float] {
            var t = tensors[p + name]
            if t == nil, name.hasSuffix("LayerNorm.weight") { t = tensors[p + name.dropLast(6) + "gamma"] }
            if t == nil, name.hasSuffix("LayerNorm.bias") { t = tensors[p + name.dropLast(4) + "beta"] }
            guard let t else {
                throw WenshuError(.transformer.missingWeight, "weight '\(p + name)' is missing (expected shape \(shape))",
                                  stage: .model, path: path)
            }
            guard t.shape == shape else {
                throw WenshuError(.transformer.badWeightShape,
                                  "weight '\(p + name)' has shape \(t.shape) but config.json requires \(shape)", stage: .model, path: path)
            }
            return t.data
        }
        let H = c.hiddenSize, I = c.intermediateSize
        wordEmbeddings = try get("embeddings.word_embeddings.weight", [c.vocabSize, H])
        positionEmbeddings = try get("embeddings.position_embeddings.weight", [c.maxPositionEmbeddings, H])
        tokenTypeEmbeddings = try get("embeddings.token_type_embeddings.weight", [c.typeVocabSize, H])
        embNormWeight = try get("embeddings.LayerNorm.weight", [H])
        embNormBias = try get("embeddings.LayerNorm.bias", [H])
        var ls: [Layer] = []
        for i in 0..<c.numHiddenLayers {
            let l = "encoder.layer.\(i)."
            let qw = try get(l + "attention.self.query.weight", [H, H]), qb = try get(l + "attention.self.query.bias", [H])
            let kw = try get(l + "attention.self.key.weight", [H, H]), kb = try get(l + "attention.self.key.bias", [H])
            let vw = try get(l + "attention.self.value.weight", [H, H]), vb = try get(l + "attention.self.value.bias", [H])
            ls.append(Layer(qkvWeight: qw + kw + vw, qkvBias: qb + kb + vb,
                            attnOutWeight: try get(l + "attention.output.dense.weight", [H, H]),
                            attnOutBias: try get(l + "attention.output.dense.bias", [H]),
                            attnNormWeight: try get(l + "attention.output.LayerNorm.weight", [H]),
                            attnNormBias: try get(l + "attention.output.LayerNorm.bias", [H]),
                            interWeight: try get(l + "intermediate.dense.weight", [I, H]),
                            interBias: try get(l + "intermediate.dense.bias", [I]),
                            outWeight: try get(l + "output.dense.weight", [H, I]), outBias: try get(l + "output.dense.bias", [H]),
                            outNormWeight: try get(l + "output.LayerNorm.weight", [H]),
                            outNormBias: try get(l + "output.LayerNorm.bias", [H])))
        }
        if tensors[p + "encoder.layer.\(c.numHiddenLayers).attention.self.query.weight"] != nil {
            throw WenshuError(.transformer.badConfig,
                              "the weights have more layers than config.json's num_hidden_layers \(c.numHiddenLayers) (found '\(p)encoder.layer.\(c.numHiddenLayers).attention.self.query.weight')",
                              stage: .model, path: path)
        }
        layers = ls
        if tensors[p + "pooler.dense.weight"] != nil || tensors[p + "pooler.dense.bias"] != nil {
            poolerWeight = try get("pooler.dense.weight", [H, H])
            poolerBias = try get("pooler.dense.bias", [H])
        }
    }
}
