#!/usr/bin/env bash
# Runs pipelines/examples/spark_pipe.py under a local Spark (pyspark from PyPI) over the JSONL
# records in samples/ and checks that its output equals a plain `wenshu run` of the same records:
# the same ids, and for each id the same document structure and model annotations.
#
# usage: scripts/spark/test-spark-local.sh [PIPELINE]     (default pipelines/civil.yaml)
# Needs Java 11+ and network access to PyPI the first time (pyspark goes into .venv-spark/).
# Takes minutes (pip install, JVM start), so it is not part of `swift test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
PIPELINE="${1:-pipelines/civil.yaml}"
WORK=out/spark-test
rm -rf "$WORK"; mkdir -p "$WORK"

if [ ! -x .venv-spark/bin/python ]; then
  python3 -m venv .venv-spark
  .venv-spark/bin/pip install --quiet 'pyspark>=3.5,<5'
fi
swift build --product wenshu >/dev/null
WENSHU="$(swift build --show-bin-path)/wenshu"

# The input: every UTF-8 JSONL record under samples/ (Spark reads text as UTF-8; the GB18030
# sample is left out) and the pipeline test fixtures' judgments.
: > "$WORK/input.jsonl"
for f in $(find samples -name '*.jsonl' -type f | sort) Tests/WenshuPipelineTests/Fixtures/corpus/judgments.jsonl; do
  if iconv -f UTF-8 -t UTF-8 "$f" > /dev/null 2>&1; then cat "$f" >> "$WORK/input.jsonl"; fi
done
echo "input: $(wc -l < "$WORK/input.jsonl") records"

start=$(date +%s)
PYSPARK_PYTHON=.venv-spark/bin/python .venv-spark/bin/spark-submit --master 'local[2]' \
  --conf spark.ui.enabled=false --driver-memory 1g \
  pipelines/examples/spark_pipe.py --wenshu "$WENSHU" --pipeline "$PIPELINE" \
  --input "$WORK/input.jsonl" --output "$WORK/spark" --partitions 3 2> "$WORK/spark.log"
echo "spark job: $(( $(date +%s) - start )) s"

"$WENSHU" run "$PIPELINE" --input "$WORK/input.jsonl" -o "$WORK/plain/results.jsonl" --fresh --no-progress 2>> "$WORK/plain.log" || [ $? -eq 1 ]

.venv-spark/bin/python - "$WORK" <<'PY'
import collections, glob, json, sys
work = sys.argv[1]
def load(paths):
    return [json.loads(l) for p in paths for l in open(p, encoding="utf-8") if l.strip()]
def view(r):
    # What must agree: everything but where the record came from (stdin of a partition vs the
    # file) and the id Wenshu derives for records without their own id (from that source).
    return json.dumps({k: v for k, v in r.items() if k not in ("source", "id")}, sort_keys=True, ensure_ascii=False)
spark = load(sorted(glob.glob(f"{work}/spark/results/part-*")))
plain = load([f"{work}/plain/results.jsonl"])
spark_err = load(sorted(glob.glob(f"{work}/spark/errors/part-*")))
plain_err = load(glob.glob(f"{work}/plain/results.errors.jsonl"))
problems = []
own = lambda rs: sorted(r["id"] for r in rs if not r["id"].startswith("stdin:") and ":" not in r["id"])
if own(spark) != own(plain):
    problems.append("the records' own ids differ")
cs, cp = collections.Counter(map(view, spark)), collections.Counter(map(view, plain))
if cs != cp:
    problems.append(f"{sum((cs - cp).values())} spark records not in the plain run, {sum((cp - cs).values())} plain records not in spark")
if len(spark_err) != len(plain_err):
    problems.append(f"{len(spark_err)} spark errors vs {len(plain_err)} plain errors")
print(f"spark: {len(spark)} results, {len(spark_err)} errors; plain: {len(plain)} results, {len(plain_err)} errors")
if problems:
    print("MISMATCH: " + "; ".join(problems)); sys.exit(1)
print("OK: the Spark job's output equals the plain run's")
PY
