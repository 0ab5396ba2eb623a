"""Issue 13 item 5: after completing (Space, Ctrl+Enter) or deleting (Del) a row the
selection moves to the next one; a click on a list shifting under the cursor never
completes the wrong item; Tab leaves the table; Escape clears the search; a task made with
Ctrl+N is selected."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from momentum_app.core.catalog import Kind
from momentum_app.gui.changes import ItemRef
from momentum_app.gui.widgets.delegates import check_rect

CTRL = Qt.KeyboardModifier.ControlModifier
pytestmark = pytest.mark.gui


def _tasks_view(gui, drain, qtbot, titles, status="open"):
    for title in titles:
        gui.controller.add_task(title)
    view = gui.window.show_view("tasks", focus=True)
    if status != "open":
        view.status.button(status).click()
    qtbot.waitUntil(lambda: (drain(gui), view.model.rowCount() == len(titles))[1], timeout=5000)
    view.table.selectRow(0)
    view.table.setFocus()
    return view


def _status(gui, title):
    return next(t.status for t in gui.momentum.items.list_tasks(status="all")
                if t.title == title)


def _selected_title(view):
    ref = view.current_item()
    return gui_title(view, ref)


def gui_title(view, ref):
    return None if ref is None else view.ctx.momentum.items.get(Kind.TASK, ref.id).title


def test_space_twice_completes_two_tasks_in_a_row(gui, qtbot, drain):
    view = _tasks_view(gui, drain, qtbot, ["Alpha", "Beta", "Gamma"])
    first = gui_title(view, view.current_item())
    qtbot.keyClick(view.table, Qt.Key.Key_Space)
    drain(gui)
    second = gui_title(view, view.current_item())
    assert second is not None and second != first
    qtbot.keyClick(view.table, Qt.Key.Key_Space)
    drain(gui)
    assert _status(gui, first) == _status(gui, second) == "done"
    assert len([t for t in gui.momentum.items.list_tasks() if t.status == "open"]) == 1


def test_with_all_tasks_shown_space_still_moves_on(gui, qtbot, drain):
    view = _tasks_view(gui, drain, qtbot, ["Alpha", "Beta"], status="all")
    first = gui_title(view, view.current_item())
    qtbot.keyClick(view.table, Qt.Key.Key_Space)
    drain(gui)
    assert _status(gui, first) == "done"
    assert gui_title(view, view.current_item()) not in (None, first)


def test_ctrl_enter_and_delete_move_the_selection_on(gui, qtbot, drain):
    view = _tasks_view(gui, drain, qtbot, ["Alpha", "Beta", "Gamma"])
    first = gui_title(view, view.current_item())
    qtbot.keyClick(gui.window, Qt.Key.Key_Return, CTRL)
    drain(gui)
    after_done = gui_title(view, view.current_item())
    assert after_done not in (None, first)
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    drain(gui)
    assert gui_title(view, view.current_item()) not in (None, first, after_done)


def test_space_moves_on_in_the_today_list(gui, qtbot, drain):
    today = gui.ctx.today()
    for title in ("One", "Two"):
        gui.controller.add_task(title, due=today)
    view = gui.window.show_view("today", focus=True)
    drain(gui)
    view.task_list.select_first()
    view.task_list.setFocus()
    first = view.task_list.current_ref()
    qtbot.keyClick(view.task_list, Qt.Key.Key_Space)
    following = view.task_list.current_ref()
    assert following is not None and following != first
    qtbot.keyClick(view.task_list, Qt.Key.Key_Space)
    assert {gui.momentum.items.get(Kind.TASK, r.id).status for r in (first, following)} \
        == {"done"}


def test_a_click_on_a_row_that_slid_in_completes_nothing(gui, qtbot, drain):
    today = gui.ctx.today()
    one = gui.controller.add_task("One", due=today)
    two = gui.controller.add_task("Two", due=today)
    view = gui.window.show_view("today")
    drain(gui)
    lst = view.task_list
    row = lst.list_model.row_of(ItemRef(Kind.TASK, one.id))
    rect = lst.visualRect(lst.list_model.index(row))
    point = check_rect(rect).center()
    qtbot.mousePress(lst.viewport(), Qt.MouseButton.LeftButton, pos=point)
    gui.controller.delete(ItemRef(Kind.TASK, one.id))  # the list shifts under the cursor
    drain(gui)
    QApplication.processEvents()
    qtbot.mouseRelease(lst.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert gui.momentum.items.get(Kind.TASK, two.id).status == "open"
    # an ordinary click still works
    row = lst.list_model.row_of(ItemRef(Kind.TASK, two.id))
    point = check_rect(lst.visualRect(lst.list_model.index(row))).center()
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert gui.momentum.items.get(Kind.TASK, two.id).status == "done"


def test_tab_leaves_the_tasks_table(gui, qtbot, drain):
    view = _tasks_view(gui, drain, qtbot, ["Alpha", "Beta"])
    assert not view.table.tabKeyNavigation()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Tab)
    assert not view.table.hasFocus()


def test_tab_order_follows_the_screen_top_to_bottom(gui, qtbot, drain):
    view = _tasks_view(gui, drain, qtbot, ["Alpha"])
    chain, widget = [], view.new_button
    for _ in range(8):
        chain.append(widget)
        widget = widget.nextInFocusChain()
        while not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus) or not widget.isVisible():
            widget = widget.nextInFocusChain()
    order = [w for w in chain if w in (view.new_button, view.search, view.project_combo,
                                       view.table)]
    tops = [w.mapTo(gui.window, QPoint(0, 0)).y() for w in order]
    assert tops == sorted(tops)


def test_escape_clears_the_search_then_returns_to_the_table(gui, qtbot, drain):
    view = _tasks_view(gui, drain, qtbot, ["Buy milk", "Write essay"])
    view.focus_search()
    qtbot.keyClicks(view.search, "milk")
    qtbot.keyClick(view.search, Qt.Key.Key_Escape)
    assert view.search.text() == ""
    qtbot.keyClick(view.search, Qt.Key.Key_Escape)
    assert view.table.hasFocus()


def test_a_task_made_with_ctrl_n_is_selected(gui, qtbot, drain):
    view = _tasks_view(gui, drain, qtbot, [f"Task {n:02d}" for n in range(30)])
    dialog = gui.window.new_task()
    qtbot.keyClicks(dialog.title_edit, "Zebra crossing")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: (drain(gui), gui_title(view, view.current_item())
                             == "Zebra crossing")[1], timeout=5000)
