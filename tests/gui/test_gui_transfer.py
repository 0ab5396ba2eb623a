"""File ▸ Export… and Import…: the work runs off the UI thread, errors land at the field,
a report card unlocks show_and_tell, a bad file changes nothing, Cancel writes nothing."""

from __future__ import annotations

import sqlite3

import pytest

from momentum_app.core.catalog import Kind
from momentum_app.gui.dialogs.transfer import ExportDialog, ImportDialog

pytestmark = pytest.mark.gui


def _pick(dialog, fmt: str, path) -> None:
    dialog.format.setCurrentIndex(dialog.format.findData(fmt))
    dialog.path.setText(str(path))


def _dump(path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


def test_a_missing_file_is_shown_at_its_field(gui, qtbot):
    dialog = ExportDialog(gui.ctx, gui.window)
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.error_text("path").lower() == "choose a file"


def test_csv_export_writes_the_three_tables_in_the_background(gui, qtbot, tmp_path):
    task = gui.momentum.items.add_task("Exported")
    gui.momentum.items.complete(Kind.TASK, task.id)
    dialog = ExportDialog(gui.ctx, gui.window)
    qtbot.addWidget(dialog)
    folder = tmp_path / "export"
    folder.mkdir()
    _pick(dialog, "csv", folder)
    with qtbot.waitSignal(dialog.finished_job, timeout=30_000):
        dialog.accept()
    assert sorted(p.name for p in folder.iterdir()) == [
        "daily_stats.csv", "ledger.csv", "tasks.csv"]
    assert "Exported" in (folder / "tasks.csv").read_text(encoding="utf-8")


def test_a_report_card_unlocks_show_and_tell_with_a_toast(gui, qtbot, tmp_path):
    dialog = ExportDialog(gui.ctx, gui.window)
    qtbot.addWidget(dialog)
    _pick(dialog, "pdf", tmp_path / "report.pdf")
    seen = []
    gui.ctx.changes.changed.connect(seen.append)
    with qtbot.waitSignal(dialog.finished_job, timeout=60_000):
        dialog.accept()
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    [change] = seen
    assert change.announce and [a.id for a in change.outcome.achievements] == ["show_and_tell"]


def test_a_bad_import_is_shown_and_changes_nothing(gui, qtbot, tmp_path, database):
    bad = tmp_path / "todo.json"
    bad.write_text('[{"description": "ok", "status": "pending"}, {"status": ', encoding="utf-8")
    before = _dump(database.path)
    dialog = ImportDialog(gui.ctx, gui.window)
    qtbot.addWidget(dialog)
    _pick(dialog, "taskwarrior", bad)
    dialog.accept()
    qtbot.waitUntil(lambda: not gui.ctx.worker.busy, timeout=30_000)
    assert dialog.result() == 0  # not accepted: the error is shown, the dialog stays
    shown = dialog.banner.text() + dialog.error_text("path")
    assert "line" in shown
    assert _dump(database.path) == before


def test_todo_txt_import_adds_tasks_and_refreshes_once(gui, qtbot, tmp_path):
    source = tmp_path / "todo.txt"
    source.write_text("(A) Call the bank +Home\nx 2026-01-02 Renew passport\n", encoding="utf-8")
    dialog = ImportDialog(gui.ctx, gui.window)
    qtbot.addWidget(dialog)
    _pick(dialog, "todotxt", source)
    seen = []
    gui.ctx.changes.changed.connect(seen.append)
    with qtbot.waitSignal(dialog.previewed, timeout=30_000):
        dialog.accept()  # first a preview (issue 18), then the import
    with qtbot.waitSignal(dialog.finished_job, timeout=30_000):
        dialog.accept()
    titles = {t.title for t in gui.momentum.items.list_tasks(status="all")}
    assert {"Call the bank +Home", "Renew passport"} <= titles  # todo.txt words stay in place
    assert len(seen) == 1


def test_cancel_writes_nothing(gui, qtbot, tmp_path):
    dialog = ExportDialog(gui.ctx, gui.window)
    qtbot.addWidget(dialog)
    _pick(dialog, "json", tmp_path / "backup.json")
    state_holder = []
    original = dialog.run_job

    def cancelled_job(state, params):
        state.cancel.set()  # the user pressed Cancel before the first row
        state_holder.append(state)
        return original(state, params)

    dialog.run_job = cancelled_job
    dialog.accept()
    qtbot.waitUntil(lambda: not gui.ctx.worker.busy, timeout=30_000)
    assert state_holder and "Cancelled" in dialog.banner.text()
    assert not (tmp_path / "backup.json").exists()


def test_undo_after_an_import_takes_it_back_and_says_so(gui, qtbot, tmp_path):
    """Issue 15: the import is one entry of the core's history; the window's Undo takes
    the whole import back and the status bar names it."""
    source = tmp_path / "todo.txt"
    source.write_text("(A) Call the bank +Home\nx 2026-01-02 Renew passport\n", encoding="utf-8")
    before = {t.title for t in gui.momentum.items.list_tasks(status="all")}
    dialog = ImportDialog(gui.ctx, gui.window)
    qtbot.addWidget(dialog)
    _pick(dialog, "todotxt", source)
    with qtbot.waitSignal(dialog.previewed, timeout=30_000):
        dialog.accept()
    seen = []
    gui.ctx.changes.changed.connect(seen.append)
    with qtbot.waitSignal(dialog.finished_job, timeout=30_000):
        dialog.accept()
    assert gui.window.statusBar().currentMessage().endswith(
        "— Ctrl+Z undoes the whole import")
    stack = gui.ctx.controller.undo_stack
    assert stack.undoText() == "Import todotxt: 2 tasks"
    assert seen[-1].command is stack.handle(gui.momentum.history.status().undo_id)
    assert gui.ctx.controller.undo()
    assert {t.title for t in gui.momentum.items.list_tasks(status="all")} == before
    assert gui.window.statusBar().currentMessage() == "Undid: Import todotxt: 2 tasks"
    assert stack.redoText() == "Import todotxt: 2 tasks"
