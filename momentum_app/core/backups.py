"""Backups: made with SQLite's backup API, checked, rotated; restores are atomic.

* A backup is never taken of a file that fails its integrity check, so good backups are
  not rotated out by bad ones.
* A restore copies the backup to a temporary file beside the database, checks it, and
  renames it over the database in one atomic step.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .errors import DatabaseRefused, ValidationError
from .sqlite import SQLITE_HEADER, backup_file, copy_database, nobody_uses, release_in_use

DEFAULT_KEEP = 7
SCHEDULE = timedelta(hours=24)
SCHEDULED_LABEL = "scheduled"


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
    """``integrity_check`` and ``foreign_key_check`` of a closed file; [] when sound."""
    try:
        with open(path, "rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return ["not an SQLite database"]
        # immutable=1 when there is no -wal: no -wal/-shm files appear beside the file.
        mode = "mode=ro" if Path(f"{path}-wal").exists() else "immutable=1"
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True)
        try:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")
                        if row[0] != "ok"]
            problems += [f"foreign key: {row}" for row in conn.execute("PRAGMA foreign_key_check")]
            tables = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" not in tables:
                problems.append("not a Momentum database")
        finally:
            conn.close()
        return problems
    except (sqlite3.DatabaseError, OSError) as exc:
        return [str(exc)]


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Backups of this database, newest first."""
    folder = backups_folder(db_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"{db_path.stem}-*.sqlite3"):
        stat = path.stat()
        found.append(BackupInfo(path, stat.st_size,
                                datetime.fromtimestamp(stat.st_mtime, timezone.utc)))
    return sorted(found, key=lambda b: b.modified, reverse=True)


def latest_good_backup(db_path: Path) -> BackupInfo | None:
    for info in list_backups(db_path):
        if not check_file(info.path):
            return info
    return None


def create_backup(db_path: Path, label: str = "manual", keep: int = DEFAULT_KEEP,
                  target: Path | None = None) -> Path:
    """Back up a sound database; refuse one that fails its check."""
    if not db_path.exists():
        raise ValidationError("db", f"no database at {db_path}")
    problems = check_file(db_path)
    if problems:
        raise DatabaseRefused(f"{db_path} fails its integrity check ({problems[0]}); "
                              "no backup was made so that good backups are kept")
    made = backup_file(db_path, backups_folder(db_path), label)
    if target is not None:
        target = target.expanduser()
        if target.is_dir():
            target = target / made.name
        os.replace(made, target)
        return target
    rotate(db_path, label, keep)
    return made


def rotate(db_path: Path, label: str, keep: int) -> None:
    """Keep the newest ``keep`` backups of one label."""
    same_label = [b for b in list_backups(db_path) if f"-{label}-" in b.path.name]
    for old in same_label[keep:]:
        old.path.unlink(missing_ok=True)


def scheduled_backup_due(db_path: Path, now: datetime) -> bool:
    scheduled = [b for b in list_backups(db_path) if f"-{SCHEDULED_LABEL}-" in b.path.name]
    return not scheduled or now - scheduled[0].modified >= SCHEDULE


def maybe_scheduled_backup(db_path: Path, now: datetime | None = None,
                           keep: int = DEFAULT_KEEP) -> Path | None:
    """Once a day, a rotated backup; silently skipped for a file that fails its check."""
    now = now or datetime.now(timezone.utc)
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
    return create_backup(db_path, SCHEDULED_LABEL, keep)


def restore_backup(backup: Path, db_path: Path) -> Path:
    """Replace the database with a checked copy of ``backup``, atomically.

    The current database is itself backed up first (when sound), so a restore can be
    undone. The database must not be open in another process.
    """
    backup = backup.expanduser()
    if not backup.is_file():
        raise ValidationError("backup", f"no backup file at {backup}")
    problems = check_file(backup)
    if problems:
        raise ValidationError("backup", f"{backup} is not a good backup ({problems[0]})")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    exclusive = nobody_uses(db_path)
    try:
        if db_path.exists() and not check_file(db_path):
            backup_file(db_path, backups_folder(db_path), "before-restore")
        return _replace_with(backup, db_path)
    finally:
        release_in_use(exclusive)


def _replace_with(backup: Path, db_path: Path) -> Path:
    temporary = db_path.with_name(f".{db_path.name}.restore-tmp")
    copy_database(f"{backup.resolve().as_uri()}?mode=ro", temporary)
    if check_file(temporary):
        temporary.unlink(missing_ok=True)
        raise ValidationError("backup", f"{backup} could not be copied intact")
    os.chmod(temporary, 0o600)
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    os.replace(temporary, db_path)
    return db_path
