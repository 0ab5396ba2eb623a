"""Issue 13 item 10: the small things a user notices."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication

from momentum_app.core.catalog import Kind
from momentum_app.gui.changes import ItemRef

pytestmark = pytest.mark.gui


def test_the_header_explains_its_badge_points_and_flame(gui):
    header = gui.window.header
    assert "Level 1" in header.badge.toolTip() and "XP" in header.badge.toolTip()
    assert "points" in header.points_block.toolTip()
    assert "streak" in header.streak_block.toolTip().lower()
    task = gui.controller.add_task("Go")
    gui.controller.complete(ItemRef(Kind.TASK, task.id))
    assert header.streak_block.toolTip().startswith("1-day activity streak")


def test_complexity_dots_and_cut_titles_explain_themselves(gui, drain):
    long_title = "Prepare the annual report with every appendix, chart and table " * 2
    task = gui.controller.add_task(long_title.strip(), complexity=3, due=gui.ctx.today())
    view = gui.window.show_view("today")
    drain(gui)
    lst = view.task_list
    index = lst.list_model.index(lst.list_model.row_of(ItemRef(Kind.TASK, task.id)))
    rect = lst.visualRect(index)
    entry = lst.list_model.entry(index.row())
    delegate = lst.row_delegate
    dots = QPoint(rect.right() - 60, rect.center().y())
    assert delegate.tooltip(rect, dots, entry, lst.font()) == \
        "Complexity 3 of 5 · Medium · ×1.5 points"
    title = QPoint(rect.left() + 80, rect.center().y())
    assert delegate.tooltip(rect, title, entry, lst.font()) == task.title


def test_a_short_schedule_block_tells_its_whole_title(gui, drain):
    now = gui.momentum.clock.now()
    slot = gui.controller.add_slot("A rather long title for a fifteen minute block",
                                   now, now + timedelta(minutes=15))
    view = gui.window.show_view("schedule")
    view.refresh_now()
    drain(gui)
    grid = view.grid
    block = grid.block_of(slot.id)
    assert block is not None
    text = grid.tooltip_at(block.rect.center())
    assert text.startswith(slot.title)


def test_a_slot_longer_than_twelve_hours_asks_before_saving(gui, qtbot):
    dialog = gui.window.new_slot()
    dialog.title_edit.setText("Sleep")
    dialog.end_edit.setDateTime(dialog.start_edit.dateTime().addSecs(14 * 3600))
    dialog.accept()
    assert dialog.isVisible() and "14 hours" in dialog.error_text("end")
    assert gui.momentum.items.list_slots() == []
    dialog.accept()  # asked once: the second Save keeps it
    assert not dialog.isVisible()
    assert [s.title for s in gui.momentum.items.list_slots()] == ["Sleep"]


def test_a_lone_profile_at_zero_points_gets_an_invitation_not_a_medal(gui, drain):
    view = gui.window.show_view("leaderboard")
    view.refresh_now()
    row = view.rows[0]
    place = row.findChildren(type(view.ranking_hint))[0]
    assert place.pixmap() is None or place.pixmap().isNull()
    assert view.invite_button.isVisible()
    assert "Only you so far" in view.ranking_hint.text()


def test_locked_colour_swatches_look_locked(gui):
    view = gui.window.show_view("levels")
    picker = view.panel.accent
    assert not picker.isEnabled()  # level 1: the accent perk is locked
    swatch = next(iter(picker.swatches.values()))
    assert swatch.property("locked") and not swatch.icon().isNull()
    assert "unlocks at" in swatch.toolTip()


def test_goal_cards_progress_bars_line_up(gui, drain):
    gui.controller.add_goal("Short")
    gui.controller.add_goal("A much longer goal title that would wrap onto a second line "
                            "in a narrow card and push its bar down")
    view = gui.window.show_view("goals")
    view.refresh_now()
    QApplication.processEvents()
    bars = [card.progress for card in view.cards]
    assert len(bars) == 2
    tops = {bar.mapTo(gui.window, QPoint(0, 0)).y() for bar in bars}
    widths = {bar.width() for bar in bars}
    assert len(tops) == 1 and len(widths) == 1


def test_the_demo_window_title_names_momentum_once(tmp_path: Path, qtbot, monkeypatch):
    from momentum_app.gui.app import start_gui
    from momentum_app.gui.settings import settings_at

    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    store = settings_at(tmp_path / "ui.ini")
    store.setValue("view/theme", "light")  # not "system": later scheme signals stay out
    composition = start_gui(None, None, True, settings=store)
    assert not isinstance(composition, int)
    try:
        title = composition.window.windowTitle()
        name = "Momentum"  # launch.ensure_application's display name (tests run pytest-qt's)
        shown = title if title.endswith(name) else f"{title} — {name}"  # as X11 shows it
        assert shown.count("Momentum") == 1 and "demo" in shown.lower()
    finally:
        composition.close()
        composition.window.deleteLater()
        QApplication.processEvents()


def test_the_focus_button_says_why_it_cannot_start(gui):
    view = gui.window.show_view("today")
    view.refresh_now()
    assert "no open time slot" in view.focus_button.toolTip()
    view.focus_button.click()
    assert "no open time slot" in gui.window.statusBar().currentMessage()
    now = gui.momentum.clock.now()
    gui.controller.add_slot("Deep work", now, now + timedelta(minutes=30))
    view.refresh_now()
    assert "no open time slot" not in view.focus_button.toolTip()


def test_dark_theme_complexity_dots_stay_visible(gui):
    from momentum_app.gui.theme import DARK, contrast_ratio
    from momentum_app.gui.widgets.delegates import complexity_dot_roles

    for role in complexity_dot_roles(False):
        assert contrast_ratio(getattr(DARK, role), DARK.surface) >= 3.0

