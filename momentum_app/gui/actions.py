"""The window's menus and keyboard shortcuts, built from one table of actions.

Shortcuts are window-wide actions, except Space, which each list handles itself (so
typing a space in a text field never toggles a task). The Help ▸ Keyboard shortcuts
window is generated from the same actions, so it cannot drift from them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDialog, QGridLayout, QLabel, QMenu, QMenuBar, QVBoxLayout, QWidget

from .perks import EXTRA_THEMES_PERK, unlock_text
from .theme import EXTRA_THEMES, THEME_TITLES, ThemeMode
from .widgets.common import label

if TYPE_CHECKING:
    from .main_window import MainWindow

Keys = Sequence[QKeySequence | QKeySequence.StandardKey | str]


def menu_text(title: str) -> str:
    """``title`` as menu text: a literal "&" doubled so Qt does not make it a mnemonic."""
    return title.replace("&", "&&")


def plain_text(text: str) -> str:
    """Menu text as a person reads it: mnemonic marks dropped, "&&" shown as "&"."""
    return re.sub(r"&(.)", r"\1", text).rstrip("…")


def unique_keys(keys: Sequence[QKeySequence]) -> list[QKeySequence]:
    """``keys`` without repeats (a StandardKey may expand to a sequence also listed)."""
    seen: list[QKeySequence] = []
    for key in keys:
        if not key.isEmpty() and key not in seen:
            seen.append(key)
    return seen


def make_action(parent: QWidget, text: str, slot: Callable[[], object], keys: Keys = (),
                icon: str | None = None, tip: str = "") -> QAction:
    action = QAction(text, parent)
    if keys:
        expanded: list[QKeySequence] = []
        for key in keys:
            if isinstance(key, QKeySequence.StandardKey):
                expanded.extend(QKeySequence.keyBindings(key))
            else:
                expanded.append(QKeySequence(key))
        action.setShortcuts(unique_keys(expanded))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda _checked=False: slot())
    if tip:
        action.setStatusTip(tip)
    if icon:
        action.setProperty("icon_name", icon)
    parent.addAction(action)
    return action


def view_keys(number: int, shortcut: str | None) -> list[str]:
    """A view's own shortcut, else Ctrl+<its position> for the first nine."""
    if shortcut:
        return [shortcut]
    return [f"Ctrl+{number}"] if number <= 9 else []


