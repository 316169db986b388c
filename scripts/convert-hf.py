#!/usr/bin/env python3
"""Converts a Hugging Face checkpoint's pytorch_model.bin into model.safetensors, which is
what Wenshu reads. Torch-free: the .bin file (PyTorch's zip format, torch >= 1.6) is read
with zipfile and a restricted unpickler that only rebuilds tensors; nothing else in the
pickle is executed. Needs numpy.

    python3 scripts/convert-hf.py CHECKPOINT_DIR [--dtype f32|f16] [--out FILE]

Floating tensors (float32, float16, bfloat16, float64) are written as F32 (default) or F16;
integer buffers such as `embeddings.position_ids` are left out (Wenshu does not read them).
The legacy (pre-zip) .bin format is refused: re-save it with a recent torch, or use the
model's safetensors file if its publisher has one.
"""
import argparse, collections, json, os, pickle, struct, sys, zipfile
import numpy as np

STORAGES = {"FloatStorage": np.float32, "HalfStorage": np.float16, "DoubleStorage": np.float64,
            "BFloat16Storage": "bfloat16", "LongStorage": np.int64, "IntStorage": np.int32,
            "ShortStorage": np.int16, "CharStorage": np.int8, "ByteStorage": np.uint8, "BoolStorage": np.bool_}

class StorageType:
    def __init__(self, name): self.name = name

def load_bin(path):
    zf = zipfile.ZipFile(path)
    pkl = next((n for n in zf.namelist() if n.endswith("data.pkl")), None)
    if pkl is None: sys.exit(f"{path}: no data.pkl inside (not PyTorch's zip format)")
    prefix = pkl[: -len("data.pkl")]
    cache = {}

    def storage(stype, key):
        if key not in cache:
            raw = zf.read(prefix + "data/" + str(key))
            dt = STORAGES[stype.name]
            if dt == "bfloat16":
                cache[key] = (np.frombuffer(raw, np.uint16).astype(np.uint32) << 16).view(np.float32)
            else:
                cache[key] = np.frombuffer(raw, dt)
        return cache[key]

    def rebuild(st, offset, size, stride, *rest):
        if len(size) == 0: return st[offset:offset + 1].reshape(()).copy()
        item = st.itemsize
        return np.lib.stride_tricks.as_strided(st[offset:], shape=tuple(size), strides=tuple(s * item for s in stride)).copy()

    class Unpickler(pickle.Unpickler):
        def find_class(self, module, name):
            if module == "torch._utils" and name == "_rebuild_tensor_v2": return rebuild
            if module == "torch._utils" and name == "_rebuild_parameter": return lambda data, *a: data
            if module == "torch" and name in STORAGES: return StorageType(name)
            if module == "collections" and name == "OrderedDict": return collections.OrderedDict
            if module == "torch" and name == "device": return lambda *a: None
            raise pickle.UnpicklingError(f"refusing to load {module}.{name} from the checkpoint")

        def persistent_load(self, pid):
            # ('storage', storage type, key, location, numel)
            if not (isinstance(pid, tuple) and pid[0] == "storage"):
                raise pickle.UnpicklingError(f"unexpected persistent id {pid!r}")
            return storage(pid[1], pid[2])

    with zf.open(pkl) as f:
        obj = Unpickler(f).load()
    if isinstance(obj, dict) and "state_dict" in obj and isinstance(obj["state_dict"], dict): obj = obj["state_dict"]
    return obj

def write_safetensors(path, tensors, dtype):
    header, blobs, off = {"__metadata__": {"format": "pt"}}, [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name], dtype=np.float16 if dtype == "F16" else np.float32)
        b = a.tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b); off += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    tmp = path + ".part"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(h))); f.write(h)
        for b in blobs: f.write(b)
    os.replace(tmp, path)

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkpoint"); ap.add_argument("--dtype", choices=["f32", "f16"], default="f32"); ap.add_argument("--out")
    a = ap.parse_args()
    src = os.path.join(a.checkpoint, "pytorch_model.bin") if os.path.isdir(a.checkpoint) else a.checkpoint
    if not zipfile.is_zipfile(src):
        sys.exit(f"{src}: legacy (pre-zip) PyTorch format is not supported; re-save it with torch >= 1.6")
    state = load_bin(src)
    out = {}
    for k, v in state.items():
        if isinstance(v, np.ndarray) and v.dtype.kind == "f": out[k] = v
        else: print(f"skipping {k} ({getattr(v, 'dtype', type(v))})", file=sys.stderr)
    dst = a.out or os.path.join(os.path.dirname(os.path.abspath(src)), "model.safetensors")
    write_safetensors(dst, out, "F16" if a.dtype == "f16" else "F32")
    print(f"wrote {dst}: {len(out)} tensors, {sum(v.size for v in out.values())} values")

if __name__ == "__main__":
    main()
