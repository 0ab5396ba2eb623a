"""One export registry (issue 15, item 6): ``core/export_formats.py`` lists the formats
for the command line and the window alike, and names each writer without importing it.

A format registered there shows up in ``momentum export --help``'s choices and in the
Export dialog's combo box, and exporting it (from either) calls its writer.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from momentum_app.cli import build_parser
from momentum_app.cli_help import deepest_parser
from momentum_app.cli_io import cmd_export
from momentum_app.core import export_formats
from momentum_app.core.errors import ValidationError
from momentum_app.core.export_formats import EXPORTS, ExportFormat
from momentum_app.gui.dialogs.transfer import ExportDialog

pytestmark = pytest.mark.gui

#: A format of this test's own, registered for one test at a time.
NOTES = ExportFormat("notes", "Plain notes (TXT)", f"{__name__}:write_notes",
                     file_name="notes.txt", file_filter="Text (*.txt)")


class NotesResult:
    def __init__(self, path: Path, rows: int) -> None:
        self.path, self.rows = path, rows

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "rows": self.rows}


def write_notes(app: Any, out: str, *, all_profiles: bool = False, **hooks: Any) -> NotesResult:
    """The registered writer: one line a task."""
    titles = [t.title for t in app.items.list_tasks(status="all")]
    Path(out).write_text("\n".join(titles) + "\n", encoding="utf-8")
    return NotesResult(Path(out), len(titles))


@pytest.fixture
def notes_registered(monkeypatch: pytest.MonkeyPatch) -> ExportFormat:
    monkeypatch.setitem(EXPORTS, NOTES.name, NOTES)
    return NOTES


def _export_choices(parser: argparse.ArgumentParser) -> list[str]:
    node = deepest_parser(parser, ["export"])
    [action] = [a for a in node._actions if "--format" in a.option_strings]
    return list(action.choices or ())


def _combo(dialog: ExportDialog) -> list[str]:
    return [dialog.format.itemData(i) for i in range(dialog.format.count())]


def test_the_cli_and_the_window_list_the_registry(gui, qtbot) -> None:
    dialog = ExportDialog(gui.ctx, gui.window)
    qtbot.addWidget(dialog)
    assert _export_choices(build_parser(["export"])) == list(EXPORTS) == _combo(dialog)
    assert [dialog.format.itemText(i) for i in range(dialog.format.count())] == [
        f.label for f in EXPORTS.values()]
    assert dialog.chosen_format == "pdf"  # the window starts on the report card


def test_a_new_entry_shows_up_in_both_and_runs_from_both(gui, qtbot, tmp_path,
                                                         notes_registered) -> None:
    gui.momentum.items.add_task("Water the plants")
    parser = build_parser(["export", "--help"])
    assert "notes" in _export_choices(parser)
    assert "notes" in deepest_parser(parser, ["export"]).format_help()

    dialog = ExportDialog(gui.ctx, gui.window)
    qtbot.addWidget(dialog)
    assert "notes" in _combo(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("notes"))
    assert not dialog.start_date.isEnabled()  # not a dated format: the period is off
    dialog.path.setText(str(tmp_path / "window.txt"))
    with qtbot.waitSignal(dialog.finished_job, timeout=30_000):
        dialog.accept()
    assert (tmp_path / "window.txt").read_text(encoding="utf-8") == "Water the plants\n"

    args = build_parser(["export"]).parse_args(
        ["export", "--format", "notes", "--out", str(tmp_path / "cli.txt")])

    class Printer:
        def emit(self, data: Any, text: Any) -> None:
            self.data = data

    printer = Printer()
    cmd_export(gui.momentum, args, printer)
    assert printer.data == {"exported": {"path": str(tmp_path / "cli.txt"), "rows": 1}}
    assert (tmp_path / "cli.txt").read_text(encoding="utf-8") == "Water the plants\n"


def test_every_writer_resolves_and_takes_what_its_entry_passes() -> None:
    import inspect

    for fmt in EXPORTS.values():
        params = inspect.signature(fmt.load()).parameters
        assert ("start" in params and "end" in params) == fmt.dated, fmt.name
        assert ("all_profiles" in params) == fmt.every_profile, fmt.name
        assert {"progress", "should_cancel"} <= set(params), fmt.name
        assert fmt.folder or fmt.file_filter, fmt.name


def test_an_unknown_format_is_a_format_error() -> None:
    with pytest.raises(ValidationError) as caught:
        export_formats.get("xml")
    assert caught.value.field == "format"


def test_listing_the_formats_loads_no_database_calendar_or_qt_library() -> None:
    code = ("import json, sys; from momentum_app.core import export_formats as e; "
            "assert e.NAMES; print(json.dumps(sorted(m for m in sys.modules "
            "if m.split('.')[0] in ('sqlalchemy', 'icalendar', 'PySide6'))))")
    loaded = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                            text=True).stdout
    assert json.loads(loaded) == []
