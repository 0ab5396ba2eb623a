"""The always-visible header: level badge, points, animated XP bar, daily streak.

It updates from an outcome the moment one arrives (no query needed: the outcome carries
the new total, level and streaks), and from ``reads.progress()`` for the weekly figure.
Three perks show here: the badge shape (special badges), a golden frame around it
(prestige) and a gold header (legendary status); :meth:`HeaderBar.apply_look` sets them.
"""

from __future__ import annotations

import math

from PySide6.QtCore import (
    Property,
    QEasingCurve,
    QEvent,
    QPointF,
    QPropertyAnimation,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ...core import catalog
from ...core.engine.outcome import Outcome
from ...core.services.freezes import FreezeNews, Freezes, freeze_news, freezes_of, has_freeze_data
from ...core.services.read_dto import ProgressDTO
from ..theme import ThemeManager, Tokens
from ..timefmt import thousands
from .common import layout_of, spaced

DAILY_ACTIVITY = "daily_activity"


class XpBar(QWidget):
    """A rounded progress bar whose fill glides to its new value (QPropertyAnimation)."""

    def __init__(self, theme: ThemeManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self._fraction = 0.0
        self._animation = QPropertyAnimation(self, b"fraction", self)
        self._animation.setEasingCurve(QEasingCurve.Type.OutCubic)
        self.setMinimumWidth(160)
        self.setFixedHeight(10)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Progress to the next level")

    def _get_fraction(self) -> float:
        return self._fraction

    def _set_fraction(self, value: float) -> None:
        self._fraction = max(0.0, min(1.0, float(value)))
        self.update()

    fraction = Property(float, _get_fraction, _set_fraction)

    @property
    def target(self) -> float:
        if self._animation.state() == QPropertyAnimation.State.Running:
            return float(self._animation.endValue())
        return self._fraction

    def animate_to(self, value: float, duration_ms: int) -> None:
        value = max(0.0, min(1.0, value))
        self._animation.stop()
        if duration_ms <= 0:
            self._set_fraction(value)
            return
        self._animation.setDuration(duration_ms)
        self._animation.setStartValue(self._fraction)
        self._animation.setEndValue(value)
        self._animation.start()

    def paintEvent(self, _event: QPaintEvent) -> None:
        tokens = self._theme.tokens
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect())
        radius = rect.height() / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tokens.color("meter"))
        painter.drawRoundedRect(rect, radius, radius)
        if self._fraction > 0:
            filled = QRectF(rect.x(), rect.y(), max(rect.height(), rect.width() * self._fraction),
                            rect.height())
            gradient = QLinearGradient(rect.topLeft(), rect.topRight())
            gradient.setColorAt(0, tokens.color("xp_start"))
            gradient.setColorAt(1, tokens.color("xp_end"))
            painter.setBrush(gradient)
            painter.drawRoundedRect(filled, radius, radius)


def badge_path(style: str, rect: QRectF) -> QPainterPath:
    """The outline of a level badge: a circle, or a special shape (the badges perk)."""
    path = QPainterPath()
    centre, radius = rect.center(), min(rect.width(), rect.height()) / 2
    if style == "hexagon":
        corners = [centre + QPointF(radius * math.cos(math.radians(60 * i - 90)),
                                    radius * math.sin(math.radians(60 * i - 90)))
                   for i in range(6)]
        path.addPolygon(QPolygonF(corners))
        path.closeSubpath()
    elif style == "shield":
        left, right, top = rect.left() + 3, rect.right() - 3, rect.top() + 1
        path.moveTo(centre.x(), top)
        path.cubicTo(centre.x() + radius * 0.5, top + 4, right - 2, top + 3, right, top + 6)
        path.cubicTo(right, rect.bottom() - radius * 0.7, centre.x() + radius * 0.45,
                     rect.bottom() - 5, centre.x(), rect.bottom())
        path.cubicTo(centre.x() - radius * 0.45, rect.bottom() - 5, left,
                     rect.bottom() - radius * 0.7, left, top + 6)
        path.cubicTo(left + 2, top + 3, centre.x() - radius * 0.5, top + 4, centre.x(), top)
    elif style == "rosette":
        points = []
        for i in range(32):
            r = radius if i % 2 == 0 else radius * 0.86
            angle = math.radians(360 / 32 * i - 90)
            points.append(centre + QPointF(r * math.cos(angle), r * math.sin(angle)))
        path.addPolygon(QPolygonF(points))
        path.closeSubpath()
    else:
        path.addEllipse(rect)
    return path


