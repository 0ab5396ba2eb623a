"""The report card as a PDF, drawn with Qt (``QPdfWriter`` + ``QPainter``).

The core gathers the figures (:func:`momentum_app.core.exports.report.build_report`);
this module only draws them. Everything is laid out in PostScript points on an A4 page
and painted through one function, so the same page can go to a PDF
(:func:`render_pdf`) or to a PNG (:func:`render_png`, for screenshots and tests).

Qt needs a ``QGuiApplication`` for fonts: :func:`ensure_gui_application` makes one when
none exists (offscreen when Linux has no display). Painting on a ``QPdfWriter`` or a
``QImage`` is allowed outside the GUI thread, so a Qt worker can call :func:`render_pdf`
with its progress callback and cancel check.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
)
from PySide6.QtWidgets import QApplication

from .. import __version__
from ..core.exports import common
from ..core.exports.report import KIND_LABELS, DayFigures, ReportCard, milestone_label

PAGE_W, PAGE_H = 595.0, 842.0  # A4 in points
MARGIN = 40.0
CONTENT_W = PAGE_W - 2 * MARGIN
PDF_DPI = 300
FOOTER_Y = PAGE_H - 28

INK = QColor("#1F2937")
MUTED = QColor("#6B7280")
FAINT = QColor("#E5E7EB")
PANEL = QColor("#F3F4F6")
ACCENT = QColor("#4F46E5")
ACCENT_DARK = QColor("#3730A3")
ACCENT_SOFT = QColor("#E0E7FF")
GOOD = QColor("#059669")
WARN = QColor("#D97706")
KIND_COLOURS = {"tasks": QColor("#4F46E5"), "goal_steps": QColor("#0EA5E9"),
                "time_slots": QColor("#10B981"), "goals": QColor("#F59E0B")}
CATEGORY_COLOURS = {"productivity": QColor("#4F46E5"), "consistency": QColor("#DC2626"),
                    "time_management": QColor("#0891B2"), "focus": QColor("#7C3AED"),
                    "growth": QColor("#059669"), "social": QColor("#DB2777"),
                    "custom": QColor("#D97706")}

_APP: QApplication | None = None


def ensure_gui_application() -> QGuiApplication:
    """The running QGuiApplication, or a new one (offscreen on a display-less Linux)."""
    global _APP
    existing = QGuiApplication.instance()
    if existing is not None:
        return existing  # type: ignore[return-value]
    if sys.platform.startswith(("linux", "freebsd", "openbsd")) and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # A QApplication (not only a QGuiApplication), so the window can share the process.
    _APP = QApplication(["momentum-report"])
    return _APP


# --- small drawing helpers ----------------------------------------------------------


def _font(size: int, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    font = QFont("DejaVu Sans")
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPixelSize(size)  # the painter is scaled to points: one "pixel" is one point
    font.setWeight(weight)
    return font


def _text(painter: QPainter, rect: QRectF, text: str, size: int, colour: QColor = INK,
          weight: QFont.Weight = QFont.Weight.Normal,
          align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
          elide: bool = True) -> None:
    font = _font(size, weight)
    painter.setFont(font)
    painter.setPen(colour)
    if elide:
        text = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
    painter.drawText(rect, int(align), text)


def _fit_text(painter: QPainter, rect: QRectF, text: str, size: int, colour: QColor,
              weight: QFont.Weight = QFont.Weight.Bold, minimum: int = 10) -> None:
    """Text shrunk until it fits its box (big figures of any length)."""
    while size > minimum and QFontMetricsF(_font(size, weight)).horizontalAdvance(text) \
            > rect.width():
        size -= 1
    _text(painter, rect, text, size, colour, weight)


def _rounded(painter: QPainter, rect: QRectF, radius: float, fill: QColor,
             outline: QColor | None = None) -> None:
    painter.setPen(QPen(outline, 0.8) if outline else Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(fill))
    painter.drawRoundedRect(rect, radius, radius)


def _format_minutes(minutes: int) -> str:
    hours, rest = divmod(max(0, minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def _day_label(day: date) -> str:
    return f"{day.day} {day:%b}"


def _local_day(instant: object, tz_name: str) -> str:
    """An ISO instant as the profile's local date, e.g. ``8 Dec 2025``."""
    if not instant:
        return ""
    try:
        when = datetime.fromisoformat(str(instant)).astimezone(ZoneInfo(tz_name))
    except (ValueError, KeyError, OSError):
        return str(instant)[:10]
    return f"{when.day} {when:%b %Y}"


