#!/usr/bin/env bash
# Install Momentum with its test extra into .venv if needed (scripts/install.sh) and run
# the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/system-deps.sh
./scripts/install.sh test
# Lint first (pyproject.toml, [tool.ruff.lint]): a finding fails the run before pytest starts.
.venv/bin/python -m ruff check momentum_app
# One worker per core (pytest-xdist); tests are handed out one at a time, longest first
# (tests/conftest.py, RUN_FIRST). Pass -n 0 to run in one process.
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q --durations=15 \
  -n "${MOMENTUM_TEST_WORKERS:-auto}" --maxschedchunk=1 "$@"
