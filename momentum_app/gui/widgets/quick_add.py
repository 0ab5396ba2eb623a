"""The quick-add field (SPEC v2 §12): one line, and chips for what was recognised.

While the person types, the core's parser (``planning.parse_quick_add``, the one the CLI's
``momentum add`` uses) reads the line; every recognised token is shown as a chip under
the field ("#Home", "Tomorrow", "17:00", "every Sunday", "!3"). Each chip has a × that
switches its token off: the words then stay in the title. Enter emits ``submitted`` with
the text and the switched-off tokens. Parsing a line takes microseconds, so it runs on
every key press, on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QToolButton, QVBoxLayout, QWidget

from ...core.errors import ValidationError
from ..theme import ThemeManager

if TYPE_CHECKING:
    from ...core.quickadd import QuickAdd, Token

#: Chip icons by token kind (qtawesome names drawn by the theme).
KIND_ICONS = {"project": "fa5s.folder", "tag": "fa5s.tag", "complexity": "fa5s.signal",
              "date": "fa5s.calendar-day", "time": "fa5s.clock", "repeat": "fa5s.redo",
              "remind": "fa5s.bell"}
KIND_NAMES = {"project": "project", "tag": "tag", "complexity": "complexity",
              "date": "due date", "time": "due time", "repeat": "repeat",
              "remind": "reminder"}


class QuickAddField(QWidget):
    """A line edit with a row of removable chips below it."""

    submitted = Signal(str, list)  # text, switched-off token texts

    def __init__(self, parse: Callable[[str, list[str]], QuickAdd], theme: ThemeManager,
                 placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parse = parse
        self._theme = theme
        self.kept: list[str] = []
        self.parsed: QuickAdd | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.edit = QLineEdit()
        self.edit.setObjectName("QuickAdd")
        self.edit.setPlaceholderText(placeholder)
        self.edit.setClearButtonEnabled(True)
        self.edit.setToolTip("Type a task: #Project @tag !1–!5, a date (tomorrow, fri, dec 5), "
                             "a time (5pm, 17:30), a repeat (every mon), remind 30m. Words in "
                             "\"quotes\" stay as they are.")
        layout.addWidget(self.edit)
        self.chip_row = QHBoxLayout()
        self.chip_row.setContentsMargins(2, 0, 0, 0)
        self.chip_row.setSpacing(6)
        self.chip_row.addStretch(1)
        layout.addLayout(self.chip_row)
        self.chips: list[QToolButton] = []
        self.edit.textChanged.connect(self._on_text)
        self.edit.returnPressed.connect(self._submit)
        theme.changed.connect(lambda _tokens: self.refresh())

    def _on_text(self, text: str) -> None:
        # tokens switched off stay off only while they are still in the line
        self.kept = [k for k in self.kept if k.lower() in text.lower()]
        self.refresh()

    def refresh(self) -> None:
        text = self.edit.text()
        try:
            self.parsed = self._parse(text, self.kept) if text.strip() else None
        except ValidationError:
            self.parsed = None
        self._show_chips(self.parsed.tokens if self.parsed else ())

    def _show_chips(self, tokens: tuple[Token, ...]) -> None:
        for chip in self.chips:
            self.chip_row.removeWidget(chip)
            chip.deleteLater()
        self.chips = []
        for position, token in enumerate(tokens):
            chip = QToolButton()
            chip.setProperty("chip", token.kind)
            chip.setText(f"{token.label}  ×")
            chip.setIcon(self._theme.icon(KIND_ICONS.get(token.kind, "fa5s.tag"), "accent"))
            chip.setStyleSheet(self._chip_style())
            chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            chip.setToolTip(f"Recognised {KIND_NAMES.get(token.kind, token.kind)} "
                            f"“{token.text}” — click to keep it as text")
            chip.setAccessibleName(f"{KIND_NAMES.get(token.kind, token.kind)} {token.label}, "
                                   "remove")
            chip.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            chip.clicked.connect(lambda _c=False, t=token.text: self.switch_off(t))
            self.chip_row.insertWidget(position, chip)
            self.chips.append(chip)

    def _chip_style(self) -> str:
        tokens = self._theme.tokens
        return (f"QToolButton {{ background: {tokens.accent_soft}; color: {tokens.text}; "
                f"border: 1px solid {tokens.accent_soft}; border-radius: 11px; "
                f"padding: 2px 10px 2px 8px; }}"
                f"QToolButton:hover {{ border-color: {tokens.accent}; }}"
                f"QToolButton:focus {{ border: 2px solid {tokens.accent}; }}")

    def switch_off(self, token_text: str) -> None:
        """Keep a token as title text (the chip's ×)."""
        self.kept.append(token_text)
        self.refresh()
        self.edit.setFocus()

    def chip_labels(self) -> list[str]:
        return [chip.text().removesuffix("  ×") for chip in self.chips]

    def _submit(self) -> None:
        if self.edit.text().strip():
            self.submitted.emit(self.edit.text(), list(self.kept))

    def clear(self) -> None:
        self.kept = []
        self.edit.clear()
