"""Light and dark themes: colour tokens, the Qt palette, the style sheet and icons.

The theme follows the system colour scheme (``QStyleHints.colorScheme``) unless the
person picks one in the View menu. Everything colourful in the window reads its colours
from :class:`Tokens`, so custom-painted widgets and the style sheet always agree; they
repaint when :attr:`ThemeManager.changed` fires.

Two perks (SPEC §3) reach in here: a custom accent colour (:func:`with_accent`) and the
extra themes Nord and Solarized. The manager only applies them when told they are
allowed (:mod:`momentum_app.gui.perks` decides); a stored choice that is not allowed
falls back to the plain themes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from importlib import resources

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from .icons import make_icon


class ThemeMode(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"
    NORD = "nord"  # extra themes: the "extra themes" perk (level 6)
    SOLARIZED = "solarized"


EXTRA_THEMES = (ThemeMode.NORD, ThemeMode.SOLARIZED)


@dataclass(frozen=True)
class Tokens:
    """The colours of one theme (hex strings, so the style sheet can use them too)."""

    name: str
    window: str
    sidebar: str
    surface: str
    surface_alt: str
    border: str
    text: str
    text_muted: str
    text_faint: str
    accent: str
    accent_hover: str
    accent_text: str
    accent_soft: str
    success: str
    success_soft: str
    warning: str
    danger: str
    danger_soft: str
    flame: str
    xp_start: str
    xp_end: str
    track: str
    toast: str
    toast_text: str
    #: Which palette this is ("default", "nord", "solarized"); ``name`` stays light/dark
    #: because the style sheet picks its light or dark icon files by it.
    variant: str = "default"
    #: The gold of the legendary-status header and the prestige frame.
    gold_start: str = "#FFF3D1"
    gold_end: str = "#F5D27A"
    gold_edge: str = "#C99A2E"

    @property
    def is_dark(self) -> bool:
        return self.name == "dark"

    def color(self, name: str) -> QColor:
        return QColor(getattr(self, name))


LIGHT = Tokens(
    name="light", window="#F4F5F9", sidebar="#ECEEF4", surface="#FFFFFF",
    surface_alt="#F6F7FB", border="#DDE0E8", text="#1B1E28", text_muted="#5E6475",
    text_faint="#8C91A1", accent="#5B55E8", accent_hover="#4B45D6", accent_text="#FFFFFF",
    accent_soft="#E9E8FD", success="#168A55", success_soft="#DDF3E8", warning="#B96A00",
    danger="#CC2F3B", danger_soft="#FBE4E6", flame="#F0642F", xp_start="#7B5CFA",
    xp_end="#3D9BF5", track="#E4E6EE", toast="#23252F", toast_text="#F5F6FA",
)
DARK = Tokens(
    name="dark", window="#14151B", sidebar="#191B23", surface="#1F212B",
    surface_alt="#262935", border="#333746", text="#E9EAF1", text_muted="#A3A8BA",
    text_faint="#727789", accent="#7F7AFF", accent_hover="#928EFF", accent_text="#FFFFFF",
    accent_soft="#2D2B57", success="#3CCB85", success_soft="#1C3A2D", warning="#F2A93B",
    danger="#FF6B74", danger_soft="#44242A", flame="#FF7A45", xp_start="#8D72FF",
    xp_end="#4AA8FF", track="#2E3140", toast="#EDEEF4", toast_text="#1B1E28",
    gold_start="#2E2614", gold_end="#4D3B12", gold_edge="#C99A2E",
)


NORD = Tokens(
    name="dark", window="#2E3440", sidebar="#2A2F3A", surface="#3B4252",
    surface_alt="#434C5E", border="#4C566A", text="#ECEFF4", text_muted="#C0C8D6",
    text_faint="#8791A5", accent="#88C0D0", accent_hover="#8FBCBB", accent_text="#2E3440",
    accent_soft="#3D5363", success="#A3BE8C", success_soft="#3C4A3F", warning="#EBCB8B",
    danger="#BF616A", danger_soft="#4D3A42", flame="#D08770", xp_start="#81A1C1",
    xp_end="#B48EAD", track="#4C566A", toast="#ECEFF4", toast_text="#2E3440", variant="nord",
    gold_start="#3F3B2E", gold_end="#5C5032", gold_edge="#EBCB8B",
)
SOLARIZED = Tokens(
    name="light", window="#FDF6E3", sidebar="#EEE8D5", surface="#FFFCF2",
    surface_alt="#F7F0DC", border="#E2DAC2", text="#073642", text_muted="#586E75",
    text_faint="#93A1A1", accent="#268BD2", accent_hover="#1E75B3", accent_text="#FFFFFF",
    accent_soft="#DDEBF2", success="#5F8700", success_soft="#EAEFCF", warning="#B58900",
    danger="#DC322F", danger_soft="#F9E0D9", flame="#CB4B16", xp_start="#6C71C4",
    xp_end="#2AA198", track="#E9E2CC", toast="#073642", toast_text="#FDF6E3",
    variant="solarized",
)
EXTRA_TOKENS: dict[ThemeMode, Tokens] = {ThemeMode.NORD: NORD, ThemeMode.SOLARIZED: SOLARIZED}
#: What the View menu calls each theme.
THEME_TITLES: dict[ThemeMode, str] = {
    ThemeMode.SYSTEM: "Follow the &system", ThemeMode.LIGHT: "&Light", ThemeMode.DARK: "&Dark",
    ThemeMode.NORD: "&Nord", ThemeMode.SOLARIZED: "S&olarized"}


def _mix(first: QColor, second: QColor, weight: float) -> QColor:
    """``weight`` of ``first`` blended over ``second``."""
    return QColor.fromRgbF(*(a * weight + b * (1 - weight) for a, b in zip(
        first.getRgbF()[:3], second.getRgbF()[:3], strict=True)))


def with_accent(tokens: Tokens, accent: str) -> Tokens:
    """``tokens`` with a custom accent colour and the shades derived from it."""
    colour = QColor(accent)
    if not colour.isValid():
        return tokens
    hover = colour.lighter(115) if tokens.is_dark else colour.darker(112)
    soft = _mix(colour, QColor(tokens.surface), 0.28 if tokens.is_dark else 0.14)
    text = "#1B1E28" if colour.lightnessF() > 0.62 else "#FFFFFF"
    return replace(tokens, accent=colour.name().upper(), accent_hover=hover.name().upper(),
                   accent_soft=soft.name().upper(), accent_text=text,
                   xp_start=colour.name().upper())


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints is not None and hints.colorScheme() == Qt.ColorScheme.Dark


def resolve(mode: ThemeMode, system_dark: bool, extra_allowed: bool = False) -> Tokens:
    """The tokens of ``mode``; an extra theme that is not allowed follows the system."""
    if mode in EXTRA_TOKENS:
        if extra_allowed:
            return EXTRA_TOKENS[mode]
        mode = ThemeMode.SYSTEM
    if mode is ThemeMode.SYSTEM:
        return DARK if system_dark else LIGHT
    return DARK if mode is ThemeMode.DARK else LIGHT


def build_palette(tokens: Tokens) -> QPalette:
    """A Fusion palette from the tokens, so unstyled widgets (menus, popups) match."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: tokens.window,
        QPalette.ColorRole.WindowText: tokens.text,
        QPalette.ColorRole.Base: tokens.surface,
        QPalette.ColorRole.AlternateBase: tokens.surface_alt,
        QPalette.ColorRole.ToolTipBase: tokens.surface,
        QPalette.ColorRole.ToolTipText: tokens.text,
        QPalette.ColorRole.PlaceholderText: tokens.text_faint,
        QPalette.ColorRole.Text: tokens.text,
        QPalette.ColorRole.Button: tokens.surface,
        QPalette.ColorRole.ButtonText: tokens.text,
        QPalette.ColorRole.BrightText: tokens.danger,
        QPalette.ColorRole.Highlight: tokens.accent,
        QPalette.ColorRole.HighlightedText: tokens.accent_text,
        QPalette.ColorRole.Link: tokens.accent,
        QPalette.ColorRole.Light: tokens.surface_alt,
        QPalette.ColorRole.Midlight: tokens.border,
        QPalette.ColorRole.Mid: tokens.border,
        QPalette.ColorRole.Dark: tokens.track,
        QPalette.ColorRole.Shadow: "#000000",
    }
    for role, value in roles.items():
        palette.setColor(role, QColor(value))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(tokens.text_faint))
    return palette


