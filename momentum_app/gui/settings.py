"""UI preferences in QSettings: window geometry, theme override, last view, schedule mode,
which toasts to show and for how long, quiet focus sessions, and the perk choices
(accent colour, background, badge style).

Only the window's own state lives here; everything about the game lives in the
database. A stored perk choice is only a wish: :mod:`momentum_app.gui.perks` applies it
while the perk is unlocked. Tests pass a QSettings on a temporary INI file
(:func:`settings_at`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from .theme import ThemeMode

ORGANIZATION = "Momentum"
APPLICATION = "Momentum"
#: What a toast can be about; each can be switched off in Settings.
TOAST_KINDS: tuple[tuple[str, str], ...] = (
    ("points", "Points for a completion"), ("achievements", "Achievements"),
    ("milestones", "Milestones"), ("streaks", "Streak bonuses"), ("levels", "Level-ups"))
TOAST_SECONDS = (2, 30)
DEFAULT_TOAST_SECONDS = 5
BACKGROUNDS = ("plain", "gradient", "dots", "grid", "waves")
BADGE_STYLES = ("classic", "hexagon", "shield", "rosette")


def settings_at(path: Path) -> QSettings:
    """Settings stored in an INI file at ``path`` (tests, screenshots, benchmarks)."""
    return QSettings(str(path), QSettings.Format.IniFormat)


def default_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION,
                     APPLICATION)


class UiSettings:
    """Typed access to the few preferences the window keeps."""

    def __init__(self, store: QSettings) -> None:
        self.store = store

    def _text(self, key: str, default: str) -> str:
        value = self.store.value(key, default)
        return value if isinstance(value, str) else default

    @property
    def theme_mode(self) -> ThemeMode:
        try:
            return ThemeMode(self._text("view/theme", ThemeMode.SYSTEM.value))
        except ValueError:
            return ThemeMode.SYSTEM

    @theme_mode.setter
    def theme_mode(self, mode: ThemeMode) -> None:
        self.store.setValue("view/theme", ThemeMode(mode).value)

    @property
    def last_view(self) -> str:
        return self._text("view/last", "today")

    @last_view.setter
    def last_view(self, view_id: str) -> None:
        self.store.setValue("view/last", view_id)

    @property
    def schedule_mode(self) -> str:
        mode = self._text("schedule/mode", "week")
        return mode if mode in ("day", "week") else "week"

    @schedule_mode.setter
    def schedule_mode(self, mode: str) -> None:
        self.store.setValue("schedule/mode", mode)

    # -- notifications ---------------------------------------------------------------------

    @property
    def toast_kinds(self) -> frozenset[str]:
        known = {kind for kind, _text in TOAST_KINDS}
        value = self.store.value("toasts/kinds")
        if value is None:
            return frozenset(known)
        items = value if isinstance(value, list) else str(value).split(",")
        return frozenset(str(item) for item in items if str(item) in known)

    @toast_kinds.setter
    def toast_kinds(self, kinds: frozenset[str]) -> None:
        self.store.setValue("toasts/kinds", ",".join(sorted(kinds)) or "none")

    @property
    def toast_seconds(self) -> int:
        try:
            seconds = int(str(self.store.value("toasts/seconds", DEFAULT_TOAST_SECONDS)))
        except ValueError:
            return DEFAULT_TOAST_SECONDS
        return max(TOAST_SECONDS[0], min(TOAST_SECONDS[1], seconds))

    @toast_seconds.setter
    def toast_seconds(self, seconds: int) -> None:
        self.store.setValue("toasts/seconds", int(seconds))

    @property
    def quiet_during_focus(self) -> bool:
        return self._flag("focus/quiet", True)

    @quiet_during_focus.setter
    def quiet_during_focus(self, quiet: bool) -> None:
        self.store.setValue("focus/quiet", "true" if quiet else "false")

    # -- perk choices ------------------------------------------------------------------------

    @property
    def accent_colour(self) -> str | None:
        value = self._text("perks/accent", "")
        return value or None

    @accent_colour.setter
    def accent_colour(self, colour: str | None) -> None:
        self.store.setValue("perks/accent", colour or "")

    @property
    def background(self) -> str:
        value = self._text("perks/background", BACKGROUNDS[0])
        return value if value in BACKGROUNDS else BACKGROUNDS[0]

    @background.setter
    def background(self, name: str) -> None:
        self.store.setValue("perks/background", name)

    @property
    def badge_style(self) -> str:
        value = self._text("perks/badge", BADGE_STYLES[0])
        return value if value in BADGE_STYLES else BADGE_STYLES[0]

    @badge_style.setter
    def badge_style(self, name: str) -> None:
        self.store.setValue("perks/badge", name)

    @property
    def keep_in_tray(self) -> bool | None:
        """"Keep running in the tray" (SPEC §12); None until chosen (then it is on as soon
        as a reminder exists)."""
        value = self.store.value("planning/keep_in_tray", None)
        if value is None:
            return None
        return value in (True, "true", "1", 1)

    @keep_in_tray.setter
    def keep_in_tray(self, keep: bool) -> None:
        self.store.setValue("planning/keep_in_tray", bool(keep))

    def _flag(self, key: str, default: bool) -> bool:
        value = self.store.value(key, default)
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("true", "1", "yes")

    def geometry(self) -> QByteArray | None:
        value = self.store.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_geometry(self, geometry: QByteArray, state: QByteArray) -> None:
        self.store.setValue("window/geometry", geometry)
        self.store.setValue("window/state", state)

    def window_state(self) -> QByteArray | None:
        value = self.store.value("window/state")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def sync(self) -> None:
        self.store.sync()
