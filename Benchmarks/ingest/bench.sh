#!/usr/bin/env bash
# Ingest + normalize + structure throughput (issue 2) on ../shared/data/judgments-fulltext:
# `wenshu ingest` over the 264 judgments as one JSONL file and as 264 separate text files,
# with one worker pinned to one core, and with one worker per core. Prints MB/s and docs/s
# from the median wall time of farm-bench (falls back to /usr/bin/time when absent).
#   bash Benchmarks/ingest/bench.sh            (release build first)
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=../shared/data/judgments-fulltext/judgments.jsonl
[ -f "$DATA" ] || { echo "missing $DATA"; exit 1; }
swift build -c release --product wenshu >/dev/null
BIN=$(swift build -c release --show-bin-path)/wenshu
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
python3 - "$DATA" "$WORK/files" <<'PY'
import json, os, sys
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
for i, line in enumerate(open(src, encoding="utf-8")):
    r = json.loads(line)
    open(os.path.join(out, f"{i:04d}.txt"), "w", encoding="utf-8").write(r["text"])
PY
BYTES=$(stat -c %s "$DATA"); FBYTES=$(du -cb "$WORK"/files/*.txt | tail -1 | cut -f1); DOCS=264
CORES=$(nproc)
median() { # farm-bench's median wall seconds for a command
  farm-bench -n 5 --warmup 1 --timeout 600 "$@" 2>&1 | tee -a "$WORK/log" | awk '/^A wall s/ {print $5; exit}'
}
printf "%-34s %8s %8s %8s\n" "case" "wall s" "MB/s" "docs/s"
for mode in jsonl files; do
  if [ $mode = jsonl ]; then IN=$DATA; B=$BYTES; else IN=$WORK/files; B=$FBYTES; fi
  for w in 1 $CORES; do
    pin=$([ $w = 1 ] && echo "--pin 0" || echo "")
    s=$(median $pin -- "$BIN" ingest "$IN" --workers $w -o /dev/null)
    awk -v s="$s" -v b="$B" -v d=$DOCS -v m="$mode" -v w=$w 'BEGIN{printf "%-34s %8.3f %8.2f %8.1f\n", m" ("w" worker"(w>1?"s":"")")", s, b/s/1e6, d/s}'
  done
done
echo "(farm-bench output in full: $WORK/log is removed on exit; rerun with bash -x to keep it)"
