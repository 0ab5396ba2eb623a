"""Input widgets the editors share: optional date, complexity picker, repeat rule, choices."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from ...core import catalog
from ...core.services.validation import REPEAT_ALIASES
from ..timefmt import from_qdate, to_qdate
from ..widgets.common import never_default

REPEAT_CHOICES: tuple[tuple[str, str], ...] = (
    ("", "Does not repeat"), ("daily", "Every day"), ("weekdays", "Every weekday"),
    ("weekly", "Every week"), ("biweekly", "Every two weeks"), ("monthly", "Every month"),
    ("yearly", "Every year"),
)
COMPLEXITY_WORDS = {1: "Trivial", 2: "Easy", 3: "Medium", 4: "Hard", 5: "Epic"}


def complexity_text(level: int) -> str:
    """What the complexity dots mean ("Complexity 3 of 5 · Medium · ×1.5 points")."""
    multiplier = catalog.complexity_multiplier(level).normalize()
    return f"Complexity {level} of 5 · {COMPLEXITY_WORDS.get(level, '')} · ×{multiplier} points"


class CheckedEditor(QWidget):
    """A check box (``caption``, read out as ``accessible``) that enables ``editor``
    beside it; unchecked means no value. The check box takes the focus."""

    def __init__(self, caption: str, accessible: str, editor: QWidget, checked: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.enabled_box = QCheckBox(caption)
        self.enabled_box.setAccessibleName(accessible)
        self.enabled_box.setChecked(checked)
        editor.setEnabled(checked)
        self.enabled_box.toggled.connect(editor.setEnabled)
        layout.addWidget(self.enabled_box)
        layout.addWidget(editor, 1)
        self.setFocusProxy(self.enabled_box)


class OptionalDateEdit(CheckedEditor):
    """A check box ("Due", "Target") that enables a date picker; unchecked means no date."""

    def __init__(self, caption: str, value: date | None, default: date,
                 parent: QWidget | None = None) -> None:
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.date_edit.setDate(to_qdate(value or default))
        self.date_edit.setAccessibleName(f"{caption} date")
        self.date_edit.setMinimumDate(QDate(1900, 1, 1))
        super().__init__(caption, f"Has a {caption.lower()} date", self.date_edit,
                         value is not None, parent)

    def value(self) -> date | None:
        return from_qdate(self.date_edit.date()) if self.enabled_box.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.enabled_box.setChecked(value is not None)
        if value is not None:
            self.date_edit.setDate(to_qdate(value))


class ComplexityPicker(QWidget):
    """Five buttons, 1 (trivial) to 5 (epic), with the points multiplier beside them."""

    changed = Signal(int)

    def __init__(self, value: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self._group = QButtonGroup(self)
        for level in range(catalog.MIN_COMPLEXITY, catalog.MAX_COMPLEXITY + 1):
            button = QPushButton(str(level))
            button.setCheckable(True)
            never_default(button)
            button.setProperty("role", "segment")
            button.setProperty("first", level == catalog.MIN_COMPLEXITY)
            button.setProperty("last", level == catalog.MAX_COMPLEXITY)
            button.setFixedWidth(38)
            button.setAccessibleName(f"Complexity {level}: {COMPLEXITY_WORDS[level]}")
            button.setToolTip(COMPLEXITY_WORDS[level])
            self._group.addButton(button, level)
            layout.addWidget(button)
        self.hint = QLabel()
        self.hint.setProperty("role", "muted")
        layout.addSpacing(12)
        layout.addWidget(self.hint, 1)
        self._group.idClicked.connect(self._on_pick)
        self.set_value(value)

    def value(self) -> int:
        return max(catalog.MIN_COMPLEXITY, self._group.checkedId())

    def set_value(self, value: int) -> None:
        button = self._group.button(value)
        if button is not None:
            button.setChecked(True)
        self._update_hint()

    def _on_pick(self, value: int) -> None:
        self._update_hint()
        self.changed.emit(value)

    def _update_hint(self) -> None:
        level = self.value()
        multiplier = catalog.complexity_multiplier(level)
        self.hint.setText(f"{COMPLEXITY_WORDS[level]} · ×{multiplier.normalize()} points")


class RepeatCombo(QComboBox):
    """Friendly repeat choices; typing an RFC 5545 rule (``FREQ=…``) works too."""

    def __init__(self, rule: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for alias, text in REPEAT_CHOICES:
            self.addItem(text, alias)
        self.set_rule(rule)

    def set_rule(self, rule: str | None) -> None:
        if not rule:
            self.setCurrentIndex(0)
            return
        alias = next((a for a, r in REPEAT_ALIASES.items() if r == rule.upper()), None)
        index = self.findData(alias) if alias else -1
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(rule)

    def rule(self) -> str | None:
        """The rule to store: a known choice's RRULE, or what was typed (validated later)."""
        text = self.currentText().strip()
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        alias = str(self.itemData(index)) if index >= 0 else text
        if not alias:
            return None
        return REPEAT_ALIASES.get(alias.lower(), alias)


class ChoiceCombo(QComboBox):
    """A combo box of (value, text) choices with typed access to the chosen value."""

    def __init__(self, choices: Sequence[tuple[object, str]], current: object,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for value, text in choices:
            self.addItem(text, value)
        index = self.findData(current)
        self.setCurrentIndex(index if index >= 0 else 0)

    def value(self) -> object:
        return self.currentData()
