"""A replica's data as every replica should hold it: local ids replaced by uids.

:func:`fingerprint` is what "replicas agree" means (SPEC v2 §13): the synced source data
(by uid, each row's fields with references as uids), the events, and the derived state
(ledger rows, completions, counters, day and week stats, streaks, achievements,
milestones) with every local id (events, items, projects, profiles, custom achievements)
replaced by its uid. Two replicas that read each other's files have equal fingerprints,
equal to a fresh replica's that read the folder. The tests and the Syncthing bench
compare them; :func:`summary_hash` is one line of it.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter as Multiset
from typing import Any

from sqlalchemy import Connection, select, text

from ..models import Event, SyncEvent, SyncId
from . import registry
from .registry import SYNCED

_SKIP = {"ledger": {"id", "reverses_id"}, "streak_bonus_grants": {"id"},
         "milestone_grants": {"id"}}


class _Uids:
    def __init__(self, conn: Connection) -> None:
        self.rows: dict[str, dict[int, str]] = {}
        for tbl, uid, local in conn.execute(select(SyncId.tbl, SyncId.uid, SyncId.local_id)):
            mine = self.rows.setdefault(tbl, {})
            mine[local] = min(uid, mine.get(local, uid))  # the same choice everywhere
        self.rows["events"] = {e: u for e, u in conn.execute(
            select(SyncEvent.event_id, SyncEvent.uid))}

    def __call__(self, tbl: str, local: Any) -> Any:
        if local is None:
            return None
        return self.rows.get(tbl, {}).get(int(local), f"local:{tbl}:{local}")

    def scope(self, scope: str) -> str:
        if scope.startswith("project:"):
            return f"project:{self('projects', scope.split(':', 1)[1])}"
        return scope


def source(conn: Connection, uids: _Uids | None = None) -> dict[str, dict[str, Any]]:
    uids = uids or _Uids(conn)
    result: dict[str, dict[str, Any]] = {}
    for entry in SYNCED:
        rows = {}
        for row in conn.execute(select(entry.table)):
            values = {}
            for column in entry.fields:
                value = row._mapping[column.name]
                target = registry.reference(column)
                values[column.name] = uids(target, value) if target else registry.encode(value)
            # a link (task_tags) is its columns; two replicas may know it by two uids
            rows[json.dumps(values, sort_keys=True) if entry.link
                 else uids(entry.name, row._mapping["id"])] = values
        result[entry.name] = rows
    events = {}
    for row in conn.execute(select(Event.id, Event.profile_id, Event.type, Event.occurred_at,
                                   Event.activity_day)):
        events[uids("events", row[0])] = [uids("profiles", row[1]), row[2],
                                          row[3].isoformat(), row[4].isoformat()]
    result["events"] = events
    return result


def derived(conn: Connection, uids: _Uids | None = None) -> dict[str, list[Any]]:
    uids = uids or _Uids(conn)
    ev = lambda v: uids("events", v)  # noqa: E731
    maps: dict[str, dict[str, Any]] = {
        "completions": {"event_id": ev, "reversed_by": ev,
                        "project_id": lambda v: uids("projects", v)},
        "ledger": {"event_id": ev, "completion_id": ev},
        "day_stats": {name: ev for name in ("first_task_holder", "early_bird_holder",
                                            "night_owl_holder", "weekend_holder")},
        "week_stats": {"perfect_week_holder": ev},
        "streak_bonus_grants": {"event_id": ev},
        "achievement_progress": {"event_id": ev, "achievement_id": lambda v: (
            f"custom:{uids('custom_achievements', v.split(':', 1)[1])}"
            if str(v).startswith("custom:") else v)},
        "milestone_grants": {"event_id": ev, "scope": uids.scope},
        "counters": {"scope": uids.scope},
    }
    result = {}
    for name, mapping in maps.items():
        rows = Multiset()
        for row in conn.execute(text(f"SELECT * FROM {name}")):  # noqa: S608 - fixed names
            values = dict(row._mapping)
            for column in _SKIP.get(name, ()):
                values.pop(column, None)
            if "profile_id" in values:
                values["profile_id"] = uids("profiles", values["profile_id"])
            if name == "completions":
                table = registry.ITEM_TABLES.get(values["kind"])
                values["item_id"] = uids(table, values["item_id"]) if table else None
            for column, convert in mapping.items():
                values[column] = convert(values[column])
            rows[json.dumps(values, sort_keys=True, default=str)] += 1
        result[name] = sorted(rows.elements())
    result["board"] = sorted(json.dumps([uids("profiles", pid), week]) for pid, week in
                             conn.execute(text("SELECT id, board_checked_week FROM profiles")))
    return result


def fingerprint(conn: Connection) -> dict[str, Any]:
    uids = _Uids(conn)
    return {"source": source(conn, uids), "derived": derived(conn, uids)}


def summary_hash(conn: Connection) -> str:
    return hashlib.sha256(json.dumps(fingerprint(conn), sort_keys=True, default=str)
                          .encode()).hexdigest()[:16]
