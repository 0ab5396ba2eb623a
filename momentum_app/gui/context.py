"""What every view and dialog is handed: services to read, the controller to change things.

The composition root (:mod:`momentum_app.gui.app`) builds one :class:`GuiContext`; there
are no module-level singletons, so tests build as many windows as they like. The context
also keeps the perks in step with the level: every outcome carries the new level, and a
profile change re-reads it, before any view refreshes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..core.services import Momentum
from .changes import PROFILE, Change, Changes
from .controller import Controller
from .perks import Perks, Personalization
from .settings import UiSettings
from .theme import ThemeManager
from .timefmt import ProfileTime
from .worker import SerialWorker


@dataclass
class GuiContext:
    momentum: Momentum
    controller: Controller
    changes: Changes
    theme: ThemeManager
    settings: UiSettings
    worker: SerialWorker
    perks: Perks
    look: Personalization
    #: Off for screenshots and some tests: animations jump to their end.
    animations: bool = True
    #: The window's syncing (Settings ▸ Sync, :mod:`.sync_window`); built on first use.
    sync_session: Any = None
    _profile_time: ProfileTime | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.changes.changed.connect(self._on_change)

    def now(self) -> datetime:
        return self.momentum.clock.now()

    def profile_time(self) -> ProfileTime:
        if self._profile_time is None:
            profile = self.momentum.profiles.current()
            self._profile_time = ProfileTime(profile.timezone, profile.day_start_hour)
        return self._profile_time

    def today(self) -> date:
        return self.profile_time().today(self.now())

    def animation_ms(self, duration: int) -> int:
        return duration if self.animations else 0

    def current_level(self) -> int:
        return self.momentum.reads.progress().level.number

    def _on_change(self, change: Change) -> None:
        if change.touches(PROFILE):
            self._profile_time = None
        if change.outcome is not None:
            self.perks.set_level(change.outcome.level)
        elif change.touches(PROFILE):
            self.perks.set_level(self.current_level())