def _period_label(report: ReportCard) -> str:
    days = (report.end - report.start).days + 1
    if report.start.year == report.end.year:
        first = f"{report.start.day} {report.start:%b}"
    else:
        first = f"{report.start.day} {report.start:%b %Y}"
    return f"{first} – {report.end.day} {report.end:%b %Y}  ·  {days} day{'s' * (days != 1)}"


def _nice_step(maximum: float, lines: int = 4) -> float:
    if maximum <= 0:
        return 1.0
    raw = maximum / lines
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return max(1.0, factor * magnitude)
    return max(1.0, 10 * magnitude)


# --- buckets for the charts ---------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    start: date
    points: int
    kinds: dict[str, int]

    @property
    def completions(self) -> int:
        return sum(self.kinds.values())


def buckets(days: Sequence[DayFigures]) -> tuple[list[Bucket], str]:
    """Days as they are for up to 92 days, otherwise ISO weeks (bars stay readable)."""
    if len(days) <= 92:
        return [Bucket(d.day, d.points, {"tasks": d.tasks, "goal_steps": d.goal_steps,
                                          "time_slots": d.time_slots, "goals": d.goals})
                for d in days], "day"
    weeks: dict[date, list[DayFigures]] = {}
    for d in days:
        weeks.setdefault(d.day - timedelta(days=d.day.weekday()), []).append(d)
    return [Bucket(monday, sum(d.points for d in group),
                   {kind: sum(getattr(d, kind) for d in group) for kind, _ in KIND_LABELS})
            for monday, group in sorted(weeks.items())], "week"


# --- page content ---------------------------------------------------------------------


