#!/usr/bin/env bash
# Install Momentum (editable) into .venv: `scripts/install.sh` or `scripts/install.sh test`
# for the test extra. Runs pip only when needed: the first time, and again when the
# project's metadata (pyproject.toml: dependencies, entry points, packages), or the venv's
# Python changed since the last install (a stamp file in .venv says which).
# The install is editable, so a change to the code itself needs no reinstall.
set -euo pipefail
cd "$(dirname "$0")/.."
extra="${1:-}"
if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv (on Debian/Ubuntu this needs the python3-venv package)…"
  python3 -m venv .venv
fi
target="."
[ -n "$extra" ] && target=".[$extra]"
stamp=".venv/.momentum-install-stamp${extra:+-$extra}"
wanted="$( { cat pyproject.toml; .venv/bin/python --version; } | sha256sum | cut -d' ' -f1)"
if [ -x .venv/bin/momentum ] && [ "$(cat "$stamp" 2>/dev/null || true)" = "$wanted" ]; then
  exit 0
fi
echo "Installing Momentum${extra:+ with its $extra extra} into .venv (the first time" \
     "downloads about 150 MB, mostly Qt)…"
.venv/bin/python -m pip install --upgrade --progress-bar on pip
.venv/bin/python -m pip install --progress-bar on -e "$target"
echo "$wanted" >"$stamp"
# An install with an extra includes the plain one.
[ -n "$extra" ] && echo "$wanted" >.venv/.momentum-install-stamp
echo "Installed."
