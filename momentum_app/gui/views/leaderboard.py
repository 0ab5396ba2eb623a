"""Leaderboard: the profiles of this database ranked by points this week, this month or
ever; the current profile's best weeks; switching profile and adding one.

A profile at level 8 or more wears the mentor badge (the "mentor status" perk, asked
of :class:`~momentum_app.gui.perks.Perks` with that profile's level).
"""

from __future__ import annotations

import zlib
from datetime import date

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import catalog
from ...core.services.read_dto import BestWeek, LeaderboardRow
from ..changes import PROFILE, PROGRESS
from ..context import GuiContext
from ..dialogs import launcher
from ..dialogs.form import FormDialog
from ..perks import MENTOR_STATUS, Perks
from ..widgets.common import (
    NO_MARGINS,
    EmptyState,
    SegmentedControl,
    TitledCard,
    clear_layout,
    flat_scroll,
    label,
    pushed_row,
    refill,
    spaced,
)
from .base import View

PERIODS = (("week", "This week"), ("month", "This month"), ("all", "All time"))
MEDALS = {1: "#E0A526", 2: "#A7B0BE", 3: "#C07A43"}
AVATAR_COLOURS = ("#5B55E8", "#2F80ED", "#0F9D8A", "#E0457B", "#F0642F", "#9B51E0",
                  "#2FA84F", "#B7791F")


class Avatar(QWidget):
    """A round avatar with the profile's initial, in a colour that stays with the name."""

    def __init__(self, name: str, size: int = 34, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.setFixedSize(QSize(size, size))
        self._colour = QColor(AVATAR_COLOURS[zlib.crc32(name.encode()) % len(AVATAR_COLOURS)])

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._colour)
        painter.drawEllipse(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(self.width() / 2.8)
        painter.setFont(font)
        painter.setPen(QColor("#FFFFFF"))
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.name[:1].upper())
        painter.end()


def week_span(key: str, this_year: int | None = None) -> str:
    """"2026-W09" → "23 Feb – 1 Mar 2026" (without the year when it is ``this_year``)."""
    year, week = key.split("-W")
    monday = date.fromisocalendar(int(year), int(week), 1)
    sunday = date.fromisocalendar(int(year), int(week), 7)
    if this_year is not None and monday.year == sunday.year == this_year:
        return f"{monday.day} {monday:%b} – {sunday.day} {sunday:%b}"
    return f"{monday.day} {monday:%b} – {sunday.day} {sunday:%b %Y}"


class RankRow(QFrame):
    def __init__(self, entry: LeaderboardRow, me: bool, ctx: GuiContext,
                 parent: QWidget | None = None, *, medal: bool = True) -> None:
        super().__init__(parent)
        self.entry = entry
        self.setObjectName("RankRow")
        self.setProperty("me", me)
        rank, name, level = entry.rank, entry.profile, entry.level
        row = spaced(QHBoxLayout(self), 12, (12, 10, 16, 10))
        place = QLabel()
        place.setFixedWidth(30)
        place.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A medal means beating someone: not for a profile alone, nor for no points.
        if rank in MEDALS and medal:
            place.setPixmap(ctx.theme.icon_in("fa5s.medal", MEDALS[rank]).pixmap(22, 22))
        else:
            place.setText(f"#{rank}" if medal or rank > 1 else "–")
            place.setProperty("role", "muted")
        row.addWidget(place)
        row.addWidget(Avatar(name))
        column = spaced(QVBoxLayout(), 2)
        top = spaced(QHBoxLayout(), 6)
        top.addWidget(label(name, "h3", wrap=True))
        if me:
            top.addWidget(label("you", "chip-strong"))
        self.mentor = Perks.unlocked_at(MENTOR_STATUS, level)
        if self.mentor:
            badge = label("Mentor", "gold")
            badge.setToolTip("Mentor status: level 8 or higher")
            top.addWidget(badge)
        top.addStretch(1)
        column.addLayout(top)
        title = catalog.LEVELS[max(1, min(level, catalog.MAX_LEVEL)) - 1].title
        column.addWidget(label(f"Level {level} · {title}", "faint", wrap=True))
        row.addLayout(column, 1)
        # The figure above its unit: narrow enough for the minimum window with large text.
        figures = spaced(QVBoxLayout(), 0)
        points = label(f"{entry.points:,}", "stat")
        points.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        figures.addWidget(points)
        unit = label("points", "muted")
        unit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        figures.addWidget(unit)
        row.addLayout(figures)
        self.setAccessibleName(f"Rank {rank}: {name}, {entry.points} points"
                               + (", mentor" if self.mentor else ""))


