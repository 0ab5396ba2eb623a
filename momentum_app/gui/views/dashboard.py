"""Dashboard: the level, points by period, every streak, charts and a year of activity.

Two reads per refresh — ``reads.progress()`` and ``reads.stats()`` over the heatmap's
year (a few hundred ``day_stats`` rows) — and every figure below is computed from them by
the core's pure aggregators (:mod:`momentum_app.core.stats`), so the charts show exactly
what ``momentum stats`` prints. The heatmap, the trend line and the trends card are the
"advanced analytics" perk: below level 4 a notice says which level opens them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QGridLayout,
    QVBoxLayout,
    QWidget,
)

from ...core import stats
from ...core.services import Momentum
from ...core.services.read_dto import ProgressDTO
from ...core.stats import DayRow
from ..changes import PROFILE, PROGRESS
from ..context import GuiContext
from ..perks import ADVANCED_ANALYTICS, Look, unlock_level, unlock_text
from ..timefmt import duration, thousands
from ..widgets.charts import KindDonut, PointsChart, WeeklyFocusChart, day_label
from ..widgets.common import (
    LockedNotice,
    SegmentedControl,
    StatTile,
    TitledCard,
    flat_scroll,
    label,
    spaced,
    stacked,
)
from ..widgets.heatmap import ActivityHeatmap
from ..widgets.level_card import LevelCard
from ..widgets.reflow import Reflow
from .base import View

RANGES = (("30", "30 days"), ("90", "90 days"))
TREND_WINDOW = 7
#: Streak type → (title, icon, icon colour role, unit).
STREAK_TEXT: dict[str, tuple[str, str, str, str]] = {
    "daily_activity": ("Activity streak", "fa5s.fire", "flame", "day"),
    "daily_target": ("Daily target", "fa5s.bullseye", "accent", "day"),
    "daily_focus": ("Focus streak", "fa5s.stopwatch", "success", "day"),
    "weekly_goal": ("Weekly goals", "fa5s.flag", "warning", "week"),
}


@dataclass(frozen=True)
class DashboardData:
    """Everything the dashboard shows, read in one go (tests and the benchmark use it)."""

    today: date
    progress: ProgressDTO
    rows: list[DayRow]  # the heatmap's year, one row per day, oldest first


def load_dashboard(momentum: Momentum, today: date) -> DashboardData:
    progress = momentum.reads.progress()
    answer = momentum.reads.stats(stats.heatmap_start(today), today)
    return DashboardData(today, progress, stats.day_rows(answer))


def plural(count: int, unit: str) -> str:
    return f"{count:,} {unit}{'' if count == 1 else 's'}"


class DashboardView(View):
    scopes = frozenset({PROGRESS, PROFILE})

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        theme = ctx.theme
        self.data: DashboardData | None = None
        self.range = SegmentedControl(RANGES, "30", "Chart range")
        self.range.changed.connect(lambda _value: self._show_charts())
        self.title = self.add_title("Dashboard", self.range, subtitle="Your progress at a glance")

        content = QWidget()
        column = spaced(QVBoxLayout(content), 16, (0, 0, 6, 6))
        self.level_card = LevelCard(theme)
        self.today_tile = StatTile("Today", theme=theme, icon="fa5s.sun", icon_role="warning")
        self.week_tile = StatTile("This week", theme=theme, icon="fa5s.chart-line")
        self.month_tile = StatTile("This month", theme=theme, icon="fa5s.calendar-alt",
                                   icon_role="xp_end")
        self.total_tile = StatTile("All time", theme=theme, icon="fa5s.star",
                                   icon_role="warning")
        tiles = Reflow((self.today_tile, self.week_tile, self.month_tile, self.total_tile),
                       most=2, spacing=12)
        self.top_row = Reflow((self.level_card, tiles), stretches=(5, 6))
        column.addWidget(self.top_row)

        self.streak_tiles: dict[str, StatTile] = {}
        for streak_type, (title, icon, role, _unit) in STREAK_TEXT.items():
            tile = StatTile(title, theme=theme, icon=icon, icon_role=role)
            self.streak_tiles[streak_type] = tile
        column.addWidget(Reflow(list(self.streak_tiles.values()), spacing=12))

        self.points_card = TitledCard("Points per day")
        self.points_chart = PointsChart(theme)
        self.points_chart.setAccessibleName("Points per day chart")
        self.points_card.body.addWidget(self.points_chart)
        self.kinds_card = TitledCard("Completions by kind")
        self.kinds_chart = KindDonut(theme)
        self.kinds_chart.setAccessibleName("Completions by kind chart")
        self.kinds_card.body.addWidget(self.kinds_chart)
        column.addWidget(Reflow((self.points_card, self.kinds_card), stretches=(3, 2)))

        self.focus_card = TitledCard("Focus hours per week")
        self.focus_chart = WeeklyFocusChart(theme)
        self.focus_chart.setAccessibleName("Focus hours per week chart")
        self.focus_card.body.addWidget(self.focus_chart)
        self.trends_card = TitledCard("Trends")
        trends_holder = QWidget()
        self.trends_grid = QGridLayout(trends_holder)
        self.trends_grid.setContentsMargins(0, 4, 0, 0)
        self.trends_grid.setHorizontalSpacing(18)
        self.trends_grid.setVerticalSpacing(12)
        self.trend_values: dict[str, tuple[Any, Any]] = {}
        for index, (key, caption) in enumerate((
                ("change", "vs the period before"), ("average", "points a day on average"),
                ("active", "active days"), ("best", "best day"), ("focus", "focus time"),
                ("done", "completions"))):
            value, note = label("–", "stat"), label(caption, "muted")
            cell = spaced(QVBoxLayout(), 0)
            cell.addWidget(value)
            cell.addWidget(note)
            self.trends_grid.addLayout(cell, index // 2, index % 2)
            self.trend_values[key] = (value, note)
        self.trends_lock = LockedNotice(theme, "Trends are locked", "")
        self.trends_stack = stacked(self.trends_card.body, trends_holder, self.trends_lock)
        column.addWidget(Reflow((self.focus_card, self.trends_card), stretches=(3, 2)))

        self.heatmap_card = TitledCard("Activity", "the last 12 months")
        self.heatmap = ActivityHeatmap(theme)
        self.heatmap_lock = LockedNotice(theme, "The activity heatmap is locked", "")
        self.heatmap_stack = stacked(self.heatmap_card.body, self.heatmap, self.heatmap_lock)
        column.addWidget(self.heatmap_card)
        column.addStretch(1)

        self.scroll_area = flat_scroll(content, horizontal=False)
        self.body.addWidget(self.scroll_area, 1)
        ctx.perks.changed.connect(self._on_perks)
        ctx.look.changed.connect(self._on_look)
        self._on_look(ctx.look.look())

    # -- data ------------------------------------------------------------------------------

    @property
    def days(self) -> int:
        return int(self.range.value)

    @property
    def analytics(self) -> bool:
        return self.ctx.perks.unlocked(ADVANCED_ANALYTICS)

    def reload(self) -> None:
        self.data = load_dashboard(self.ctx.momentum, self.ctx.today())
        self._show_progress(self.data.progress)
        self._show_charts()

    def _show_progress(self, progress: ProgressDTO) -> None:
        total = progress.total_points
        self.level_card.set_progress(total, progress.level)
        self.today_tile.set(thousands(progress.today_points), "points")
        self.week_tile.set(thousands(progress.weekly_points), "points since Monday")
        self.month_tile.set(thousands(progress.monthly_points), "points this month")
        self.total_tile.set(thousands(total), f"points · level {progress.level.number}")
        for streak in progress.streaks:
            tile = self.streak_tiles.get(streak.type)
            if tile is None:
                continue
            _title, _icon, role, unit = STREAK_TEXT[streak.type]
            current, longest = streak.current, streak.longest
            note = f"Longest {plural(longest, unit)}"
            if streak.type == "daily_activity":
                freezes = progress.freezes
                note += f" · ❄ {freezes.held} held" if freezes.held else ""
                tile.setToolTip(f"{freezes.text[:1].upper()}{freezes.text[1:]} held; "
                                f"{plural(len(freezes.frozen_days), 'day')} bridged by a "
                                "freeze. A freeze is earned every 7 active days (at most 2).")
            tile.set(plural(current, unit), note)
            tile.set_icon_role(role if current > 0 else "text_faint")

    def _show_charts(self) -> None:
        if self.data is None:
            return
        rows, today = self.data.rows, self.data.today
        window = stats.last_days(rows, self.days, today)
        sums = stats.totals(window)
        self.points_chart.set_data(window, stats.moving_average(
            [row.points for row in window], TREND_WINDOW) if self.analytics else None)
        self.points_card.set_note(f"{thousands(sums.points)} points in {self.days} days"
                                  + (" · line: 7-day average" if self.analytics else ""))
        self.kinds_chart.set_data(stats.completions_by_kind(window))
        self.kinds_card.set_note(f"last {self.days} days")
        weeks = stats.weekly_focus(window)
        self.focus_chart.set_data(weeks)
        self.focus_card.set_note(f"{duration(sums.focus_minutes)} in {self.days} days")
        self._show_trends(rows, today)
        self._show_heatmap(rows, today)

    def _to_go(self) -> str:
        """" — 650 points to go", from the last progress read."""
        if self.data is None:
            return ""
        left = (unlock_level(ADVANCED_ANALYTICS).points_required
                - self.data.progress.total_points)
        return f" — {thousands(left)} points to go" if left > 0 else ""

    def _show_trends(self, rows: list[DayRow], today: date) -> None:
        if not self.analytics:
            self.trends_lock.set_text(
                "Trends are locked", "Your period against the one before, daily average, "
                f"best day. Advanced analytics unlock at {unlock_text(ADVANCED_ANALYTICS)}"
                f"{self._to_go()}.")
            self.trends_stack.setCurrentWidget(self.trends_lock)
            return
        self.trends_stack.setCurrentIndex(0)
        trend = stats.trend(rows, self.days, today)
        change = trend.change_percent
        self._trend("change", "new" if change is None else f"{change:+.0f}%",
                    f"points vs the {self.days} days before" if change is not None
                    else f"nothing in the {self.days} days before")
        self._trend("average", f"{trend.daily_average:,.0f}", "points a day on average")
        self._trend("active", f"{trend.active_days} / {trend.days}", "active days")
        best = trend.best_day
        self._trend("best", f"{best.points:,}" if best else "–",
                    f"points on {best.day:%a} {day_label(best.day)}" if best else "best day")
        self._trend("focus", duration(trend.focus_minutes), "focus time")
        self._trend("done", f"{trend.completions:,}", "completions")

    def _trend(self, key: str, value: str, note: str) -> None:
        value_label, note_label = self.trend_values[key]
        value_label.setText(value)
        note_label.setText(note)

    def _show_heatmap(self, rows: list[DayRow], today: date) -> None:
        if not self.analytics:
            self.heatmap_lock.set_text(
                "The activity heatmap is locked",
                f"A year of activity, a square per day. Advanced analytics unlock at "
                f"{unlock_text(ADVANCED_ANALYTICS)}{self._to_go()}.")
            self.heatmap_stack.setCurrentWidget(self.heatmap_lock)
            self.heatmap_card.set_note("")
            return
        grid = stats.heatmap(rows, today)
        assert self.data is not None
        self.heatmap.set_data(grid, self.data.progress.freezes.frozen_days)
        self.heatmap_stack.setCurrentWidget(self.heatmap)
        self.heatmap_card.set_note(f"since {grid.first.day} {grid.first:%B %Y}")

    # -- perks -----------------------------------------------------------------------------

    def _on_perks(self) -> None:
        self.refresh_when_seen(self._show_charts)

    def _on_look(self, look: Look) -> None:
        self.level_card.set_look(look)
