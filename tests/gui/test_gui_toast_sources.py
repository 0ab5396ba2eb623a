"""Issue 13 item 3 (SPEC v2 §11): a toast says where its points came from, names the
daily target when reached, has an Undo button, and is withdrawn when its action is undone."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PySide6.QtCore import Qt

from momentum_app.core.catalog import Kind
from momentum_app.core.engine.outcome import LedgerLine, Outcome
from momentum_app.gui.changes import ItemRef
from momentum_app.gui.toast_text import SOURCE_LABELS, summarize

pytestmark = pytest.mark.gui
SUNDAY_NIGHT = datetime(2026, 1, 11, 23, 30, tzinfo=timezone.utc)


def _credit(source: str, points: int, reason: str = "") -> LedgerLine:
    return LedgerLine("credit", points, reason or source, source)


def test_one_line_per_source_for_the_issue_example():
    credits = (_credit("task_completion", 15), _credit("first_task_of_day", 5),
               _credit("night_owl", 15), _credit("weekend_activity", 30),
               _credit("perfect_week", 100))
    outcome = Outcome(1, "k", "task_completion", 165, credits, (), (), (), None, 2, 165, ())
    message = summarize(outcome, Kind.TASK)
    assert message is not None
    assert message.title == "+165 points"
    assert message.lines == ("Task +15", "First of the day +5", "Night owl +15",
                             "Weekend +30", "Perfect week +100")


def test_every_catalog_source_has_a_label():
    from momentum_app.core import catalog

    sources = {*catalog.COMPLETION_SOURCE.values(), *(b.source for b in catalog.BONUSES),
               catalog.STREAK_ADJUSTMENT_SOURCE, catalog.STREAK_MILESTONE_SOURCE,
               catalog.ACHIEVEMENT_SOURCE, *(t.source for t in catalog.MILESTONE_TRACKS)}
    assert sources <= set(SOURCE_LABELS)


def test_a_real_perfect_sunday_night_names_every_source(gui, clock):
    clock.advance(SUNDAY_NIGHT - clock.now())
    controller = gui.controller
    for offset in range(6):  # Monday to Saturday, at noon
        task = controller.add_task(f"Day {offset}")
        controller.complete(ItemRef(Kind.TASK, task.id),
                            at=datetime(2026, 1, 5 + offset, 12, tzinfo=timezone.utc))
    gui.window.toasts.clear()  # the earlier toasts may still wait in the queue
    shown = []
    gui.window.toasts.shown.connect(shown.append)
    last = controller.add_task("Sunday", complexity=3)
    controller.complete(ItemRef(Kind.TASK, last.id))
    assert len(shown) == 1
    # The seventh day also earns a streak freeze (SPEC v2 §4): news in the same toast.
    assert "1 streak freeze earned for 7 more days of activity" in shown[0].highlights
    lines = shown[0].lines
    for expected in ("First of the day +5", "Night owl +15", "Weekend +30", "Perfect week +100"):
        assert expected in lines
    assert any(line.startswith("Task +") for line in lines)
    news = sum(int(line.rsplit("+", 1)[1].replace(",", "")) for line in shown[0].highlights
               if "+" in line)
    assert sum(p for _name, p in shown[0].sources) + news == shown[0].points  # all told
    assert "7-day streak bonus +50" in lines
    toast = gui.window.toasts.current
    assert toast is not None
    assert toast.detail_label.text().splitlines()[0].startswith("Task +")


def test_the_daily_target_is_named_when_this_completion_reaches_it(gui):
    gui.controller.update_profile(daily_target=2)
    shown = []
    gui.window.toasts.shown.connect(shown.append)
    for title in ("One", "Two", "Three"):
        task = gui.controller.add_task(title)
        gui.controller.complete(ItemRef(Kind.TASK, task.id))
        gui.window.toasts.dismiss()
    assert ["Daily target reached" in m.lines for m in shown] == [False, True, False]


def test_the_undo_button_undoes_the_completion_and_withdraws_the_toast(gui, qtbot):
    task = gui.controller.add_task("Water plants")
    gui.controller.complete(ItemRef(Kind.TASK, task.id))
    toast = gui.window.toasts.current
    assert toast is not None and toast.undo_button.isVisible()
    assert toast.undo_button.focusPolicy() == Qt.FocusPolicy.NoFocus
    qtbot.mouseClick(toast.undo_button, Qt.MouseButton.LeftButton)
    assert gui.momentum.items.get(Kind.TASK, task.id).status == "open"
    assert gui.window.toasts.current is None
    assert gui.controller.undo_stack.index() == 1  # the same undo as Ctrl+Z: the add stays


def test_ctrl_z_withdraws_the_toast_of_the_undone_action(gui, qtbot):
    task = gui.controller.add_task("Stretch")
    gui.controller.complete(ItemRef(Kind.TASK, task.id))
    assert gui.window.toasts.current is not None
    gui.window.window_actions.undo.trigger()
    assert gui.window.toasts.current is None
    assert gui.momentum.items.get(Kind.TASK, task.id).status == "open"


def test_a_toast_about_an_older_action_does_not_undo_a_later_one(gui, qtbot):
    first = gui.controller.add_task("First")
    gui.controller.complete(ItemRef(Kind.TASK, first.id))
    toast = gui.window.toasts.current
    gui.controller.add_task("Later")  # a newer change on top of the completion
    qtbot.mouseClick(toast.undo_button, Qt.MouseButton.LeftButton)
    assert gui.momentum.items.get(Kind.TASK, first.id).status == "done"
    assert [t.title for t in gui.momentum.items.list_tasks()] .count("Later") == 1
    assert "later changes" in gui.window.statusBar().currentMessage()


def test_a_toast_without_an_undoable_action_has_no_undo_button(gui, grant):
    grant(gui, 30)  # Settings' "Log now": undoable since issue 15
    toast = gui.window.toasts.current
    assert toast is not None and toast.undo_button.isVisible()
    assert toast.message.lines == ("grant-30 +30",)
    gui.window.toasts.dismiss()
    # an exported report card earns show_and_tell, but an export is not undone
    # (the export dialog's path: the core's record of the job, published once)
    record = gui.momentum.history.perform(gui.momentum.events.export_reported)
    assert record.entry_id is None and record.outcome is not None
    gui.controller.publish(record.record, announce=True)
    toast = gui.window.toasts.current
    assert toast is not None and not toast.undo_button.isVisible()



def test_a_toast_with_lines_never_opens_a_window_of_its_own(gui, qtbot):
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    gui.window.activateWindow()
    task = gui.controller.add_task("First")
    gui.controller.complete(ItemRef(Kind.TASK, task.id))  # sources and an achievement
    QApplication.processEvents()
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [gui.window]
    assert QGuiApplication.focusWindow() is gui.window.windowHandle()
