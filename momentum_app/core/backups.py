"""Backups: made with SQLite's backup API, checked, rotated; restores are atomic.

* A backup is never taken of a file that fails its integrity check, so good backups are
  not rotated out by bad ones.
* A restore copies the backup to a temporary file beside the database, checks it (its
  schema revision too: a backup from a newer Momentum is refused), and renames it over
  the database in one atomic step.
* The scheduled backup never fails the command that triggered it: a full disk or a
  read-only folder is reported as a warning, and no partial file is left to count as
  today's backup.
* What a crash can leave behind (partial backups, their journals, ``-wal``/``-shm``
  beside a backup, a restore's temporary copy) is removed at the next start.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .clock import Clock, SystemClock, clock_from_env
from .errors import DatabaseRefused, ValidationError
from .output_guard import check_output
from .sqlite import (
    PARTIAL_SUFFIX,
    SQLITE_HEADER,
    backup_file,
    backup_name,
    backup_to,
    connect_untouched,
    copy_database,
    file_uri,
    inspect_file,
    nobody_uses,
    release_in_use,
    schema_problems,
)

log = logging.getLogger("momentum")

DEFAULT_KEEP = 7
SCHEDULE = timedelta(hours=24)
SCHEDULED_LABEL = "scheduled"
#: Backups Momentum makes by itself (a person's own ``manual`` ones are never removed).
AUTOMATIC_LABELS = (SCHEDULED_LABEL, "before-restore")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    modified: datetime

    def to_json(self) -> dict[str, object]:
        return {"path": str(self.path), "size": self.size, "modified": self.modified.isoformat()}


def backups_folder(db_path: Path) -> Path:
    return db_path.parent / "backups"


def check_file(path: Path) -> list[str]:
    """``integrity_check`` and ``foreign_key_check`` of a closed file, and Momentum's
    schema fingerprint; [] when sound. Creates nothing beside the file."""
    try:
        with open(path, "rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return ["not an SQLite database"]
        conn = connect_untouched(path)
        try:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")
                        if row[0] != "ok"]
            problems += [f"foreign key: {row}" for row in conn.execute("PRAGMA foreign_key_check")]
            tables = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" not in tables or schema_problems(conn):
                problems.append("not a Momentum database")
        finally:
            conn.close()
        return problems
    except (sqlite3.DatabaseError, OSError) as exc:
        return [str(exc)]


def looks_partial(path: Path) -> bool:
    """Whether a backup file was cut short (a crash or a full disk while it was written):
    not an SQLite header, or fewer bytes than the page count its header announces. Reads
    100 bytes; the full check is :func:`check_file`."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError:
        return False
    if len(header) < 100 or header[:16] != SQLITE_HEADER:
        return True
    page_size: int = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    pages: int = struct.unpack(">I", header[28:32])[0]
    return pages == 0 or size < pages * page_size


def clean_leftovers(db_path: Path) -> list[Path]:
    """Remove what a crash left: partial backups (``.partial`` files, and the automatic
    ``before-restore``/``scheduled`` backups an older version left cut short), their
    ``-journal``, ``-wal``/``-shm`` beside a backup (backups are never opened for writing,
    so these are debris) and a restore's temporary copy. Only while no other process has
    the database open (it could be writing one of them); best effort. Returns what was
    removed."""
    removed: list[Path] = []
    try:
        exclusive = nobody_uses(db_path)
    except (DatabaseRefused, OSError):
        return removed  # in use (or a read-only folder): next time
    try:
        candidates = [db_path.with_name(f".{db_path.name}.restore-tmp")]
        folder = backups_folder(db_path)
        if folder.is_dir():
            for path in folder.iterdir():
                name = path.name
                if name.endswith(PARTIAL_SUFFIX) or name.endswith(
                        (f"{PARTIAL_SUFFIX}-journal", ".sqlite3-journal", ".sqlite3-wal",
                         ".sqlite3-shm")):
                    candidates.append(path)
                elif name.startswith(tuple(f"{db_path.stem}-{label}-"
                                           for label in AUTOMATIC_LABELS)) \
                        and name.endswith(".sqlite3") and looks_partial(path):
                    candidates.append(path)  # cut short by a crash of an older version
        for path in candidates:
            try:
                if path.is_file():
                    path.unlink()
                    removed.append(path)
            except OSError:
                pass
    finally:
        release_in_use(exclusive)
    return removed
