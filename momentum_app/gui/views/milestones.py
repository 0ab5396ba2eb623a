"""Milestones (SPEC §6): the global cards, each project's cards, and what was reached.

Global cards count across all projects (tasks, time slots); each project has its own
cards (tasks, time slots, goal steps). A project's switch turns its cards and toasts off
and on — through the controller, so it is undoable and every view hears of it; points
are earned either way.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from ...core.services.dto import ProjectDTO
from ...core.services.read_dto import MilestoneCardDTO, MilestoneGrantDTO, MilestonesDTO
from ..changes import PROFILE, PROGRESS, PROJECTS
from ..context import GuiContext
from ..widgets.common import (
    EmptyState,
    Switch,
    TitledCard,
    clear_layout,
    flat_scroll,
    label,
    refill,
    section_heading,
    spaced,
    text_scaled,
)
from ..widgets.milestone_card import MilestoneCard, ReachedRow
from ..widgets.reflow import columns_for, widest_minimum
from .base import View

#: From this width of the card area on, project cards sit three in a row (else two).
#: A first guess at a card's minimum width (in average characters) before one is measured.
CARD_CHARACTERS = 30
REACHED_SHOWN = 40


class MilestonesView(View):
    scopes = frozenset({PROGRESS, PROJECTS, PROFILE})

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.cards: list[MilestoneCard] = []
        self.switches: dict[str, Switch] = {}
        self.reached: list[ReachedRow] = []
        self._columns = 3
        self._card_width = 0  # the widest card's minimum width, measured when built
        self._data: MilestonesDTO | None = None
        self.title = self.add_title("Milestones")
        row = spaced(QHBoxLayout(), 16)
        self.content = QWidget()
        self.column = spaced(QVBoxLayout(self.content), 12, (0, 0, 6, 6))
        self.scroll_area = flat_scroll(self.content, horizontal=False)
        row.addWidget(self.scroll_area, 1)

        self.reached_card = TitledCard("Reached")
        self.reached_card.setFixedWidth(text_scaled(320, 1.05))
        self.reached_list = QWidget()
        self.reached_layout = spaced(QVBoxLayout(self.reached_list), 0, (0, 0, 4, 0))
        self.reached_scroll = flat_scroll(self.reached_list, horizontal=False)
        self.reached_card.body.addWidget(self.reached_scroll, 1)
        self.reached_empty = EmptyState(ctx.theme, "fa5s.flag-checkered", "None yet",
                                        "Your first milestone is 5 tasks in one project.")
        self.reached_card.body.addWidget(self.reached_empty, 1)
        row.addWidget(self.reached_card)
        self.body.addLayout(row, 1)

    # -- data ------------------------------------------------------------------------------

    def reload(self) -> None:
        scroll = self.scroll_area.verticalScrollBar().value()
        self._data = self.ctx.momentum.reads.milestones()
        projects = self.ctx.momentum.projects.list()
        self._build(self._data, projects)
        completed = self._data.completed
        self._fill_reached(completed)
        points = sum(grant.points for grant in completed)
        self.title.set_subtitle(f"{len(completed)} reached · {points:,} points from milestones"
                                if completed else "Progressive goals with a reward at each step")
        self.scroll_area.verticalScrollBar().setValue(scroll)

    def _clear(self) -> None:
        clear_layout(self.column)

    def _grid(self, cards: list[MilestoneCardDTO], columns: int) -> QWidget:
        holder = QWidget()
        grid = QGridLayout(holder)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(12)
        for index, card in enumerate(cards):
            widget = MilestoneCard(card, self.ctx.theme)
            self.cards.append(widget)
            grid.addWidget(widget, index // columns, index % columns)
        for column in range(columns):
            grid.setColumnStretch(column, 1)
        return holder

    def _build(self, data: MilestonesDTO, projects: list[ProjectDTO]) -> None:
        self._clear()
        self.cards, self.switches = [], {}
        columns = self._wanted_columns()
        self._columns = columns
        global_cards = [c for c in data.cards if c.scope == "global"]
        self.column.addWidget(section_heading("All projects", "every completion counts"))
        self.column.addWidget(self._grid(global_cards, columns))
        for project in projects:
            cards = [c for c in data.cards if c.scope == "project"
                     and c.project == project.name]
            heading = QWidget()
            row = spaced(QHBoxLayout(heading), 10, (2, 14, 2, 0))
            icon = label()
            icon.setPixmap(self.ctx.theme.icon("fa5s.inbox" if project.is_inbox
                                               else "fa5s.folder").pixmap(14, 14))
            row.addWidget(icon)
            row.addWidget(label(project.name, "h3"))
            row.addStretch(1)
            row.addWidget(label("Milestones", "muted"))
            switch = Switch(self.ctx.theme, f"Milestones of {project.name}")
            switch.setChecked(project.goals_enabled)
            switch.setToolTip("Show this project's milestone cards and toasts")
            switch.toggled.connect(lambda on, name=project.name: self.set_enabled(name, on))
            row.addWidget(switch)
            self.switches[project.name] = switch
            self.column.addWidget(heading)
            if project.goals_enabled:
                self.column.addWidget(self._grid(cards, columns))
            else:
                self.column.addWidget(label(
                    "Milestone cards and toasts are off for this project; its completions "
                    "still earn points and count towards the global milestones.", "faint",
                    wrap=True))
        self.column.addStretch(1)
        measured = widest_minimum(self.cards)
        if measured and measured != self._card_width:
            self._card_width = measured
            if self._wanted_columns() != columns:  # the guess was off: place them again
                self._build(data, projects)

    def _fill_reached(self, completed: Sequence[MilestoneGrantDTO]) -> None:
        zone = self.ctx.profile_time()
        newest = sorted(completed, key=lambda g: g.granted_at, reverse=True)
        self.reached = [ReachedRow(grant, self.ctx.theme, zone)
                        for grant in newest[:REACHED_SHOWN]]
        refill(self.reached_layout, self.reached)
        self.reached_card.set_note(f"{len(completed)}" if completed else "")
        self.reached_empty.setVisible(not completed)
        self.reached_scroll.setVisible(bool(completed))

    # -- actions ---------------------------------------------------------------------------

    def set_enabled(self, project: str, enabled: bool) -> None:
        if not self.act_or_say(lambda: self.ctx.controller.set_goals_enabled(project, enabled)):
            switch = self.switches.get(project)
            if switch is not None:
                switch.blockSignals(True)
                switch.setChecked(not enabled)
                switch.blockSignals(False)
            return
        verb = "on" if enabled else "off"
        self.status_message.emit(f"Milestones of {project} are {verb}. Ctrl+Z undoes it.")

    # -- layout ----------------------------------------------------------------------------

    def _wanted_columns(self) -> int:
        width = self._card_width or CARD_CHARACTERS * self.fontMetrics().averageCharWidth()
        return columns_for(self.scroll_area.viewport().width() - 6, width, 12, 3)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._data is not None and self._wanted_columns() != self._columns:
            self._build(self._data, self.ctx.momentum.projects.list())

    def apply_theme(self) -> None:
        self.refresh_when_seen()

    def focus_content(self) -> None:
        switches = list(self.switches.values())
        if switches:
            switches[0].setFocus(Qt.FocusReason.OtherFocusReason)
