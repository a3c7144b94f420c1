#!/usr/bin/env bash
# The runs behind docs/results.md "Local SGD against mini-batch SGD" (Lin et al. 2019, reduced scale):
# 16 IID Fashion-MNIST workers, the CNN, all taking part in every round, for each client learning rate:
#   local SGD, tau = 8 steps of batch 32 between communications, 40 rounds;
#   mini-batch SGD with as many gradients per communication (one step of batch 256), 40 rounds;
#   mini-batch SGD with local SGD's batch (one step of batch 32), 320 rounds: tau times the communications
#   for the same number of gradients.
# Usage: scripts/local-sgd-grid.sh [OUT (default runs/local-sgd)] [Fashion-MNIST folder (default ../shared/data/fashion-mnist)]
# A run whose folder already holds summary.json is skipped, so the script can be stopped and started again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/runs/local-sgd}"
fmnist="${2:-$root/../shared/data/fashion-mnist}"
cohort="${COHORT:-$root/cohort}"
rates="${RATES:-0.05 0.02 0.1}"
mkdir -p "$out"
for lr in $rates; do
  folders=()
  for spec in ${SPECS:-local-sgd:40:4 minibatch-same-gradients:40:4 minibatch-same-steps:320:32}; do
    IFS=: read -r name rounds every <<< "$spec"
    run="$out/$name-lr$lr"
    folders+=("$run")
    [ -f "$run/summary.json" ] && continue
    rm -rf "$run"
    "$cohort" run "$root/examples/local-sgd/$name.yaml" --set dataset.root="$fmnist" --set client.lr="$lr" \
      --set rounds="$rounds" --set eval.every="$every" --set eval.clients=false --set diagnostics.enabled=false \
      --set threads=1 --out "$run" > "$run.log" 2>&1 || echo "failed: $run (see $run.log)" >&2
  done
  "$cohort" report "${folders[@]}" --out "$out/lr$lr-comparison.html"
done
