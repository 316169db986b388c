#!/usr/bin/env python3
"""Wenshu's BERT encoder against ONNX Runtime on the same weights, in the same run.

    swift build -c release --product wenshu
    python3 Benchmarks/transformer/bench.py [--wenshu .build/release/wenshu] [--quick]

Makes a bert-base-sized random checkpoint with scripts/make-tiny-bert.py (12 layers, hidden
768, 12 heads, FFN 3072, 21,128 tokens, 512 positions) in Benchmarks/transformer/.work/
(git-ignored), exports the same weights to ONNX with the `onnx` package's helper (no torch),
and times, for sequence lengths 128 and 512, batches 1 and 8 and one and two threads:
ONNX Runtime's session.run on the token ids, and `wenshu encode --emit none` on texts that
tokenize to exactly those ids (its own timing of the model, tokenization excluded; load
excluded for both). Prints tokens/s side by side with the ratio, and Wenshu's GEMM GFLOP/s
(`--profile`) against the ~95 GFLOP/s per core of NATIVE.md. Also checks that the two
agree on the hidden states (max |diff|).
"""
import argparse, json, math, os, subprocess, sys, time
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

def load_safetensors(path):
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little"); header = json.loads(f.read(n)); base = 8 + n
        data = f.read()
    out = {}
    for k, v in header.items():
        if k == "__metadata__": continue
        a, b = v["data_offsets"]
        out[k] = np.frombuffer(data[a:b], np.float16 if v["dtype"] == "F16" else np.float32).reshape(v["shape"]).astype(np.float32)
    return out