class WindowActions:
    """Every menu action of the main window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        w = window
        stack = w.ctx.controller.undo_stack
        self.new_task = make_action(w, "New &task…", w.new_task, ["Ctrl+N"], "fa5s.plus")
        self.new_goal = make_action(w, "New &goal…", w.new_goal, ["Ctrl+Shift+G"])
        self.new_slot = make_action(w, "New time &slot…", w.new_slot, ["Ctrl+Shift+T"])
        self.new_project = make_action(w, "New &project…", w.new_project, ["Ctrl+Shift+P"])
        self.export = make_action(w, "&Export…", w.export_data, ["Ctrl+Shift+E"],
                                  tip="Report card, spreadsheet tables, backup or calendar")
        self.import_ = make_action(w, "&Import…", w.import_data, ["Ctrl+Shift+I"],
                                   tip="A Momentum backup, Taskwarrior, todo.txt or a calendar")
        self.quit = make_action(w, "&Quit", w.close, [QKeySequence.StandardKey.Quit, "Ctrl+Q"])

        self.undo = stack.createUndoAction(w, "&Undo")
        self.undo.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo = stack.createRedoAction(w, "&Redo")
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo, self.redo):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            w.addAction(action)
        self.toggle_done = make_action(w, "Mark &done / reopen", w.toggle_current,
                                       ["Ctrl+Return", "Ctrl+Enter"], "fa5s.check")
        self.complete_at = make_action(w, "Mark done &at…", w.complete_current_at,
                                       ["Ctrl+Shift+Return", "Ctrl+Shift+Enter"])
        self.edit = make_action(w, "&Edit…", w.edit_current, ["F2", "Ctrl+E"])
        self.delete = make_action(w, "De&lete", w.delete_current,
                                  [QKeySequence(Qt.Key.Key_Delete)])
        self.find = make_action(w, "&Find tasks", w.find_tasks, ["Ctrl+F"])
        self.focus = make_action(w, "Start &focus session", w.start_focus, ["Ctrl+Shift+F"],
                                 tip="Count the selected time slot down; it completes "
                                     "when time is up")

        self.view_actions = [
            make_action(w, menu_text(spec.title), partial(w.show_view, spec.id, focus=True),
                        view_keys(number, spec.shortcut))
            for number, spec in enumerate(w.view_specs, start=1)]
        self.theme_group = QActionGroup(w)
        self.theme_actions: dict[ThemeMode, QAction] = {}
        for mode in ThemeMode:
            action = make_action(w, THEME_TITLES[mode], partial(w.set_theme, mode))
            action.setCheckable(True)
            action.setChecked(w.ctx.theme.mode is mode)
            self.theme_group.addAction(action)
            self.theme_actions[mode] = action
        self.shortcuts_help = make_action(w, "&Keyboard shortcuts", self.show_shortcuts,
                                          ["F1"])
        self.about = make_action(w, "&About Momentum", w.show_about)

    def build_menus(self, bar: QMenuBar) -> None:
        file_menu = bar.addMenu("&File")
        for action in (self.new_task, self.new_goal, self.new_slot, self.new_project):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_)
        file_menu.addAction(self.export)
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo)
        edit_menu.addAction(self.redo)
        edit_menu.addSeparator()
        for action in (self.toggle_done, self.complete_at, self.edit, self.delete):
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.focus)
        edit_menu.addAction(self.find)
        view_menu = bar.addMenu("&View")
        for action in self.view_actions:
            view_menu.addAction(action)
        view_menu.addSeparator()
        theme_menu = QMenu("&Theme", view_menu)
        for mode, action in self.theme_actions.items():
            if mode is EXTRA_THEMES[0]:
                theme_menu.addSeparator()
            theme_menu.addAction(action)
        view_menu.addMenu(theme_menu)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.shortcuts_help)
        help_menu.addAction(self.about)

    def sync_themes(self) -> None:
        """Check the theme in use; extra themes are disabled (and say why) below level 6."""
        unlocked = self.window.ctx.perks.unlocked(EXTRA_THEMES_PERK)
        for mode, action in self.theme_actions.items():
            if mode in EXTRA_THEMES:
                action.setEnabled(unlocked)
                title = THEME_TITLES[mode]
                action.setText(title if unlocked else
                               f"{title} — unlocks at {unlock_text(EXTRA_THEMES_PERK)}")
            action.setChecked(self.window.ctx.theme.mode is mode)

    def all_with_shortcuts(self) -> list[QAction]:
        actions = [self.new_task, self.new_goal, self.new_slot, self.new_project,
                   self.toggle_done, self.complete_at, self.edit, self.delete, self.focus,
                   self.find,
                   self.undo, self.redo, *self.view_actions, self.shortcuts_help, self.quit]
        return [a for a in actions if a.shortcuts()]

    def show_shortcuts(self) -> QDialog:
        dialog = QDialog(self.window)
        dialog.setWindowTitle("Keyboard shortcuts")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(dialog)
        layout.setContentsMargins(22, 18, 22, 18)
        layout.addWidget(label("Keyboard shortcuts", "h2"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(6)
        rows: list[tuple[str, str]] = []
        for action in self.all_with_shortcuts():
            name = ("Undo" if action is self.undo else "Redo" if action is self.redo
                    else plain_text(action.text()))
            keys = " or ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                               for k in action.shortcuts())
            rows.append((name, keys))
        rows.append(("Mark done / reopen in a list", "Space"))
        rows.append(("Move a selected time slot by 15 minutes", "Alt+Up / Alt+Down"))
        for row, (text, keys) in enumerate(rows):
            grid.addWidget(QLabel(text), row, 0)
            grid.addWidget(label(keys, "muted"), row, 1)
        layout.addLayout(grid)
        dialog.open()
        return dialog
