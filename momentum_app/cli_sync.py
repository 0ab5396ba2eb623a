"""``momentum sync --folder PATH [--passphrase-file F]`` (SPEC v2 §13, docs/SYNC.md).

Thin, like :mod:`.cli`: the work is in :mod:`.core.services.sync`. Prints what came in
and what went out; ``sync`` without ``--folder`` uses the folder of the last sync, and
``sync --status`` shows the last sync without syncing.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .core.catalog import Kind
from .core.errors import ValidationError
from .core.services import Momentum

if TYPE_CHECKING:  # the sync service loads when a sync runs, not for every command
    from .core.services.sync import SyncReport, SyncStatusDTO

#: The table of each kind of item (for its ``uid`` in JSON).
ITEM_TABLE = {Kind.TASK: "tasks", Kind.GOAL: "goals", Kind.STEP: "goal_steps",
              Kind.SLOT: "time_slots"}
Command = Callable[[Any, str, str, Callable[..., None]], argparse.ArgumentParser]


def register_sync_commands(commands: Any, command: Command) -> None:
    p = command(commands, "sync", "exchange changes with the other computers through a "
                "synced folder", cmd_sync)
    p.add_argument("--folder", metavar="PATH", default=None,
                   help="the folder a sync tool (Syncthing, Nextcloud, Dropbox, a network "
                        "share) replicates; default: the last one used")
    p.add_argument("--passphrase-file", metavar="FILE", default=None,
                   help="encrypt what this computer writes, and read the others', with the "
                        "passphrase in FILE (its first line)")
    p.add_argument("--status", action="store_true",
                   help="show the last sync (folder, time, what came in) without syncing")
    p.description = ("Writes this computer's changes to its own files in the folder and "
                     "applies the other computers' (later change wins per field; a delete "
                     "wins over an edit; points are folded again from the merged history, "
                     "so every computer shows the same figures). See docs/SYNC.md.")
    p.epilog = ("examples:\n  momentum sync --folder ~/Sync/momentum\n"
                "  momentum sync --folder /mnt/share/momentum --passphrase-file ~/.momentum-pass\n"
                "  momentum sync --status --json")
    p.formatter_class = argparse.RawDescriptionHelpFormatter


def with_uids(app: Momentum, table: str, rows: list[dict[str, Any]],
              children: tuple[str, str] | None = None) -> list[dict[str, Any]]:
    """Item JSON with each item's ``uid`` (the same on every computer; null until the
    item first syncs) right after its short local ``id``. ``children``: a key holding
    nested items and their table (a goal's steps)."""
    uids = app.sync.uids(table, (row["id"] for row in rows))
    nested = app.sync.uids(children[1], (item["id"] for row in rows
                                         for item in row.get(children[0]) or ())) \
        if children else {}
    out = []
    for row in rows:
        data = _uid_first(row, uids)
        if children and isinstance(data.get(children[0]), list):
            data[children[0]] = [_uid_first(item, nested) for item in data[children[0]]]
        out.append(data)
    return out


def _uid_first(row: dict[str, Any], uids: dict[int, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in row.items():
        data[key] = value
        if key == "id":
            data["uid"] = uids.get(value)
    return data


def report_text(report: SyncReport) -> str:
    from .core.services.sync import describe_counts  # noqa: PLC0415 (loaded on use)

    lines = [f"Synced with {report.folder} (this computer: {report.replica[:8]})",
             f"  in:  {describe_counts(report.received)} ({report.segments_read} file(s) read)",
             f"  out: {describe_counts(report.sent)}"
             + (f" ({', '.join(report.segments_written)})" if report.segments_written else "")]
    if report.points_arrived:
        lines.append(f"  points from the other computers: {report.points_arrived:+d} "
                     f"(total {report.points_after})")
    if report.waiting:
        lines.append(f"  waiting: {report.waiting} change(s) refer to data not received yet; "
                     "read again at the next sync")
    if report.snapshot_read:
        lines.append(f"  took the folder's contents from the snapshot {report.snapshot_read}")
    if report.snapshot_written:
        lines.append(f"  wrote a snapshot for new computers: {report.snapshot_written}")
    lines += [f"  ignored: {note}" for note in report.ignored]
    lines += [f"  problem: {note}" for note in report.problems]
    return "\n".join(lines)


def _status_text(status: SyncStatusDTO) -> str:
    """``Last sync 2026-03-18T19:30:00+00:00 with /path`` (what the dict status printed)."""
    when = status.last_sync_at.isoformat() if status.last_sync_at else None
    return f"Last sync {when} with {status.folder}"


def cmd_sync(app: Momentum, a: argparse.Namespace, out: Any) -> None:
    if a.status:
        status = app.sync.status()
        out.emit(lambda: status.to_json() if status else None,
                 lambda: "Never synced." if status is None else _status_text(status))
        return
    folder = a.folder
    if folder is None:
        status = app.sync.status()
        folder = status.folder if status else None
        if not folder:
            raise ValidationError("folder", "give the synced folder with --folder PATH")
    from .core.services.sync import read_passphrase  # noqa: PLC0415 (loaded on use)

    passphrase = read_passphrase(a.passphrase_file)
    report = app.sync.run(folder, passphrase)
    out.emit(report.to_json(), lambda: report_text(report))
