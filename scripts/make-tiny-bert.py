#!/usr/bin/env python3
"""Makes tiny random BERT checkpoints (Hugging Face folders: config.json, vocab.txt,
tokenizer_config.json, model.safetensors) and reference outputs from an independent numpy
implementation that follows Hugging Face's modeling_bert (BertModel in eval mode), computed
in float64. Needs only numpy.

    python3 scripts/make-tiny-bert.py OUT_DIR [--hidden 64 --layers 2 --heads 4 --intermediate 128]
    python3 scripts/make-tiny-bert.py OUT_DIR --variants base --hidden 768 --layers 12 --heads 12 \
        --intermediate 3072 --vocab-size 21128 --no-reference     # a bert-base-sized random model

Variants (one folder each):
  tiny        float32, plain BertModel names, weights ~ N(0, 0.02), with pooler
  tiny-large  weights ~ N(0, 0.25): the GELU form, attention scale and mask change the outputs; no pooler
  tiny-f16    float16 storage (the reference uses the float16 values)
  tiny-tokcls `bert.`-prefixed names plus a token-classification head (classifier.*), with pooler
  base        (only with --variants) a bigger random model for benchmarks
Each folder gets reference.safetensors: for case k, `k.ids`, `k.types` [L] (as F32),
`k.hidden` [L, H], `k.pooled` [H]; and a padded batch `batch.ids`, `batch.mask` [B, Lmax],
`batch.hidden` [B, Lmax, H].
"""
import argparse, json, math, os, struct
import numpy as np

CHARS = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你"
         "被告人某年月日元盗窃公司法院刑事判决书经审理查明现金手机价值万罪犯处有期徒刑")

def vocab():
    v = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [chr(i) for i in range(33, 127)]
    v += ["##" + c for c in "abcdefghijklmnopqrstuvwxyz0123456789"]
    for c in CHARS:
        if c not in v: v.append(c)
    return v

