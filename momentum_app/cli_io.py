"""CLI commands that move data in and out: export and import (SPEC §9).

``momentum export --format csv|json|ics|pdf|todotxt|taskwarrior --out PATH [--from D --to D]
[--all-profiles] [--bom]``
``momentum import --format json|taskwarrior|todotxt|ics|todoist|ticktick|google-tasks|habitica|csv
PATH [--award] [--dry-run] [--max-size MB]``

Thin, like :mod:`.cli`: the work is in :mod:`.core.exports`, :mod:`.core.imports` and (for
the PDF, which needs Qt and is imported only when asked for) :mod:`.reports.pdf`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import Any

from .core import export_formats
from .core.errors import ValidationError
from .core.services import validation as v

AddCommand = Callable[[str, str, Callable[..., None]], Any]
IMPORT_FORMATS = ("json", "taskwarrior", "todotxt", "ics", "todoist", "ticktick",
                  "google-tasks", "habitica", "csv")
DEFAULT_MAX_MB = 50


def register_io_commands(add_command: AddCommand) -> None:
    """Add ``export`` and ``import`` to the parser (``add_command(name, help, handler)``
    returns the sub-parser, already given --db/--profile/--json)."""
    p = add_command("export", "export stats and data (CSV, JSON backup, iCalendar, PDF)",
                    cmd_export)
    p.description = (
        "CSV files are UTF-8, RFC 4180, with a header row. A text cell that a spreadsheet "
        "would run as a formula (starting with =, +, -, @, tab or carriage return) gets a "
        "leading single quote; number columns (ids, points, signed points, counts, "
        "minutes) are plain numbers, so a debit's -10 stays a number; --bom starts each "
        "file with a UTF-8 byte-order mark for Excel and LibreOffice. JSON is a full, "
        "versioned backup; ICS holds time slots (VEVENT, UTC), tasks and goals with their "
        "steps (VTODO); todotxt and taskwarrior write the tasks for those tools (`task "
        "import FILE`); PDF is a report card for a period (default: the last 30 days).")
    p.add_argument("--format", required=True, choices=tuple(export_formats.EXPORTS),
                   dest="fmt")
    p.add_argument("--out", required=True, metavar="PATH",
                   help="a file, or a folder (CSV: ledger.csv, tasks.csv, daily_stats.csv)")
    p.add_argument("--from", dest="start", metavar="DATE",
                   help="first day (CSV ledger/daily stats, ICS, PDF; PDF default: 30 days "
                        "ago)")
    p.add_argument("--to", dest="end", metavar="DATE", help="last day (default: today)")
    p.add_argument("--all-profiles", action="store_true",
                   help="every profile instead of the current one (CSV, JSON, ICS)")
    p.add_argument("--table", choices=("ledger", "tasks", "daily_stats"),
                   help="CSV: the table to write when --out is a file (default: ledger)")
    p.add_argument("--bom", action="store_true",
                   help="CSV: start with a UTF-8 byte-order mark (Excel, LibreOffice)")
    p = add_command("import", "import a JSON backup, or what Taskwarrior, todo.txt, "
                    "calendars, Todoist, TickTick, Google Tasks or Habitica wrote", cmd_import)
    p.description = (
        "All or nothing: the whole file is checked first (errors name the line or field) "
        "and then written in one transaction. Imported completions are history without "
        "points unless --award. Items are matched by their identity in the source: "
        "importing the same file again changes nothing, a newer export updates what "
        "changed. --dry-run shows what would happen without writing. A JSON backup "
        "restores its profiles into empty ones and rebuilds progress by replaying its "
        "events. todoist reads a template CSV or a backup zip; csv reads Momentum's own "
        "tasks.csv.")
    p.add_argument("--format", required=True, choices=IMPORT_FORMATS, dest="fmt")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--award", action="store_true",
                   help="earn points for imported completions (replayed at their times)")
    p.add_argument("--dry-run", dest="dry_run", action="store_true",
                   help="show what would be added, updated, unchanged and skipped; write "
                        "nothing")
    p.add_argument("--max-size", dest="max_size", metavar="MB", default=str(DEFAULT_MAX_MB),
                   help=f"refuse larger files (default {DEFAULT_MAX_MB} MB)")


def _dates(args: argparse.Namespace) -> tuple[date | None, date | None]:
    start = v.optional_date(args.start, "from")
    end = v.optional_date(args.end, "to")
    if start is not None and end is not None and start > end:
        raise ValidationError("from", "must not be after --to")
    return start, end


def _rows_text(rows: dict[str, int]) -> str:
    """``1 task, 12 events`` (table names are plural: ``tasks`` → ``1 task``)."""
    return ", ".join(_count(count, name.replace("_", " ")) for name, count in rows.items())


def _count(count: int, name: str) -> str:
    if count == 1:
        singular = name[:-3] + "y" if name.endswith("ies") else name.removesuffix("s")
        return f"1 {singular}"
    return f"{count:,} {name}"


def cmd_export(app: Any, args: argparse.Namespace, out: Any) -> None:
    if args.out == "-":
        _export_to_stdout(app, args, out)
        return
    _export(app, args, out)


def _export_to_stdout(app: Any, args: argparse.Namespace, out: Any) -> None:
    """``--out -``: the export (a text format, one file) is written to a private
    temporary folder, then copied to standard output; nothing else is printed there."""
    import shutil  # noqa: PLC0415
    import tempfile  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    if args.fmt == "pdf":
        raise ValidationError("out", "a PDF cannot be written to standard output; give a "
                              "file name")
    with tempfile.TemporaryDirectory(prefix="momentum-export-") as folder:
        args.out = str(Path(folder) / f"export.{args.fmt}")
        _export(app, args, _Silent())
        with open(args.out, "rb") as handle:
            stream = out.out
            stream.flush()
            target = getattr(stream, "buffer", None)
            if target is not None:
                shutil.copyfileobj(handle, target)
                target.flush()
            else:
                stream.write(handle.read().decode("utf-8"))


class _Silent:
    """A printer that prints nothing (the export itself is the output)."""

    def emit(self, data: Any, text: Any) -> None:
        pass


def _export(app: Any, args: argparse.Namespace, out: Any) -> None:
    start, end = _dates(args)
    fmt = export_formats.get(args.fmt)
    if args.table and args.fmt != "csv":
        raise ValidationError("table", "only for --format csv")
    if args.bom and args.fmt != "csv":
        raise ValidationError("bom", "only for --format csv")
    if not fmt.dated and (start is not None or end is not None):
        raise ValidationError("from", "a backup is always whole (no --from/--to)"
                              if args.fmt == "json" else
                              f"a {args.fmt} export holds every task (no --from/--to)")
    if args.all_profiles and not fmt.every_profile:
        raise ValidationError("all-profiles", "a report card is for one profile "
                              "(choose it with --profile)")
    options = {"table": args.table, "bom": args.bom} if args.fmt == "csv" else {}
    result = fmt.run(app, args.out, start=start, end=end, all_profiles=args.all_profiles,
                     **options)
    out.emit({"exported": result.to_json()}, lambda: _export_text(args.fmt, result))


def _export_text(fmt: str, result: Any) -> str:
    """What ``export`` prints for each format's result."""
    if fmt == "csv":
        return "\n".join(f"{name}: {result.rows[name]:,} rows → {path}"
                         for name, path in result.files.items())
    if fmt == "json":
        return (f"Backup of {result.profiles} profile{'s' * (result.profiles != 1)} "
                f"({_rows_text({k: result.rows.get(k, 0) for k in ('tasks', 'events')})}) "
                f"→ {result.path}")
    if fmt == "ics":
        return f"Calendar: {_rows_text(result.rows)} → {result.path}"
    if fmt == "pdf":
        lines = [(f"Report card {result.start} – {result.end} ({result.pages} pages) → "
                  f"{result.path}")]
        outcome = result.outcome
        if outcome is not None:
            lines += [f"Achievement unlocked: {a.name} (+{a.points})"
                      for a in outcome.achievements]
        return "\n".join(lines)
    lines = [f"{fmt}: {_rows_text(result.rows)} → {result.path}"]  # todotxt, taskwarrior
    lines += [f"  not written: {n:,} {reason}" for reason, n in result.left_out.items()]
    return "\n".join(lines)


