#!/usr/bin/env bash
# Builds everything (warnings are errors) and runs the test suite.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build Cohort.sln -c Release -nologo -v q -clp:ErrorsOnly
dotnet test Cohort.sln -c Release --no-build -nologo -v q --logger "console;verbosity=minimal"
