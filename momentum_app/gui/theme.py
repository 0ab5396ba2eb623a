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

import re
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from importlib import resources

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleHintReturn,
    QStyleOption,
    QWidget,
)

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
    #: Progress tracks, the off switch, empty complexity dots: ≥ 3:1 on surfaces.
    meter: str
    toast: str
    toast_text: str
    #: The gold of the legendary-status header and the prestige frame.
    gold_start: str
    gold_end: str
    gold_edge: str
    #: Which palette this is ("default", "nord", "solarized"); ``name`` stays light/dark
    #: because the style sheet picks its light or dark icon files by it.
    variant: str = "default"

    @property
    def is_dark(self) -> bool:
        return self.name == "dark"

    def color(self, name: str) -> QColor:
        return QColor(getattr(self, name))


#: Every theme's colours, one token a row: (light, dark, nord, solarized). Side by side,
#: a token's four values are compared at a glance and none can be left out.
PALETTE: dict[str, tuple[str, str, str, str]] = {
                    # light      dark       nord       solarized
    "window":       ("#F4F5F9", "#14151B", "#2E3440", "#FDF6E3"),
    "sidebar":      ("#ECEEF4", "#191B23", "#2A2F3A", "#EEE8D5"),
    "surface":      ("#FFFFFF", "#1F212B", "#3B4252", "#FFFCF2"),
    "surface_alt":  ("#F6F7FB", "#262935", "#434C5E", "#F7F0DC"),
    "border":       ("#DDE0E8", "#333746", "#4C566A", "#E2DAC2"),
    "text":         ("#1B1E28", "#E9EAF1", "#ECEFF4", "#073642"),
    "text_muted":   ("#515768", "#A9AEC0", "#C8CFDB", "#51656C"),
    "text_faint":   ("#646979", "#8E92A2", "#B5BCC8", "#5A6868"),
    "accent":       ("#5650E4", "#918DFF", "#9DCCD9", "#1D6BA3"),
    "accent_hover": ("#4B45D6", "#A5A2FF", "#A9D2D1", "#185A8A"),
    "accent_text":  ("#FFFFFF", "#14151B", "#2E3440", "#FFFFFF"),
    "accent_soft":  ("#E9E8FD", "#2D2B57", "#3D5363", "#DDEBF2"),
    "success":      ("#137848", "#3CCB85", "#A3BE8C", "#507200"),
    "success_soft": ("#DDF3E8", "#1C3A2D", "#3C4A3F", "#EAEFCF"),
    "warning":      ("#B96A00", "#F2A93B", "#EBCB8B", "#B58900"),
    "danger":       ("#C22C38", "#FF6B74", "#DA9FA5", "#C2231F"),
    "danger_soft":  ("#FBE4E6", "#44242A", "#4D3A42", "#F9E0D9"),
    "flame":        ("#F0642F", "#FF7A45", "#D08770", "#CB4B16"),
    "xp_start":     ("#7B5CFA", "#8D72FF", "#81A1C1", "#6C71C4"),
    "xp_end":       ("#3D9BF5", "#4AA8FF", "#B48EAD", "#2AA198"),
    "track":        ("#E4E6EE", "#2E3140", "#4C566A", "#E9E2CC"),
    "meter":        ("#7E8398", "#74798F", "#98A0B2", "#898471"),
    "toast":        ("#23252F", "#EDEEF4", "#ECEFF4", "#073642"),
    "toast_text":   ("#F5F6FA", "#1B1E28", "#2E3440", "#FDF6E3"),
    "gold_start":   ("#FFF3D1", "#2E2614", "#3F3B2E", "#FFF3D1"),
    "gold_end":     ("#F5D27A", "#4D3B12", "#5C5032", "#F5D27A"),
    "gold_edge":    ("#C99A2E", "#C99A2E", "#EBCB8B", "#C99A2E"),
}


def palette_tokens(column: int, name: str, variant: str) -> Tokens:
    """The ``column``-th theme of :data:`PALETTE` (``name``: light or dark, for icons)."""
    return Tokens(name=name, variant=variant,
                  **{token: values[column] for token, values in PALETTE.items()})


