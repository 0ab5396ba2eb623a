"""The doctor's pre-flight: what would stop a replay, found and named in plain words.

Run before the replay of :mod:`.doctor`, on raw SQL (nothing is decoded, so damaged JSON
cannot raise). It finds:

* derived tables that are missing (a dropped ``streaks``, the ``tasks_fts`` search index):
  they follow from the events and the tasks, so ``--fix`` recreates and rebuilds them;
* events whose details (``meta``) or stored outcome are not valid JSON (a truncated or
  edited file that still passes ``integrity_check``): nothing else holds them, so they
  cannot be repaired; the replay is not attempted;
* reversals whose completion event is gone: the replay could not apply them either.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from ..models import DERIVED_TABLES
from ..sqlite import SEARCH_INDEX

#: Shown at most, per kind of damage (the count is always given).
LISTED = 10


@dataclass
class Findings:
    missing_tables: list[str] = field(default_factory=list)
    damaged_events: list[int] = field(default_factory=list)
    orphan_reversals: list[int] = field(default_factory=list)

    @property
    def blocks_replay(self) -> bool:
        return bool(self.damaged_events or self.orphan_reversals)

    def problems(self) -> list[str]:
        lines = [f"the table {name} is missing (it is derived: `momentum doctor --fix` "
                 "rebuilds it)" for name in self.missing_tables]
        if self.damaged_events:
            lines.append(f"{len(self.damaged_events)} event(s) have damaged details (not "
                         f"valid JSON): id {_ids(self.damaged_events)}")
        if self.orphan_reversals:
            lines.append(f"{len(self.orphan_reversals)} reopening event(s) undo a completion "
                         f"event that is missing from the log: id "
                         f"{_ids(self.orphan_reversals)}")
        return lines

    def unrepairable(self) -> list[str]:
        if not self.blocks_replay:
            return []
        return ["the event log itself is damaged, and nothing else holds what is missing: "
                "the derived tables were not rebuilt (nothing was changed). A backup made "
                "before the damage (`momentum backups`) still has it."]


def _ids(ids: list[int]) -> str:
    shown = ", ".join(str(i) for i in ids[:LISTED])
    return shown + (f" and {len(ids) - LISTED} more" if len(ids) > LISTED else "")


def preflight(connection: Any) -> Findings:
    """Look, change nothing."""
    findings = Findings()
    present = {row[0] for row in connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    findings.missing_tables = [model.__tablename__ for model in DERIVED_TABLES
                               if model.__tablename__ not in present]
    if SEARCH_INDEX not in present:
        findings.missing_tables.append(SEARCH_INDEX)
    findings.damaged_events = [row[0] for row in connection.exec_driver_sql(
        "SELECT id FROM events WHERE (meta IS NOT NULL AND NOT json_valid(meta)) "
        "OR (outcome IS NOT NULL AND NOT json_valid(outcome)) ORDER BY id")]
    findings.orphan_reversals = [row[0] for row in connection.exec_driver_sql(
        "SELECT r.id FROM events AS r WHERE r.type = 'reversal' AND json_valid(r.meta) AND ("
        " (json_extract(r.meta, '$.completion') IS NOT NULL AND NOT EXISTS ("
        "   SELECT 1 FROM events AS c WHERE c.id = json_extract(r.meta, '$.completion')"
        "   AND c.profile_id = r.profile_id))"
        " OR (json_extract(r.meta, '$.completion') IS NULL"
        "   AND json_extract(r.meta, '$.reverses') IS NOT NULL AND NOT EXISTS ("
        "   SELECT 1 FROM events AS c WHERE c.key = json_extract(r.meta, '$.reverses')"
        "   AND c.profile_id = r.profile_id))) ORDER BY r.id")]
    return findings


def recreate_missing(connection: Any, names: list[str]) -> None:
    """Create the missing derived tables empty (the replay then fills them) and the
    search index with its triggers (rebuilt from the tasks)."""
    for model in DERIVED_TABLES:
        if model.__tablename__ in names:
            model.__table__.create(connection, checkfirst=True)  # type: ignore[attr-defined]
    if SEARCH_INDEX in names:
        migration = importlib.import_module("momentum_app.migrations.versions.0003_fast_task_lists")
        connection.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_INDEX} USING fts5(title, notes, "
            "content='tasks', content_rowid='id', tokenize='trigram')")
        for name, body in migration.TRIGGERS.items():
            connection.exec_driver_sql(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
        connection.exec_driver_sql(f"INSERT INTO {SEARCH_INDEX} ({SEARCH_INDEX}) "
                                   "VALUES ('rebuild')")
