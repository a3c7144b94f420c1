#!/usr/bin/env bash
# Training throughput of Cohort against PyTorch on one core, measured back to back.
# Usage: bench/compare.sh            (SECONDS_PER_RUN=3 REPEAT=5 CORE=1 by default)
# Prints, per (model, batch), the median samples/s of each over REPEAT alternating runs,
# their ratio and the target, and the median of the REPEAT ratios of neighbouring runs (less
# moved by the machine's speed drifting between runs); then GEMM 512³ against the core's peak.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${SECONDS_PER_RUN:-3}"
repeat="${REPEAT:-5}"
core="${CORE:-1}"
. "$root/bench/peer_setup.sh"

rate() { sed -n 's/.*"samples_per_second": *\([0-9.]*\).*/\1/p'; }
results=()
for model in cnn mlp; do
  for batch in 10 50; do
    ours=() theirs=()
    for ((r = 0; r < repeat; r++)); do
      ours+=("$(taskset -c "$core" "$root/cohort" bench train --model "$model" --batch "$batch" --seconds "$seconds" | rate)")
      theirs+=("$(taskset -c "$core" "$python" "$root/bench/torch_train.py" --model "$model" --batch "$batch" --seconds "$seconds" | rate)")
    done
    results+=("$model $batch $(IFS=,; echo "${ours[*]}") $(IFS=,; echo "${theirs[*]}")")
  done
done
gemm="$(taskset -c "$core" "$root/cohort" bench gemm --m 512 --n 512 --k 512)"

"$python" - "$gemm" "${results[@]}" <<'PY'
import json, statistics, sys
targets = {("cnn", 10): 1.5, ("cnn", 50): 1.2, ("mlp", 10): 2.5, ("mlp", 50): 1.5}
print(f"{'model':<6}{'batch':>6}{'Cohort/s':>11}{'PyTorch/s':>11}{'ratio':>8}{'pairs':>8}{'target':>8}  met")
for line in sys.argv[2:]:
    model, batch, ours, theirs = line.split()
    ov = [float(v) for v in ours.split(",")]
    tv = [float(v) for v in theirs.split(",")]
    o, t = statistics.median(ov), statistics.median(tv)
    pairs = statistics.median(a / b for a, b in zip(ov, tv))
    target = targets[(model, int(batch))]
    ratio = o / t
    print(f"{model:<6}{batch:>6}{o:>11.0f}{t:>11.0f}{ratio:>8.2f}{pairs:>8.2f}{target:>8.1f}  {'yes' if ratio >= target else 'no'}")
g = json.loads(sys.argv[1])
print(f"gemm 512^3: {g['gflops']:.1f} GFLOP/s = {g['peak_fraction'] * 100:.0f}% of 96 GFLOP/s (target 70%): {'yes' if g['peak_fraction'] >= 0.7 else 'no'}")
PY
