"""Settings: the profile's calendar (time zone, day start, daily target, days off),
vacations, notifications and custom event types.

Profile settings and vacations live in the database and change through the controller
(undoable, announced once); a ``ValidationError`` from the core appears under the field
it names. Notifications are the window's own preferences (QSettings) and apply at once.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from datetime import timedelta
from functools import lru_cache, partial
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core import catalog
from ...core.errors import MomentumError, ValidationError
from ...core.services.dto import ProfileDTO
from ..changes import PROFILE, SETTINGS, Change
from ..context import GuiContext
from ..planning_settings import add_planning_switches
from ..settings import TEXT_SCALES, TOAST_KINDS, TOAST_SECONDS
from ..sync_window import sync_card
from ..timefmt import from_qdate, to_qdate
from ..widgets.common import (
    NO_MARGINS,
    SegmentedControl,
    TitledCard,
    clear_layout,
    flat_scroll,
    label,
    never_default,
    primary_button,
    pushed_row,
    spaced,
)
from ..widgets.field_form import FieldForm
from ..widgets.reflow import Reflow
from .base import InPlace, View

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
GAME_CHOICES = (("full", "Full"), ("quiet", "Quiet"), ("off", "Off"))
GAME_HINTS = {
    "full": "Points, levels, streaks, toasts and banners.",
    "quiet": "No toasts or banners; points only on the Dashboard and in the header.",
    "off": "No points, levels, streaks or rewards anywhere. Momentum still keeps track, so "
           "turning the game back on shows your whole history.",
}


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    return tuple(sorted(name for name in zoneinfo.available_timezones()
                        if "/" in name or name == "UTC"))


def zone_combo() -> QComboBox:
    """An editable list of IANA zones that completes on any part ("berl" → Europe/Berlin)."""
    box = QComboBox()
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.addItems(zone_names())
    completer = QCompleter(list(zone_names()), box)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    box.setCompleter(completer)
    return box


def form_card(title: str, note: str = "") -> tuple[TitledCard, FieldForm]:
    """A card holding a form whose errors appear at their fields (or in its banner)."""
    card = TitledCard(title, note)
    banner = label("", "banner-error", wrap=True)
    banner.setVisible(False)
    card.body.addWidget(banner)
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    form.setHorizontalSpacing(14)
    form.setVerticalSpacing(10)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    card.body.addLayout(form)
    return card, FieldForm(form, banner)


class DaysOffPicker(QWidget):
    """Seven toggle buttons, Monday to Sunday."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = spaced(QHBoxLayout(self), 0, NO_MARGINS)
        self.buttons: list[QPushButton] = []
        for index, name in enumerate(WEEKDAY_NAMES):
            button = QPushButton(name)
            button.setCheckable(True)
            never_default(button)
            button.setProperty("role", "segment")
            button.setProperty("first", index == 0)
            button.setProperty("last", index == 6)
            button.setAccessibleName(f"Day off: {name}")
            button.toggled.connect(lambda _on: self.changed.emit())
            self.buttons.append(button)
            row.addWidget(button)
        row.addStretch(1)
        self.setFocusProxy(self.buttons[0])

    def value(self) -> str:
        """``"sat,sun"`` — the form ``profiles.update(days_off=…)`` takes."""
        return ",".join(catalog.WEEKDAYS[i] for i, b in enumerate(self.buttons) if b.isChecked())

    def set_value(self, days: tuple[str, ...]) -> None:
        for index, button in enumerate(self.buttons):
            button.setChecked(catalog.WEEKDAYS[index] in days)


