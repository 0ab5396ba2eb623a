"""A custom-painted time grid of one day or one week of time slots.

Mouse: drag on empty space to create a slot, drag a block to move it (across days too),
drag its lower edge to resize, double-click to edit, right-click for a menu. Keyboard:
Up/Down select the previous/next slot, Alt+Up/Down move it by 15 minutes,
Alt+Shift+Up/Down resize it, Space toggles done, Enter edits. Positions snap to 15
minutes. The grid only emits requests; the Schedule view applies them through the
controller (so every move is undoable).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QToolTip, QWidget

from ...core.kinds import Status
from ...core.services.dto import SlotDTO
from ..theme import ThemeManager, Tokens
from ..timefmt import ProfileTime, time_range

HOUR_HEIGHT = 52
GUTTER = 62
TOP = 10
SNAP_MINUTES = 15
EDGE_PX = 7
DRAG_THRESHOLD_PX = 4
DAY_MINUTES = 24 * 60
MIN_SLOT_MINUTES = 15


def column_spans(width: int, count: int) -> list[tuple[float, float]]:
    """(x, width) of each day column; shared with the day header so they line up."""
    usable = max(1.0, width - GUTTER - 8.0)
    step = usable / max(1, count)
    return [(GUTTER + i * step, step) for i in range(count)]


def snap(minutes: float) -> int:
    return int(round(minutes / SNAP_MINUTES) * SNAP_MINUTES)


def minutes_label(minutes: int) -> str:
    return f"{(minutes // 60) % 24:02d}:{minutes % 60:02d}"


@dataclass
class Block:
    """One slot's rectangle in one day column."""

    slot: SlotDTO
    day_index: int
    start_minutes: int
    end_minutes: int
    rect: QRectF


@dataclass
class Drag:
    mode: str  # "move", "resize" or "create"
    origin: QPointF
    day_index: int
    start_minutes: int
    end_minutes: int
    slot: SlotDTO | None = None
    started: bool = False
    new_day_index: int = 0
    new_start: int = 0
    new_end: int = 0


