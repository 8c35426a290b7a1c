#!/usr/bin/env bash
# Quick start: install, build, run scenarios/default.yaml (or the scenario given) and print
# its summary and the HDF5 file it wrote. Extra arguments go to `hybridsim run`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./tools/setup.sh
scenario=${1:-scenarios/default.yaml}
shift || true
./build/bin/hybridsim run "$scenario" "$@"
