"""Dashboard charts on Qt Charts, in theme colours: points per day, completions by kind,
focus hours per week.

Each chart takes values the core's pure aggregators computed (:mod:`momentum_app.core.stats`)
and only draws them; ``values()`` hands them back for tests (the charts must show what
``momentum stats`` says). Charts are rebuilt on each update — a few dozen points — and
restyled when the theme changes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from PySide6.QtCharts import (
    QAbstractAxis,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QCursor, QFocusEvent, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from ...core.stats import KINDS, DayRow, WeekTotal
from ..theme import ThemeManager, Tokens
from .common import paint_focus_ring

KIND_TITLES = {"tasks": "Tasks", "goal_steps": "Goal steps", "time_slots": "Time slots",
               "goals": "Goals"}
#: Token colour of each kind's slice.
KIND_ROLES = {"tasks": "accent", "goal_steps": "xp_end", "time_slots": "success",
              "goals": "warning"}


def nice_ceiling(value: float, ticks: int = 4) -> float:
    """A round axis maximum ≥ ``value`` that splits into ``ticks`` friendly steps."""
    if value <= 0:
        return float(ticks)
    raw = value / ticks
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return step * ticks


def day_label(day: date) -> str:
    return f"{day.day} {day.strftime('%b')}"


class ThemedChart(QChartView):
    """A QChartView with a transparent, theme-coloured chart and no legend by default."""

    #: What a screen reader calls the chart.
    accessible_name = ""

    def __init__(self, theme: ThemeManager, parent: QWidget | None = None) -> None:
        self.chart_ = QChart()
        super().__init__(self.chart_, parent)
        self._theme = theme
        self.setAccessibleName(self.accessible_name)
        self.chart_.setBackgroundVisible(False)
        self.chart_.setPlotAreaBackgroundVisible(False)
        self.chart_.setMargins(QMargins(0, 4, 18, 0))
        self.chart_.layout().setContentsMargins(0, 0, 0, 0)
        self.chart_.legend().hide()
        self.chart_.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setStyleSheet("background: transparent; border: none;")
        self.setMinimumHeight(200)
        theme.changed.connect(lambda _tokens: self.restyle())

    @property
    def tokens(self) -> Tokens:
        return self._theme.tokens

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.hasFocus():  # a chart takes Tab (its name is read out): show where it is
            painter = QPainter(self.viewport())
            paint_focus_ring(painter, QRectF(self.viewport().rect()), self.tokens)
            painter.end()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.viewport().update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.viewport().update()

    #: Said over the plot when every value is zero ("" for charts that draw their own).
    empty_text = ""

    def is_empty(self) -> bool:
        return False

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        super().drawForeground(painter, rect)
        if self.empty_text and self.is_empty():
            painter.save()
            painter.setPen(self.tokens.color("text_faint"))
            area = self.chart_.plotArea()
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, self.empty_text)
            painter.restore()

    def reset(self) -> None:
        self.chart_.removeAllSeries()
        for axis in self.chart_.axes():
            self.chart_.removeAxis(axis)

    def sized_font(self, points: float, *, bold: bool = False) -> QFont:
        """The chart's font at ``points`` points."""
        font = QFont(self.font())
        font.setPointSizeF(points)
        font.setBold(bold)
        return font

    def style_axis(self, axis: QAbstractAxis, *, grid: bool) -> None:
        tokens = self.tokens
        axis.setLabelsFont(self.sized_font(8))
        axis.setLabelsColor(tokens.color("text_muted"))
        axis.setLinePenColor(tokens.color("border"))
        axis.setLineVisible(not grid)
        axis.setGridLineVisible(grid)
        axis.setGridLinePen(QPen(tokens.color("border"), 1))
        axis.setMinorGridLineVisible(False)

    def restyle(self) -> None:
        """Re-apply colours (theme change): subclasses rebuild from their last values."""
        self.viewport().update()


