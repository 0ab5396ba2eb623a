"""``momentum`` with no command: show a window at once, then open the database in it.

A cold start spends about a second importing SQLAlchemy, the core and the views and
reading the first screens (docs/BENCHMARKS.md §2). Rather than show nothing for that
second, the launch is staged (the pattern of Anki and qutebrowser):

1. With PySide6 alone imported, the application and a :class:`StartupWindow` — the
   window's own frame, geometry, theme colours, sidebar and header bands and an
   "Opening your data…" line — appear and are painted.
2. On the next turn of the event loop (after that first paint), the rest is imported and
   :func:`momentum_app.gui.app.start_gui` opens the database and builds the real window
   in the same place; the startup window then closes. A refused database, a second
   instance or a crash in between close it too and show their usual message.

This module imports only PySide6 and the light GUI modules (theme, settings, icons), so
stage 1 stays fast; ``tests/gui/test_gui_launch.py`` checks that it does. Before stage 2,
:func:`quicker_pyside_import_check` makes PySide6's import hook answer its one question
about each newly imported module (does its source mention PySide6?) from the file's bytes
(docs/BENCHMARKS.md §2).
"""

from __future__ import annotations

import importlib
import logging
import signal
import sys
from collections.abc import Callable, Sequence
from importlib import resources
from types import ModuleType
from typing import Any

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from .settings import UiSettings, default_settings
from .startup_probe import install_if_asked
from .theme import Tokens, resolve, system_prefers_dark

log = logging.getLogger(__name__)
#: Widths and heights of the real window's bands (main_window.py, header.py), so the
#: real window replaces the startup one without things jumping.
SIDEBAR_WIDTH = 224
HEADER_HEIGHT = 98
DEFAULT_SIZE = (1280, 820)
#: If the startup window is never painted (started minimised), open the database anyway.
PAINT_TIMEOUT_MS = 400


def app_icon() -> QIcon:
    return QIcon(str(resources.files("momentum_app.resources").joinpath("momentum.svg")))


def ensure_application(argv: Sequence[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(list(argv) if argv is not None else [sys.argv[0] if sys.argv else
                                                            "momentum"])
    app.setApplicationName("Momentum")
    app.setOrganizationName("Momentum")
    app.setApplicationDisplayName("Momentum")
    app.setDesktopFileName("momentum")
    app.setWindowIcon(app_icon())
    return app


class StartupWindow(QWidget):
    """What the window will look like, painted from the theme's tokens alone."""

    def __init__(self, tokens: Tokens, geometry: Any = None) -> None:
        super().__init__()
        self.tokens = tokens
        self.painted = False
        self.setWindowTitle("Momentum")
        self.setWindowIcon(app_icon())
        self.setAccessibleName("Momentum is starting")
        # Closed once the real window is up: free its backing store (4 MiB at 1280×820).
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(*DEFAULT_SIZE)
        if geometry is not None:
            self.restoreGeometry(geometry)
        self._on_first_paint: list[Any] = []

    def free_now(self) -> None:
        """Close and free the native window and its backing store at once (``close``
        alone keeps the 4 MiB backing store until the event loop deletes the widget)."""
        self.close()
        self.destroy()

    def when_painted(self, callback: Any) -> None:
        self._on_first_paint.append(callback)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt)
        tokens = self.tokens
        painter = QPainter(self)
        width, height = self.width(), self.height()
        painter.fillRect(self.rect(), QColor(tokens.window))
        painter.fillRect(QRect(0, 0, SIDEBAR_WIDTH, height), QColor(tokens.sidebar))
        painter.fillRect(QRect(SIDEBAR_WIDTH, 0, width - SIDEBAR_WIDTH, HEADER_HEIGHT),
                         QColor(tokens.surface))
        painter.setPen(QColor(tokens.border))
        painter.drawLine(SIDEBAR_WIDTH, 0, SIDEBAR_WIDTH, height)
        painter.drawLine(SIDEBAR_WIDTH, HEADER_HEIGHT, width, HEADER_HEIGHT)
        app_icon().paint(painter, QRect(18, 38, 30, 30))
        title = QFont(self.font())
        title.setPointSizeF(title.pointSizeF() + 4)
        title.setBold(True)
        painter.setFont(title)
        painter.setPen(QColor(tokens.text))
        painter.drawText(QRect(58, 38, SIDEBAR_WIDTH - 60, 30),
                         int(Qt.AlignmentFlag.AlignVCenter), "Momentum")
        painter.setFont(self.font())
        painter.setPen(QColor(tokens.text_muted))
        painter.drawText(QRect(SIDEBAR_WIDTH, HEADER_HEIGHT, width - SIDEBAR_WIDTH,
                               height - HEADER_HEIGHT),
                         int(Qt.AlignmentFlag.AlignCenter), "Opening your data…")
        painter.end()
        if not self.painted:
            self.painted = True
            callbacks, self._on_first_paint = self._on_first_paint, []
            for callback in callbacks:
                QTimer.singleShot(0, callback)  # after this paint reaches the screen


def dispose(startup: StartupWindow) -> None:
    """Free the startup window, unless the person already closed it (then Qt deleted it)."""
    if isValid(startup):
        startup.free_now()


def quit_on_signals(qapp: QApplication) -> QTimer:
    """Ctrl+C and SIGTERM close the window properly (state saved, lock released).

    Python only runs signal handlers between bytecodes, so a timer wakes it regularly
    while Qt's event loop (C++) has control.
    """
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_args: qapp.quit())
    heartbeat = QTimer(qapp)
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(300)
    return heartbeat


