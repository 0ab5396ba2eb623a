"""The one check every file Momentum writes on request passes (exports, ``backup --out``).

An export is renamed over its target, so a wrong ``--out`` would silently replace
whatever is there. Refused, before anything is written:

* anything that exists and is not a regular file: a folder where a file is expected, a
  FIFO, a device (``/dev/full``), a socket;
* any SQLite database: the live one, a backup, another application's (the first 16
  bytes are SQLite's header) — an export never replaces a database;
* a database's companions: a WAL file (by its magic number), and any ``-wal``, ``-shm``
  or ``-journal`` beside an existing file, the ``.in-use`` marker;
* anything inside a Momentum ``backups`` folder (beside the file it backs up).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import ValidationError

SQLITE_HEADER = b"SQLite format 3\x00"
WAL_MAGIC = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")


def check_output(target: Path, field: str = "out") -> None:
    """Raise :class:`ValidationError` (bad input, exit 2) unless writing ``target`` by
    rename is safe: it does not exist yet, or it is a regular file that is no database."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise ValidationError(field, f"cannot use {target}: {exc.strerror}") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise ValidationError(field, f"{target} is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise ValidationError(field, f"{target} is not a regular file (a device, a "
                                  "pipe or a socket); give a new file name")
        head = _head(target)
        if head.startswith(SQLITE_HEADER):
            raise ValidationError(field, f"{target} is a database; an export never "
                                  "replaces one (give a new file name)")
        if head[:4] in WAL_MAGIC:
            raise ValidationError(field, f"{target} is a database's write-ahead log; "
                                  "give a new file name")
    name = target.name
    for suffix in COMPANION_SUFFIXES:
        if name.endswith(suffix) and target.with_name(name[:-len(suffix)]).exists():
            raise ValidationError(field, f"{target} belongs to the database "
                                  f"{name[:-len(suffix)]}; give a new file name")
    if name.startswith(".") and name.endswith(".in-use"):
        raise ValidationError(field, f"{target} is Momentum's lock file")
    if _in_backups_folder(target):
        raise ValidationError(field, f"{target} is inside Momentum's backups folder, "
                              "which holds only backups; choose another folder")


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER))
    except OSError:
        return b""


def _in_backups_folder(target: Path) -> bool:
    """A folder named ``backups`` holding a Momentum backup or lying beside a database."""
    folder = Path(os.path.abspath(target)).parent
    if folder.name != "backups":
        return False
    try:
        entries = list(folder.iterdir())[:1000]
    except OSError:
        return False
    if any(_head(entry).startswith(SQLITE_HEADER) for entry in entries
           if entry.suffix == ".sqlite3" and entry.is_file()):
        return True
    return any(p.suffix == ".sqlite3" for p in folder.parent.glob("*.sqlite3"))