class BarChart(ThemedChart):
    """A chart of one bar series over a category axis and a value axis from zero."""

    bar_set: QBarSet | None = None

    def add_bars(self, name: str, values: Sequence[float], colour: str, width: float
                 ) -> QBarSeries:
        """The bars (``self.bar_set``) of ``values`` in the theme's ``colour``, in a
        series not yet on the chart."""
        bars = QBarSet(name)
        bars.append(list(values))
        bars.setColor(self.tokens.color(colour))
        bars.setBorderColor(self.tokens.color(colour))
        series = QBarSeries()
        series.append(bars)
        series.setBarWidth(width)
        self.bar_set = bars
        return series

    def add_axes(self, series: QBarSeries, x_axis: QAbstractAxis, top: float,
                 label_format: str) -> QValueAxis:
        """``x_axis`` under the plot and, on its left, a value axis from 0 to a round
        number at or above ``top``; both styled and attached to ``series``."""
        self.style_axis(x_axis, grid=False)
        y_axis = QValueAxis()
        y_axis.setRange(0, nice_ceiling(top))
        y_axis.setTickCount(5)
        y_axis.setLabelFormat(label_format)
        self.style_axis(y_axis, grid=True)
        self.chart_.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart_.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
        return y_axis

    def bar_values(self) -> list[float]:
        """The heights the bars show (for tests)."""
        if self.bar_set is None:
            return []
        return [self.bar_set.at(index) for index in range(self.bar_set.count())]


class PointsChart(BarChart):
    """Points per day as bars, with a 7-day trend line (advanced analytics) over them."""

    empty_text = "No points in this period yet: complete a task and it shows here"
    accessible_name = "Points per day"
    #: What it shows (drawn again on a theme change).
    days: tuple[DayRow, ...] = ()
    trend: tuple[float, ...] | None = None
    trend_series: QLineSeries | None = None

    def set_data(self, days: Sequence[DayRow], trend: Sequence[float] | None) -> None:
        self.days, self.trend = tuple(days), tuple(trend) if trend is not None else None
        self.reset()
        series = self.add_bars("Points", [float(row.points) for row in self.days], "accent",
                               0.72 if len(self.days) <= 45 else 0.86)
        assert self.bar_set is not None
        self.bar_set.hovered.connect(self._hovered)
        self.chart_.addSeries(series)
        count = len(self.days)
        x_axis = QCategoryAxis()
        x_axis.setRange(-0.5, max(0.5, count - 0.5))
        x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        every = 7 if count <= 45 else 14
        # anchored on today, going back; QCategoryAxis wants them in ascending order
        for index in sorted(range(count - 1, -1, -every)):
            x_axis.append(day_label(self.days[index].day), index)
        top = max([row.points for row in self.days] + [max(self.trend or [0])])
        y_axis = self.add_axes(series, x_axis, top, "%d")
        self.trend_series = None
        if self.trend is not None:
            line = QLineSeries()
            line.setName("7-day average")
            line.append([QPointF(index, value) for index, value in enumerate(self.trend)])
            pen = QPen(self.tokens.color("flame"), 2.2)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            line.setPen(pen)
            self.chart_.addSeries(line)
            line.attachAxis(x_axis)
            line.attachAxis(y_axis)
            self.trend_series = line

    def values(self) -> list[int]:
        return [int(value) for value in self.bar_values()]

    def is_empty(self) -> bool:
        return not any(row.points for row in self.days)

    def trend_values(self) -> list[float]:
        if self.trend_series is None:
            return []
        return [point.y() for point in self.trend_series.points()]

    def restyle(self) -> None:
        self.set_data(self.days, self.trend)

    def _hovered(self, inside: bool, index: int) -> None:
        if inside and 0 <= index < len(self.days):
            row = self.days[index]
            QToolTip.showText(QCursor.pos(), f"{row.day:%a} {day_label(row.day)}: "
                              f"{row.points:,} points · {row.completions} done", self)
        else:
            QToolTip.hideText()


