"""The custom-achievement editor (the "custom achievements" perk, level 7 — SPEC §5).

A custom achievement counts what the built-in ones count (tasks, goals, steps, time
slots, focus minutes, the activity streak) or a custom event type, and is worth at most
100 points. The core checks the level too: the dialog is only the friendly door.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QSpinBox, QWidget

from ...core import catalog
from ...core.catalog import Criteria
from ..context import GuiContext
from ..widgets.common import label
from .fields import ChoiceCombo
from .form import FormDialog

CRITERIA_TITLES: dict[Criteria, str] = {
    Criteria.TASKS: "Tasks completed", Criteria.GOALS: "Goals completed",
    Criteria.STEPS: "Goal steps completed", Criteria.SLOTS: "Time slots completed",
    Criteria.FOCUS_MINUTES: "Minutes of focus (completed time slots)",
    Criteria.STREAK: "Days of activity streak", Criteria.EVENT_COUNT: "A custom event, logged",
}


class CustomAchievementDialog(FormDialog):
    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "New custom achievement", parent, save_text="Create")
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Inbox Hero, Reading Marathon…")
        self.add_field("name", "&Name", self.name_edit)
        self.description_edit = QLineEdit()
        self.description_edit.setPlaceholderText("What it takes (optional)")
        self.add_field("description", "&Description", self.description_edit,
                       aliases=("notes",))
        self.criteria = ChoiceCombo([(c.value, CRITERIA_TITLES[c])
                                     for c in catalog.CUSTOM_ACHIEVEMENT_CRITERIA],
                                    Criteria.TASKS.value)
        self.add_field("criteria", "&Counts", self.criteria)
        types = ctx.momentum.events.list_types()
        self.event_type = ChoiceCombo([(t.name, f"{t.name} ({t.points} points)")
                                       for t in types] or [("", "No custom event types yet")],
                                      types[0].name if types else "")
        self.add_field("event_type", "&Event type", self.event_type)
        self.target = QSpinBox()
        self.target.setRange(1, 1_000_000)
        self.target.setValue(10)
        self.add_field("target", "&Target", self.target)
        self.points = QSpinBox()
        self.points.setRange(0, catalog.CUSTOM_ACHIEVEMENT_MAX_POINTS)
        self.points.setValue(50)
        self.points.setSuffix(" points")
        self.add_field("points", "&Reward", self.points)
        self.form.addRow(label(f"At most {catalog.CUSTOM_ACHIEVEMENT_MAX_POINTS} points. "
                               "It is checked on your next completion.", "faint", wrap=True))
        self.criteria.currentIndexChanged.connect(lambda _i: self._sync())
        self._sync()
        self.name_edit.setFocus()

    def _sync(self) -> None:
        self.event_type.setEnabled(self.criteria.value() == Criteria.EVENT_COUNT.value)

    def submit(self) -> None:
        criteria = str(self.criteria.value())
        event_type = str(self.event_type.value() or "") or None
        self.ctx.controller.add_custom_achievement(
            name=self.name_edit.text(), criteria=criteria, target=self.target.value(),
            points=self.points.value(),
            event_type=event_type if criteria == Criteria.EVENT_COUNT.value else None,
            description=self.description_edit.text())
