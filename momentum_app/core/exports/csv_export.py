"""CSV exports: the points ledger, the tasks and the daily stats (one row per day).

Files are UTF-8 (with a byte-order mark only when asked, ``--bom``, for Excel and
LibreOffice), RFC 4180 (the ``csv`` module's excel dialect:
comma, double-quote quoting, CRLF line ends) with a header row.

**Spreadsheet safety.** A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or
``@`` as a formula (and tab or carriage return can smuggle one in), so every *text* cell
that starts with one of those six characters is written with a single quote in front
(``=SUM(A1)`` → ``'=SUM(A1)``; ``-5 apples`` → ``'-5 apples``). *Numeric* columns (ids,
points, signed points, counts, minutes, complexity) are written as plain numbers and never
prefixed, so a debit's ``-10`` stays a number. Dates and instants are ISO 8601 and start
with a digit. The rule lives in :func:`neutralise` and, for the streamed tables, in the
identical SQL expression of :func:`_sql_text`, so the work stays in SQLite's C code.

**Streaming.** The ledger can hold millions of rows: it is read with the raw DB-API
cursor in one read transaction (a consistent snapshot, never blocking writers) and
written in chunks, with no ORM objects, so memory stays flat and the cost stays close to
``sqlite3 -csv`` (``bench/export_bench.py`` measures it).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from .. import sqlite as sqlite_layer
from ..errors import ValidationError
from ..models import DayStat, Profile
from ..services import Momentum
from . import common
from .common import Feedback

#: Characters that make a spreadsheet read a text cell as a formula (OWASP's list).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
TABLES = ("ledger", "tasks", "daily_stats")
FILE_NAMES = {"ledger": "ledger.csv", "tasks": "tasks.csv", "daily_stats": "daily_stats.csv"}
CHUNK = 5000

LEDGER_HEADER = ("id", "profile", "activity_day", "created_at", "type", "points",
                 "signed_points", "source", "reason", "event_id")
TASKS_HEADER = ("id", "profile", "project", "title", "status", "complexity", "due_date",
                "repeat_rule", "goal_id", "created_at", "completed_at", "notes", "due_time",
                "tags", "hidden_until", "repeat_after", "reminders")
DAILY_HEADER = ("date", "profile", "points", "tasks", "goal_steps", "time_slots", "goals",
                "completions", "focus_minutes")


def neutralise(text: str | None) -> str:
    """A text cell made safe for spreadsheets (see the module docstring)."""
    if not text:
        return ""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _sql_text(expression: str) -> str:
    """:func:`neutralise` as an SQLite expression."""
    return (f"CASE WHEN substr({expression}, 1, 1) IN ('=', '+', '-', '@', char(9), char(13)) "
            f"THEN '''' || {expression} ELSE {expression} END")


def _sql_instant(expression: str) -> str:
    """A stored naive-UTC ``YYYY-MM-DD HH:MM:SS[.ffffff]`` as ``YYYY-MM-DDTHH:MM:SSZ``."""
    return (f"CASE WHEN {expression} IS NULL THEN NULL "
            f"ELSE replace(substr({expression}, 1, 19), ' ', 'T') || 'Z' END")


@dataclass
class CsvExportResult:
    files: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"format": "csv", "files": self.files, "rows": self.rows}


@contextmanager
def _raw_snapshot(app: Momentum) -> Iterator[Any]:
    """A raw DB-API cursor inside one read transaction (a consistent snapshot)."""
    bind = app.db.engine.execution_options(**{sqlite_layer.READ_ONLY_OPTION: True})
    with bind.connect() as connection, connection.begin():
        raw = connection.connection.driver_connection
        assert raw is not None
        cursor = raw.cursor()
        try:
            yield cursor
        finally:
            cursor.close()


def _profile_filter(column: str, profile_ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    # The unary + keeps SQLite on the rowid order of a full scan (no sort of the result).
    if profile_ids is None:
        return "1", []
    marks = ", ".join("?" for _ in profile_ids)
    return f"+{column} IN ({marks})", list(profile_ids)


def _stream(cursor: Any, write: Callable[[list[Any]], object], sql: str,
            params: Sequence[Any], stage: str, total: int | None, hooks: Feedback) -> int:
    """Run ``sql`` and hand its rows to ``write`` a chunk at a time, reporting progress
    and checking for Cancel between chunks; the number of rows written."""
    cursor.execute(sql, params)
    written = 0
    while True:
        hooks.check()
        chunk = cursor.fetchmany(CHUNK)
        if not chunk:
            return written
        write(chunk)
        written += len(chunk)
        hooks.report(stage, written, total)


def _sql_csv_text(expression: str) -> str:
    """A text column as one finished CSV field: :func:`neutralise` of it, then quoted
    exactly as ``csv.writer`` (excel dialect, QUOTE_MINIMAL) would quote it: only when
    it holds a double quote, a comma or a line break."""
    prefix = (f"iif(substr({expression}, 1, 1) IN ('=', '+', '-', '@', char(9), char(13)), "
              "'''', '')")
    needs_quotes = (f"instr({expression}, '\"') OR instr({expression}, ',') "
                    f"OR instr({expression}, char(10)) OR instr({expression}, char(13))")
    return (f"CASE WHEN {needs_quotes} THEN '\"' || {prefix} || "
            f"replace({expression}, '\"', '\"\"') || '\"' "
            f"ELSE {prefix} || {expression} END")


def csv_field(value: object) -> str:
    """One CSV field as ``csv.writer`` writes it (for a value formatted in Python)."""
    text = "" if value is None else str(value)
    if any(ch in text for ch in '",\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _ledger_sql(profiles: Sequence[tuple[int, str]] | None, where: str) -> tuple[str, list[Any]]:
    """The ledger as one finished CSV line per row.

    The line is formatted by SQLite (``printf``) instead of handing ten Python objects
    per row to ``csv.writer``: the per-cell cost of the Python driver and of the csv
    module is what a naive export spends its time on, and this keeps a million-row
    export within twice ``sqlite3 -csv``. A test checks the bytes against ``csv.writer``
    on the same rows. ``source`` and ``entry_type`` are the engine's identifiers
    (``[a-z_]+``), never user text, so they need neither quoting nor neutralising.
    """
    params: list[Any] = []
    if profiles is not None and len(profiles) == 1:
        profile_sql = "?"
        params.append(csv_field(neutralise(profiles[0][1])))
    else:
        profile_sql = ("(SELECT " + _sql_csv_text("p.name")
                       + " FROM profiles AS p WHERE p.id = l.profile_id)")
    sql = (
        "SELECT printf('%d,%s,%s,%.10sT%sZ,%s,%d,%d,%s,%s,%d', l.id, " + profile_sql + ", "
        "l.activity_day, l.created_at, substr(l.created_at, 12, 8), l.entry_type, l.points, "
        "iif(l.entry_type = 'debit', -l.points, l.points), l.source, "
        + _sql_csv_text("l.reason") + ", l.event_id) "
        f"FROM ledger AS l WHERE {where} ORDER BY l.id"
    )
    return sql, params


def write_ledger(cursor: Any, handle: Any, profiles: Sequence[tuple[int, str]] | None,
                 start: date | None, end: date | None, hooks: Feedback) -> int:
    """The ledger (``profiles`` None: every profile), oldest row first."""
    where, filter_params = _profile_filter(
        "l.profile_id", None if profiles is None else [pid for pid, _ in profiles])
    bounds, days = sqlite_layer.day_conditions(("l.activity_day >= ?", start),
                                               ("l.activity_day <= ?", end))
    where += bounds
    filter_params += days
    total = None
    if hooks.progress is not None:
        cursor.execute(f"SELECT count(*) FROM ledger AS l WHERE {where}", filter_params)
        total = int(cursor.fetchone()[0])
    sql, params = _ledger_sql(profiles, where)
    handle.write(",".join(LEDGER_HEADER) + "\r\n")

    def write(chunk: list[Any]) -> None:  # each row is one ready CSV line
        handle.write("\r\n".join([row[0] for row in chunk]))
        handle.write("\r\n")
    return _stream(cursor, write, sql, params + filter_params, "ledger", total, hooks)


#: A task's pending reminders as :func:`.common.reminders_text` writes them (minutes before
#: the due, or the UTC instant a snoozed one shows again), in the same order.
_REMINDERS_SQL = (
    "(SELECT group_concat(r.v, ' ') FROM (SELECT CASE WHEN rm.offset_minutes IS NOT NULL "
    "THEN CAST(rm.offset_minutes AS TEXT) ELSE "
    + _sql_instant("coalesce(rm.snoozed_until, rm.fire_at)") + " END AS v "
    "FROM reminders AS rm WHERE rm.task_id = t.id AND rm.state = 'pending' "
    "ORDER BY rm.offset_minutes IS NULL, rm.offset_minutes, rm.fire_at) AS r)")


def write_tasks(cursor: Any, handle: Any, profile_ids: Sequence[int] | None,
                hooks: Feedback) -> int:
    where, params = _profile_filter("t.profile_id", profile_ids)
    total = None
    if hooks.progress is not None:
        cursor.execute(f"SELECT count(*) FROM tasks AS t WHERE {where} "
                       "AND t.deleted_at IS NULL", params)
        total = int(cursor.fetchone()[0])
    sql = (
        "SELECT t.id, " + _sql_text("p.name") + ", " + _sql_text("pr.name") + ", "
        + _sql_text("t.title") + ", t.status, t.complexity, t.due_date, "
        + _sql_text("t.repeat_rule") + ", t.goal_id, " + _sql_instant("t.created_at") + ", "
        + _sql_instant("t.completed_at") + ", " + _sql_text("t.notes") + ", t.due_time, "
        + _sql_text("(SELECT group_concat(g.name, ' ') FROM (SELECT tg.name FROM task_tags "
                    "AS tt JOIN tags AS tg ON tg.id = tt.tag_id WHERE tt.task_id = t.id "
                    "ORDER BY lower(tg.name)) AS g)") + ", t.hidden_until, t.repeat_after, "
        + _REMINDERS_SQL + " FROM tasks AS t JOIN profiles AS p ON p.id = t.profile_id "
        "JOIN projects AS pr ON pr.id = t.project_id "
        f"WHERE {where} AND t.deleted_at IS NULL ORDER BY t.id"
    )
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow(TASKS_HEADER)
    return _stream(cursor, writer.writerows, sql, params, "tasks", total, hooks)


def daily_rows(app: Momentum, profile_ids: Sequence[int] | None, start: date | None,
               end: date | None) -> Iterator[tuple[Any, ...]]:
    """One row per day and profile, every day from the first to the last (or the range)."""
    with app.db.reading() as session:
        query = select(Profile.id, Profile.name).order_by(Profile.id)
        if profile_ids is not None:
            query = query.where(Profile.id.in_(profile_ids))
        profiles = session.execute(query).all()
        for profile_id, name in profiles:
            stats = select(DayStat).where(DayStat.profile_id == profile_id)
            if start is not None:
                stats = stats.where(DayStat.day >= start)
            if end is not None:
                stats = stats.where(DayStat.day <= end)
            rows = {row.day: row for row in session.scalars(stats)}
            if not rows and (start is None or end is None):
                continue
            first = start or min(rows)
            last = end or max(rows)
            day = first
            while day <= last:
                row = rows.get(day)
                if row is None:
                    yield (day.isoformat(), neutralise(name), 0, 0, 0, 0, 0, 0, 0)
                else:
                    yield (day.isoformat(), neutralise(name), row.points, row.tasks, row.steps,
                           row.slots, row.goals, row.completions, row.focus_minutes)
                day += timedelta(days=1)


def write_daily(app: Momentum, handle: Any, profile_ids: Sequence[int] | None,
                start: date | None, end: date | None, hooks: Feedback) -> int:
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow(DAILY_HEADER)
    written = 0
    for row in daily_rows(app, profile_ids, start, end):
        writer.writerow(row)
        written += 1
        if written % CHUNK == 0:
            hooks.check()
            hooks.report("daily_stats", written, None)
    hooks.report("daily_stats", written, written)
    return written


def export_csv(app: Momentum, out: str | Path, *, table: str | None = None,
               all_profiles: bool = False, start: date | None = None, end: date | None = None,
               bom: bool = False,
               progress: common.ProgressCallback | None = None,
               should_cancel: common.CancelCheck | None = None) -> CsvExportResult:
    """Write CSV files. ``out`` is a folder (all three tables, or ``table``) or a file
    (``table``, default the ledger). ``start``/``end`` limit the ledger and daily stats.
    ``bom``: start each file with a UTF-8 byte-order mark, so Excel and LibreOffice read
    "Zürich café 👵" as UTF-8 instead of guessing a legacy code page."""
    if table is not None and table not in TABLES:
        raise ValidationError("table", f"must be one of {', '.join(TABLES)}, got {table!r}")
    if start is not None and end is not None and start > end:
        raise ValidationError("from", "must not be after --to")
    hooks = common.feedback(progress, should_cancel)
    text = str(out)
    path = Path(text).expanduser()
    if path.is_dir() or text.endswith(("/", "\\")):
        path.mkdir(parents=True, exist_ok=True)
        targets = {name: path / FILE_NAMES[name] for name in ([table] if table else TABLES)}
    else:
        targets = {table or "ledger": common.output_target(out, FILE_NAMES[table or "ledger"])}
    profile_ids = None if all_profiles else [app.profile_id]
    with app.db.reading() as session:
        names = [(p.id, p.name) for p in common.profiles_in_scope(
            session, app.profile_id, all_profiles)]
    result = CsvExportResult()
    with common.FileSet() as files:
        for name, target in targets.items():
            hooks.check()
            with files.open(target, "w", encoding="utf-8-sig" if bom else "utf-8",
                            newline="") as handle:
                if name == "daily_stats":
                    count = write_daily(app, handle, profile_ids, start, end, hooks)
                else:
                    with _raw_snapshot(app) as cursor:
                        if name == "ledger":
                            count = write_ledger(cursor, handle, None if all_profiles else names,
                                                 start, end, hooks)
                        else:
                            count = write_tasks(cursor, handle, profile_ids, hooks)
            result.files[name] = str(target)
            result.rows[name] = count
    return result