class LevelBadge(QWidget):
    """The level number on a badge: a circle, or the shape the badges perk allows, with a
    golden frame around it from the prestige perk on."""

    def __init__(self, theme: ThemeManager, parent: QWidget | None = None,
                 size: int = 46) -> None:
        super().__init__(parent)
        self._theme = theme
        self._level = 1
        self.style_name = "classic"
        self.prestige = False
        self.setFixedSize(QSize(size, size))
        self.setAccessibleName("Level")

    def set_level(self, level: int) -> None:
        self._level = level
        self.setAccessibleDescription(f"Level {level}")
        self.update()

    def set_look(self, style: str, prestige: bool) -> None:
        if (style, prestige) != (self.style_name, self.prestige):
            self.style_name, self.prestige = style, prestige
            self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        tokens = self._theme.tokens
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5)
        scale = self.width() / 46
        if self.prestige:
            gold = QLinearGradient(rect.topLeft(), rect.bottomRight())
            gold.setColorAt(0, QColor("#FFE9A8"))
            gold.setColorAt(0.5, QColor("#E2B23C"))
            gold.setColorAt(1, QColor("#A8761A"))
            frame = QPainterPath()
            frame.addEllipse(rect)
            painter.fillPath(frame, gold)
            for i in range(12):  # small studs around the frame
                angle = math.radians(30 * i)
                spot = rect.center() + QPointF(rect.width() / 2.25 * math.cos(angle),
                                               rect.height() / 2.25 * math.sin(angle))
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(255, 250, 225, 200))
                painter.drawEllipse(spot, 1.1 * scale, 1.1 * scale)
            rect = rect.adjusted(*(value * scale for value in (5, 5, -5, -5)))
        gradient = QLinearGradient(rect.topLeft(), rect.bottomRight())
        gradient.setColorAt(0, tokens.color("xp_start"))
        gradient.setColorAt(1, tokens.color("xp_end"))
        path = badge_path(self.style_name, rect)
        painter.fillPath(path, gradient)
        ring = QColor("#FFFFFF")
        ring.setAlpha(90)
        painter.setPen(ring)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        inset = 3 * scale
        painter.drawPath(badge_path(self.style_name, rect.adjusted(inset, inset, -inset, -inset)))
        font = QFont(self.font())
        size = (15 if self._level < 10 else 13) * scale * (0.85 if self.prestige else 1)
        font.setPointSizeF(size)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#FFFFFF"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(self._level))


