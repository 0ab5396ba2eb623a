"""Schedule: a day or week of time slots on a time grid; create, move, resize, edit, finish."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QAction, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QMenu, QScrollArea, QToolButton, QVBoxLayout, QWidget

from ...core.catalog import Kind
from ...core.kinds import Status
from ...core.services.dto import SlotDTO
from ..changes import SLOTS, TASKS, Change, ItemRef
from ..context import GuiContext
from ..dialogs.launcher import open_new_slot
from ..theme import ThemeManager
from ..widgets.common import SegmentedControl, label, primary_button, spaced
from ..widgets.time_grid import HOUR_HEIGHT, TimeGrid, column_spans
from .base import View

HEADER_HEIGHT = 46
FIRST_VISIBLE_HOUR = 8


class DayHeader(QWidget):
    """Weekday names and dates above the grid's columns (today in an accent pill)."""

    def __init__(self, theme: ThemeManager, grid: TimeGrid, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self._theme, self._grid = theme, grid
        self.today: date | None = None
        self.setFixedHeight(HEADER_HEIGHT)
        grid.geometry_changed.connect(self.update)
        theme.changed.connect(lambda _t: self.update())

    def paintEvent(self, _event: QPaintEvent) -> None:
        tokens = self._theme.tokens
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), tokens.color("surface"))
        painter.setPen(tokens.color("border"))
        painter.drawLine(0, self.height() - 1, self.width(), self.height() - 1)
        days = self._grid.days
        base = QFont(self.font())
        for (left, width), day in zip(column_spans(self._grid.width(), len(days)), days,
                                      strict=True):
            is_today = day == self.today
            name_font = QFont(base)
            name_font.setPointSizeF(max(7.0, base.pointSizeF() - 1.5))
            name_font.setBold(True)
            painter.setFont(name_font)
            painter.setPen(tokens.color("accent" if is_today else "text_muted"))
            painter.drawText(QRectF(left, 4, width, 16), Qt.AlignmentFlag.AlignCenter,
                             day.strftime("%a").upper())
            number_font = QFont(base)
            number_font.setPointSizeF(base.pointSizeF() + 1.5)
            number_font.setBold(is_today)
            painter.setFont(number_font)
            pill = QRectF(left + width / 2 - 15, 21, 30, 22)
            if is_today:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(tokens.color("accent"))
                painter.drawRoundedRect(pill, 11, 11)
                painter.setPen(tokens.color("accent_text"))
            else:
                painter.setPen(tokens.color("text"))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, str(day.day))


