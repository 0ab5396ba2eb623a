"""File ▸ Import… previews before it writes (issue 18): counts per kind, what is skipped
and why, duplicates in the file; then Import writes it in one transaction. Every format
is offered, a second import of the same file previews as "already here", a cancelled
preview or import writes nothing, and the preview is rendered in light and dark."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from momentum_app.core.imports import FORMATS
from momentum_app.gui.dialogs.transfer import IMPORT_FORMATS, ImportDialog
from momentum_app.gui.theme import ThemeMode

pytestmark = pytest.mark.gui

REALISTIC = Path(__file__).parent.parent / "io" / "realistic"
#: Set to a folder to keep the rendered previews (they are always rendered and checked).
SHOTS = os.environ.get("MOMENTUM_PREVIEW_SHOTS")


def _dump(path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


def _dialog(gui, qtbot, fmt: str, path: Path) -> ImportDialog:
    dialog = ImportDialog(gui.ctx, gui.window)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData(fmt))
    dialog.path.setText(str(path))
    return dialog


def _preview(qtbot, dialog: ImportDialog):
    with qtbot.waitSignal(dialog.previewed, timeout=60_000) as blocker:
        dialog.action_button.click()
    return blocker.args[0]


def test_every_import_format_is_offered():
    assert set(IMPORT_FORMATS) == set(FORMATS)


def test_preview_shows_counts_and_skips_and_writes_nothing_then_import_writes(
        gui, qtbot, database, tmp_path):
    source = REALISTIC / "habitica-user-data.json"
    dialog = _dialog(gui, qtbot, "habitica", source)
    assert dialog.action_button.text() == "Preview"
    before = _dump(database.path)
    result = _preview(qtbot, dialog)
    assert _dump(database.path) == before  # a preview writes nothing
    text = dialog.preview.text()
    assert not dialog.preview.isHidden()
    assert "5 tasks" in text and "1 goal" in text and "2 goal steps" in text
    assert "Habitica habits (no counterpart in Momentum)" in text and "Skipped (3)" in text
    assert "tags of tasks imported as goals" in text  # the checklist to-do's tag
    assert "Nothing has been written yet" in text
    assert result.totals()["added"] == 6
    assert dialog.action_button.text() == "Import 6 items"
    seen = []
    gui.ctx.changes.changed.connect(seen.append)
    with qtbot.waitSignal(dialog.finished_job, timeout=60_000):
        dialog.action_button.click()
    titles = {t.title for t in gui.momentum.items.list_tasks(status="all")}
    assert {"Morning run 🏃", "Tidy the desk", "Buy a birthday present"} <= titles
    assert len(seen) == 1  # one change, one refresh

    again = _dialog(gui, qtbot, "habitica", source)  # the same file a second time
    _preview(qtbot, again)
    assert "already here" in again.preview.text()
    assert "importing changes nothing" in again.preview.text()
    assert again.action_button.text() == "Import (nothing new)"


def test_duplicates_in_the_file_are_shown(gui, qtbot, tmp_path):
    task = {"uuid": "11111111-1111-4111-8111-111111111111", "description": "Once",
            "status": "pending", "entry": "20260101T090000Z"}
    source = tmp_path / "tw.json"
    source.write_text(json.dumps([task, {**task, "description": "Once, again"}]),
                      encoding="utf-8")
    dialog = _dialog(gui, qtbot, "taskwarrior", source)
    _preview(qtbot, dialog)
    assert "Duplicates" in dialog.preview.text()


def test_changing_the_file_asks_for_a_new_preview(gui, qtbot, tmp_path):
    source = tmp_path / "todo.txt"
    source.write_text("Call the bank\n", encoding="utf-8")
    dialog = _dialog(gui, qtbot, "todotxt", source)
    _preview(qtbot, dialog)
    assert dialog.action_button.text() == "Import 1 item"
    other = tmp_path / "other.txt"
    other.write_text("A\nB\n", encoding="utf-8")
    dialog.path.setText(str(other))
    assert dialog.action_button.text() == "Preview" and dialog.preview.isHidden()
    dialog.format.setCurrentIndex(dialog.format.findData("json"))
    assert dialog.action_button.text() == "Import"  # a backup restores whole: no preview


def test_a_cancelled_import_writes_nothing(gui, qtbot, database, tmp_path):
    source = REALISTIC / "TickTick-backup.csv"
    dialog = _dialog(gui, qtbot, "ticktick", source)
    _preview(qtbot, dialog)
    before = _dump(database.path)
    original = dialog.run_job

    def cancelled(state, params):
        state.cancel.set()  # Cancel pressed on the progress dialog
        return original(state, params)

    dialog.run_job = cancelled
    dialog.action_button.click()
    qtbot.waitUntil(lambda: not gui.ctx.worker.busy, timeout=30_000)
    qtbot.waitUntil(lambda: "Cancelled" in dialog.banner.text(), timeout=10_000)
    assert _dump(database.path) == before
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()


@pytest.mark.parametrize("mode", [ThemeMode.LIGHT, ThemeMode.DARK])
def test_the_preview_renders_in_both_themes(gui, qtbot, tmp_path, mode):
    gui.ctx.theme.set_mode(mode) if hasattr(gui.ctx.theme, "set_mode") else \
        gui.window.window_actions.theme_actions[mode].trigger()
    dialog = _dialog(gui, qtbot, "ticktick", REALISTIC / "TickTick-backup.csv")
    dialog.show()
    qtbot.waitExposed(dialog)
    _preview(qtbot, dialog)
    button = dialog.action_button
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert button.width() >= button.sizeHint().width()  # the longer caption fits
    assert not button.geometry().intersects(cancel.geometry())
    image = dialog.grab().toImage()
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    assert image.save(str(folder / f"import-preview-{mode.value}.png"))
    assert dialog.preview.height() > 80 and dialog.preview.width() > 300
    background = image.pixelColor(5, 5).lightness()
    assert (background > 128) == (mode is ThemeMode.LIGHT)
