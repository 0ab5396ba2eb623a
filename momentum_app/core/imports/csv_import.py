"""CSV imports: the reading every CSV format shares, and Momentum's own ``tasks.csv``.

:func:`csv_rows` reads a CSV file (RFC 4180, any of comma / semicolon / tab, a UTF-8 BOM
allowed) into dicts keyed by the header, each with the line it starts on, so errors name
the line. A header must have the columns the format needs, else the file is refused.

**Momentum's own CSV** (``momentum export --format csv --table tasks``): ``title``,
``project``, ``status``, ``complexity``, ``due_date``, ``repeat_rule``, ``created_at``,
``completed_at``, ``notes``, ``due_time`` (local ``HH:MM``), ``tags`` (space-separated),
``hidden_until`` (``YYYY-MM-DD``), ``repeat_after`` and ``reminders`` (minutes before the
due or UTC instants, space-separated; an older file has neither column). The export's
formula guard (a leading ``'`` before ``=``, ``+``, ``-``, ``@``, tab or carriage return) is
taken off again. Identity: the ``profile``
and ``id`` columns (and the id points back at the item when it is imported into the
database it came from).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime

from ..errors import ValidationError
from ..exports.common import Feedback
from ..exports.csv_export import FORMULA_TRIGGERS
from ..kinds import Status
from ..services import validation as v
from . import common
from .common import ImportPlan, TaskRecord

MOMENTUM_COLUMNS = ("id", "title", "status")


def csv_rows(text: str, required: tuple[str, ...], *, what: str,
             skip_until: str | None = None) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, {column: value})`` for each data row. ``skip_until``: preamble lines are
    skipped until one that starts with this header cell (TickTick's backup)."""
    lines = text.splitlines(keepends=True)
    start = 0
    if skip_until is not None:
        for index, text_line in enumerate(lines):
            if text_line.lstrip('"\ufeff').startswith(skip_until):
                start = index
                break
        else:
            raise ValidationError("line 1", f"not a {what} (no header row starting with "
                                  f"{skip_until!r})")
    body = "".join(lines[start:])
    try:
        delimiter = csv.Sniffer().sniff(body[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # Only the delimiter is guessed: quoting is RFC 4180's ("" inside quotes is one "),
    # which the sniffer gets wrong on a line like "Bake bread, the ""good"" recipe".
    reader = csv.reader(io.StringIO(body), csv.excel, delimiter=delimiter)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except StopIteration:
        raise ValidationError("line 1", f"not a {what}: the file is empty") from None
    except csv.Error as exc:
        raise ValidationError(f"line {start + 1}", f"not a CSV file ({exc})") from None
    lowered = [h.lower() for h in header]
    missing = [c for c in required if c.lower() not in lowered]
    if missing:
        raise ValidationError(f"line {start + 1}", f"not a {what}: the header has no "
                              f"{', '.join(missing)} column")
    line = start + reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ValidationError(f"line {start + reader.line_num}",
                                  f"not a CSV row ({exc})") from None
        if any(cell.strip() for cell in row):
            if len(row) > len(header):
                raise ValidationError(f"line {line}", f"{len(row)} cells where the header "
                                      f"has {len(header)} (a quote missing?)")
            yield line, {lowered[i]: cell for i, cell in enumerate(row)}
        line = start + reader.line_num + 1


def unguard(text: str) -> str:
    """A cell written with Momentum's formula guard, as it was."""
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def instant(text: str, field_name: str, tz_name: str) -> datetime | None:
    text = text.strip()
    return v.instant(text, field_name, tz_name) if text else None


def parse_csv(text: str, tz_name: str, hooks: Feedback | None = None, *,
              now: datetime) -> ImportPlan:
    hooks = hooks or Feedback()
    plan = ImportPlan("csv")
    for count, (line, row) in enumerate(csv_rows(text, MOMENTUM_COLUMNS,
                                                 what="Momentum tasks CSV"), start=1):
        with common.located(f"line {line}"):
            task_id = v.integer(row.get("id", ""), "id", 1, v.MAX_ID)
            status = row.get("status", Status.OPEN).strip() or Status.OPEN
            record = TaskRecord(
                line=line, title=unguard(row.get("title", "")),
                notes=unguard(row.get("notes", "")),
                project=unguard(row.get("project", "")).strip() or None,
                complexity=v.complexity(row.get("complexity", "").strip() or 1),
                due=v.optional_date(row.get("due_date", "").strip(), "due"),
                repeat=unguard(row.get("repeat_rule", "")).strip() or None, status=status,
                created_at=instant(row.get("created_at", ""), "created_at", tz_name),
                completed_at=instant(row.get("completed_at", ""), "completed_at", tz_name),
                source_id=f"{unguard(row.get('profile', ''))}:{task_id}", own_id=task_id,
                due_time=row.get("due_time", "").strip() or None,
                tags=unguard(row.get("tags", "")).split(),
                hidden_until=v.optional_date(row.get("hidden_until", "").strip(),
                                             "hidden_until"),
                repeat_after=row.get("repeat_after", "").strip() or None,
                reminders=common.reminders_from_text(row.get("reminders", ""))
                if status == Status.OPEN else [])
            if record.project == "Inbox":
                record.project = None
            plan.tasks.append(record.validate())
        if count % 2000 == 0:
            hooks.check()
            hooks.report("parse", count, None)
    return plan
