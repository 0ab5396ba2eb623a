"""Ops apply, and are announced, in the order they were asked for (issue 15 item 4).

A person's keys wait while an op runs (``OpRunner.run`` excludes user input from its
wait), but a toggle can also start *inside* the first one's wait — from a timer, a
notification's button, or a key that reaches the window by another path. Here Ctrl+Enter
arrives while Space's completion is still on the op thread: the second toggle must see
the first one's result (so it reopens), and the window must hear "done" before
"reopened".
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer

from momentum_app.core.catalog import Kind
from momentum_app.gui.changes import Change, ItemRef

CTRL = Qt.KeyboardModifier.ControlModifier


def test_ctrl_enter_during_the_space_toggle_is_applied_after_it(gui, qtbot):
    goal = gui.controller.add_goal("Run a 10k")
    step = gui.controller.add_step(goal.id, "Buy shoes")
    ref = ItemRef(Kind.STEP, step.id)
    goals = gui.window.show_view("goals")
    box = goals.cards[0].step_boxes[0]
    box.setFocus()
    heard: list[tuple[bool, str]] = []

    def on_change(change: Change) -> None:
        if change.item == ref:
            heard.append((change.announce, gui.momentum.items.get(Kind.STEP, step.id).status))

    gui.ctx.changes.changed.connect(on_change)
    during: list[bool] = []

    def ctrl_enter() -> None:  # fires inside the first toggle's wait
        during.append(gui.controller.ops.running)
        qtbot.keyClick(gui.window, Qt.Key.Key_Enter, CTRL)

    QTimer.singleShot(0, ctrl_enter)
    qtbot.keyClick(box, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(heard) == 2)
    assert during == [True]  # the second toggle really came while the first ran
    assert gui.momentum.items.get(Kind.STEP, step.id).status == "open"
    # "done" (announced) first, then "reopened"; by the time the first is heard the
    # second has run too, so both see the final state: the order is in the announcement.
    assert [announce for announce, _status in heard] == [True, False]
    history = gui.momentum.history.status()
    assert history.done >= 2 and history.undo is not None
