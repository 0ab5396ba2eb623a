"""File ▸ Export… and Import…: format, file and period, run off the UI thread with a
progress dialog that can cancel.

The work is done by the core's export and import functions (and the Qt report card for
PDF), which take a ``progress(stage, done, total)`` callback and a ``should_cancel()``
check. They run on the window's single worker; progress crosses to the UI thread through
a small shared record read by a timer, and Cancel sets an event the job checks. An import
is one transaction (a cancelled or bad one writes nothing); an export is written under a
temporary name and renamed at the end. A report-card export unlocks `show_and_tell`: its
outcome is announced like any other (a toast).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from ...core.errors import MomentumError, ValidationError
from ...core.exports.common import Cancelled
from ..context import GuiContext
from .form import FormDialog

log = logging.getLogger(__name__)

EXPORT_FORMATS = {"pdf": "Report card (PDF)", "csv": "Spreadsheet tables (CSV, a folder)",
                  "json": "Full backup (JSON)", "ics": "Calendar (ICS)"}
IMPORT_FORMATS = {"json": "Momentum backup (JSON)", "taskwarrior": "Taskwarrior (task export)",
                  "todotxt": "todo.txt", "ics": "Calendar (ICS)"}
FILE_FILTERS = {"pdf": "PDF (*.pdf)", "json": "JSON (*.json)", "ics": "iCalendar (*.ics)",
                "taskwarrior": "JSON (*.json)", "todotxt": "Text (*.txt)"}


@dataclass
class JobState:
    """Shared between the worker thread (writes) and the UI thread (reads)."""

    stage: str = "Starting"
    done: int = 0
    total: int | None = None
    cancel: threading.Event = field(default_factory=threading.Event)

    def progress(self, stage: str, done: int, total: int | None = None) -> None:
        self.stage, self.done, self.total = stage, done, total

    def should_cancel(self) -> bool:
        return self.cancel.is_set()


class TransferDialog(FormDialog):
    """Shared by export and import: a file field, a format, a job with progress."""

    finished_job = Signal(object)  # the job's result, once it succeeded

    def __init__(self, ctx: GuiContext, title: str, action: str, formats: dict[str, str],
                 run_job: Callable[[JobState, dict[str, Any]], Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, title, parent, save_text=action)
        self.run_job = run_job
        self.format = QComboBox()
        for key, caption in formats.items():
            self.format.addItem(caption, key)
        self.format.setAccessibleName("Format")
        self.add_field("format", "Format", self.format)
        self.path = QLineEdit()
        self.path.setAccessibleName("File")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.path, 1)
        line.addWidget(browse)
        self.add_field("path", "File", row, aliases=("out", "file", "backup"))
        self.state: JobState | None = None
        self.progress_dialog: QProgressDialog | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._show_progress)

    @property
    def chosen_format(self) -> str:
        return str(self.format.currentData())

    def browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, self.windowTitle(), "",
                                                FILE_FILTERS.get(self.chosen_format, ""))
        if chosen:
            self.path.setText(chosen)

    def params(self) -> dict[str, Any]:
        return {"fmt": self.chosen_format, "path": self.path.text().strip()}

    def summary(self, result: Any) -> str:
        return "Done"

    def submit(self) -> None:
        if not self.path.text().strip():
            raise ValidationError("path", "choose a file")
        self.start()

    def accept(self) -> None:
        # The job runs in the background; the dialog closes when it has succeeded.
        self.clear_errors()
        try:
            self.submit()
        except ValidationError as exc:
            self.show_error(exc.field, exc.message)

    def start(self) -> None:
        state = self.state = JobState()
        dialog = self.progress_dialog = QProgressDialog(f"{self.windowTitle()}…", "Cancel",
                                                        0, 0, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.canceled.connect(state.cancel.set)
        self.buttons.setEnabled(False)
        self._timer.start()
        params = self.params()  # read on the UI thread; the job only sees plain values
        self.ctx.worker.submit(lambda: self.run_job(state, params), self._succeeded,
                               self._failed)

    def _show_progress(self) -> None:
        if self.state is None or self.progress_dialog is None:
            return
        state = self.state
        self.progress_dialog.setLabelText(f"{state.stage.replace('_', ' ').capitalize()}…")
        if state.total:
            self.progress_dialog.setMaximum(state.total)
            self.progress_dialog.setValue(min(state.done, state.total))

    def _finish(self) -> None:
        self._timer.stop()
        self.buttons.setEnabled(True)
        if self.progress_dialog is not None:
            self.progress_dialog.reset()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _succeeded(self, result: Any) -> None:
        self._finish()
        self.announce(result)
        window = self.parent()
        if window is not None and hasattr(window, "show_status"):
            window.show_status(self.summary(result))
        self.finished_job.emit(result)
        QDialog.accept(self)  # close as accepted (FormDialog.accept would submit again)

    def _failed(self, error: BaseException) -> None:
        self._finish()
        if isinstance(error, Cancelled):
            self.show_error("", "Cancelled: nothing was written.")
        elif isinstance(error, ValidationError):
            self.show_error(error.field, error.message)
        elif isinstance(error, MomentumError | OSError):
            self.show_error("", str(error))
        else:
            log.error("%s failed", self.windowTitle(), exc_info=error)
            self.show_error("", f"Failed: {error!r}")

    def announce(self, result: Any) -> None:
        """Publish what changed (once)."""


class ExportDialog(TransferDialog):
    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Export", "Export", EXPORT_FORMATS, self.export, parent)
        today = ctx.momentum.clock.now().date()  # the injected clock, not the machine's
        self.start_date = _date_edit(today - timedelta(days=29), "From")
        self.end_date = _date_edit(today, "To")
        self.add_field("from", "From", self.start_date, aliases=("start",))
        self.add_field("to", "To", self.end_date, aliases=("end",))
        self.format.currentIndexChanged.connect(self._sync_period)
        self._sync_period()

    def _sync_period(self) -> None:
        dated = self.chosen_format != "json"  # a backup is always whole
        self.start_date.setEnabled(dated)
        self.end_date.setEnabled(dated)

    def browse(self) -> None:
        fmt = self.chosen_format
        if fmt == "csv":
            chosen = QFileDialog.getExistingDirectory(self, "Export to folder")
        else:
            chosen, _ = QFileDialog.getSaveFileName(self, "Export to", f"momentum.{fmt}",
                                                    FILE_FILTERS[fmt])
        if chosen:
            self.path.setText(chosen)

    def params(self) -> dict[str, Any]:
        return {**super().params(), "start": self.start_date.date().toPython(),
                "end": self.end_date.date().toPython()}

    def export(self, state: JobState, params: dict[str, Any]) -> Any:
        fmt, out, start, end = params["fmt"], params["path"], params["start"], params["end"]
        app = self.ctx.momentum
        hooks = {"progress": state.progress, "should_cancel": state.should_cancel}
        if start > end:
            raise ValidationError("from", "must not be after the end of the period")
        if fmt == "csv":
            from ...core.exports.csv_export import export_csv  # noqa: PLC0415

            return export_csv(app, out, start=start, end=end, **hooks)
        if fmt == "json":
            from ...core.exports.backup import export_json  # noqa: PLC0415

            return export_json(app, out, **hooks)
        if fmt == "ics":
            from ...core.exports.ics import export_ics  # noqa: PLC0415

            return export_ics(app, out, start=start, end=end, **hooks)
        from ...reports.pdf import export_pdf  # noqa: PLC0415

        return export_pdf(app, out, start=start, end=end, **hooks)

    def summary(self, result: Any) -> str:
        path = getattr(result, "path", None) or ", ".join(
            str(p) for p in getattr(result, "files", {}).values())
        return f"Exported to {path}"

    def announce(self, result: Any) -> None:
        outcome = getattr(result, "outcome", None)
        if outcome is not None:  # the report card: show_and_tell and its points
            self.ctx.controller.transferred(outcome)


class ImportDialog(TransferDialog):
    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Import", "Import", IMPORT_FORMATS, self.import_file, parent)
        self.award = QCheckBox("Earn points for completed items (replay them as events)")
        self.award.setAccessibleName("Award points")
        self.add_field("award", "", self.award)

    def params(self) -> dict[str, Any]:
        return {**super().params(), "award": self.award.isChecked()}

    def import_file(self, state: JobState, params: dict[str, Any]) -> Any:
        from ...core.imports import import_file  # noqa: PLC0415

        path = Path(params["path"]).expanduser()
        if not path.is_file():
            raise ValidationError("path", f"no file at {path}")
        return import_file(self.ctx.momentum, params["fmt"], path, award=params["award"],
                           progress=state.progress, should_cancel=state.should_cancel)

    def summary(self, result: Any) -> str:
        counts = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in result.counts.items()
                           if n)
        return f"Imported {counts or 'nothing'}"

    def announce(self, result: Any) -> None:
        self.ctx.controller.transferred(imported=True)


def _date_edit(day: date, name: str) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setAccessibleName(name)
    return edit
