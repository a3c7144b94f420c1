#!/usr/bin/env bash
# The runs behind docs/results.md "Accuracy against bytes": FedAvg on MNIST (the 2NN, 100 clients, 10 a
# round, E = 1, B = 10, lr 0.1, 100 rounds), IID and pathological non-IID (2 shards a client), with each
# uplink compressor at its defaults (threshold at tau = 0.005, which suits these updates), and top-k and
# sign with error feedback. Then one comparison page per partition (cohort report ... --out).
# Usage: scripts/compression-grid.sh [OUT (default runs/compression)] [MNIST folder (default ../shared/data/mnist)]
# A run whose folder already holds summary.json is skipped, so the script can be stopped and started again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/runs/compression}"
mnist="${2:-$root/../shared/data/mnist}"
cohort="${COHORT:-$root/cohort}"
mkdir -p "$out"
codes=(none sign terngrad qsgd stochastic-rounding natural topk randk threshold fp16 bf16 tf32 fp8-e4m3 fp8-e5m2 int8 lazy powersgd topk+ef sign+ef)
for partition in iid shards; do
  folders=()
  for code in "${codes[@]}"; do
    name="${code%+ef}"
    run="$out/$partition-${code/+/-}"
    folders+=("$run")
    [ -f "$run/summary.json" ] && continue
    rm -rf "$run"
    extra=(--set compression.uplink.name="$name")
    [ "$code" != "$name" ] && extra+=(--set compression.uplink.error_feedback=ef)
    [ "$name" = threshold ] && extra+=(--set compression.uplink.threshold=0.005)
    "$cohort" run "$root/examples/compress-mlp.yaml" --set dataset.root="$mnist" --set partition.kind="$partition" "${extra[@]}" \
      --set eval.clients=false --set diagnostics.enabled=false --set threads=1 --out "$run" > "$run.log" 2>&1 \
      || echo "failed: $run (see $run.log)" >&2
  done
  "$cohort" report "${folders[@]}" --out "$out/$partition-comparison.html"
done
