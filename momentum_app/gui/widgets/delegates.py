"""Delegates that paint tasks and time slots: a round check, the title, chips and dots.

``ItemRowDelegate`` paints the rows of :class:`ItemListModel` (Today); ``TaskCellDelegate``
paints the cells of the Tasks table. Both share the painting helpers below and emit
``toggle_requested`` when the round check is clicked.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from ...core.kinds import Status
from ...core.services.dto import SlotDTO, TaskDTO
from ..dialogs.fields import complexity_text
from ..models.item_list import ENTRY_ROLE, Section
from ..models.task_table import DTO_ROLE, Column
from ..painted_text import draw_text, fit_problem, note, recording_active
from ..theme import ThemeManager, Tokens
from ..timefmt import ProfileTime, due_label, duration, task_is_overdue, time_range
from .common import paint_focus_ring

AnyIndex = QModelIndex | QPersistentModelIndex
CHECK_SIZE = 20


def paint_check(painter: QPainter, center: QPointF, done: bool, tokens: Tokens,
                hovered: bool = False) -> None:
    """The round done/not-done check."""
    radius = CHECK_SIZE / 2 - 1
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if done:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tokens.color("success"))
        painter.drawEllipse(center, radius, radius)
        pen = QPen(QColor("#FFFFFF"), 2.0)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        x, y = center.x(), center.y()
        painter.drawPolyline([QPointF(x - 4.5, y + 0.2), QPointF(x - 1.2, y + 3.4),
                              QPointF(x + 4.8, y - 3.2)])
    else:
        pen = QPen(tokens.color("accent" if hovered else "text_faint"), 1.6)
        painter.setPen(pen)
        painter.setBrush(tokens.color("accent_soft") if hovered else Qt.BrushStyle.NoBrush)
        painter.drawEllipse(center, radius, radius)
    painter.restore()


def complexity_dot_roles(muted: bool) -> tuple[str, str]:
    """Token names of the filled and the empty dots (both ≥ 3:1 on a surface, any theme)."""
    return ("text_muted" if muted else "accent"), "meter"


def paint_complexity(painter: QPainter, rect: QRect, complexity: int, tokens: Tokens,
                     muted: bool = False) -> None:
    """Five small dots, ``complexity`` of them filled, the rest rings, centred in ``rect``."""
    dot, gap = 6.0, 4.0
    width = 5 * dot + 4 * gap
    x = rect.center().x() - width / 2
    y = rect.center().y() - dot / 2
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    filled_role, empty_role = complexity_dot_roles(muted)
    filled, empty = tokens.color(filled_role), tokens.color(empty_role)
    for position in range(5):
        circle = QRectF(x + position * (dot + gap), y, dot, dot)
        if position < complexity:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(filled)
        else:
            painter.setPen(QPen(empty, 1.2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            circle = circle.adjusted(0.6, 0.6, -0.6, -0.6)
        painter.drawEllipse(circle)
    painter.restore()


def paint_selection(painter: QPainter, option: QStyleOptionViewItem, tokens: Tokens) -> None:
    """Hover and selection fills, and the 2 px focus ring on the current row while the
    list has the keyboard (the ring is the text colour, the selection the accent)."""
    selected = bool(option.state & QStyle.StateFlag.State_Selected)
    hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
    focused = bool(option.state & QStyle.StateFlag.State_HasFocus)
    rect = QRectF(option.rect).adjusted(4, 2, -4, -2)
    if selected or hovered:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tokens.color("accent_soft" if selected else "surface_alt"))
        painter.drawRoundedRect(rect, 7, 7)
        painter.restore()
    if focused:
        paint_focus_ring(painter, rect, tokens, 7)


def check_rect(row_rect: QRect, left: int = 16) -> QRect:
    return QRect(row_rect.left() + left, row_rect.center().y() - CHECK_SIZE // 2 + 1,
                 CHECK_SIZE, CHECK_SIZE)


def font_for(base: QFont, *, point_delta: float = 0, bold: bool = False,
             strike: bool = False) -> QFont:
    font = QFont(base)
    if point_delta:
        font.setPointSizeF(max(6.0, font.pointSizeF() + point_delta))
    font.setBold(bold)
    font.setStrikeOut(strike)
    return font


class RowHeightDelegate(QStyledItemDelegate):
    """Plain rows of a fixed height (the sidebar's navigation and project lists)."""

    def __init__(self, height: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._height = height

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), self._height)


