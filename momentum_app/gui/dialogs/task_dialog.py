"""Add or edit a task: title, project, goal, complexity, due date, repeat rule, tags,
hide-until day and notes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from ...core import catalog
from ...core.catalog import Kind
from ...core.kinds import Status
from ...core.services.dto import TaskDTO
from ..changes import ItemRef
from ..context import GuiContext
from .fields import ChoiceCombo, ComplexityPicker, OptionalDateEdit
from .form import EditorDialog
from .planning_fields import OptionalTimeEdit, RepeatEditor, TagsEdit, due_value


def project_choices(ctx: GuiContext) -> list[tuple[object, str]]:
    return [(p.name, p.name) for p in ctx.momentum.projects.list()]


def goal_choices(ctx: GuiContext, keep: int | None = None) -> list[tuple[object, str]]:
    goals = [g for g in ctx.momentum.items.list_goals() if g.status == Status.OPEN or g.id == keep]
    return [(None, "No goal"), *((g.id, g.title) for g in goals)]


class TaskDialog(EditorDialog):
    """Creates a task (``task`` is None) or edits one; every field validated by the core."""

    def __init__(self, ctx: GuiContext, task: TaskDTO | None = None, *,
                 project: str | None = None, due: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "task", task is not None, parent)
        self.task = task
        self.made: ItemRef | None = None  # the task this dialog added
        today = ctx.today()
        self.title_edit = QLineEdit(task.title if task else "")
        self.title_edit.setPlaceholderText("What needs doing?")
        self.add_field("title", "&Title", self.title_edit)
        self.project_combo = ChoiceCombo(project_choices(ctx),
                                         task.project if task else (project or "Inbox"))
        self.add_field("project", "&Project", self.project_combo)
        self.goal_combo = ChoiceCombo(goal_choices(ctx, task.goal_id if task else None),
                                      task.goal_id if task else None)
        self.add_field("goal", "&Goal", self.goal_combo)
        self.complexity = ComplexityPicker(task.complexity if task
                                           else catalog.DEFAULT_COMPLEXITY)
        self.add_field("complexity", "&Complexity", self.complexity)
        self.due_edit = OptionalDateEdit("Due", task.due if task else due, today)
        self.add_field("due", "&Due date", self.due_edit)
        self.time_edit = OptionalTimeEdit(task.due_time if task else None)
        self.add_field("due_time", "Due t&ime", self.time_edit)
        self.tags_edit = TagsEdit(task.tags if task else ())
        self.add_field("tag", "Ta&gs", self.tags_edit, aliases=("tags", "set_tags"))
        self.repeat_editor = RepeatEditor(
            task.repeat if task else None, task.repeat_after if task else None,
            ctx.profile_time().tz_name, self._series_start)
        self.repeat_combo = self.repeat_editor.schedule
        self.add_field("repeat", "&Repeat", self.repeat_editor, aliases=("repeat_after",))
        self.due_edit.enabled_box.toggled.connect(lambda _on: self.repeat_editor.update_preview())
        self.due_edit.date_edit.dateChanged.connect(
            lambda _d: self.repeat_editor.update_preview())
        self.time_edit.enabled_box.toggled.connect(
            lambda _on: self.repeat_editor.update_preview())
        self.time_edit.time_edit.timeChanged.connect(
            lambda _t: self.repeat_editor.update_preview())
        self.hide_edit = OptionalDateEdit("Hide", task.hidden_until if task else None,
                                          today + timedelta(days=1))
        self.hide_edit.setToolTip("Keeps the task out of Open and Today until this day; "
                                  "“All” still shows it. Points are not affected.")
        self.add_field("hide_until", "&Hide until", self.hide_edit)
        boxes = (self.due_edit.enabled_box, self.time_edit.enabled_box,
                 self.hide_edit.enabled_box)
        widest = max(box.sizeHint().width() for box in boxes)
        for box in boxes:  # the pickers start in one column
            box.setMinimumWidth(widest)
        self.notes_edit = QPlainTextEdit(task.notes if task else "")
        self.notes_edit.setPlaceholderText("Details, links, anything useful")
        self.notes_edit.setFixedHeight(84)
        self.notes_edit.setTabChangesFocus(True)
        self.add_field("notes", "&Notes", self.notes_edit)
        self.title_edit.setFocus()

    def _series_start(self) -> datetime:
        """DTSTART for the preview: the due (date and time) in the dialog, else today."""
        day = self.due_edit.value() or self.ctx.today()
        wall = self.time_edit.value()
        return datetime.combine(day, time.fromisoformat(wall) if wall else time(0))

    def values(self) -> dict[str, object]:
        return {"title": self.title_edit.text(), "project": self.project_combo.value(),
                "goal": self.goal_combo.value(), "complexity": self.complexity.value(),
                "due": due_value(self.due_edit.value(), self.time_edit.value()),
                "repeat": self.repeat_editor.rule(),
                "repeat_after": self.repeat_editor.after(),
                "set_tags": self.tags_edit.tags(),
                "hide_until": self.hide_edit.value(),
                "notes": self.notes_edit.toPlainText()}

    def submit(self) -> None:
        values = self.values()
        if self.task is None:
            title = str(values.pop("title"))
            values["tags"] = values.pop("set_tags")
            made = self.ctx.controller.add_task(title, **values)
            self.made = ItemRef(Kind.TASK, made.id)
        else:
            self.ctx.controller.edit(ItemRef(Kind.TASK, self.task.id), **values)
