#!/usr/bin/env bash
# Checks pipelines/examples/k8s-indexed-job.yaml (k8s) or slurm-array.sh (slurm): starts every
# index of the job locally as the scheduler would (scheduler_local.py: the same command line, the
# same shard variables, all indexes at once in one shared folder), then compares the union of
# the shards' results and errors, whole records with ids, with a plain `wenshu run` of the same
# pipeline in the same folder. No cluster needed.
# usage: scripts/engines/test-scheduler-example.sh k8s|slurm
set -euo pipefail
cd "$(dirname "$0")/../.."
MODE="${1:?k8s or slurm}"
case "$MODE" in
  k8s) EXAMPLE=pipelines/examples/k8s-indexed-job.yaml; NAME="Kubernetes Indexed Job" ;;
  slurm) EXAMPLE=pipelines/examples/slurm-array.sh; NAME="Slurm array" ;;
  *) echo "usage: $0 k8s|slurm" >&2; exit 64 ;;
esac
WORK="$PWD/out/engine-tests/$MODE"
rm -rf "$WORK"; mkdir -p "$WORK"
swift build --product wenshu >/dev/null
WENSHU="$(swift build --show-bin-path)/wenshu"
# The working folder: what the image (or the submit folder) holds, and the corpus as mounted.
for d in pipelines models samples; do ln -s "$PWD/$d" "$WORK/$d"; done
python3 scripts/engines/scheduler_local.py "$MODE" --example "$EXAMPLE" --root "$WORK" --wenshu "$WENSHU"
( cd "$WORK" && "$WENSHU" run pipelines/nightly-criminal.yaml -o plain/results.jsonl --fresh --no-progress 2> plain.log || [ $? -eq 1 ] )
shopt -s nullglob
python3 scripts/engines/compare.py "$NAME" \
  --engine-results "$WORK"/out/nightly-criminal/results.shard-*-of-*.jsonl \
  --engine-errors "$WORK"/out/nightly-criminal/errors.shard-*-of-*.jsonl \
  --plain-results "$WORK/plain/results.jsonl" --plain-errors "$WORK/plain/results.errors.jsonl"
n=$(ls "$WORK"/out/nightly-criminal/results.shard-*-of-*.jsonl | wc -l)
echo "$NAME: $n shard result files"
