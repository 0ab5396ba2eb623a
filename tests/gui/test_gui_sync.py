"""Settings ▸ Sync on the real window: real replica databases and a real folder.

The window's replica is a real database; the other computer is either a second database
with its own services (the code path ``momentum sync`` runs) or the real command line in
a subprocess. Nothing is mocked: the sync runs on the window's worker, the folder is
watched by Qt, timers are injected (no sleeps: ``qtbot.waitUntil``).
"""

from __future__ import annotations

import json
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton

from momentum_app.core.catalog import Kind
from momentum_app.core.clock import FixedClock
from momentum_app.core.db import Database, open_database
from momentum_app.core.services import Momentum
from momentum_app.gui.app import Composition, compose, start_gui
from momentum_app.gui.changes import Change, ItemRef
from momentum_app.gui.settings import settings_at
from momentum_app.gui.sync_window import UNANNOUNCED_KEY, SyncCard, SyncSession
from momentum_app.gui.theme import ThemeMode

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))
from sync_support import cli  # noqa: E402

#: The command line's clock for the other computer (the window's is the fixture's).
LATER = "2026-01-05T13:00:00+00:00"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "Sync"
    path.mkdir()
    return path


def earn(momentum: Momentum, title: str) -> int:
    task = momentum.items.add_task(title, complexity=3)
    before = momentum.reads.progress().total_points
    momentum.items.complete(Kind.TASK, task.id)
    return momentum.reads.progress().total_points - before


def earn_by_cli(db: Path, title: str, folder: Path) -> int:
    """The other computer, through the real command line: a task done, then a sync."""
    added = cli(db, "task", "add", title, "--complexity", "3", "--json", now=LATER).json()
    cli(db, "task", "done", str(added["id"]), now=LATER).ok()
    cli(db, "sync", "--folder", str(folder), now=LATER).ok()
    return int(cli(db, "progress", "--json", now=LATER).json()["total_points"])


def points(composition: Composition) -> int:
    return composition.momentum.reads.progress().total_points


def open_sync(composition: Composition) -> SyncCard:
    composition.window.show_view("settings")
    cards = composition.window.findChildren(SyncCard)
    assert len(cards) == 1
    return cards[0]


def wait_synced(qtbot, session: SyncSession, before: int) -> None:
    qtbot.waitUntil(lambda: session.runs > before and not session.running, timeout=30_000)


def shown_toasts(composition: Composition) -> list[str]:
    shown: list[str] = []
    composition.window.toasts.shown.connect(lambda message: shown.append(message.title))
    return shown


def open_window(database: Database, clock: FixedClock, ini: Path) -> Composition:
    composition = compose(database, clock, settings=settings_at(ini),
                          theme_mode=ThemeMode.LIGHT, animations=False)
    composition.window.resize(1200, 800)
    composition.window.show()
    return composition


def dispose(composition: Composition) -> None:
    composition.close()
    composition.window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


# --- Sync now, the toast, off the UI thread -----------------------------------------------


def test_sync_now_runs_on_the_worker_and_toasts_other_computers_points_once(
        gui, other, folder, qtbot):
    earned = earn(other, "Written on the laptop")
    other.sync.run(folder)
    card = open_sync(gui)
    session = gui.ctx.sync_session
    assert earned > 0
    arrived: list[str] = []
    session.points_arrived.connect(lambda message: arrived.append(message.title))
    shown = shown_toasts(gui)
    card.folder_edit.setText(str(folder))
    before = session.runs
    card.sync_button.click()
    # queued on the worker: the click returned before the sync ran
    assert session.running and card.report_label.text() == "Syncing…"
    assert points(gui) == 0
    wait_synced(qtbot, session, before)
    assert gui.momentum.sync.status().folder == str(folder)  # kept for next time
    assert points(gui) == earned
    assert arrived == [f"+{earned:,} points"]
    qtbot.waitUntil(lambda: shown == [f"+{earned:,} points"], timeout=5_000)  # on screen
    assert "In: " in card.report_label.text() and "Last sync" in card.report_label.text()
    before = session.runs
    card.sync_button.click()  # nothing new: no second toast
    wait_synced(qtbot, session, before)
    assert arrived == [f"+{earned:,} points"]
    assert shown == [f"+{earned:,} points"]


def test_last_sync_is_shown_in_the_profiles_time_and_remembered(gui, folder, qtbot):
    gui.momentum.profiles.update(timezone="Europe/Berlin")  # UTC+1 in January
    gui.ctx.changes.publish(Change.everything())  # the window re-reads the zone
    card = open_sync(gui)
    session = gui.ctx.sync_session
    before = session.runs
    assert session.sync_now(str(folder))
    wait_synced(qtbot, session, before)
    assert "Last sync Mon 05 Jan 13:00" in card.report_label.text()  # noon UTC
    # a new card (the next start) shows the last sync from the database at once
    fresh = SyncCard(gui.ctx, SyncSession(gui.ctx, gui.window), lambda _text: None)
    assert "Last sync Mon 05 Jan 13:00" in fresh.report_label.text()
    assert "Out: " in fresh.report_label.text()


