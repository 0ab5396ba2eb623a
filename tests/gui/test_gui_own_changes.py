"""Issue 15 item 2: every view that makes a change names itself as its initiator and
skips the reload it caused (it updates in place), while the other views still refresh
on the scopes they show. And one click followed to its toast through typed objects.

Each test counts the initiating view's ``reload`` calls (the full re-read of what it
shows) and checks what it shows afterwards, then checks that another view showing the
same scope was marked stale and reloads when shown, and that the same kind of change
made by someone else does reload the initiating view.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from momentum_app.core import catalog
from momentum_app.core.catalog import Kind
from momentum_app.core.engine import outcome as outcome_module
from momentum_app.core.engine.outcome import Outcome
from momentum_app.core.services.changes import OpChanges, Scope
from momentum_app.core.services.items import Completed
from momentum_app.gui.changes import Change, ItemRef
from momentum_app.gui.controller import HistoryEntry
from momentum_app.gui.dialogs.task_dialog import TaskDialog
from momentum_app.gui.toast_text import ToastMessage
from momentum_app.gui.views.base import View

pytestmark = pytest.mark.gui


def counted(view: View) -> list[int]:
    """Count the view's full reloads from now on."""
    calls: list[int] = []
    original = view.reload

    def reload() -> None:
        calls.append(1)
        original()

    view.reload = reload  # type: ignore[method-assign]
    return calls


def shown(gui, view_id: str) -> View:
    view = gui.window.show_view(view_id)
    assert view is not None and view.isVisible()
    return view


def changes_seen(gui) -> list[Change]:
    seen: list[Change] = []
    gui.ctx.changes.changed.connect(seen.append)
    return seen


def setup(gui, view_id: str, other_id: str) -> tuple[View, View, list[int], list[int],
                                                      list[Change]]:
    """Both views loaded once; the initiator on screen; counters and changes watched."""
    other = shown(gui, other_id)
    view = shown(gui, view_id)
    assert not other._stale and not view._stale
    return view, other, counted(view), counted(other), changes_seen(gui)


def assert_other_refreshes(gui, other: View, other_id: str, reloads: list[int]) -> None:
    """The other view did not cause the change: it will refresh when it is shown."""
    assert other._stale
    shown(gui, other_id)
    assert reloads == [1]


def test_today_completes_its_row_in_place(gui):
    today = gui.ctx.today().isoformat()
    task = gui.controller.add_task("Call the plumber", due=today)
    later = gui.controller.add_task("Water the plants", due=today)
    view, other, own, others, seen = setup(gui, "today", "dashboard")
    assert view.task_card.heading.text() == "Due · 2"
    view.toggle(ItemRef(Kind.TASK, task.id))
    assert seen[-1].caused_by(view) and seen[-1].record is not None
    assert own == []  # its own change: no full reload
    assert [t.id for t in view._due] == [later.id]  # the done task left the Due card
    assert view.task_card.heading.text() == "Due · 1"
    assert view.done_tile.value.text().startswith("1 /")  # the tally was read again
    assert_other_refreshes(gui, other, "dashboard", others)
    shown(gui, "today")
    own.clear()
    gui.controller.complete(ItemRef(Kind.TASK, later.id))  # not the view's: it reloads
    assert own == [1] and view._due == []


def test_goals_replaces_the_one_card_it_changed(gui):
    goal = gui.controller.add_goal("Run a 10k")
    first = gui.controller.add_step(goal.id, "Buy shoes")
    gui.controller.add_step(goal.id, "Run 5k")
    view, other, own, others, seen = setup(gui, "goals", "today")
    (card,) = view.cards
    view.toggle(ItemRef(Kind.STEP, first.id))
    assert seen[-1].caused_by(view) and own == []
    (fresh,) = view.cards
    assert fresh is not card  # that card alone was rebuilt from the goal as it is now
    assert [s.status for s in fresh.goal.steps] == ["done", "open"]
    view._add_step(goal.id, "Stretch")
    assert own == [] and len(view.cards[0].goal.steps) == 3
    assert_other_refreshes(gui, other, "today", others)
    shown(gui, "goals")
    own.clear()
    gui.controller.reopen(ItemRef(Kind.STEP, first.id))
    assert own == [1]


