"""The task dialog's planning fields (SPEC v2 §12): a due time, tags, both repeat modes.

:class:`RepeatEditor` offers "Does not repeat", "On a schedule" (the friendly choices or
an RRULE) and "After each completion" (N days / weeks / months), with a preview of the
next three dates computed by the core's :func:`momentum_app.core.planning.preview` — the
same function that spawns the occurrences, so the preview cannot disagree with them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QStackedWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ...core import planning
from ...core.errors import ValidationError
from ...core.services import validation as v
from ..widgets.common import label
from .fields import CheckedEditor, RepeatCombo

MODES = (("none", "Does not repeat"), ("schedule", "On a schedule"),
         ("after", "After each completion"))
AFTER_UNITS = (("d", "days"), ("w", "weeks"), ("m", "months"))


class OptionalTimeEdit(CheckedEditor):
    """"At" and a time: a due with a time is overdue after it (unchecked: the whole day)."""

    def __init__(self, value: str | None, parent: QWidget | None = None) -> None:
        self.time_edit = QTimeEdit()
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setAccessibleName("Due time")
        wall = time.fromisoformat(value) if value else time(9, 0)
        self.time_edit.setTime(QTime(wall.hour, wall.minute))
        super().__init__("At", "Has a due time", self.time_edit, value is not None, parent)

    def value(self) -> str | None:
        if not self.enabled_box.isChecked():
            return None
        chosen = self.time_edit.time()
        return f"{chosen.hour():02d}:{chosen.minute():02d}"


def due_value(day: date | None, wall: str | None) -> str | None:
    """What ``add_task``/``edit_task`` take: ``2026-12-01`` or ``2026-12-01T09:00``."""
    if day is None:
        return None
    return f"{day.isoformat()}T{wall}" if wall else day.isoformat()


class TagsEdit(QLineEdit):
    """Tags as words: ``home, errands`` (a leading # or @ is fine)."""

    def __init__(self, tags: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(", ".join(tags), parent)
        self.setPlaceholderText("home, errands")
        self.setAccessibleName("Tags")

    def tags(self) -> list[str]:
        words = self.text().replace(",", " ").split()
        return [w.lstrip("#@") for w in words if w.lstrip("#@")]


class RepeatEditor(QWidget):
    """Both repeat modes, and a preview of the next three dates."""

    changed = Signal()

    def __init__(self, rule: str | None, after: str | None, tz_name: str,
                 start: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz_name = tz_name
        self.start = start
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.mode = QComboBox()
        self.mode.setAccessibleName("Repeat mode")
        for key, text in MODES:
            self.mode.addItem(text, key)
        layout.addWidget(self.mode)
        self.pages = QStackedWidget()
        self.pages.addWidget(QWidget())
        self.schedule = RepeatCombo(rule)
        self.schedule.removeItem(0)  # "Does not repeat" is the mode's own choice
        if rule:
            self.schedule.set_rule(rule)
        self.pages.addWidget(self.schedule)
        after_page = QWidget()
        row = QHBoxLayout(after_page)
        row.setContentsMargins(0, 0, 0, 0)
        self.after_amount = QSpinBox()
        self.after_amount.setRange(1, 999)
        self.after_amount.setAccessibleName("Repeat after how many")
        self.after_unit = QComboBox()
        self.after_unit.setAccessibleName("Repeat after unit")
        for key, text in AFTER_UNITS:
            self.after_unit.addItem(text, key)
        if after:
            self.after_amount.setValue(int(after[:-1]))
            self.after_unit.setCurrentIndex(max(0, self.after_unit.findData(after[-1])))
        else:
            self.after_amount.setValue(1)
            self.after_unit.setCurrentIndex(1)
        row.addWidget(self.after_amount)
        row.addWidget(self.after_unit)
        row.addWidget(label("after each completion", "muted"), 1)
        self.pages.addWidget(after_page)
        layout.addWidget(self.pages)
        self.preview_label = label("", "faint", wrap=True)
        self.preview_label.setAccessibleName("Next dates")
        layout.addWidget(self.preview_label)
        self.mode.setCurrentIndex(2 if after else 1 if rule else 0)
        self.pages.setCurrentIndex(self.mode.currentIndex())
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.schedule.currentTextChanged.connect(self._schedule_changed)
        self.after_amount.valueChanged.connect(lambda _v: self.update_preview())
        self.after_unit.currentIndexChanged.connect(lambda _i: self.update_preview())
        self.update_preview()

    def _mode_changed(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.update_preview()
        self.changed.emit()

    def _schedule_changed(self, text: str) -> None:
        """Choosing or typing a schedule selects that mode."""
        if text.strip() and self.mode.currentData() != "schedule":
            self.mode.setCurrentIndex(1)
        self.update_preview()

    def rule(self) -> str | None:
        return self.schedule.rule() if self.mode.currentData() == "schedule" else None

    def after(self) -> str | None:
        if self.mode.currentData() != "after":
            return None
        return f"{self.after_amount.value()}{self.after_unit.currentData()}"

    def preview_dates(self) -> list[str]:
        """The next three dates as the dialog shows them ("" entries: none)."""
        start = self.start()
        mode = self.mode.currentData()
        if mode == "schedule":
            try:
                rule = v.repeat_rule(self.rule())
            except ValidationError:
                return []
            if rule is None:
                return []
            timed = start.time() != time(0) or planning.rule_has_time(rule)
            found = planning.preview(rule, start, self.tz_name)
            return [f"{d:%a} {d.day} {d:%b}" + (f" {d:%H:%M}" if timed else "") for d in found]
        if mode == "after":
            after = self.after()
            assert after is not None
            delta = planning.after_delta(after)
            days = [start.date() + delta * n for n in (1, 2, 3)]
            return [f"{d:%a} {d.day} {d:%b}" for d in days]
        return []

    def update_preview(self) -> None:
        mode = self.mode.currentData()
        dates = self.preview_dates()
        if mode == "schedule":
            text = ("Next: " + " · ".join(dates)) if dates else (
                "Not a repeat rule yet" if self.schedule.currentText().strip()
                else "Choose how often")
        elif mode == "after":
            text = "If done on the due date: " + " · ".join(dates)
        else:
            text = ""
        self.preview_label.setText(text)
        self.preview_label.setVisible(bool(text))
