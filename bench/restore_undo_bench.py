"""What making a JSON backup's restore undoable costs (issue 15, session 9).

A generated history (10k events by default, :mod:`bench.generate`) is exported as a JSON
backup once; then, interleaved run by run, it is restored into a fresh empty database

* **with** the undo recording (``RestoreUndo``: the reused profile's rows and the other
  profiles' engine state kept before the write, the fingerprint of every restored row
  and the history entry after it) — what ``momentum import --format json`` does now, and
* **without** it (``RestoreUndo`` replaced by a no-op for that run) — the baseline, the
  restore as it was before;

and the restore is undone and redone once per run (``undo``: purge and put back;
``redo``: read, check and restore the file again). Wall and CPU time, medians; the
machine is shared, so the CPU time is the fair figure.

    .venv/bin/python -m bench.restore_undo_bench [--events 10k] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from momentum_app.core.clock import FixedClock
from momentum_app.core.db import open_database
from momentum_app.core.exports.backup import export_json
from momentum_app.core.imports import backup as backup_import
from momentum_app.core.imports import import_file
from momentum_app.core.services import Momentum, restore_undo

from .export_bench import NOW, log, summary, timed_call
from .generate import ensure_history, parse_size, size_label


class _NoRecording:
    """The baseline: a restore that records nothing."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def record(self, *args: object, **kwargs: object) -> None:
        pass


def _restore(template: Path, path: Path, backup: Path, *, recorded: bool
             ) -> tuple[float, float]:
    shutil.copyfile(template, path)
    database = open_database(path)
    try:
        app = Momentum(database, FixedClock(NOW))
        if not recorded:
            backup_import.RestoreUndo = _NoRecording  # type: ignore[assignment,misc]
        try:
            return timed_call(lambda: import_file(app, "json", backup,
                                                  max_bytes=2_000_000_000))
        finally:
            backup_import.RestoreUndo = restore_undo.RestoreUndo  # type: ignore[misc]
    finally:
        database.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="10k", type=parse_size)
    parser.add_argument("--runs", default=5, type=int)
    parser.add_argument("--json-out", default=None)
    args = parser.parse_args(argv)
    history = ensure_history(args.events, log=log)
    work = Path(tempfile.mkdtemp(prefix="restore-undo-bench-"))
    try:
        backup = work / "backup.json"
        source = work / "source.sqlite3"
        shutil.copyfile(history.path, source)
        database = open_database(source)
        try:
            export_json(Momentum(database, FixedClock(NOW)), backup)
        finally:
            database.close()
        template = work / "empty.sqlite3"
        open_database(template).close()
        log(f"{size_label(args.events)} events, backup {backup.stat().st_size / 1e6:.1f} MB, "
            f"load {os.getloadavg()[0]:.1f}")
        samples: dict[str, list[tuple[float, float]]] = {
            "restore, recorded": [], "restore, baseline": [], "undo": [], "redo": []}
        for run in range(args.runs):
            order = [True, False] if run % 2 == 0 else [False, True]
            for recorded in order:
                path = work / f"run-{run}-{int(recorded)}.sqlite3"
                key = "restore, recorded" if recorded else "restore, baseline"
                samples[key].append(_restore(template, path, backup, recorded=recorded))
                if recorded:
                    database = open_database(path)
                    try:
                        app = Momentum(database, FixedClock(NOW))
                        samples["undo"].append(timed_call(app.history.undo))
                        samples["redo"].append(timed_call(app.history.redo))
                    finally:
                        database.close()
                path.unlink()
        result: dict[str, Any] = {name: summary(s) for name, s in samples.items()}
        base = result["restore, baseline"]
        rec = result["restore, recorded"]
        result["ratio_cpu"] = round(rec["cpu_median_s"] / base["cpu_median_s"], 3)
        result["ratio_wall"] = round(rec["wall_median_s"] / base["wall_median_s"], 3)
        result["load_after"] = round(os.getloadavg()[0], 1)
        for name, figures in result.items():
            log(f"  {name}: {figures}")
        if args.json_out:
            Path(args.json_out).write_text(json.dumps(result, indent=2), encoding="utf-8")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