class SettingsView(View):
    scopes = frozenset({PROFILE, SETTINGS})

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.title = self.add_title("Settings")
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 6, 6)
        # Two columns while they fit, one below the other when narrow or with large text.
        self.cards = Reflow((self._profile_card(), self._notification_card(),
                             self._vacation_card(), self._event_card(),
                             self._display_card(),
                             sync_card(self, ctx, self.status_message.emit)), most=2)
        column.addWidget(self.cards)
        column.addStretch(1)
        self.body.addWidget(flat_scroll(content, horizontal=False), 1)

    # -- building --------------------------------------------------------------------------

    def _profile_card(self) -> TitledCard:
        card, self.profile_form = form_card("Profile and calendar", "used by every rule")
        form = self.profile_form
        self.name_edit = QLineEdit()
        form.add_field("name", "&Name", self.name_edit, aliases=("profile",))
        self.zone_box = zone_combo()
        form.add_field("timezone", "&Time zone", self.zone_box)
        self.day_start = QSpinBox()
        self.day_start.setRange(0, 23)
        self.day_start.setSuffix(":00")
        form.add_field("day_start_hour", "&Day starts at", self.day_start)
        self.day_start.setMaximumWidth(120)
        self.target = QSpinBox()
        self.target.setRange(1, 1000)
        self.target.setSuffix(" tasks a day")
        form.add_field("daily_target", "Daily &target", self.target)
        self.target.setMaximumWidth(160)
        self.days_off = DaysOffPicker()
        form.add_field("days_off", "Days &off", self.days_off)
        card.body.addWidget(label("Days off and vacations neither break nor extend a daily "
                                  "streak. A new day starting at night helps night owls.",
                                  "faint", wrap=True))
        self.revert_button = QPushButton("Revert")
        self.revert_button.clicked.connect(self.refresh_now)
        self.save_button = primary_button("Save")
        self.save_button.clicked.connect(self.save_profile)
        card.body.addLayout(pushed_row(self.revert_button, self.save_button, right=True))
        card.body.addStretch(1)
        return card

    def _vacation_card(self) -> TitledCard:
        card, self.vacation_form = form_card("Vacations", "streaks wait for you")
        self.vacation_list = spaced(QVBoxLayout(), 6)
        card.body.insertLayout(1, self.vacation_list)
        today = to_qdate(self.ctx.today())
        self.vacation_from = QDateEdit(today)
        self.vacation_to = QDateEdit(today.addDays(6))
        for edit in (self.vacation_from, self.vacation_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("ddd d MMM yyyy")
        for edit in (self.vacation_from, self.vacation_to):
            edit.setMaximumWidth(210)
        self.vacation_form.add_field("from", "&From", self.vacation_from)
        self.vacation_form.add_field("to", "T&o", self.vacation_to)
        return _with_add_button(card, "Add vacation", self.add_vacation)

    def _notification_card(self) -> TitledCard:
        card = TitledCard("Notifications", "on this computer")
        settings = self.ctx.settings
        game_row = QHBoxLayout()
        game_row.addWidget(label("Game", "h3"))
        self.game_mode = SegmentedControl(GAME_CHOICES, "full", "Gamification mode")
        self.game_mode.changed.connect(self.set_game_mode)
        game_row.addWidget(self.game_mode)
        game_row.addStretch(1)
        card.body.addLayout(game_row)
        self.game_hint = label(GAME_HINTS["full"], "faint", wrap=True)
        card.body.addWidget(self.game_hint)
        card.body.addWidget(label("Show a toast for", "muted"))
        self.toast_boxes: dict[str, QCheckBox] = {}
        for kind, text in TOAST_KINDS:
            box = QCheckBox(text)
            box.setChecked(kind in settings.toast_kinds)
            box.toggled.connect(lambda _on: self._save_notifications())
            self.toast_boxes[kind] = box
            card.body.addWidget(box)
        row = QHBoxLayout()
        row.addWidget(label("Keep each toast for", "muted"))
        self.toast_seconds = QSpinBox()
        self.toast_seconds.setRange(*TOAST_SECONDS)
        self.toast_seconds.setSuffix(" s")
        self.toast_seconds.setValue(settings.toast_seconds)
        self.toast_seconds.setAccessibleName("Seconds a toast stays")
        self.toast_seconds.valueChanged.connect(lambda _v: self._save_notifications())
        row.addWidget(self.toast_seconds)
        row.addStretch(1)
        card.body.addLayout(row)
        self.quiet_box = QCheckBox("Quiet during focus sessions (toasts wait until the end)")
        self.quiet_box.setChecked(settings.quiet_during_focus)
        self.quiet_box.toggled.connect(lambda _on: self._save_notifications())
        card.body.addWidget(self.quiet_box)
        self.tray_box, self.autostart_box = add_planning_switches(card.body, self.ctx)
        card.body.addStretch(1)
        return card

    def _display_card(self) -> TitledCard:
        card = TitledCard("Display", "on this computer")
        row = QHBoxLayout()
        caption = label("&Text size", "muted")
        row.addWidget(caption)
        self.text_size = QComboBox()
        self.text_size.setAccessibleName("Text size")
        for factor, name in TEXT_SCALES:
            self.text_size.addItem(f"{name} ({factor:.0%})", factor)
        self.text_size.setCurrentIndex(self.text_size.findData(self.ctx.settings.text_scale))
        self.text_size.currentIndexChanged.connect(
            lambda _index: self.set_text_scale(float(self.text_size.currentData())))
        caption.setBuddy(self.text_size)
        row.addWidget(self.text_size)
        row.addStretch(1)
        card.body.addLayout(row)
        card.body.addWidget(label("Larger text applies at once to every screen; cards move "
                                  "to fewer columns when they no longer fit.", "faint",
                                  wrap=True))
        card.body.addStretch(1)
        return card

    def set_text_scale(self, factor: float) -> None:
        """Text size: stored for next time and applied to the whole window now."""
        self.ctx.settings.text_scale = factor
        self.ctx.theme.set_text_scale(factor)
        self.status_message.emit(f"Text size {factor:.0%}")

    def _event_card(self) -> TitledCard:
        card, self.event_form = form_card("Custom event types", "log anything, earn points")
        card.body.insertWidget(1, label("Scripts log them with “momentum event NAME”; "
                                        "you can log one here too.", "faint", wrap=True))
        self.event_list = spaced(QVBoxLayout(), 6)
        card.body.insertLayout(2, self.event_list)
        self.event_name = QLineEdit()
        self.event_name.setPlaceholderText("gym, pages_read, inbox_zero…")
        self.event_form.add_field("name", "&Name", self.event_name, aliases=("event_type",))
        self.event_points = QSpinBox()
        self.event_points.setRange(0, 10_000)
        self.event_points.setValue(10)
        self.event_points.setSuffix(" points")
        self.event_form.add_field("points", "&Points", self.event_points)
        self.event_points.setMaximumWidth(160)
        return _with_add_button(card, "Add event type", self.add_event_type)

    # -- data ------------------------------------------------------------------------------

    def reload(self) -> None:
        self._show_profile(self.ctx.momentum.profiles.current())
        self._show_vacations()
        self._show_event_types()

    def _show_profile(self, profile: ProfileDTO) -> None:
        self.title.set_subtitle(f"Profile {profile.name}")
        self.profile_form.clear_errors()
        self.name_edit.setText(profile.name)
        self.zone_box.setCurrentText(profile.timezone)
        self.day_start.setValue(profile.day_start_hour)
        self.target.setValue(profile.daily_target)
        self.days_off.set_value(profile.days_off)
        self.game_mode.blockSignals(True)
        self.game_mode.set_value(profile.game_mode)
        self.game_mode.blockSignals(False)
        self.game_hint.setText(GAME_HINTS.get(profile.game_mode, ""))

    def _show_vacations(self) -> None:
        self._fill_list(self.vacation_list, [
            (f"{v.start:%a %d %b %Y} – {v.end:%a %d %b %Y}",
             f"{(v.end - v.start + timedelta(days=1)).days} days", "Delete",
             partial(self.delete_vacation, v.id))
            for v in self.ctx.momentum.profiles.vacations()], "No vacations planned.")

    def _show_event_types(self) -> None:
        self._fill_list(self.event_list, [
            (t.name, f"+{t.points:,} points", "Log now",
             partial(self.log_event, t.name))
            for t in self.ctx.momentum.events.list_types()], "No custom event types yet.")

    def _fill_list(self, layout: QVBoxLayout, rows: list[tuple[str, str, str, Callable[[], Any]]],
                   empty: str) -> None:
        clear_layout(layout)
        if not rows:
            layout.addWidget(label(empty, "faint"))
        for text, note, action, slot in rows:
            holder = QWidget()
            line = QHBoxLayout(holder)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(label(text, "h3"), 1)
            line.addWidget(label(note, "muted"))
            button = QPushButton(action)
            button.setProperty("role", "small")
            button.setAccessibleName(f"{action} {text}")
            button.clicked.connect(lambda _checked=False, run=slot: run())
            line.addWidget(button)
            layout.addWidget(holder)

    # -- actions ---------------------------------------------------------------------------

    def _profile_in_place(self, profile: object, _change: Change) -> bool:
        """The form already shows what was saved: it takes the profile as saved."""
        if not isinstance(profile, ProfileDTO):
            return False
        self._show_profile(profile)
        return True

    def _vacations_in_place(self, _result: object, _change: Change) -> bool:
        self._show_vacations()  # only the list that moved is read again
        return True

    def _event_types_in_place(self, _result: object, _change: Change) -> bool:
        self._show_event_types()
        return True

    def _guarded(self, form: FieldForm, action: Callable[[], object],
                 in_place: InPlace[object] | None = None) -> bool:
        """Run one of this view's changes (:meth:`View.act`); bad input is shown at its
        field in ``form``."""
        form.clear_errors()
        try:
            self.act(action, in_place)
        except ValidationError as exc:
            form.show_error(exc.field, exc.message)
            return False
        except MomentumError as exc:
            form.show_error("", str(exc))
            return False
        return True

    def save_profile(self) -> bool:
        saved = self._guarded(self.profile_form, lambda: self.ctx.controller.update_profile(
            name=self.name_edit.text(), timezone=self.zone_box.currentText().strip(),
            day_start_hour=self.day_start.value(), daily_target=self.target.value(),
            days_off=self.days_off.value()), self._profile_in_place)
        if saved:
            self.status_message.emit("Settings saved. Ctrl+Z undoes it.")
        return saved

    def set_game_mode(self, mode: str) -> bool:
        """Full, quiet or off for this profile (undoable, like the other settings)."""
        saved = self._guarded(self.profile_form,
                              lambda: self.ctx.controller.update_profile(game_mode=mode),
                              self._profile_in_place)
        if saved:
            self.game_hint.setText(GAME_HINTS.get(mode, ""))
            self.status_message.emit(f"Game: {dict(GAME_CHOICES)[mode].lower()}. "
                                     "Ctrl+Z undoes it.")
        return saved

    def add_vacation(self) -> bool:
        first, last = from_qdate(self.vacation_from.date()), from_qdate(self.vacation_to.date())
        added = self._guarded(self.vacation_form,
                              lambda: self.ctx.controller.add_vacation(first, last),
                              self._vacations_in_place)
        if added:
            self.status_message.emit(f"Vacation added: {first:%d %b} – {last:%d %b}")
        return added

    def delete_vacation(self, vacation_id: int) -> None:
        self._guarded(self.vacation_form,
                      lambda: self.ctx.controller.delete_vacation(vacation_id),
                      self._vacations_in_place)

    def add_event_type(self) -> bool:
        added = self._guarded(self.event_form, lambda: self.ctx.controller.add_event_type(
            self.event_name.text(), self.event_points.value()), self._event_types_in_place)
        if added:
            self.event_name.clear()
        return added

    def log_event(self, name: str) -> None:
        # the points move (the header, Today, Dashboard reload); nothing shown here does
        self._guarded(self.event_form, lambda: self.ctx.controller.log_event(name))

    def _save_notifications(self) -> None:
        settings = self.ctx.settings
        settings.toast_kinds = frozenset(k for k, box in self.toast_boxes.items()
                                         if box.isChecked())
        settings.toast_seconds = self.toast_seconds.value()
        settings.quiet_during_focus = self.quiet_box.isChecked()

    def focus_content(self) -> None:
        self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)


def _with_add_button(card: TitledCard, text: str, add: Callable[[], object]) -> TitledCard:
    """The card with an "Add …" button at the right of its last row, then room."""
    button = QPushButton(text)
    button.clicked.connect(add)
    card.body.addLayout(pushed_row(button, right=True))
    card.body.addStretch(1)
    return card