class TimeGrid(QWidget):
    slot_moved = Signal(int, object, object)  # slot id, start, end (aware UTC)
    create_requested = Signal(object, object)  # start, end
    edit_requested = Signal(int)
    toggle_requested = Signal(int)
    context_requested = Signal(int, QPoint)
    selection_changed = Signal()
    geometry_changed = Signal()

    def __init__(self, theme: ThemeManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self.days: list[date] = []
        self.slots: list[SlotDTO] = []
        #: Open tasks with a due time on these days: a marker at that time (SPEC §12).
        self.due_markers: list[Any] = []
        self.profile = ProfileTime("UTC")
        self.now: datetime | None = None
        self.selected_id: int | None = None
        self.empty_hint = ""
        self._blocks: list[Block] = []
        self._drag: Drag | None = None
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Time grid")
        self.setMinimumHeight(TOP * 2 + 24 * HOUR_HEIGHT)
        theme.changed.connect(lambda _t: self.update())

    # -- data ------------------------------------------------------------------------------

    def set_days(self, days: list[date], profile: ProfileTime, now: datetime) -> None:
        self.days, self.profile, self.now = list(days), profile, now
        self._relayout()

    def set_slots(self, slots: list[SlotDTO]) -> None:
        self.slots = list(slots)
        if self.selected_id is not None and all(s.id != self.selected_id for s in slots):
            self.selected_id = None
        self._relayout()

    def set_due_markers(self, tasks: list[Any]) -> None:
        self.due_markers = [t for t in tasks if t.due_at is not None and t.due in self.days]
        self.update()

    def selected_slot(self) -> SlotDTO | None:
        return next((s for s in self.slots if s.id == self.selected_id), None)

    def select(self, slot_id: int | None) -> None:
        if slot_id != self.selected_id:
            self.selected_id = slot_id
            slot = self.selected_slot()
            self.setAccessibleDescription(f"Selected: {slot.title}" if slot else "")
            self.selection_changed.emit()
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(800, TOP * 2 + 24 * HOUR_HEIGHT)

    # -- geometry --------------------------------------------------------------------------

    @staticmethod
    def y_of(minutes: float) -> float:
        return TOP + minutes * HOUR_HEIGHT / 60

    @staticmethod
    def minutes_at(y: float) -> float:
        return (y - TOP) * 60 / HOUR_HEIGHT

    def day_index_at(self, x: float) -> int:
        spans = column_spans(self.width(), len(self.days))
        for index, (left, width) in enumerate(spans):
            if x < left + width:
                return index
        return max(0, len(spans) - 1)

    def _block_rect(self, day_index: int, start: int, end: int, lane: int = 0,
                    lanes: int = 1) -> QRectF:
        left, width = column_spans(self.width(), len(self.days))[day_index]
        lane_width = (width - 6) / lanes
        top, bottom = self.y_of(max(0, start)), self.y_of(min(DAY_MINUTES, end))
        return QRectF(left + 3 + lane * lane_width, top + 1, lane_width - 2,
                      max(14.0, bottom - top - 2))

    def _relayout(self) -> None:
        self._blocks = []
        for day_index, day in enumerate(self.days):
            parts = []
            for slot in self.slots:
                start = self.profile.minutes_into_day(slot.start, day)
                end = self.profile.minutes_into_day(slot.end, day)
                if end > 0 and start < DAY_MINUTES:
                    parts.append((start, end, slot))
            parts.sort(key=lambda p: (p[0], -p[1], p[2].id))
            self._blocks.extend(self._lanes(day_index, parts))
        self.update()
        self.geometry_changed.emit()

    def _lanes(self, day_index: int, parts: list[tuple[int, int, SlotDTO]]) -> list[Block]:
        """Overlapping slots share the column side by side (greedy lane assignment)."""
        blocks: list[Block] = []
        cluster: list[tuple[int, int, int, SlotDTO]] = []
        cluster_end = -1

        def flush() -> None:
            lanes = max((lane for _s, _e, lane, _slot in cluster), default=-1) + 1
            for start, end, lane, slot in cluster:
                blocks.append(Block(slot, day_index, start, end,
                                    self._block_rect(day_index, start, end, lane, lanes)))
            cluster.clear()

        for start, end, slot in parts:
            if cluster and start >= cluster_end:
                flush()
            busy = {lane for s, e, lane, _slot in cluster if e > start}
            lane = next(i for i in range(len(cluster) + 1) if i not in busy)
            cluster.append((start, end, lane, slot))
            cluster_end = max(cluster_end, end) if len(cluster) > 1 else end
        flush()
        return blocks

    def block_at(self, pos: QPointF) -> Block | None:
        for block in reversed(self._blocks):
            if block.rect.contains(pos):
                return block
        return None

    def tooltip_at(self, pos: QPointF) -> str:
        """A block's whole title and times (a short block cuts its title)."""
        block = self.block_at(pos)
        if block is None:
            return ""
        slot = block.slot
        return f"{slot.title}\n{time_range(slot.start, slot.end, self.profile)}"

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def block_of(self, slot_id: int) -> Block | None:
        return next((b for b in self._blocks if b.slot.id == slot_id), None)

    def resizeEvent(self, event: object) -> None:
        self._relayout()

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        tokens = self._theme.tokens
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), tokens.color("surface"))
        self._paint_columns(painter, tokens)
        self._paint_hours(painter, tokens)
        dragging = self._drag.slot.id if self._drag and self._drag.started and \
            self._drag.slot else None
        for block in self._blocks:
            if block.slot.id != dragging:
                self._paint_block(painter, tokens, block.slot, block.rect,
                                  selected=block.slot.id == self.selected_id)
        self._paint_drag(painter, tokens)
        self._paint_due_markers(painter, tokens)
        self._paint_now(painter, tokens)
        if not self.slots and self.empty_hint and self._drag is None:
            self._paint_hint(painter, tokens)

    def _paint_hint(self, painter: QPainter, tokens: Tokens) -> None:
        """A line of help in the visible part of an empty grid."""
        parent = self.parentWidget()
        visible = self.visibleRegion().boundingRect() if parent else self.rect()
        box = QRectF(visible).adjusted(GUTTER, 0, 0, 0)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() + 1)
        painter.setFont(font)
        painter.setPen(tokens.color("text_faint"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                         self.empty_hint)

    def _paint_columns(self, painter: QPainter, tokens: Tokens) -> None:
        today = self.profile.today(self.now) if self.now else None
        for (left, width), day in zip(column_spans(self.width(), len(self.days)), self.days,
                                      strict=True):
            if day == today and len(self.days) > 1:
                tint = tokens.color("accent_soft")
                tint.setAlpha(110 if tokens.is_dark else 140)
                painter.fillRect(QRectF(left, 0, width, self.height()), tint)
            elif day.weekday() >= 5:
                painter.fillRect(QRectF(left, 0, width, self.height()),
                                 tokens.color("surface_alt"))
            painter.setPen(QPen(tokens.color("border"), 1))
            painter.drawLine(QPointF(left, 0), QPointF(left, self.height()))

    def _paint_hours(self, painter: QPainter, tokens: Tokens) -> None:
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1.5))
        painter.setFont(font)
        line, half = tokens.color("border"), tokens.color("border")
        half.setAlpha(110)
        for hour in range(25):
            y = self.y_of(hour * 60)
            painter.setPen(QPen(line, 1))
            painter.drawLine(QPointF(GUTTER - 6, y), QPointF(self.width() - 8, y))
            if hour < 24:
                painter.setPen(QPen(half, 1, Qt.PenStyle.DashLine))
                y_half = self.y_of(hour * 60 + 30)
                painter.drawLine(QPointF(GUTTER, y_half), QPointF(self.width() - 8, y_half))
                if hour:
                    painter.setPen(tokens.color("text_faint"))
                    painter.drawText(QRectF(0, y - 9, GUTTER - 12, 18),
                                     Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                                     f"{hour:02d}:00")

    def _paint_block(self, painter: QPainter, tokens: Tokens, slot: SlotDTO, rect: QRectF, *,
                     selected: bool, ghost: bool = False, label_minutes: tuple[int, int] | None
                     = None) -> None:
        done = slot.status == Status.DONE
        fill = tokens.color("success_soft" if done else "accent_soft")
        stripe = tokens.color("success" if done else "accent")
        if ghost:
            fill.setAlpha(200)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 6, 6)
        painter.setBrush(stripe)
        painter.drawRoundedRect(QRectF(rect.left(), rect.top(), 4, rect.height()), 2, 2)
        if selected or ghost:
            pen = QPen(stripe, 2, Qt.PenStyle.DashLine if ghost else Qt.PenStyle.SolidLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 6, 6)
        text_rect = rect.adjusted(10, 4, -6, -3)
        title_font = QFont(self.font())
        title_font.setBold(True)
        title_font.setPointSizeF(max(7.5, title_font.pointSizeF() - 0.5))
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1.5))
        if label_minutes is not None:
            times = f"{minutes_label(label_minutes[0])}–{minutes_label(label_minutes[1])}"
        else:
            start, end = self.profile.local(slot.start), self.profile.local(slot.end)
            times = f"{start:%H:%M}–{end:%H:%M}"
        title = ("✓ " if done else "") + slot.title
        painter.setPen(tokens.color("text"))
        painter.setFont(title_font)
        title_metrics = QFontMetrics(title_font)
        if rect.height() < 36:
            line = f"{times}  {title}"
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                             title_metrics.elidedText(line, Qt.TextElideMode.ElideRight,
                                                      int(text_rect.width())))
        else:
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                             title_metrics.elidedText(title, Qt.TextElideMode.ElideRight,
                                                      int(text_rect.width())))
            painter.setFont(small)
            painter.setPen(tokens.color("text_muted"))
            painter.drawText(text_rect.adjusted(0, title_metrics.height() + 1, 0, 0),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                             QFontMetrics(small).elidedText(times, Qt.TextElideMode.ElideRight,
                                                            int(text_rect.width())))
        painter.restore()

    def _paint_drag(self, painter: QPainter, tokens: Tokens) -> None:
        drag = self._drag
        if drag is None or not drag.started:
            return
        rect = self._block_rect(drag.new_day_index, drag.new_start, drag.new_end)
        if drag.slot is not None:
            self._paint_block(painter, tokens, drag.slot, rect, selected=True, ghost=True,
                              label_minutes=(drag.new_start, drag.new_end))
            return
        fill = tokens.color("accent")
        fill.setAlpha(60)
        painter.setPen(QPen(tokens.color("accent"), 1.5, Qt.PenStyle.DashLine))
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 6, 6)
        painter.setPen(tokens.color("text"))
        painter.drawText(rect.adjusted(8, 4, -4, -4), Qt.AlignmentFlag.AlignLeft,
                         f"New · {minutes_label(drag.new_start)}–{minutes_label(drag.new_end)}")

    def _paint_due_markers(self, painter: QPainter, tokens: Tokens) -> None:
        """A due time: a dashed line across its day at that time, with a flag and title."""
        spans = column_spans(self.width(), len(self.days))
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1.5))
        painter.setFont(small)
        for task in self.due_markers:
            left, width = spans[self.days.index(task.due)]
            y = self.y_of(self.profile.minutes_into_day(task.due_at, task.due))
            color = tokens.color("warning")
            painter.setPen(QPen(color, 1.5, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(left + 4, y), QPointF(left + width - 4, y))
            flag = QRectF(left + 6, y - 9, min(width - 12, 220), 18)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(tokens.color("surface"))
            painter.drawRoundedRect(flag, 4, 4)
            painter.setPen(color)
            text = QFontMetrics(small).elidedText(f"⚑ {task.due_time} {task.title}",
                                                   Qt.TextElideMode.ElideRight,
                                                   int(flag.width()) - 8)
            painter.drawText(flag.adjusted(4, 0, -4, 0),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)

    def _paint_now(self, painter: QPainter, tokens: Tokens) -> None:
        if self.now is None:
            return
        today = self.profile.today(self.now)
        if today not in self.days:
            return
        index = self.days.index(today)
        left, width = column_spans(self.width(), len(self.days))[index]
        y = self.y_of(self.profile.minutes_into_day(self.now, today))
        color = tokens.color("danger")
        painter.setPen(QPen(color, 2))
        painter.drawLine(QPointF(left, y), QPointF(left + width, y))
        painter.setBrush(color)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(QPointF(left, y), 4.5, 4.5)

    # -- mouse -----------------------------------------------------------------------------

    def _on_edge(self, block: Block, pos: QPointF) -> bool:
        return block.end_minutes <= DAY_MINUTES and pos.y() >= block.rect.bottom() - EDGE_PX

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self.days:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        pos = event.position()
        block = self.block_at(pos)
        if block is not None:
            self.select(block.slot.id)
            mode = "resize" if self._on_edge(block, pos) else "move"
            self._drag = Drag(mode, pos, block.day_index, block.start_minutes,
                              block.end_minutes, block.slot)
        else:
            self.select(None)
            minute = max(0, min(DAY_MINUTES - MIN_SLOT_MINUTES,
                                snap(self.minutes_at(pos.y()) - SNAP_MINUTES / 2)))
            self._drag = Drag("create", pos, self.day_index_at(pos.x()), minute,
                              minute + MIN_SLOT_MINUTES)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        drag = self._drag
        if drag is None:
            block = self.block_at(pos)
            self.setCursor(Qt.CursorShape.ArrowCursor if block is None else
                           Qt.CursorShape.SizeVerCursor if self._on_edge(block, pos) else
                           Qt.CursorShape.OpenHandCursor)
            return
        if not drag.started and (pos - drag.origin).manhattanLength() < DRAG_THRESHOLD_PX:
            return
        drag.started = True
        delta = snap(self.minutes_at(pos.y()) - self.minutes_at(drag.origin.y()))
        if drag.mode == "move":
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            length = drag.end_minutes - drag.start_minutes
            start = max(0, min(DAY_MINUTES - min(length, DAY_MINUTES), drag.start_minutes + delta))
            drag.new_day_index = self.day_index_at(pos.x())
            drag.new_start, drag.new_end = start, start + length
        elif drag.mode == "resize":
            end = max(drag.start_minutes + MIN_SLOT_MINUTES,
                      min(DAY_MINUTES, drag.end_minutes + delta))
            drag.new_day_index, drag.new_start, drag.new_end = \
                drag.day_index, drag.start_minutes, end
        else:
            here = max(0, min(DAY_MINUTES, snap(self.minutes_at(pos.y()))))
            first, last = sorted((drag.start_minutes, here))
            drag.new_day_index = drag.day_index
            drag.new_start, drag.new_end = first, max(first + MIN_SLOT_MINUTES, last)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self._drag = self._drag, None
        self.unsetCursor()
        if drag is None or not drag.started:
            self.update()
            return
        day = self.days[drag.new_day_index]
        start = self.profile.instant(day, drag.new_start)
        end = self.profile.instant(day, drag.new_end)
        if drag.slot is None:
            self.create_requested.emit(start, end)
        elif (drag.new_day_index, drag.new_start, drag.new_end) != \
                (drag.day_index, drag.start_minutes, drag.end_minutes):
            self.slot_moved.emit(drag.slot.id, start, end)
        self.update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        block = self.block_at(pos)
        self._drag = None
        if block is not None:
            self.edit_requested.emit(block.slot.id)
            return
        if not self.days:
            return
        day = self.days[self.day_index_at(pos.x())]
        minute = max(0, min(DAY_MINUTES - 60, snap(self.minutes_at(pos.y()) - 30)))
        self.create_requested.emit(self.profile.instant(day, minute),
                                   self.profile.instant(day, minute + 60))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        block = self.block_at(QPointF(event.pos()))
        if block is not None:
            self.select(block.slot.id)
            self.context_requested.emit(block.slot.id, event.globalPos())

    # -- keyboard --------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, modifiers = event.key(), event.modifiers()
        selected = self.block_of(self.selected_id) if self.selected_id is not None else None
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -SNAP_MINUTES if key == Qt.Key.Key_Up else SNAP_MINUTES
            if modifiers & Qt.KeyboardModifier.AltModifier and selected is not None:
                resize = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
                self._nudge(selected, step, resize)
            else:
                self._select_neighbour(1 if step > 0 else -1)
            return
        if selected is not None and key == Qt.Key.Key_Space:
            self.toggle_requested.emit(selected.slot.id)
            return
        if selected is not None and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.edit_requested.emit(selected.slot.id)
            return
        super().keyPressEvent(event)

    def _select_neighbour(self, direction: int) -> None:
        ordered = sorted(self._blocks, key=lambda b: (b.day_index, b.start_minutes, b.slot.id))
        if not ordered:
            return
        ids = [b.slot.id for b in ordered]
        if self.selected_id not in ids:
            self.select(ids[0 if direction > 0 else -1])
            return
        position = ids.index(self.selected_id) + direction
        self.select(ids[max(0, min(len(ids) - 1, position))])

    def _nudge(self, block: Block, step: int, resize: bool) -> None:
        slot = block.slot
        day = self.days[block.day_index]
        start = block.start_minutes + (0 if resize else step)
        end = block.end_minutes + step
        if end - start < MIN_SLOT_MINUTES or start < 0 or end > DAY_MINUTES:
            return
        self.slot_moved.emit(slot.id, self.profile.instant(day, start),
                             self.profile.instant(day, end))

