#!/usr/bin/env bash
# The runs behind docs/results.md "Local SGD against mini-batch SGD" (Lin et al. 2019, reduced scale):
# 16 IID Fashion-MNIST workers, the CNN, all taking part in every round, client lr 0.02, 0.05, 0.1, 3 seeds:
#   OUT/local-sgd: local SGD, tau = 8 steps of batch 32 between communications, 40 rounds;
#   OUT/minibatch-same-gradients: mini-batch SGD with as many gradients per communication (one step of
#     batch 256), 40 rounds;
#   OUT/minibatch-same-steps: mini-batch SGD with local SGD's batch (one step of batch 32), 40 rounds and
#     320 rounds (tau times the communications for the same number of gradients).
# Each folder's sweep.md is its part of the table (final test accuracy, mean ± sd over the seeds).
# Usage: scripts/local-sgd-grid.sh [OUT (default runs/local-sgd)] [Fashion-MNIST folder (default ../shared/data/fashion-mnist)]
# Finished runs are skipped and interrupted ones resume, so the script can be stopped and started again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/runs/local-sgd}"
fmnist="${2:-$root/../shared/data/fashion-mnist}"
cohort="${COHORT:-$root/cohort}"
common=(--grid client.lr="${RATES:-0.02,0.05,0.1}" --seeds "${SEEDS:-3}" --parallel "${PARALLEL:-1}"
  --set dataset.root="$fmnist" --set eval.clients=false --set diagnostics.enabled=false)
for name in local-sgd minibatch-same-gradients; do
  "$cohort" sweep "$root/examples/local-sgd/$name.yaml" "${common[@]}" --set rounds=40 --set eval.every=4 \
    --out "$out/$name" || echo "failed runs in $out/$name" >&2
done
"$cohort" sweep "$root/examples/local-sgd/minibatch-same-steps.yaml" --grid rounds=40,320 "${common[@]}" --set eval.every=8 \
  --out "$out/minibatch-same-steps" || echo "failed runs in $out/minibatch-same-steps" >&2
