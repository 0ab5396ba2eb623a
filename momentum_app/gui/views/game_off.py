"""The page a game view shows while the profile's game is off (SPEC v2 §11)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from ..context import GuiContext
from ..widgets.common import EmptyState
from .base import View


class GameOffView(View):
    """What a game view shows while the game is off: a neutral page, no figures."""

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("GameOff")
        self.notice = EmptyState(
            ctx.theme, "fa5s.leaf", "The game is switched off",
            "Points, levels, streaks and rewards are hidden for this profile. Momentum "
            "still keeps track, so turning the game back on shows your whole history.")
        self.body.addWidget(self.notice, 1)
        self.settings_button = QPushButton("Open Settings")
        self.settings_button.setAccessibleName("Open Settings to turn the game on")
        self.settings_button.clicked.connect(self._open_settings)
        column = self.notice.layout()
        assert isinstance(column, QVBoxLayout)
        column.insertSpacing(column.count() - 1, 8)
        column.insertWidget(column.count() - 1, self.settings_button, 0,
                            Qt.AlignmentFlag.AlignHCenter)

    def _open_settings(self) -> None:
        show = getattr(self.window(), "show_view", None)
        if show is not None:
            show("settings", focus=True)
