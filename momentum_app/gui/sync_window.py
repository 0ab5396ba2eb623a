"""Settings ▸ Sync and the window's own syncing (SPEC v2 §13, docs/SYNC.md).

:class:`SyncSession` runs the core's ``Momentum.sync.run`` — the same rules as
``momentum sync`` — on the window's background worker, so the window never waits: on
start, every few minutes (``interval_ms``, injectable for tests), when the folder changes
(a :class:`QFileSystemWatcher` on the folder and each replica's sub-folder) and on close.
It publishes one refresh after a sync that brought something in and a points toast when
points arrived from another computer (a report counts only what that sync brought, so
each arrival is announced exactly once).

Where things are kept: the folder is the core's (``sync_replica.folder``, the one the
CLI's ``sync`` without ``--folder`` uses). A passphrase is never written anywhere by the
window: either the path of a passphrase *file* (as ``--passphrase-file``) is kept in this
computer's window settings, or a typed passphrase lives in memory until the window closes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from ..core.errors import MomentumError, ValidationError
from ..core.services.sync import SyncReport, read_passphrase
from ..core.sync.segments import REPLICA
from .changes import Change
from .context import GuiContext
from .toast_text import ToastMessage
from .widgets.common import TitledCard, label, primary_button

#: Every five minutes while the window is open.
INTERVAL_MS = 5 * 60 * 1000
#: Changes in the folder come in bursts (a sync tool writes a file, then a manifest).
SETTLE_MS = 700
PASSPHRASE_FILE_KEY = "sync/passphrase_file"


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{v} {k}" for k, v in sorted(counts.items())) or "nothing"


def describe(report: SyncReport, when: datetime) -> list[str]:
    """The lines Settings ▸ Sync shows for a finished sync."""
    lines = [f"Last sync {when:%a %d %b %H:%M:%S}",
             f"In: {_counts(report.received)} · Out: {_counts(report.sent)}"]
    if report.points_arrived:
        lines.append(f"Points from other computers: {report.points_arrived:+,}")
    if report.waiting:
        lines.append(f"Waiting: {report.waiting} change(s) refer to data not received yet")
    lines += [f"Ignored: {note}" for note in report.ignored]
    lines += [f"Problem: {note}" for note in report.problems]
    return lines


class SyncSession(QObject):
    """Runs syncs for the window, one at a time, off the UI thread."""

    #: (report, finished at) after a sync; an error message when one failed.
    synced = Signal(object, object)
    failed = Signal(str)
    points_arrived = Signal(object)  # a ToastMessage

    def __init__(self, ctx: GuiContext, parent: QObject | None = None, *,
                 interval_ms: int = INTERVAL_MS, settle_ms: int = SETTLE_MS) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.typed_passphrase: str | None = None
        self.running = False
        #: Finished syncs and failed ones, counted (status, tests).
        self.runs = 0
        self.failures = 0
        self._again = False
        self.last: tuple[SyncReport, datetime] | None = None
        self.last_error = ""
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(lambda: self.sync_now())
        self.settle = QTimer(self)
        self.settle.setSingleShot(True)
        self.settle.setInterval(settle_ms)
        self.settle.timeout.connect(self._folder_settled)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(lambda _path: self.settle.start())
        self.watcher.fileChanged.connect(lambda _path: self.settle.start())
        self._seen: tuple[tuple[str, int, int], ...] = ()

    # -- settings --------------------------------------------------------------------------

    @property
    def folder(self) -> str:
        status = self.ctx.momentum.sync.status()
        return str(status["folder"]) if status and status["folder"] else ""

    @property
    def passphrase_file(self) -> str:
        return str(self.ctx.settings.store.value(PASSPHRASE_FILE_KEY, "") or "")

    @passphrase_file.setter
    def passphrase_file(self, path: str) -> None:
        self.ctx.settings.store.setValue(PASSPHRASE_FILE_KEY, path)

    def passphrase(self) -> str | None:
        if self.typed_passphrase:
            return self.typed_passphrase
        return read_passphrase(self.passphrase_file or None)

    # -- running ---------------------------------------------------------------------------

    def start(self) -> None:
        """Sync once now, then on the timer and when the folder changes."""
        self.timer.start()
        if self.folder:
            self.sync_now()

    def stop(self) -> None:
        """The last sync at close (the caller waits for the worker)."""
        self.timer.stop()
        self.settle.stop()
        if self.folder:
            self.sync_now()

    def sync_now(self, folder: str | None = None) -> bool:
        """Queue a sync with ``folder`` (default: the last one); False if none is set."""
        target = folder if folder is not None else self.folder
        if not target:
            return False
        if self.running:
            self._again = True
            return True
        try:
            passphrase = self.passphrase()
        except ValidationError as exc:
            self._fail(f"{exc.field}: {exc.message}")
            return False
        self.running = True
        momentum = self.ctx.momentum
        self.ctx.worker.submit(lambda: momentum.sync.run(target, passphrase),
                               self._done, self._error)
        return True

    def _done(self, report: SyncReport) -> None:
        self.running = False
        self.runs += 1
        when = self.ctx.now()
        self.last, self.last_error = (report, when), ""
        self._watch(Path(report.folder), report.replica)
        if report.received or report.points_arrived:
            self.ctx.changes.publish(Change.everything())
        if report.points_arrived:
            self.points_arrived.emit(ToastMessage(
                report.points_arrived, ("earned on another computer",), "fa5s.sync-alt",
                ("dashboard", "today"), sources=(("Synced", report.points_arrived),)))
        self.synced.emit(report, when)
        self._next()

    def _error(self, error: BaseException) -> None:
        self.running = False
        if isinstance(error, ValidationError):
            self._fail(f"{error.field}: {error.message}")
        elif isinstance(error, (MomentumError, OSError)):
            self._fail(str(error))
        else:
            self._fail(f"sync failed: {error}")
        self._next()

    def _fail(self, message: str) -> None:
        self.failures += 1
        self.last_error = message
        self.failed.emit(message)

    def _next(self) -> None:
        if self._again:
            self._again = False
            self.sync_now()

    # -- watching --------------------------------------------------------------------------

    def _others(self, folder: Path, mine: str) -> tuple[tuple[str, int, int], ...]:
        """What the other replicas' sub-folders hold (name, size, mtime)."""
        found: list[tuple[str, int, int]] = []
        try:
            for sub in folder.iterdir():
                if not sub.is_dir() or sub.name == mine or not REPLICA.match(sub.name):
                    continue
                for file in sub.iterdir():
                    stat = file.stat()
                    found.append((f"{sub.name}/{file.name}", stat.st_size, stat.st_mtime_ns))
        except OSError:
            return ()
        return tuple(sorted(found))

    def _watch(self, folder: Path, mine: str, *, baseline: bool = True) -> None:
        self._mine = mine
        wanted = ([str(folder)] + [str(p) for p in folder.iterdir()
                                   if p.is_dir() and REPLICA.match(p.name)]
                  if folder.is_dir() else [])
        stale = [p for p in self.watcher.directories() if p not in wanted]
        if stale:
            self.watcher.removePaths(stale)
        new = [p for p in wanted if p not in self.watcher.directories()]
        if new:
            self.watcher.addPaths(new)
        if baseline:
            self._seen = self._others(folder, mine)

    def _folder_settled(self) -> None:
        """A change in the folder: sync if another computer's files changed (our own
        writes also move the folder; they do not start another sync)."""
        if self.last is None:
            return
        folder = Path(self.last[0].folder)
        self._watch(folder, self._mine, baseline=False)  # a new replica's sub-folder too
        if self._others(folder, self._mine) != self._seen:
            self.sync_now()

    _mine: str = ""


