"""Perks in the window (SPEC §3): what the current level unlocks, and the choices they allow.

:class:`Perks` follows the profile's level and answers "may this perk be used?" by asking
the core (:func:`momentum_app.core.catalog.perks_unlocked`) — the one place that decides;
no widget compares level numbers. :class:`Personalization` stores the person's choices
(accent colour, background, badge style, extra theme) and applies each one only while
its perk is unlocked: a choice made at level 6 comes back by itself when a reversal
lowers the level and a new completion raises it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from ..core import catalog
from .settings import BACKGROUNDS, BADGE_STYLES, UiSettings
from .theme import EXTRA_THEMES, ThemeManager, ThemeMode

ACCENT_COLOUR = "accent_colour"
BACKGROUNDS_PERK = "backgrounds"
ADVANCED_ANALYTICS = "advanced_analytics"
SPECIAL_BADGES = "special_badges"
EXTRA_THEMES_PERK = "extra_themes"
CUSTOM_ACHIEVEMENTS = "custom_achievements"
MENTOR_STATUS = "mentor_status"
PRESTIGE_FRAME = "prestige_frame"
LEGENDARY_STATUS = "legendary_status"

#: How the window presents each perk: a name, an icon and what it does.
PERK_TEXT: dict[str, tuple[str, str, str]] = {
    ACCENT_COLOUR: ("Accent colour", "fa5s.palette",
                    "Pick the colour of buttons, highlights and the XP bar."),
    BACKGROUNDS_PERK: ("Backgrounds", "fa5s.image",
                       "A subtle pattern or gradient behind every screen."),
    ADVANCED_ANALYTICS: ("Advanced analytics", "fa5s.chart-area",
                         "The year-long activity heatmap and trends on the Dashboard."),
    SPECIAL_BADGES: ("Special badges", "fa5s.certificate",
                     "Choose the shape of the level badge in the header."),
    EXTRA_THEMES_PERK: ("Extra themes", "fa5s.swatchbook",
                        "Nord and Solarized, in View ▸ Theme."),
    CUSTOM_ACHIEVEMENTS: ("Custom achievements", "fa5s.award",
                          "Define your own achievements, worth up to 100 points."),
    MENTOR_STATUS: ("Mentor status", "fa5s.hands-helping",
                    "A mentor badge beside your name on the leaderboard."),
    PRESTIGE_FRAME: ("Prestige frame", "fa5s.ring",
                     "A golden frame around your level badge."),
    LEGENDARY_STATUS: ("Legendary status", "fa5s.crown",
                       "A gold header: everyone can see you made it."),
}
BACKGROUND_TITLES = {"plain": "Plain", "gradient": "Soft gradient", "dots": "Dots",
                     "grid": "Grid", "waves": "Waves"}
BADGE_TITLES = {"classic": "Classic", "hexagon": "Hexagon", "shield": "Shield",
                "rosette": "Rosette"}
#: Accent colours offered as swatches (any colour can be picked as well).
ACCENT_SWATCHES = ("#5B55E8", "#2F80ED", "#0F9D8A", "#2FA84F", "#E3A008", "#F0642F",
                   "#E0457B", "#9B51E0")


class PerkLocked(Exception):
    """A perk was asked for before its level: the message says which level opens it."""

    def __init__(self, perk: str) -> None:
        self.perk = perk
        super().__init__(f"{perk_name(perk)} unlocks at {unlock_text(perk)}")


def perk_name(perk: str) -> str:
    return PERK_TEXT[perk][0]


def unlock_level(perk: str) -> catalog.Level:
    return catalog.LEVELS[catalog.perk_level(perk) - 1]


def unlock_text(perk: str) -> str:
    """"level 4 · Planner"."""
    level = unlock_level(perk)
    return f"level {level.number} · {level.title}"


class Perks(QObject):
    """The current profile's level and the perks it unlocks."""

    changed = Signal()

    def __init__(self, level: int = 1, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._level = level
        self._unlocked = catalog.perks_unlocked(level)

    @property
    def level(self) -> int:
        return self._level

    def set_level(self, level: int) -> None:
        if level != self._level:
            self._level = level
            self._unlocked = catalog.perks_unlocked(level)
            self.changed.emit()

    def unlocked(self, perk: str) -> bool:
        return perk in self._unlocked

    def require(self, perk: str) -> None:
        """Raise :class:`PerkLocked` unless ``perk`` may be used now."""
        if not self.unlocked(perk):
            raise PerkLocked(perk)

    @staticmethod
    def unlocked_at(perk: str, level: int) -> bool:
        """Whether a profile at ``level`` has ``perk`` (another profile's mentor badge)."""
        return perk in catalog.perks_unlocked(level)


@dataclass(frozen=True)
class Look:
    """What the window shows right now, after gating the stored choices."""

    accent: str | None
    background: str
    badge_style: str
    prestige_frame: bool
    legendary: bool


class Personalization(QObject):
    """The person's perk choices: stored in QSettings, applied while unlocked."""

    changed = Signal(object)  # Look

    def __init__(self, perks: Perks, settings: UiSettings, theme: ThemeManager,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.perks = perks
        self.settings = settings
        self.theme = theme
        perks.changed.connect(self.apply)

    # -- what is in effect -----------------------------------------------------------------

    def look(self) -> Look:
        unlocked, stored = self.perks.unlocked, self.settings
        return Look(
            accent=stored.accent_colour if unlocked(ACCENT_COLOUR) else None,
            background=stored.background if unlocked(BACKGROUNDS_PERK) else BACKGROUNDS[0],
            badge_style=stored.badge_style if unlocked(SPECIAL_BADGES) else BADGE_STYLES[0],
            prestige_frame=unlocked(PRESTIGE_FRAME),
            legendary=unlocked(LEGENDARY_STATUS))

    def apply(self) -> None:
        look = self.look()
        self.theme.set_perks(accent=look.accent,
                             extra_allowed=self.perks.unlocked(EXTRA_THEMES_PERK))
        self.changed.emit(look)

    # -- choices (each refuses while its perk is locked) ----------------------------------

    def set_accent(self, colour: str | None) -> None:
        self.perks.require(ACCENT_COLOUR)
        self.settings.accent_colour = colour
        self.apply()

    def set_background(self, name: str) -> None:
        self.perks.require(BACKGROUNDS_PERK)
        self.settings.background = name  # an unknown name is a ValueError
        self.apply()

    def set_badge_style(self, name: str) -> None:
        self.perks.require(SPECIAL_BADGES)
        self.settings.badge_style = name  # an unknown name is a ValueError
        self.apply()

    def set_theme(self, mode: ThemeMode) -> None:
        """Any theme; Nord and Solarized need the extra-themes perk."""
        mode = ThemeMode(mode)
        if mode in EXTRA_THEMES:
            self.perks.require(EXTRA_THEMES_PERK)
        self.settings.theme_mode = mode
        self.theme.set_mode(mode)
