"""Levels and perks (SPEC §3): the level table with titles, points and perks, the current
level highlighted, and every perk with its control — usable from its level on.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...core import catalog
from ..changes import PROFILE, PROGRESS
from ..context import GuiContext
from ..dialogs import launcher
from ..dialogs.form import FormDialog
from ..timefmt import thousands
from ..widgets.common import TitledCard, flat_scroll, label, set_flag, spaced
from ..widgets.perk_panel import PerkPanel
from ..widgets.reflow import Reflow
from .base import View


class LevelRow(QFrame):
    """One line of the level table."""

    def __init__(self, level: catalog.Level, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = level
        self.setObjectName("LevelRow")
        self.setProperty("current", False)
        row = spaced(QHBoxLayout(self), 12, (10, 7, 12, 7))
        self.number = QLabel(str(level.number))
        self.number.setObjectName("LevelNumber")
        self.number.setFixedSize(30, 30)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.number)
        column = spaced(QVBoxLayout(), 1)
        self.title = label(level.title, "h3")
        column.addWidget(self.title)
        self.perk = label(level.perk[:1].upper() + level.perk[1:] if level.perk
                          else "Where everyone starts", "faint")
        column.addWidget(self.perk)
        row.addLayout(column, 1)
        self.points = label(f"{thousands(level.points_required)} pts", "muted")
        row.addWidget(self.points)
        self.state = label("", "chip-muted")
        self.state.setMinimumWidth(86)
        self.state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.state)

    def set_state(self, current: int, total: int) -> None:
        number = self.level.number
        set_flag(self, "current", number == current)
        reached = number <= current
        set_flag(self.number, "reached", reached)
        if number == current:
            text, role = "You are here", "chip-strong"
        elif reached:
            text, role = "Reached", "chip"
        else:
            text, role = f"{thousands(self.level.points_required - total)} to go", "chip-muted"
        self.state.setText(text)
        self.state.setProperty("role", role)
        self.state.style().unpolish(self.state)
        self.state.style().polish(self.state)
        self.setAccessibleName(f"Level {number} · {self.level.title}: {text}")


class LevelsView(View):
    scopes = frozenset({PROGRESS, PROFILE})

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.title = self.add_title("Levels & perks")
        self.table_card = TitledCard("Levels", "points are earned, never bought")
        self.level_rows = [LevelRow(level) for level in catalog.LEVELS]
        for row in self.level_rows:
            self.table_card.body.addWidget(row)
        self.table_card.body.addStretch(1)

        self.perks_card = TitledCard("Perks", "")
        self.panel = PerkPanel(ctx)
        self.panel.status_message.connect(self.status_message.emit)
        self.panel.custom_achievement_requested.connect(self.open_custom_achievement)
        self.panel.dashboard_requested.connect(self._open_dashboard)
        self.perks_card.body.addWidget(self.panel, 1)
        # Side by side while both fit, else the table above the perks; rows never squash:
        # the page scrolls instead.
        self.columns = Reflow((self.table_card, self.perks_card), stretches=(9, 11))
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 6, 6)
        page_layout.addWidget(self.columns)
        page_layout.addStretch(1)
        self.scroll_area = flat_scroll(page, horizontal=False)
        self.body.addWidget(self.scroll_area, 1)
        self._total = 0
        ctx.perks.changed.connect(self._resync)
        ctx.theme.changed.connect(lambda _tokens: self._resync())

    def reload(self) -> None:
        progress = self.ctx.momentum.reads.progress()
        self._total = progress.total_points
        level = progress.level
        current = level.number
        if current >= catalog.MAX_LEVEL:
            subtitle = f"Level {current} · {level.title} — the top. Every perk is yours."
        else:
            following = catalog.LEVELS[current]
            subtitle = (f"Level {current} · {level.title} — "
                        f"{thousands(following.points_required - self._total)} points to "
                        f"level {following.number} · {following.title}")
        self.title.set_subtitle(subtitle)
        for row in self.level_rows:
            row.set_state(current, self._total)
        self._resync()

    def _resync(self) -> None:
        unlocked = len(catalog.perks_unlocked(self.ctx.perks.level))
        self.perks_card.set_note(f"{unlocked} of {len(catalog.PERK_KEYS)} unlocked")
        self.panel.sync(self._total)

    def open_custom_achievement(self) -> FormDialog | None:
        return self.unless_locked(
            lambda: launcher.open_custom_achievement(self.ctx, self.window()))

    def _open_dashboard(self) -> None:
        window = self.window()
        show = getattr(window, "show_view", None)
        if show is not None:
            show("dashboard", focus=True)

    def focus_content(self) -> None:
        self.panel.setFocus(Qt.FocusReason.OtherFocusReason)