class StatBlock(QFrame):
    """An icon, a big number and a caption (points, this week, streak)."""

    def __init__(self, theme: ThemeManager, icon: str, icon_role: str, caption: str,
                 accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme, self._icon, self._icon_role = theme, icon, icon_role
        self.setObjectName("StatBlock")
        self.setAccessibleName(accessible_name)
        layout = spaced(QHBoxLayout(self), 8, (10, 0, 10, 0))
        self.icon_label = QLabel()
        self.icon_label.setFixedSize(24, 24)
        self.value_label = QLabel("0")
        self.value_label.setProperty("role", "stat")
        self.caption_label = QLabel(caption)
        self.caption_label.setProperty("role", "muted")
        text = spaced(QVBoxLayout(), 0)
        text.addWidget(self.value_label)
        text.addWidget(self.caption_label)
        layout.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(text)
        self.apply_theme()

    def set_icon_role(self, role: str) -> None:
        if role != self._icon_role:
            self._icon_role = role
            self.apply_theme()

    def apply_theme(self) -> None:
        self.icon_label.setPixmap(self._theme.icon(self._icon, self._icon_role).pixmap(22, 22))

    def set_value(self, value: str, caption: str | None = None) -> None:
        self.value_label.setText(value)
        if caption is not None:
            self.caption_label.setText(caption)
        self.setAccessibleDescription(f"{value} {self.caption_label.text()}")


class FreezeBadge(QFrame):
    """Beside the flame: the streak freezes held (SPEC v2 §4), an ice icon and a count."""

    def __init__(self, theme: ThemeManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self.setObjectName("FreezeBadge")
        self.setAccessibleName("Streak freezes held")
        layout = spaced(QHBoxLayout(self), 3, (0, 0, 6, 0))
        self.icon_label = QLabel()
        self.count_label = QLabel("0")
        self.count_label.setProperty("role", "muted")
        layout.addWidget(self.icon_label)
        layout.addWidget(self.count_label)
        self.held = 0
        self.apply_theme()

    def set_freezes(self, freezes: Freezes) -> None:
        self.held = freezes.held
        self.count_label.setText(str(freezes.held))
        frozen = len(freezes.frozen_days)
        tip = (f"{freezes.text[:1].upper()}{freezes.text[1:]} held (at most 2). A freeze is "
               "earned every 7 active days of a run and bridges one missed day.")
        if frozen:
            tip += f" {frozen} day{'s' if frozen != 1 else ''} frozen so far."
        self.setToolTip(tip)
        self.setAccessibleDescription(tip)
        self.setVisible(freezes.held > 0 or frozen > 0)

    def apply_theme(self) -> None:
        self.icon_label.setPixmap(self._theme.icon("fa5s.snowflake", "accent").pixmap(15, 15))


class HeaderBar(QFrame):
    """Level, XP bar, points, coins, weekly points, the daily streak and its freezes.

    Narrower than everything needs (the minimum window size with large text), it turns
    compact: the weekly figure, the XP numbers and the "points to level" line step
    aside (their figures stay in the tooltips) instead of overlapping or being cut.
    """

    def __init__(self, theme: ThemeManager, animation_ms: int = 600,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self._animation_ms = animation_ms
        self.total_points = 0
        self.coins = 0
        self.level = 1
        self.streak = 0
        self.freezes = Freezes()
        self.mode = "full"
        self.setObjectName("Header")
        self.compact = False
        self.setMinimumHeight(76)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = spaced(QHBoxLayout(self), 14, (20, 10, 20, 10))

        self.badge = LevelBadge(theme)
        layout.addWidget(self.badge)
        level_column = spaced(QVBoxLayout(), 5)
        title_row = QHBoxLayout()
        self.level_label = QLabel()
        self.level_label.setProperty("role", "h2")
        self.level_label.setAccessibleName("Level and title")
        self.xp_label = QLabel()
        self.xp_label.setProperty("role", "muted")
        title_row.addWidget(self.level_label)
        title_row.addStretch(1)
        title_row.addWidget(self.xp_label)
        self.xp_bar = XpBar(theme)
        self.next_label = QLabel()
        self.next_label.setProperty("role", "faint")
        level_column.addLayout(title_row)
        level_column.addWidget(self.xp_bar)
        level_column.addWidget(self.next_label)
        level_holder = QWidget()
        level_holder.setLayout(level_column)
        level_holder.setMaximumWidth(460)
        level_column.setContentsMargins(0, 0, 0, 0)
        self.level_holder = level_holder
        layout.addWidget(level_holder, 3)
        self.level_holder = level_holder
        self.off_label = QLabel("Momentum · the game is off; your work is still recorded")
        self.off_label.setProperty("role", "muted")
        self.off_label.setVisible(False)
        layout.addWidget(self.off_label)
        layout.addStretch(1)

        self.points_block = StatBlock(theme, "fa5s.star", "warning", "points", "Total points")
        self.week_block = StatBlock(theme, "fa5s.chart-line", "accent", "this week",
                                    "Points this week")
        self.coins_block = StatBlock(theme, "fa5s.coins", "warning", "coins",
                                     "Coins to spend")
        self.coins_block.setToolTip("Every point earned is also a coin to spend in Rewards")
        self.streak_block = StatBlock(theme, "fa5s.fire", "flame", "day streak",
                                      "Daily activity streak")
        self.freeze_badge = FreezeBadge(theme)
        for block in (self.points_block, self.coins_block, self.week_block, self.streak_block):
            layout.addWidget(block)
        layout.addWidget(self.freeze_badge)
        self.points_block.setToolTip("All the points you have earned")
        self.week_block.setToolTip("Points earned this week (Monday to Sunday)")
        theme.changed.connect(self._on_theme)
        self._show_points(0, animate=False)

    # -- updates ---------------------------------------------------------------------------

    def apply_progress(self, progress: ProgressDTO) -> None:
        """A full read (``reads.progress()``): at start-up and after undo/redo."""
        self.week_block.set_value(thousands(progress.weekly_points))
        self._show_streak(progress.current_streak)
        self._show_freezes(progress.freezes)
        self._show_coins(progress.coins)
        self._show_points(progress.total_points, animate=True)

    def apply_outcome(self, outcome: Outcome) -> FreezeNews | None:
        """The engine's answer to one action: new total, level and streak, right away.

        Coins move with the points (SPEC v2 §2a). Returns what changed about streak
        freezes when the outcome reports them (None when it does not)."""
        streak = next((s for s in outcome.streaks if s.type == DAILY_ACTIVITY), None)
        if streak is not None:
            self._show_streak(streak.current)
        self._show_coins(self.coins + outcome.points_awarded)
        self._show_points(outcome.total_points, animate=True)
        if not has_freeze_data(outcome.streaks):
            return None
        self._show_freezes(freezes_of(outcome.streaks))
        return freeze_news(outcome.freezes)

    def set_game_mode(self, mode: str) -> None:
        """Off: no level, points, coins, streak or freezes; a neutral line instead."""
        self.mode = mode
        shown = mode != "off"
        for widget in (self.badge, self.level_holder, self.points_block, self.coins_block,
                       self.streak_block):
            widget.setVisible(shown)
        self.week_block.setVisible(shown and not self.compact)
        self.freeze_badge.setVisible(shown and (self.freezes.held > 0
                                                or bool(self.freezes.frozen_days)))
        self.off_label.setVisible(not shown)

    def _show_coins(self, coins: int) -> None:
        self.coins = coins
        self.coins_block.set_value(thousands(coins))
        self.points_block.setToolTip(f"All the points you have earned · {thousands(coins)} coins"
                                     " to spend in Rewards")

    def _show_freezes(self, freezes: Freezes) -> None:
        self.freezes = freezes
        self.freeze_badge.set_freezes(freezes)
        if self.mode == "off":
            self.freeze_badge.setVisible(False)
        self._streak_tip()

    def _show_streak(self, days: int) -> None:
        self.streak = days
        self.streak_block.set_value(str(days))
        self.streak_block.set_icon_role("flame" if days > 0 else "text_faint")
        self._streak_tip()

    def _streak_tip(self) -> None:
        """The flame's tooltip: the streak, and the freezes held and days they bridged."""
        days = self.streak
        tip = (f"{days}-day activity streak: complete something every day to keep the flame "
               "going (days off and vacations do not break it)" if days else
               "No streak yet: complete something today to light the flame")
        freezes = getattr(self, "freezes", None)
        if freezes is not None and (freezes.held or freezes.frozen_days):
            bridged = len(freezes.frozen_days)
            tip += (f" · {freezes.text} held · {bridged} day{'s' if bridged != 1 else ''} "
                    "bridged by a freeze")
        self.streak_block.setToolTip(tip)

    def _show_points(self, total: int, *, animate: bool) -> None:
        self.total_points = total
        level = catalog.level_for_points(total)
        self.level = level.number
        self.badge.set_level(level.number)
        self.level_label.setText(f"Level {level.number} · {level.title}")
        self.points_block.set_value(thousands(total))
        if level.number >= catalog.MAX_LEVEL:
            fraction = 1.0
            self.xp_label.setText(f"{thousands(total)} XP")
            self.next_label.setText("Highest level reached: legendary status")
        else:
            following = catalog.LEVELS[level.number]
            floor, ceiling = level.points_required, following.points_required
            fraction = (total - floor) / (ceiling - floor)
            self.xp_label.setText(f"{thousands(total)} / {thousands(ceiling)} XP")
            self.next_label.setText(
                f"{thousands(ceiling - total)} points to level {following.number} · "
                f"{following.title}")
        progress_text = f"{self.xp_label.text()} · {self.next_label.text()}"
        self.xp_bar.setToolTip(f"{fraction * 100:.0f}% of the way to the next level · "
                               f"{progress_text}")
        self.badge.setToolTip(f"{self.level_label.text()}\n{progress_text}")
        self.points_block.setToolTip(f"{thousands(total)} points earned in all")
        self.xp_bar.animate_to(fraction, self._animation_ms if animate else 0)

    def apply_look(self, style: str, prestige: bool, legendary: bool) -> None:
        """The perks' look (already gated by :class:`~momentum_app.gui.perks.Personalization`)."""
        self.badge.set_look(style, prestige)
        if self.property("legendary") != legendary:
            self.setProperty("legendary", legendary)
            self.style().unpolish(self)
            self.style().polish(self)

    def full_width(self) -> int:
        """The width everything needs side by side (below it the header turns compact)."""
        margins = layout_of(self).contentsMargins()
        spacing = layout_of(self).spacing()
        level = max(self.level_label.sizeHint().width() + 12 + self.xp_label.sizeHint().width(),
                    self.next_label.sizeHint().width(), self.xp_bar.minimumWidth())
        blocks = sum(b.sizeHint().width() for b in
                     (self.points_block, self.coins_block, self.week_block, self.streak_block))
        if not self.freeze_badge.isHidden():
            blocks += self.freeze_badge.sizeHint().width() + spacing
        return (margins.left() + margins.right() + self.badge.width() + level + blocks
                + 6 * spacing)

    def set_compact(self, compact: bool) -> None:
        if compact == self.compact:
            return
        self.compact = compact
        for widget in (self.xp_label, self.next_label):
            widget.setVisible(not compact)
        self.week_block.setVisible(not compact and self.mode != "off")

    def _fit(self, width: int) -> None:
        """Compact below the full width; below even the compact width the coins step
        aside too (their figure stays in the points' tooltip)."""
        full = self.full_width()
        self.set_compact(width < full)
        margins = layout_of(self).contentsMargins()
        compact_need = (margins.left() + margins.right() + self.badge.width()
                        + max(self.level_label.sizeHint().width(), self.xp_bar.minimumWidth())
                        + sum(b.sizeHint().width() for b in
                              (self.points_block, self.coins_block, self.streak_block))
                        + (0 if self.freeze_badge.isHidden()
                           else self.freeze_badge.sizeHint().width())
                        + 6 * layout_of(self).spacing())
        self.coins_block.setVisible(self.mode != "off" and width >= compact_need)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit(event.size().width())
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:  # the text size setting changed
            self._fit(self.width())
        super().changeEvent(event)

    def _on_theme(self, _tokens: Tokens) -> None:
        for block in (self.points_block, self.coins_block, self.week_block, self.streak_block):
            block.apply_theme()
        self.freeze_badge.apply_theme()
        self.badge.update()
        self.xp_bar.update()
