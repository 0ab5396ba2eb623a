"""Runs the real-window suite (``tests/gui/x11``) on a private Xvfb display.

The test starts Xvfb itself (``-displayfd`` picks a free display), runs the suite in a
subprocess with ``DISPLAY`` and ``QT_QPA_PLATFORM=xcb``, and stops Xvfb afterwards. It
skips only when Xvfb is not installed (``scripts/system-deps.sh`` installs it; CI has it).
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

XVFB = shutil.which("Xvfb")
SUITE = Path(__file__).parent / "x11"
pytestmark = [pytest.mark.gui,
              pytest.mark.skipif(XVFB is None, reason="Xvfb is not installed")]


@pytest.fixture(scope="module")
def x_display() -> Iterator[str]:
    assert XVFB is not None
    read, write = os.pipe()
    server = subprocess.Popen(
        [XVFB, "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        ready, _, _ = select.select([read], [], [], 20)
        number = os.read(read, 32).decode().strip() if ready else ""
        if not number:
            pytest.fail("Xvfb did not report a display within 20 s")
        yield f":{number}"
    finally:
        os.close(read)
        server.terminate()
        server.wait(timeout=10)


def test_the_real_window_suite_passes_under_x11(x_display: str) -> None:
    env = {**os.environ, "DISPLAY": x_display, "QT_QPA_PLATFORM": "xcb"}
    env.pop("WAYLAND_DISPLAY", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "-o", "addopts=", str(SUITE)],
        env=env, capture_output=True, text=True, timeout=300, check=False)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "4 passed" in report and "skipped" not in report, report