class KindDonut(ThemedChart):
    """Completions by kind as a donut, the total in its hole, a legend beside it."""

    accessible_name = "Completions by kind"

    def __init__(self, theme: ThemeManager, parent: QWidget | None = None) -> None:
        super().__init__(theme, parent)
        self.counts: dict[str, int] = dict.fromkeys(KINDS, 0)
        self.series: QPieSeries | None = None
        legend = self.chart_.legend()
        legend.setAlignment(Qt.AlignmentFlag.AlignRight)
        legend.setMarkerShape(legend.MarkerShape.MarkerShapeCircle)

    def set_data(self, counts: dict[str, int]) -> None:
        self.counts = {kind: int(counts.get(kind, 0)) for kind in KINDS}
        self.reset()
        tokens = self.tokens
        series = QPieSeries()
        series.setHoleSize(0.62)
        series.setPieSize(0.92)
        total = sum(self.counts.values())
        for kind in KINDS:
            piece = series.append(f"{KIND_TITLES[kind]}  {self.counts[kind]:,}",
                                  max(self.counts[kind], 0))
            piece.setColor(tokens.color(KIND_ROLES[kind]))
            piece.setBorderColor(tokens.color("surface"))
            piece.setBorderWidth(2)
        if total == 0:
            empty = series.append("", 1)
            empty.setColor(tokens.color("track"))
            empty.setBorderColor(tokens.color("track"))
        self.chart_.addSeries(series)
        legend = self.chart_.legend()
        legend.setVisible(True)
        legend.setLabelColor(tokens.color("text"))
        legend.setFont(self.sized_font(9))
        for marker in legend.markers(series):
            marker.setVisible(bool(marker.label()))
        self.series = series

    def values(self) -> dict[str, int]:
        return dict(self.counts)

    def restyle(self) -> None:
        self.set_data(self.counts)

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        super().drawForeground(painter, rect)
        area = self.chart_.plotArea()
        tokens = self.tokens
        painter.save()
        painter.setFont(self.sized_font(17, bold=True))
        painter.setPen(tokens.color("text"))
        centre = area.center()
        painter.drawText(QRectF(centre.x() - 60, centre.y() - 20, 120, 26),
                         Qt.AlignmentFlag.AlignCenter, f"{sum(self.counts.values()):,}")
        painter.setFont(self.sized_font(8))
        painter.setPen(tokens.color("text_muted"))
        painter.drawText(QRectF(centre.x() - 60, centre.y() + 4, 120, 18),
                         Qt.AlignmentFlag.AlignCenter, "completions")
        painter.restore()


class WeeklyFocusChart(BarChart):
    """Hours of completed time slots per ISO week."""

    empty_text = "No focus time yet: complete a time slot and it counts here"
    accessible_name = "Focus hours per week"
    #: What it shows (drawn again on a theme change).
    weeks: tuple[WeekTotal, ...] = ()

    def set_data(self, weeks: Sequence[WeekTotal]) -> None:
        self.weeks = tuple(weeks)
        self.reset()
        series = self.add_bars("Focus hours", [round(week.hours, 1) for week in self.weeks],
                               "success", 0.6)
        assert self.bar_set is not None
        self.bar_set.setLabelColor(self.tokens.color("text_muted"))
        series.setLabelsVisible(len(self.weeks) <= 8)
        series.setLabelsFormat("@value")
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        self.chart_.addSeries(series)
        x_axis = QBarCategoryAxis()
        x_axis.append([day_label(week.monday) for week in self.weeks] or [""])
        self.add_axes(series, x_axis, max([w.hours for w in self.weeks] + [0]) * 1.1, "%.0f h")

    def values(self) -> list[float]:
        return self.bar_values()

    def is_empty(self) -> bool:
        return not any(week.focus_minutes for week in self.weeks)

    def restyle(self) -> None:
        self.set_data(self.weeks)
