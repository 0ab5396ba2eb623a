#!/usr/bin/env bash
# Install Momentum with its test extra into .venv if needed (scripts/install.sh) and run
# the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/system-deps.sh
./scripts/install.sh test
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q --durations=15 "$@"
