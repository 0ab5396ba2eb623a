"""Font Awesome 5 (solid) icons, drawn from the font that qtawesome ships.

qtawesome provides the font files and their name→code-point maps; this module draws
them with a small ``QIconEngine`` instead of importing qtawesome's Python package. That
import pulls in qtpy, which loads QtOpenGL and QtDataVisualization and copies every Qt
enum for PyQt compatibility: +22 MiB resident and +0.18 s of start-up for the ~60 icons
the window uses (measured, docs/BENCHMARKS.md §2). The files are found with
``importlib.util.find_spec``, which locates the package without running it.

Names keep qtawesome's spelling (``"fa5s.fire"``), so the icons look exactly as before.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QIconEngine, QPainter, QPixmap

PREFIX = "fa5s"
FONT_FILE = "fontawesome5-solid-webfont-5.15.4.ttf"
CHARMAP_FILE = "fontawesome5-solid-webfont-charmap-5.15.4.json"
#: The glyph is drawn at 7/8 of the icon's height, leaving room for the font's bearing
#: (a 16-pixel icon gets a 14-pixel glyph: pixel-perfect for Font Awesome).
GLYPH_SCALE = 0.875
#: Disabled icons: the normal colour at this opacity.
DISABLED_ALPHA = 110


class IconError(LookupError):
    """The icon font or an icon name is missing."""


def fonts_folder() -> Path:
    spec = find_spec("qtawesome")
    if spec is None or not spec.submodule_search_locations:
        raise IconError("the icon font (package qtawesome) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


@cache
def charmap() -> dict[str, str]:
    """Icon name (without prefix) → its character in the font."""
    with open(fonts_folder() / CHARMAP_FILE, encoding="utf-8") as handle:
        return {name: chr(int(code, 16)) for name, code in json.load(handle).items()}


_families: dict[int, str] = {}  # id(QGuiApplication) -> the registered font family


def font_family() -> str:
    """Register the font with the running application (once per application)."""
    from PySide6.QtGui import QGuiApplication  # noqa: PLC0415 (the instance of this moment)

    key = id(QGuiApplication.instance())
    if key not in _families:
        font_id = QFontDatabase.addApplicationFont(str(fonts_folder() / FONT_FILE))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            raise IconError(f"cannot load the icon font {FONT_FILE}")
        _families[key] = families[0]
    return _families[key]


class GlyphIconEngine(QIconEngine):
    """One glyph in one colour per mode (normal, active/selected, disabled)."""

    def __init__(self, character: str, colour: QColor, active: QColor | None = None) -> None:
        super().__init__()
        self._character = character
        self._colour = QColor(colour)
        self._active = QColor(active) if active is not None else QColor(colour)

    def _colour_for(self, mode: QIcon.Mode) -> QColor:
        if mode in (QIcon.Mode.Active, QIcon.Mode.Selected):
            return self._active
        if mode is QIcon.Mode.Disabled:
            faded = QColor(self._colour)
            faded.setAlpha(DISABLED_ALPHA)
            return faded
        return self._colour

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode,
              state: QIcon.State) -> None:
        painter.save()
        font = QFont(font_family())
        font.setPixelSize(max(1, round(GLYPH_SCALE * rect.height())))
        painter.setFont(font)
        painter.setPen(self._colour_for(mode))
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), self._character)
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        canvas = QPixmap(size)
        canvas.fill(Qt.GlobalColor.transparent)
        painter = QPainter(canvas)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return canvas

    def clone(self) -> QIconEngine:
        return GlyphIconEngine(self._character, self._colour, self._active)


def make_icon(name: str, colour: str, active_colour: str | None = None) -> QIcon:
    """``QIcon`` for ``"fa5s.<name>"`` in ``colour`` (and ``active_colour`` when hovered or
    selected)."""
    prefix, _, bare = name.partition(".")
    character = charmap().get(bare) if prefix == PREFIX else None
    if character is None:
        raise IconError(f"unknown icon {name!r} (only {PREFIX}.* icons are bundled)")
    return QIcon(GlyphIconEngine(character, QColor(colour),
                                 QColor(active_colour) if active_colour else None))
