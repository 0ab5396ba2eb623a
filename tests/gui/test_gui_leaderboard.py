"""Leaderboard: ranking by period, best weeks, switching and adding profiles, mentor badge."""

from __future__ import annotations

from datetime import timedelta

import pytest

from momentum_app.core import catalog
from momentum_app.core.catalog import Kind
from momentum_app.core.clock import FixedClock
from momentum_app.core.services import Momentum
from momentum_app.gui.changes import ItemRef

pytestmark = pytest.mark.gui


def test_profiles_ranked_by_period_with_best_weeks(gui, database, clock):
    app = gui.momentum
    app.profiles.add("Sam", timezone="UTC")
    sam = Momentum(database, clock, "Sam")
    for _ in range(3):  # Sam: 3 tasks last week
        task = sam.items.add_task("Old")
        sam.items.complete(Kind.TASK, task.id, at=clock.now() - timedelta(days=7))
    task = gui.controller.add_task("Mine")
    gui.controller.complete(ItemRef(Kind.TASK, task.id))  # me: 25 points this week
    view = gui.window.show_view("leaderboard")
    names = [row.entry.profile for row in view.rows]
    assert names == ["default", "Sam"]
    assert view.rows[0].property("me") is True and view.rows[1].entry.points == 0
    view.period.button("all").click()
    assert [(r.entry.profile, r.entry.points) for r in view.rows] == [
        ("Sam", sam.reads.progress().total_points), ("default", 25)]
    assert view.rows[0].entry.rank == 1
    assert view.weeks_layout.count() == 1
    assert view.weeks_empty.isHidden()


def test_switching_and_adding_profiles(gui, qtbot):
    view = gui.window.show_view("leaderboard")
    dialog = view.new_profile()
    dialog.accept()  # no name: the error is shown at the field
    assert dialog.error_text("name")
    dialog.name_edit.setText("Robin")
    dialog.accept()
    assert not dialog.isVisible()
    assert gui.momentum.profiles.current().name == "Robin"  # "switch to it now"
    assert view.profile_box.currentText() == "Robin"
    assert gui.window.sidebar.profile_label.text() == "Robin"
    assert gui.controller.undo_stack.count() == 0  # undo history belongs to a profile
    index = view.profile_box.findData("default")
    view.profile_box.activated.emit(index)
    assert gui.momentum.profiles.current().name == "default"
    # the profile was added while acting as "default": that is where its undo is
    assert gui.controller.undo_stack.undoText() == "Add profile “Robin”"


def test_the_mentor_badge_from_level_8(gui, grant, database, clock):
    gui.momentum.profiles.add("Sam", timezone="UTC")
    sam = Momentum(database, FixedClock(clock.now()), "Sam")
    sam.events.add_type("big", 10_000)
    for _ in range(2):
        sam.events.process_event("big")  # Sam: 20,000 points, level 8
    grant(gui, catalog.points_required(7))  # me: level 7
    view = gui.window.show_view("leaderboard")
    view.period.button("all").click()
    badges = {row.entry.profile: row.mentor for row in view.rows}
    assert badges == {"Sam": True, "default": False}
    assert "mentor" in view.rows[0].accessibleName()
