#!/usr/bin/env bash
# Builds everything (warnings are errors) and runs the test suite.
set -euo pipefail
cd "$(dirname "$0")"
# The dashboard test drives Debian's headless chromium; install it where it is missing and we may.
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "test.sh: installing chromium for the dashboard test..." >&2
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
dotnet build Cohort.sln -c Release -nologo -v q -clp:ErrorsOnly
# Tests read each data set from ../shared/data beside the repository when it is there, else from
# the `cohort data fetch` cache: fill the cache first where needed.
scripts/test-data.sh
dotnet test Cohort.sln -c Release --no-build -nologo -v q --logger "console;verbosity=minimal"
