#!/usr/bin/env python3
"""Runs a Hadoop Streaming map-only job locally, as Hadoop would run it.

usage: hadoop_streaming_local.py --mapper CMD --files A,B --archives X.tgz#name --input FILE
                                 --output DIR [--splits N] [--job-name NAME]

Like Hadoop's TextInputFormat, the input file is cut into N byte ranges; a split reads every line
that starts inside its range. Each map task gets a fresh working folder holding a link to every
-files entry (by base name) and every -archives entry unpacked under its #name, runs the mapper
command there through `bash -c` with the split's lines (values only: streaming drops the byte-offset
keys) on stdin, and with the job configuration in its environment as Hadoop Streaming exports it
(dots as underscores: mapreduce_task_partition, mapreduce_map_input_file, _start, _length, ...).
Its stdout becomes part-m-NNNNN, each line written as KEY<TAB>VALUE with the whole line as the key
and an empty value (Hadoop's TextOutputFormat). A mapper that exits non-zero fails the job.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tarfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mapper", required=True)
    ap.add_argument("--files", default="")
    ap.add_argument("--archives", default="")
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--splits", type=int, default=3)
    ap.add_argument("--job-name", default="wenshu-filter")
    a = ap.parse_args()

    data = open(a.input, "rb").read()
    size = len(data)
    # Line start offsets, then each line to the split holding its first byte.
    starts, pos = [], 0
    while pos < size:
        nl = data.find(b"\n", pos)
        end = size if nl < 0 else nl
        starts.append((pos, data[pos:end]))
        pos = end + 1
    bounds = [size * i // a.splits for i in range(a.splits + 1)]
    os.makedirs(a.output, exist_ok=True)
    work = os.path.join(a.output, "_tasks")
    failed = 0
    for i in range(a.splits):
        lo, hi = bounds[i], bounds[i + 1]
        lines = [l for (s, l) in starts if lo <= s < hi]
        task = os.path.join(work, f"attempt_local_0001_m_{i:06d}_0")
        os.makedirs(task, exist_ok=True)
        for f in filter(None, a.files.split(",")):
            os.symlink(os.path.abspath(f), os.path.join(task, os.path.basename(f)))
        for spec in filter(None, a.archives.split(",")):
            path, _, name = spec.partition("#")
            dest = os.path.join(task, name or os.path.basename(path))
            with tarfile.open(path) as t:
                t.extractall(dest)
        env = dict(os.environ)
        env.update({
            "mapreduce_job_name": a.job_name, "mapreduce_job_reduces": "0",
            "mapreduce_task_partition": str(i), "mapreduce_task_ismap": "true",
            "mapreduce_task_id": f"task_local_0001_m_{i:06d}",
            "mapreduce_task_attempt_id": f"attempt_local_0001_m_{i:06d}_0",
            "mapreduce_map_input_file": "file:" + os.path.abspath(a.input),
            "mapreduce_map_input_start": str(lo), "mapreduce_map_input_length": str(hi - lo),
            "map_input_file": "file:" + os.path.abspath(a.input),
        })
        stdin = b"".join(l + b"\n" for l in lines)
        p = subprocess.run(["bash", "-c", a.mapper], cwd=task, env=env, input=stdin,
                           stdout=subprocess.PIPE, stderr=open(os.path.join(task, "stderr"), "wb"))
        out = p.stdout.decode("utf-8").split("\n")
        if out and out[-1] == "":
            out.pop()
        with open(os.path.join(a.output, f"part-m-{i:05d}"), "w", encoding="utf-8") as f:
            for line in out:
                key, tab, value = line.partition("\t")
                f.write(f"{key}\t{value}\n")
        print(f"map task {i}: {len(lines)} lines in, {len(out)} lines out, exit {p.returncode}")
        if p.returncode != 0:
            failed += 1
            sys.stderr.write(open(os.path.join(task, "stderr")).read()[-2000:])
        elif len(out) != len(lines):
            print(f"map task {i}: {len(out)} output lines for {len(lines)} input lines")
            failed += 1
    shutil.rmtree(work)
    if failed:
        sys.exit(f"{failed} map tasks failed")
    open(os.path.join(a.output, "_SUCCESS"), "w").close()


if __name__ == "__main__":
    main()
