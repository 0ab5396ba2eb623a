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

import html
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypedDict

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from ...core import export_formats
from ...core.errors import MomentumError, ValidationError
from ...core.exports.common import Cancelled
from ...core.services.changes import IMPORTED, OpChangesWith, Scope
from ..context import GuiContext
from ..widgets.common import FullHeightLabel, layout_of
from .form import FormDialog

log = logging.getLogger(__name__)

#: The format the Export dialog starts on (the formats: core/export_formats.py).
DEFAULT_EXPORT = "pdf"
IMPORT_FORMATS = {"json": "Momentum backup (JSON)", "taskwarrior": "Taskwarrior (task export)",
                  "todotxt": "todo.txt", "ics": "Calendar (ICS)",
                  "todoist": "Todoist (CSV template or backup zip)",
                  "ticktick": "TickTick (CSV backup)",
                  "google-tasks": "Google Tasks (Takeout Tasks.json)",
                  "habitica": "Habitica (user data JSON)", "csv": "Momentum tasks (CSV)"}
FILE_FILTERS = {"json": "JSON (*.json)", "ics": "iCalendar (*.ics)",
                "taskwarrior": "JSON (*.json)", "todotxt": "Text (*.txt)",
                "todoist": "Todoist (*.csv *.zip)", "ticktick": "CSV (*.csv)",
                "google-tasks": "JSON (*.json)", "habitica": "JSON (*.json)",
                "csv": "CSV (*.csv)"}
#: How a preview names the kinds it counts.
KIND_NAMES = {"tasks": ("task", "tasks"), "goals": ("goal", "goals"),
              "time_slots": ("time slot", "time slots")}
#: At most this many reasons are listed per section of a preview.
PREVIEW_REASONS = 8


class Hooks(TypedDict):
    """An import's or export's progress report and cancel check (core/imports, exports)."""

    progress: Callable[[str, int, int | None], None]
    should_cancel: Callable[[], bool]


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

    def hooks(self) -> Hooks:
        """The keyword arguments every import and export takes to report and to stop."""
        return {"progress": self.progress, "should_cancel": self.should_cancel}


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
        history, footprint = self.ctx.momentum.history, self.footprint(params)
        self.ctx.worker.submit(  # through the core's one door, as every other change
            lambda: history.perform(lambda: self.run_job(state, params), self, footprint),
            self._performed, self._failed)

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

    def footprint(self, params: dict[str, Any]) -> Scope:
        """What the job changes that the undo history does not record (an export
        changes nothing but the points its report card may earn)."""
        return Scope.NONE

    def _performed(self, done: OpChangesWith[Any]) -> None:
        """The job is done: its record goes out through the controller's one path to
        the change signal (when it changed anything), then the dialog handles the job's
        own result."""
        if done.scopes:
            self.ctx.controller.publish(done.record, announce=done.outcome is not None)
        self._succeeded(done.result)

    def _succeeded(self, result: Any) -> None:
        self._finish()
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
        labels = {name: fmt.label for name, fmt in export_formats.EXPORTS.items()}
        super().__init__(ctx, "Export", "Export", labels, self.export, parent)
        self.format.setCurrentIndex(self.format.findData(DEFAULT_EXPORT))
        today = ctx.momentum.clock.now().date()  # the injected clock, not the machine's
        self.start_date = _date_edit(today - timedelta(days=29), "From")
        self.end_date = _date_edit(today, "To")
        self.add_field("from", "From", self.start_date, aliases=("start",))
        self.add_field("to", "To", self.end_date, aliases=("end",))
        self.format.currentIndexChanged.connect(self._sync_period)
        self._sync_period()

    def _sync_period(self) -> None:
        dated = export_formats.get(self.chosen_format).dated  # the others are always whole
        self.start_date.setEnabled(dated)
        self.end_date.setEnabled(dated)

    def browse(self) -> None:
        fmt = export_formats.get(self.chosen_format)
        if fmt.folder:
            chosen = QFileDialog.getExistingDirectory(self, "Export to folder")
        else:
            chosen, _ = QFileDialog.getSaveFileName(self, "Export to", fmt.file_name,
                                                    fmt.file_filter)
        if chosen:
            self.path.setText(chosen)

    def params(self) -> dict[str, Any]:
        return {**super().params(), "start": self.start_date.date().toPython(),
                "end": self.end_date.date().toPython()}

    def export(self, state: JobState, params: dict[str, Any]) -> Any:
        fmt, out, start, end = params["fmt"], params["path"], params["start"], params["end"]
        app = self.ctx.momentum
        hooks = state.hooks()
        if start > end:
            raise ValidationError("from", "must not be after the end of the period")
        return export_formats.get(fmt).run(app, out, start=start, end=end, **hooks)

    def summary(self, result: Any) -> str:
        path = getattr(result, "path", None) or ", ".join(
            str(p) for p in getattr(result, "files", {}).values())
        return f"Exported to {path}"