def list_backups(db_path: Path) -> list[BackupInfo]:
    """Backups of this database, newest first."""
    folder = backups_folder(db_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"{db_path.stem}-*.sqlite3"):
        try:
            stat = path.stat()
        except OSError:
            continue
        if stat.st_size == 0:
            continue  # nothing in it (an interrupted copy): never counts as a backup
        found.append(BackupInfo(path, stat.st_size,
                                datetime.fromtimestamp(stat.st_mtime, UTC)))
    return sorted(found, key=lambda b: b.modified, reverse=True)


def latest_good_backup(db_path: Path) -> BackupInfo | None:
    for info in list_backups(db_path):
        if not check_file(info.path):
            return info
    return None


def create_backup(db_path: Path, label: str = "manual", keep: int = DEFAULT_KEEP,
                  target: Path | None = None, *, clock: Clock | None = None) -> Path:
    """Back up a sound database; refuse one that fails its check. The file is named
    after ``clock`` (default: ``MOMENTUM_NOW`` or the system clock)."""
    if not db_path.exists():
        raise ValidationError("db", f"no database at {db_path}")
    problems = check_file(db_path)
    if problems:
        raise DatabaseRefused(f"{db_path} fails its integrity check ({problems[0]}); "
                              "no backup was made so that good backups are kept")
    return _write_backup(db_path, label, keep, target, clock=clock)


def _write_backup(db_path: Path, label: str, keep: int, target: Path | None, *,
                  clock: Clock | None) -> Path:
    """The copy of a file just found sound (:func:`create_backup` checked it)."""
    now = (clock or clock_from_env()).now()
    if target is not None:
        target = target.expanduser()
        if target.is_dir():
            target = backup_name(target, db_path.stem, label, now)
        if not target.parent.is_dir():
            raise ValidationError("out", f"folder does not exist: {target.parent}")
        check_output(target)
        # written beside the target and renamed there: never a copy across file systems
        return backup_to(db_path, target)
    made = backup_file(db_path, backups_folder(db_path), label, now)
    rotate(db_path, label, keep)
    return made


def rotate(db_path: Path, label: str, keep: int) -> None:
    """Keep the newest ``keep`` backups of one label."""
    same_label = [b for b in list_backups(db_path) if f"-{label}-" in b.path.name]
    for old in same_label[keep:]:
        old.path.unlink(missing_ok=True)


def scheduled_backup_due(db_path: Path, now: datetime | None = None) -> bool:
    """Whether the day's scheduled backup is due (``now``: the system clock's, as
    :func:`maybe_scheduled_backup` measures it)."""
    now = now or SystemClock().now()
    scheduled = [b for b in list_backups(db_path) if f"-{SCHEDULED_LABEL}-" in b.path.name]
    return not scheduled or now - scheduled[0].modified >= SCHEDULE


def daily_backup(db_path: Path, clock: Clock | None) -> list[str]:
    """:func:`maybe_scheduled_backup` as opening a database makes it: a failed copy is
    a warning (returned, for stderr) and the opening goes on; a damaged file raises
    :class:`DatabaseRefused`."""
    try:
        maybe_scheduled_backup(db_path, clock=clock)
    except BackupFailed as failed:
        return [f"today's backup could not be made ({failed}); it will be tried again next "
                "time"]
    return []


def maybe_scheduled_backup(db_path: Path, now: datetime | None = None,
                           keep: int = DEFAULT_KEEP, *, clock: Clock | None = None
                           ) -> Path | None:
    """Once a day, a rotated backup; silently skipped for a file that fails its check.

    "Once a day" is measured from the newest scheduled backup's modification time, which
    the file system stamps with the real time, so ``now`` is the system clock's (a test
    may pass another); the backup's *name* follows ``clock`` like every other backup's
    (:func:`create_backup`).

    Raises :class:`DatabaseRefused` for a damaged file (nothing must be written to it)
    and :class:`BackupFailed` when the copy itself fails (a full disk, a read-only
    folder): the caller reports that as a warning and goes on."""
    now = now or SystemClock().now()
    if not db_path.exists() or not scheduled_backup_due(db_path, now):
        return None
    problems = check_file(db_path)
    damage = [p for p in problems if not p.startswith("foreign key")]
    if problems and not damage:
        return None  # logically inconsistent, not damaged: `momentum doctor` reports it
    if damage:
        good = latest_good_backup(db_path)
        hint = (f" The latest good backup is {good.path}: restore it with "
                f"`momentum restore {good.path}`." if good else "")
        raise DatabaseRefused(f"{db_path} is damaged ({damage[0]}); nothing was written."
                              + hint)
    try:  # found sound just now: not checked a second time (minutes on a large file)
        return _write_backup(db_path, SCHEDULED_LABEL, keep, None, clock=clock)
    except (OSError, sqlite3.Error) as exc:
        log.warning("scheduled backup failed: %s", exc)
        raise BackupFailed(describe_failure(exc)) from None


