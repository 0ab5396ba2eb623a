"""An achievement as a tile (icon, name, progress or unlock date) and its details panel.

Locked achievements are greyed, with a progress bar and "7 / 10"; unlocked ones show
their points and the day they were earned. Tiles are focusable and emit ``chosen`` on
a click, Enter or Space; the panel shows everything about the chosen one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from ...core.services.read_dto import AchievementDTO
from ..theme import ThemeManager
from ..timefmt import ProfileTime
from .common import label, layout_of, set_flag, text_scaled

CATEGORY_TITLES = {"productivity": "Productivity", "consistency": "Consistency",
                   "time_management": "Time management", "focus": "Focus",
                   "growth": "Growth", "social": "Social", "custom": "Custom"}
#: Short names for the filter buttons.
CATEGORY_SHORT = {**CATEGORY_TITLES, "time_management": "Time"}


def unlocked_text(entry: AchievementDTO, zone: ProfileTime, *, long: bool = False) -> str:
    stamp = entry.completed_at
    if not stamp:
        return "Unlocked"
    when = zone.local(stamp)
    if long:
        return f"Unlocked on {when:%A}, {when.day} {when:%B %Y} at {when:%H:%M}"
    return f"Unlocked {when.day} {when:%b %Y}"


def progress_text(entry: AchievementDTO) -> str:
    return f"{entry.progress:,} / {entry.target:,}"


def make_bar(entry: AchievementDTO, name: str) -> QProgressBar:
    bar = QProgressBar()
    bar.setRange(0, max(1, entry.target))
    bar.setValue(min(entry.progress, entry.target))
    bar.setTextVisible(False)
    bar.setAccessibleName(name)
    return bar


class AchievementTile(QFrame):
    chosen = Signal(str)  # achievement id

    def __init__(self, entry: AchievementDTO, theme: ThemeManager, zone: ProfileTime,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.achievement_id = entry.id
        done = entry.completed
        self.setObjectName("AchievementTile")
        self.setProperty("locked", not done)
        self.setProperty("selected", False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(f"Achievement {entry.name}")
        self.setAccessibleDescription(
            unlocked_text(entry, zone) if done else f"Locked, {progress_text(entry)}")
        self.setMinimumHeight(98)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 12, 14, 12)
        row.setSpacing(12)
        self.icon = QLabel()
        self.icon.setObjectName("AchievementIcon")
        self.icon.setProperty("locked", not done)
        self.icon.setFixedSize(44, 44)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.icon.setPixmap(theme.icon(entry.icon, "accent" if done else "text_faint")
                            .pixmap(22, 22))
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.setSpacing(3)
        top = QHBoxLayout()
        top.setSpacing(6)
        self.name_label = label(entry.name, "h3" if done else "h3-locked", wrap=True)
        top.addWidget(self.name_label, 1)
        top.addWidget(label(f"+{entry.points:,}", "chip" if done else "chip-muted"))
        column.addLayout(top)
        self.description = label(entry.description,
                                 "muted" if done else "faint", wrap=True)
        column.addWidget(self.description)
        column.addStretch(1)
        if done:
            self.status = label(unlocked_text(entry, zone), "success", wrap=True)
            column.addWidget(self.status)
            self.bar: QProgressBar | None = None
        else:
            status_row = QHBoxLayout()
            status_row.setSpacing(8)
            self.bar = make_bar(entry, f"Progress of {entry.name}")
            self.bar.setProperty("muted", True)
            status_row.addWidget(self.bar, 1)
            self.status = label(progress_text(entry), "faint")
            status_row.addWidget(self.status)
            column.addLayout(status_row)
        row.addLayout(column, 1)

    def set_selected(self, selected: bool) -> None:
        set_flag(self, "selected", selected)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self.chosen.emit(self.achievement_id)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.chosen.emit(self.achievement_id)
            return
        super().keyPressEvent(event)


class AchievementDetails(QFrame):
    """The chosen achievement in full."""

    def __init__(self, theme: ThemeManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self.entry: AchievementDTO | None = None
        self.setProperty("card", True)
        self.setAccessibleName("Achievement details")
        self.setFixedWidth(text_scaled(300, 1.05))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 22, 22, 22)
        layout.setSpacing(10)
        self.icon = QLabel()
        self.icon.setObjectName("AchievementIconLarge")
        self.icon.setFixedSize(76, 76)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignHCenter)
        self.name_label = label("", "h2", wrap=True)
        self.name_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.name_label)
        # The two chips sit side by side, or one above the other when large text makes
        # them wider than the panel (see _arrange_chips).
        self.chips = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.category_chip = label("", "chip-muted")
        self.points_chip = label("", "chip")
        self.chips.addWidget(self.category_chip, 0, Qt.AlignmentFlag.AlignHCenter)
        self.chips.addWidget(self.points_chip, 0, Qt.AlignmentFlag.AlignHCenter)
        chips_row = QHBoxLayout()
        chips_row.setSpacing(0)  # the stretches take no room beside the chips
        chips_row.addStretch(1)
        chips_row.addLayout(self.chips)
        chips_row.addStretch(1)
        layout.addLayout(chips_row)
        self.description = label("", "muted", wrap=True)
        self.description.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.description)
        layout.addSpacing(6)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName("Progress")
        layout.addWidget(self.bar)
        self.status = label("", "muted", wrap=True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.hint = label("Click an achievement to see its details.", "faint", wrap=True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.hint)
        self.show_entry(None, None)

    def _arrange_chips(self) -> None:
        for chip in (self.category_chip, self.points_chip):
            chip.ensurePolished()  # the chip style's padding counts in the width
        margins = layout_of(self).contentsMargins()
        room = self.width() - margins.left() - margins.right()
        needed = (self.category_chip.sizeHint().width() + self.chips.spacing()
                  + self.points_chip.sizeHint().width())
        self.chips.setDirection(QBoxLayout.Direction.LeftToRight if needed <= room
                                else QBoxLayout.Direction.TopToBottom)

    def show_entry(self, entry: AchievementDTO | None, zone: ProfileTime | None) -> None:
        self.entry = entry
        shown = entry is not None
        for widget in (self.name_label, self.category_chip, self.points_chip,
                       self.description, self.bar, self.status):
            widget.setVisible(shown)
        self.hint.setVisible(not shown)
        if entry is None or zone is None:
            self.icon.setPixmap(self._theme.icon("fa5s.trophy", "text_faint").pixmap(34, 34))
            self.icon.setProperty("locked", True)
            return
        done = entry.completed
        set_flag(self.icon, "locked", not done)
        self.icon.setPixmap(self._theme.icon(entry.icon, "accent" if done
                                             else "text_faint").pixmap(36, 36))
        self.name_label.setText(entry.name)
        self.category_chip.setText(CATEGORY_TITLES.get(entry.category,
                                                       entry.category.title()))
        self.points_chip.setText(f"+{entry.points:,} points")
        self._arrange_chips()
        self.description.setText(entry.description)
        self.bar.setRange(0, max(1, entry.target))
        self.bar.setValue(min(entry.progress, entry.target))
        set_flag(self.bar, "complete", done)
        if done:
            self.status.setText(unlocked_text(entry, zone, long=True))
        else:
            left = entry.target - entry.progress
            percent = entry.progress / max(1, entry.target) * 100
            self.status.setText(f"Locked · {progress_text(entry)} ({percent:.0f}%)\n"
                                f"{left:,} to go")
        self.setAccessibleDescription(f"{entry.name}: {self.status.text()}")
