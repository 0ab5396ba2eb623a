"""Issue 13 item 4 (SPEC v2 §11): every screen works at the window's minimum size and at
1.5× text — no label or button smaller than it asks to be, no cards hidden behind a
horizontal scroll bar, headings larger than body text, a compact header when narrow."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from momentum_app.core.clock import FixedClock
from momentum_app.core.db import open_database
from momentum_app.gui import screenshots
from momentum_app.gui.app import compose
from momentum_app.gui.layout_check import cut_text
from momentum_app.gui.main_window import MINIMUM_SIZE
from momentum_app.gui.settings import UiSettings, settings_at
from momentum_app.gui.theme import ThemeMode, base_point_size, style_sheet
from momentum_app.gui.widgets.common import ElidedLabel

pytestmark = pytest.mark.gui


def _every_screen(composition) -> dict[str, list[str]]:
    window = composition.window
    window.resize(*MINIMUM_SIZE)
    found: dict[str, list[str]] = {}
    for view_id in window.views:
        window.show_view(view_id)
        screenshots.settle(composition)
        problems = cut_text(window)
        if problems:
            found[view_id] = problems
    return found


@pytest.mark.parametrize("scale", [1.0, 1.5])
@pytest.mark.parametrize("dataset", ["empty", "demo"])
def test_no_screen_cuts_text_at_the_minimum_size(qtbot, tmp_path: Path, dataset, scale):
    path = screenshots.make_database(tmp_path, dataset)
    database = open_database(path)
    store = settings_at(tmp_path / "ui.ini")
    UiSettings(store).text_scale = scale
    composition = compose(database, FixedClock(screenshots.SCREENSHOT_NOW), settings=store,
                          theme_mode=ThemeMode.LIGHT, animations=False)
    try:
        composition.window.show()
        qtbot.waitExposed(composition.window)
        assert QApplication.font().pointSizeF() == pytest.approx(
            base_point_size(QApplication.instance()) * scale, abs=0.05)
        assert _every_screen(composition) == {}
    finally:
        composition.close()
        composition.window.deleteLater()
        QApplication.processEvents()
        database.close()


def test_the_checker_catches_a_squashed_label(gui, qtbot):
    view = gui.window.show_view("today")
    squashed = QLabel("A rather long sentence that cannot fit", view)
    squashed.setGeometry(0, 0, 40, 8)
    squashed.show()
    assert any("A rather long sentence" in problem for problem in cut_text(gui.window))
    squashed.deleteLater()


def test_an_eliding_label_says_its_whole_text_in_the_tooltip(gui, qtbot):
    view = gui.window.show_view("today")
    title = ElidedLabel("Deep work on the quarterly report and its many appendices", "h3", view)
    title.resize(90, 30)
    title.show()
    assert title.text().endswith("…")
    assert title.toolTip() == title.full_text()
    assert not any("quarterly" in problem for problem in cut_text(gui.window))
    title.resize(2000, 30)
    assert title.text() == title.full_text() and title.toolTip() == ""
    title.deleteLater()


def test_headings_stay_larger_than_body_text_at_a_large_base_font(gui):
    app = QApplication.instance()
    font = app.font()
    original = font.pointSizeF()
    try:
        font.setPointSizeF(13.0)
        app.setFont(font)
        sheet = style_sheet(gui.ctx.theme.tokens)
    finally:
        font.setPointSizeF(original)
        app.setFont(font)
    h1 = float(sheet.split('QLabel[role="h1"] { font-size: ')[1].split("pt")[0])
    caption = float(sheet.split('QLabel[role="caption"]')[1].split("font-size: ")[1]
                    .split("pt")[0])
    assert h1 > 13.0 > caption
    template = (Path(__file__).parents[2] / "resources" / "themes" / "app.qss").read_text()
    assert "pt;" not in template and "pt }" not in template  # no fixed point size


def test_the_text_size_setting_applies_at_once_and_is_kept(gui, ui_settings_path, qtbot):
    view = gui.window.show_view("settings")
    base = base_point_size(QApplication.instance())
    index = view.text_size.findData(1.5)
    view.text_size.setCurrentIndex(index)
    assert QApplication.font().pointSizeF() == pytest.approx(base * 1.5, abs=0.05)
    assert UiSettings(settings_at(ui_settings_path)).text_scale == 1.5
    assert f"font-size: {round(base * 1.5 * 1.89, 2)}pt" in QApplication.instance().styleSheet()
    view.text_size.setCurrentIndex(view.text_size.findData(1.0))
    assert QApplication.font().pointSizeF() == pytest.approx(base, abs=0.05)


def test_a_narrow_header_turns_compact_instead_of_overlapping(gui, qtbot):
    window = gui.window
    window.setMinimumSize(0, 0)
    window.resize(900, 600)
    QApplication.processEvents()
    header = window.header
    assert header.compact and not header.week_block.isVisible()
    assert cut_text(header) == []
    window.resize(1400, 820)
    QApplication.processEvents()
    assert not header.compact and header.week_block.isVisible()
