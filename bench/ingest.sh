#!/usr/bin/env bash
# Update ingest of a served run on loopback over TLS: `cohort serve` in its own process, N clients
# uploading the CNN's update every round (docs/benchmarks.md). Prints one JSON line per protocol and
# client count, with the machine's load average, since server and clients share its cores with everything else.
# Usage: bench/ingest.sh            (CLIENTS="10 100" ROUNDS=3 PROTOCOLS="http grpc" by default:
#                                    the /v1/ HTTP routes and the gRPC services, in the same run)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for clients in ${CLIENTS:-10 100}; do
  for protocol in ${PROTOCOLS:-http grpc}; do
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    "$root/cohort" bench ingest --clients "$clients" --rounds "${ROUNDS:-3}" --protocol "$protocol"
  done
done
