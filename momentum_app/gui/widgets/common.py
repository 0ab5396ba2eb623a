"""Small building blocks shared by the views: labels, cards, segmented buttons, empty states."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..theme import ThemeManager, Tokens

CHIP_HEIGHT = 20


def label(text: str = "", role: str | None = None, *, wrap: bool = False) -> QLabel:
    """A QLabel with a style-sheet role (``h1``, ``h2``, ``muted``, ``caption``, ``chip``…)."""
    widget = QLabel(text)
    if role:
        widget.setProperty("role", role)
    if role and role.startswith("chip"):
        widget.setFixedHeight(CHIP_HEIGHT)  # a pill: the radius is half the height
    widget.setWordWrap(wrap)
    return widget


def set_role(widget: QWidget, role: str) -> None:
    """Change a widget's style role and re-polish it so the style sheet applies."""
    widget.setProperty("role", role)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def set_flag(widget: QWidget, name: str, value: bool) -> None:
    """Set a boolean style property (``invalid``, ``done``…) and re-polish."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def card() -> QFrame:
    frame = QFrame()
    frame.setProperty("card", True)
    return frame


def primary_button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setProperty("role", "primary")
    return button


class SegmentedControl(QWidget):
    """Exclusive choices that look like one control (Open | Done | All; Day | Week)."""

    changed = Signal(str)

    def __init__(self, choices: Sequence[tuple[str, str]], current: str,
                 accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._buttons: dict[str, QPushButton] = {}
        for position, (value, text) in enumerate(choices):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setProperty("role", "segment")
            button.setProperty("first", position == 0)
            button.setProperty("last", position == len(choices) - 1)
            button.setAccessibleName(f"{accessible_name}: {text}")
            button.setChecked(value == current)
            button.clicked.connect(lambda _checked=False, v=value: self._pick(v))
            self._group.addButton(button)
            layout.addWidget(button)
            self._buttons[value] = button
        self._value = current

    @property
    def value(self) -> str:
        return self._value

    def set_value(self, value: str) -> None:
        if value in self._buttons:
            self._buttons[value].setChecked(True)
            self._value = value

    def button(self, value: str) -> QPushButton:
        return self._buttons[value]

    def _pick(self, value: str) -> None:
        if value != self._value:
            self._value = value
            self.changed.emit(value)


class EmptyState(QWidget):
    """A friendly placeholder: an icon, a sentence and a hint of what to do."""

    def __init__(self, theme: ThemeManager, icon: str, title: str, hint: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme, self._icon = theme, icon
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 32, 24, 32)
        layout.setSpacing(8)
        layout.addStretch(1)
        self.icon_label = QLabel()
        self.icon_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title_label = label(title, "h2")
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint_label = label(hint, "muted", wrap=True)
        self.hint_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for widget in (self.icon_label, self.title_label, self.hint_label):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        theme.changed.connect(self._apply_theme)
        self._apply_theme(theme.tokens)

    def set_text(self, title: str, hint: str) -> None:
        self.title_label.setText(title)
        self.hint_label.setText(hint)

    def _apply_theme(self, _tokens: Tokens) -> None:
        self.icon_label.setPixmap(self._theme.icon(self._icon, "text_faint").pixmap(44, 44))


class ViewTitle(QWidget):
    """A view's heading: a large title, a muted subtitle and room for actions on the right."""

    def __init__(self, title: str, subtitle: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        column = QVBoxLayout()
        column.setSpacing(2)
        self.title_label = label(title, "h1")
        self.subtitle_label = label(subtitle, "muted")
        self.subtitle_label.setVisible(bool(subtitle))
        column.addWidget(self.title_label)
        column.addWidget(self.subtitle_label)
        layout.addLayout(column, 1)
        self.actions = QHBoxLayout()
        self.actions.setSpacing(8)
        layout.addLayout(self.actions)

    def set_subtitle(self, text: str) -> None:
        self.subtitle_label.setText(text)
        self.subtitle_label.setVisible(bool(text))