def startup_tokens(settings: UiSettings) -> Tokens:
    try:
        return resolve(settings.theme_mode, system_prefers_dark())
    except Exception:  # noqa: BLE001 (a preference must never stop the start)
        return resolve(settings.theme_mode.__class__("system"), system_prefers_dark())


def source_mentions_pyside(module: ModuleType, fallback: Callable[[ModuleType], bool]
                           ) -> bool:
    """Whether ``module``'s source contains "PySide6" (shiboken's test), read from its
    ``.py`` file's bytes; anything else (no file, an extension, a zip) asks ``fallback``."""
    path = getattr(module, "__file__", None)
    if isinstance(path, str) and path.endswith(".py"):
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            pass
    return fallback(module)


def quicker_pyside_import_check() -> bool:
    """Make PySide6's import hook ask :func:`source_mentions_pyside`; True if it could.

    Once PySide6 is imported, shiboken's ``__import__`` asks of every module imported for
    the first time whether its source mentions PySide6 (``shibokensupport.feature.
    _mod_uses_pyside``, for its ``__feature__`` switches) by ``inspect.getsource``: the
    file decoded and split into lines, kept in ``linecache``, for each of the ~350
    modules stage 2 imports (SQLAlchemy's included). The same answer from the file's bytes
    costs a read. Where that private function is missing (another PySide6), nothing changes.
    """
    try:
        feature = importlib.import_module("shibokensupport.feature")
    except ImportError:
        return False
    original = getattr(feature, "_mod_uses_pyside", None)
    if not callable(original) or getattr(original, "quicker", False):
        return original is not None

    def check(module: ModuleType) -> bool:
        return source_mentions_pyside(module, original)

    check.quicker = True  # type: ignore[attr-defined]
    vars(feature)["_mod_uses_pyside"] = check  # the hook looks it up by name at each call
    return True


def run_gui(db: str | None, profile: str | None, demo: bool) -> int:
    """The window, until it is closed: startup window first, then the real one."""
    logging.basicConfig(level=logging.WARNING)
    quicker_pyside_import_check()
    qapp = ensure_application()
    settings = UiSettings(default_settings())
    startup = StartupWindow(startup_tokens(settings), settings.geometry())
    probes = [install_if_asked(startup, "painted", quit_after=False)]
    state: dict[str, Any] = {"status": None, "composition": None, "error": None}
    begun: list[bool] = []  # set on entry: start_gui runs the event loop (demo splash, error boxes)

    def open_everything() -> None:
        if begun:
            return  # already under way or done (the first paint and the time-out both fire)
        begun.append(True)
        try:
            import_in_steps()
            from .app import start_gui  # noqa: PLC0415 (stage 2: the heavy imports)

            forget_imported_sources()
            started = start_gui(db, profile, demo)
        except BaseException as exc:  # noqa: BLE001 (re-raised once the loop has ended)
            state["error"] = exc
            dispose(startup)
            qapp.quit()
            return
        if isinstance(started, int):
            state["status"] = started
            dispose(startup)
            qapp.quit()
            return
        state["composition"] = started
        dispose(startup)  # the real window is up: free the startup one now
        forget_imported_sources()  # and the sources the views imported while being built
        probes.append(install_if_asked(started.window, "ready", quit_after=True))

    startup.when_painted(open_everything)
    QTimer.singleShot(PAINT_TIMEOUT_MS, open_everything)
    startup.show()
    quit_on_signals(qapp)
    qapp.setQuitOnLastWindowClosed(True)
    try:
        status = int(qapp.exec())
    finally:
        if state["composition"] is not None:
            state["composition"].close()
    if state["error"] is not None:
        raise state["error"]  # main() reports it (one line, details in the log)
    return state["status"] if state["status"] is not None else status


#: Stage 2's imports, a package at a time (biggest first); see :func:`import_in_steps`.
#: Not SQLAlchemy: the window's first screen is read without it when it can be, and the
#: full opening imports it (``opening.FULL_OPENING_STEPS``).
IMPORT_STEPS = ("momentum_app.core.services", "momentum_app.gui.widgets.common",
                "momentum_app.gui.main_window", "momentum_app.gui.app")


def import_in_steps(names: Sequence[str] = IMPORT_STEPS) -> None:
    """Import ``names`` a package at a time, forgetting the module sources PySide6's
    import hook read after each, so the memory they held is reused by the next package
    instead of piling up between long-lived objects: 131 → 116 MiB resident when the
    window is ready (docs/BENCHMARKS.md §2)."""
    for name in names:
        importlib.import_module(name)
        forget_imported_sources()


def forget_imported_sources() -> None:
    """Drop the module sources PySide6's import hook read into ``linecache``.

    For every module imported after PySide6, shiboken's ``__import__`` hook reads the
    module's source (``inspect.getsource``) to see whether it uses PySide6; the lines stay
    in ``linecache`` (measured: ~18 MiB after SQLAlchemy and the views). Tracebacks read
    them again when needed; the freed memory is reused by the window being built. Once
    :func:`quicker_pyside_import_check` has replaced that test, only what it hands back to
    shiboken's own (sources it cannot read as a file) still lands there.
    """
    import linecache  # noqa: PLC0415

    linecache.clearcache()  # plain strings: freed at once, no garbage collection needed
