"""A goal as a card: title, project, target date, progress bar and its step checklist."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.catalog import Kind
from ...core.services.dto import GoalDTO
from ..changes import ItemRef
from ..theme import ThemeManager
from ..timefmt import short_date
from .common import ElidedLabel, label, set_flag


class GoalCard(QFrame):
    """Emits requests; the Goals view turns them into controller calls."""

    toggle_requested = Signal(object)  # ItemRef of a step or of the goal
    edit_requested = Signal(object)  # ItemRef
    delete_requested = Signal(object)  # ItemRef
    add_step_requested = Signal(int, str)  # goal id, title

    def __init__(self, goal: GoalDTO, theme: ThemeManager, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.goal = goal
        self.setProperty("card", True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName(f"Goal {goal.title}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 14, 14)
        layout.setSpacing(10)
        done = goal.status == "done"

        top = QHBoxLayout()
        top.setSpacing(10)
        icon = QLabel()
        icon.setPixmap(theme.icon("fa5s.check-circle" if done else "fa5s.bullseye",
                                  "success" if done else "accent").pixmap(20, 20))
        icon.setFixedSize(22, 22)
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        title_column = QVBoxLayout()
        title_column.setSpacing(4)
        # One line (the whole title in the tooltip when cut), so every card's progress
        # bar sits at the same height as its neighbour's.
        self.title_label = ElidedLabel(goal.title, "h2")
        title_column.addWidget(self.title_label)
        chips = QHBoxLayout()
        chips.setSpacing(6)
        chips.addWidget(label(goal.project, "chip"))
        if goal.target is not None and not done:
            overdue = goal.target < today
            target = label(f"Target {short_date(goal.target, today)}", "chip-muted")
            target.setToolTip(goal.target.isoformat() + (" · past its target" if overdue
                                                         else ""))
            chips.addWidget(target)
        if done:
            chips.addWidget(label("Completed", "chip-muted"))
        chips.addStretch(1)
        title_column.addLayout(chips)
        top.addLayout(title_column, 1)
        self.menu_button = QToolButton()
        self.menu_button.setIcon(theme.icon("fa5s.ellipsis-h"))
        self.menu_button.setAccessibleName(f"Actions for goal {goal.title}")
        self.menu_button.setToolTip("Goal actions")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setMenu(self._build_menu())
        top.addWidget(self.menu_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        steps_done = sum(1 for s in goal.steps if s.status == "done")
        progress_row = QHBoxLayout()
        progress_row.setSpacing(10)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(round(goal.progress_percent))
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(f"Progress of {goal.title}")
        self.progress.setProperty("complete", goal.progress_percent >= 100)
        progress_row.addWidget(self.progress, 1)
        summary = (f"{steps_done} of {len(goal.steps)} steps · {goal.progress_percent:.0f}%"
                   if goal.steps else ("Done" if done else "No steps yet"))
        self.progress_label = label(summary, "muted")
        self.progress_label.setAlignment(Qt.AlignmentFlag.AlignRight |
                                         Qt.AlignmentFlag.AlignVCenter)
        # the same width on every card, so the bars are as long as their neighbours'
        self.progress_label.setMinimumWidth(self.progress_label.fontMetrics().horizontalAdvance(
            "99 of 99 steps · 100%") + 4)
        progress_row.addWidget(self.progress_label)
        layout.addLayout(progress_row)

        self.step_boxes: list[QCheckBox] = []
        steps = QVBoxLayout()
        steps.setSpacing(6)
        steps.setContentsMargins(2, 2, 0, 0)
        for step in goal.steps:
            box = QCheckBox(step.title)
            box.setChecked(step.status == "done")
            box.setProperty("done", step.status == "done")
            box.setProperty("step_id", step.id)
            box.setAccessibleName(f"Step {step.title}")
            box.clicked.connect(lambda _checked=False, sid=step.id: self.toggle_requested.emit(
                ItemRef(Kind.STEP, sid)))
            steps.addWidget(box)
            self.step_boxes.append(box)
        layout.addLayout(steps)
        self.new_step = QLineEdit()
        self.new_step.setPlaceholderText("Add a step and press Enter")
        self.new_step.setAccessibleName(f"New step for {goal.title}")
        self.new_step.returnPressed.connect(self._add_step)
        layout.addWidget(self.new_step)  # parented first: shown unparented it is a window
        self.new_step.setVisible(not done)
        self.step_error = label("", "error")
        self.step_error.setVisible(False)
        layout.addWidget(self.step_error)

    def _build_menu(self) -> QMenu:
        ref = ItemRef(Kind.GOAL, self.goal.id)
        menu = QMenu(self)
        edit = QAction("Edit goal…", menu)
        edit.triggered.connect(lambda: self.edit_requested.emit(ref))
        toggle = QAction("Reopen goal" if self.goal.status == "done" else "Mark goal done",
                         menu)
        toggle.triggered.connect(lambda: self.toggle_requested.emit(ref))
        delete = QAction("Delete goal", menu)
        delete.triggered.connect(lambda: self.delete_requested.emit(ref))
        for action in (edit, toggle):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(delete)
        return menu

    def _add_step(self) -> None:
        text = self.new_step.text()
        if text.strip():
            self.add_step_requested.emit(self.goal.id, text)

    def show_step_error(self, message: str) -> None:
        self.step_error.setText(message[:1].upper() + message[1:])
        self.step_error.setVisible(bool(message))
        set_flag(self.new_step, "invalid", bool(message))
