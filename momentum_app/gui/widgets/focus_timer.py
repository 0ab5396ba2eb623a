"""Focus sessions: a time slot run as a countdown, in the window and in the system tray.

:class:`FocusSession` keeps no time of its own: it asks an injectable clock (the
core's :class:`~momentum_app.core.clock.Clock`, the same one the services use) how much
is left, and a QTimer only decides when to ask. Tests move a ``FixedClock`` and call
:meth:`FocusSession.tick` — no sleeping. When the countdown reaches zero the session
emits ``finished`` with the slot; the window completes it through the controller.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ...core.clock import Clock
from ..changes import ItemRef
from ..theme import ThemeManager
from .common import ElidedLabel, label, spaced

TICK_MS = 1000


def countdown_text(seconds: int) -> str:
    """"24:05", or "1:02:09" from an hour on."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


@dataclass(frozen=True)
class FocusState:
    ref: ItemRef
    title: str
    started_at: datetime
    ends_at: datetime

    @property
    def total_seconds(self) -> int:
        return max(1, int((self.ends_at - self.started_at).total_seconds()))


class FocusSession(QObject):
    """One focus session at a time; the clock says how long is left."""

    started = Signal(object)  # FocusState
    ticked = Signal(int)  # seconds left
    finished = Signal(object)  # FocusState: the countdown ran out (or "done" was pressed)
    stopped = Signal(object)  # FocusState: ended without completing the slot

    def __init__(self, clock: Clock, parent: QObject | None = None,
                 tick_ms: int = TICK_MS) -> None:
        super().__init__(parent)
        self.clock = clock
        self.state: FocusState | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self.tick)

    @property
    def active(self) -> bool:
        return self.state is not None

    def start(self, ref: ItemRef, title: str, minutes: int) -> FocusState:
        if self.state is not None:
            self.cancel()
        now = self.clock.now()
        self.state = FocusState(ref, title, now, now + timedelta(minutes=max(1, minutes)))
        self.timer.start()
        self.started.emit(self.state)
        self.ticked.emit(self.remaining_seconds())
        return self.state

    def remaining_seconds(self) -> int:
        if self.state is None:
            return 0
        left = (self.state.ends_at - self.clock.now()).total_seconds()
        return max(0, math.ceil(left))

    def elapsed_fraction(self) -> float:
        if self.state is None:
            return 0.0
        return 1 - self.remaining_seconds() / self.state.total_seconds

    def tick(self) -> None:
        """Ask the clock; finish when nothing is left (the timer calls this every second)."""
        if self.state is None:
            return
        left = self.remaining_seconds()
        self.ticked.emit(left)
        if left <= 0:
            self.finish_now()

    def finish_now(self) -> None:
        state = self._end()
        if state is not None:
            self.finished.emit(state)

    def cancel(self) -> None:
        state = self._end()
        if state is not None:
            self.stopped.emit(state)

    def _end(self) -> FocusState | None:
        state, self.state = self.state, None
        self.timer.stop()
        return state


class FocusBar(QFrame):
    """The running session under the header: what, how long is left, done or stop."""

    def __init__(self, session: FocusSession, theme: ThemeManager,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._theme = theme
        self.setObjectName("FocusBar")
        self.setAccessibleName("Focus session")
        row = spaced(QHBoxLayout(self), 14, (24, 8, 20, 8))
        self.icon = QLabel()
        row.addWidget(self.icon)
        self.caption = label("FOCUS", "caption")
        row.addWidget(self.caption)
        self.title = ElidedLabel("", "h3")
        row.addWidget(self.title, 1)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(180)
        self.progress.setAccessibleName("Focus progress")
        row.addWidget(self.progress)
        self.time_label = QLabel("00:00")
        self.time_label.setObjectName("FocusTime")
        self.time_label.setAccessibleName("Time left")
        self.time_label.setMinimumWidth(80)
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.time_label)
        self.done_button = QPushButton("Done")
        self.done_button.setProperty("role", "primary")
        self.done_button.setToolTip("Finish now and complete the time slot")
        self.done_button.clicked.connect(session.finish_now)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("End the session without completing the slot")
        self.stop_button.clicked.connect(session.cancel)
        row.addWidget(self.done_button)
        row.addWidget(self.stop_button)
        self.setVisible(False)
        session.started.connect(self._on_started)
        session.ticked.connect(self._on_tick)
        session.finished.connect(lambda _state: self.setVisible(False))
        session.stopped.connect(lambda _state: self.setVisible(False))
        theme.changed.connect(lambda _tokens: self._paint_icon())
        self._paint_icon()

    def _paint_icon(self) -> None:
        self.icon.setPixmap(self._theme.icon("fa5s.stopwatch", "accent").pixmap(18, 18))

    def _on_started(self, state: FocusState) -> None:
        self.title.set_full_text(state.title)
        self.setVisible(True)

    def _on_tick(self, seconds: int) -> None:
        self.time_label.setText(countdown_text(seconds))
        self.progress.setValue(round(self.session.elapsed_fraction() * 1000))
        self.setAccessibleDescription(f"{countdown_text(seconds)} left")
