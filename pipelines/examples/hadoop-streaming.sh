#!/bin/bash
# Wenshu under Hadoop Streaming: a map-only job whose mapper is `wenshu filter`. Each input
# line (a JSONL record) gives exactly one output line (a result or an error line, the record's
# id echoed), so no reducer is needed. The binary and the pipeline ship with -files; the
# model bundle must be readable on every node: point model.bundle at an absolute path on
# shared storage (paths in a pipeline are relative to the task's working directory).
set -euo pipefail
hadoop jar "$HADOOP_HOME"/share/hadoop/tools/lib/hadoop-streaming-*.jar \
  -D mapreduce.job.name=wenshu-filter \
  -D mapreduce.job.reduces=0 \
  -files wenshu,pipelines/nightly-criminal.yaml \
  -input /corpus/judgments/*.jsonl \
  -output /wenshu/out/$(date +%F) \
  -mapper "./wenshu filter nightly-criminal.yaml --workers 1"
