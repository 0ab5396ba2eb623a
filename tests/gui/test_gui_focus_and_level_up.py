"""Focus sessions on an injected clock (never sleeping), quiet toasts while focused, and the
level-up banner that never blocks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from momentum_app.core.catalog import Kind
from momentum_app.gui.changes import ItemRef
from momentum_app.gui.widgets.focus_timer import countdown_text

pytestmark = pytest.mark.gui


def add_slot(gui, minutes: int = 25):
    start = gui.momentum.clock.now()
    return gui.controller.add_slot("Write the essay", start, start + timedelta(minutes=minutes))


def test_countdown_text():
    assert countdown_text(0) == "00:00" and countdown_text(65) == "01:05"
    assert countdown_text(3600 + 125) == "1:02:05"


def test_a_focus_session_counts_down_on_the_clock_and_completes_the_slot(gui, clock):
    window = gui.window
    slot = add_slot(gui, 25)
    ref = ItemRef(Kind.SLOT, slot.id)
    assert window.start_focus(ref) is True
    assert window.focus_bar.isVisible()
    assert window.focus_bar.time_label.text() == "25:00"
    clock.advance(timedelta(minutes=10, seconds=30))
    window.focus.tick()
    assert window.focus_bar.time_label.text() == "14:30"
    assert window.focus_bar.progress.value() == 420
    assert gui.momentum.items.get(Kind.SLOT, slot.id).status == "open"
    clock.advance(timedelta(minutes=15))
    window.focus.tick()  # time is up: completed through the controller
    assert not window.focus.active and not window.focus_bar.isVisible()
    assert gui.momentum.items.get(Kind.SLOT, slot.id).status == "done"
    assert gui.controller.undo_stack.undoText() == "Complete “Write the essay”"
    assert window.header.total_points > 0
    assert "Focus session complete" in window.statusBar().currentMessage()


def test_toasts_wait_until_a_quiet_session_ends(gui, clock):
    window = gui.window
    assert gui.ctx.settings.quiet_during_focus
    shown = []
    window.toasts.shown.connect(shown.append)
    slot = add_slot(gui, 30)
    window.start_focus(ItemRef(Kind.SLOT, slot.id))
    task = gui.controller.add_task("Reply to Sam")
    gui.controller.complete(ItemRef(Kind.TASK, task.id))  # during the session
    assert shown == [] and window.toasts.pending == 1
    clock.advance(timedelta(minutes=31))
    window.focus.tick()
    assert len(shown) == 1  # one toast for everything that waited, and the slot
    assert "First Step" in shown[0].text and window.toasts.pending == 0


def test_stopping_a_session_keeps_the_slot_open(gui, qtbot):
    window = gui.window
    gui.ctx.settings.quiet_during_focus = False
    slot = add_slot(gui)
    window.start_focus(ItemRef(Kind.SLOT, slot.id))
    assert not window.toasts.held
    qtbot.mouseClick(window.focus_bar.stop_button, Qt.MouseButton.LeftButton)
    assert not window.focus.active
    assert gui.momentum.items.get(Kind.SLOT, slot.id).status == "open"
    assert "still open" in window.statusBar().currentMessage()


def test_done_early_completes_now_and_the_tray_shows_the_countdown(gui, monkeypatch, clock):
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    window = gui.window
    slot = add_slot(gui, 50)
    window.start_focus(ItemRef(Kind.SLOT, slot.id))
    assert window.tray is not None and window.tray.isVisible()
    clock.advance(timedelta(minutes=5))
    window.focus.tick()
    assert window.tray.toolTip() == "Focus: Write the essay · 45:00 left"
    window.focus_bar.done_button.click()
    assert gui.momentum.items.get(Kind.SLOT, slot.id).status == "done"
    assert not window.tray.isVisible()


def test_switching_profile_ends_the_session(gui):
    gui.momentum.profiles.add("Sam", timezone="UTC")
    slot = add_slot(gui)
    gui.window.start_focus(ItemRef(Kind.SLOT, slot.id))
    gui.controller.switch_profile("Sam")
    assert not gui.window.focus.active and not gui.window.toasts.held


def test_only_an_open_time_slot_can_be_focused(gui):
    window = gui.window
    task = gui.controller.add_task("Not a slot")
    assert window.start_focus(ItemRef(Kind.TASK, task.id)) is False
    assert window.start_focus() is False  # nothing selected
    slot = add_slot(gui)
    gui.controller.complete(ItemRef(Kind.SLOT, slot.id))
    assert window.start_focus(ItemRef(Kind.SLOT, slot.id)) is False
    assert not window.focus.active


def test_the_today_focus_button_picks_todays_open_slot(gui):
    slot = add_slot(gui)
    today = gui.window.show_view("today")
    today.focus_button.click()
    assert gui.window.focus.state is not None and gui.window.focus.state.ref.id == slot.id


def test_the_level_up_banner_never_blocks(gui, grant, qtbot):
    window = gui.window
    today = window.show_view("today")
    today.quick_add.setFocus()
    qtbot.keyClicks(today.quick_add, "Keep typing")
    grant(gui, 100)  # level 2
    banner = window.banner
    assert banner.isVisible() and banner.level == 2 and banner.title == "Apprentice"
    assert banner.detail == "New perk: custom accent colour"
    assert QApplication.activeModalWidget() is None
    assert banner.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    assert banner.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert today.quick_add.hasFocus()
    qtbot.keyClicks(today.quick_add, " on")
    assert today.quick_add.text() == "Keep typing on"
    assert banner.remaining_ms > 0  # it goes away by itself
    banner._timer.setInterval(10)  # noqa: SLF001 (shorten the wait, keep the mechanism)
    banner._timer.start()  # noqa: SLF001
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=2000)


def test_a_level_up_during_a_quiet_session_waits_for_its_end(gui, grant, clock):
    window = gui.window
    slot = add_slot(gui, 20)
    window.start_focus(ItemRef(Kind.SLOT, slot.id))
    grant(gui, 100)
    assert not window.banner.isVisible()
    window.focus_bar.stop_button.click()
    assert window.banner.isVisible() and window.banner.level == 2


def test_undo_and_reopen_do_not_celebrate(gui, grant, qtbot):
    grant(gui, 90)
    task = gui.controller.add_task("Last ten")
    gui.controller.complete(ItemRef(Kind.TASK, task.id))  # 25 points: level 2
    assert gui.window.banner.isVisible()
    gui.window.banner.dismiss()
    qtbot.keyClick(gui.window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not gui.window.banner.isVisible()