class _ToggleDelegate(QStyledItemDelegate):
    """Emits ``toggle_requested`` when the round check of a row is clicked."""

    toggle_requested = Signal(QModelIndex)

    def __init__(self, theme: ThemeManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self._pressed: QPersistentModelIndex | None = None

    def _check_hit(self, option: QStyleOptionViewItem, index: AnyIndex,
                   event: QMouseEvent) -> bool:
        raise NotImplementedError

    def editorEvent(self, event: QEvent, model: object, option: QStyleOptionViewItem,
                    index: AnyIndex) -> bool:
        """A click toggles only the row it began on: the press is remembered as a
        persistent index, which follows its row when the list changes under the cursor
        (and dies on a reset), so a release over a row that slid in does nothing."""
        if not isinstance(event, QMouseEvent) or event.button() != Qt.MouseButton.LeftButton:
            return super().editorEvent(event, model, option, index)  # type: ignore[arg-type]
        if event.type() == QEvent.Type.MouseButtonPress:
            self._pressed = QPersistentModelIndex(index) \
                if self._check_hit(option, index, event) else None
        elif event.type() == QEvent.Type.MouseButtonRelease:
            pressed, self._pressed = self._pressed, None
            if pressed is not None and self._check_hit(option, index, event):
                if pressed.isValid() and pressed.row() == index.row() \
                        and pressed.model() is index.model():
                    # A plain index of the same cell (the view may hand a persistent one).
                    self.toggle_requested.emit(index.sibling(index.row(), index.column()))
                return True
        return super().editorEvent(event, model, option, index)  # type: ignore[arg-type]


class ItemRowDelegate(_ToggleDelegate):
    """Rows of the Today lists: section headers, tasks and time slots.

    Every size follows the font (Settings ▸ Text size): a row is as tall as its lines, a
    slot's time range gets the width "00:00–00:00" needs (times never cut, so rows line
    up), and only titles elide — their tooltip says them whole.
    """

    #: Room on the right of a task row for the complexity dots.
    DOTS_WIDTH = 110

    def __init__(self, theme: ThemeManager, calendar: tuple[ProfileTime, date],
                 parent: QWidget | None = None) -> None:
        super().__init__(theme, parent)
        self.profile_time, self.today = calendar
        #: The injected clock's instant, for timed dues (None: judged by the day).
        self.now: datetime | None = None

    def set_calendar(self, profile_time: ProfileTime, today: date,
                     now: datetime | None = None) -> None:
        self.profile_time, self.today = profile_time, today
        if now is not None:
            self.now = now

    @staticmethod
    def _line_heights(base: QFont) -> tuple[int, int]:
        """Heights of a title line and of a meta line (the smaller font) in ``base``."""
        return (QFontMetrics(base).height(),
                QFontMetrics(font_for(base, point_delta=-1.5)).height())

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        entry = index.data(ENTRY_ROLE)
        if isinstance(entry, Section):
            heading = QFontMetrics(font_for(option.font, point_delta=-1, bold=True)).height()
            height = max(36, heading + 18)
        else:
            title, meta = self._line_heights(option.font)
            height = max(54, 8 + title + 1 + meta + 8, CHECK_SIZE + 16)
        return QSize(max(200, option.rect.width()), height)

    def _check_hit(self, option: QStyleOptionViewItem, index: AnyIndex,
                   event: QMouseEvent) -> bool:
        entry = index.data(ENTRY_ROLE)
        return not isinstance(entry, Section) and \
            check_rect(option.rect).adjusted(-6, -6, 6, 6).contains(event.position().toPoint())

    @staticmethod
    def _text_left(rect: QRect) -> int:
        return rect.left() + 16 + CHECK_SIZE + 14

    def _slot_columns(self, rect: QRect, base: QFont, slot: SlotDTO
                      ) -> tuple[QRect, QRect, QRect | None]:
        """Where a slot row's time range, title and duration go.

        One line — time, title, duration — while the title keeps room for about a dozen
        letters; else two lines like a task row: the title on top, the time range and
        the duration (when it fits) below. The time range is never cut; the duration is
        dropped before it would be (the tooltip says both).
        """
        small = QFontMetrics(font_for(base, point_delta=-1))
        times = time_range(slot.start, slot.end, self.profile_time)
        time_width = max(small.horizontalAdvance("00:00–00:00"), small.horizontalAdvance(times))
        faint = QFontMetrics(font_for(base, point_delta=-1.5))
        length_width = faint.horizontalAdvance(duration(slot.minutes))
        left = self._text_left(rect)
        right = rect.right() - 12
        title_font = QFontMetrics(base)
        title_left = left + time_width + 10
        title_width = right - length_width - 10 - title_left
        if title_width >= 12 * title_font.averageCharWidth():
            return (QRect(left, rect.top(), time_width, rect.height()),
                    QRect(title_left, rect.top(), title_width, rect.height()),
                    QRect(right - length_width, rect.top(), length_width, rect.height()))
        title_rect = QRect(left, rect.top() + 8, max(0, right - left), title_font.height())
        line = QRect(left, title_rect.bottom() + 2, time_width, small.height())
        length_left = line.right() + 1 + 12
        length_rect = QRect(length_left, line.top(), length_width, faint.height()) \
            if length_left + length_width <= right else None
        return line, title_rect, length_rect

    def _task_title_rect(self, rect: QRect, base: QFont) -> QRect:
        left = self._text_left(rect)
        title, _meta = self._line_heights(base)
        return QRect(left, rect.top() + 8, rect.right() - self.DOTS_WIDTH - left, title)

    def tooltip(self, rect: QRect, pos: QPoint, entry: object, font: QFont) -> str:
        """What hovering a row tells: the dots' meaning, a cut-off title or detail line
        in full, a slot's title, times and length."""
        if isinstance(entry, TaskDTO):
            if QRect(rect.right() - 96, rect.top(), 80, rect.height()).contains(pos):
                return complexity_text(entry.complexity)
            width = self._task_title_rect(rect, font).width()
            meta = " · ".join(text for text, _role in self._task_meta(entry))
            small = QFontMetrics(font_for(font, point_delta=-1.5))
            if small.horizontalAdvance(meta) + 14 * meta.count(" · ") > width:
                return f"{entry.title}\n{meta}"  # the detail line is cut: say both
            if QFontMetrics(font).horizontalAdvance(entry.title) > width:
                return entry.title
        if isinstance(entry, SlotDTO):
            return (f"{entry.title} · {time_range(entry.start, entry.end, self.profile_time)}"
                    f" · {duration(entry.minutes)}")
        return ""

    def _task_meta(self, task: TaskDTO) -> list[tuple[str, str]]:
        """The detail line of a task row: (text, colour role) parts."""
        parts = [(task.project, "text_muted")]
        if task.due is not None:
            overdue = task_is_overdue(task, self.today, self.now)
            parts.append((due_label(task.due, self.today, task.due_time,
                                    is_open=task.status == Status.OPEN),
                          "danger" if overdue else "text_muted"))
        if task.repeat or task.repeat_after:
            parts.append(("repeats", "text_faint"))
        if task.tags:  # tag chips (SPEC §12)
            parts.append((" ".join(f"#{tag}" for tag in task.tags), "accent"))
        return parts

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView,
                  option: QStyleOptionViewItem, index: AnyIndex) -> bool:
        if event.type() != QEvent.Type.ToolTip:
            return super().helpEvent(event, view, option, index)
        text = self.tooltip(option.rect, event.pos(), index.data(ENTRY_ROLE), option.font)
        if text:
            QToolTip.showText(event.globalPos(), text, view)
        else:
            QToolTip.hideText()
        return True

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        tokens = self.theme.tokens
        entry = index.data(ENTRY_ROLE)
        if isinstance(entry, Section):
            self._paint_section(painter, option, entry, tokens)
            return
        paint_selection(painter, option, tokens)
        if isinstance(entry, TaskDTO):
            self._paint_task(painter, option, entry, tokens)
        elif isinstance(entry, SlotDTO):
            self._paint_slot(painter, option, entry, tokens)

    def _paint_section(self, painter: QPainter, option: QStyleOptionViewItem, section: Section,
                       tokens: Tokens) -> None:
        painter.save()
        rect = option.rect.adjusted(16, 10, -16, 0)
        painter.setFont(font_for(option.font, point_delta=-1, bold=True))
        painter.setPen(tokens.color("danger" if section.tone == "danger" else "text_muted"))
        text = section.title.upper()
        width = QFontMetrics(painter.font()).horizontalAdvance(text)
        draw_text(painter, QRect(rect.left(), rect.top(), width, rect.height()), text,
                  within=option.rect)
        painter.setPen(tokens.color("text_faint"))
        count = str(section.count)
        draw_text(painter, QRect(rect.left() + width + 8, rect.top(),
                                 QFontMetrics(painter.font()).horizontalAdvance(count),
                                 rect.height()), count, within=option.rect)
        painter.restore()

    @staticmethod
    def _paint_item(painter: QPainter, option: QStyleOptionViewItem, done: bool,
                    title: str, title_rect: QRect, tokens: Tokens) -> None:
        """What a task row and a slot row share: the round check (lit under the mouse)
        and the title, struck out and muted when done. The painter is left as it was."""
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        paint_check(painter, QRectF(check_rect(option.rect)).center(), done, tokens, hovered)
        painter.save()
        painter.setFont(font_for(option.font, strike=done))
        painter.setPen(tokens.color("text_muted" if done else "text"))
        draw_text(painter, title_rect, title, elide=True, within=option.rect)
        painter.restore()

    def _paint_task(self, painter: QPainter, option: QStyleOptionViewItem, task: TaskDTO,
                    tokens: Tokens) -> None:
        done = task.status == Status.DONE
        title_rect = self._task_title_rect(option.rect, option.font)
        self._paint_item(painter, option, done, task.title, title_rect, tokens)
        painter.save()
        small = font_for(option.font, point_delta=-1.5)
        painter.setFont(small)
        meta_rect = QRect(title_rect.left(), title_rect.bottom() + 2, title_rect.width(),
                          QFontMetrics(small).height())
        parts = self._task_meta(task)
        x = meta_rect.left()
        small_metrics = QFontMetrics(small)
        for position, (text, role) in enumerate(parts):
            if position:
                if x + 14 > meta_rect.right():
                    break  # no room left: the rest is in the editor
                painter.setPen(tokens.color("text_faint"))
                painter.drawText(QRect(x, meta_rect.top(), 14, meta_rect.height()),
                                 Qt.AlignmentFlag.AlignCenter, "·")
                x += 14
            painter.setPen(tokens.color(role))
            draw_text(painter, QRect(x, meta_rect.top(), meta_rect.right() - x,
                                     meta_rect.height()), text, elide=True, within=option.rect)
            x += small_metrics.horizontalAdvance(text)
        painter.restore()
        dots = QRect(option.rect.right() - 96, option.rect.top(), 80, option.rect.height())
        paint_complexity(painter, dots, task.complexity, tokens, muted=done)

    def _paint_slot(self, painter: QPainter, option: QStyleOptionViewItem, slot: SlotDTO,
                    tokens: Tokens) -> None:
        done = slot.status == Status.DONE
        time_rect, title_rect, length_rect = self._slot_columns(option.rect, option.font, slot)
        self._paint_item(painter, option, done, slot.title, title_rect, tokens)
        painter.save()
        painter.setFont(font_for(option.font, point_delta=-1))
        painter.setPen(tokens.color("accent"))
        draw_text(painter, time_rect, time_range(slot.start, slot.end, self.profile_time),
                  within=option.rect)
        if length_rect is not None:
            painter.setFont(font_for(option.font, point_delta=-1.5))
            painter.setPen(tokens.color("text_faint"))
            draw_text(painter, length_rect, duration(slot.minutes),
                      align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                      within=option.rect)
        painter.restore()


