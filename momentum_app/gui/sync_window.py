"""Settings ▸ Sync and the window's own syncing (SPEC v2 §13, docs/SYNC.md).

:class:`SyncSession` runs the core's ``Momentum.sync.run`` — the same rules as
``momentum sync`` — on the window's background worker, so the window never waits: on
start, every few minutes (``interval_ms``, injectable for tests), when the folder changes
(a :class:`QFileSystemWatcher` on the folder and on each other replica's sub-folder; the
check of what changed runs on the worker too) and on close. It publishes one refresh
after a sync that brought something in and a points toast when points arrived from
another computer. A report counts only what that sync brought, so each arrival is
announced once; points that arrive with the last sync at close are kept (window
settings, ``sync/unannounced_points``) and announced at the next start, once.

Closing during a sync loses nothing: the last sync is queued behind the running one on
the serial worker (so what was done meanwhile goes out too) and :meth:`SyncSession.stop`
waits for both. Even a sync cut short (the process killed) loses nothing: the core
applies everything in one transaction and keeps what it sends in an outbox until the
file is written.

Where things are kept: the folder is the core's (``sync_replica.folder``, the one the
CLI's ``sync`` without ``--folder`` uses). A passphrase is never written anywhere by the
window: either the path of a passphrase *file* (as ``--passphrase-file``) is kept in this
computer's window settings, or a typed passphrase lives in memory until the window closes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from ..core.clock import as_utc
from ..core.errors import MomentumError, ValidationError
from ..core.sync.segments import REPLICA
from .changes import PROFILE, Change
from .context import GuiContext
from .game_mode import game_mode, game_shown
from .timefmt import ProfileTime
from .toast_text import ToastMessage
from .widgets.common import TitledCard, label, primary_button, pushed_row

if TYPE_CHECKING:  # the sync service loads SQLAlchemy: not before the window is up
    from ..core.services.sync import SyncReport

#: Every five minutes while the window is open.
INTERVAL_MS = 5 * 60 * 1000
#: Changes in the folder come in bursts (a sync tool writes a file, then a manifest).
SETTLE_MS = 700
#: How long closing waits for the last sync (a folder on a hung network share); a sync
#: cut short after that still loses nothing (see the module docstring).
CLOSE_WAIT_MS = 60_000
PASSPHRASE_FILE_KEY = "sync/passphrase_file"
UNANNOUNCED_KEY = "sync/unannounced_points"
SYNCING = "Syncing…"

#: (replica/file, size, mtime) of every file in the replicas' sub-folders.
Files = tuple[tuple[str, int, int], ...]


def describe(report: SyncReport, when: datetime, zone: ProfileTime, *,
             points: bool = True) -> list[str]:
    """The lines Settings ▸ Sync shows for a finished sync (its time in the profile's
    zone); problems are the ones that start with "Problem:". ``points``: the game is
    shown (not in the "off" mode, SPEC v2 §11)."""
    from ..core.services.sync import describe_counts  # noqa: PLC0415 (a sync ran: loaded)

    lines = [f"Last sync {zone.local(as_utc(when)):%a %d %b %H:%M}",
             f"In: {describe_counts(report.received)} · Out: {describe_counts(report.sent)}"]
    if report.points_arrived and points:
        lines.append(f"Points from other computers: {report.points_arrived:+,}")
    if report.waiting:
        lines.append(f"Waiting: {report.waiting} change(s) refer to data not received yet")
    lines += [f"Ignored: {note}" for note in report.ignored]
    lines += [f"Problem: {note}" for note in report.problems]
    return lines


def replica_files(folder: Path) -> tuple[list[Path], Files]:
    """The replicas' sub-folders of ``folder`` and what they hold (run on the worker)."""
    dirs: list[Path] = []
    found: list[tuple[str, int, int]] = []
    try:
        for sub in folder.iterdir():
            if not sub.is_dir() or not REPLICA.match(sub.name):
                continue
            dirs.append(sub)
            for file in sub.iterdir():
                stat = file.stat()
                found.append((f"{sub.name}/{file.name}", stat.st_size, stat.st_mtime_ns))
    except OSError:
        return dirs, ()
    return dirs, tuple(sorted(found))


