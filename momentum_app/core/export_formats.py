"""The export formats, in one place (issue 15, item 6): what the command line's
``export --format`` offers, what the window's Export dialog lists, and the function that
writes each, like the imports' ``PARSERS``.

An entry names its writer as ``"module:function"`` and imports it only when an export of
that format runs: listing the formats (``momentum export --help``, the dialog's combo box)
loads neither SQLAlchemy nor icalendar nor, for the PDF, Qt. The PDF writer lives outside
the core (:mod:`momentum_app.reports.pdf`, it draws with Qt); the core only names it.

Adding a format is one entry here (and its writer): the command line's choices and the
window's list follow (``tests/io/test_export_registry.py``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import ValidationError


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its ``--format`` name, the window's label and its writer."""

    name: str
    label: str
    #: ``"module:function"``: called as ``function(app, out, **options)``.
    writer: str
    #: Writes a folder of files (CSV's tables), not one file.
    folder: bool = False
    #: Takes a period (``start``/``end``; ``--from``/``--to``); the others are always whole.
    dated: bool = False
    #: Can write every profile (``all_profiles``; ``--all-profiles``).
    every_profile: bool = True
    #: The file name the window's save dialog suggests (a folder format: none).
    file_name: str = ""
    #: The window's file-dialog filter, e.g. ``"PDF (*.pdf)"``.
    file_filter: str = ""

    def load(self) -> Callable[..., Any]:
        """The writer, imported now (the first export of this format pays for it)."""
        module, _, function = self.writer.partition(":")
        return getattr(importlib.import_module(module), function)  # type: ignore[no-any-return]

    def run(self, app: Any, out: Any, *, start: Any = None, end: Any = None,
            all_profiles: bool = False, **options: Any) -> Any:
        """Write the export: the period and ``all_profiles`` are passed to the writers
        that take them; ``options`` (a format's own, and the progress hooks) as given."""
        if self.dated:
            options.update(start=start, end=end)
        if self.every_profile:
            options["all_profiles"] = all_profiles
        return self.load()(app, out, **options)


_EXPORTS = "momentum_app.core.exports"

#: Every format, in the command line's order (``--format`` choices).
EXPORTS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("csv", "Spreadsheet tables (CSV, a folder)",
                 f"{_EXPORTS}.csv_export:export_csv", folder=True, dated=True),
    ExportFormat("json", "Full backup (JSON)", f"{_EXPORTS}.backup:export_json",
                 file_name="momentum.json", file_filter="JSON (*.json)"),
    ExportFormat("ics", "Calendar (ICS)", f"{_EXPORTS}.ics:export_ics", dated=True,
                 file_name="momentum.ics", file_filter="iCalendar (*.ics)"),
    ExportFormat("pdf", "Report card (PDF)", "momentum_app.reports.pdf:export_pdf",
                 dated=True, every_profile=False, file_name="momentum.pdf",
                 file_filter="PDF (*.pdf)"),
    ExportFormat("todotxt", "todo.txt", f"{_EXPORTS}.task_formats:export_todotxt",
                 file_name="todo.txt", file_filter="Text (*.txt)"),
    ExportFormat("taskwarrior", "Taskwarrior (task import)",
                 f"{_EXPORTS}.task_formats:export_taskwarrior",
                 file_name="taskwarrior.json", file_filter="JSON (*.json)"),
)}
#: The ``--format`` names (those registered when this module was loaded).
NAMES = tuple(EXPORTS)


def get(name: str) -> ExportFormat:
    """The format called ``name``; an unknown one is a ``format`` error."""
    try:
        return EXPORTS[name]
    except KeyError:
        raise ValidationError("format", f"must be one of {', '.join(EXPORTS)}, "
                                        f"got {name!r}") from None
