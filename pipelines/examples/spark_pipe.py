#!/usr/bin/env python3
"""Wenshu under Spark: RDD.pipe through `wenshu filter`.

Each partition starts one `wenshu filter PIPELINE` process (the model is loaded once per
partition), writes the partition's JSONL records to its stdin and reads exactly one output
line per input line: a wenshu.result/1 line, or a wenshu.error/1 line with the record's id.
A record without an id of its own gets sha256:<16 hex digits of its text's SHA-256>, the id a plain
`wenshu run` gives it, so the output joins back to the input however Spark partitions it.
Checked in CI by scripts/spark/test-spark-local.sh (local mode, compared with a plain run).

usage: spark-submit spark_pipe.py --wenshu /path/to/wenshu --pipeline pipelines/nightly-criminal.yaml \
           --input 'corpus/*.jsonl' --output out/spark [--partitions 8]
"""
import argparse
import json
import os
import shlex

from pyspark.sql import SparkSession


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wenshu", required=True, help="path of the wenshu binary on every executor")
    ap.add_argument("--pipeline", required=True, help="pipeline file (its model and text settings are used)")
    ap.add_argument("--input", required=True, help="JSONL records (a path or glob Spark can read)")
    ap.add_argument("--output", required=True, help="output folder: results/ and errors/ text parts")
    ap.add_argument("--partitions", type=int, default=0)
    ap.add_argument("--workers", type=int, default=1, help="wenshu worker threads per partition")
    args = ap.parse_args()

    spark = SparkSession.builder.appName("wenshu-filter").getOrCreate()
    sc = spark.sparkContext
    lines = sc.textFile(args.input).filter(lambda l: l.strip() != "")
    if args.partitions > 0:
        lines = lines.repartition(args.partitions)
    command = shlex.join([os.path.abspath(args.wenshu), "filter", os.path.abspath(args.pipeline),
                          "--workers", str(args.workers)])
    out = lines.pipe(command, env={"WENSHU_LOG_LEVEL": "warning"}).cache()
    tagged = out.map(lambda l: (json.loads(l).get("schema"), l))
    tagged.filter(lambda t: t[0] == "wenshu.result/1").values().saveAsTextFile(os.path.join(args.output, "results"))
    tagged.filter(lambda t: t[0] == "wenshu.error/1").values().saveAsTextFile(os.path.join(args.output, "errors"))
    n_in, n_out = lines.count(), out.count()
    print(json.dumps({"input_lines": n_in, "output_lines": n_out}))
    spark.stop()
    if n_in != n_out:
        raise SystemExit(f"wenshu filter returned {n_out} lines for {n_in} input lines")


if __name__ == "__main__":
    main()
