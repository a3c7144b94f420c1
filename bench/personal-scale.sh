#!/usr/bin/env bash
# Personal models at scale: Ditto on MNIST with the 2NN (199,210 parameters, 796,840 bytes a personal model) over
# 10,000 clients (6 training samples and 1 test sample each), its client state held within client_state.memory_mb
# and the rest spilled to a folder (docs/benchmarks.md). The last round evaluates every client's personal model,
# reading each from the store. Prints the load average, the run's per-round lines, its client_state statement
# (peak bytes in memory, vectors on disk, spill traffic) and peak RSS; the spill is removed at the end.
# Usage: bench/personal-scale.sh          (CLIENTS=10000 PER_ROUND=1000 ROUNDS=10 MEMORY_MB=1024 SPILL=<temp folder>)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
clients="${CLIENTS:-10000}"
per_round="${PER_ROUND:-1000}"
rounds="${ROUNDS:-10}"
memory="${MEMORY_MB:-1024}"
work="$(mktemp -d "${TMPDIR:-/tmp}/cohort-personal-scale-XXXXXX")"
spill="${SPILL:-$work/spill}"
trap 'rm -rf "$work" "$spill"' EXIT
"$root/cohort" --help > /dev/null   # builds once, outside the timing
cat > "$work/experiment.yaml" <<YAML
dataset:
  name: mnist
partition:
  kind: iid
  clients: $clients
model: mlp
algorithm:
  name: ditto
  lambda: 0.1
rounds: $rounds
clients_per_round: $per_round
client:
  steps: 2
  batch_size: 6
  lr: 0.05
eval:
  every: $rounds
diagnostics:
  enabled: false
client_state:
  memory_mb: $memory
  folder: $spill
seed: 0
YAML
echo "commit $(git -C "$root" rev-parse --short HEAD); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -v -o "$work/time.txt" nice -n 10 "$root/cohort" run "$work/experiment.yaml" --out "$work/run"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E "Maximum resident set size|Elapsed \(wall clock\)|User time|System time|File system (inputs|outputs)" "$work/time.txt"
