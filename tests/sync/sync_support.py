"""Helpers for the sync tests: replicas as real files, synced in-process or by the CLI."""

from __future__ import annotations

import difflib
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from momentum_app.core.clock import FixedClock
from momentum_app.core.db import open_database
from momentum_app.core.services import Momentum
from momentum_app.core.sync.digest import fingerprint

UTC = timezone.utc


def snapshot(path: Path) -> dict[str, Any]:
    database = open_database(path, scheduled_backup=False)
    try:
        with database.reading() as session:
            return fingerprint(session.connection())
    finally:
        database.close()


def explain(left: dict[str, Any], right: dict[str, Any]) -> str:
    a = json.dumps(left, sort_keys=True, indent=1, default=str).splitlines()
    b = json.dumps(right, sort_keys=True, indent=1, default=str).splitlines()
    return "\n".join(list(difflib.unified_diff(a, b, lineterm="", n=2))[:80])


class Replica:
    """One database file used through the services with a clock the test moves."""

    def __init__(self, path: Path, now: datetime) -> None:
        self.path = path
        self.clock = FixedClock(now)
        self.db = open_database(path, scheduled_backup=False, clock=self.clock)
        self.app = Momentum(self.db, self.clock)

    def close(self) -> None:
        self.db.close()

    def sync(self, folder: Path, passphrase: str | None = None) -> Any:
        return self.app.sync.run(folder, passphrase)

    def doctor_ok(self) -> bool:
        report = self.app.doctor.run()
        return report.ok


# --- the command line ---------------------------------------------------------------------

import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from dataclasses import dataclass  # noqa: E402


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    def ok(self) -> str:
        assert self.returncode == 0, f"exit {self.returncode}: {self.stderr}"
        return self.stdout

    def json(self) -> Any:
        return json.loads(self.ok())


def cli(db: Path, *args: str, now: str = "2026-03-02T10:00:00+00:00") -> Run:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOMENTUM_")}
    env.update(MOMENTUM_DB=str(db), MOMENTUM_NOW=now, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-m", "momentum_app", *args], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    return Run(done.returncode, done.stdout, done.stderr)


# The command-line scenarios' world: three databases ("a", "b", "c") and one folder,
# worked on at these times (the ``world`` fixture is in conftest.py).
T0 = "2026-03-02T09:00:00+00:00"
T1 = "2026-03-02T10:00:00+00:00"
T2 = "2026-03-02T11:00:00+00:00"
T3 = "2026-03-02T12:00:00+00:00"

World = dict[str, Path]


def make_world(root: Path) -> World:
    folder = root / "Sync"
    folder.mkdir()
    return {"folder": folder, "a": root / "a.sqlite3", "b": root / "b.sqlite3",
            "c": root / "c.sqlite3"}


def sync(world: World, name: str, *extra: str, now: str = T3) -> dict[str, Any]:
    """``momentum sync --json`` of computer ``name`` into the world's folder."""
    report: dict[str, Any] = cli(world[name], "sync", "--folder", str(world["folder"]),
                                 "--json", *extra, now=now).json()
    return report


def tasks(db: Path, now: str = T3) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = cli(db, "task", "list", "--status", "all", "--json",
                                       now=now).json()
    return listed


def points(db: Path, now: str = T3) -> int:
    return int(cli(db, "progress", "--json", now=now).json()["total_points"])


def folder_files(folder: Path) -> dict[str, bytes]:
    """Every file in the folder by its path inside it, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def encrypted_pair(world: World, secret: Path) -> None:
    """A writes "Secret" and syncs with the passphrase in ``secret`` (made here) at T0, B
    reads it with the passphrase at T1, then adds "Also secret", not synced yet."""
    secret.write_text("correct horse\n", encoding="utf-8")
    cli(world["a"], "task", "add", "Secret", now=T0).ok()
    sync(world, "a", "--passphrase-file", str(secret), now=T0)
    sync(world, "b", "--passphrase-file", str(secret), now=T1)
    cli(world["b"], "task", "add", "Also secret", now=T1).ok()


def agree(world: World, *names: str) -> None:
    """The named computers hold the same fingerprint, and ``doctor`` is clean on each."""
    first = snapshot(world[names[0]])
    for name in names[1:]:
        other = snapshot(world[name])
        assert other == first, explain(first, other)
    for name in names:
        assert cli(world[name], "doctor", "--json", now=T3).json()["ok"]
