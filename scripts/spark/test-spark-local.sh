#!/usr/bin/env bash
# Runs pipelines/examples/spark_pipe.py under a local Spark (pyspark from PyPI) over the JSONL
# records in samples/ (scripts/engines/make-input.sh) and checks that its output equals a plain
# `wenshu run` of the same pipeline over the same file: every result and error record, whole,
# ids included (records without an id of their own get the content id in both; only where a
# record was read from, `source`, differs between stdin and a file and is compared by format and
# encoding). The job repartitions the records (a shuffle), so the check also shows that ids do
# not depend on the partitioning.
#
# usage: scripts/spark/test-spark-local.sh [PIPELINE]     (default pipelines/nightly-criminal.yaml)
# Needs Java 17+ (Debian: default-jre-headless) and PyPI the first time (pyspark goes into
# .venv-spark/, reused afterwards; CI starts without it). CI runs it after `swift test` (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/../.."
PIPELINE="${1:-pipelines/nightly-criminal.yaml}"
WORK=out/spark-test
rm -rf "$WORK"; mkdir -p "$WORK"

t0=$(date +%s)
if [ ! -x .venv-spark/bin/spark-submit ]; then
  python3 -m venv .venv-spark
  .venv-spark/bin/pip install --quiet 'pyspark>=3.5,<5'
fi
echo "pyspark ready: $(( $(date +%s) - t0 )) s"
swift build --product wenshu >/dev/null
WENSHU="$(swift build --show-bin-path)/wenshu"
bash scripts/engines/make-input.sh "$WORK/input.jsonl"

start=$(date +%s)
PYSPARK_PYTHON=.venv-spark/bin/python .venv-spark/bin/spark-submit --master 'local[2]' \
  --conf spark.ui.enabled=false --driver-memory 1g \
  pipelines/examples/spark_pipe.py --wenshu "$WENSHU" --pipeline "$PIPELINE" \
  --input "$WORK/input.jsonl" --output "$WORK/spark" --partitions 3 2> "$WORK/spark.log" \
  || { tail -30 "$WORK/spark.log"; exit 1; }
echo "spark job: $(( $(date +%s) - start )) s"

"$WENSHU" run "$PIPELINE" --input "$WORK/input.jsonl" -o "$WORK/plain/results.jsonl" --fresh --no-progress 2>> "$WORK/plain.log" || [ $? -eq 1 ]

python3 scripts/engines/compare.py "Spark" --streamed \
  --engine-results "$WORK"/spark/results/part-* --engine-errors "$WORK"/spark/errors/part-* \
  --plain-results "$WORK/plain/results.jsonl" --plain-errors "$WORK/plain/results.errors.jsonl"
