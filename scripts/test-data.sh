#!/usr/bin/env bash
# Fills the `cohort data fetch` cache ($COHORT_DATA, else ~/.cache/cohort/data) with the data sets the
# tests read, for each one that ../shared/data lacks (or all of them with COHORT_IGNORE_SHARED_DATA=1).
# A verified no-op for those already cached. Needs a built solution (test.sh builds it first).
set -euo pipefail
cd "$(dirname "$0")/.."
for name in mnist fashion-mnist fortunes; do
  if [ "${COHORT_IGNORE_SHARED_DATA:-}" = 1 ] || [ ! -d "../shared/data/$name" ]; then
    # The fortunes come from a Debian package: apt-get needs its package lists.
    if [ "$name" = fortunes ] && [ "$(id -u)" = 0 ] && ! apt-cache show fortunes >/dev/null 2>&1; then
      apt-get update -qq >/dev/null
    fi
    src/Cohort.Cli/bin/Release/net10.0/cohort data fetch "$name"
  fi
done
