"""Adding, completing and undoing through the window: the header follows, one toast each."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from momentum_app.core.catalog import Kind
from momentum_app.core.engine.outcome import LevelUp, Outcome, ReachedMilestone
from momentum_app.gui.changes import ItemRef
from momentum_app.gui.toast_text import summarize

pytestmark = pytest.mark.gui


def total_points(gui) -> int:
    return int(gui.momentum.reads.progress().total_points)


def test_quick_add_complete_undo_redo(gui, qtbot):
    window = gui.window
    today = window.show_view("today")
    shown = []
    window.toasts.shown.connect(shown.append)

    qtbot.keyClicks(today.quick_add, "Write the report")
    qtbot.keyClick(today.quick_add, Qt.Key.Key_Return)
    task = gui.momentum.items.list_tasks()[0]
    assert task.title == "Write the report" and task.due is not None
    assert today.task_list.list_model.item_count() == 1
    assert shown == []  # adding earns nothing: no toast

    today.task_list.select(ItemRef(Kind.TASK, task.id))
    today.task_list.setFocus()
    with qtbot.waitSignal(window.toasts.shown):
        qtbot.keyClick(today.task_list, Qt.Key.Key_Space)
    assert gui.momentum.items.get(Kind.TASK, task.id).status == "done"
    assert window.header.total_points == total_points(gui) == 25
    assert window.header.streak == 1
    assert window.header.level_label.text() == "Level 1 · Novice"
    assert [m.text for m in shown] == ["+25 points · Task +10 · First of the day +5 · "
                                       "Achievement unlocked: First Step +10"]

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert gui.momentum.items.get(Kind.TASK, task.id).status == "open"
    # the reversal takes back the task's points and bonus; the achievement is kept (SPEC §2)
    assert window.header.total_points == total_points(gui) == 10
    assert window.header.streak == 0
    assert len(shown) == 1  # undo is not announced

    qtbot.keyClick(window, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert gui.momentum.items.get(Kind.TASK, task.id).status == "done"
    assert window.header.total_points == total_points(gui) == 25


def test_the_header_bar_animates_towards_the_new_level_fraction(gui):
    header = gui.window.header
    task = gui.controller.add_task("Plan")
    gui.controller.complete(ItemRef(Kind.TASK, task.id))
    assert header.xp_bar.target == pytest.approx(25 / 100)


def test_a_burst_is_one_toast_and_a_click_opens_its_view(gui, qtbot):
    window = gui.window
    shown = []
    window.toasts.shown.connect(shown.append)
    first = gui.controller.add_task("One")
    second = gui.controller.add_task("Two")
    gui.controller.complete(ItemRef(Kind.TASK, first.id))
    gui.controller.complete(ItemRef(Kind.TASK, second.id))
    assert len(shown) == 1
    toast = window.toasts.current
    assert toast is not None and toast.message.points == 25 + 10
    assert not toast.hasFocus() and toast.focusPolicy() == Qt.FocusPolicy.NoFocus
    window.show_view("goals")
    qtbot.mouseClick(toast, Qt.MouseButton.LeftButton)
    assert window.current_view_id() == "achievements"  # the toast is about First Step
    assert window.toasts.current is None


def test_toasts_dismiss_themselves(gui, qtbot):
    toasts = gui.window.toasts
    toasts._timer.setInterval(50)  # noqa: SLF001 (shorten the wait, keep the mechanism)
    task = gui.controller.add_task("Short")
    gui.controller.complete(ItemRef(Kind.TASK, task.id))
    assert toasts.current is not None
    qtbot.waitUntil(lambda: toasts.current is None, timeout=2000)


def outcome(**changes) -> Outcome:
    base = dict(event_id=1, key="k", event_type="task_completion", points_awarded=40,
                credits=(), debits=(), achievements=(), milestones=(), level_up=None, level=1,
                total_points=40, streaks=())
    base.update(changes)
    return Outcome(**base)


def test_muted_milestones_are_not_announced():
    loud = ReachedMilestone("project_task_milestone", "project", "tasks", "Work", 5, 25, False)
    muted = ReachedMilestone("project_task_milestone", "project", "tasks", "Home", 5, 25, True)
    message = summarize(outcome(milestones=(loud, muted)), Kind.TASK)
    assert message is not None
    assert message.text == "+40 points · Milestone in Work: 5 tasks +25"
    assert message.targets[0] == "milestones"


def test_reversals_and_empty_outcomes_are_silent():
    assert summarize(outcome(event_type="reversal", points_awarded=-15)) is None
    assert summarize(outcome(points_awarded=0)) is None


def test_level_up_is_announced_with_the_new_title():
    message = summarize(outcome(level_up=LevelUp(1, 2, "Apprentice"), level=2))
    assert message is not None and "Level 2 reached: Apprentice" in message.text
