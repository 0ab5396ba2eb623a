"""``MOMENTUM_STARTUP_PROBE=1 momentum``: report the first paint of the window, then quit.

For measuring cold start on the real command (``bench/gui_bench.py`` launches ``python -m
momentum_app`` with it): at the window's first paint it prints ``painted <seconds since
the process started> <resident KiB>`` on standard output and closes the window normally.
Nothing else changes, so what is measured is what a person launching Momentum gets.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ENV = "MOMENTUM_STARTUP_PROBE"


def process_seconds() -> float:
    """Seconds since this process started (Linux: from /proc; elsewhere since import)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            start_ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as uptime:
            now = float(uptime.read().split()[0])
        return now - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.perf_counter()


def resident_kib() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class FirstPaintProbe(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._seen = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.Paint and not self._seen:
            self._seen = True
            sys.stdout.write(f"painted {process_seconds():.3f} {resident_kib()}\n")
            sys.stdout.flush()
            QTimer.singleShot(0, QApplication.quit)
        return False


def install_if_asked(window: QWidget) -> FirstPaintProbe | None:
    return FirstPaintProbe(window) if os.environ.get(ENV) == "1" else None
