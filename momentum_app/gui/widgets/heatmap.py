"""A year of activity, GitHub-style: a cell per day, a column per week, darker = busier.

Custom-painted from a :class:`momentum_app.core.stats.Heatmap` (the levels are computed
in the core). Hovering a cell tells the day's completions and points. A day a streak
freeze bridged (SPEC v2 §4) is drawn in ice blue with a small snowflake, not as a gap,
and the legend says so when there is one.
"""

from __future__ import annotations

import math
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ...core.stats import HEAT_LEVELS, HeatCell, Heatmap
from ..theme import ThemeManager, Tokens, mix

LEFT, TOP, LEGEND = 34, 20, 30
GAP = 3
MAX_CELL = 15
WEEKDAY_LABELS = {0: "Mon", 2: "Wed", 4: "Fri"}


def level_colour(tokens: Tokens, level: int) -> QColor:
    """Level 0 is the empty track; 1…4 blend the accent over the card, stronger each step."""
    if level <= 0:
        return tokens.color("track")
    accent, base = tokens.color("accent"), tokens.color("surface")
    weight = (0.28, 0.5, 0.74, 1.0)[min(level, HEAT_LEVELS) - 1]
    return mix(accent, base, weight)


def ice_colour(tokens: Tokens) -> QColor:
    """A frozen day: ice blue, light on a light card and deeper on a dark one."""
    return QColor("#2E6F8E") if tokens.is_dark else QColor("#BFE6F7")


def ice_mark(tokens: Tokens) -> QColor:
    return QColor("#E6F7FF") if tokens.is_dark else QColor("#1F6F93")


def paint_snowflake(painter: QPainter, rect: QRectF, colour: QColor) -> None:
    """Three crossed strokes in the middle of a cell: the ice mark."""
    centre, arm = rect.center(), rect.width() * 0.32
    painter.setPen(QPen(colour, max(1.0, rect.width() / 9)))
    for degrees in (90, 30, -30):
        angle = math.radians(degrees)
        offset = QPointF(arm * math.cos(angle), arm * math.sin(angle))
        painter.drawLine(centre - offset, centre + offset)


