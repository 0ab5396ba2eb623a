"""Opening editors: one place that knows which dialog edits which kind of item.

Dialogs open window-modal but without a nested event loop (``open()``, not ``exec()``),
so tests and the single-instance "raise" request keep working while one is up. Each
deletes itself when closed.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from ...core.services.dto import GoalDTO, SlotDTO, TaskDTO
from ..changes import ItemRef
from ..context import GuiContext
from ..perks import CUSTOM_ACHIEVEMENTS
from .achievement_dialog import CustomAchievementDialog
from .form import FormDialog
from .goal_dialog import GoalDialog
from .slot_dialog import SlotDialog
from .small_dialogs import CompleteAtDialog, ProfileDialog, ProjectDialog, StepDialog
from .task_dialog import TaskDialog


def _show(dialog: FormDialog) -> FormDialog:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def open_editor(ctx: GuiContext, ref: ItemRef, parent: QWidget) -> FormDialog | None:
    """The editor of an existing item."""
    item = ctx.controller.get(ref)
    if isinstance(item, TaskDTO):
        return _show(TaskDialog(ctx, item, parent=parent))
    if isinstance(item, GoalDTO):
        return _show(GoalDialog(ctx, item, parent=parent))
    if isinstance(item, SlotDTO):
        return _show(SlotDialog(ctx, item, parent=parent))
    return _show(StepDialog(ctx, ref, item.title, parent=parent))


def open_new_task(ctx: GuiContext, parent: QWidget, *, project: str | None = None,
                  due: date | None = None) -> FormDialog:
    return _show(TaskDialog(ctx, project=project, due=due, parent=parent))


def open_new_goal(ctx: GuiContext, parent: QWidget) -> FormDialog:
    return _show(GoalDialog(ctx, parent=parent))


def open_new_slot(ctx: GuiContext, parent: QWidget, *, start: datetime | None = None,
                  end: datetime | None = None) -> FormDialog:
    return _show(SlotDialog(ctx, start=start, end=end, parent=parent))


def open_new_project(ctx: GuiContext, parent: QWidget) -> FormDialog:
    return _show(ProjectDialog(ctx, parent=parent))


def open_complete_at(ctx: GuiContext, ref: ItemRef, parent: QWidget) -> FormDialog:
    item = ctx.controller.get(ref)
    return _show(CompleteAtDialog(ctx, ref, item.title, parent=parent))


def open_new_profile(ctx: GuiContext, parent: QWidget) -> FormDialog:
    return _show(ProfileDialog(ctx, parent=parent))


def open_custom_achievement(ctx: GuiContext, parent: QWidget) -> FormDialog:
    """The custom-achievement editor; raises PerkLocked below its level."""
    ctx.perks.require(CUSTOM_ACHIEVEMENTS)
    return _show(CustomAchievementDialog(ctx, parent=parent))
