#!/usr/bin/env bash
# Update ingest of a served run on loopback over TLS: `cohort serve` in its own process, N clients
# uploading the CNN's update every round over the gRPC service (docs/benchmarks.md). Prints one JSON line per
# client count, with the machine's load average, since server and clients share its cores with everything else.
# Round 1 includes the JIT's warm-up. Against the old protocol in the same run: bench/ingest-compare.sh.
# Usage: bench/ingest.sh            (CLIENTS="10 100" ROUNDS=3 by default)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for clients in ${CLIENTS:-10 100}; do
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$root/cohort" bench ingest --clients "$clients" --rounds "${ROUNDS:-3}"
done