class SyncCard(TitledCard):
    """Settings ▸ Sync: folder, passphrase, Sync now, and what the last sync did."""

    def __init__(self, ctx: GuiContext, session: SyncSession,
                 status: Callable[[str], Any]) -> None:
        super().__init__("Sync", "with your other computers")
        self.session, self._status = session, status
        self.body.addWidget(label(
            "Choose a folder that Syncthing, Nextcloud, Dropbox or a network share keeps "
            "the same on each computer. Momentum writes only its own files there.",
            "faint", wrap=True))
        self.folder_edit = QLineEdit(session.folder)
        self.folder_edit.setPlaceholderText("~/Sync/momentum")
        self.folder_edit.setAccessibleName("Sync folder")
        self.body.addWidget(label("Folder", "muted"))
        self.body.addLayout(self._with_browse(self.folder_edit, self.pick_folder))
        self.body.addWidget(label("Passphrase (optional: encrypts what is in the folder)",
                                  "muted"))
        self.passphrase_file_edit = QLineEdit(session.passphrase_file)
        self.passphrase_file_edit.setPlaceholderText("a file whose first line is the "
                                                     "passphrase")
        self.passphrase_file_edit.setAccessibleName("Passphrase file")
        self.body.addLayout(self._with_browse(self.passphrase_file_edit,
                                              self.pick_passphrase_file))
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setPlaceholderText("or type it (kept until the window closes)")
        self.passphrase_edit.setAccessibleName("Passphrase")
        self.body.addWidget(self.passphrase_edit)
        self.body.addWidget(label("A typed passphrase is never saved. A passphrase file is "
                                  "remembered by its path only; keep the file private.",
                                  "faint", wrap=True))
        row = QHBoxLayout()
        row.addStretch(1)
        self.sync_button = primary_button("Sync now")
        self.sync_button.clicked.connect(self.sync_now)
        row.addWidget(self.sync_button)
        self.body.addLayout(row)
        self.error_label = label("", "banner-error", wrap=True)
        self.error_label.setVisible(False)
        self.body.addWidget(self.error_label)
        self.report_label = label("Not synced yet.", "muted", wrap=True)
        self.body.addWidget(self.report_label)
        self.body.addStretch(1)
        session.synced.connect(self.show_report)
        session.failed.connect(self.show_error)
        if session.last is not None:
            self.show_report(*session.last)

    def _with_browse(self, edit: QLineEdit, pick: Callable[[], None]) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        button = QPushButton("Choose…")
        button.setAccessibleName(f"Choose {edit.accessibleName().lower()}")
        button.clicked.connect(pick)
        row.addWidget(button)
        return row

    def pick_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Sync folder", self.folder_edit.text())
        if path:
            self.folder_edit.setText(path)

    def pick_passphrase_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Passphrase file",
                                              self.passphrase_file_edit.text())
        if path:
            self.passphrase_file_edit.setText(path)

    def sync_now(self) -> bool:
        """Keep what was entered, then sync with it."""
        self.error_label.setVisible(False)
        self.session.passphrase_file = self.passphrase_file_edit.text().strip()
        self.session.typed_passphrase = self.passphrase_edit.text() or None
        folder = self.folder_edit.text().strip()
        if not folder:
            self.show_error("folder: choose the synced folder first")
            return False
        started = self.session.sync_now(str(Path(folder).expanduser()))
        if started:
            self.report_label.setText("Syncing…")
        return started

    def show_report(self, report: SyncReport, when: datetime) -> None:
        self.error_label.setVisible(False)
        self.folder_edit.setText(report.folder)
        self.report_label.setText("\n".join(describe(report, when)))
        self._status("Synced")

    def show_error(self, message: str) -> None:
        self.error_label.setText(f"Not synced — {message}")
        self.error_label.setVisible(True)
        if self.report_label.text() == "Syncing…":
            self.report_label.setText("Nothing was applied.")


def sync_card(host: QWidget, ctx: GuiContext, status: Callable[[str], Any]) -> TitledCard:
    session = ctx.sync_session
    if session is None:
        session = ctx.sync_session = SyncSession(ctx, ctx.controller)
    return SyncCard(ctx, session, status)
