#!/bin/bash
# A Slurm job array: 8 tasks, each runs one shard. Slurm sets SLURM_ARRAY_TASK_ID (here 1..8),
# SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT; Wenshu turns them into shard (id - min)/count.
# Submit from the repository root: sbatch pipelines/examples/slurm-array.sh
# Checked by scripts/engines/test-scheduler-example.sh slurm, which runs this script once per
# array index with the variables Slurm sets.
#SBATCH --job-name=wenshu-nightly
#SBATCH --array=1-8
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=04:00:00
#SBATCH --output=out/slurm-%A_%a.log
set -euo pipefail
cd "${SLURM_SUBMIT_DIR:-.}"
# Exit 1 (some documents failed) is not a task failure; 2 is, and Slurm reports it.
./.build/release/wenshu run pipelines/nightly-criminal.yaml --no-progress --workers "${SLURM_CPUS_PER_TASK:-2}" || [ $? -eq 1 ]
