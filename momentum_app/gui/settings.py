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
#: Text sizes Settings offers: (factor of the system's font, name).
TEXT_SCALES: tuple[tuple[float, str], ...] = (
    (1.0, "Standard"), (1.15, "Large"), (1.3, "Larger"), (1.5, "Largest"))


def settings_at(path: Path) -> QSettings:
    """Settings stored in an INI file at ``path`` (tests, screenshots, benchmarks)."""
    return QSettings(str(path), QSettings.Format.IniFormat)


def default_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION,
                     APPLICATION)


class _Text:
    """A preference that is a name: one of ``choices`` when given (setting another is a
    ``ValueError``; another one stored reads as ``default``)."""

    def __init__(self, key: str, default: str, choices: tuple[str, ...] = ()) -> None:
        self.key, self.default, self.choices = key, default, choices
        self.what = key

    def __set_name__(self, _owner: type, name: str) -> None:
        self.what = name.replace("_", " ")

    def __get__(self, settings: UiSettings, _owner: object = None) -> str:
        value = settings._text(self.key, self.default)
        return value if not self.choices or value in self.choices else self.default

    def __set__(self, settings: UiSettings, value: str) -> None:
        if self.choices and value not in self.choices:
            raise ValueError(f"unknown {self.what} {value!r}")
        settings.store.setValue(self.key, value)


class _Flag:
    """A yes/no preference, stored as "true" or "false"."""

    def __init__(self, key: str, default: bool) -> None:
        self.key, self.default = key, default

    def __get__(self, settings: UiSettings, _owner: object = None) -> bool:
        return settings._flag(self.key, self.default)

    def __set__(self, settings: UiSettings, value: bool) -> None:
        settings.store.setValue(self.key, "true" if value else "false")


class UiSettings:
    """Typed access to the few preferences the window keeps."""

    last_view = _Text("view/last", "today")
    schedule_mode = _Text("schedule/mode", "week", ("day", "week"))
    quiet_during_focus = _Flag("focus/quiet", True)
    #: The first-run welcome was shown (and finished or skipped) once.
    welcomed = _Flag("start/welcomed", False)
    background = _Text("perks/background", BACKGROUNDS[0], BACKGROUNDS)
    badge_style = _Text("perks/badge", BADGE_STYLES[0], BADGE_STYLES)

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

    # -- text size ---------------------------------------------------------------------------

    @property
    def text_scale(self) -> float:
        """How much larger than the system's font the window's text is (Settings)."""
        try:
            value = float(str(self.store.value("view/text_scale", 1.0)))
        except ValueError:
            return 1.0
        known = [factor for factor, _name in TEXT_SCALES]
        return min(known, key=lambda factor: abs(factor - value))

    @text_scale.setter
    def text_scale(self, factor: float) -> None:
        self.store.setValue("view/text_scale", float(factor))

    # -- perk choices ------------------------------------------------------------------------

    @property
    def accent_colour(self) -> str | None:
        value = self._text("perks/accent", "")
        return value or None

    @accent_colour.setter
    def accent_colour(self, colour: str | None) -> None:
        self.store.setValue("perks/accent", colour or "")

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
