"""Reminders on a real D-Bus session bus (SPEC v2 §12).

The test starts its own ``dbus-daemon`` and notification server (tests/gui/
dbus_notification_server.py), points the app at it, moves the injected clock to the
reminder's time and checks what the app sent; then it presses Done or Snooze on the
server and checks the task was completed or the reminder snoozed. Nothing sleeps: the
scheduler's timer is armed from the clock and the test waits on signals with a timeout.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from dbus_notification_server import NotificationServer, session_bus
from momentum_app.core.catalog import Kind
from momentum_app.gui import reminders
from momentum_app.gui.app import Composition
from momentum_app.gui.notify import DBusNotifier

UTC = timezone.utc
pytestmark = pytest.mark.gui


@pytest.fixture
def bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, NotificationServer]]:
    with session_bus() as address:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        server = NotificationServer(address)
        try:
            yield address, server
        finally:
            server.stop()


@pytest.fixture
def installed() -> Iterator[list[reminders.ReminderScheduler]]:
    made: list[reminders.ReminderScheduler] = []
    yield made
    for scheduler in made:  # before the bus goes away
        scheduler.stop()
        scheduler.notifier.close()


def _scheduler(gui: Composition, address: str, made: list[reminders.ReminderScheduler]
               ) -> reminders.ReminderScheduler:
    scheduler = reminders.install(gui.ctx, gui.window, address)
    made.append(scheduler)
    return scheduler


def test_a_due_reminder_is_sent_and_done_completes_the_task(gui, bus, clock, qtbot, installed) -> None:
    address, server = bus
    app = gui.momentum
    task = app.items.add_task("Call the bank", due="2026-01-05T15:00", remind=["30m"])
    scheduler = _scheduler(gui, address, installed)
    assert isinstance(scheduler.notifier, DBusNotifier)
    assert server.notifications() == []  # nothing due yet
    assert scheduler.timer.isActive()
    assert 0 < scheduler.timer.remainingTime() <= 2.5 * 3600 * 1000  # armed for 14:30
    clock.instant = datetime(2026, 1, 5, 14, 30, tzinfo=UTC)
    with qtbot.waitSignal(scheduler.shown, timeout=5000):
        scheduler.arm()  # the clock moved: the timer fires at once
    qtbot.waitUntil(lambda: len(server.notifications()) == 1, timeout=5000)
    [sent] = server.notifications()
    assert sent.app_name == "Momentum" and sent.summary == "Call the bank"
    assert "2026-01-05 at 15:00" in sent.body
    assert sent.action_keys == ["default", "done", "snooze-10m", "snooze-1h",
                                "snooze-tomorrow"]
    assert sent.replaces_id == 0 and sent.timeout == -1
    assert app.planning.due_now() == []  # shown once
    server.invoke(1, "done")
    qtbot.waitUntil(lambda: app.items.get(Kind.TASK, task.id).status == "done", timeout=5000)
    assert gui.controller.undo_stack.count() >= 1  # completed through the controller
    assert app.reads.progress().total_points > 0


def test_snooze_from_the_notification_shows_it_again_later(gui, bus, clock, qtbot, installed) -> None:
    address, server = bus
    app = gui.momentum
    app.items.add_task("Stretch", remind=["2026-01-05T12:00"])
    scheduler = _scheduler(gui, address, installed)  # due at start: a missed-reminders summary
    qtbot.waitUntil(lambda: len(server.notifications()) == 1, timeout=5000)
    [summary] = server.notifications()
    assert summary.summary == "1 reminder while Momentum was closed"
    assert "Stretch" in summary.body
    app.items.add_task("Water", remind=["2026-01-05T12:05"])
    clock.instant += timedelta(minutes=5)
    with qtbot.waitSignal(scheduler.shown, timeout=5000):
        scheduler.arm()
    qtbot.waitUntil(lambda: len(server.notifications()) == 2, timeout=5000)
    server.invoke(2, "snooze-10m")
    qtbot.waitUntil(lambda: bool(app.planning.upcoming()), timeout=5000)
    [again] = app.planning.upcoming()
    assert again.task == "Water" and again.at == clock.instant + timedelta(minutes=10)
    clock.instant += timedelta(minutes=10)
    with qtbot.waitSignal(scheduler.shown, timeout=5000):
        scheduler.arm()
    qtbot.waitUntil(lambda: len(server.notifications()) == 3, timeout=5000)
    assert server.notifications()[2].summary == "Water"


def test_missed_reminders_are_one_summary_at_start(gui, bus, clock, qtbot, installed) -> None:
    address, server = bus
    app = gui.momentum
    for title in ("A", "B", "C"):
        app.items.add_task(title, remind=["2026-01-05T08:00"])
    _scheduler(gui, address, installed)
    qtbot.waitUntil(lambda: len(server.notifications()) == 1, timeout=5000)
    [summary] = server.notifications()
    assert summary.summary == "3 reminders while Momentum was closed"
    assert summary.body.splitlines() == ["• A", "• B", "• C"]
    assert app.planning.due_now() == []


def test_without_a_notification_service_the_tray_message_is_used(gui, clock, qtbot,
                                                                  monkeypatch,
                                                                  installed) -> None:
    with session_bus() as address:  # a bus, but nobody owns org.freedesktop.Notifications
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        gui.momentum.items.add_task("Pay", remind=["2026-01-05T11:00"])
        scheduler = _scheduler(gui, address, installed)
        assert not isinstance(scheduler.notifier, DBusNotifier)
        assert [b.summary for b in scheduler.notifier.sent] == [
            "1 reminder while Momentum was closed"]
