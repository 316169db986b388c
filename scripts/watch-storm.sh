#!/usr/bin/env bash
# watch-storm.sh: a bars-style check of `wenshu watch` under a storm (issue 11).
#
# Starts `wenshu watch` on a fresh inbox and drops a few hundred real judgments in bursts:
# plain writes, slow writers that keep the file open and pause longer than settle_ms, writers
# that write a temporary name and rename it, folders built elsewhere and moved in, byte-for-byte
# duplicates under other names, junk (binary bytes), and Latin-1 and GBK byte names. Meanwhile it
# kills the watcher with SIGKILL at random moments and restarts it. At the end it checks that
# every file ended exactly once with its complete content:
#   - every distinct content: exactly one line (results for text, errors for junk) whose
#     source.sha256 and source.bytes are those of the complete file;
#   - every file: moved to done/ or failed/ exactly once, byte-identical, none left in the inbox;
#   - every duplicate named in duplicates-*.jsonl; no partial line in any stream.
#
# usage: scripts/watch-storm.sh [FILES] [KILLS]      (defaults 300 and 6)
#   WENSHU=path/to/wenshu   the binary (default .build/debug/wenshu, else .build/release/wenshu)
#   WENSHU_DATA=folder      the shared data folder (default: ../shared/data, /work/shared/data)
#   SEED=n                  the random seed (default: the current time), printed for reruns
# Exit status 0 when every check passes, 1 otherwise. Needs bash and python3.
set -euo pipefail

FILES=${1:-300}
KILLS=${2:-6}
SEED=${SEED:-$(date +%s)}
HERE=$(cd "$(dirname "$0")/.." && pwd)
WENSHU=${WENSHU:-}
if [[ -z "$WENSHU" ]]; then
    for c in "$HERE/.build/debug/wenshu" "$HERE/.build/release/wenshu"; do
        [[ -x "$c" ]] && WENSHU=$c && break
    done
fi
[[ -x "${WENSHU:-}" ]] || { echo "watch-storm: no wenshu binary (swift build, or set WENSHU)" >&2; exit 2; }
DATA=${WENSHU_DATA:-}
if [[ -z "$DATA" ]]; then
    for c in "$HERE/../shared/data" "/work/shared/data"; do
        [[ -f "$c/judgments-fulltext/judgments.jsonl" ]] && DATA=$c && break
    done