def others(files: Files, mine: str) -> Files:
    """The files of every replica but this one (our own writes start no sync)."""
    return tuple(f for f in files if not f[0].startswith(f"{mine}/")) if mine else files


class SyncSession(QObject):
    """Runs syncs for the window, one at a time, off the UI thread."""

    #: (report, finished at, UTC) after a sync; an error message when one failed.
    synced = Signal(object, object)
    failed = Signal(str)
    #: A sync was queued (the card says "Syncing…").
    started = Signal()
    points_arrived = Signal(object)  # a ToastMessage

    def __init__(self, ctx: GuiContext, parent: QObject | None = None, *,
                 interval_ms: int = INTERVAL_MS, settle_ms: int = SETTLE_MS) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.typed_passphrase: str | None = None
        #: Set by :meth:`stop`: no more syncs are started, arrivals wait for next time.
        self.closing = False
        #: Finished syncs and failed ones, counted (status, tests).
        self.runs = 0
        self.failures = 0
        self._in_flight = 0
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
        self._watched: Path | None = None
        self._mine = ""
        self._seen: Files = ()

    # -- settings --------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._in_flight > 0

    @property
    def folder(self) -> str:
        status = self.ctx.momentum.sync.status()
        return status.folder if status and status.folder else ""

    def stored_last(self) -> tuple[SyncReport, datetime] | None:
        """The last sync as the database remembers it (from an earlier session)."""
        status = self.ctx.momentum.sync.status()
        if not status or not status.last_report or not status.last_sync_at:
            return None
        return status.last_report, status.last_sync_at

    @property
    def passphrase_file(self) -> str:
        return str(self.ctx.settings.store.value(PASSPHRASE_FILE_KEY, "") or "")

    @passphrase_file.setter
    def passphrase_file(self, path: str) -> None:
        self.ctx.settings.store.setValue(PASSPHRASE_FILE_KEY, path)

    def passphrase(self) -> str | None:
        if self.typed_passphrase:
            return self.typed_passphrase
        from ..core.services.sync import read_passphrase  # noqa: PLC0415 (see the imports)

        return read_passphrase(self.passphrase_file or None)

    # -- running ---------------------------------------------------------------------------

    def start(self) -> None:
        """Announce what the last sync at close brought, sync once now, then on the timer
        and when the folder changes."""
        store = self.ctx.settings.store
        pending = _unannounced(store)
        if pending:
            store.remove(UNANNOUNCED_KEY)
            self.points_arrived.emit(self._toast(pending))
        self.timer.start()
        if self.folder:
            self.sync_now()

    def stop(self, wait_ms: int = CLOSE_WAIT_MS) -> bool:
        """The last sync at close, queued behind a running one, and wait for both
        (False: still running after ``wait_ms``)."""
        self.timer.stop()
        self.settle.stop()
        if self.watcher.directories():
            self.watcher.removePaths(self.watcher.directories())
        self.closing = True
        folder = self.folder
        if folder:
            self._submit(folder)
        return self.ctx.worker.wait(wait_ms)

    def sync_now(self, folder: str | None = None) -> bool:
        """Queue a sync with ``folder`` (default: the last one); False if none is set."""
        target = folder if folder is not None else self.folder
        if not target or self.closing:
            return False
        if self.running:
            self._again = True
            return True
        return self._submit(target)

    def _submit(self, target: str) -> bool:
        try:
            passphrase = self.passphrase()
        except ValidationError as exc:
            self._fail(f"{exc.field}: {exc.message}")
            return False
        self._in_flight += 1
        momentum = self.ctx.momentum

        def job() -> tuple[SyncReport, Files, list[Path]]:
            # What the others wrote *before* this sync reads: a file that lands while it
            # runs differs from this and starts another sync.
            _, before = replica_files(Path(target).expanduser())
            report = momentum.sync.run(target, passphrase)
            dirs, _ = replica_files(Path(report.folder))
            return report, others(before, report.replica), dirs

        self.ctx.worker.submit(job, self._done, self._error)
        self.started.emit()
        return True

    def _done(self, result: tuple[SyncReport, Files, list[Path]]) -> None:
        report, seen, dirs = result
        self._in_flight -= 1
        self.runs += 1
        when = self.ctx.now()
        self.last, self.last_error = (report, when), ""
        self._mine, self._seen = report.replica, seen
        if self.closing:
            if report.points_arrived > 0:  # shown at the next start
                store = self.ctx.settings.store
                store.setValue(UNANNOUNCED_KEY, _unannounced(store) + report.points_arrived)
            return
        self._watch(Path(report.folder), dirs)
        if report.received or report.points_arrived:
            self.ctx.changes.publish(Change.everything())
        if report.points_arrived > 0:
            self.points_arrived.emit(self._toast(report.points_arrived))
        self.synced.emit(report, when)
        self._next()

    @staticmethod
    def _toast(points: int) -> ToastMessage:
        return ToastMessage(points, (), "fa5s.sync-alt",
                            ("dashboard", "today"),
                            sources=(("From another computer", points),))

    def _error(self, error: BaseException) -> None:
        self._in_flight -= 1
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
        if not self.closing:
            self.failed.emit(message)

    def _next(self) -> None:
        if self._again and not self.running:
            self._again = False
            self.sync_now()

    # -- watching --------------------------------------------------------------------------

    def _watch(self, folder: Path, dirs: list[Path]) -> None:
        """Watch the folder (a new replica's sub-folder appears) and the others'
        sub-folders (their segments and manifests)."""
        self._watched = folder
        wanted = ([str(folder)] + [str(d) for d in dirs if d.name != self._mine]
                  if folder.is_dir() else [])
        stale = [p for p in self.watcher.directories() if p not in wanted]
        if stale:
            self.watcher.removePaths(stale)
        new = [p for p in wanted if p not in self.watcher.directories()]
        if new:
            self.watcher.addPaths(new)

    def _folder_settled(self) -> None:
        """Something moved in the folder: look (on the worker) whether another
        computer's files changed, and sync if so."""
        folder = self._watched
        if folder is None or self.closing:
            return
        self.ctx.worker.submit(lambda: replica_files(folder), self._looked)

    def _looked(self, result: tuple[list[Path], Files]) -> None:
        dirs, files = result
        if self.closing or self._watched is None:
            return
        self._watch(self._watched, dirs)  # a new replica's sub-folder too
        if others(files, self._mine) != self._seen:
            self.sync_now()