def keep_as_scheduled(db_path: Path, copy: Path, now: datetime) -> Path | None:
    """Keep ``copy`` — a complete, checked copy of what the database now holds — as its
    scheduled backup of today (rotated like the others), so that the next open does not
    copy the whole file again. A new replica that took a snapshot has one: the snapshot's
    database, checked against its SHA-256 and copied into place (docs/SYNC.md
    "Snapshots"). ``copy`` must be beside the database (the rename stays on its file
    system); it is left where it is when it cannot be moved (None)."""
    folder = backups_folder(db_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        target = backup_name(folder, db_path.stem, SCHEDULED_LABEL, now)
        os.chmod(copy, 0o600)
        os.replace(copy, target)
    except OSError as exc:
        log.warning("the snapshot's copy was not kept as a backup: %s", exc)
        return None
    rotate(db_path, SCHEDULED_LABEL, DEFAULT_KEEP)
    return target


class BackupFailed(Exception):
    """The scheduled backup could not be written (the database itself is fine)."""


def describe_failure(exc: BaseException) -> str:
    """A failed write in plain words: a full disk says so."""
    text = str(exc)
    if (isinstance(exc, OSError) and exc.errno == 28) or "full" in text.lower():
        return "the disk is full"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename or ''}".strip().rstrip(":")
    return text


@dataclass(frozen=True)
class RestoredDatabase:
    """A whole-database restore that was done: the database, the backup it came from,
    and the copy of the database as it was before (None: there was none, or it was not
    sound enough to copy)."""

    path: Path
    source: Path
    before: Path | None


def restore_backup(backup: Path, db_path: Path, *, clock: Clock | None = None) -> Path:
    """Replace the database with a checked copy of ``backup`` (:func:`restore_database`);
    the database's path."""
    return restore_database(backup, db_path, clock=clock).path


def restore_database(backup: Path, db_path: Path, *, clock: Clock | None = None
                     ) -> RestoredDatabase:
    """Replace the database with a checked copy of ``backup``, atomically.

    The current database is itself backed up first (when sound), so a restore can be
    taken back by restoring that copy (an undo cannot: the history is in the database
    replaced). The database must not be open in another process.
    """
    backup = backup.expanduser()
    if not backup.is_file():
        raise ValidationError("backup", f"no backup file at {backup}")
    problems = check_file(backup)
    if problems:
        raise ValidationError("backup", f"{backup} is not a good backup ({problems[0]})")
    _check_revision(backup)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    exclusive = nobody_uses(db_path)
    try:
        before = None
        if db_path.exists() and not check_file(db_path):
            before = backup_file(db_path, backups_folder(db_path), "before-restore",
                                 (clock or clock_from_env()).now())
        return RestoredDatabase(_replace_with(backup, db_path), backup.resolve(),
                                before.resolve() if before is not None else None)
    finally:
        release_in_use(exclusive)


def _check_revision(backup: Path) -> None:
    """A backup this version can open: a known schema revision (older ones are upgraded
    when the restored database is next opened)."""
    from .db import known_revisions  # noqa: PLC0415 (db imports this module lazily)

    try:
        _state, revision = inspect_file(backup)
    except DatabaseRefused as refused:
        raise ValidationError("backup", str(refused)) from None
    if revision is not None and revision not in known_revisions():
        raise ValidationError("backup", f"{backup} was written by a newer version of "
                              f"Momentum (schema {revision!r}); update Momentum to restore "
                              "it. Nothing was changed.")


def _replace_with(backup: Path, db_path: Path) -> Path:
    temporary = db_path.with_name(f".{db_path.name}.restore-tmp")
    copy_database(file_uri(backup, mode="ro"), temporary)
    if check_file(temporary):
        temporary.unlink(missing_ok=True)
        raise ValidationError("backup", f"{backup} could not be copied intact")
    os.chmod(temporary, 0o600)
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    os.replace(temporary, db_path)
    return db_path
