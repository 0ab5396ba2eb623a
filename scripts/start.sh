#!/usr/bin/env bash
# Install Momentum into .venv if needed (scripts/install.sh) and open the window
# (pass --demo for sample data).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/system-deps.sh
./scripts/install.sh
exec .venv/bin/momentum "$@"