class SyncCard(TitledCard):
    """Settings ▸ Sync: folder, passphrase, Sync now, and what the last sync did."""

    def __init__(self, ctx: GuiContext, session: SyncSession,
                 status: Callable[[str], Any]) -> None:
        super().__init__("Sync", "with your other computers")
        self.ctx, self.session, self._status = ctx, session, status
        self.body.addWidget(label(
            "Choose a folder that Syncthing, Nextcloud, Dropbox or a network share keeps "
            "the same on each computer. Momentum writes only its own files there.",
            "faint", wrap=True))
        self.folder_edit = self._field("Sync folder", "&Folder", session.folder,
                                       "~/Sync/momentum")
        self.folder_edit.returnPressed.connect(self.sync_now)
        self.body.addLayout(self._with_browse(self.folder_edit, self.pick_folder))
        self.passphrase_file_edit = self._field(
            "Passphrase file", "Passphrase &file (optional: encrypts what is in the folder)",
            session.passphrase_file, "a file whose first line is the passphrase")
        self.body.addLayout(self._with_browse(self.passphrase_file_edit,
                                              self.pick_passphrase_file))
        self.passphrase_edit = self._field("Passphrase", "or type the &passphrase", "",
                                           "kept until the window closes")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.returnPressed.connect(self.sync_now)
        self.body.addWidget(self.passphrase_edit)
        self.body.addWidget(label("A typed passphrase is never saved. A passphrase file is "
                                  "remembered by its path only; keep the file private.",
                                  "faint", wrap=True))
        self.sync_button = primary_button("&Sync now")
        self.sync_button.setAccessibleName("Sync now")
        self.sync_button.clicked.connect(self.sync_now)
        self.body.addLayout(pushed_row(self.sync_button, right=True))
        self.error_label = self._text("banner-error", "Sync error")
        self.error_label.setVisible(False)
        self.report_label = self._text("muted", "Last sync")
        self.report_label.setText("Not synced yet.")
        self.problems_label = self._text("error", "Sync problems")
        self.problems_label.setVisible(False)
        self.body.addStretch(1)
        session.synced.connect(self.show_report)
        session.failed.connect(self.show_error)
        session.started.connect(self.show_syncing)
        ctx.changes.changed.connect(self._on_change)
        self._before_sync = self.report_label.text()
        self._shown: tuple[SyncReport, datetime] | None = None
        last = session.last or session.stored_last()
        if last is not None:
            self.show_report(*last, announce=False)
        if session.last_error:
            self.show_error(session.last_error)

    def _field(self, name: str, caption: str, text: str, placeholder: str) -> QLineEdit:
        """A line edit under its caption, which names it (Alt+letter focuses it)."""
        heading = label(caption, "muted")
        edit = QLineEdit(text)
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(name)
        heading.setBuddy(edit)
        self.body.addWidget(heading)
        return edit

    def _text(self, role: str, name: str) -> QLabel:
        """A status text: wrapped, selectable, reachable with Tab for screen readers."""
        text = label("", role, wrap=True)
        text.setAccessibleName(name)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.body.addWidget(text)
        return text

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
        return self.session.sync_now(str(Path(folder).expanduser()))

    def show_report(self, report: SyncReport, when: datetime, *,
                    announce: bool = True) -> None:
        self.error_label.setVisible(False)
        self.folder_edit.setText(report.folder)
        self._shown = (report, when)
        lines = describe(report, when, self.ctx.profile_time(),
                         points=game_shown(game_mode(self.ctx.momentum)))
        problems = [line for line in lines if line.startswith("Problem: ")]
        self.report_label.setText("\n".join(line for line in lines if line not in problems))
        self.problems_label.setText("\n".join(problems))
        self.problems_label.setVisible(bool(problems))
        if announce and (report.received or problems):
            self._status("Synced with problems" if problems else "Synced")

    def _on_change(self, change: Change) -> None:
        """The profile changed (its game mode, its zone): the last report again."""
        if change.touches(PROFILE) and self._shown is not None \
                and self.report_label.text() != SYNCING:
            self.show_report(*self._shown, announce=False)

    def show_syncing(self) -> None:
        if self.report_label.text() != SYNCING:
            self._before_sync = self.report_label.text()
        self.report_label.setText(SYNCING)

    def show_error(self, message: str) -> None:
        """A sync failed: it applied nothing (one transaction), so the last report stays."""
        applied = "" if "nothing was applied" in message else ". Nothing was applied."
        self.error_label.setText(f"Not synced — {message}{applied}")
        self.error_label.setVisible(True)
        if self.report_label.text() == SYNCING:
            self.report_label.setText(self._before_sync)


def sync_card(host: QWidget, ctx: GuiContext, status: Callable[[str], Any]) -> TitledCard:
    session = ctx.sync_session
    if session is None:
        session = ctx.sync_session = SyncSession(ctx, ctx.controller)
    return SyncCard(ctx, session, status)


def _unannounced(store: QSettings) -> int:
    """The points a sync at close brought, not yet announced (QSettings hands back an
    int or, read from the file, its text)."""
    return int(str(store.value(UNANNOUNCED_KEY, 0) or 0))
