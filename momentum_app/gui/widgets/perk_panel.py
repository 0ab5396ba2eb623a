"""The perks as a list: each with what it does and, once unlocked, its control.

A locked perk shows a lock and the level that opens it, and its control is disabled;
the control's action goes through :class:`~momentum_app.gui.perks.Personalization`,
which refuses a locked perk anyway (so a stray click or a test cannot use it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import (
    QButtonGroup,
    QColorDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import catalog
from ..context import GuiContext
from ..dialogs.fields import ChoiceCombo
from ..perks import (
    ACCENT_COLOUR,
    ACCENT_SWATCHES,
    ADVANCED_ANALYTICS,
    BACKGROUND_TITLES,
    BACKGROUNDS_PERK,
    BADGE_TITLES,
    CUSTOM_ACHIEVEMENTS,
    EXTRA_THEMES_PERK,
    LEGENDARY_STATUS,
    MENTOR_STATUS,
    PERK_TEXT,
    PRESTIGE_FRAME,
    SPECIAL_BADGES,
    PerkLocked,
    unlock_level,
    unlock_text,
)
from ..theme import THEME_TITLES, ThemeMode, mix
from ..timefmt import thousands
from .common import NO_MARGINS, label, set_role, spaced

#: What an automatic perk says about itself once unlocked.
AUTOMATIC = {MENTOR_STATUS: "Shown beside your name on the leaderboard.",
             PRESTIGE_FRAME: "Your level badge now wears it.",
             LEGENDARY_STATUS: "The header is gold. You made it."}

T = TypeVar("T")


class AccentPicker(QWidget):
    """Swatches, a "More…" colour dialog and a reset to the theme's own accent."""

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        row = spaced(QHBoxLayout(self), 4, NO_MARGINS)
        self.group = QButtonGroup(self)
        self.swatches: dict[str, QPushButton] = {}
        for colour in ACCENT_SWATCHES:
            button = QPushButton()
            button.setObjectName("Swatch")
            button.setCheckable(True)
            button.setProperty("colour", colour)
            button.setAccessibleName(f"Accent colour {colour}")
            button.setToolTip(colour)
            button.clicked.connect(lambda _checked=False, c=colour: self.pick(c))
            self.group.addButton(button)
            self.swatches[colour] = button
            row.addWidget(button)
        self.more = QPushButton("More…")
        self.more.setProperty("role", "small")
        self.more.setAccessibleName("Pick any accent colour")
        self.more.clicked.connect(self.open_dialog)
        self.reset = QPushButton("Reset")
        self.reset.setProperty("role", "small")
        self.reset.setAccessibleName("Use the theme's accent colour")
        self.reset.clicked.connect(lambda: self.pick(None))
        row.addSpacing(4)
        row.addWidget(self.more)
        row.addWidget(self.reset)
        row.addStretch(1)
        self.dialog: QColorDialog | None = None
        self._paint_swatches()
        self.sync()

    def _paint_swatches(self) -> None:
        """Unlocked: the colours. Locked: faded towards the card, each with a lock, so
        they do not look like choices that silently do nothing."""
        locked = not self.isEnabled()
        surface = QColor(self.ctx.theme.tokens.surface)
        lock = self.ctx.theme.icon("fa5s.lock", "text_muted") if locked else QIcon()
        for colour, button in self.swatches.items():
            shown = QColor(colour)
            if locked:
                shown = mix(shown, surface, 0.3)
            button.setStyleSheet(f"QPushButton#Swatch {{ background: {shown.name()}; }}")
            button.setIcon(lock)
            button.setIconSize(QSize(11, 11))
            button.setProperty("locked", locked)
            button.setToolTip(f"{colour} — unlocks at {unlock_text(ACCENT_COLOUR)}" if locked
                              else colour)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.EnabledChange:
            self._paint_swatches()

    def sync(self) -> None:
        current = self.ctx.theme.accent
        for colour, button in self.swatches.items():
            button.setChecked(current is not None and current.upper() == colour.upper())

    def pick(self, colour: str | None) -> None:
        self.ctx.look.set_accent(colour)  # PerkLocked while the perk is locked
        self.sync()

    def open_dialog(self) -> QColorDialog:
        dialog = QColorDialog(QColor(self.ctx.theme.tokens.accent), self.window())
        dialog.setWindowTitle("Accent colour")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.colorSelected.connect(lambda colour: self.pick(colour.name().upper()))
        dialog.open()
        self.dialog = dialog
        return dialog


