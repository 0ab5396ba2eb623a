"""Add or edit a goal: title, project, target date, notes (steps are edited on the card)."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from ...core.catalog import Kind
from ...core.services.dto import GoalDTO
from ..changes import ItemRef
from ..context import GuiContext
from .fields import ChoiceCombo, OptionalDateEdit
from .form import EditorDialog
from .task_dialog import project_choices


class GoalDialog(EditorDialog):
    def __init__(self, ctx: GuiContext, goal: GoalDTO | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "goal", goal is not None, parent)
        self.goal = goal
        self.title_edit = QLineEdit(goal.title if goal else "")
        self.title_edit.setPlaceholderText("What do you want to achieve?")
        self.add_field("title", "&Title", self.title_edit)
        self.project_combo = ChoiceCombo(project_choices(ctx), goal.project if goal else "Inbox")
        self.add_field("project", "&Project", self.project_combo)
        self.target_edit = OptionalDateEdit("Target", goal.target if goal else None,
                                            ctx.today())
        self.add_field("target", "T&arget date", self.target_edit)
        self.notes_edit = QPlainTextEdit(goal.notes if goal else "")
        self.notes_edit.setFixedHeight(84)
        self.notes_edit.setTabChangesFocus(True)
        self.add_field("notes", "&Notes", self.notes_edit)
        self.title_edit.setFocus()

    def values(self) -> dict[str, object]:
        return {"title": self.title_edit.text(), "project": self.project_combo.value(),
                "target": self.target_edit.value(), "notes": self.notes_edit.toPlainText()}

    def submit(self) -> None:
        values = self.values()
        if self.goal is None:
            title = str(values.pop("title"))
            self.ctx.controller.add_goal(title, **values)
        else:
            self.ctx.controller.edit(ItemRef(Kind.GOAL, self.goal.id), **values)