class ActivityHeatmap(QWidget):
    def __init__(self, theme: ThemeManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self.grid: Heatmap | None = None
        self.today: date | None = None
        self.frozen: frozenset[date] = frozenset()
        self.setMouseTracking(True)
        self.setAccessibleName("Activity heatmap")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(self._height_for(11))
        theme.changed.connect(lambda _tokens: self.update())

    def set_data(self, grid: Heatmap, frozen: frozenset[date] = frozenset()) -> None:
        self.grid, self.today = grid, grid.last
        self.frozen = frozenset(d for d in frozen if grid.first <= d <= grid.last)
        self.setAccessibleDescription(f"{grid.total} completions on {grid.active_days} days "
                                      f"since {grid.first:%d %B %Y}")
        self.setFixedHeight(self._height_for(self._cell()))
        self.update()

    # -- geometry --------------------------------------------------------------------------

    def _cell(self) -> float:
        weeks = self.grid.weeks if self.grid else 53
        return max(6.0, min(MAX_CELL, (self.width() - LEFT - 4) / weeks - GAP))

    @staticmethod
    def _height_for(cell: float) -> int:
        return int(TOP + 7 * (cell + GAP) + LEGEND)

    def sizeHint(self) -> QSize:
        return QSize(LEFT + 53 * (MAX_CELL + GAP), self._height_for(MAX_CELL))

    def resizeEvent(self, event: object) -> None:
        if self.grid is not None:
            self.setFixedHeight(self._height_for(self._cell()))

    def cell_rect(self, cell: HeatCell) -> QRectF:
        size = self._cell()
        return QRectF(LEFT + cell.column * (size + GAP), TOP + cell.row * (size + GAP),
                      size, size)

    def cell_at(self, point: QPointF) -> HeatCell | None:
        if self.grid is None:
            return None
        size = self._cell()
        column = int((point.x() - LEFT) // (size + GAP))
        row = int((point.y() - TOP) // (size + GAP))
        if not (0 <= row < 7 and 0 <= column < self.grid.weeks):
            return None
        index = column * 7 + row
        return self.grid.cells[index] if index < len(self.grid.cells) else None

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        if self.grid is None:
            return
        tokens = self._theme.tokens
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        small = QFont(self.font())
        small.setPointSizeF(8)
        painter.setFont(small)
        size = self._cell()
        radius = max(2.0, size / 4.5)
        painter.setPen(tokens.color("text_muted"))
        last_label_x = -100.0
        for column, first in self.grid.months:
            x = LEFT + column * (size + GAP)
            if x - last_label_x < 3 * (size + GAP):  # too close to the previous month
                continue
            painter.drawText(QPointF(x, TOP - 7), first.strftime("%b"))
            last_label_x = x
        for row, text in WEEKDAY_LABELS.items():
            y = TOP + row * (size + GAP)
            painter.drawText(QRectF(0, y, LEFT - 8, size),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
        painter.setPen(Qt.PenStyle.NoPen)
        for cell in self.grid.cells:
            frozen = cell.day in self.frozen
            painter.setBrush(ice_colour(tokens) if frozen else level_colour(tokens, cell.level))
            painter.drawRoundedRect(self.cell_rect(cell), radius, radius)
            if frozen:
                paint_snowflake(painter, self.cell_rect(cell), ice_mark(tokens))
                painter.setPen(Qt.PenStyle.NoPen)
        today = self.grid.cells[-1] if self.grid.cells else None
        if today is not None:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(tokens.color("text_muted"), 1.2))
            painter.drawRoundedRect(self.cell_rect(today).adjusted(-1, -1, 1, 1), radius, radius)
        self._paint_legend(painter, tokens, size, radius)
        painter.end()

    def _paint_legend(self, painter: QPainter, tokens: Tokens, size: float,
                      radius: float) -> None:
        assert self.grid is not None
        y = TOP + 7 * (size + GAP) + 8
        legend_size = min(size, 11.0)
        painter.setPen(tokens.color("text_muted"))
        summary = (f"{self.grid.total:,} completions on {self.grid.active_days} days "
                   f"in the last year")
        if self.frozen:
            ice = QRectF(LEFT, y, legend_size, legend_size)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(ice_colour(tokens))
            painter.drawRoundedRect(ice, radius, radius)
            paint_snowflake(painter, ice, ice_mark(tokens))
            painter.setPen(tokens.color("text_muted"))
            frozen = len(self.frozen)
            summary = (f"frozen: {frozen} day{'s' if frozen != 1 else ''} a streak freeze "
                       f"bridged · {summary}")
            painter.drawText(QRectF(LEFT + legend_size + 6, y - 2, 520, legend_size + 4),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             summary)
            summary = ""
        if summary:
            painter.drawText(QRectF(LEFT, y - 2, 400, legend_size + 4),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             summary)
        right = LEFT + self.grid.weeks * (size + GAP) - GAP
        x = right - (HEAT_LEVELS + 1) * (legend_size + GAP) - 36
        painter.drawText(QRectF(x - 40, y - 2, 36, legend_size + 4),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, "Less")
        painter.setPen(Qt.PenStyle.NoPen)
        for level in range(HEAT_LEVELS + 1):
            painter.setBrush(level_colour(tokens, level))
            painter.drawRoundedRect(QRectF(x + level * (legend_size + GAP), y, legend_size,
                                           legend_size), radius, radius)
        painter.setPen(tokens.color("text_muted"))
        painter.drawText(QRectF(x + (HEAT_LEVELS + 1) * (legend_size + GAP) + 4, y - 2, 36,
                                legend_size + 4),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, "More")

    # -- hover -----------------------------------------------------------------------------

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position())
        if cell is None:
            QToolTip.hideText()
            return
        done = "nothing completed" if not cell.value else \
            f"{cell.value} completion{'s' if cell.value != 1 else ''}"
        if cell.day in self.frozen:
            done = "frozen: a streak freeze kept the streak going"
        QToolTip.showText(event.globalPosition().toPoint(),
                          f"{cell.day:%a} {cell.day.day} {cell.day:%b %Y} · {done} · "
                          f"{cell.points:,} points", self)