def _header(painter: QPainter, report: ReportCard) -> None:
    band = QRectF(0, 0, PAGE_W, 118)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ACCENT)
    painter.drawRect(band)
    painter.setBrush(ACCENT_DARK)
    path = QPainterPath()
    path.moveTo(PAGE_W * 0.62, 0)
    path.lineTo(PAGE_W, 0)
    path.lineTo(PAGE_W, 118)
    path.lineTo(PAGE_W * 0.50, 118)
    path.closeSubpath()
    painter.drawPath(path)
    white = QColor("#FFFFFF")
    soft = QColor("#C7D2FE")
    _text(painter, QRectF(MARGIN, 24, 300, 14), "MOMENTUM  ·  REPORT CARD", 9, soft,
          QFont.Weight.Bold)
    _text(painter, QRectF(MARGIN, 42, 330, 34), report.profile, 26, white, QFont.Weight.Bold)
    _text(painter, QRectF(MARGIN, 80, 330, 16), _period_label(report), 11, soft)
    # Level badge on the right.
    level = report.level
    centre = QPointF(PAGE_W - MARGIN - 34, 59)
    painter.setPen(QPen(QColor("#FFFFFF"), 2.5))
    painter.setBrush(QColor("#6366F1"))
    painter.drawEllipse(centre, 32, 32)
    _text(painter, QRectF(centre.x() - 32, centre.y() - 20, 64, 14), "LEVEL", 8, soft,
          QFont.Weight.Bold, Qt.AlignmentFlag.AlignCenter)
    _text(painter, QRectF(centre.x() - 32, centre.y() - 8, 64, 30), str(level["number"]), 24,
          white, QFont.Weight.Bold, Qt.AlignmentFlag.AlignCenter)
    _text(painter, QRectF(PAGE_W - MARGIN - 230, 40, 156, 18), str(level["title"]), 15, white,
          QFont.Weight.Bold, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    _text(painter, QRectF(PAGE_W - MARGIN - 230, 60, 156, 14),
          f"{report.total_points:,} points in total", 10, soft,
          align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _tiles(painter: QPainter, report: ReportCard, top: float) -> float:
    days = len(report.days)
    totals = report.totals
    tiles = [
        ("Points this period", f"{report.period_points:,}",
         f"{report.period_points / days:.1f} a day on average" if days else ""),
        ("Completions", f"{totals.get('completions', 0):,}",
         f"{totals.get('tasks', 0):,} tasks, {totals.get('goals', 0):,} goals"),
        ("Active days", f"{report.active_days} / {days}",
         f"{round(100 * report.active_days / days) if days else 0}% of the period"),
        ("Focus time", _format_minutes(totals.get("focus_minutes", 0)),
         f"{totals.get('time_slots', 0):,} time slots done"),
    ]
    gap = 10.0
    width = (CONTENT_W - gap * 3) / 4
    for index, (label, value, note) in enumerate(tiles):
        rect = QRectF(MARGIN + index * (width + gap), top, width, 70)
        _rounded(painter, rect, 8, PANEL)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ACCENT)
        painter.drawRoundedRect(QRectF(rect.x(), rect.y() + 12, 3, 22), 1.5, 1.5)
        _text(painter, QRectF(rect.x() + 12, rect.y() + 9, width - 18, 12), label.upper(), 7,
              MUTED, QFont.Weight.Bold)
        _fit_text(painter, QRectF(rect.x() + 12, rect.y() + 22, width - 18, 26), value, 19, INK)
        _text(painter, QRectF(rect.x() + 12, rect.y() + 50, width - 18, 12), note, 8, MUTED)
    return top + 70


def _level_bar(painter: QPainter, report: ReportCard, top: float) -> float:
    level = report.level
    percent = float(level.get("progress_percent") or 0)
    nxt = level.get("next_points_required")
    if nxt is None or level["number"] >= 10:
        caption = f"Level {level['number']} · {level['title']} — the top level"
        percent = 100.0
    else:
        caption = (f"Level {level['number']} · {level['title']} — {report.total_points:,} of "
                   f"{int(nxt):,} points to level {level['number'] + 1}")
    _text(painter, QRectF(MARGIN, top, CONTENT_W - 60, 14), caption, 10, INK,
          QFont.Weight.Bold)
    _text(painter, QRectF(PAGE_W - MARGIN - 60, top, 60, 14), f"{percent:.0f}%", 10, ACCENT,
          QFont.Weight.Bold, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    bar = QRectF(MARGIN, top + 19, CONTENT_W, 8)
    _rounded(painter, bar, 4, ACCENT_SOFT)
    if percent > 0:
        _rounded(painter, QRectF(bar.x(), bar.y(), max(8.0, bar.width() * min(percent, 100) / 100),
                                 bar.height()), 4, ACCENT)
    return top + 27


def _section_title(painter: QPainter, top: float, title: str, note: str = "") -> float:
    _text(painter, QRectF(MARGIN, top, CONTENT_W * 0.6, 18), title, 13, INK,
          QFont.Weight.Bold)
    if note:
        _text(painter, QRectF(MARGIN + CONTENT_W * 0.4, top, CONTENT_W * 0.6, 18), note, 9,
              MUTED, align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return top + 22


def _streaks(painter: QPainter, report: ReportCard, top: float) -> float:
    top = _section_title(painter, top, "Streaks", "current run · longest ever")
    gap = 10.0
    count = max(1, len(report.streaks))
    width = (CONTENT_W - gap * (count - 1)) / count
    for index, streak in enumerate(report.streaks):
        rect = QRectF(MARGIN + index * (width + gap), top, width, 50)
        _rounded(painter, rect, 8, QColor("#FFFFFF"), FAINT)
        unit = "week" if streak["type"] == "weekly_goal" else "day"
        current = int(streak["current"])
        colour = WARN if current > 0 else MUTED
        _text(painter, QRectF(rect.x() + 10, rect.y() + 7, width - 20, 12),
              str(streak["label"]), 8, MUTED, QFont.Weight.Bold)
        _text(painter, QRectF(rect.x() + 10, rect.y() + 20, width - 20, 22),
              f"{current} {unit}{'s' * (current != 1)}", 15, colour, QFont.Weight.Bold)
        _text(painter, QRectF(rect.x() + 10, rect.y() + 20, width - 20, 22),
              f"best {streak['longest']}", 8, MUTED,
              align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return top + 50


def _axes(painter: QPainter, plot: QRectF, low: float, high: float, step: float) -> None:
    value = 0.0
    ticks = [0.0]
    while value + step <= high + 1e-9:
        value += step
        ticks.append(value)
    value = 0.0
    while value - step >= low - 1e-9:
        value -= step
        ticks.append(value)
    span = high - low
    for tick in ticks:
        y = plot.bottom() - (tick - low) / span * plot.height()
        painter.setPen(QPen(FAINT if tick else QColor("#9CA3AF"), 0.6))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        _text(painter, QRectF(plot.left() - 40, y - 6, 34, 12), f"{int(tick):,}", 7, MUTED,
              align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, elide=False)


def _x_labels(painter: QPainter, plot: QRectF, items: Sequence[Bucket], slot: float) -> None:
    every = max(1, -(-len(items) // 8))
    for index, bucket in enumerate(items):
        if index % every:
            continue
        x = plot.left() + index * slot + slot / 2
        _text(painter, QRectF(x - 30, plot.bottom() + 4, 60, 11), _day_label(bucket.start), 7,
              MUTED, align=Qt.AlignmentFlag.AlignCenter, elide=False)


def _points_chart(painter: QPainter, report: ReportCard, top: float, height: float) -> float:
    items, unit = buckets(report.days)
    best = report.best_day
    note = (f"best day: {_day_label(best.day)}, {best.points:,} points" if best
            else "no points in this period")
    top = _section_title(painter, top, f"Points per {unit}", note)
    plot = QRectF(MARGIN + 40, top + 4, CONTENT_W - 44, height - 22)
    values = [b.points for b in items] or [0]
    high: float = max(max(values), 1)
    low: float = min(min(values), 0)
    step = _nice_step(max(high, -low))
    high = step * math.ceil(high / step)
    low = -step * math.ceil(-low / step) if low < 0 else 0.0
    _axes(painter, plot, low, high, step)
    slot = plot.width() / max(1, len(items))
    bar = max(1.0, slot * 0.68)
    zero = plot.bottom() - (0 - low) / (high - low) * plot.height()
    for index, bucket in enumerate(items):
        if not bucket.points:
            continue
        x = plot.left() + index * slot + (slot - bar) / 2
        y = plot.bottom() - (bucket.points - low) / (high - low) * plot.height()
        is_best = best is not None and unit == "day" and bucket.start == best.day
        colour = GOOD if is_best else (ACCENT if bucket.points > 0 else QColor("#DC2626"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        rect = QRectF(x, min(y, zero), bar, abs(zero - y))
        painter.drawRoundedRect(rect, min(1.5, bar / 3), min(1.5, bar / 3))
    _x_labels(painter, plot, items, slot)
    return plot.bottom() + 16


def _kinds_chart(painter: QPainter, report: ReportCard, top: float, height: float) -> float:
    items, _unit = buckets(report.days)
    top = _section_title(painter, top, "Completions by kind",
                         f"{report.totals.get('completions', 0):,} in this period")
    legend_w = 128.0
    plot = QRectF(MARGIN + 40, top + 4, CONTENT_W - 44 - legend_w - 12, height - 22)
    high: float = max([b.completions for b in items] + [1])
    step = _nice_step(high)
    high = step * math.ceil(high / step)
    _axes(painter, plot, 0, high, step)
    slot = plot.width() / max(1, len(items))
    bar = max(1.0, slot * 0.68)
    for index, bucket in enumerate(items):
        x = plot.left() + index * slot + (slot - bar) / 2
        base = plot.bottom()
        for kind, _label in KIND_LABELS:
            count = bucket.kinds.get(kind, 0)
            if count <= 0:
                continue
            h = count / high * plot.height()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(KIND_COLOURS[kind])
            painter.drawRect(QRectF(x, base - h, bar, h))
            base -= h
    _x_labels(painter, plot, items, slot)
    # Legend with totals and a share bar per kind.
    left = plot.right() + 14
    total = max(1, report.totals.get("completions", 0))
    row = top + 6
    for kind, label in KIND_LABELS:
        count = report.totals.get(kind, 0)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(KIND_COLOURS[kind])
        painter.drawRoundedRect(QRectF(left, row + 2, 9, 9), 2, 2)
        _text(painter, QRectF(left + 14, row, legend_w - 50, 13), label, 9, INK)
        _text(painter, QRectF(left + legend_w - 40, row, 40, 13), f"{count:,}", 9, INK,
              QFont.Weight.Bold, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        track = QRectF(left + 14, row + 16, legend_w - 14, 4)
        _rounded(painter, track, 2, PANEL)
        if count:
            _rounded(painter, QRectF(track.x(), track.y(), max(4.0, track.width() * count / total),
                                     4), 2, KIND_COLOURS[kind])
        row += 30
    return plot.bottom() + 16


# --- the list pages -------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    kind: str  # "title" | "achievement" | "milestone" | "note"
    height: float
    data: Any = None


def list_blocks(report: ReportCard) -> list[Block]:
    blocks = [Block("title", 30, ("Achievements unlocked",
                                  (f"{len(report.achievements)} in this period · "
                                   f"{report.achievements_unlocked} of "
                                   f"{report.achievements_total} overall")))]
    if report.achievements:
        blocks += [Block("achievement", 40, a) for a in report.achievements]
    else:
        blocks.append(Block("note", 30, ("No achievement unlocked in this period — "
                                         "the next one may be a single task away.")))
    total = sum(int(m["points"]) for m in report.milestones)
    blocks.append(Block("title", 40, ("Milestones reached",
                                      (f"{len(report.milestones)} in this period · "
                                       f"+{total:,} points"))))
    if report.milestones:
        blocks += [Block("milestone", 28, m) for m in report.milestones]
    else:
        blocks.append(Block("note", 30, "No milestone reached in this period."))
    return blocks


LIST_TOP = MARGIN + 34
LIST_BOTTOM = FOOTER_Y - 16


def paginate(blocks: Sequence[Block]) -> list[list[Block]]:
    """Blocks packed into pages; a title stays with its first row, and a list that runs
    over a page break gets its title again, marked "continued"."""
    pages: list[list[Block]] = [[]]
    used = 0.0
    room = LIST_BOTTOM - LIST_TOP
    title: Block | None = None
    for index, block in enumerate(blocks):
        if block.kind == "title":
            title = block
        need = block.height
        if block.kind == "title" and index + 1 < len(blocks):
            need += blocks[index + 1].height  # keep a title with its first row
        if used + need > room and pages[-1]:
            pages.append([])
            used = 0.0
            if block.kind != "title" and title is not None:
                text, note = title.data
                again = Block("title", 30, (f"{text} (continued)", note))
                pages[-1].append(again)
                used += again.height
        pages[-1].append(block)
        used += block.height
    return pages


def _list_page(painter: QPainter, report: ReportCard, blocks: Sequence[Block]) -> None:
    _text(painter, QRectF(MARGIN, MARGIN - 6, CONTENT_W, 16),
          f"{report.profile}  ·  {_period_label(report)}", 9, MUTED)
    painter.setPen(QPen(FAINT, 0.8))
    painter.drawLine(QPointF(MARGIN, MARGIN + 16), QPointF(PAGE_W - MARGIN, MARGIN + 16))
    top = LIST_TOP
    for block in blocks:
        if block.kind == "title":
            title, note = block.data
            _section_title(painter, top + block.height - 30, title, note)
        elif block.kind == "note":
            _text(painter, QRectF(MARGIN + 4, top + 4, CONTENT_W, 18), block.data, 10, MUTED)
        elif block.kind == "achievement":
            _achievement_row(painter, top, block.data, report.timezone)
        elif block.kind == "milestone":
            _milestone_row(painter, top, block.data, report.timezone)
        top += block.height


def _achievement_row(painter: QPainter, top: float, achievement: dict[str, Any],
                     tz_name: str) -> None:
    rect = QRectF(MARGIN, top, CONTENT_W, 34)
    _rounded(painter, rect, 7, PANEL)
    colour = CATEGORY_COLOURS.get(str(achievement.get("category")), ACCENT)
    centre = QPointF(rect.x() + 19, rect.center().y())
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(centre, 11, 11)
    initial = (str(achievement.get("name")) or "?")[0].upper()
    _text(painter, QRectF(centre.x() - 11, centre.y() - 11, 22, 22), initial, 11,
          QColor("#FFFFFF"), QFont.Weight.Bold, Qt.AlignmentFlag.AlignCenter, elide=False)
    _text(painter, QRectF(rect.x() + 38, rect.y() + 4, CONTENT_W - 215, 14),
          str(achievement["name"]), 10, INK, QFont.Weight.Bold)
    _text(painter, QRectF(rect.x() + 38, rect.y() + 18, CONTENT_W - 215, 12),
          str(achievement.get("description") or ""), 8, MUTED)
    category = str(achievement.get("category", "")).replace("_", " ")
    when = _local_day(achievement.get("completed_at"), tz_name)
    _text(painter, QRectF(rect.right() - 170, rect.y() + 4, 112, 14), category, 8, colour,
          QFont.Weight.Bold, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    _text(painter, QRectF(rect.right() - 170, rect.y() + 18, 112, 12), when, 8, MUTED,
          align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    _text(painter, QRectF(rect.right() - 44, rect.y(), 36, 34), f"+{achievement['points']}",
          11, GOOD, QFont.Weight.Bold,
          Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _milestone_row(painter: QPainter, top: float, milestone: dict[str, Any],
                   tz_name: str) -> None:
    rect = QRectF(MARGIN, top, CONTENT_W, 24)
    painter.setPen(QPen(FAINT, 0.8))
    painter.drawLine(QPointF(rect.left(), rect.bottom()), QPointF(rect.right(), rect.bottom()))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(WARN)
    diamond = QPainterPath()
    cx, cy = rect.x() + 8, rect.center().y()
    diamond.moveTo(cx, cy - 5)
    diamond.lineTo(cx + 5, cy)
    diamond.lineTo(cx, cy + 5)
    diamond.lineTo(cx - 5, cy)
    diamond.closeSubpath()
    painter.drawPath(diamond)
    scope = "Project" if milestone.get("project") else "Global"
    _text(painter, QRectF(rect.x() + 22, rect.y(), CONTENT_W - 220, 24),
          milestone_label(milestone), 10, INK)
    _text(painter, QRectF(rect.right() - 196, rect.y(), 70, 24), scope, 8, MUTED,
          align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    _text(painter, QRectF(rect.right() - 126, rect.y(), 74, 24),
          _local_day(milestone.get("granted_at"), tz_name), 8, MUTED,
          align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    _text(painter, QRectF(rect.right() - 44, rect.y(), 36, 24), f"+{milestone['points']}", 10,
          GOOD, QFont.Weight.Bold, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _footer(painter: QPainter, report: ReportCard, page: int, pages: int) -> None:
    painter.setPen(QPen(FAINT, 0.8))
    painter.drawLine(QPointF(MARGIN, FOOTER_Y - 6), QPointF(PAGE_W - MARGIN, FOOTER_Y - 6))
    stamp = report.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    _text(painter, QRectF(MARGIN, FOOTER_Y, CONTENT_W, 12),
          f"Momentum {__version__}  ·  generated {stamp}  ·  {report.timezone}", 7, MUTED)
    _text(painter, QRectF(MARGIN, FOOTER_Y, CONTENT_W, 12), f"page {page} of {pages}", 7,
          MUTED, align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _summary_page(painter: QPainter, report: ReportCard) -> None:
    _header(painter, report)
    top = _tiles(painter, report, 136)
    top = _level_bar(painter, report, top + 16)
    top = _streaks(painter, report, top + 18)
    top = _points_chart(painter, report, top + 18, 188)
    _kinds_chart(painter, report, top + 8, 170)


def page_count(report: ReportCard) -> int:
    return 1 + len(paginate(list_blocks(report)))


def paint_page(painter: QPainter, report: ReportCard, index: int) -> None:
    """Paint page ``index`` (0-based) in point coordinates on a white A4 page."""
    pages = paginate(list_blocks(report))
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.fillRect(QRectF(0, 0, PAGE_W, PAGE_H), QColor("#FFFFFF"))
    if index == 0:
        _summary_page(painter, report)
    else:
        _list_page(painter, report, pages[index - 1])
    _footer(painter, report, index + 1, 1 + len(pages))


# --- output ---------------------------------------------------------------------------


def render_pdf(report: ReportCard, path: str | Path, *,
               progress: common.ProgressCallback | None = None,
               should_cancel: common.CancelCheck | None = None) -> int:
    """Write the report card to ``path`` (atomically); returns the number of pages."""
    ensure_gui_application()
    hooks = common.feedback(progress, should_cancel)
    target = Path(path)
    total = page_count(report)
    with common.atomic_path(target) as temp:
        writer = QPdfWriter(str(temp))
        writer.setResolution(PDF_DPI)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageMargins(QMarginsF(0, 0, 0, 0))
        writer.setTitle(f"Momentum report card — {report.profile}")
        writer.setCreator(f"Momentum {__version__}")
        painter = QPainter(writer)
        if not painter.isActive():
            raise OSError(f"cannot write a PDF to {target}")
        try:
            for index in range(total):
                hooks.check()
                if index:
                    writer.newPage()
                painter.save()
                painter.scale(PDF_DPI / 72.0, PDF_DPI / 72.0)
                paint_page(painter, report, index)
                painter.restore()
                hooks.report("pdf", index + 1, total)
        finally:
            painter.end()
    return total


def render_png(report: ReportCard, path: str | Path, page: int = 0, scale: float = 1.5) -> None:
    """One page as a PNG (``scale`` pixels per point)."""
    ensure_gui_application()
    image = QImage(int(PAGE_W * scale), int(PAGE_H * scale), QImage.Format.Format_RGB32)
    image.fill(QColor("#FFFFFF"))
    painter = QPainter(image)
    painter.scale(scale, scale)
    paint_page(painter, report, page)
    painter.end()
    if not image.save(str(path), "PNG"):  # type: ignore[call-overload]  # stubs say bytes
        raise OSError(f"cannot write {path}")



@dataclass(frozen=True)
class PdfExportResult:
    path: str
    pages: int
    start: date
    end: date
    outcome: Any  # the report_exported event's outcome (show_and_tell)

    def to_json(self) -> dict[str, Any]:
        return {"format": "pdf", "files": {"report": self.path}, "pages": self.pages,
                "from": self.start.isoformat(), "to": self.end.isoformat(),
                "outcome": self.outcome.to_json() if self.outcome is not None else None}


def export_pdf(app: Any, out: str | Path, *, start: object = None, end: object = None,
               progress: common.ProgressCallback | None = None,
               should_cancel: common.CancelCheck | None = None) -> PdfExportResult:
    """Build, draw and write the report card, then record ``report_exported``."""
    from ..core.exports.report import build_report

    report = build_report(app, start, end)
    target = common.output_target(
        out, f"momentum-report-{report.start.isoformat()}-{report.end.isoformat()}.pdf")
    pages = render_pdf(report, target, progress=progress, should_cancel=should_cancel)
    outcome = app.events.export_reported()
    return PdfExportResult(str(target), pages, report.start, report.end, outcome)
