#!/usr/bin/env bash
# Installs, builds and runs every test: C++ (Catch2) and Python (pytest) through ctest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./tools/setup.sh
cd build
ctest --output-on-failure -j"$(nproc 2>/dev/null || echo 2)"
