"""What a single-profile backup cannot replay: achievements other profiles helped earn.

Team Player and Top of the Board (``catalog.CARRIED_CRITERIA``) are decided by other
profiles' activity, which a backup of one profile does not hold, so a replay of its
events alone cannot earn them again. For each one the backup's derived data shows as
earned, the restore adds an ``achievement_carried`` event to the log, placed right after
the event that first earned it and dated when it was earned (its ledger line's day and
time). The engine (``engine/step.py``) turns it into the unlock and the credit, so the
restored profile reads exactly as it did, ``momentum doctor``'s fold of the log agrees,
and a carried achievement already earned changes nothing.

Nothing is carried from an all-profiles backup (its replay earns them itself), nor what
the backup's own log already carries (a backup of a restored copy).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .. import catalog
from ..errors import ValidationError
from ..services import validation as v

#: The backup header's scope for a backup of every profile.
ALL_PROFILES = "all-profiles"


@dataclass(frozen=True)
class Carried:
    """One carried achievement: for ``profile`` (the backup's id), to be placed after the
    backup's event ``after`` (in the backup's id space; maybe another profile's)."""

    profile: int
    after: int
    event: dict[str, Any]


def carried_events(scope: str | None, profiles: list[Any]) -> list[Carried]:
    """The carried events a backup's profiles need (``profiles``: the parsed
    :class:`~.backup.ProfileData`). Rows the backup describes badly are skipped: the
    comparison with the backup then reports them."""
    if scope == ALL_PROFILES:
        return []
    result = []
    for data in profiles:
        already = {str(e["meta"].get("achievement")) for e in data.tables["events"]
                   if e["type"] == catalog.ACHIEVEMENT_CARRIED_EVENT}
        ledger = data.derived.get("ledger", [])
        for row in data.derived.get("achievement_progress", []):
            found = catalog.ACHIEVEMENTS_BY_ID.get(str(row.get("achievement_id")))
            if found is None or found.criteria not in catalog.CARRIED_CRITERIA \
                    or row.get("completed") is not True or found.id in already:
                continue
            with contextlib.suppress(ValidationError, TypeError, ValueError):
                result.append(_carried(data.row["id"], found, row, ledger))
    return result


def _carried(profile: int, achievement: catalog.Achievement, row: dict[str, Any],
             ledger: list[dict[str, Any]]) -> Carried:
    after = row.get("event_id")
    if isinstance(after, bool) or not isinstance(after, int):
        raise ValueError("no event")
    when: datetime = v.instant(row.get("completed_at"), "completed_at", "UTC")
    day = when.date()
    reason = f"Achievement: {achievement.name}"
    for line in ledger:
        if line.get("event_id") == after and line.get("source") == catalog.ACHIEVEMENT_SOURCE \
                and line.get("reason") == reason:
            day = date.fromisoformat(str(line.get("activity_day"))[:10])
            break
    return Carried(profile, after, {
        "key": f"carried:{achievement.id}", "type": catalog.ACHIEVEMENT_CARRIED_EVENT,
        "occurred_at": when, "activity_day": day, "processed_at": when,
        "meta": {"achievement": achievement.id}, "outcome": None})