LIGHT = palette_tokens(0, "light", "default")
DARK = palette_tokens(1, "dark", "default")
NORD = palette_tokens(2, "dark", "nord")
SOLARIZED = palette_tokens(3, "light", "solarized")
EXTRA_TOKENS: dict[ThemeMode, Tokens] = {ThemeMode.NORD: NORD, ThemeMode.SOLARIZED: SOLARIZED}
ALL_TOKENS: tuple[Tokens, ...] = (LIGHT, DARK, NORD, SOLARIZED)
#: What the View menu calls each theme.
THEME_TITLES: dict[ThemeMode, str] = {
    ThemeMode.SYSTEM: "Follow the &system", ThemeMode.LIGHT: "&Light", ThemeMode.DARK: "&Dark",
    ThemeMode.NORD: "&Nord", ThemeMode.SOLARIZED: "S&olarized"}


# --- Contrast (WCAG 2.x, SPEC v2 §11) ----------------------------------------------------

TEXT_CONTRAST = 4.5  # body text, labels, chips
UI_CONTRAST = 3.0  # progress tracks, buttons' fill, switches, focus rings, icons

#: Every (foreground, background) pair of tokens the window draws, what it is, and the
#: minimum it needs. ``tests/gui/test_gui_contrast.py`` measures each in every theme and
#: docs/DESIGN.md lists the results.
CONTRAST_PAIRS: tuple[tuple[str, str, float, str], ...] = (
    *((fg, bg, TEXT_CONTRAST, what) for fg, what in (
        ("text", "text"), ("text_muted", "secondary text"), ("text_faint", "faint text"))
      for bg in ("window", "surface", "surface_alt", "sidebar")),
    ("text", "accent_soft", TEXT_CONTRAST, "selected row text"),
    ("text_muted", "accent_soft", TEXT_CONTRAST, "secondary text on a selected row"),
    ("text_muted", "track", TEXT_CONTRAST, "level number not reached"),
    ("accent", "surface", TEXT_CONTRAST, "accent text (links, today)"),
    ("accent", "window", TEXT_CONTRAST, "accent text on the window"),
    ("accent", "accent_soft", TEXT_CONTRAST, "chips, selected navigation, checked segment"),
    ("accent_text", "accent", TEXT_CONTRAST, "primary button label"),
    ("accent_text", "accent_hover", TEXT_CONTRAST, "primary button label, hovered"),
    ("success", "surface", TEXT_CONTRAST, "“Unlocked”, done"),
    ("success", "success_soft", TEXT_CONTRAST, "completed badge"),
    ("danger", "surface", TEXT_CONTRAST, "error under a field"),
    ("danger", "danger_soft", TEXT_CONTRAST, "error banner"),
    ("toast_text", "toast", TEXT_CONTRAST, "toast"),
    ("text", "gold_end", TEXT_CONTRAST, "legendary header"),
    ("meter", "surface", UI_CONTRAST, "progress track, switch off, empty dots"),
    ("meter", "surface_alt", UI_CONTRAST, "progress track on a locked card"),
    ("meter", "accent_soft", UI_CONTRAST, "empty complexity dots on a selected row"),
    ("accent", "surface", UI_CONTRAST, "primary button, progress, switch on, focus"),
    ("text", "window", UI_CONTRAST, "keyboard focus ring"),
    ("success", "surface", UI_CONTRAST, "check box checked, completed progress"),
    ("warning", "surface", UI_CONTRAST, "points star"),
    ("flame", "surface", UI_CONTRAST, "streak flame"),
    ("text_faint", "surface", UI_CONTRAST, "check box outline, locked icons"),
)


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#RRGGBB`` colour."""
    channels = rgb_f(QColor(colour))
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio, 1 to 21."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def contrast_table(tokens: Tokens) -> list[tuple[str, str, str, float, float]]:
    """(foreground, background, what, ratio, minimum) for every pair of ``tokens``."""
    return [(fg, bg, what, contrast_ratio(getattr(tokens, fg), getattr(tokens, bg)), minimum)
            for fg, bg, minimum, what in CONTRAST_PAIRS]


def rgb_f(colour: QColor) -> tuple[float, float, float]:
    """A colour's red, green and blue, 0 to 1."""
    return colour.redF(), colour.greenF(), colour.blueF()


def mix(first: QColor, second: QColor, weight: float) -> QColor:
    """``weight`` of ``first`` blended over ``second`` (opaque)."""
    return QColor.fromRgbF(*(a * weight + b * (1 - weight) for a, b in zip(
        rgb_f(first), rgb_f(second), strict=True)))


def with_accent(tokens: Tokens, accent: str) -> Tokens:
    """``tokens`` with a custom accent colour and the shades derived from it."""
    colour = QColor(accent)
    if not colour.isValid():
        return tokens
    hover = colour.lighter(115) if tokens.is_dark else colour.darker(112)
    soft = mix(colour, QColor(tokens.surface), 0.28 if tokens.is_dark else 0.14)
    name = colour.name().upper()
    # The label colour that reads best on it (lightness misjudges yellow, say).
    text = max(("#FFFFFF", "#1B1E28"), key=lambda candidate: contrast_ratio(candidate, name))
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


