#!/usr/bin/env bash
# One FedAvg round of the CNN (10 clients x 600 samples x 5 epochs, B=10): Cohort on all cores
# against a plain PyTorch loop pinned to one core, measured in the same run.
# Usage: bench/compare_round.sh     (EPOCHS=5 by default; target: Cohort's time at most a third of PyTorch's)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
epochs="${EPOCHS:-5}"
. "$root/bench/peer_setup.sh"
ours="$("$root/cohort" bench round --epochs "$epochs")"
theirs="$(cd "$root/bench" && taskset -c 1 "$python" torch_round.py --epochs "$epochs")"
echo "$ours"
echo "$theirs"
"$python" - "$ours" "$theirs" <<'PY'
import json, sys
o, t = (json.loads(a) for a in sys.argv[1:3])
ratio = t["seconds_per_round"] / o["seconds_per_round"]
print(f"round: Cohort {o['seconds_per_round']:.1f} s ({o['threads']} threads), PyTorch {t['seconds_per_round']:.1f} s (1 core): "
      f"{ratio:.2f}x faster (target 3x): {'yes' if ratio >= 3 else 'no'}")
PY