def export_onnx(ckpt, path):
    import onnx
    from onnx import helper, TensorProto, numpy_helper
    cfg = json.load(open(os.path.join(ckpt, "config.json")))
    w = load_safetensors(os.path.join(ckpt, "model.safetensors"))
    H, nh, L = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_hidden_layers"]
    d = H // nh
    inits, nodes = [], []
    def init(name, arr):
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr, np.float32) if arr.dtype.kind == "f" else arr, name)); return name
    def node(op, ins, out, domain="", **kw):
        nodes.append(helper.make_node(op, ins, [out], domain=domain, **kw)); return out
    init("word", w["embeddings.word_embeddings.weight"]); init("pos", w["embeddings.position_embeddings.weight"])
    init("type0", w["embeddings.token_type_embeddings.weight"][0])
    init("eln_w", w["embeddings.LayerNorm.weight"]); init("eln_b", w["embeddings.LayerNorm.bias"])
    inits.append(numpy_helper.from_array(np.array([0], np.int64), "zero1")); inits.append(numpy_helper.from_array(np.array([1], np.int64), "one1"))
    inits.append(numpy_helper.from_array(np.array([0, 0, nh, d], np.int64), "split_shape"))
    inits.append(numpy_helper.from_array(np.array([0, 0, H], np.int64), "merge_shape"))
    init("scale", np.array(1 / math.sqrt(d), np.float32)); init("half", np.array(0.5, np.float32))
    init("one", np.array(1.0, np.float32)); init("sqrt2", np.array(math.sqrt(2.0), np.float32))
    # Embeddings: word[ids] + pos[:L] + type[0], LayerNorm.
    node("Shape", ["input_ids"], "ids_shape"); node("Gather", ["ids_shape", "one1"], "seq_len", axis=0)
    node("Slice", ["pos", "zero1", "seq_len", "zero1"], "pos_l")
    node("Gather", ["word", "input_ids"], "we"); node("Add", ["we", "pos_l"], "e1"); node("Add", ["e1", "type0"], "e2")
    x = node("LayerNormalization", ["e2", "eln_w", "eln_b"], "x0", axis=-1, epsilon=cfg["layer_norm_eps"])
    for i in range(L):
        p = f"encoder.layer.{i}."
        qkv_w = np.concatenate([w[p + f"attention.self.{m}.weight"] for m in ["query", "key", "value"]], 0).T
        qkv_b = np.concatenate([w[p + f"attention.self.{m}.bias"] for m in ["query", "key", "value"]], 0)
        init(f"l{i}_qkv_w", qkv_w); init(f"l{i}_qkv_b", qkv_b)
        node("MatMul", [x, f"l{i}_qkv_w"], f"l{i}_qkv0"); node("Add", [f"l{i}_qkv0", f"l{i}_qkv_b"], f"l{i}_qkv")
        nodes.append(helper.make_node("Split", [f"l{i}_qkv"], [f"l{i}_q", f"l{i}_k", f"l{i}_v"], axis=-1, num_outputs=3))
        for m, perm in [("q", [0, 2, 1, 3]), ("k", [0, 2, 3, 1]), ("v", [0, 2, 1, 3])]:
            node("Reshape", [f"l{i}_{m}", "split_shape"], f"l{i}_{m}r"); node("Transpose", [f"l{i}_{m}r"], f"l{i}_{m}t", perm=perm)
        node("MatMul", [f"l{i}_qt", f"l{i}_kt"], f"l{i}_s0"); node("Mul", [f"l{i}_s0", "scale"], f"l{i}_s1")
        node("Softmax", [f"l{i}_s1"], f"l{i}_p", axis=-1); node("MatMul", [f"l{i}_p", f"l{i}_vt"], f"l{i}_c0")
        node("Transpose", [f"l{i}_c0"], f"l{i}_c1", perm=[0, 2, 1, 3]); node("Reshape", [f"l{i}_c1", "merge_shape"], f"l{i}_c")
        def dense(src, name, key):
            init(f"l{i}_{name}_w", w[p + key + ".weight"].T); init(f"l{i}_{name}_b", w[p + key + ".bias"])
            node("MatMul", [src, f"l{i}_{name}_w"], f"l{i}_{name}0"); return node("Add", [f"l{i}_{name}0", f"l{i}_{name}_b"], f"l{i}_{name}")
        def ln(src, name, key):
            init(f"l{i}_{name}_g", w[p + key + ".weight"]); init(f"l{i}_{name}_bb", w[p + key + ".bias"])
            return node("LayerNormalization", [src, f"l{i}_{name}_g", f"l{i}_{name}_bb"], f"l{i}_{name}", axis=-1, epsilon=cfg["layer_norm_eps"])
        a0 = dense(f"l{i}_c", "ao", "attention.output.dense"); node("Add", [a0, x], f"l{i}_ar")
        a = ln(f"l{i}_ar", "aln", "attention.output.LayerNorm")
        h = dense(a, "fi", "intermediate.dense")
        # Exact GELU as Hugging Face writes it: x * 0.5 * (1 + erf(x / sqrt 2)); ORT fuses it into one Gelu kernel.
        node("Div", [h, "sqrt2"], f"l{i}_g0"); node("Erf", [f"l{i}_g0"], f"l{i}_g1"); node("Add", [f"l{i}_g1", "one"], f"l{i}_g2")
        node("Mul", [h, f"l{i}_g2"], f"l{i}_g3"); node("Mul", [f"l{i}_g3", "half"], f"l{i}_g")
        o = dense(f"l{i}_g", "fo", "output.dense"); node("Add", [o, a], f"l{i}_or")
        x = ln(f"l{i}_or", "oln", "output.LayerNorm")
    node("Identity", [x], "last_hidden_state")
    g = helper.make_graph(nodes, "bert", [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"])],
                          [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "seq", H])], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 18)]); m.ir_version = 9
    onnx.save_model(m, path, save_as_external_data=True, location=os.path.basename(path) + ".data")

