#!/usr/bin/env python3
"""Benchmark of `wenshu watch`: latency from a file's close to its output line, and sustained files/s.

Runs the real binary on a temporary inbox (a path with Chinese characters and spaces), drops files
built from real judgment text (../shared/data/judgments-fulltext, or the test fixtures when absent),
and tails the results and errors JSONL files. Each file's line is found by the content hash the line
records (source.sha256), so every file is matched exactly once; a missing or doubled line is reported.

  python3 Benchmarks/watch/bench.py [--binary .build/release/wenshu] [--settle-ms 0] [--latency-files 300]
                                    [--rate 20] [--burst-files 2000]

Latency phase: files are written one at a time at --rate files/s (open, write, close); the clock
starts right after close() returns and stops when the reader sees the line (the reader polls the
output files every 1 ms, so figures carry up to ~1 ms of polling delay).
Throughput phase: --burst-files files are written as fast as possible; files/s is counted from the
first close to the last line, and separately over the steady middle (10% to 90% of lines).
"""
import argparse, hashlib, json, os, shutil, signal, statistics, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def texts():
    full = os.path.join(REPO, "..", "shared", "data", "judgments-fulltext", "judgments.jsonl")
    out = []
    if os.path.exists(full):
        with open(full, encoding="utf-8") as f:
            for line in f:
                t = json.loads(line)["text"]
                out.append(t[:1500])
    else:
        with open(os.path.join(REPO, "Tests/WenshuPipelineTests/Fixtures/watch/judgment-excerpts.txt"), encoding="utf-8") as f:
            out = [l.rstrip("\n") for l in f if l.strip()]
    return out


class Tail(threading.Thread):
    """Reads new complete lines of every results-/errors- file in `folder`, noting when each hash appears."""

    def __init__(self, folder):
        super().__init__(daemon=True)
        self.folder, self.seen, self.count, self.stop = folder, {}, {}, False
        self.offsets, self.partial = {}, {}

    def run(self):
        while not self.stop:
            try:
                names = [n for n in os.listdir(self.folder) if n.endswith(".jsonl")]
            except FileNotFoundError:
                names = []
            now = time.time()
            for n in names:
                p = os.path.join(self.folder, n)
                with open(p, "rb") as f:
                    f.seek(self.offsets.get(p, 0))
                    data = f.read()
                if not data:
                    continue
                self.offsets[p] = self.offsets.get(p, 0) + len(data)
                buf = self.partial.get(p, b"") + data
                *lines, rest = buf.split(b"\n")
                self.partial[p] = rest
                for l in lines:
                    sha = json.loads(l)["source"]["sha256"]
                    self.count[sha] = self.count.get(sha, 0) + 1
                    self.seen.setdefault(sha, now)
            time.sleep(0.001)


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=None)
    ap.add_argument("--settle-ms", type=int, default=0)
    ap.add_argument("--latency-files", type=int, default=300)
    ap.add_argument("--rate", type=float, default=20)
    ap.add_argument("--burst-files", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=32)
    a = ap.parse_args()
    binary = a.binary or next((p for p in [os.path.join(REPO, ".build/release/wenshu"), os.path.join(REPO, ".build/debug/wenshu")]
                               if os.path.exists(p)), None)
    if not binary:
        sys.exit("build wenshu first: swift build -c release --product wenshu")
    root = tempfile.mkdtemp(prefix="wenshu-watch-bench-")
    inbox = os.path.join(root, "收件 箱")
    out = os.path.join(root, "out")
    os.makedirs(inbox)
    pipeline = os.path.join(root, "watch.yaml")
    with open(pipeline, "w", encoding="utf-8") as f:
        f.write(f"""name: watch-bench
inputs:
  paths: ["{inbox}"]
outputs:
  results: "{out}/results.jsonl"
  errors: "{out}/errors.jsonl"
  journal: "{out}/journal.sqlite"
watch:
  inbox: "{inbox}"
  settle_ms: {a.settle_ms}
  rescan_seconds: 30
  batch: {a.batch}
""")
    corpus = texts()
    child = subprocess.Popen([binary, "watch", pipeline], stderr=subprocess.PIPE)
    tail = Tail(out)
    tail.start()
    time.sleep(1.0)
    serial = [0]

    def drop(name_prefix):
        i = serial[0]; serial[0] += 1
        data = f"编号 {i}\n{corpus[i % len(corpus)]}\n".encode("utf-8")
        sha = hashlib.sha256(data).hexdigest()
        path = os.path.join(inbox, f"{name_prefix} {i}.txt")
        with open(path, "wb") as f:
            f.write(data)
        return sha, time.time()

    # Latency phase.
    closes = {}
    for _ in range(a.latency_files):
        sha, t = drop("lat")
        closes[sha] = t
        time.sleep(1.0 / a.rate)
    deadline = time.time() + 30
    while time.time() < deadline and not all(s in tail.seen for s in closes):
        time.sleep(0.01)
    lat = [(tail.seen[s] - closes[s]) * 1000 for s in closes if s in tail.seen]

    # Throughput phase.
    burst = {}
    t0 = time.time()
    for _ in range(a.burst_files):
        sha, t = drop("burst")
        burst[sha] = t
    t_written = time.time()
    deadline = time.time() + 300
    while time.time() < deadline and not all(s in tail.seen for s in burst):
        time.sleep(0.01)
    t_end = max(tail.seen[s] for s in burst if s in tail.seen)
    times = sorted(tail.seen[s] for s in burst if s in tail.seen)
    lo, hi = times[len(times) // 10], times[(9 * len(times)) // 10]
    steady = (0.8 * len(times)) / max(1e-9, hi - lo)

    child.send_signal(signal.SIGTERM)
    rc = child.wait(timeout=30)
    tail.stop = True
    tail.join()
    missing = [s for s in list(closes) + list(burst) if s not in tail.count]
    doubled = [s for s, c in tail.count.items() if c > 1]
    status = json.load(open(os.path.join(out, "status.json")))
    codes = {}
    for n in os.listdir(out):
        if n.startswith("errors-"):
            for l in open(os.path.join(out, n), encoding="utf-8"):
                c = json.loads(l)["code"]; codes[c] = codes.get(c, 0) + 1
    print(f"binary: {binary}")
    print(f"settle_ms={a.settle_ms} batch={a.batch} files: {len(closes)} latency + {len(burst)} burst, exit code {rc}")
    print(f"latency close->line over {len(lat)} files at {a.rate:g}/s: median {statistics.median(lat):.1f} ms, "
          f"p90 {pct(lat, 0.9):.1f} ms, p99 {pct(lat, 0.99):.1f} ms, max {max(lat):.1f} ms")
    print(f"burst of {len(burst)}: written in {t_written - t0:.2f} s, all lines after {t_end - t0:.2f} s "
          f"-> {len(times) / (t_end - t0):.0f} files/s overall, {steady:.0f} files/s steady (10%-90% of lines)")
    print(f"exactly once: missing {len(missing)}, doubled {len(doubled)}; status: done {status['done']}, "
          f"failed {status['failed']}; error codes: {codes or '-'}")
    shutil.rmtree(root, ignore_errors=True)
    sys.exit(1 if missing or doubled or rc != 0 else 0)


if __name__ == "__main__":
    main()
