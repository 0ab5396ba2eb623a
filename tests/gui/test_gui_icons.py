"""Icons: every name the window uses exists in the bundled font and draws in its colour."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon

from momentum_app.gui import icons

SOURCE = Path(icons.__file__).resolve().parents[1]
NAMES = sorted({m for path in SOURCE.rglob("*.py")
                for m in re.findall(r'"(fa5s\.[a-z0-9-]+)"', path.read_text("utf-8"))})


def coloured_pixels(icon: QIcon, colour: str, mode: QIcon.Mode = QIcon.Mode.Normal) -> int:
    image = icon.pixmap(QSize(32, 32), mode).toImage()
    wanted = QColor(colour)
    return sum(1 for x in range(32) for y in range(32)
               if image.pixelColor(x, y).alpha() > 200
               and image.pixelColor(x, y).rgb() == wanted.rgb())


def test_the_source_uses_many_icons_and_all_exist():
    assert len(NAMES) > 20
    missing = [n for n in NAMES if n.split(".", 1)[1] not in icons.charmap()]
    assert missing == []


@pytest.mark.parametrize("name", ["fa5s.fire", "fa5s.check", "fa5s.trophy"])
def test_an_icon_draws_its_glyph_in_the_colour_asked(qapp, name):
    icon = icons.make_icon(name, "#D03030", "#2050E0")
    assert coloured_pixels(icon, "#D03030") > 30
    assert coloured_pixels(icon, "#2050E0") == 0
    assert coloured_pixels(icon, "#2050E0", QIcon.Mode.Selected) > 30
    assert coloured_pixels(icon, "#D03030", QIcon.Mode.Disabled) == 0  # faded


def test_unknown_icons_are_refused_by_name(qapp):
    with pytest.raises(icons.IconError, match="fa5s.no-such-icon"):
        icons.make_icon("fa5s.no-such-icon", "#000000")
    with pytest.raises(icons.IconError, match="mdi.home"):
        icons.make_icon("mdi.home", "#000000")


def test_the_window_does_not_import_qtawesome_or_qtpy():
    """qtawesome's Python package costs +22 MiB; only its font files are used."""
    import os
    import subprocess

    code = ("import sys, momentum_app.gui.app as a; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('qtawesome', 'qtpy')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == "[]"