#: ``@size(1.5)`` in the style sheet: 1.5 times the application font's point size.
SIZE_PLACEHOLDER = re.compile(r"@size\(([0-9.]+)\)")
#: The application font's size before the text-size setting scaled it.
BASE_POINT_SIZE = "momentum_base_point_size"


def base_point_size(app: QApplication) -> float:
    """The system font's point size (remembered before the text-size setting applies)."""
    stored = app.property(BASE_POINT_SIZE)
    if isinstance(stored, float) and stored > 0:
        return stored
    size = app.font().pointSizeF()
    size = size if size > 0 else 9.0
    app.setProperty(BASE_POINT_SIZE, size)
    return size


def scaled_point_size(factor: float) -> float:
    """``factor`` × the application font now (the text size setting included)."""
    size = QApplication.font().pointSizeF()
    return round(factor * (size if size > 0 else 9.0), 2)


def style_sheet(tokens: Tokens) -> str:
    """The shipped ``themes/app.qss`` with ``@token`` placeholders filled in.

    Type sizes are written relative to the application font (``@size(1.9)`` for a
    heading), so headings stay larger than body text at any system font size or text
    size setting; the sheet holds no fixed point size.
    """
    package = resources.files("momentum_app.resources")
    template = package.joinpath("themes", "app.qss").read_text(encoding="utf-8")
    template = SIZE_PLACEHOLDER.sub(
        lambda match: f"{scaled_point_size(float(match.group(1)))}pt", template)
    icon_folder = str(package.joinpath("icons")).replace("\\", "/")
    template = template.replace("@icondir", icon_folder)
    # Longest names first, so ``@accent_soft`` is not eaten by ``@accent``.
    for name, value in sorted(asdict(tokens).items(), key=lambda kv: -len(kv[0])):
        template = template.replace(f"@{name}", str(value))
    return template


class MomentumStyle(QProxyStyle):
    """Fusion, without the stock icons some platforms put on dialog buttons.

    Under X11 (and some desktop themes) Qt decorates standard buttons with icons — a
    floppy disk on Save, a red X on Cancel — that offscreen renders never show; the style
    sheet's ``dialogbuttonbox-buttons-have-icons: 0`` does not reach buttons created
    before it applies (QMessageBox), so the style itself says no.
    """

    def __init__(self) -> None:
        super().__init__("Fusion")

    def styleHint(self, hint: QStyle.StyleHint, option: QStyleOption | None = None,
                  widget: QWidget | None = None, data: QStyleHintReturn | None = None
                  ) -> int:
        if hint == QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
            return 0
        return super().styleHint(hint, option, widget, data)


class ThemeManager(QObject):
    """Owns the current theme; applies it to the application and announces changes."""

    changed = Signal(object)  # Tokens

    def __init__(self, app: QApplication, mode: ThemeMode = ThemeMode.SYSTEM) -> None:
        super().__init__(app)
        self._app = app
        self._mode = mode
        self._accent: str | None = None
        self._extra_allowed = False
        self._text_scale = 1.0
        self._base_size = base_point_size(app)
        self._tokens = resolve(mode, system_prefers_dark())
        hints = QGuiApplication.styleHints()
        self._following = hints is not None
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

    @property
    def text_scale(self) -> float:
        return self._text_scale

    def set_text_scale(self, factor: float, *, apply: bool = True) -> None:
        """Text ``factor`` × the system font: the application font and the sheet's sizes."""
        self._text_scale = factor
        font = QFont(self._app.font())
        font.setPointSizeF(round(self._base_size * factor, 2))
        if font != self._app.font():
            self._app.setFont(font)
        if apply:
            self.apply()  # the sheet's sizes follow the new font

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
            self._app.setStyle(MomentumStyle())
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

    def detach(self) -> None:
        """Stop following the system's colour scheme (the window it themes is closed): the
        manager lives on the application, and a later change of the system's scheme must
        not repaint widgets that are gone."""
        hints = QGuiApplication.styleHints()
        if hints is not None and self._following:
            hints.colorSchemeChanged.disconnect(self._on_system_scheme_changed)
        self._following = False

    def _on_system_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        locked_extra = self._mode in EXTRA_TOKENS and not self._extra_allowed
        if self._mode is ThemeMode.SYSTEM or locked_extra:
            self.apply()
