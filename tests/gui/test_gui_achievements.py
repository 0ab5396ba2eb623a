"""Achievements: grouped by category, a category filter, locked progress, details on click,
and the custom-achievement editor that only opens from level 7."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from momentum_app.core import catalog
from momentum_app.core.catalog import Kind
from momentum_app.core.errors import ValidationError
from momentum_app.gui.changes import ItemRef

pytestmark = pytest.mark.gui


def complete_tasks(gui, count: int) -> None:
    for number in range(count):
        task = gui.controller.add_task(f"Task {number}")
        gui.controller.complete(ItemRef(Kind.TASK, task.id))


def test_every_achievement_grouped_with_progress_or_date(gui):
    complete_tasks(gui, 3)
    view = gui.window.show_view("achievements")
    assert set(view.tiles) == {a.id for a in catalog.ACHIEVEMENTS}
    assert list(view.sections) == list(catalog.CATEGORIES)
    first = view.tiles["first_step"]
    assert first.bar is None and first.status.text() == "Unlocked 5 Jan 2026"
    locked = view.tiles["getting_things_done"]
    assert locked.property("locked") is True
    assert locked.status.text() == "3 / 10" and locked.bar.value() == 3
    assert view.title.subtitle_label.text() == "1 of 28 unlocked · 10 points earned"


def test_the_category_filter_shows_one_group(gui, qtbot):
    view = gui.window.show_view("achievements")
    qtbot.mouseClick(view.filter.button("focus"), Qt.MouseButton.LeftButton)
    shown = view.visible_tiles()
    focus_ids = {a.id for a in catalog.ACHIEVEMENTS if a.category == "focus"}
    assert {tile.achievement_id for tile in shown} == focus_ids
    assert not view.empty.isVisibleTo(view)
    view.filter.button("custom").click()
    assert view.visible_tiles() == [] and view.empty.isVisibleTo(view)
    assert "level 7" in view.empty.hint_label.text()
    view.filter.button("all").click()
    assert len(view.visible_tiles()) == len(catalog.ACHIEVEMENTS)


def test_a_click_shows_the_details(gui, qtbot):
    complete_tasks(gui, 1)
    view = gui.window.show_view("achievements")
    tile = view.tiles["heavy_lifter"]
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    details = view.details
    assert details.entry.id == "heavy_lifter" and tile.property("selected") is True
    assert details.name_label.text() == "Heavy Lifter"
    assert details.status.text().startswith("Locked · 0 / 10 (0%)")
    tile = view.tiles["first_step"]
    tile.setFocus()
    qtbot.keyClick(tile, Qt.Key.Key_Return)
    assert details.status.text().startswith("Unlocked on Monday, 5 January 2026")
    assert details.points_chip.text() == "+10 points"


def test_custom_achievements_are_locked_below_level_7(gui):
    view = gui.window.show_view("achievements")
    assert not view.new_button.isEnabled()
    assert "level 7" in view.new_button.toolTip()
    assert view.open_editor() is None  # refused: the perk gate, not just a grey button
    assert "unlocks at level 7" in gui.window.statusBar().currentMessage()
    with pytest.raises(ValidationError):  # and the core says no as well
        gui.controller.add_custom_achievement(name="Mine", criteria="tasks_completed",
                                              target=1, points=10)


def test_the_editor_creates_a_custom_achievement_from_level_7(gui, grant, qtbot):
    grant(gui, catalog.points_required(7))
    view = gui.window.show_view("achievements")
    assert view.new_button.isEnabled()
    dialog = view.open_editor()
    assert dialog is not None
    dialog.accept()  # an empty name: shown at the field, the dialog stays open
    assert dialog.error_text("name") and dialog.isVisible()
    dialog.name_edit.setText("Inbox Hero")
    dialog.target.setValue(2)
    dialog.points.setValue(100)
    dialog.accept()
    assert not dialog.isVisible()
    assert "custom" in view.sections
    custom = [tile for key, tile in view.tiles.items() if key.startswith("custom:")]
    assert len(custom) == 1 and custom[0].entry.name == "Inbox Hero"
    view.filter.button("custom").click()
    assert view.visible_tiles() == custom