def test_schedule_keeps_the_dropped_block_without_a_reload(gui):
    start = gui.momentum.clock.now()
    slot = gui.controller.add_slot("Deep work", start, start + timedelta(minutes=50))
    view, other, own, others, seen = setup(gui, "schedule", "today")
    later = start + timedelta(hours=1)
    view._move(slot.id, later, later + timedelta(minutes=50))  # a drag on the grid
    assert seen[-1].caused_by(view) and own == []
    assert [s.start for s in view.grid.slots] == [later]
    assert gui.momentum.items.get(Kind.SLOT, slot.id).start == later
    view.toggle(ItemRef(Kind.SLOT, slot.id))
    assert own == [] and view.grid.slots[0].status == "done"
    assert_other_refreshes(gui, other, "today", others)
    shown(gui, "schedule")
    own.clear()
    gui.controller.reopen(ItemRef(Kind.SLOT, slot.id))
    assert own == [1] and view.grid.slots[0].status == "open"


def test_rewards_rebuilds_only_its_shop(gui):
    view, other, own, others, seen = setup(gui, "rewards", "dashboard")
    view.name_edit.setText("Movie night")
    view.cost_spin.setValue(30)
    assert view.add_reward()
    assert seen[-1].caused_by(view) and seen[-1].touches(Scope.REWARDS)
    assert own == [] and [c.reward.name for c in view.cards] == ["Movie night"]
    view.remove("Movie night")
    assert own == [] and view.cards == []
    assert_other_refreshes(gui, other, "dashboard", others)
    shown(gui, "rewards")
    own.clear()
    gui.controller.rewards.add("Tea", 3)
    assert own == [1] and [c.reward.name for c in view.cards] == ["Tea"]


def test_settings_keeps_its_form_and_reads_only_the_list_that_moved(gui):
    view, other, own, others, seen = setup(gui, "settings", "today")
    view.target.setValue(7)
    assert view.save_profile()
    assert seen[-1].caused_by(view) and seen[-1].touches(Scope.PROFILE)
    assert own == [] and view.target.value() == 7
    assert gui.momentum.profiles.current().daily_target == 7
    assert view.add_vacation()
    assert own == [] and view.vacation_list.count() == 1
    row = view.vacation_list.itemAt(0).widget()
    assert row.findChild(QPushButton).text() == "Delete"  # a vacation's row, not "none"
    assert_other_refreshes(gui, other, "today", others)
    shown(gui, "settings")
    own.clear()
    gui.controller.update_profile(daily_target=5)
    assert own == [1] and view.target.value() == 5


