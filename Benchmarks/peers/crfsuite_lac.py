#!/usr/bin/env python3
"""How much Baidu LAC's word segmentation and tags help a CRF on the span tasks: CRFsuite with
the peers' character features (run_peers.py) against the same plus LAC features per character
(position in LAC's word B/M/E/S, its tag, both, the word itself up to six characters, and the
neighbours' position+tag), trained and scored on the same dev split.

    swift build -c release --product wenshu && bash scripts/import-lac.sh
    python3 Benchmarks/peers/crfsuite_lac.py drugs|theft [--data ../shared/data]

LAC runs through `wenshu lac` (Wenshu's LAC, identical to ONNX Runtime's tags on the test
sentences). Prints span micro-F1 for both feature sets.
"""
import argparse, json, os, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
ap = argparse.ArgumentParser()
ap.add_argument("task", choices=["drugs", "theft"])
ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
ap.add_argument("--wenshu", default=os.path.join(ROOT, ".build", "release", "wenshu"))
ap.add_argument("--lac", default=os.path.join(ROOT, ".lac"))
args = ap.parse_args()

sys.path.insert(0, HERE)
import run_peers as P  # noqa: E402 (the peers' readers, split and CRFsuite features)

rows = (P.drugs(os.path.join(args.data, "cail2022-drugs/train.jsonl")) if args.task == "drugs"
        else P.theft(os.path.join(args.data, "cail2021-theft/train.jsonl")))
work = tempfile.mkdtemp(prefix="wenshu-crf-lac-")
src, tagged = os.path.join(work, "in.jsonl"), os.path.join(work, "lac.jsonl")
with open(src, "w", encoding="utf-8") as f:
    for i, t, _ in rows:
        f.write(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n")
with open(tagged, "w") as out:
    subprocess.run([args.wenshu, "lac", src, "--lac", args.lac], stdout=out, check=True)
words = {}
for line in open(tagged, encoding="utf-8"):
    r = json.loads(line)
    words[r["id"]] = r.get("words", [])

def lac_features(i, t):
    feats = P.features(t)
    n = len(t)
    pos, tag, word = ["O"] * n, ["x"] * n, [""] * n
    for w in words.get(i, []):
        s, e = w["start"], w["end"]
        for k in range(s, min(e, n)):
            pos[k] = "S" if e - s == 1 else "B" if k == s else "E" if k == e - 1 else "M"
            tag[k], word[k] = w["tag"], t[s:e]
    for k, f in enumerate(feats):
        f["lp0"], f["lt0"], f["lpt0"] = pos[k], tag[k], pos[k] + tag[k]
        f["lw0"] = word[k] if len(word[k]) <= 6 else "LONG"
        for d in (-1, 1):
            j = k + d
            f[f"lpt{d}"] = pos[j] + tag[j] if 0 <= j < n else "_"
    return feats

import sklearn_crfsuite
train, dev = P.split(rows)
for name, fx in (("characters", lambda i, t: P.features(t)), ("characters + LAC", lac_features)):
    t0 = time.time()
    crf = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=0.1, c2=0.1, max_iterations=100, all_possible_transitions=True)
    crf.fit([fx(i, t) for i, t, _ in train], [P.bio(t, s) for _, t, s in train])
    pred = [P.decode(p) for p in crf.predict([fx(i, t) for i, t, _ in dev])]
    print(f"{args.task}: CRFsuite, {name}: span micro-F1 {P.span_f1([s for _, _, s in dev], pred):.4f} ({time.time() - t0:.0f} s)", flush=True)