# --- the folder is watched ----------------------------------------------------------------


def test_another_replica_writing_into_the_folder_arrives_without_a_click(
        gui, folder, tmp_path, qtbot):
    """The other computer is the real CLI in a subprocess; the window only watches."""
    session = gui.ctx.sync_session
    session.settle.setInterval(50)  # injected: the settling wait after a burst of writes
    assert session.timer.interval() >= 60_000  # the periodic sync cannot be what syncs
    before = session.runs
    assert session.sync_now(str(folder))
    wait_synced(qtbot, session, before)
    runs = session.runs
    total = earn_by_cli(tmp_path / "laptop.sqlite3", "Done on the laptop", folder)
    assert total > 0
    # the points are in the database a moment before the window counts the finished sync
    qtbot.waitUntil(lambda: points(gui) == total and session.runs > runs
                    and not session.running and not session.settle.isActive(),
                    timeout=30_000)
    assert session.runs == runs + 1  # one sync for that change, not one per file
    # the window's own writes (its next segment) do not start another sync
    gui.controller.add_task("Written here")
    before = session.runs
    assert session.sync_now()
    wait_synced(qtbot, session, before)
    runs = session.runs
    qtbot.waitUntil(lambda: not session.settle.isActive() and not session.running,
                    timeout=5_000)
    gui.ctx.worker.wait()
    QApplication.processEvents()
    assert session.runs == runs


# --- start and close ----------------------------------------------------------------------


def test_the_window_syncs_on_start_and_the_toast_is_not_repeated_after_a_restart(
        tmp_path, folder, qtbot):
    mine, laptop = tmp_path / "mine.sqlite3", tmp_path / "laptop.sqlite3"
    cli(mine, "sync", "--folder", str(folder), now=LATER).ok()  # the folder is set
    total = earn_by_cli(laptop, "Done on the laptop", folder)
    ini = tmp_path / "ui.ini"
    clock = FixedClock(datetime(2026, 1, 5, 14, tzinfo=timezone.utc))
    started = start_gui(str(mine), None, False, settings=settings_at(ini), clock=clock)
    assert not isinstance(started, int)
    try:
        shown = shown_toasts(started)
        qtbot.waitUntil(lambda: points(started) == total, timeout=30_000)  # no click
        qtbot.waitUntil(lambda: shown == [f"+{total:,} points"], timeout=5_000)
    finally:
        started.close()
    again = start_gui(str(mine), None, False, settings=settings_at(ini), clock=clock)
    assert not isinstance(again, int)
    try:
        shown = shown_toasts(again)
        session = again.ctx.sync_session
        wait_synced(qtbot, session, 0)  # the start-up sync ran, and brought nothing new
        again.ctx.worker.wait()
        QApplication.processEvents()
        assert shown == [] and points(again) == total
    finally:
        again.close()


class Gate:
    """A job that holds the window's background worker until released: what queues behind
    it (a sync) waits, and the test knows when the jobs before it have finished."""

    def __init__(self, composition: Composition) -> None:
        self.started = threading.Event()
        self.released = threading.Event()
        composition.ctx.worker.submit(self._hold, lambda _result: None)

    def _hold(self) -> None:
        self.started.set()
        self.released.wait(30)  # never forever, should the test fail before releasing

    def open(self) -> None:
        self.released.set()


def test_closing_during_a_sync_loses_nothing_and_the_close_sync_sends_it(
        database, clock, folder, tmp_path, qtbot):
    """A person's changes never wait for a sync (ops have their own thread), and what
    they did while a sync ran goes out with the last sync at close; the other computer
    (the real CLI) then has it, and both agree on the points.

    Held deterministically: a gate on the window's worker keeps the first sync queued
    while the first task is added and done; a second gate behind the sync tells when the
    sync has read the database, and the second task is made after that (so only the
    close sync can send it), while the worker is still held."""
    composition = open_window(database, clock, tmp_path / "ui.ini")
    gates: list[Gate] = []
    try:
        session = composition.ctx.sync_session
        before = session.runs
        waiting = Gate(composition)
        gates.append(waiting)
        assert session.sync_now(str(folder))
        first = composition.controller.add_task("Added while the sync waits", complexity=2)
        composition.controller.complete(ItemRef(Kind.TASK, first.id))
        # Done at once, though the worker is held and the sync not run yet.
        assert session.running and session.runs == before
        after_sync = Gate(composition)
        gates.append(after_sync)
        waiting.open()
        assert after_sync.started.wait(30)  # the sync has run (its answer may be pending)
        second = composition.controller.add_task("Added after the sync read", complexity=3)
        composition.controller.complete(ItemRef(Kind.TASK, second.id))
        assert composition.ctx.worker.busy  # still held: the op did not wait for it
        mine = points(composition)
        assert mine > 0
    finally:
        for gate in gates:
            gate.open()
        dispose(composition)  # closing at once: the close sync queues behind the gate
    assert session.runs >= before + 2 and not session.running
    laptop = tmp_path / "laptop.sqlite3"
    cli(laptop, "sync", "--folder", str(folder), now=LATER).ok()
    titles = {t["title"]: t["status"] for t in cli(
        laptop, "task", "list", "--status", "all", "--json", now=LATER).json()}
    assert titles == {"Added while the sync waits": "done", "Added after the sync read": "done"}
    assert cli(laptop, "progress", "--json", now=LATER).json()["total_points"] == mine