def test_a_dialog_names_itself_and_every_view_refreshes(gui, qtbot):
    view = shown(gui, "tasks")
    own = counted(view)
    seen = changes_seen(gui)
    qtbot.keyClick(gui.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = gui.window.findChild(TaskDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.title_edit.setText("Pay rent")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert not dialog.isVisible()
    assert seen[-1].caused_by(dialog) and not seen[-1].caused_by(view)
    assert own == [1]  # the view did not make it: it reloads


def test_the_window_keyboard_toggle_is_the_current_views_own_change(gui, qtbot):
    """Ctrl+Enter on Today's selection: the view is the initiator and updates in place."""
    task = gui.controller.add_task("Call", due=gui.ctx.today().isoformat())
    view = shown(gui, "today")
    own = counted(view)
    seen = changes_seen(gui)
    assert view.select_item(ItemRef(Kind.TASK, task.id))
    gui.window.toggle_current()
    assert seen[-1].caused_by(view) and own == [] and view._due == []


def test_one_click_to_the_toast_through_typed_objects(gui, grant, qtbot):
    """A completion in the Tasks view: the core's record (OpChanges, with the
    Completed and its Outcome), the window's Change, the toast's message — every step
    a typed object, the level-up reaching the toast's text."""
    grant(gui, 90)  # 10 points short of level 2
    gui.window.toasts.clear()  # the earlier toasts may still wait in the queue
    task = gui.controller.add_task("Finish the report", complexity=3)
    view = shown(gui, "tasks")
    view.model.load(view.model.query.with_(status="all"))
    qtbot.waitUntil(lambda: view.model.row_of(task.id) is not None)
    seen = changes_seen(gui)
    performed: list[OpChanges] = []
    history = gui.momentum.history
    perform = history.perform

    def watched(*args, **kwargs):  # the core's one door, watched (not replaced)
        record = perform(*args, **kwargs)
        performed.append(record)
        return record

    history.perform = watched  # type: ignore[method-assign]
    view.toggle(ItemRef(Kind.TASK, task.id))  # what the row's check box does
    # 1. the core's record, returned by perform: typed, with the result on it
    (record,) = performed
    assert isinstance(record, OpChanges) and isinstance(record.result, Completed)
    assert record.touches(Scope.TASKS | Scope.PROGRESS) and record.initiator is view
    outcome = record.outcome
    assert isinstance(outcome, Outcome) and outcome is record.result.outcome
    assert outcome.level == 2 and outcome.level_up is not None
    level_up_type = getattr(outcome_module, "LevelUp", None)  # typed by issue-15a
    if level_up_type is not None:
        assert isinstance(outcome.level_up, level_up_type)
    # 2. the window's one change: the record's scopes and outcome, the history handle
    change = seen[-1]
    assert isinstance(change, Change) and change.record is not None
    assert change.scopes == record.scopes and change.outcome is outcome
    assert change.announce and change.item == ItemRef(Kind.TASK, task.id)
    assert isinstance(change.command, HistoryEntry)
    assert change.command.entry_id == record.entry_id
    # 3. the toast: its message says the level the outcome reached
    toast = gui.window.toasts.current
    assert toast is not None and isinstance(toast.message, ToastMessage)
    title = catalog.LEVELS[outcome.level - 1].title
    assert f"Level 2 reached: {title}" in toast.message.lines
    assert toast.message.points == outcome.points_awarded
    assert toast.message.commands == (change.command,)  # its Undo undoes this entry


def test_every_change_takes_its_scopes_from_the_cores_record(gui):
    """No guess in the window: each published change carries the core's record, and its
    scopes are that record's (for undo and redo too); nothing recorded, nothing moved."""
    seen = changes_seen(gui)
    controller = gui.controller
    task = controller.add_task("Plan")
    controller.edit(ItemRef(Kind.TASK, task.id), title="Plan the week")
    controller.complete(ItemRef(Kind.TASK, task.id))
    controller.add_project("Garden")
    controller.rewards.add("Tea", 3)
    controller.add_vacation(gui.ctx.today(), gui.ctx.today())
    controller.undo_stack.undo()
    controller.undo_stack.redo()
    assert len(seen) == 8
    for change in seen:
        assert change.record is not None and change.scopes == change.record.scopes
        assert change.scopes != Scope.NONE and change.record.entry_id is not None
    edit, done = seen[1].record, seen[2].record
    assert edit.scopes == Scope.TASKS and edit.ids("tasks") == {task.id}
    assert done.touches(Scope.PROGRESS) and done.outcome is not None
    assert seen[4].scopes == Scope.REWARDS | Scope.PROFILE  # the shop and the coins
    assert seen[6].undone and seen[6].scopes == seen[5].scopes  # the vacation, taken back
    assert not seen[7].undone and seen[7].scopes == seen[5].scopes


def test_the_sidebar_changes_a_project_in_place(gui):
    """The sidebar's project menu (milestone cards on or off, delete) passes the sidebar
    as initiator: its list shows the result in place, without reading every project
    again; Tasks (which shows projects) refreshes; anyone else's change reloads it."""
    gui.controller.add_project("Garden")
    other = shown(gui, "tasks")
    shown(gui, "today")
    sidebar = gui.window.sidebar
    model = sidebar.project_model
    own, others, seen = counted(sidebar), counted(other), changes_seen(gui)
    assert model.project(model.row_of("Garden")).goals_enabled is True

    assert sidebar.set_goals_enabled("Garden", False) is not None
    assert seen[-1].caused_by(sidebar) and seen[-1].record is not None
    assert own == []  # in place
    assert model.project(model.row_of("Garden")).goals_enabled is False
    assert other._stale

    sidebar.delete_project("Garden")
    assert seen[-1].caused_by(sidebar) and own == []
    assert model.row_of("Garden") is None
    assert_other_refreshes(gui, other, "tasks", others)

    gui.controller.undo()  # not the sidebar's own change: it reads the projects again
    assert own == [1] and model.row_of("Garden") is not None
    own.clear()
    gui.controller.add_project("Shed")
    assert own == [1] and model.row_of("Shed") is not None
    assert sidebar.delete_project("Inbox") is None  # refused: said in the status bar
    assert own == [1] and model.row_of("Inbox") is not None