def _max_bytes(value: str) -> int:
    try:
        megabytes = float(value)
    except (TypeError, ValueError):
        raise ValidationError("max-size", f"not a number of megabytes: {value!r}") from None
    if not 0 < megabytes <= 100_000:
        raise ValidationError("max-size", f"must be between 0 and 100000 MB, got {value}")
    return int(megabytes * 1_000_000)


def cmd_import(app: Any, args: argparse.Namespace, out: Any) -> None:
    from .core.imports import import_file, preview_file
    from .core.services.changes import IMPORTED

    if args.award and args.fmt == "json":
        raise ValidationError("award", "a backup replays its own events (and their points); "
                              "--award is for the other formats")
    if args.dry_run and args.award:
        raise ValidationError("dry-run", "writes nothing, so it awards nothing (drop --award)")
    if args.dry_run:
        result = preview_file(app, args.fmt, args.path, max_bytes=_max_bytes(args.max_size))
    else:
        result = app.history.perform(
            lambda: import_file(app, args.fmt, args.path, award=args.award,
                                max_bytes=_max_bytes(args.max_size)),
            unrecorded=IMPORTED).result

    out.emit(result.to_json(), lambda: import_text(args.fmt, result))


def import_text(fmt: str, result: Any) -> str:
    """What ``import`` prints for ``result`` (an ``ImportResult``; the command line's
    light path prints through this too)."""
    counts = {k: n for k, n in result.counts.items() if n}
    verb = "Would import" if result.dry_run else "Imported"
    totals = result.totals() if result.changes else {}
    updated = f"{totals['updated']:,} updated" if totals.get("updated") else "nothing new"
    lines = [f"{verb} from {fmt}: {_rows_text(counts) or updated}"]
    if result.changes:
        lines.append(f"  {totals['added']:,} added, {totals['updated']:,} updated, "
                     f"{totals['unchanged']:,} unchanged (already imported)")
        lines += [f"  updated {u['kind']} {u['id']} {u['title']!r}: "
                  f"{', '.join(u['fields'])}" for u in result.updated[:20]]
        if len(result.updated) > 20:
            lines.append(f"  … and {len(result.updated) - 20:,} more updated")
    lines += [f"  skipped {n:,} {reason}" for reason, n in result.skipped.items()]
    lines += [f"  note: {n:,} {reason}" for reason, n in result.notices.items()]
    if result.points_awarded:
        lines.append(f"  +{result.points_awarded:,} points awarded")
    check = result.verification
    if check is not None:
        if check["matches_backup"]:
            lines.append(f"Replayed {_count(check['events_replayed'], 'events')}: "
                         "progress, ledger, "
                         "achievements, streaks and milestones match the backup.")
        else:
            diffs = ", ".join(f"{name} ({d['missing']} missing, {d['unexpected']} "
                              "unexpected)" for name, d in check["differences"].items())
            lines.append(f"Replayed {_count(check['events_replayed'], 'events')}; "
                         "the rebuilt data "
                         f"differs from the backup's in: {diffs}. The rebuilt values are "
                         "kept (they follow from the events).")
    return "\n".join(lines)
