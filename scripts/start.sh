#!/usr/bin/env bash
# Install Momentum into .venv and open the window (pass --demo for sample data).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/system-deps.sh
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
exec .venv/bin/momentum "$@"
