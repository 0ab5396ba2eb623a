"""The level as a card: a large badge, the title, the XP bar and the next perk.

Used by the Dashboard and the Levels screen; it reads the ``level`` block of
``reads.progress()`` (SPEC §7) and the perks' look (badge shape, prestige frame).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from ...core import catalog
from ...core.engine.rules import LevelProgress
from ..perks import Look
from ..theme import ThemeManager
from ..timefmt import thousands
from .common import label
from .header import LevelBadge, XpBar


class LevelCard(QFrame):
    def __init__(self, theme: ThemeManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("card", True)
        self.setAccessibleName("Level")
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 16, 20, 16)
        row.setSpacing(18)
        self.badge = LevelBadge(theme, size=72)
        row.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
        column = QVBoxLayout()
        column.setSpacing(6)
        self.caption = label("LEVEL", "caption")
        self.title = label("", "h1")
        self.xp_bar = XpBar(theme)
        self.xp_label = label("", "muted")
        self.next_label = label("", "faint", wrap=True)
        for widget in (self.caption, self.title, self.xp_bar, self.xp_label, self.next_label):
            column.addWidget(widget)
        column.addStretch(1)
        row.addLayout(column, 1)

    def set_progress(self, total: int, level: LevelProgress) -> None:
        number = level.number
        self.badge.set_level(number)
        self.title.setText(f"Level {number} · {level.title}")
        self.xp_bar.animate_to(level.progress_percent / 100, 0)
        if number >= catalog.MAX_LEVEL:
            self.xp_label.setText(f"{thousands(total)} XP · the highest level")
            self.next_label.setText("Every perk is yours.")
        else:
            following = catalog.LEVELS[number]
            ceiling = level.next_points_required
            self.xp_label.setText(f"{thousands(total)} / {thousands(ceiling)} XP · "
                                  f"{thousands(ceiling - total)} to go")
            perk = f": {following.perk}" if following.perk else ""
            self.next_label.setText(f"Next: level {following.number} · {following.title}{perk}")
        self.setAccessibleDescription(f"{self.title.text()}, {self.xp_label.text()}")

    def set_look(self, look: Look) -> None:
        self.badge.set_look(look.badge_style, look.prestige_frame)
