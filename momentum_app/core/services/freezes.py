"""Streak freezes as the window reads them (SPEC v2 §4), through one accessor.

The engine keeps the rules; the read API returns, on the ``daily_activity`` entry of
``reads.streaks()`` / ``reads.progress().streaks``, ``freezes`` (held, 0–2) and
``frozen_days`` (ISO dates). :func:`freezes_of` is the only place that reads those keys:
where an entry does not carry them (an engine without freezes), it reads as no freeze
held and no frozen day — the truth for that engine, not a made-up value.

:func:`freeze_news` reads an outcome's ``freezes`` (the engine's ``FreezeChange``: held,
earned, used, returned) and says whether a freeze was earned or saved the streak, for
the window's toasts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

DAILY_ACTIVITY = "daily_activity"


@dataclass(frozen=True)
class Freezes:
    held: int = 0
    frozen_days: frozenset[date] = frozenset()

    @property
    def text(self) -> str:
        """"1 streak freeze" / "2 streak freezes" / "no streak freeze"."""
        if self.held <= 0:
            return "no streak freeze"
        return f"{self.held} streak freeze{'s' if self.held != 1 else ''}"


def _field(entry: Any, name: str, default: Any) -> Any:
    if isinstance(entry, Mapping):
        return entry.get(name, default)
    return getattr(entry, name, default)


def freezes_of(streaks: Iterable[Any]) -> Freezes:
    """The freezes of the ``daily_activity`` entry among ``streaks`` (dicts from the read
    API, or the engine's streak states in an outcome)."""
    entry = next((s for s in streaks if _field(s, "type", None) == DAILY_ACTIVITY), None)
    if entry is None:
        return Freezes()
    held = _field(entry, "freezes", 0)
    days = _field(entry, "frozen_days", ()) or ()
    frozen = frozenset(d if isinstance(d, date) else date.fromisoformat(str(d)) for d in days)
    return Freezes(max(0, int(held or 0)), frozen)


def has_freeze_data(streaks: Iterable[Any]) -> bool:
    """Whether the entry carries freezes at all (an engine that reports them)."""
    entry = next((s for s in streaks if _field(s, "type", None) == DAILY_ACTIVITY), None)
    return entry is not None and _field(entry, "freezes", None) is not None


@dataclass(frozen=True)
class FreezeNews:
    earned: int = 0
    #: Days newly bridged by a freeze.
    saved: tuple[date, ...] = ()


def freeze_news(change: Any) -> FreezeNews:
    """What one outcome did to the freezes: its ``freezes`` (the engine's ``FreezeChange``
    or its JSON) — freezes ``earned``, and the days it ``used`` a freeze on (the streak
    saved). A freeze given back by a backdated completion is no news."""
    earned = _field(change, "earned", 0) or 0
    used = _field(change, "used", ()) or ()
    return FreezeNews(max(0, int(earned)),
                      tuple(sorted(d if isinstance(d, date) else date.fromisoformat(str(d))
                                   for d in used)))