def test_points_that_arrive_with_the_close_sync_are_announced_at_the_next_start_once(
        database, clock, other, folder, tmp_path, qtbot):
    ini = tmp_path / "ui.ini"
    composition = open_window(database, clock, ini)
    session = composition.ctx.sync_session
    before = session.runs
    assert session.sync_now(str(folder))
    wait_synced(qtbot, session, before)
    earned = earn(other, "Done on the laptop while this window was open")
    other.sync.run(folder)
    shown = shown_toasts(composition)
    session.watcher.blockSignals(True)  # so that only the close sync can bring it
    dispose(composition)
    assert shown == [] and points(composition) == earned
    assert settings_at(ini).value(UNANNOUNCED_KEY) is not None
    for expected in ([f"+{earned:,} points"], []):  # the next start, then the one after
        composition = open_window(database, clock, ini)
        shown = shown_toasts(composition)
        composition.ctx.sync_session.start()
        qtbot.waitUntil(lambda: not composition.ctx.sync_session.running, timeout=30_000)
        composition.ctx.worker.wait()
        QApplication.processEvents()
        assert shown == expected
        dispose(composition)


# --- passphrases --------------------------------------------------------------------------


def sync_and_wait_for_failure(qtbot, card, session) -> str:
    """Press Sync now, wait until that sync has failed; the card's (shown) error text."""
    failures = session.failures
    card.sync_button.click()
    qtbot.waitUntil(lambda: session.failures > failures and not session.running,
                    timeout=30_000)
    assert card.error_label.isVisible()
    return card.error_label.text()

def test_a_typed_passphrase_works_and_a_wrong_one_applies_nothing(gui, other, folder, qtbot):
    earned = earn(other, "Secret")
    other.sync.run(folder, "right horse battery")
    card = open_sync(gui)
    session = gui.ctx.sync_session
    card.folder_edit.setText(str(folder))
    card.passphrase_edit.setText("wrong staple")
    assert card.passphrase_edit.echoMode() == QLineEdit.EchoMode.Password
    text = sync_and_wait_for_failure(qtbot, card, session)
    assert text.startswith("Not synced — passphrase:") and "nothing was applied" in text
    assert "Traceback" not in text
    assert points(gui) == 0 and not gui.momentum.items.list_tasks(status="all")
    assert card.report_label.text() == "Not synced yet."  # the last report stays
    card.passphrase_edit.setText("right horse battery")
    before = session.runs
    card.sync_button.click()
    wait_synced(qtbot, session, before)
    assert not card.error_label.isVisible() and points(gui) == earned
    gui.ctx.settings.store.sync()
    stored = Path(gui.ctx.settings.store.fileName()).read_text()
    assert "right horse" not in stored and "wrong staple" not in stored


def test_wrong_passphrase_file_shows_the_error_and_applies_nothing(gui, other, folder, qtbot,
                                                                   tmp_path):
    earn(other, "Secret")
    other.sync.run(folder, "right horse battery")
    card = open_sync(gui)
    session = gui.ctx.sync_session
    secret = tmp_path / "pass.txt"
    secret.write_text("wrong staple\n")
    card.folder_edit.setText(str(folder))
    card.passphrase_file_edit.setText(str(secret))
    text = sync_and_wait_for_failure(qtbot, card, session)
    assert "passphrase" in text and "Traceback" not in text
    assert points(gui) == 0
    assert gui.momentum.sync.status() is None or not gui.momentum.sync.status().last_sync_at
    # the path is remembered, never the passphrase itself
    assert gui.ctx.settings.store.value("sync/passphrase_file") == str(secret)
    gui.ctx.settings.store.sync()
    stored = Path(gui.ctx.settings.store.fileName()).read_text()
    assert "wrong staple" not in stored


# --- what the folder holds: leftovers, damage, a newer format ------------------------------


