"""The level-up celebration: a banner that drops in under the header, sparkles, and goes.

It never blocks: it is a child widget (not a dialog), takes no focus and lets the mouse
through (``WA_TransparentForMouseEvents``), so typing and clicking carry on while it
shows. It hides itself after a few seconds; with animations off it simply appears.
"""

from __future__ import annotations

import math

from PySide6.QtCore import (
    QEasingCurve,
    QParallelAnimationGroup,
    QPoint,
    QPointF,
    QPropertyAnimation,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QLinearGradient, QPainter, QPainterPath, QPaintEvent
from PySide6.QtWidgets import QGraphicsOpacityEffect, QWidget

from ..theme import ThemeManager

WIDTH, HEIGHT = 460, 92
SHOW_MS = 4200
DROP_MS = 420
#: Sparkle positions as fractions of the banner (x, y, size).
SPARKLES = ((0.07, 0.28, 7), (0.14, 0.72, 4), (0.86, 0.24, 6), (0.93, 0.66, 8),
            (0.78, 0.82, 3), (0.22, 0.18, 3))


def star_path(centre: QPointF, size: float) -> QPainterPath:
    path = QPainterPath()
    for index in range(8):
        radius = size if index % 2 == 0 else size * 0.35
        angle = math.radians(45 * index - 90)
        point = centre + QPointF(radius * math.cos(angle), radius * math.sin(angle))
        if index == 0:
            path.moveTo(point)
        else:
            path.lineTo(point)
    path.closeSubpath()
    return path


class LevelUpBanner(QWidget):
    shown = Signal(int)  # the new level
    hidden = Signal()

    def __init__(self, host: QWidget, theme: ThemeManager, *, animations: bool = True,
                 top: int = 0) -> None:
        super().__init__(host)
        self._theme = theme
        self._animations = animations
        self._top = top
        self.level = 0
        self.title = ""
        self.detail = ""
        self.setFixedSize(WIDTH, HEIGHT)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName("Level up")
        self._opacity = QGraphicsOpacityEffect(self)
        self._opacity.setOpacity(1.0)
        self.setGraphicsEffect(self._opacity)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self._animation: QParallelAnimationGroup | None = None
        self.hide()

    def set_top(self, top: int) -> None:
        self._top = top

    def _final_position(self) -> QPoint:
        host = self.parentWidget()
        width = host.width() if host is not None else WIDTH
        return QPoint(max(0, (width - WIDTH) // 2), self._top + 14)

    def celebrate(self, level: int, title: str, perk: str | None) -> None:
        """Show "Level N · Title" (and the perk it unlocks) for a few seconds."""
        self.level, self.title = level, title
        self.detail = f"New perk: {perk}" if perk else "Keep the momentum going"
        self.setAccessibleDescription(f"Level {level} reached: {title}. {self.detail}")
        final = self._final_position()
        self.raise_()
        self.show()
        if self._animation is not None:
            self._animation.stop()
            self._animation = None
        if self._animations:
            drop = QPropertyAnimation(self, b"pos", self)
            drop.setStartValue(final - QPoint(0, 40))
            drop.setEndValue(final)
            drop.setEasingCurve(QEasingCurve.Type.OutBack)
            drop.setDuration(DROP_MS)
            fade = QPropertyAnimation(self._opacity, b"opacity", self)
            fade.setStartValue(0.0)
            fade.setEndValue(1.0)
            fade.setDuration(DROP_MS)
            group = QParallelAnimationGroup(self)
            group.addAnimation(drop)
            group.addAnimation(fade)
            group.start()
            self._animation = group
        else:
            self.move(final)
            self._opacity.setOpacity(1.0)
        self._timer.start(SHOW_MS)
        self.update()
        self.shown.emit(level)

    def dismiss(self) -> None:
        self._timer.stop()
        if self._animation is not None:
            self._animation.stop()
            self._animation = None
        self.hide()
        self.hidden.emit()

    @property
    def remaining_ms(self) -> int:
        return self._timer.remainingTime() if self._timer.isActive() else 0

    def paintEvent(self, _event: QPaintEvent) -> None:
        tokens = self._theme.tokens
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(4, 4, -4, -6)
        for spread in range(1, 5):  # a soft shadow
            shadow = QColor(0, 0, 0, 16 - 3 * spread)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(shadow)
            painter.drawRoundedRect(rect.adjusted(-spread, -spread + 3, spread, spread + 3),
                                    16 + spread, 16 + spread)
        gradient = QLinearGradient(rect.topLeft(), rect.topRight())
        gradient.setColorAt(0, tokens.color("xp_start"))
        gradient.setColorAt(1, tokens.color("xp_end"))
        painter.setBrush(gradient)
        painter.drawRoundedRect(rect, 16, 16)
        painter.setBrush(QColor(255, 255, 255, 210))
        for fx, fy, size in SPARKLES:
            painter.drawPath(star_path(QPointF(rect.left() + rect.width() * fx,
                                               rect.top() + rect.height() * fy), size))
        painter.setPen(QColor(255, 255, 255, 215))
        caption = QFont(self.font())
        caption.setPointSizeF(8)
        caption.setBold(True)
        caption.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 1.6)
        painter.setFont(caption)
        painter.drawText(rect.adjusted(0, 12, 0, 0),
                         Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, "LEVEL UP")
        big = QFont(self.font())
        big.setPointSizeF(16)
        big.setBold(True)
        painter.setFont(big)
        painter.setPen(QColor("#FFFFFF"))
        painter.drawText(rect.adjusted(0, 26, 0, 0),
                         Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                         f"Level {self.level} · {self.title}")
        small = QFont(self.font())
        small.setPointSizeF(9)
        painter.setFont(small)
        painter.setPen(QColor(255, 255, 255, 225))
        painter.drawText(rect.adjusted(0, 0, 0, -11),
                         Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                         self.detail)
        painter.end()