class PerkRow(QFrame):
    """One perk: icon, name, level, what it does, and its control or its lock."""

    def __init__(self, ctx: GuiContext, perk: str, control: QWidget | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.perk, self.control = ctx, perk, control
        self.setObjectName("PerkRow")
        name, icon, description = PERK_TEXT[perk]
        level = unlock_level(perk)
        self.setAccessibleName(f"Perk {name}")
        row = spaced(QHBoxLayout(self), 12, (4, 12, 4, 12))
        self.icon = QLabel()
        self.icon.setFixedSize(26, 26)
        self._icon_name = icon
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        column = spaced(QVBoxLayout(), 4)
        top = spaced(QHBoxLayout(), 8)
        self.name_label = label(name, "h3")
        top.addWidget(self.name_label)
        top.addWidget(label(f"Level {level.number}", "chip-muted"))
        top.addStretch(1)
        self.state_label = label("Unlocked", "success")
        top.addWidget(self.state_label)
        column.addLayout(top)
        self.description = label(AUTOMATIC.get(perk, description), "muted", wrap=True)
        column.addWidget(self.description)
        self.lock_label = label("", "faint", wrap=True)
        column.addWidget(self.lock_label)
        if control is not None:
            column.addWidget(control)
        row.addLayout(column, 1)
        self.sync()

    @property
    def unlocked(self) -> bool:
        return self.ctx.perks.unlocked(self.perk)

    def sync(self, total_points: int | None = None) -> None:
        unlocked = self.unlocked
        _name, _icon, description = PERK_TEXT[self.perk]
        self.icon.setPixmap(self.ctx.theme.icon(
            self._icon_name if unlocked else "fa5s.lock",
            "accent" if unlocked else "text_faint").pixmap(20, 20))
        set_role(self.name_label, "h3" if unlocked else "h3-locked")
        self.description.setText(AUTOMATIC.get(self.perk, description) if unlocked
                                 else description)
        if self.control is not None:
            self.control.setEnabled(unlocked)
        level = unlock_level(self.perk)
        self.state_label.setVisible(unlocked)
        self.lock_label.setVisible(not unlocked)
        to_go = "" if total_points is None else \
            f" · {thousands(max(0, level.points_required - total_points))} points to go"
        self.lock_label.setText(f"Unlocks at level {level.number} · {level.title}{to_go}")
        self.setAccessibleDescription("Unlocked" if unlocked else self.lock_label.text())


class PerkPanel(QWidget):
    """Every perk of the catalog, in level order."""

    status_message = Signal(str)
    custom_achievement_requested = Signal()
    dashboard_requested = Signal()

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = spaced(QVBoxLayout(self), 0, NO_MARGINS)
        self.accent = AccentPicker(ctx)
        self.background = ChoiceCombo(list(BACKGROUND_TITLES.items()), ctx.settings.background)
        self.background.setAccessibleName("Background")
        self.background.activated.connect(lambda _i: self._guard(
            ctx.look.set_background, str(self.background.value())))
        self.badge = ChoiceCombo(list(BADGE_TITLES.items()), ctx.settings.badge_style)
        self.badge.setAccessibleName("Badge style")
        self.badge.activated.connect(lambda _i: self._guard(
            ctx.look.set_badge_style, str(self.badge.value())))
        self.theme_box = ChoiceCombo([(mode.value, THEME_TITLES[mode].replace("&", ""))
                                      for mode in ThemeMode], ctx.theme.mode.value)
        self.theme_box.setAccessibleName("Theme")
        self.theme_box.activated.connect(lambda _i: self._guard(
            ctx.look.set_theme, ThemeMode(str(self.theme_box.value()))))
        self.achievement_button = QPushButton("New custom achievement…")
        self.achievement_button.clicked.connect(self.custom_achievement_requested.emit)
        self.dashboard_button = QPushButton("Open the Dashboard")
        self.dashboard_button.clicked.connect(self.dashboard_requested.emit)
        controls: dict[str, QWidget | None] = {
            ACCENT_COLOUR: self.accent, BACKGROUNDS_PERK: self._narrow(self.background),
            ADVANCED_ANALYTICS: self._narrow(self.dashboard_button),
            SPECIAL_BADGES: self._narrow(self.badge),
            EXTRA_THEMES_PERK: self._narrow(self.theme_box),
            CUSTOM_ACHIEVEMENTS: self._narrow(self.achievement_button)}
        self.rows: dict[str, PerkRow] = {}
        for perk in catalog.PERK_KEYS:
            row = PerkRow(ctx, perk, controls.get(perk))
            self.rows[perk] = row
            layout.addWidget(row)
        layout.addStretch(1)

    @staticmethod
    def _narrow(widget: QWidget) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 2, 0, 0)
        widget.setMinimumWidth(180)
        row.addWidget(widget)
        row.addStretch(1)
        return holder

    def sync(self, total_points: int | None = None) -> None:
        self.accent.sync()
        for combo, value in ((self.background, self.ctx.settings.background),
                             (self.badge, self.ctx.settings.badge_style),
                             (self.theme_box, self.ctx.theme.mode.value)):
            index = combo.findData(value)
            if index >= 0:
                combo.setCurrentIndex(index)
        for row in self.rows.values():
            row.sync(total_points)

    def _guard(self, action: Callable[[T], None], value: T) -> None:
        try:
            action(value)
        except PerkLocked as locked:
            self.status_message.emit(str(locked))
            self.sync()
