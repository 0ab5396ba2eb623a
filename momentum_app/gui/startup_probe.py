"""``MOMENTUM_STARTUP_PROBE=1 momentum``: report the first paints of the launch, then quit.

For measuring cold start on the real command (``bench/gui_bench.py`` launches ``python -m
momentum_app`` with it). It prints, on standard output, ``painted <seconds since the
process started> <resident KiB> <CPU seconds>`` at the startup window's first paint,
then ``ready …`` at the real window's first paint (database open, Today shown), and closes
the window normally. The CPU seconds are the process's (all its threads, user + system):
on a loaded machine they say what the launch cost when the wall time says how long it
waited. Nothing else changes: what is measured is what a person launching Momentum gets.

``MOMENTUM_STARTUP_PROBE=hold`` prints the same lines but leaves the window open (until
it is closed or sent SIGTERM), so a test can look at the screen it painted
(``tests/gui/test_gui_real_screen.py``, under a real X server).
``MOMENTUM_STARTUP_PROBE=modules`` is ``1`` with, after each line, ``modules <name>…``:
every module imported at that paint (``tests/gui/test_gui_launch.py`` checks that the
real window is ready before SQLAlchemy is loaded).
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
    """Prints ``<label> <seconds> <KiB> <CPU seconds>`` at ``window``'s first paint (then
    quits, if told)."""

    def __init__(self, window: QWidget, label: str = "painted", *, quit_after: bool = True,
                 modules: bool = False) -> None:
        super().__init__(window)
        self._seen = False
        self._label, self._quit_after, self._modules = label, quit_after, modules
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.Paint and not self._seen:
            self._seen = True
            sys.stdout.write(f"{self._label} {process_seconds():.3f} {resident_kib()} "
                             f"{time.process_time():.3f}\n")
            if self._modules:
                sys.stdout.write(f"modules {' '.join(sorted(sys.modules))}\n")
            sys.stdout.flush()
            if self._quit_after:
                QTimer.singleShot(0, QApplication.quit)
        return False


def install_if_asked(window: QWidget, label: str, *, quit_after: bool
                     ) -> FirstPaintProbe | None:
    mode = os.environ.get(ENV)
    if mode not in ("1", "hold", "modules"):
        return None
    return FirstPaintProbe(window, label, quit_after=quit_after and mode != "hold",
                           modules=mode == "modules")
