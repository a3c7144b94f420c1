#!/usr/bin/env bash
# The runs behind docs/results.md "FedAvg on MNIST" (McMahan et al. 2017): FedAvg on 100 clients, 10 a round,
# B = 10, IID and pathological non-IID (2 label-sorted shards of 300 a client), 3 seeds, stopping at the
# paper's target. The 2NN (E = 1, lr 0.1, target 97 %) always; the CNN (E = 5, lr 0.1, target 99 %) with
# MODELS="mlp cnn" (about 6 minutes a CNN IID run on two cores). One sweep per model, each with its
# sweep.md table (rounds to the target and how many seeds reached it, final and best accuracy):
# OUT/mlp and OUT/cnn.
# Usage: scripts/fedavg-grid.sh [OUT (default runs/fedavg)] [MNIST folder (default ../shared/data/mnist)]
# Finished runs are skipped and interrupted ones resume, so the script can be stopped and started again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/runs/fedavg}"
mnist="${2:-$root/../shared/data/mnist}"
cohort="${COHORT:-$root/cohort}"
for model in ${MODELS:-mlp}; do
  "$cohort" sweep "$root/examples/fedavg-$model-iid.yaml" --grid partition.kind="${PARTITIONS:-iid,shards}" \
    --seeds "${SEEDS:-3}" --parallel "${PARALLEL:-1}" --set dataset.root="$mnist" --set client.lr=0.1 \
    --set eval.clients=false --set diagnostics.enabled=false --out "$out/$model" \
    || echo "failed runs in $out/$model" >&2
done
