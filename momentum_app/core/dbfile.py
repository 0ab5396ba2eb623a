"""Where the database file is and which schema it holds, without SQLAlchemy or Alembic.

The full opening (:func:`.db.open_database`) and the command line's light path
(:mod:`.services.light`) both start here: the default path, the path as the file system
sees it, and the installed migrations' revisions and head, read from their files.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from platformdirs import user_data_path

from .errors import DatabaseRefused

APP_NAME = "Momentum"
DB_FILENAME = "momentum.sqlite3"


def default_db_path(environ: dict[str, str] | None = None) -> Path:
    """``MOMENTUM_DB`` if set, else the platform's user data folder."""
    env = os.environ if environ is None else environ
    if env.get("MOMENTUM_DB"):
        return Path(env["MOMENTUM_DB"]).expanduser()
    return user_data_path(APP_NAME, appauthor=False) / DB_FILENAME


_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?(\w+)?['\"]?",
                            re.MULTILINE)


@lru_cache(maxsize=1)
def _revision_graph() -> tuple[frozenset[str], str]:
    """Known revisions and the head, read from the migration files without importing
    Alembic (it costs a quarter of a second at every start of the CLI)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for entry in resources.files("momentum_app.migrations.versions").iterdir():
        if not entry.name.endswith(".py") or entry.name.startswith("__"):
            continue
        for name, value in _REVISION_LINE.findall(entry.read_text(encoding="utf-8")):
            if value and value != "None":
                (revisions if name == "revision" else parents).add(value)
    heads = revisions - parents
    if len(heads) != 1:
        raise DatabaseRefused(f"the installed migrations have {len(heads)} heads")
    return frozenset(revisions), heads.pop()


def head_revision() -> str:
    return _revision_graph()[1]


def known_revisions() -> set[str]:
    return set(_revision_graph()[0])


def canonical_path(path: Path | str) -> Path:
    """The database path as the file system sees it: ``~`` expanded and a symbolic link
    followed, so that its ``-wal``, its backups folder and a restore all act on the real
    file (a restore renames over the path; over a link it would replace the link)."""
    expanded = Path(path).expanduser()
    return expanded.resolve() if expanded.is_symlink() else expanded