def style_sheet(tokens: Tokens) -> str:
    """The shipped ``themes/app.qss`` with ``@token`` placeholders filled in."""
    package = resources.files("momentum_app.resources")
    template = package.joinpath("themes", "app.qss").read_text(encoding="utf-8")
    icon_folder = str(package.joinpath("icons")).replace("\\", "/")
    template = template.replace("@icondir", icon_folder)
    # Longest names first, so ``@accent_soft`` is not eaten by ``@accent``.
    for name, value in sorted(asdict(tokens).items(), key=lambda kv: -len(kv[0])):
        template = template.replace(f"@{name}", str(value))
    return template


class ThemeManager(QObject):
    """Owns the current theme; applies it to the application and announces changes."""

    changed = Signal(object)  # Tokens

    def __init__(self, app: QApplication, mode: ThemeMode = ThemeMode.SYSTEM) -> None:
        super().__init__(app)
        self._app = app
        self._mode = mode
        self._accent: str | None = None
        self._extra_allowed = False
        self._tokens = resolve(mode, system_prefers_dark())
        hints = QGuiApplication.styleHints()
        if hints is not None:
            hints.colorSchemeChanged.connect(self._on_system_scheme_changed)

    @property
    def mode(self) -> ThemeMode:
        return self._mode

    @property
    def tokens(self) -> Tokens:
        return self._tokens

    @property
    def accent(self) -> str | None:
        return self._accent

    def set_mode(self, mode: ThemeMode) -> None:
        self._mode = ThemeMode(mode)
        self.apply()

    def set_perks(self, *, accent: str | None, extra_allowed: bool) -> None:
        """What the perks allow (see :class:`momentum_app.gui.perks.Personalization`)."""
        if (accent, extra_allowed) != (self._accent, self._extra_allowed):
            self._accent, self._extra_allowed = accent, extra_allowed
            self.apply()

    def resolved(self) -> Tokens:
        tokens = resolve(self._mode, system_prefers_dark(), self._extra_allowed)
        return with_accent(tokens, self._accent) if self._accent else tokens

    def apply(self) -> None:
        self._tokens = self.resolved()
        if self._app.property("momentum_style") != "Fusion":  # setStyle re-polishes all
            self._app.setStyle("Fusion")
            self._app.setProperty("momentum_style", "Fusion")
        self._app.setPalette(build_palette(self._tokens))
        sheet = style_sheet(self._tokens)
        if self._app.styleSheet() != sheet:  # re-polishing every widget is not free
            self._app.setStyleSheet(sheet)
        self.changed.emit(self._tokens)

    def icon(self, name: str, role: str = "text_muted", *, active_role: str | None = None
             ) -> QIcon:
        """A Font Awesome icon in a token colour (``role`` names a :class:`Tokens` field)."""
        active = getattr(self._tokens, active_role) if active_role is not None else None
        return make_icon(name, getattr(self._tokens, role), active)

    @staticmethod
    def icon_in(name: str, colour: str) -> QIcon:
        """A Font Awesome icon in any colour (medals: gold, silver, bronze)."""
        return make_icon(name, colour)

    def _on_system_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        locked_extra = self._mode in EXTRA_TOKENS and not self._extra_allowed
        if self._mode is ThemeMode.SYSTEM or locked_extra:
            self.apply()
