"""Today: what is due (and overdue), today's time slots, a quick-add field and the day's tally."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ...core.catalog import Kind
from ...core.errors import ValidationError
from ...core.kinds import Status
from ...core.services.dto import Completed, SlotDTO, TaskDTO
from ...core.services.read_dto import ProgressDTO
from ..changes import GOALS, PROFILE, PROGRESS, PROJECTS, SLOTS, TASKS, Change, ItemRef
from ..context import GuiContext
from ..game_mode import FULL, game_mode, game_shown
from ..models.item_list import Entry, Section
from ..timefmt import duration, long_date, task_is_overdue
from ..widgets.common import EmptyState, StatTile, label, set_flag, spaced, stacked
from ..widgets.item_list_view import ItemListView
from .base import View

#: Open tasks shown at most (a backlog of thousands belongs in the Tasks view).
TODAY_LIMIT = 300


FOCUS_TIP = "Run the selected time slot (or today's next open one) as a focus session " \
    "(Ctrl+Shift+F)"
NO_FOCUS_REASON = "Nothing to focus on yet: no open time slot today. Plan one in " \
    "Schedule (Ctrl+4), then press Focus."

class ListCard(QFrame):
    """A card with a heading, a list and an empty state in place of an empty list."""

    def __init__(self, title: str, list_view: ItemListView, empty: EmptyState,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("card", True)
        layout = spaced(QVBoxLayout(self), 6, (6, 14, 6, 6))
        self.heading = label(title, "h2")
        self.heading.setContentsMargins(14, 0, 14, 0)
        self.heading_row = QHBoxLayout()
        self.heading_row.setContentsMargins(0, 0, 12, 0)
        self.heading_row.addWidget(self.heading, 1)
        layout.addLayout(self.heading_row)
        self.stack = stacked(layout, list_view, empty, stretch=1)
        self.list_view, self.empty = list_view, empty

    def show_list(self, has_rows: bool) -> None:
        self.stack.setCurrentWidget(self.list_view if has_rows else self.empty)


class TodayView(View):
    scopes = frozenset({TASKS, SLOTS, PROGRESS, PROJECTS, GOALS, PROFILE})

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        theme = ctx.theme
        #: What the two cards show (kept for the in-place update of an own toggle).
        self._due: list[TaskDTO] = []
        self._slots: list[SlotDTO] = []
        self._add_task_header(
            "Today", "Add a task for today: “Call mom 5pm #Home !3 every sun”, then Enter",
            "Quick add a task due today")
        self.quick_add = self.quick_field.edit
        self.quick_field.submitted.connect(lambda _text, _keep: self._quick_add())
        self.quick_add.textEdited.connect(lambda _text: self._show_quick_error(""))

        tiles = spaced(QHBoxLayout(), 12)
        self.done_tile = StatTile("Done today")
        self.points_tile = StatTile("Points today")
        self.focus_tile = StatTile("Focus time")
        for tile in (self.done_tile, self.points_tile, self.focus_tile):
            tiles.addWidget(tile)
        self.body.addLayout(tiles)
        self.freeze_line = label("", "muted", wrap=True)
        self.freeze_line.setAccessibleName("Streak freezes")
        self.freeze_line.setVisible(False)
        self.body.addWidget(self.freeze_line)

        calendar = (ctx.profile_time(), ctx.today())
        self.task_list = ItemListView(theme, calendar, "Tasks due today and overdue")
        self.slot_list = ItemListView(theme, calendar, "Today's time slots")
        self.task_card = ListCard("Due", self.task_list, EmptyState(
            theme, "fa5s.mug-hot", "Nothing due today",
            "Enjoy the calm, or add a task above."))
        self.slot_card = ListCard("Schedule", self.slot_list, EmptyState(
            theme, "fa5s.calendar-day", "No time blocked today",
            "Plan a focus block in Schedule (Ctrl+4)."))
        self.focus_button = QPushButton("Focus")
        self.focus_button.setProperty("role", "small")
        self.focus_button.setIcon(theme.icon("fa5s.stopwatch", "accent"))
        self.focus_button.setToolTip(FOCUS_TIP)
        self.focus_button.setAccessibleName("Start a focus session")
        self.focus_button.clicked.connect(self._start_focus)
        self.slot_card.heading_row.addWidget(self.focus_button)
        columns = spaced(QHBoxLayout(), 16)
        columns.addWidget(self.task_card, 3)
        columns.addWidget(self.slot_card, 2)
        self.body.addLayout(columns, 1)

        self._last_focused: ItemListView = self.task_list
        for view in (self.task_list, self.slot_list):
            view.toggle_requested.connect(self.toggle)
            view.edit_requested.connect(self.edit_requested.emit)
            view.clicked.connect(lambda _i, v=view: self._remember(v))
        self.setTabOrder(self.new_button, self.quick_add)
        self.setTabOrder(self.quick_add, self.task_list)
        self.setTabOrder(self.task_list, self.slot_list)

    # -- data ------------------------------------------------------------------------------

    def reload(self) -> None:
        items = self.ctx.momentum.items
        zone = self.ctx.profile_time()
        today = self.ctx.today()
        self.title.set_subtitle(long_date(today))
        due = items.list_tasks(status=Status.OPEN, due_before=today, order="due", limit=TODAY_LIMIT)
        start = zone.instant(today, zone.day_start_hour * 60)
        slots = items.list_slots(start=start, end=start + timedelta(days=1))
        self._show_tasks(due)
        self._show_slots(slots)

    def _show_tasks(self, due: list[TaskDTO]) -> None:
        """The Due card: overdue first, then due today (``due``: the open tasks due by
        today, in due order)."""
        self._due = due
        today = self.ctx.today()
        calendar = (self.ctx.profile_time(), today)
        now = self.ctx.now()
        overdue = [t for t in due if task_is_overdue(t, today, now)]
        due_today = [t for t in due if t.due == today and not task_is_overdue(t, today, now)]
        entries: list[Entry] = []
        if overdue:
            entries += [Section("Overdue", len(overdue), "danger"), *overdue]
        if due_today:
            entries += [Section("Due today", len(due_today)), *due_today]
        self.task_list.row_delegate.now = now
        self.task_list.set_entries(entries, calendar)
        self.task_card.show_list(bool(entries))
        self.task_card.heading.setText(f"Due · {len(due)}" if due else "Due")

    def _show_slots(self, slots: list[SlotDTO]) -> None:
        """The Schedule card and the day's tally."""
        self._slots = slots
        today = self.ctx.today()
        calendar = (self.ctx.profile_time(), today)
        self.slot_list.set_entries(slots, calendar)
        self.slot_card.show_list(bool(slots))
        self.slot_card.heading.setText(f"Schedule · {len(slots)}" if slots else "Schedule")
        self._explain_focus(any(s.status == Status.OPEN for s in slots))
        self._reload_tally(today, slots)

    def _reload_tally(self, today: date, slots: list[SlotDTO]) -> None:
        """The day's figures, from the day's stats, the progress read and the slots."""
        reads = self.ctx.momentum.reads
        tasks_done = reads.tasks_done_today()
        target = self.ctx.momentum.profiles.current().daily_target
        self.done_tile.set(f"{tasks_done} / {target}",
                           "tasks · daily target reached" if tasks_done >= target
                           else f"tasks · {target - tasks_done} more for the daily target")
        progress = reads.progress()
        self.points_tile.set(f"{progress.today_points:,}",
                             f"{progress.weekly_points:,} this week")
        mode = game_mode(self.ctx.momentum)
        self.points_tile.setVisible(mode == FULL)  # quiet: points on Dashboard and header only
        self._show_freezes(progress, today, game_shown(mode))
        finished = [s for s in slots if s.status == Status.DONE]
        minutes = sum(s.minutes for s in finished)
        self.focus_tile.set(duration(minutes) if minutes else "0 min",
                            f"{len(finished)} of {len(slots)} time slots done" if slots
                            else "no time slots planned today")

    def _show_freezes(self, progress: ProgressDTO, today: date, shown: bool) -> None:
        """"❄ 1 streak freeze held …" under the tiles, and whether yesterday was frozen."""
        freezes = progress.freezes
        current = progress.current_streak
        yesterday = today - timedelta(days=1)
        parts = []
        if freezes.held:
            parts.append(f"{freezes.text[:1].upper()}{freezes.text[1:]} held: a missed day "
                         f"will not break your {current}-day streak" if current else
                         f"{freezes.text[:1].upper()}{freezes.text[1:]} held")
        if yesterday in freezes.frozen_days:
            parts.append("yesterday was bridged by a freeze")
        self.freeze_line.setText("❄ " + " · ".join(parts) if parts else "")
        self.freeze_line.setVisible(shown and bool(parts))

    # -- actions ---------------------------------------------------------------------------

    def _quick_add(self) -> None:
        text = self.quick_add.text()
        if not text.strip():
            return
        try:
            task = self.act(lambda: self.ctx.controller.quick_add(
                text, keep=self.quick_field.kept, default_due=self.ctx.today()))
        except ValidationError as exc:
            self._show_quick_error(exc.message)
            return
        self.quick_field.clear()
        when = (task.due_label or "").replace("T", " ")
        self.status_message.emit(f"Added “{task.title}”" + (
            " for today" if task.due == self.ctx.today() and not task.due_time
            else f", due {when}" if when else ""))

    def _show_quick_error(self, message: str) -> None:
        self.quick_error.setText(message[:1].upper() + message[1:])
        self.quick_error.setVisible(bool(message))
        set_flag(self.quick_add, "invalid", bool(message))

    def in_place(self, result: object, change: Change) -> bool:
        """Its own toggle: a task done leaves the Due card, a slot's row shows its new
        state, and the tally is read again; no other row is re-queried. A repeating task
        that spawned its next occurrence (it may be due today) reloads instead."""
        if not isinstance(result, Completed) or result.spawned is not None:
            return False
        item = result.item
        if isinstance(item, TaskDTO) and item.status == Status.DONE and \
                any(t.id == item.id for t in self._due):
            self._show_tasks([t for t in self._due if t.id != item.id])
        elif isinstance(item, SlotDTO) and any(s.id == item.id for s in self._slots):
            self._show_slots([item if s.id == item.id else s for s in self._slots])
            return True
        else:
            return False
        self._reload_tally(self.ctx.today(), self._slots)
        return True

    def _remember(self, view: ItemListView) -> None:
        self._last_focused = view

    def _start_focus(self) -> None:
        """Focus on the selected slot, else on the next open one of today."""
        ref = self.slot_list.current_ref()
        if ref is None:
            slots = [s for s in self.ctx.momentum.items.list_slots(
                start=self._day_start(), end=self._day_start() + timedelta(days=1))
                if s.status == Status.OPEN]
            if not slots:
                self.status_message.emit(NO_FOCUS_REASON)
                QToolTip.showText(self.focus_button.mapToGlobal(
                    self.focus_button.rect().bottomLeft()), NO_FOCUS_REASON, self.focus_button)
                return
            ref = ItemRef(Kind.SLOT, slots[0].id)
        window = self.window()
        start = getattr(window, "start_focus", None)
        if start is not None:
            start(ref)

    def _explain_focus(self, can_start: bool) -> None:
        """The Focus button says what it will do, or why it cannot start."""
        self.focus_button.setToolTip(FOCUS_TIP if can_start else NO_FOCUS_REASON)
        self.focus_button.setAccessibleDescription(
            "" if can_start else NO_FOCUS_REASON)

    def _day_start(self) -> datetime:
        zone = self.ctx.profile_time()
        return zone.instant(self.ctx.today(), zone.day_start_hour * 60)

    def apply_theme(self) -> None:
        self.focus_button.setIcon(self.ctx.theme.icon("fa5s.stopwatch", "accent"))

    # -- View protocol ---------------------------------------------------------------------

    def current_item(self) -> ItemRef | None:
        focused = self.focusWidget()
        if focused in (self.task_list, self.slot_list):
            self._last_focused = focused
        return self._last_focused.current_ref()

    def following_item(self) -> ItemRef | None:
        self.current_item()
        return self._last_focused.following_ref()

    def select_item(self, ref: ItemRef) -> bool:
        view = self.slot_list if ref.kind is Kind.SLOT else self.task_list
        if view.select(ref):
            self._last_focused = view
            return True
        return False

    def focus_content(self) -> None:
        self.task_list.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.task_list.current_ref() is None:
            self.task_list.select_first()
