#!/usr/bin/env bash
# The seeded PowerSGD runs behind docs/results.md "PowerSGD with and without error feedback": FedAvg on
# MNIST (examples/compress-mlp.yaml: the 2NN, 100 clients, 10 a round, 100 rounds), IID (target 97 %) and
# label-sorted shards (target 90 %), 3 seeds: uncompressed and PowerSGD at its defaults (rank 2, error
# feedback), PowerSGD without error feedback, and PowerSGD at rank 8. Each of OUT/P, OUT/P-noef and
# OUT/P-rank8 has its sweep.md.
# Usage: scripts/powersgd-grid.sh [OUT (default runs/compression)] [MNIST folder (default ../shared/data/mnist)]
# Finished runs are skipped and interrupted ones resume, so the script can be stopped and started again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/runs/compression}"
mnist="${2:-$root/../shared/data/mnist}"
cohort="${COHORT:-$root/cohort}"
declare -A target=([iid]=0.97 [shards]=0.90)
for p in ${PARTITIONS:-iid shards}; do
  common=(--seeds "${SEEDS:-3}" --parallel "${PARALLEL:-1}" --set dataset.root="$mnist" --set partition.kind="$p"
    --target "${target[$p]}" --set eval.clients=false --set diagnostics.enabled=false)
  "$cohort" sweep "$root/examples/compress-mlp.yaml" "${common[@]}" --grid compression.uplink.name=none,powersgd --out "$out/$p"
  "$cohort" sweep "$root/examples/compress-mlp.yaml" "${common[@]}" --grid compression.uplink.name=powersgd \
    --set compression.uplink.error_feedback=none --out "$out/$p-noef"
  "$cohort" sweep "$root/examples/compress-mlp.yaml" "${common[@]}" --set compression.uplink.name=powersgd \
    --grid compression.uplink.rank=8 --out "$out/$p-rank8"
done
