#!/usr/bin/env bash
# Update ingest of the gRPC service against the old /v1/ HTTP routes, in the same run (docs/benchmarks.md):
# builds the old protocol's last commit (7ce15cb, `cohort bench ingest --protocol http`) once in a temporary git
# worktree, keeps its binary under artifacts/ingest-old/<commit>, then alternates the two, ABBA (old, new, new, old,
# ...), so that neither always runs first on a machine whose speed drifts. Each run measures ROUNDS rounds; the first
# WARMUP rounds of each run (JIT, connections, first slot allocations) are left out of the medians.
# Usage: bench/ingest-compare.sh      (CLIENTS=100 ROUNDS=5 WARMUP=1 PAIRS=2 by default; a pair is one run of each)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
old_commit="${OLD_COMMIT:-7ce15cb}"
clients="${CLIENTS:-100}"
rounds="${ROUNDS:-5}"
warmup="${WARMUP:-1}"
pairs="${PAIRS:-2}"
if (( warmup >= rounds )); then
  echo "ingest-compare: WARMUP=$warmup leaves none of ROUNDS=$rounds rounds to measure" >&2
  exit 2
fi

# The old protocol's binary, built once per commit.
old_sha="$(git -C "$root" rev-parse --verify "$old_commit^{commit}")"
old_out="$root/artifacts/ingest-old/$old_sha"
if [ ! -x "$old_out/cohort" ]; then
  tree="$(mktemp -d /tmp/cohort-ingest-old.XXXXXX)"
  trap 'git -C "$root" worktree remove --force "$tree" >/dev/null 2>&1 || true; rm -rf "$tree"' EXIT
  echo "ingest-compare: building the old protocol ($old_commit) in $tree..." >&2
  git -C "$root" worktree add --quiet --detach "$tree" "$old_sha"
  rm -rf "$old_out.partial"
  dotnet build "$tree/src/Cohort.Cli/Cohort.Cli.csproj" -c Release -o "$old_out.partial" -nologo -v q -clp:ErrorsOnly -m:1 >&2
  rm -rf "$old_out" && mv "$old_out.partial" "$old_out"
fi
# The current protocol: the checkout's own tool (built by ./cohort when its sources changed).
"$root/cohort" --help >/dev/null

run() {
  local protocol="$1"
  echo "load average before $protocol: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  if [ "$protocol" = http ]; then
    "$old_out/cohort" bench ingest --clients "$clients" --rounds "$rounds" --protocol http
  else
    "$root/artifacts/cli/cohort" bench ingest --clients "$clients" --rounds "$rounds"
  fi
}

lines=()
for ((p = 0; p < pairs; p++)); do
  if (( p % 2 == 0 )); then order=(http grpc); else order=(grpc http); fi
  for protocol in "${order[@]}"; do
    line="$(run "$protocol")"
    echo "$line  load $(cut -d' ' -f1-3 /proc/loadavg)"
    lines+=("$line")
  done
done

/usr/bin/python3 - "$warmup" "$old_commit" "$(git -C "$root" rev-parse --short HEAD)" "${lines[@]}" <<'PY'
import json, statistics, sys
warmup, old, new = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rates = {"http": [], "grpc": []}
for line in sys.argv[4:]:
    run = json.loads(line)
    rates[run["protocol"]].append(run["mb_per_second"][warmup:])
names = {"http": f"http (/v1/ routes, {old})", "grpc": f"grpc ({new})"}
print(f"rounds after the first {warmup} of each run, MB/s:")
for protocol, runs in rates.items():
    pooled = [r for run in runs for r in run]
    per_run = ", ".join(f"{statistics.median(run):.1f}" for run in runs)
    print(f"  {names[protocol]:<28} median {statistics.median(pooled):6.1f}  (per run: {per_run}; {len(pooled)} rounds)")
ratio = statistics.median([r for run in rates["grpc"] for r in run]) / statistics.median([r for run in rates["http"] for r in run])
print(f"  grpc / http: {ratio:.2f}")
PY
