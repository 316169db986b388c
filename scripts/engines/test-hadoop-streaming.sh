#!/usr/bin/env bash
# Checks pipelines/examples/hadoop-streaming.sh: runs its mapper command line (MAPPER, FILES,
# ARCHIVES as the example sets them) the way Hadoop Streaming runs a map-only job
# (hadoop_streaming_local.py: byte-range splits, one task folder each with -files linked and
# -archives unpacked, the job configuration in the environment, values on stdin, part-m-NNNNN
# files of KEY<TAB> lines), then compares every output record, ids included, with a plain
# `wenshu run` of the same pipeline over the same input file. Needs python3; no Hadoop.
# usage: scripts/engines/test-hadoop-streaming.sh        (from anywhere; works in the repository root)
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=out/engine-tests/hadoop
rm -rf "$WORK"; mkdir -p "$WORK/submit"
swift build --product wenshu >/dev/null
WENSHU="$(swift build --show-bin-path)/wenshu"
bash scripts/engines/make-input.sh "$WORK/input.jsonl"

# The example's own settings.
eval "$(WENSHU_EXAMPLE_SETTINGS_ONLY=1 bash -c 'source pipelines/examples/hadoop-streaming.sh; declare -p MAPPER FILES ARCHIVES')"
echo "mapper: $MAPPER"
# What the example ships, prepared in a submit folder as a user would before `hadoop jar`.
ROOT="$PWD"
( cd "$WORK/submit"
  ln -s "$WENSHU" wenshu
  mkdir pipelines && cp "$ROOT/pipelines/nightly-criminal.yaml" pipelines/
  tar -C "$ROOT/models" -czf wenshu-models.tgz default
  python3 "$ROOT/scripts/engines/hadoop_streaming_local.py" --mapper "$MAPPER" --files "$FILES" --archives "$ARCHIVES" \
    --input "$ROOT/$WORK/input.jsonl" --output "$ROOT/$WORK/output" --splits 3 )

"$WENSHU" run pipelines/nightly-criminal.yaml --input "$WORK/input.jsonl" -o "$WORK/plain/results.jsonl" --fresh --no-progress \
  2> "$WORK/plain.log" || [ $? -eq 1 ]
python3 scripts/engines/compare.py "Hadoop Streaming" --streamed --engine-results "$WORK"/output/part-m-* \
  --plain-results "$WORK/plain/results.jsonl" --plain-errors "$WORK/plain/results.errors.jsonl"