def _convert_hf():
    """scripts/convert-hf.py as a module (its hyphenated name cannot be imported directly)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("convert_hf", os.path.join(os.path.dirname(os.path.abspath(__file__)), "convert-hf.py"))
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    return mod

def write_safetensors(path, tensors, dtype="F32"):
    """The safetensors writer of convert-hf.py (one writer for both scripts)."""
    _convert_hf().write_safetensors(path, tensors, dtype)

def make_weights(rng, cfg, scale, pooler):
    H, I, V = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    n = lambda *s: (rng.standard_normal(s) * scale).astype(np.float32)
    w = {"embeddings.word_embeddings.weight": n(V, H),
         "embeddings.position_embeddings.weight": n(cfg["max_position_embeddings"], H),
         "embeddings.token_type_embeddings.weight": n(cfg["type_vocab_size"], H),
         "embeddings.LayerNorm.weight": (1 + n(H)).astype(np.float32), "embeddings.LayerNorm.bias": n(H)}
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        for m in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"]:
            w[p + m + ".weight"] = n(H, H); w[p + m + ".bias"] = n(H)
        w[p + "intermediate.dense.weight"] = n(I, H); w[p + "intermediate.dense.bias"] = n(I)
        w[p + "output.dense.weight"] = n(H, I); w[p + "output.dense.bias"] = n(H)
        for m in ["attention.output.LayerNorm", "output.LayerNorm"]:
            w[p + m + ".weight"] = (1 + n(H)).astype(np.float32); w[p + m + ".bias"] = n(H)
    if pooler:
        w["pooler.dense.weight"] = n(H, H); w["pooler.dense.bias"] = n(H)
    return w

# ---- numpy reference: Hugging Face modeling_bert, eval mode, float64 ----
_erf = np.vectorize(math.erf)

def layer_norm(x, g, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b

def reference(w, cfg, ids, types, mask):
    """ids, types, mask: [B, L] int arrays. Returns hidden [B, L, H], pooled [B, H] or None."""
    W = {k: v.astype(np.float64) for k, v in w.items()}
    H, nh = cfg["hidden_size"], cfg["num_attention_heads"]
    d = H // nh
    eps = cfg["layer_norm_eps"]
    B, L = ids.shape
    pos = np.arange(L)[None, :].repeat(B, 0)
    x = W["embeddings.word_embeddings.weight"][ids] + W["embeddings.position_embeddings.weight"][pos] \
        + W["embeddings.token_type_embeddings.weight"][types]
    x = layer_norm(x, W["embeddings.LayerNorm.weight"], W["embeddings.LayerNorm.bias"], eps)
    ext = (1.0 - mask[:, None, None, :].astype(np.float64)) * np.finfo(np.float32).min
    lin = lambda t, p: t @ W[p + ".weight"].T + W[p + ".bias"]
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        split = lambda t: t.reshape(B, L, nh, d).transpose(0, 2, 1, 3)
        q, k, v = (split(lin(x, p + "attention.self." + m)) for m in ["query", "key", "value"])
        s = q @ k.transpose(0, 1, 3, 2) / math.sqrt(d) + ext
        s = np.exp(s - s.max(-1, keepdims=True)); s /= s.sum(-1, keepdims=True)
        ctx = (s @ v).transpose(0, 2, 1, 3).reshape(B, L, H)
        a = layer_norm(lin(ctx, p + "attention.output.dense") + x,
                       W[p + "attention.output.LayerNorm.weight"], W[p + "attention.output.LayerNorm.bias"], eps)
        h = lin(a, p + "intermediate.dense")
        h = 0.5 * h * (1.0 + _erf(h / math.sqrt(2.0)))
        x = layer_norm(lin(h, p + "output.dense") + a, W[p + "output.LayerNorm.weight"], W[p + "output.LayerNorm.bias"], eps)
    pooled = np.tanh(lin(x[:, 0], "pooler.dense")) if "pooler.dense.weight" in W else None
    return x, pooled

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--variants", default="tiny,tiny-large,tiny-f16,tiny-tokcls")
    ap.add_argument("--hidden", type=int, default=64); ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--heads", type=int, default=4); ap.add_argument("--intermediate", type=int, default=128)
    ap.add_argument("--max-positions", type=int, default=64); ap.add_argument("--vocab-size", type=int, default=0)
    ap.add_argument("--seed", type=int, default=7); ap.add_argument("--no-reference", action="store_true")
    a = ap.parse_args()
    voc = vocab()
    if a.vocab_size > len(voc): voc += [f"[unused{i}]" for i in range(a.vocab_size - len(voc))]
    for vi, name in enumerate(a.variants.split(",")):
        rng = np.random.default_rng(a.seed + vi)
        cfg = {"architectures": ["BertForTokenClassification" if name == "tiny-tokcls" else "BertModel"],
               "model_type": "bert", "vocab_size": len(voc), "hidden_size": a.hidden, "num_hidden_layers": a.layers,
               "num_attention_heads": a.heads, "intermediate_size": a.intermediate, "hidden_act": "gelu",
               "max_position_embeddings": a.max_positions, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
               "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "pad_token_id": 0,
               "position_embedding_type": "absolute"}
        scale = 0.25 if name == "tiny-large" else 0.02
        w = make_weights(rng, cfg, scale, pooler=name != "tiny-large")
        dtype = "F16" if name == "tiny-f16" else "F32"
        if dtype == "F16": w = {k: v.astype(np.float16).astype(np.float32) for k, v in w.items()}
        d = os.path.join(a.out, name); os.makedirs(d, exist_ok=True)
        stored = dict(w)
        if name == "tiny-tokcls":
            stored = {"bert." + k: v for k, v in w.items()}
            stored["classifier.weight"] = (rng.standard_normal((5, a.hidden)) * 0.02).astype(np.float32)
            stored["classifier.bias"] = np.zeros(5, np.float32)
        write_safetensors(os.path.join(d, "model.safetensors"), stored, dtype)
        with open(os.path.join(d, "config.json"), "w") as f: json.dump(cfg, f, indent=1)
        with open(os.path.join(d, "vocab.txt"), "w", encoding="utf-8") as f: f.write("\n".join(voc) + "\n")
        with open(os.path.join(d, "tokenizer_config.json"), "w") as f:
            json.dump({"do_lower_case": True, "tokenize_chinese_chars": True, "strip_accents": None}, f)
        if a.no_reference: continue
        ref = {}
        lengths = [1, 2, 7, 19, 40, a.max_positions]
        seqs = []
        for k, L in enumerate(lengths):
            ids = np.concatenate([[2], rng.integers(5, len(voc), max(0, L - 2)), [3]])[:L]
            types = (np.arange(L) >= L // 2).astype(np.int64) if k == 3 else np.zeros(L, np.int64)
            hid, pooled = reference(w, cfg, ids[None], types[None], np.ones((1, L), np.int64))
            ref[f"{k}.ids"] = ids.astype(np.float32); ref[f"{k}.types"] = types.astype(np.float32)
            ref[f"{k}.hidden"] = hid[0]
            if pooled is not None: ref[f"{k}.pooled"] = pooled[0]
            seqs.append(ids)
        # A padded batch (HF layout): ids padded with 0, mask 0 on the padding.
        batch = [seqs[2], seqs[3], seqs[4]]
        Lm = max(len(s) for s in batch)
        bids = np.zeros((len(batch), Lm), np.int64); bmask = np.zeros_like(bids)
        for i, s in enumerate(batch): bids[i, :len(s)] = s; bmask[i, :len(s)] = 1
        hid, _ = reference(w, cfg, bids, np.zeros_like(bids), bmask)
        ref["batch.ids"] = bids.astype(np.float32); ref["batch.mask"] = bmask.astype(np.float32); ref["batch.hidden"] = hid
        write_safetensors(os.path.join(d, "reference.safetensors"), ref)
    print("wrote", a.out)

if __name__ == "__main__":
    main()
