#!/usr/bin/env python3
"""Runs the Kubernetes Indexed Job and the Slurm job array of pipelines/examples/ locally, as
the scheduler would start them: every index at once, each with the variables the scheduler sets.

usage: scheduler_local.py k8s   --example pipelines/examples/k8s-indexed-job.yaml --root DIR --wenshu BIN
       scheduler_local.py slurm --example pipelines/examples/slurm-array.sh --root DIR --wenshu BIN

k8s: reads completions, parallelism, the container's command, env and workingDir from the Job
manifest; DIR plays the pod's working folder (the image's files plus the mounted volumes, shared
by every pod as the persistent volumes are); the image's binary (/usr/local/bin/wenshu) is BIN.
Each pod gets JOB_COMPLETION_INDEX (0..completions-1, what Kubernetes sets for Indexed Jobs),
the manifest's env and HOSTNAME; its stdout and stderr go to DIR/out/pod-<i>.log.
slurm: reads #SBATCH --array, --cpus-per-task and --output from the script and runs the script
itself with bash once per array index, with SLURM_ARRAY_TASK_ID, _MIN, _MAX, _COUNT,
SLURM_ARRAY_JOB_ID, SLURM_JOB_ID, SLURM_CPUS_PER_TASK and SLURM_SUBMIT_DIR=DIR (where the script
expects ./.build/release/wenshu: BIN is linked there), output to --output with %A and %a filled in.
A task that exits non-zero fails the job (exit 1).
"""
import argparse
import json
import os
import re
import subprocess
import sys


def k8s(a):
    text = open(a.example, encoding="utf-8").read()
    completions = int(re.search(r"^\s*completions:\s*(\d+)", text, re.M).group(1))
    parallelism = int(re.search(r"^\s*parallelism:\s*(\d+)", text, re.M).group(1))
    command = json.loads(re.search(r"^\s*command:\s*(\[.*\])\s*$", text, re.M).group(1))
    env = dict(re.findall(r"-\s*name:\s*(\S+)\s*\n\s*value:\s*\"?([^\"\n]*)\"?", text))
    if command[0] == "/usr/local/bin/wenshu":
        command[0] = os.path.abspath(a.wenshu)
    print(f"k8s: {completions} completions, parallelism {parallelism}, env {env}, command {command}")
    os.makedirs(os.path.join(a.root, "out"), exist_ok=True)
    procs, failed = [], 0
    for i in range(completions):
        e = dict(os.environ)
        for k in ("SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "WENSHU_SHARD_COUNT"):
            e.pop(k, None)
        e.update(env)
        e.update({"JOB_COMPLETION_INDEX": str(i), "HOSTNAME": f"wenshu-nightly-{i}-pod"})
        log = open(os.path.join(a.root, "out", f"pod-{i}.log"), "wb")
        procs.append((i, subprocess.Popen(command, cwd=a.root, env=e, stdout=log, stderr=subprocess.STDOUT)))
        if len([p for _, p in procs if p.poll() is None]) >= parallelism:
            procs[0][1].wait()
    for i, p in procs:
        rc = p.wait()
        print(f"pod {i}: exit {rc}")
        # Exit 1 (some documents failed) fails the pod too, as it would in Kubernetes; the check
        # reports it but compares the records all the same.
        if rc not in (0, 1):
            failed += 1
    return failed


def slurm(a):
    text = open(a.example, encoding="utf-8").read()
    lo, hi = map(int, re.search(r"^#SBATCH\s+--array=(\d+)-(\d+)", text, re.M).groups())
    cpus = re.search(r"^#SBATCH\s+--cpus-per-task=(\d+)", text, re.M).group(1)
    output = re.search(r"^#SBATCH\s+--output=(\S+)", text, re.M).group(1)
    job = "4242"
    os.makedirs(os.path.join(a.root, ".build", "release"), exist_ok=True)
    link = os.path.join(a.root, ".build", "release", "wenshu")
    if not os.path.exists(link):
        os.symlink(os.path.abspath(a.wenshu), link)
    print(f"slurm: array {lo}-{hi}, {cpus} cpus per task, output {output}")
    procs, failed = [], 0
    for t in range(lo, hi + 1):
        e = dict(os.environ)
        for k in ("JOB_COMPLETION_INDEX", "JOB_COMPLETIONS", "WENSHU_SHARD_COUNT"):
            e.pop(k, None)
        e.update({"SLURM_ARRAY_TASK_ID": str(t), "SLURM_ARRAY_TASK_MIN": str(lo), "SLURM_ARRAY_TASK_MAX": str(hi),
                  "SLURM_ARRAY_TASK_COUNT": str(hi - lo + 1), "SLURM_ARRAY_TASK_STEP": "1",
                  "SLURM_ARRAY_JOB_ID": job, "SLURM_JOB_ID": str(int(job) + t), "SLURM_CPUS_PER_TASK": cpus,
                  "SLURM_SUBMIT_DIR": os.path.abspath(a.root), "SLURM_JOB_NAME": "wenshu-nightly"})
        log_path = os.path.join(a.root, output.replace("%A", job).replace("%a", str(t)))
        os.makedirs(os.path.dirname(log_path), exist_ok=True)
        log = open(log_path, "wb")
        # sbatch starts the script from the submit folder with bash.
        procs.append((t, subprocess.Popen(["bash", os.path.abspath(a.example)], cwd=a.root, env=e,
                                          stdout=log, stderr=subprocess.STDOUT)))
    for t, p in procs:
        rc = p.wait()
        print(f"array task {t}: exit {rc}")
        if rc != 0:
            failed += 1
    return failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["k8s", "slurm"])
    ap.add_argument("--example", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--wenshu", required=True)
    a = ap.parse_args()
    failed = k8s(a) if a.mode == "k8s" else slurm(a)
    if failed:
        sys.exit(f"{failed} tasks failed")


if __name__ == "__main__":
    main()
