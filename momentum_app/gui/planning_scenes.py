"""Screenshot scenes of planning (SPEC v2 §12), registered in :mod:`.screenshots`.

``quick-add`` (chips while typing), ``notification`` (a reminder's desktop notification,
its content rendered offscreen by :class:`NotificationCard` from the same
:class:`~.notify.Bubble` the app sends over D-Bus), ``tag-filter`` and ``repeat-editor``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..core.kinds import Status
from ..core.services.planning import ReminderDTO
from .launch import app_icon
from .notify import Bubble, action_labels
from .reminders import bubble_for
from .theme import ThemeManager
from .widgets.common import label

if TYPE_CHECKING:
    from .screenshots import Scene

QUICK_ADD_TEXT = "Call mom tomorrow 5pm #Home !3 every sun @phone remind 30m"
DEMO_TAGS = (("home",), ("work", "deep"), ("errands",), ("home", "weekend"))


class NotificationCard(QFrame):
    """A desktop notification as a person sees it: icon, app, summary, body, buttons."""

    def __init__(self, bubble: Bubble, theme: ThemeManager, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setObjectName("NotificationCard")
        self.setProperty("card", True)
        self.setFixedWidth(380)
        tokens = theme.tokens
        self.setStyleSheet(
            f"#NotificationCard {{ background: {tokens.surface}; border: 1px solid "
            f"{tokens.border}; border-radius: 12px; }}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(6)
        head = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(20, 20))
        head.addWidget(icon)
        head.addWidget(label("Momentum · now", "faint"), 1)
        layout.addLayout(head)
        self.summary = label(bubble.summary, "h2", wrap=True)
        layout.addWidget(self.summary)
        self.body = label(bubble.body, "muted", wrap=True)
        layout.addWidget(self.body)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        self.buttons = []
        for text in action_labels(bubble):
            button = QPushButton(text)
            button.setProperty("role", "small")
            buttons.addWidget(button)
            self.buttons.append(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)


def _reminder(composition: object) -> ReminderDTO:
    now = composition.ctx.now()  # type: ignore[attr-defined]
    due = composition.ctx.profile_time().local(now + timedelta(minutes=30))  # type: ignore[attr-defined]
    return ReminderDTO(1, 1, "Call the bank about the mortgage", now, "30m", None, "pending",
                       f"{due:%Y-%m-%dT%H:%M}")


def notification_scene(composition: object) -> QPixmap:
    """The window with the reminder's notification in the top-right corner."""
    from .screenshots import on_view

    window = on_view(composition, "today")  # type: ignore[arg-type]
    bubble = bubble_for([_reminder(composition)], None, missed=False)
    card = NotificationCard(bubble, composition.ctx.theme)  # type: ignore[attr-defined]
    card.adjustSize()
    backdrop: QPixmap = window.grab()
    front = card.grab()
    painter = QPainter(backdrop)
    corner = QPoint(backdrop.width() - front.width() - 24, 24)
    for spread in range(1, 10):
        painter.fillRect(front.rect().translated(corner).adjusted(-spread, -spread + 3,
                                                                 spread, spread + 3),
                         QColor(0, 0, 0, 8))
    painter.drawPixmap(corner, front)
    painter.end()
    card.deleteLater()
    return backdrop


def quick_add_scene(composition: object) -> QWidget:
    from .screenshots import settle

    view = composition.window.show_view("tasks")  # type: ignore[attr-defined]
    view.quick_field.edit.setText(QUICK_ADD_TEXT)
    view.quick_field.edit.setFocus(Qt.FocusReason.OtherFocusReason)
    settle(composition)  # type: ignore[arg-type]
    return composition.window  # type: ignore[attr-defined,no-any-return]


def quick_add_cleanup(composition: object) -> None:
    composition.window.show_view("tasks").quick_field.clear()  # type: ignore[attr-defined]


def tag_filter_scene(composition: object) -> QWidget:
    from .screenshots import settle

    momentum = composition.momentum  # type: ignore[attr-defined]
    tasks = momentum.items.list_tasks(status=Status.OPEN, order="due", limit=12)
    for task, tags in zip(tasks, DEMO_TAGS * 3, strict=False):
        if not task.tags:
            momentum.items.edit_task(task.id, tags=list(tags))
    composition.window.sidebar.reload_tags()  # type: ignore[attr-defined]
    view = composition.window.show_view("tasks")  # type: ignore[attr-defined]
    view.set_tag_filter("home" if tasks else None)
    settle(composition)  # type: ignore[arg-type]
    return composition.window  # type: ignore[attr-defined,no-any-return]


def tag_filter_cleanup(composition: object) -> None:
    composition.window.show_view("tasks").set_tag_filter(None)  # type: ignore[attr-defined]


def repeat_editor_scene(composition: object) -> QPixmap:
    from .dialogs.task_dialog import TaskDialog
    from .screenshots import on_view, with_dialog

    window = on_view(composition, "today")  # type: ignore[arg-type]
    dialog = window.new_task()
    assert isinstance(dialog, TaskDialog)
    dialog.title_edit.setText("Team stand-up")
    dialog.due_edit.enabled_box.setChecked(True)
    dialog.time_edit.enabled_box.setChecked(True)
    dialog.tags_edit.setText("work, meetings")
    dialog.repeat_editor.mode.setCurrentIndex(1)
    dialog.repeat_editor.schedule.setEditText("FREQ=WEEKLY;BYDAY=MO;BYHOUR=6;BYMINUTE=55;COUNT=3")
    return with_dialog(window, dialog)


def scenes() -> list[Scene]:
    from .screenshots import Scene

    return [Scene("quick-add", quick_add_scene, quick_add_cleanup),
            Scene("notification", notification_scene),
            Scene("tag-filter", tag_filter_scene, tag_filter_cleanup),
            Scene("repeat-editor", repeat_editor_scene)]
