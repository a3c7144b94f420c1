#!/usr/bin/env bash
# The runs behind docs/results.md "Accuracy against bytes": FedAvg on MNIST (the 2NN, 100 clients, 10 a
# round, E = 1, B = 10, lr 0.1, 100 rounds), IID and pathological non-IID (2 shards a client), 3 seeds, with
# each uplink compressor at its defaults (threshold at tau = 0.005, which suits these updates), and top-k
# and sign with error feedback. Per partition P (target 97 % IID, 90 % shards) three sweeps, each with its
# sweep.md table (final and best accuracy, rounds and uplink bytes to the target, uplink bytes of the run)
# and report.html (accuracy against cumulative uplink bytes): OUT/P (the codes at their defaults),
# OUT/P-threshold and OUT/P-ef (top-k and sign with error feedback).
# Usage: scripts/compression-grid.sh [OUT (default runs/compression)] [MNIST folder (default ../shared/data/mnist)]
# Finished runs are skipped and interrupted ones resume, so the script can be stopped and started again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/runs/compression}"
mnist="${2:-$root/../shared/data/mnist}"
cohort="${COHORT:-$root/cohort}"
codes="${CODES:-none,sign,terngrad,qsgd,stochastic-rounding,natural,topk,randk,fp16,bf16,tf32,fp8-e4m3,fp8-e5m2,int8,lazy,powersgd}"
declare -A target=([iid]=0.97 [shards]=0.90)
for partition in ${PARTITIONS:-iid shards}; do
  common=(--seeds "${SEEDS:-3}" --parallel "${PARALLEL:-1}" --set dataset.root="$mnist" --set partition.kind="$partition"
    --target "${target[$partition]}" --set eval.clients=false --set diagnostics.enabled=false)
  sweep() { "$cohort" sweep "$root/examples/compress-mlp.yaml" "${common[@]}" "$@" || echo "failed runs in ${*: -1}" >&2; }
  sweep --grid compression.uplink.name="$codes" --out "$out/$partition"
  sweep --grid compression.uplink.name=threshold --set compression.uplink.threshold=0.005 --out "$out/$partition-threshold"
  sweep --grid compression.uplink.name=topk,sign --set compression.uplink.error_feedback=ef --out "$out/$partition-ef"
done
