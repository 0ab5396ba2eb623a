"""Exports (SPEC §9): CSV tables, a JSON backup, an iCalendar file, report-card figures.

Each is a plain function over a :class:`~..services.Momentum` with an optional
``progress(stage, done, total)`` callback and ``should_cancel()`` check, so the window
can run it on a worker thread; files are written atomically (a cancelled or failed export
leaves nothing behind). The PDF drawing itself lives outside the core, in
:mod:`momentum_app.reports.pdf` (Qt), fed by :func:`.report.build_report`.

The names below are loaded on first use (a module ``__getattr__``, as in
:mod:`..imports`): an importer needs only :mod:`.common`, and importing this package must
not load every exporter and the iCalendar library (~0.1 s of the ``import`` command's
start, issue #18 item 5).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: Each public name → the module of this package (or the core) that defines it, and its
#: name there.
_LAZY = {
    "EXPORTS": ("..export_formats", "EXPORTS"), "FORMATS": ("..export_formats", "NAMES"),
    "FORMAT": (".backup", "FORMAT"), "VERSION": (".backup", "VERSION"),
    "export_json": (".backup", "export_json"), "Cancelled": (".common", "Cancelled"),
    "Feedback": (".common", "Feedback"), "export_csv": (".csv_export", "export_csv"),
    "neutralise": (".csv_export", "neutralise"), "export_ics": (".ics", "export_ics"),
    "ReportCard": (".report", "ReportCard"), "build_report": (".report", "build_report"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attribute = _LAZY[name]
        value = getattr(import_module(module, __name__), attribute)
        globals()[name] = value  # looked up once
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["EXPORTS", "FORMAT", "FORMATS", "VERSION", "Cancelled", "Feedback", "ReportCard",
           "build_report", "export_csv", "export_ics", "export_json", "neutralise"]

__all__ = ["EXPORTS", "FORMAT", "FORMATS", "VERSION", "Cancelled", "Feedback", "ReportCard",
           "build_report", "export_csv", "export_ics", "export_json", "neutralise"]
