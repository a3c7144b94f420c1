#!/usr/bin/env bash
# The seeded robustness grid behind docs/results.md "Robustness: aggregators against attacks": the 2NN on
# 25 MNIST clients, all in every round, one local step, 100 rounds, 5 Byzantine; every rule at its defaults
# against each attack, 3 seeds. OUT/iid has sweep.md (final accuracy, mean ± sd, and centered clipping's
# clipped fraction). Extra settings go after the folders, e.g. a Dirichlet partition or worker momentum:
#   scripts/robustness-grid.sh runs/robustness-dir ../shared/data/mnist --set partition.kind=dirichlet --set partition.alpha=0.5
# Usage: scripts/robustness-grid.sh [OUT (default runs/robustness)] [MNIST folder (default ../shared/data/mnist)] [--set k=v ...]
# Finished runs are skipped and interrupted ones resume, so the script can be stopped and started again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/runs/robustness}"
mnist="${2:-$root/../shared/data/mnist}"
shift $(( $# < 2 ? $# : 2 ))
cohort="${COHORT:-$root/cohort}"
"$cohort" sweep "$root/examples/robustness-grid.yaml" --seeds "${SEEDS:-3}" --parallel "${PARALLEL:-1}" \
  --set dataset.root="$mnist" --set attack.byzantine=5 \
  --grid aggregator.name="${AGGREGATORS:-mean,median,trimmed-mean,krum,geometric-median,centered-clipping,bulyan}" \
  --grid attack.name="${ATTACKS:-none,bit-flip,label-flip,alie,ipm}" "$@" --out "$out/iid"
