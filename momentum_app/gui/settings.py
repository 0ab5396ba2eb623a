"""UI preferences in QSettings: window geometry, theme override, last view, schedule mode.

Only the window's own state lives here; everything about the game lives in the
database. Tests pass a QSettings on a temporary INI file (:func:`settings_at`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from .theme import ThemeMode

ORGANIZATION = "Momentum"
APPLICATION = "Momentum"


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