class ScheduleView(View):
    scopes = frozenset({SLOTS, TASKS})

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.anchor = ctx.today()
        self.mode = SegmentedControl([("day", "Day"), ("week", "Week")],
                                     ctx.settings.schedule_mode, "Schedule range")
        self.previous_button = self._nav_button("fa5s.chevron-left", "Previous")
        self.today_button = self._nav_button("", "Today")
        self.today_button.setText("Today")
        self.today_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.next_button = self._nav_button("fa5s.chevron-right", "Next")
        self.new_button = primary_button("New time slot")
        self.title = self.add_title("Schedule", self.mode, self.previous_button,
                                    self.today_button, self.next_button, self.new_button)

        self.grid = TimeGrid(ctx.theme)
        self.grid.empty_hint = "Nothing planned yet. Drag on the grid to block time for focus."
        self.header = DayHeader(ctx.theme, self.grid)
        self.scroll_area = QScrollArea()
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the grid inside
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.grid)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        frame = QFrame()
        frame.setProperty("card", True)
        column = spaced(QVBoxLayout(frame), 0, (1, 1, 1, 1))
        column.addWidget(self.header)
        column.addWidget(self.scroll_area, 1)
        self.body.addWidget(frame, 1)
        self.hint = label("Drag on the grid to plan a slot · drag a block to move it · drag its "
                          "lower edge to resize · double-click to edit · Space marks done",
                          "faint", wrap=True)
        self.body.addWidget(self.hint)

        self.mode.changed.connect(self._on_mode)
        self.previous_button.clicked.connect(lambda: self._step(-1))
        self.next_button.clicked.connect(lambda: self._step(1))
        self.today_button.clicked.connect(self._go_today)
        self.new_button.clicked.connect(lambda: open_new_slot(ctx, self.window()))
        self.grid.slot_moved.connect(self._move)
        self.grid.create_requested.connect(
            lambda start, end: open_new_slot(ctx, self.window(), start=start, end=end))
        self.grid.edit_requested.connect(lambda sid: self.edit_requested.emit(
            ItemRef(Kind.SLOT, sid)))
        self.grid.toggle_requested.connect(lambda sid: self.toggle(ItemRef(Kind.SLOT, sid)))
        self.grid.context_requested.connect(self._context_menu)
        self._scrolled = False

    def _nav_button(self, icon: str, text: str) -> QToolButton:
        button = QToolButton()
        if icon:
            button.setIcon(self.ctx.theme.icon(icon))
            button.setProperty("icon_name", icon)
        button.setAccessibleName(text)
        button.setToolTip(text)
        return button

    # -- range -----------------------------------------------------------------------------

    def days(self) -> list[date]:
        if self.mode.value == "day":
            return [self.anchor]
        monday = self.anchor - timedelta(days=self.anchor.weekday())
        return [monday + timedelta(days=i) for i in range(7)]

    def _on_mode(self, mode: str) -> None:
        self.ctx.settings.schedule_mode = mode
        self.refresh_now()

    def _step(self, direction: int) -> None:
        self.anchor += timedelta(days=direction * (1 if self.mode.value == "day" else 7))
        self.refresh_now()

    def _go_today(self) -> None:
        self.anchor = self.ctx.today()
        self.refresh_now()
        self._scroll_to_now()

    def reload(self) -> None:
        zone = self.ctx.profile_time()
        days = self.days()
        now = self.ctx.now()
        start = zone.instant(days[0], 0)
        end = zone.instant(days[-1] + timedelta(days=1), 0)
        slots = self.ctx.momentum.items.list_slots(start=start, end=end)
        self.header.today = zone.today(now)
        self.grid.set_days(days, zone, now)
        self.grid.set_slots(slots)
        self.grid.set_due_markers(self.ctx.momentum.items.list_tasks(
            status=Status.OPEN, due_after=days[0], due_before=days[-1], order="due", limit=500))
        self.header.update()
        if len(days) == 1:
            self.title.set_subtitle(days[0].strftime("%A, %d %B %Y").replace(" 0", " "))
        else:
            first, last = days[0], days[-1]
            span = (f"{first.day} – {last.day} {last:%B %Y}" if first.month == last.month
                    else f"{first.day} {first:%b} – {last.day} {last:%b %Y}")
            self.title.set_subtitle(f"Week {first.isocalendar()[1]} · {span}")
        self._describe()
        if not self._scrolled:
            self._scrolled = True
            self._scroll_to_now()

    def _describe(self) -> None:
        slots = self.grid.slots
        done = sum(1 for s in slots if s.status == Status.DONE)
        minutes = sum(s.minutes for s in slots)
        self.grid.setAccessibleDescription(
            f"{len(slots)} time slots, {done} done, {minutes // 60} hours planned")

    def in_place(self, result: object, change: Change) -> bool:
        """This view's own move, resize or toggle of a slot: the block already sits
        where it was dropped; the grid takes the slot as the action returned it (no
        query). A slot moved out of the days shown, or a deletion, reloads instead."""
        slot = getattr(result, "item", result)  # a Completed's item, or the edited slot
        if not isinstance(slot, SlotDTO) or all(s.id != slot.id for s in self.grid.slots):
            return False
        zone = self.ctx.profile_time()
        days = self.days()
        if not (zone.instant(days[0], 0) <= slot.start
                < zone.instant(days[-1] + timedelta(days=1), 0)):
            return False
        self.grid.set_slots([slot if s.id == slot.id else s for s in self.grid.slots])
        self._describe()
        return True

    def _scroll_to_now(self) -> None:
        """Show the working day from 08:00, or a window around now when it is late."""
        visible_hours = max(4, self.scroll_area.viewport().height() // HOUR_HEIGHT)
        now_hour = self.ctx.profile_time().local(self.ctx.now()).hour
        hour = FIRST_VISIBLE_HOUR
        if now_hour >= FIRST_VISIBLE_HOUR + visible_hours - 1:
            hour = now_hour - visible_hours + 3
        self.scroll_area.verticalScrollBar().setValue(hour * HOUR_HEIGHT)

    # -- actions ---------------------------------------------------------------------------

    def _move(self, slot_id: int, start: datetime, end: datetime) -> None:
        if not self.act_or_say(lambda: self.ctx.controller.edit(
                ItemRef(Kind.SLOT, slot_id), start=start, end=end), self.in_place):
            self.grid.update()

    def _delete(self, ref: ItemRef) -> None:
        self.act_or_say(lambda: self.ctx.controller.delete(ref))

    def _context_menu(self, slot_id: int, where: QPoint) -> None:
        slot = self.grid.selected_slot()
        if slot is None:
            return
        ref = ItemRef(Kind.SLOT, slot_id)
        menu = QMenu(self)
        toggle = QAction("Reopen" if slot.status == Status.DONE else "Mark done", menu)
        toggle.triggered.connect(lambda: self.toggle(ref))
        edit = QAction("Edit…", menu)
        edit.triggered.connect(lambda: self.edit_requested.emit(ref))
        delete = QAction("Delete", menu)
        delete.triggered.connect(lambda: self._delete(ref))
        menu.addAction(toggle)
        menu.addAction(edit)
        menu.addSeparator()
        menu.addAction(delete)
        menu.popup(where)

    # -- View protocol ---------------------------------------------------------------------

    def current_item(self) -> ItemRef | None:
        slot = self.grid.selected_slot()
        return ItemRef(Kind.SLOT, slot.id) if slot else None

    def focus_content(self) -> None:
        self.grid.setFocus(Qt.FocusReason.OtherFocusReason)

    def apply_theme(self) -> None:
        for button in (self.previous_button, self.next_button):
            button.setIcon(self.ctx.theme.icon(str(button.property("icon_name"))))
