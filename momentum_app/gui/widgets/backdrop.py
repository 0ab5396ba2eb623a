"""The views' stack with a subtle background behind every screen (the backgrounds perk).

Patterns are painted in theme colours at low contrast, so cards and text stay readable:
plain, a soft gradient, dots, a grid, waves. The Levels screen offers them from level 3;
below it the stack is plain (the choice is gated in :mod:`momentum_app.gui.perks`).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import (
    QColor,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QRadialGradient,
)
from PySide6.QtWidgets import QStackedWidget, QWidget

from ..theme import ThemeManager, Tokens


def _faint(colour: str, alpha: int) -> QColor:
    result = QColor(colour)
    result.setAlpha(alpha)
    return result


def paint_pattern(painter: QPainter, width: int, height: int, pattern: str,
                  tokens: Tokens) -> None:
    """Draw ``pattern`` over a ``width`` × ``height`` area (the stack, or a preview swatch)."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if pattern == "gradient":
        wash = QLinearGradient(0, 0, 0, height)
        wash.setColorAt(0, _faint(tokens.accent, 46 if tokens.is_dark else 34))
        wash.setColorAt(0.55, _faint(tokens.accent, 0))
        painter.fillRect(0, 0, width, height, wash)
        glow = QRadialGradient(QPointF(width * 0.92, height * 0.05), max(width, height) * 0.5)
        glow.setColorAt(0, _faint(tokens.xp_end, 40 if tokens.is_dark else 30))
        glow.setColorAt(1, _faint(tokens.xp_end, 0))
        painter.fillRect(0, 0, width, height, glow)
    elif pattern == "dots":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_faint(tokens.text_faint, 60 if tokens.is_dark else 70))
        step = 22
        for x in range(step // 2, width, step):
            for y in range(step // 2, height, step):
                painter.drawEllipse(QPointF(x, y), 1.2, 1.2)
    elif pattern == "grid":
        painter.setPen(QPen(_faint(tokens.text_faint, 34 if tokens.is_dark else 40), 1))
        step = 28
        for x in range(0, width, step):
            painter.drawLine(x, 0, x, height)
        for y in range(0, height, step):
            painter.drawLine(0, y, width, y)
    elif pattern == "waves":
        for index in range(5):
            path = QPainterPath()
            base = height * (0.62 + 0.08 * index)
            amplitude = 16 + 6 * index
            path.moveTo(0, base)
            for x in range(0, width + 24, 24):
                path.lineTo(x, base + amplitude * math.sin(x / (140 + 20 * index) + index))
            path.lineTo(width, height)
            path.lineTo(0, height)
            path.closeSubpath()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_faint(tokens.accent, (12 if tokens.is_dark else 10) + 2 * index))
            painter.drawPath(path)


class BackdropStack(QStackedWidget):
    """A QStackedWidget that paints a background pattern behind its pages."""

    def __init__(self, theme: ThemeManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self.pattern = "plain"
        theme.changed.connect(lambda _tokens: self.update())

    def set_pattern(self, pattern: str) -> None:
        if pattern != self.pattern:
            self.pattern = pattern
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.pattern == "plain":
            return
        painter = QPainter(self)
        paint_pattern(painter, self.width(), self.height(), self.pattern, self._theme.tokens)
        painter.end()