class ImportDialog(TransferDialog):
    """Import in two steps: **Preview** reads and checks the whole file and shows what the
    import would do — added / updated / unchanged per kind, new projects, what is skipped
    and why, duplicates in the file, what is kept in another shape — without writing;
    **Import** then writes it in one transaction. Both run on the worker with progress and
    Cancel. Changing the format, the file or the points option asks for a new preview. A
    JSON backup has no preview: it restores whole, into its own profiles."""

    previewed = Signal(object)  # the preview's ImportResult, once shown

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Import", "Preview", IMPORT_FORMATS, self.run_import, parent)
        self.award = QCheckBox("Earn points for completed items (replay them as events)")
        self.award.setAccessibleName("Award points")
        self.add_field("award", "", self.award)
        self.preview = FullHeightLabel("preview")
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.preview.setAccessibleName("Preview")
        self.preview.setObjectName("import-preview")
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.setVisible(False)
        self.form.addRow(self.preview)
        self.preview_result: Any = None
        self._previewed_for: tuple[str, str, bool] | None = None
        self.mode = "preview"
        self.format.currentIndexChanged.connect(self._forget_preview)
        self.path.textChanged.connect(self._forget_preview)
        self.award.toggled.connect(self._forget_preview)
        self._forget_preview()

    @property
    def action_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def _key(self) -> tuple[str, str, bool]:
        return (self.chosen_format, self.path.text().strip(), self.award.isChecked())

    def _forget_preview(self) -> None:
        if self._previewed_for is not None and self._previewed_for == self._key():
            return
        self._previewed_for, self.preview_result = None, None
        self.preview.setVisible(False)
        self.preview.clear()
        backup = self.chosen_format == "json"
        self._set_action("Import" if backup else "Preview")

    def _set_action(self, text: str) -> None:
        button = self.action_button
        button.setText(text)
        button.setMinimumWidth(button.sizeHint().width())  # the longer caption fits
        layout_of(self.buttons).activate()  # and the buttons beside it move over now
        layout_of(self).activate()

    def params(self) -> dict[str, Any]:
        return {**super().params(), "award": self.award.isChecked(), "mode": self.mode}

    def submit(self) -> None:
        if not self.path.text().strip():
            raise ValidationError("path", "choose a file")
        ready = self._previewed_for == self._key() or self.chosen_format == "json"
        self.mode = "import" if ready else "preview"
        self.start()

    def run_import(self, state: JobState, params: dict[str, Any]) -> Any:
        from ...core.imports import import_file, preview_file  # noqa: PLC0415

        path = Path(params["path"]).expanduser()
        if not path.is_file():
            raise ValidationError("path", f"no file at {path}")
        hooks = state.hooks()
        if params["mode"] == "preview":
            return preview_file(self.ctx.momentum, params["fmt"], path, **hooks)
        return import_file(self.ctx.momentum, params["fmt"], path, award=params["award"],
                           **hooks)

    def _succeeded(self, result: Any) -> None:
        if not getattr(result, "dry_run", False):
            super()._succeeded(result)
            return
        self._finish()
        self.preview_result = result
        self._previewed_for = self._key()
        self.preview.setText(preview_html(result))
        self.preview.setVisible(True)
        totals = result.totals()
        writes = totals["added"] + totals["updated"]
        self._set_action(f"Import {writes} item{'s' * (writes != 1)}" if writes
                         else "Import (nothing new)")
        self.adjustSize()
        self.previewed.emit(result)

    def summary(self, result: Any) -> str:
        totals = result.totals() if result.changes else {}
        if totals:
            undo = " — Ctrl+Z undoes the whole import" if result.undo_entry else ""
            return (f"Imported: {totals['added']} added, {totals['updated']} updated, "
                    f"{totals['unchanged']} unchanged{undo}")
        counts = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in result.counts.items()
                           if n)
        return f"Imported {counts or 'nothing'}"

    def footprint(self, params: dict[str, Any]) -> Scope:
        """An import may add to every screen (a preview writes nothing)."""
        return Scope.NONE if params["mode"] == "preview" else IMPORTED


