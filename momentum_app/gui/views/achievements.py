"""Achievements: every one, grouped by category — unlocked with their date, locked greyed
with their progress — a category filter, and the chosen one's details beside the grid.

From level 7 (the custom-achievements perk) "New achievement" opens the editor; below
it the button is disabled and says which level opens it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from ...core import catalog
from ...core.services.read_dto import AchievementDTO
from ..changes import PROFILE, PROGRESS, SETTINGS
from ..context import GuiContext
from ..dialogs import launcher
from ..dialogs.form import FormDialog
from ..perks import CUSTOM_ACHIEVEMENTS, unlock_text
from ..widgets.achievement_tile import (
    CATEGORY_SHORT,
    CATEGORY_TITLES,
    AchievementDetails,
    AchievementTile,
)
from ..widgets.common import (
    EmptyState,
    SegmentedControl,
    clear_layout,
    flat_scroll,
    primary_button,
    pushed_row,
    section_heading,
    spaced,
)
from ..widgets.reflow import columns_for, widest_minimum
from .base import View

ALL = "all"
#: From this width of the grid on, tiles sit in three columns (else two).
#: A first guess at a tile's minimum width (in average characters) before one is measured.
TILE_CHARACTERS = 34


class AchievementsView(View):
    scopes = frozenset({PROGRESS, PROFILE, SETTINGS})

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.entries: list[AchievementDTO] = []
        self.tiles: dict[str, AchievementTile] = {}
        self.sections: dict[str, QWidget] = {}
        self.selected: str | None = None
        self._columns = 3
        self._tile_width = 0  # the widest tile's minimum width, measured when built
        self.new_button = primary_button("New achievement")
        self.new_button.clicked.connect(self.open_editor)
        self.title = self.add_title("Achievements", self.new_button)
        choices = [(ALL, "All")] + [(c, CATEGORY_SHORT[c]) for c in catalog.CATEGORIES]
        self.filter = SegmentedControl(choices + [("custom", "Custom")], ALL,
                                       "Achievement category")
        self.filter.changed.connect(lambda _value: self._apply_filter())
        self.body.addLayout(pushed_row(self.filter))

        row = spaced(QHBoxLayout(), 16)
        self.content = QWidget()
        self.column = spaced(QVBoxLayout(self.content), 10, (0, 0, 6, 6))
        self.scroll_area = flat_scroll(self.content, horizontal=False)
        row.addWidget(self.scroll_area, 1)
        self.details = AchievementDetails(ctx.theme)
        row.addWidget(self.details)
        self.body.addLayout(row, 1)
        ctx.perks.changed.connect(self._update_editor_button)
        self._update_editor_button()

    # -- data ------------------------------------------------------------------------------

    def reload(self) -> None:
        scroll = self.scroll_area.verticalScrollBar().value()
        self.entries = self.ctx.momentum.reads.achievements(everything=True)
        done = [e for e in self.entries if e.completed]
        earned = sum(e.points for e in done)
        self.title.set_subtitle(f"{len(done)} of {len(self.entries)} unlocked · "
                                f"{earned:,} points earned")
        self._build()
        self._apply_filter()
        self.scroll_area.verticalScrollBar().setValue(scroll)
        chosen = next((e for e in self.entries if e.id == self.selected), None)
        if chosen is None:  # open on the locked one closest to being unlocked
            locked = [e for e in self.entries if not e.completed]
            if locked:
                self.choose(max(locked, key=lambda e: e.progress / max(1, e.target)).id)
                return
        self.details.show_entry(chosen, self.ctx.profile_time() if chosen else None)

    def _build(self) -> None:
        clear_layout(self.column)
        zone = self.ctx.profile_time()
        self.tiles, self.sections = {}, {}
        categories = list(catalog.CATEGORIES) + ["custom"]
        columns = self._wanted_columns()
        self._columns = columns
        for category in categories:
            entries = [e for e in self.entries if e.category == category]
            if not entries:
                continue
            section = QWidget()
            layout = spaced(QVBoxLayout(section), 8, (0, 0, 0, 8))
            unlocked = sum(1 for e in entries if e.completed)
            layout.addWidget(section_heading(CATEGORY_TITLES[category],
                                             f"{unlocked} of {len(entries)} unlocked"))
            grid = QGridLayout()
            grid.setSpacing(12)
            # unlocked first (in catalog order), then locked ones, the closest first
            entries.sort(key=lambda e: (not e.completed, -(e.progress /
                                                              max(1, e.target))))
            for index, entry in enumerate(entries):
                tile = AchievementTile(entry, self.ctx.theme, zone)
                tile.chosen.connect(self.choose)
                tile.set_selected(entry.id == self.selected)
                self.tiles[entry.id] = tile
                grid.addWidget(tile, index // columns, index % columns)
            for column in range(columns):
                grid.setColumnStretch(column, 1)
            layout.addLayout(grid)
            self.column.addWidget(section)
            self.sections[category] = section
        measured = widest_minimum(list(self.tiles.values()))
        if measured and measured != self._tile_width:
            self._tile_width = measured
            if self._wanted_columns() != columns:  # the guess was off: place them again
                self._build()
        self.empty = EmptyState(
            self.ctx.theme, "fa5s.award", "No custom achievements yet",
            "Define your own with “New achievement”." if self.ctx.perks.unlocked(
                CUSTOM_ACHIEVEMENTS) else
            f"Custom achievements unlock at {unlock_text(CUSTOM_ACHIEVEMENTS)}.")
        self.column.addWidget(self.empty)
        self.column.addStretch(1)

    def _apply_filter(self) -> None:
        wanted = self.filter.value
        for category, section in self.sections.items():
            section.setVisible(wanted in (ALL, category))
        self.empty.setVisible(wanted not in self.sections and wanted != ALL)

    def visible_tiles(self) -> list[AchievementTile]:
        return [tile for tile in self.tiles.values() if tile.isVisibleTo(self)]

    # -- choosing --------------------------------------------------------------------------

    def choose(self, achievement_id: str) -> None:
        self.selected = achievement_id
        for key, tile in self.tiles.items():
            tile.set_selected(key == achievement_id)
        entry = next((e for e in self.entries if e.id == achievement_id), None)
        self.details.show_entry(entry, self.ctx.profile_time())

    # -- custom achievements (perk) --------------------------------------------------------

    def _update_editor_button(self) -> None:
        unlocked = self.ctx.perks.unlocked(CUSTOM_ACHIEVEMENTS)
        self.new_button.setEnabled(unlocked)
        self.new_button.setIcon(self.ctx.theme.icon("fa5s.lock", "text_faint")
                                if not unlocked else self.ctx.theme.icon("fa5s.plus",
                                                                         "accent_text"))
        self.new_button.setToolTip("Define your own achievement" if unlocked else
                                   f"Custom achievements unlock at "
                                   f"{unlock_text(CUSTOM_ACHIEVEMENTS)}")

    def open_editor(self) -> FormDialog | None:
        return self.unless_locked(
            lambda: launcher.open_custom_achievement(self.ctx, self.window()))

    # -- layout ----------------------------------------------------------------------------

    def _wanted_columns(self) -> int:
        width = self._tile_width or TILE_CHARACTERS * self.fontMetrics().averageCharWidth()
        return columns_for(self.scroll_area.viewport().width() - 6, width, 12, 3)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.entries and self._wanted_columns() != self._columns:
            self._build()
            self._apply_filter()

    def apply_theme(self) -> None:
        self._update_editor_button()
        self.refresh_when_seen()

    def focus_content(self) -> None:
        tiles = self.visible_tiles()
        if tiles:
            tiles[0].setFocus(Qt.FocusReason.OtherFocusReason)
