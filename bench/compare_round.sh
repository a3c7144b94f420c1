#!/usr/bin/env bash
# One FedAvg round of the CNN (10 clients x 600 samples x 5 epochs, B=10): Cohort on all cores
# against a plain PyTorch loop pinned to one core, measured in the same run.
# Usage: bench/compare_round.sh     (EPOCHS=5 by default; target: Cohort's time at most a third of PyTorch's)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
epochs="${EPOCHS:-5}"
python=/usr/bin/python3
if ! dpkg -s python3-torch libopenblas0-pthread >/dev/null 2>&1 || ! "$python" -c "import torch" 2>/dev/null; then
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update
  $sudo_cmd apt-get install -y python3-torch libopenblas0-pthread
fi
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
"$root/cohort" --help >/dev/null 2>&1 || true
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
