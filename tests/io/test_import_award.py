"""``import --award`` is the engine's fold over the imported completions (issue 18): the
same points, streaks, achievements and milestones as completing each task with
``done --at`` in the same order, written as one batch."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from io_support import services

from momentum_app.core.catalog import Kind
from momentum_app.core.imports import import_file

START = datetime(2025, 11, 3, 7, 0, tzinfo=UTC)


def completions(count: int) -> list[dict[str, object]]:
    """Tasks done over a few weeks, some days several, some days none (streaks break)."""
    out = []
    for number in range(count):
        day = number // 3 + (number // 20) * 2  # gaps every 20 completions
        done = START + timedelta(days=day, hours=number % 3 * 5, minutes=number)
        out.append({"uuid": f"00000000-0000-4000-8000-{number:012d}",
                    "description": f"Task {number}", "status": "completed",
                    "entry": (done - timedelta(days=1)).strftime("%Y%m%dT%H%M%SZ"),
                    "end": done.strftime("%Y%m%dT%H%M%SZ"),
                    "priority": "HML"[number % 3], "project": ["Work", "Home"][number % 2],
                    "due": (done + timedelta(days=number % 4 - 1)).strftime(
                        "%Y%m%dT000000Z")})
    return out


def seen(db: Path) -> dict[str, object]:
    with services(db) as app:
        return {"progress": app.reads.progress(), "streaks": app.reads.streaks(),
                "achievements": app.reads.achievements(everything=True),
                "milestones": app.reads.milestones(),
                "history": sorted((row.points, row.reason, str(row.created_at))
                                  for row in app.reads.history(limit=None))}


def test_award_gives_what_completing_each_one_gives(empty_db, template_db, tmp_path):
    tasks = completions(90)
    source = tmp_path / "tw.json"
    source.write_text(json.dumps(tasks), encoding="utf-8")
    with services(empty_db) as app:
        result = import_file(app, "taskwarrior", source, award=True)
    assert result.counts["awarded"] == 90 and result.points_awarded > 0

    by_hand = tmp_path / "by_hand.sqlite3"
    by_hand.write_bytes(template_db.read_bytes())
    with services(by_hand) as app:  # the same tasks, then `done --at` one by one
        app.projects.add("Work")
        app.projects.add("Home")
        for task in sorted(tasks, key=lambda t: str(t["end"])):
            when = datetime.strptime(str(task["end"]), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            due = datetime.strptime(str(task["due"]), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            added = app.items.add_task(str(task["description"]), project=str(task["project"]),
                                       complexity={"H": 4, "M": 3, "L": 2}[str(task["priority"])],
                                       due=due.date().isoformat())
            app.items.complete(Kind.TASK, added.id, at=when.isoformat())
    assert seen(empty_db) == seen(by_hand)
    with services(empty_db) as app:
        assert app.reads.progress().total_points == result.points_awarded
        assert all(t.status == "done" for t in app.items.list_tasks(status="all"))