def flops_per_token(cfg, L):
    H, I, n = cfg["hidden_size"], cfg["intermediate_size"], cfg["num_hidden_layers"]
    proj = 2 * (4 * H * H + 2 * H * I)
    attn = 2 * 2 * L * H
    return n * (proj + attn), n * proj

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wenshu", default=os.path.join(ROOT, ".build", "release", "wenshu"))
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    ap.add_argument("--min-seconds", type=float, default=4.0)
    a = ap.parse_args()
    import onnxruntime as ort
    work = os.path.join(HERE, ".work"); os.makedirs(work, exist_ok=True)
    ckpt = os.path.join(work, "base")
    if not os.path.exists(os.path.join(ckpt, "model.safetensors")):
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "make-tiny-bert.py"), work, "--variants", "base",
                        "--hidden", "768", "--layers", "12", "--heads", "12", "--intermediate", "3072", "--vocab-size", "21128",
                        "--max-positions", "512", "--no-reference"], check=True)
    onnx_path = os.path.join(work, "base.onnx")
    if not os.path.exists(onnx_path): export_onnx(ckpt, onnx_path)
    cfg = json.load(open(os.path.join(ckpt, "config.json")))
    vocab = open(os.path.join(ckpt, "vocab.txt"), encoding="utf-8").read().split("\n")
    chars = [t for t in vocab if len(t) == 1 and ord(t) >= 0x4E00]
    cls, sep = vocab.index("[CLS]"), vocab.index("[SEP]")
    rng = np.random.default_rng(1)
    rows = []
    check = None
    for L in [128, 512]:
        for B in [1, 8]:
            for T in [1, 2]:
                reps = max(1, (2 if a.quick else 4) * (8 // B) // (4 if L == 512 else 1))
                texts = ["".join(rng.choice(chars, L - 2)) for _ in range(B)]
                ids = np.array([[cls] + [vocab.index(c) for c in t] + [sep] for t in texts], np.int64)
                so = ort.SessionOptions(); so.intra_op_num_threads = T; so.inter_op_num_threads = 1
                so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                sess = ort.InferenceSession(onnx_path, so, providers=["CPUExecutionProvider"])
                out = sess.run(None, {"input_ids": ids})[0]
                n, t0 = 0, time.perf_counter()
                while n < reps or time.perf_counter() - t0 < a.min_seconds / (2 if a.quick else 1):
                    sess.run(None, {"input_ids": ids}); n += 1
                ort_tps = n * B * L / (time.perf_counter() - t0)
                # Wenshu: the same texts repeated, run in batches of B.
                inp = os.path.join(work, f"in-{L}-{B}.jsonl")
                with open(inp, "w", encoding="utf-8") as f:
                    for r in range(max(n, 2)):
                        for k, t in enumerate(texts): f.write(json.dumps({"id": f"{r}-{k}", "text": t}, ensure_ascii=False) + "\n")
                p = subprocess.run([a.wenshu, "encode", "--checkpoint", ckpt, inp, "-o", "/dev/null", "--threads", str(T),
                                    "--batch-size", str(B), "--max-length", str(L), "--emit", "none", "--profile"],
                                   capture_output=True, text=True)
                if p.returncode != 0: sys.exit(p.stderr)
                line = [l for l in p.stderr.splitlines() if l.startswith("encode:")][-1]
                w_tps = float(line.split("(")[1].split(" tokens/s")[0])
                gemm = [l for l in p.stderr.splitlines() if l.startswith("profile:")]
                gflops = float(gemm[-1].split("GEMM ")[1].split(" GFLOP/s")[0]) if gemm else float("nan")
                if check is None and L == 128 and B == 1:
                    q = subprocess.run([a.wenshu, "encode", "--checkpoint", ckpt, "-", "--max-length", str(L)],
                                       input=json.dumps({"id": "x", "text": texts[0]}, ensure_ascii=False) + "\n",
                                       capture_output=True, text=True, check=True)
                    mine = np.array(json.loads(q.stdout)["last_hidden_state"], np.float32)
                    check = float(np.abs(mine - out[0]).max())
                rows.append((L, B, T, ort_tps, w_tps, gflops))
                print(f"L={L:4d} B={B} threads={T}: ONNX Runtime {ort_tps:8.1f} tok/s  Wenshu {w_tps:8.1f} tok/s  ratio {w_tps / ort_tps:5.2f}  "
                      f"Wenshu GEMM {gflops:6.1f} GFLOP/s ({100 * gflops / (95 * T):4.1f}% of {95 * T} peak)", flush=True)
    print(f"\nmax |Wenshu - ONNX Runtime| on the last hidden state (128 tokens): {check:.2e}")
    print("\n| length | batch | threads | ONNX Runtime tok/s | Wenshu tok/s | Wenshu / ORT | Wenshu GEMM GFLOP/s | % of peak |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for L, B, T, o, w, g in rows:
        print(f"| {L} | {B} | {T} | {o:.1f} | {w:.1f} | {w / o:.2f} | {g:.1f} | {100 * g / (95 * T):.0f}% |")

if __name__ == "__main__":
    main()
