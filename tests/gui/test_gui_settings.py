"""Settings: validation errors appear at their field; saves are undoable; notifications
preferences decide which toasts show and for how long; custom event types."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from momentum_app.core.catalog import Kind
from momentum_app.gui.changes import ItemRef
from momentum_app.gui.settings import UiSettings, settings_at
from momentum_app.gui.timefmt import to_qdate

pytestmark = pytest.mark.gui


def test_an_unknown_time_zone_is_shown_at_its_field(gui, qtbot):
    view = gui.window.show_view("settings")
    view.zone_box.setCurrentText("Mars/Olympus_Mons")
    assert view.save_profile() is False
    form = view.profile_form
    assert "unknown time zone" in form.error_text("timezone").lower()
    assert view.zone_box.property("invalid") is True and view.zone_box.hasFocus()
    assert form.error_text("days_off") == "" and form.banner_text() == ""
    assert gui.momentum.profiles.current().timezone == "UTC"  # nothing written


def test_seven_days_off_is_refused_at_the_days_off_field(gui):
    view = gui.window.show_view("settings")
    for button in view.days_off.buttons:
        button.setChecked(True)
    assert view.save_profile() is False
    assert view.profile_form.error_text("days_off")
    assert gui.momentum.profiles.current().days_off == ()


def test_saving_settings_is_undoable(gui, qtbot):
    view = gui.window.show_view("settings")
    view.zone_box.setCurrentText("Europe/Berlin")
    view.day_start.setValue(4)
    view.target.setValue(5)
    view.days_off.buttons[6].setChecked(True)
    assert view.save_profile() is True
    profile = gui.momentum.profiles.current()
    assert (profile.timezone, profile.day_start_hour, profile.daily_target,
            profile.days_off) == ("Europe/Berlin", 4, 5, ("sun",))
    assert gui.ctx.profile_time().tz_name == "Europe/Berlin"
    qtbot.keyClick(gui.window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    profile = gui.momentum.profiles.current()
    assert (profile.timezone, profile.day_start_hour, profile.daily_target,
            profile.days_off) == ("UTC", 0, 3, ())
    assert view.zone_box.currentText() == "UTC" and view.target.value() == 3


def test_vacations_validate_at_the_field_and_undo(gui, qtbot):
    view = gui.window.show_view("settings")
    view.vacation_from.setDate(to_qdate(date(2026, 2, 10)))
    view.vacation_to.setDate(to_qdate(date(2026, 2, 1)))
    assert view.add_vacation() is False
    assert "before" in view.vacation_form.error_text("to")
    view.vacation_to.setDate(to_qdate(date(2026, 2, 14)))
    assert view.add_vacation() is True
    assert [(v.start, v.end) for v in gui.momentum.profiles.vacations()] == [
        (date(2026, 2, 10), date(2026, 2, 14))]
    assert view.vacation_form.error_text("to") == ""
    qtbot.keyClick(gui.window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert gui.momentum.profiles.vacations() == []
    qtbot.keyClick(gui.window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert len(gui.momentum.profiles.vacations()) == 1


def test_toast_preferences_choose_what_shows_and_for_how_long(gui, ui_settings_path):
    view = gui.window.show_view("settings")
    shown = []
    gui.window.toasts.shown.connect(shown.append)
    view.toast_boxes["points"].setChecked(False)
    view.toast_seconds.setValue(9)
    stored = UiSettings(settings_at(ui_settings_path))
    assert "points" not in stored.toast_kinds and stored.toast_seconds == 9
    task = gui.controller.add_task("Second")
    first = gui.controller.add_task("First")
    gui.controller.complete(ItemRef(Kind.TASK, first.id))  # First Step achievement: shown
    assert [m.text for m in shown] == ["+25 points · Achievement unlocked: First Step +10"]
    assert gui.window.toasts._timer.interval() == 9000  # noqa: SLF001
    gui.window.toasts.dismiss()
    gui.controller.complete(ItemRef(Kind.TASK, task.id))  # points only: not shown
    assert len(shown) == 1


def test_custom_event_types_add_at_the_field_and_log(gui):
    view = gui.window.show_view("settings")
    view.event_name.setText("   ")
    assert view.add_event_type() is False
    assert view.event_form.error_text("name")
    view.event_name.setText("gym")
    view.event_points.setValue(40)
    assert view.add_event_type() is True
    assert [t.to_json() for t in gui.momentum.events.list_types()] == [
        {"name": "gym", "points": 40}]
    view.event_name.setText("gym")
    assert view.add_event_type() is False and "already exists" in view.event_form.error_text(
        "name")
    view.log_event("gym")
    assert gui.window.header.total_points == 40


def test_window_preferences_round_trip_and_refuse_unknown_names(tmp_path):
    """The table of preferences on UiSettings: flags and names read back from the INI
    file; a name outside a setting's choices is refused and not written; a stored one
    that is unknown (a newer version's, an edited file) reads as the default."""
    path = tmp_path / "ui.ini"
    stored = UiSettings(settings_at(path))
    assert (stored.quiet_during_focus, stored.welcomed) == (True, False)
    assert (stored.schedule_mode, stored.background, stored.badge_style) == \
        ("week", "plain", "classic")
    stored.quiet_during_focus, stored.welcomed = False, True
    stored.schedule_mode, stored.badge_style, stored.last_view = "day", "shield", "goals"
    with pytest.raises(ValueError, match="unknown badge style 'blob'"):
        stored.badge_style = "blob"
    with pytest.raises(ValueError, match="unknown schedule mode 'year'"):
        stored.schedule_mode = "year"
    stored.store.sync()
    again = UiSettings(settings_at(path))
    assert (again.quiet_during_focus, again.welcomed) == (False, True)
    assert (again.schedule_mode, again.badge_style, again.last_view) == \
        ("day", "shield", "goals")
    again.store.setValue("perks/background", "marble")
    assert again.background == "plain"