def test_conflict_copy_damaged_and_newer_segments_are_shown_in_the_card(
        gui, other, folder, qtbot):
    earned = earn(other, "Whole")
    report = other.sync.run(folder)
    segment = folder / report.replica / "seg-00000001.msync"
    whole = segment.read_bytes()
    (folder / report.replica / "seg-00000001.sync-conflict-20260105-101010-ABCDEFG.msync"
     ).write_bytes(whole)
    segment.write_bytes(whole[: len(whole) // 2])  # half copied by the sync tool
    card = open_sync(gui)
    session = gui.ctx.sync_session

    def sync() -> None:
        before = session.runs
        assert session.sync_now(str(folder))
        wait_synced(qtbot, session, before)

    sync()
    assert "Ignored: " in card.report_label.text()
    assert "Syncthing conflict copy" in card.report_label.text()
    assert card.problems_label.isVisible()
    assert "incomplete" in card.problems_label.text()
    assert "read again at the next sync" in card.problems_label.text()
    assert points(gui) == 0
    lines = whole.decode().split("\n")
    header = json.loads(lines[0])
    header["momentum_sync"] = 99
    segment.write_text("\n".join([json.dumps(header)] + lines[1:]))
    sync()
    assert "newer Momentum" in card.problems_label.text()
    assert "nothing of it was applied" in card.problems_label.text()
    assert points(gui) == 0
    segment.write_bytes(whole)  # the sync tool finished copying
    sync()
    assert not card.problems_label.isVisible() and points(gui) == earned


# --- keyboard and labels ------------------------------------------------------------------


def test_every_control_is_labelled_and_reachable_with_the_keyboard(gui, folder, qtbot):
    card = open_sync(gui)
    controls = card.findChildren(QLineEdit) + card.findChildren(QPushButton)
    assert len(controls) == 6
    for control in controls:
        assert control.accessibleName(), control
        assert control.focusPolicy() & Qt.FocusPolicy.TabFocus, control.accessibleName()
    buddies = {lab.buddy() for lab in card.findChildren(QLabel) if lab.buddy() is not None}
    assert set(card.findChildren(QLineEdit)) <= buddies  # each field has its caption
    order, widget = [], card.folder_edit
    for _ in range(6):
        order.append(widget.accessibleName())
        widget = widget.nextInFocusChain()
        while not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus) or not widget.isVisible():
            widget = widget.nextInFocusChain()
    assert order == ["Sync folder", "Choose sync folder", "Passphrase file",
                     "Choose passphrase file", "Passphrase", "Sync now"]
    session = gui.ctx.sync_session
    card.folder_edit.setText(str(folder))
    card.folder_edit.setFocus()
    before = session.runs
    qtbot.keyClick(card.folder_edit, Qt.Key.Key_Return)  # Enter syncs
    wait_synced(qtbot, session, before)
    assert gui.momentum.sync.status().folder == str(folder)


def test_timer_interval_is_injectable_and_syncs(gui, other, folder, qtbot):
    session = SyncSession(gui.ctx, gui.window, interval_ms=50)
    gui.momentum.sync.run(folder)  # sets the folder
    earned = earn(other, "Later")
    other.sync.run(folder)
    session.start()
    qtbot.waitUntil(lambda: points(gui) == earned, timeout=30_000)
    session.stop()
    QApplication.processEvents()


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_the_sync_screen_with_a_report_cuts_no_text_at_the_minimum_size(qtbot, tmp_path,
                                                                        scale):
    """The screenshot scene (a real sync: points in, a conflict copy, a half-copied
    segment) at the window's minimum size, at normal and 1.5× text."""
    from momentum_app.gui import screenshots  # noqa: PLC0415
    from momentum_app.gui.layout_check import cut_text  # noqa: PLC0415
    from momentum_app.gui.main_window import MINIMUM_SIZE  # noqa: PLC0415
    from momentum_app.gui.settings import UiSettings  # noqa: PLC0415
    from momentum_app.gui.sync_scenes import sync_cleanup, sync_scene  # noqa: PLC0415

    database = open_database(screenshots.make_database(tmp_path, "empty"))
    store = settings_at(tmp_path / "ui.ini")
    UiSettings(store).text_scale = scale
    composition = compose(database, FixedClock(screenshots.SCREENSHOT_NOW), settings=store,
                          theme_mode=ThemeMode.DARK, animations=False)
    try:
        composition.window.show()
        composition.window.resize(*MINIMUM_SIZE)
        qtbot.waitExposed(composition.window)
        sync_scene(composition)
        card = composition.window.findChildren(SyncCard)[0]
        assert "Points from other computers: +" in card.report_label.text()
        assert "Syncthing conflict copy" in card.report_label.text()
        assert "incomplete" in card.problems_label.text()
        assert cut_text(composition.window) == []
    finally:
        sync_cleanup(composition)
        dispose(composition)
        database.close()