fi
[[ -f "${DATA:-}/judgments-fulltext/judgments.jsonl" ]] || { echo "watch-storm: no judgments (set WENSHU_DATA)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/wenshu-storm.XXXXXX)
INBOX="$WORK/inbox"
mkdir -p "$INBOX" "$WORK/staging" "$WORK/expected"
cat > "$WORK/storm.yaml" <<EOF
name: storm
inputs:
  paths: ["$INBOX"]
outputs:
  results: "$WORK/out/results.jsonl"
  errors: "$WORK/out/errors.jsonl"
  journal: "$WORK/out/journal.sqlite"
execution:
  batch_size: 8
watch:
  inbox: "$INBOX"
  settle_ms: 300
  rescan_seconds: 1
  batch: 16
  status_every_ms: 200
  open_limit_seconds: 30
EOF

echo "watch-storm: $FILES files, $KILLS kills, seed $SEED, work folder $WORK, binary $WENSHU"
WATCH_PID=
start_watch() {
    "$WENSHU" watch "$WORK/storm.yaml" >>"$WORK/watch.out" 2>>"$WORK/watch.log" &
    WATCH_PID=$!
}
start_watch

# The killer: SIGKILL at random moments while the storm runs, restarting each time.
(
    RANDOM=$SEED
    for ((k = 0; k < KILLS; k++)); do
        sleep "$((1 + RANDOM % 3)).$((RANDOM % 10))"
        [[ -f "$WORK/storm.done" ]] && break
        pid=$(cat "$WORK/watch.pid" 2>/dev/null || true)
        [[ -n "$pid" ]] && kill -KILL "$pid" 2>/dev/null && echo "$(date +%T.%N | cut -c1-12) kill -9 $pid" >>"$WORK/kills.log"
        echo restart >"$WORK/restart.request"
        while [[ -f "$WORK/restart.request" ]]; do sleep 0.05; done
    done
) &
KILLER=$!
echo "$WATCH_PID" >"$WORK/watch.pid"

# The storm itself (python3: real judgments, writers in threads), in the background;
# this shell restarts the watcher whenever the killer asks.
python3 - "$DATA/judgments-fulltext/judgments.jsonl" "$WORK" "$FILES" "$SEED" <<'PY' &
import json, os, random, shutil, sys, threading, time
src, work, total, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rnd = random.Random(seed)
inbox, staging, expected = work + "/inbox", work + "/staging", work + "/expected"
texts = [json.loads(l)["text"] for l in open(src, encoding="utf-8") if l.strip()]
manifest = []          # (relative path as bytes hex, sha-independent content file, kind)
threads = []
def content(i):
    return ("编号 %d\n" % i + texts[i % len(texts)] + "\n").encode("utf-8")
def junk(i):
    return bytes([0, 1, 2, 0xFF, 0xFE, 0]) + os.urandom(200) + b"#%d" % i
def record(rel, data, kind):
    ef = "%s/%d" % (expected, len(manifest))
    with open(ef, "wb") as f: f.write(data)
    manifest.append({"rel": rel.hex(), "expected": ef, "kind": kind})
def plain(rel, data):
    with open(inbox.encode() + b"/" + rel, "wb") as f: f.write(data)
def slow(rel, data):
    # Keeps the file open throughout, pausing longer than settle_ms between chunks.
    def run():
        with open(inbox.encode() + b"/" + rel, "wb") as f:
            cuts = sorted(rnd.sample(range(1, len(data)), 3))
            last = 0
            for c in cuts + [len(data)]:
                f.write(data[last:c]); f.flush(); last = c
                time.sleep(0.8 + 1.2 * rnd.random())
    t = threading.Thread(target=run); t.start(); threads.append(t)
def renamed(rel, data):
    tmp = inbox.encode() + b"/" + rel + b".part"
    with open(tmp, "wb") as f:
        f.write(data[: len(data) // 2]); f.flush(); time.sleep(0.05); f.write(data[len(data) // 2 :])
    os.rename(tmp, inbox.encode() + b"/" + rel)
i = 0
burst = 0
done_names = []
while i < total:
    n = min(total - i, rnd.randint(10, 40))
    folder = None
    if burst % 3 == 2:   # a folder built elsewhere and moved in
        folder = b"moved-%d" % burst
        os.makedirs(staging.encode() + b"/" + folder)
    for _ in range(n):
        kind = rnd.choices(["plain", "slow", "rename", "dup", "junk", "latin1", "gbk"], [40, 8, 15, 8, 6, 3, 3])[0]
        if kind == "dup" and not done_names: kind = "plain"
        if kind == "dup":
            orig_rel, orig_data = rnd.choice(done_names)
            rel = b"dup-%d-of-" % i + orig_rel.replace(b"/", b"_")
            plain(rel, orig_data); record(rel, orig_data, "dup"); i += 1; continue
        data = junk(i) if kind == "junk" else content(i)
        name = {"latin1": b"caf\xe9-%d.txt" % i, "gbk": "判决书-".encode("gbk") + b"%d.txt" % i}.get(kind, b"doc-%d.txt" % i)
        if folder is not None and kind in ("plain", "junk", "latin1", "gbk"):
            with open(staging.encode() + b"/" + folder + b"/" + name, "wb") as f: f.write(data)
            rel = folder + b"/" + name
        else:
            rel = name
            {"slow": slow, "rename": renamed}.get(kind, plain)(rel, data)
        record(rel, data, "junk" if kind == "junk" else "text")
        if kind != "junk": done_names.append((rel, data))
        i += 1
    if folder is not None:
        os.rename(staging.encode() + b"/" + folder, inbox.encode() + b"/" + folder)
    burst += 1
    time.sleep(rnd.random() * 0.8)
for t in threads: t.join()
json.dump(manifest, open(work + "/manifest.json", "w"))
open(work + "/storm.done", "w").close()
PY
STORM=$!

# Restart the watcher whenever the killer has killed it, until the storm and the killer are over.
while kill -0 "$STORM" 2>/dev/null || kill -0 "$KILLER" 2>/dev/null; do
    if [[ -f "$WORK/restart.request" ]]; then
        wait "$WATCH_PID" 2>/dev/null || true
        start_watch
        echo "$WATCH_PID" >"$WORK/watch.pid"
        rm -f "$WORK/restart.request"
    fi
    sleep 0.05
done
wait "$STORM"
STORM_RC=$?
[[ $STORM_RC -eq 0 ]] || { echo "watch-storm: the storm driver failed ($STORM_RC)" >&2; exit 2; }
wait "$KILLER" 2>/dev/null || true

# Let the watcher drain the inbox (a condition with a generous deadline), then stop it.
deadline=$((SECONDS + 300))
inbox_files() { find "$INBOX" -path "$INBOX/done" -prune -o -path "$INBOX/failed" -prune -o -type f -print | wc -l; }
while (( SECONDS < deadline )) && [[ $(inbox_files) -gt 0 ]]; do sleep 0.5; done
sleep 1
kill -TERM "$WATCH_PID" 2>/dev/null || true
wait "$WATCH_PID" 2>/dev/null || true

python3 - "$WORK" <<'PY'
import glob, hashlib, json, os, sys
work = sys.argv[1]
inbox = work + "/inbox"
manifest = json.load(open(work + "/manifest.json"))
def lines(prefix):
    out = []
    for f in sorted(glob.glob("%s/out/%s-*.jsonl" % (work, prefix))):
        data = open(f, "rb").read()
        if data and not data.endswith(b"\n"): problems.append("%s ends in a partial line" % f)
        out += [json.loads(l) for l in data.split(b"\n") if l.strip()]
    return out
problems = []
results, errors, dups = lines("results"), lines("errors"), lines("duplicates")
by_sha = {}
for kind, ls in (("result", results), ("error", errors)):
    for l in ls:
        by_sha.setdefault(l["source"].get("sha256"), []).append((kind, l))
# Where each file ended: done/DAY/rel or failed/DAY/rel (bytes, since names may not be UTF-8).
ended = {}
for top in (b"done", b"failed"):
    base = inbox.encode() + b"/" + top
    for dirpath, _, names in os.walk(base):
        for n in names:
            full = os.path.join(dirpath, n)
            rel = os.path.relpath(full, base).split(b"/", 1)[1]
            ended.setdefault(rel, []).append((top.decode(), full))
left = [os.path.join(d, n) for d, _, ns in os.walk(inbox.encode()) for n in ns
        if not (d.startswith(inbox.encode() + b"/done") or d.startswith(inbox.encode() + b"/failed"))]
if left: problems.append("%d file(s) left in the inbox: %s" % (len(left), left[:5]))
shas = {}
kinds = {}
for m in manifest:
    data = open(m["expected"], "rb").read()
    sha = hashlib.sha256(data).hexdigest()
    rel = bytes.fromhex(m["rel"])
    kinds[m["kind"]] = kinds.get(m["kind"], 0) + 1
    e = ended.get(rel, [])
    if len(e) != 1: problems.append("%r ended %d times: %s" % (rel, len(e), e)); continue
    if open(e[0][1], "rb").read() != data: problems.append("%r: moved file differs from what was written" % rel)
    shas.setdefault(sha, []).append((rel, m["kind"], len(data)))
for sha, files in shas.items():
    got = by_sha.get(sha, [])
    if len(got) != 1:
        problems.append("content of %r has %d lines (want 1)" % ([f[0] for f in files], len(got))); continue
    kind, l = got[0]
    want = "error" if files[0][1] == "junk" else "result"
    if kind != want: problems.append("%r: a %s line, want %s (%s)" % (files[0][0], kind, want, l.get("code")))
    if l["source"].get("bytes") not in (None, files[0][2]):
        problems.append("%r: line says %s bytes, file has %d (taken half-written)" % (files[0][0], l["source"].get("bytes"), files[0][2]))
def escape(b):
    # RawPath.escape: valid UTF-8 as is, a backslash as \\, any other byte as \xNN.
    out = []
    for ch in b.decode("utf-8", errors="surrogateescape"):
        o = ord(ch)
        if 0xDC80 <= o <= 0xDCFF: out.append("\\x%02X" % (o - 0xDC00))
        elif ch == "\\": out.append("\\\\")
        else: out.append(ch)
    return "".join(out)
dup_named = {d["path"] for d in dups}
expected_dups = sum(len(f) - 1 for f in shas.values())
for sha, files in shas.items():
    if len(files) < 2: continue
    # Whichever copy was taken first is the original; every other copy must be named.
    unnamed = [f[0] for f in files if escape(f[0]) not in dup_named]
    if len(unnamed) > 1: problems.append("duplicates %r are named in no duplicates line" % unnamed)
extra = set(by_sha) - set(shas)
if extra: problems.append("%d line(s) for content never written" % len(extra))
kills = open(work + "/kills.log").read().count("kill -9") if os.path.exists(work + "/kills.log") else 0
print("watch-storm: %d files (%s), %d distinct contents, %d kill -9" % (len(manifest), ", ".join("%s %d" % kv for kv in sorted(kinds.items())), len(shas), kills))
print("watch-storm: %d result lines, %d error lines, %d duplicate lines (%d duplicate files), %d moved to done/failed"
      % (len(results), len(errors), len(dups), expected_dups, sum(len(v) for v in ended.values())))
rec = [l for l in open(work + "/watch.log", encoding="utf-8", errors="replace") if "recovery:" in l or "still open for writing" in l]
print("watch-storm: %d recovery log lines, %d 'still open for writing' waits" % (sum("recovery:" in l for l in rec), sum("still open" in l for l in rec)))
if problems:
    print("watch-storm: FAILED, %d problem(s):" % len(problems))
    for p in problems[:30]: print("  - " + p)
    sys.exit(1)
print("watch-storm: OK: every file ended exactly once with its complete content")
PY
