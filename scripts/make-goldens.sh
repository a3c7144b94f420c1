#!/usr/bin/env bash
# Records tests/Cohort.Cli.Tests/Goldens/ again: the metrics and final model of short runs of every
# example file and of a deployed run. Run it only when a change is meant to change results, and say
# which in the commit.
set -euo pipefail
cd "$(dirname "$0")/.."
COHORT_WRITE_GOLDENS=1 dotnet test tests/Cohort.Cli.Tests -c Release --filter "FullyQualifiedName~GoldenRunTests" "$@"
