"""A milestone track as a card (SPEC §6): icon, ``current / next`` badge, progress bar and
the ``+N points`` the next threshold pays; and one line of the reached-milestones list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from ...core.services.read_dto import MilestoneCardDTO, MilestoneGrantDTO
from ..theme import ThemeManager
from ..timefmt import ProfileTime
from .common import label, spaced

#: Milestone kind → (title, noun, icon).
KIND_TEXT: dict[str, tuple[str, str, str]] = {
    "tasks": ("Tasks", "task", "fa5s.check-square"),
    "time_slots": ("Time slots", "time slot", "fa5s.clock"),
    "goal_steps": ("Goal steps", "goal step", "fa5s.shoe-prints"),
}


def counted(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def milestone_icon(theme: ThemeManager, kind: str, role: str, size: int = 18) -> QLabel:
    icon = QLabel()
    icon.setObjectName("MilestoneIcon")
    icon.setFixedSize(36, 36)
    icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
    icon.setPixmap(theme.icon(KIND_TEXT.get(kind, KIND_TEXT["tasks"])[2], role)
                   .pixmap(size, size))
    return icon


class MilestoneCard(QFrame):
    def __init__(self, card: MilestoneCardDTO, theme: ThemeManager,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card = card
        title, noun, _icon = KIND_TEXT.get(card.kind, KIND_TEXT["tasks"])
        current, nxt = card.current, card.next
        complete = card.is_completed
        self.setObjectName("MilestoneCard")
        self.setProperty("complete", complete)
        where = card.project or "all projects"
        self.setAccessibleName(f"{title} milestones, {where}")
        layout = spaced(QVBoxLayout(self), 10, (16, 14, 16, 14))
        top = spaced(QHBoxLayout(), 10)
        self.icon = milestone_icon(theme, card.kind, "success" if complete else "accent")
        self.icon.setProperty("complete", complete)
        top.addWidget(self.icon)
        self.title_label = label(f"{title} completed", "h3", wrap=True)
        top.addWidget(self.title_label, 1)
        self.badge = label(f"{current:,} / {nxt:,}" if not complete else f"{current:,} ✓",
                           "badge-done" if complete else "badge")
        self.badge.setAccessibleName("Progress")
        self.badge.setFixedHeight(22)
        top.addWidget(self.badge)
        layout.addLayout(top)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setValue(round(card.progress_percent * 10))
        self.bar.setTextVisible(False)
        self.bar.setProperty("complete", complete)
        self.bar.setAccessibleName(f"{card.progress_percent:.0f}% of the way")
        layout.addWidget(self.bar)
        bottom = QHBoxLayout()
        if complete:
            self.note = label("Every milestone reached", "muted", wrap=True)
            self.reward = label("Done", "chip-muted")
        else:
            left = nxt - current
            self.note = label(f"{counted(left, noun).replace(' ', ' more ', 1)} to go", "muted",
                              wrap=True)
            self.reward = label(f"+{card.reward:,} points", "chip")
        bottom.addWidget(self.note, 1)
        bottom.addWidget(self.reward)
        layout.addLayout(bottom)
        self.setAccessibleDescription(f"{self.badge.text()}, {self.note.text()}, "
                                      f"{self.reward.text()}")


class ReachedRow(QFrame):
    """One reached milestone: what, where, when, how many points."""

    def __init__(self, grant: MilestoneGrantDTO, theme: ThemeManager, zone: ProfileTime,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grant = grant
        row = spaced(QHBoxLayout(self), 10, (0, 6, 0, 6))
        kind = grant.kind or "tasks"
        row.addWidget(milestone_icon(theme, kind, "success", 16))
        _title, noun, _icon = KIND_TEXT.get(kind, KIND_TEXT["tasks"])
        column = spaced(QVBoxLayout(), 0)
        column.addWidget(label(counted(grant.threshold, noun), "h3", wrap=True))
        when = zone.local(grant.granted_at)
        where = grant.project or "All projects"
        column.addWidget(label(f"{where} · {when.day} {when:%b %Y}", "faint", wrap=True))
        row.addLayout(column, 1)
        row.addWidget(label(f"+{grant.points:,}", "chip"))
        self.setAccessibleName(f"{counted(grant.threshold, noun)}, {where}, "
                               f"{grant.points} points")
