#!/bin/bash
# Wenshu under Hadoop Streaming: a map-only job whose mapper is `wenshu filter`. Each input
# line (a JSONL record) gives exactly one output line (a result or an error line, the record's
# id echoed; a record without an id gets the content id sha256:<16 hex digits of its text's
# SHA-256>, the same id a plain `wenshu run` gives it, whichever split it lands in), so no
# reducer is needed. The binary and the pipeline ship with -files, the model bundle with
# -archives (unpacked as models/ in each task's working folder, so the pipeline's relative
# `models/default` resolves there). Hadoop writes each output line as KEY<TAB>VALUE with the
# whole line as the key and an empty value: every line ends in a tab, which JSON readers skip.
#
# Checked locally (the same command lines, environment, stdin and stdout as Hadoop would use)
# by scripts/engines/test-hadoop-streaming.sh, which reads the three settings below.
set -euo pipefail
MAPPER="./wenshu filter nightly-criminal.yaml --workers 1"
FILES="wenshu,pipelines/nightly-criminal.yaml"
ARCHIVES="wenshu-models.tgz#models"
if [ "${WENSHU_EXAMPLE_SETTINGS_ONLY:-}" = 1 ]; then return 0 2>/dev/null || exit 0; fi

tar -C models -czf wenshu-models.tgz default
hadoop jar "$HADOOP_HOME"/share/hadoop/tools/lib/hadoop-streaming-*.jar \
  -D mapreduce.job.name=wenshu-filter \
  -D mapreduce.job.reduces=0 \
  -files "$FILES" \
  -archives "$ARCHIVES" \
  -input /corpus/judgments/*.jsonl \
  -output /wenshu/out/$(date +%F) \
  -mapper "$MAPPER"
