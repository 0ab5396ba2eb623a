"""Issue 13 (items 1, 2): Enter saves, no value button takes Enter, and every action's
shortcuts and menu texts are sound (no duplicate, no "&" eaten as a mnemonic)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QPushButton

from momentum_app.core.catalog import Kind
from momentum_app.gui.changes import ItemRef

pytestmark = pytest.mark.gui


def _press_enter_from(dialog, qtbot, widget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_enter_in_the_edit_dialog_saves_and_keeps_the_complexity(gui, qtbot):
    task = gui.controller.add_task("Write report", complexity=3)
    dialog = gui.window.open_editor(ItemRef(Kind.TASK, task.id))
    qtbot.waitExposed(dialog)
    dialog.title_edit.setText("Write the report")
    _press_enter_from(dialog, qtbot, dialog.title_edit)
    assert not dialog.isVisible()
    saved = gui.momentum.items.get(Kind.TASK, task.id)
    assert (saved.title, saved.complexity) == ("Write the report", 3)


def test_enter_on_a_focused_complexity_segment_saves_instead_of_picking_it(gui, qtbot):
    task = gui.controller.add_task("Plan trip", complexity=4)
    dialog = gui.window.open_editor(ItemRef(Kind.TASK, task.id))
    qtbot.waitExposed(dialog)
    first = dialog.complexity._group.button(1)
    _press_enter_from(dialog, qtbot, first)
    assert not dialog.isVisible()
    assert gui.momentum.items.get(Kind.TASK, task.id).complexity == 4


def test_ctrl_n_then_enter_adds_the_task(gui, qtbot):
    dialog = gui.window.new_task()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.title_edit, "Call the bank")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Enter)
    assert [t.title for t in gui.momentum.items.list_tasks()] == ["Call the bank"]


def test_no_segment_or_icon_button_is_a_default_button(gui, qtbot):
    window = gui.window
    dialogs = [window.new_task(), window.new_goal(), window.new_slot(), window.new_project()]
    for view_id in window.views:
        window.show_view(view_id)
    for dialog in dialogs:
        qtbot.waitExposed(dialog)
    buttons = [b for d in dialogs for b in d.findChildren(QPushButton)]
    buttons += window.findChildren(QPushButton)
    offenders = [b.text() or b.accessibleName() for b in buttons
                 if (b.property("role") == "segment" or not b.text())
                 and (b.autoDefault() or b.isDefault())]
    assert offenders == []
    for dialog in dialogs:  # inside a form only Save may be the default
        extra = [b.text() for b in dialog.findChildren(QPushButton)
                 if b not in dialog.buttons.buttons() and b.autoDefault()]
        assert extra == []
        dialog.close()


# -- item 2: shortcuts and mnemonics ----------------------------------------------------

def _mnemonic_problems(text: str) -> list[str]:
    """An "&" not followed by a letter or digit (after "&&" is removed) becomes an
    invisible mnemonic that eats the character; two marks are ambiguous."""
    bare = text.replace("&&", "")
    marks = [m.group(0) for m in re.finditer(r"&.?", bare)]
    problems = [m for m in marks if len(m) < 2 or not m[1].isalnum()]
    if len(marks) > 1:
        problems.append(f"{len(marks)} mnemonics")
    return problems


def test_mnemonic_check_flags_the_levels_and_perks_bug():
    assert _mnemonic_problems("Levels & perks")
    assert not _mnemonic_problems("Levels && perks")
    assert not _mnemonic_problems("&Quit")


def test_every_action_has_unique_shortcuts_and_sound_text(gui):
    window = gui.window
    actions = [a for a in window.findChildren(QAction) if not a.isSeparator()]
    for menu_action in window.menuBar().actions():
        actions.append(menu_action)
        menu = menu_action.menu()
        if menu is not None:
            actions += menu.actions()
            for sub in menu.actions():
                if sub.menu() is not None:
                    actions += sub.menu().actions()
    actions = list(dict.fromkeys(actions))
    keys = Counter(k.toString() for a in actions for k in a.shortcuts() if not k.isEmpty())
    assert [k for k, n in keys.items() if n > 1] == []
    bad = {a.text(): _mnemonic_problems(a.text()) for a in actions
           if a.text() and _mnemonic_problems(a.text())}
    assert bad == {}


def test_ctrl_q_is_one_unambiguous_shortcut(gui):
    quit_action = gui.window.window_actions.quit
    assert quit_action.shortcuts().count(QKeySequence("Ctrl+Q")) == 1


def test_shortcut_help_shows_literal_ampersands_and_single_keys(gui, qtbot):
    dialog = gui.window.window_actions.show_shortcuts()
    qtbot.waitExposed(dialog)
    texts = [w.text() for w in dialog.findChildren(QLabel)]
    assert "Levels & perks" in texts
    assert not any("Levels  perks" in t or "Levels perks" in t for t in texts)
    assert not any(" or ".join([k, k]) in t for t in texts for k in ("Ctrl+Q",))
    level_action = next(a for a in gui.window.window_actions.view_actions if "Levels" in a.text())
    assert level_action.text() == "Levels && perks"
    dialog.close()
