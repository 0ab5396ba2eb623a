"""Small dialogs: backdating a completion, naming a project, adding a profile."""

from __future__ import annotations

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QCheckBox, QDateTimeEdit, QLineEdit, QWidget

from ..changes import ItemRef
from ..context import GuiContext
from ..widgets.common import label
from .form import EditorDialog, FormDialog


class CompleteAtDialog(FormDialog):
    """Mark an item done at a chosen moment (SPEC §1: rules use that instant, not "now")."""

    def __init__(self, ctx: GuiContext, ref: ItemRef, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Mark done at…", parent, save_text="Mark done")
        self.ref = ref
        self.form.addRow(label(title, "muted", wrap=True))
        now = ctx.profile_time().to_qdatetime(ctx.now())
        self.when_edit = QDateTimeEdit(now)
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.when_edit.setMaximumDateTime(now)
        self.add_field("at", "&Completed at", self.when_edit)
        self.form.addRow(label(f"Times are in {ctx.profile_time().tz_name}.", "faint"))

    def set_when(self, value: QDateTime) -> None:
        self.when_edit.setDateTime(value)

    def submit(self) -> None:
        at = self.ctx.profile_time().from_qdatetime(self.when_edit.dateTime())
        self.ctx.controller.complete(self.ref, at=at)


class StepDialog(FormDialog):
    """Rename a goal step."""

    def __init__(self, ctx: GuiContext, ref: ItemRef, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Rename step", parent)
        self.ref = ref
        self.title_edit = QLineEdit(title)
        self.add_field("title", "&Title", self.title_edit)
        self.title_edit.setFocus()

    def submit(self) -> None:
        self.ctx.controller.edit(self.ref, title=self.title_edit.text())


class ProjectDialog(EditorDialog):
    """Name a new project."""

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "project", False, parent)
        self.name_edit = self.add_name_field("Work, Home, Side project…", "project")
        self.name_edit.setFocus()

    def submit(self) -> None:
        self.ctx.controller.add_project(self.name_edit.text())


class ProfileDialog(EditorDialog):
    """A new profile (someone else who plays on this computer, for the leaderboard)."""

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "profile", False, parent)
        self.name_edit = self.add_name_field("Sam, Work me…", "profile")
        self.zone_edit = QLineEdit(ctx.momentum.profiles.current().timezone)
        self.add_field("timezone", "&Time zone", self.zone_edit)
        self.switch_box = QCheckBox("Switch to it now")
        self.switch_box.setChecked(True)
        self.form.addRow("", self.switch_box)
        self.name_edit.setFocus()

    def submit(self) -> None:
        profile = self.ctx.controller.add_profile(self.name_edit.text(),
                                                  self.zone_edit.text().strip() or None)
        if self.switch_box.isChecked():
            self.ctx.controller.switch_profile(profile.name)
