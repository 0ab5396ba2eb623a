"""Add or edit a time slot: title, start, end, and the task or goal it serves."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtWidgets import QDateTimeEdit, QLineEdit, QWidget

from ...core.catalog import Kind
from ...core.errors import ValidationError
from ...core.kinds import Status
from ...core.services.dto import SlotDTO
from ..changes import ItemRef
from ..context import GuiContext
from .fields import ChoiceCombo
from .form import EditorDialog
from .task_dialog import goal_choices

#: Open tasks offered in the "Task" box (a slot can still keep any task it already has).
TASK_CHOICES_LIMIT = 200


def date_time_edit(value: datetime, ctx: GuiContext) -> QDateTimeEdit:
    editor = QDateTimeEdit(ctx.profile_time().to_qdatetime(value))
    editor.setCalendarPopup(True)
    editor.setDisplayFormat("ddd d MMM yyyy  HH:mm")
    return editor


#: A slot longer than this asks before it is saved.
LONG_SLOT = timedelta(hours=12)


class SlotDialog(EditorDialog):
    def __init__(self, ctx: GuiContext, slot: SlotDTO | None = None, *,
                 start: datetime | None = None, end: datetime | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "time slot", slot is not None, parent)
        self.slot = slot
        self._confirmed: tuple[object, object] | None = None  # a long slot, asked about
        now = ctx.now().replace(second=0, microsecond=0)
        first = slot.start if slot else (start or now + timedelta(minutes=60 - now.minute))
        last = slot.end if slot else (end or first + timedelta(hours=1))
        self.title_edit = QLineEdit(slot.title if slot else "")
        self.title_edit.setPlaceholderText("Focus block, meeting, workout…")
        self.add_field("title", "&Title", self.title_edit)
        self.start_edit = date_time_edit(first, ctx)
        self.add_field("start", "&Start", self.start_edit)
        self.end_edit = date_time_edit(last, ctx)
        self.add_field("end", "&End", self.end_edit)
        tasks = ctx.momentum.items.list_tasks(status=Status.OPEN, order="due",
                                              limit=TASK_CHOICES_LIMIT)
        task_choices: list[tuple[object, str]] = [(None, "No task")]
        task_choices += [(t.id, t.title) for t in tasks]
        if slot and slot.task_id and all(t.id != slot.task_id for t in tasks):
            task_choices.append((slot.task_id, f"Task {slot.task_id}"))
        self.task_combo = ChoiceCombo(task_choices, slot.task_id if slot else None)
        self.add_field("task", "Tas&k", self.task_combo)
        self.goal_combo = ChoiceCombo(goal_choices(ctx, slot.goal_id if slot else None),
                                      slot.goal_id if slot else None)
        self.add_field("goal", "&Goal", self.goal_combo)
        self.title_edit.setFocus()

    def values(self) -> dict[str, object]:
        zone = self.ctx.profile_time()
        return {"title": self.title_edit.text(),
                "start": zone.from_qdatetime(self.start_edit.dateTime()),
                "end": zone.from_qdatetime(self.end_edit.dateTime()),
                "task": self.task_combo.value(), "goal": self.goal_combo.value()}

    def submit(self) -> None:
        values = self.values()
        length = values["end"] - values["start"]  # type: ignore[operator]
        if length > LONG_SLOT and self._confirmed != (values["start"], values["end"]):
            # Most likely a slip (an evening end on the next day): ask once, at the field.
            self._confirmed = (values["start"], values["end"])
            hours = length.total_seconds() / 3600
            raise ValidationError("end", f"this slot is {hours:.0f} hours long — press "
                                  f"{self.save_text} again to keep it")
        if self.slot is None:
            title, start, end = values.pop("title"), values.pop("start"), values.pop("end")
            self.ctx.controller.add_slot(str(title), start, end, **values)  # type: ignore[arg-type]
        else:
            self.ctx.controller.edit(ItemRef(Kind.SLOT, self.slot.id), **values)