#: Left/right room of a text cell: the style sheet's item padding (8 px) + Qt's text margin.
CELL_TEXT_MARGIN = 11
#: Room between the hidden marker's icon and its text (and before the title's end).
HIDDEN_MARKER_GAP = 5
#: Laid-out cell texts kept (a few screens of rows).
TEXT_CACHE_SIZE = 4096


class TaskCellDelegate(_ToggleDelegate):
    """Cells of the Tasks table: a round check, struck-out done titles, red overdue dates."""

    def __init__(self, theme: ThemeManager, parent: QWidget | None = None) -> None:
        super().__init__(theme, parent)
        self._fonts: dict[tuple[str, bool], QFont] = {}  # (base font key, struck) -> font
        self._texts: dict[tuple[str, int, str, bool], QStaticText] = {}  # insertion order

    def _check_hit(self, option: QStyleOptionViewItem, index: AnyIndex,
                   event: QMouseEvent) -> bool:
        return index.column() == Column.DONE

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width() + 12, max(40, QFontMetrics(option.font).height() + 14))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        tokens = self.theme.tokens
        task = index.data(DTO_ROLE)
        if not isinstance(task, TaskDTO):
            super().paint(painter, option, index)
            return
        column = Column(index.column())
        done = task.status == Status.DONE
        # The panel (row line, hover, selection) comes from the style sheet; the content is
        # painted here. Letting the style draw text cells too (initStyleOption +
        # CE_ItemViewItem) asks the model for ten roles per cell and doubled the repaint.
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option,
                                painter, option.widget)
        if column is Column.DONE:
            hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
            paint_check(painter, QRectF(option.rect).center(), done, tokens, hovered)
            return
        if column is Column.COMPLEXITY:
            paint_complexity(painter, option.rect, task.complexity, tokens, muted=done)
            return
        model = index.model()
        role = "text_muted"
        if column is Column.TITLE:
            role = "text_muted" if done else "text"
        elif column is Column.DUE and model.is_overdue(task):  # type: ignore[attr-defined]
            role = "danger"
        struck = done and column is Column.TITLE
        text_rect = option.rect.adjusted(CELL_TEXT_MARGIN, 0, -CELL_TEXT_MARGIN, 0)
        if column is Column.TITLE:
            marker = model.hidden_marker(task)  # type: ignore[attr-defined]
            if marker:
                text_rect.setRight(self._paint_hidden_marker(painter, text_rect, marker,
                                                             option.font, tokens))
        text = self._laid_out(model.display_text(task, column),  # type: ignore[attr-defined]
                              text_rect.width(), option.font, struck)
        painter.save()
        painter.setFont(self._font(option.font, struck))
        painter.setPen(tokens.color(role))
        if struck:  # QStaticText draws no text decorations: a done title goes the slow way
            draw_text(painter, text_rect, text.text(), elide=True)
        else:
            top = text_rect.top() + (text_rect.height() - text.size().height()) / 2
            painter.drawStaticText(QPointF(text_rect.left(), top), text)
            if recording_active():  # the layout check: the cell's height must hold a line
                metrics = QFontMetrics(painter.font())
                note(fit_problem(metrics, QRect(text_rect.left(), text_rect.top(),
                                                metrics.horizontalAdvance(text.text()),
                                                text_rect.height()), text.text()), text.text())
        painter.restore()

    def _paint_hidden_marker(self, painter: QPainter, rect: QRect, marker: str,
                             base: QFont, tokens: Tokens) -> int:
        """A muted eye-slash and "Hidden until Tue 8 Dec" at the right of the title cell
        (the Tasks view's "All"); returns where the title has to end."""
        font = font_for(base, point_delta=-1)
        metrics = QFontMetrics(font)
        icon_size = metrics.height() - 2
        width = icon_size + HIDDEN_MARKER_GAP + metrics.horizontalAdvance(marker)
        if width > rect.width() * 0.6:  # a narrow column: the icon alone (tooltip says it)
            width, marker = icon_size, ""
        left = rect.right() - width
        middle = rect.center().y()
        icon = self.theme.icon("fa5s.eye-slash", "text_muted")
        icon.paint(painter, QRect(left, middle - icon_size // 2, icon_size, icon_size))
        if marker:
            painter.save()
            painter.setFont(font)
            painter.setPen(tokens.color("text_muted"))
            text_rect = QRect(left + icon_size + HIDDEN_MARKER_GAP, rect.top(),
                              width - icon_size - HIDDEN_MARKER_GAP + 1, rect.height())
            draw_text(painter, text_rect, marker)
            painter.restore()
        return left - HIDDEN_MARKER_GAP * 2

    def _font(self, base: QFont, struck: bool) -> QFont:
        key = (base.key(), struck)
        if key not in self._fonts:
            self._fonts[key] = font_for(base, strike=struck)
        return self._fonts[key]

    def _laid_out(self, text: str, width: int, base: QFont, struck: bool) -> QStaticText:
        """The cell's text elided to ``width`` and laid out once: a repaint of rows already
        shown (scrolling, hover, a column appearing) reuses it."""
        key = (text, width, base.key(), struck)
        laid = self._texts.get(key)
        if laid is None:
            font = self._font(base, struck)
            elided = QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, width)
            laid = QStaticText(elided)
            laid.setTextFormat(Qt.TextFormat.PlainText)
            laid.prepare(QTransform(), font)
            if len(self._texts) >= TEXT_CACHE_SIZE:
                self._texts.pop(next(iter(self._texts)))  # the oldest
            self._texts[key] = laid
        return laid