class LeaderboardView(View):
    scopes = frozenset({PROGRESS, PROFILE})

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.rows: list[RankRow] = []
        self.profile_box = QComboBox()
        self.profile_box.setAccessibleName("Current profile")
        self.profile_box.setMinimumWidth(150)
        self.profile_box.activated.connect(self._switch_to_index)
        self.new_button = QPushButton("New profile")
        self.new_button.clicked.connect(self.new_profile)
        self.title = self.add_title("Leaderboard", label("Playing as", "muted"),
                                    self.profile_box, self.new_button)
        self.period = SegmentedControl(PERIODS, "week", "Leaderboard period")
        self.period.changed.connect(lambda _value: self.refresh_now())
        self.body.addLayout(pushed_row(self.period))

        columns = spaced(QHBoxLayout(), 16)
        self.ranking_card = TitledCard("Ranking")
        self.ranking_list = QWidget()
        self.ranking_layout = spaced(QVBoxLayout(self.ranking_list), 4, NO_MARGINS)
        self.ranking_scroll = flat_scroll(self.ranking_list, horizontal=False)
        self.ranking_card.body.addWidget(self.ranking_scroll, 1)
        self.ranking_hint = label("", "faint", wrap=True)
        self.ranking_card.body.addWidget(self.ranking_hint)
        self.invite_button = QPushButton("Add a profile…")
        self.invite_button.clicked.connect(self.new_profile)
        self.ranking_card.body.addLayout(pushed_row(self.invite_button))
        columns.addWidget(self.ranking_card, 3)

        self.weeks_card = TitledCard("Your best weeks")
        self.weeks_layout = spaced(QVBoxLayout(), 12)
        self.weeks_card.body.addLayout(self.weeks_layout)
        self.weeks_empty = EmptyState(ctx.theme, "fa5s.calendar-week", "No weeks yet",
                                      "Complete something and this week becomes the first.")
        self.weeks_card.body.addWidget(self.weeks_empty)
        self.weeks_card.body.addStretch(1)
        columns.addWidget(self.weeks_card, 2)
        self.body.addLayout(columns, 1)

    # -- data ------------------------------------------------------------------------------

    def reload(self) -> None:
        momentum = self.ctx.momentum
        me = momentum.profiles.current()
        profiles = momentum.profiles.list()
        self.profile_box.blockSignals(True)
        self.profile_box.clear()
        for profile in profiles:
            self.profile_box.addItem(profile.name, profile.name)
        self.profile_box.setCurrentIndex(max(0, self.profile_box.findData(me.name)))
        self.profile_box.blockSignals(False)
        board = momentum.reads.leaderboard(self.period.value)
        medals = len(board) > 1
        self.rows = [RankRow(entry, entry.profile == me.name, self.ctx,
                             medal=medals and entry.points > 0) for entry in board]
        refill(self.ranking_layout, self.rows)
        # The rows never scroll sideways: the card asks for the room they need (the best
        # weeks beside it wrap their dates first).
        self.ranking_scroll.setMinimumWidth(
            self.ranking_list.minimumSizeHint().width()
            + self.ranking_scroll.verticalScrollBar().sizeHint().width())
        period_text = dict(PERIODS)[self.period.value].lower()
        self.ranking_card.set_note(f"points {period_text}")
        alone = len(board) < 2
        self.ranking_hint.setText(
            "Only you so far. Add a profile for someone else who plans on this computer "
            "and compare your weeks." if alone
            else "Profiles at level 8 or higher wear the mentor badge.")
        self.invite_button.setVisible(alone)
        self.title.set_subtitle(f"{len(profiles)} profile{'s' if len(profiles) != 1 else ''}"
                                f" on this computer")
        self._show_best_weeks(momentum.reads.best_weeks())

    def _show_best_weeks(self, weeks: list[BestWeek]) -> None:
        clear_layout(self.weeks_layout)
        top = max((w.points for w in weeks), default=1)
        for position, week in enumerate(weeks, start=1):
            holder = QWidget()
            column = spaced(QVBoxLayout(holder), 4, NO_MARGINS)
            line = QHBoxLayout()
            line.addWidget(label(f"{position}.", "muted"))
            span = label(week_span(week.week, self.ctx.today().year), "h3")
            span.setToolTip(week_span(week.week))  # with its year
            line.addWidget(span, 1)
            line.addWidget(label(f"{week.points:,}", "h3"))
            column.addLayout(line)
            bar = QProgressBar()
            bar.setRange(0, top)
            bar.setValue(week.points)
            bar.setTextVisible(False)
            bar.setAccessibleName(f"Week {week.week}: {week.points} points")
            column.addWidget(bar)
            self.weeks_layout.addWidget(holder)
        self.weeks_empty.setVisible(not weeks)

    # -- profiles --------------------------------------------------------------------------

    def _switch_to_index(self, index: int) -> None:
        name = self.profile_box.itemData(index)
        if name:
            self.switch_profile(str(name))

    def switch_profile(self, name: str) -> None:
        if name == self.ctx.momentum.profiles.current().name:
            return
        # another profile's data on every screen: this view reloads like all others
        if self.act_or_say(lambda: self.ctx.controller.switch_profile(name)):
            self.status_message.emit(f"Now playing as {name}")

    def new_profile(self) -> FormDialog:
        return launcher.open_new_profile(self.ctx, self.window())

    def focus_content(self) -> None:
        self.period.button(self.period.value).setFocus(Qt.FocusReason.OtherFocusReason)
