"""Exports (SPEC §9): CSV tables, a JSON backup, an iCalendar file, report-card figures.

Each is a plain function over a :class:`~..services.Momentum` with an optional
``progress(stage, done, total)`` callback and ``should_cancel()`` check, so the window
can run it on a worker thread; files are written atomically (a cancelled or failed export
leaves nothing behind). The PDF drawing itself lives outside the core, in
:mod:`momentum_app.reports.pdf` (Qt), fed by :func:`.report.build_report`.
"""

from __future__ import annotations

from ..export_formats import EXPORTS
from ..export_formats import NAMES as FORMATS
from .backup import FORMAT, VERSION, export_json
from .common import Cancelled, Feedback
from .csv_export import export_csv, neutralise
from .ics import export_ics
from .report import ReportCard, build_report

__all__ = ["EXPORTS", "FORMAT", "FORMATS", "VERSION", "Cancelled", "Feedback", "ReportCard",
           "build_report", "export_csv", "export_ics", "export_json", "neutralise"]