def _count(number: int, kind: str) -> str:
    one, many = KIND_NAMES.get(kind, (kind, kind))
    return f"{number} {one if number == 1 else many}"


def _reasons(title: str, reasons: dict[str, int]) -> list[str]:
    if not reasons:
        return []
    ordered = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    lines = [f"<li>{n} × {html.escape(reason)}</li>" for reason, n in ordered[:PREVIEW_REASONS]]
    if len(ordered) > PREVIEW_REASONS:
        lines.append(f"<li>…and {len(ordered) - PREVIEW_REASONS} more</li>")
    return [f"<p><b>{title}</b></p><ul>", *lines, "</ul>"]


def preview_html(result: Any) -> str:
    """A preview as a short rich-text report: what would be added, updated, left alone,
    skipped (with reasons; duplicates in the file among them) and kept differently."""
    rows = []
    for kind, numbers in result.changes.items():
        if not any(numbers.values()):
            continue
        parts = [f"{numbers['added']} new"]
        if numbers.get("updated"):
            parts.append(f"{numbers['updated']} updated")
        if numbers.get("unchanged"):
            parts.append(f"{numbers['unchanged']} already here")
        rows.append(f"<tr><td><b>{_count(sum(numbers.values()), kind)}</b></td>"
                    f"<td>&nbsp;&nbsp;{', '.join(parts)}</td></tr>")
    out = ["<table>", *rows, "</table>"] if rows else ["<p>The file holds nothing to import.</p>"]
    extra = []
    if result.counts.get("goal_steps"):
        extra.append(f"{result.counts['goal_steps']} goal steps")
    if result.counts.get("done"):
        extra.append(f"{result.counts['done']} already done (kept as history)")
    if result.counts.get("projects"):
        extra.append(f"{result.counts['projects']} new project"
                     f"{'s' * (result.counts['projects'] != 1)}")
    if extra:
        out.append(f"<p>With {', '.join(extra)}.</p>")
    totals = result.totals()
    if totals["added"] + totals["updated"] == 0 and totals["unchanged"]:
        out.append("<p>Everything in this file is already here: importing changes nothing.</p>")
    # Duplicates in the file: the generic reason, and a format's own (Taskwarrior's uuid).
    duplicates = {k: n for k, n in result.skipped.items() if "duplicat" in k.lower()}
    if duplicates:
        out.append(f"<p><b>Duplicates:</b> {sum(duplicates.values())} repeated in the file, "
                   f"imported once ({html.escape('; '.join(sorted(duplicates)))}).</p>")
    skipped = {k: n for k, n in result.skipped.items() if k not in duplicates}
    out += _reasons(f"Skipped ({sum(skipped.values())})", skipped)
    out += _reasons("Kept in another shape", result.notices)
    changed = [u for u in result.updated][:PREVIEW_REASONS]
    if changed:
        out.append("<p><b>Updates</b></p><ul>")
        out += [f"<li>{html.escape(u['title'])}: {html.escape(', '.join(u['fields']))}</li>"
                for u in changed]
        out.append("</ul>")
    out.append("<p>Nothing has been written yet.</p>")
    return "".join(out)


def _date_edit(day: date, name: str) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setAccessibleName(name)
    return edit
