#!/usr/bin/env bash
# End-to-end throughput and peak memory of `wenshu run` over the full-text judgments
# (../shared/data/judgments-fulltext/judgments.jsonl, 264 documents), with 1 and 2 workers,
# and peak memory with the corpus repeated 10 times (memory must stay flat: streaming).
# Uses models/default when it exists (or MODEL=path), else runs without a model and says so.
#
# usage: Benchmarks/pipeline/bench.sh            (from anywhere; writes Benchmarks/pipeline/RESULTS.md)
#        MODEL=path/to/bundle X30=1 Benchmarks/pipeline/bench.sh   (another bundle; add a 30x row)
#        OUT=file.md to write elsewhere
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
# shared/ sits beside the repository (CI), or one level higher for worktrees.
for cand in "$ROOT/../shared" "$ROOT/../../shared"; do
  [ -d "$cand/data" ] && SHARED="${SHARED:-$cand}"
done
DATA="${DATA:-${SHARED:-$ROOT/../shared}/data/judgments-fulltext/judgments.jsonl}"
[ -f "$DATA" ] || { echo "no data at $DATA" >&2; exit 2; }
MODEL="${MODEL:-models/default}"
[ -d "$MODEL" ] && MODEL=$(cd "$MODEL" && pwd)   # absolute: the runs happen in a scratch folder
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 2; }

swift build -c release --product wenshu >/dev/null
BIN="$(swift build -c release --show-bin-path)/wenshu"
WORK=$(mktemp -d /tmp/wenshu-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cp "$DATA" "$WORK/x1.jsonl"
for i in $(seq 10); do cat "$DATA"; done > "$WORK/x10.jsonl"
[ -n "${X30:-}" ] && for i in $(seq 3); do cat "$WORK/x10.jsonl"; done > "$WORK/x30.jsonl"

MODEL_ARGS=()
MODEL_NOTE="no model (models/default absent): ingest + normalize + structure only"
if [ -f "$MODEL/manifest.json" ]; then
  MODEL_ARGS=(--model "$MODEL"); MODEL_NOTE="model: $MODEL ($(python3 -c "import json;m=json.load(open('$MODEL/manifest.json'));print(m['name'], m.get('version',''), 'heads:', ', '.join(h['name'] for h in m['heads']))"))"
fi

cat > "$WORK/bench.yaml" <<YAML
name: bench
inputs:
  paths: [x1.jsonl]
outputs:
  results: out/results.jsonl
execution:
  batch_size: 16
YAML

run() { # name input workers
  local name=$1 input=$2 workers=$3
  (cd "$WORK" && /usr/bin/time -v "$BIN" run bench.yaml --input "$input" --workers "$workers" --fresh --no-progress \
      "${MODEL_ARGS[@]}" -o "out/$name/results.jsonl" > /dev/null 2> "$name.time") || [ $? -eq 1 ]
  local docs secs rss
  docs=$(python3 -c "import json;s=json.load(open('$WORK/out/$name/results.summary.json'));print(s['processed'])")
  secs=$(python3 -c "import json;s=json.load(open('$WORK/out/$name/results.summary.json'));print(s['seconds'])")
  rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}' "$WORK/$name.time")
  printf "| %s | %s | %s | %s | %.1f | %.1f |\n" "$name" "$workers" "$docs" "$secs" \
    "$(python3 -c "print($docs/$secs)")" "$(python3 -c "print($rss/1024)")"
}

{
  echo "# Pipeline benchmark"
  echo
  echo "Command: \`Benchmarks/pipeline/bench.sh\` ($(date -u +%Y-%m-%d), $(nproc) cores, release build)."
  echo "Input: judgments-fulltext ($(wc -l < "$WORK/x1.jsonl") documents, $(du -h "$WORK/x1.jsonl" | cut -f1)); $MODEL_NOTE."
  echo "Each run is \`wenshu run --fresh\` (journal, part files, final assembly included)."
  echo
  echo "| run | workers | documents | seconds | docs/s | peak RSS (MB) |"
  echo "|---|---|---|---|---|---|"
  run x1-w1 x1.jsonl 1
  run x1-w2 x1.jsonl 2
  run x10-w2 x10.jsonl 2
  [ -n "${X30:-}" ] && run x30-w2 x30.jsonl 2
  echo
  echo "Memory stays flat when the input grows tenfold if the x10 row's peak RSS is close to the x1 rows'."
} | tee "${OUT:-Benchmarks/pipeline/RESULTS.md}"
