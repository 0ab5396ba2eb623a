"""An import is one action of the undo history (issue 15: every action is undoable).

No Qt, real SQLite: each test imports through :func:`import_text` (the CLI's and the
window's path), undoes it through ``app.history`` and checks the data, the identities
(``import_sources``), the projects, the tags and the ledger came back; redo, and a
second import after an undo, bring the import back.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_undo_history import consistent

from momentum_app.core.imports import import_text, staged
from momentum_app.core.services import Momentum

TODO = "(A) Call the bank +Money @phone\nx 2026-01-04 2026-01-02 Pay rent +Money\n"
TW_V1 = [
    {"uuid": "11111111-1111-4111-8111-111111111111", "description": "Write report",
     "status": "pending", "entry": "20251201T090000Z", "due": "20260110T120000Z",
     "project": "Work", "tags": ["deep"]},
    {"uuid": "22222222-2222-4222-8222-222222222222", "description": "Book venue",
     "status": "pending", "entry": "20251201T090000Z"},
]
ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VTODO
UID:todo-1@example.com
SUMMARY:Renew passport
DUE;VALUE=DATE:20260120
END:VTODO
BEGIN:VEVENT
UID:event-1@example.com
SUMMARY:Dentist
DTSTART:20260107T090000Z
DTEND:20260107T100000Z
END:VEVENT
END:VCALENDAR
"""


def seen(app: Momentum) -> dict[str, Any]:
    """What a person sees of the profile (its items, projects and tags) and the points."""
    tasks = app.items.list_tasks(status="all", include_hidden=True)
    return {"tasks": sorted((t.title, t.status, str(t.due), t.project, tuple(t.tags))
                            for t in tasks),
            "slots": sorted(s.title for s in app.items.list_slots()),
            "projects": sorted(p.name for p in app.projects.list()),
            "tags": sorted(app.planning.list_tags()),
            "points": app.reads.progress().total_points}


def test_a_todotxt_import_is_undone_whole_and_redone(app: Momentum) -> None:
    before = seen(app)
    result = import_text(app, "todotxt", TODO)
    assert result.counts["tasks"] == 2
    after = seen(app)
    assert after != before
    assert app.history.status().undo == "Import todotxt: 2 tasks"
    undone = app.history.undo()
    assert undone.label == "Import todotxt: 2 tasks"
    assert seen(app) == before  # the tasks, the project Money and the tags phone are gone
    consistent(app)
    app.history.redo()
    assert seen(app) == after
    consistent(app)
    # redone, the identities are back: the same file again changes nothing
    again = import_text(app, "todotxt", TODO)
    assert again.totals()["unchanged"] == 2 and again.undo_entry is None
    assert app.history.status().undo == "Import todotxt: 2 tasks"  # no new entry


def test_after_an_undo_the_same_file_imports_again(app: Momentum) -> None:
    import_text(app, "todotxt", TODO)
    after = seen(app)
    app.history.undo()
    again = import_text(app, "todotxt", TODO)
    assert again.totals()["added"] == 2  # not "already imported"
    assert seen(app) == after
    consistent(app)


def test_award_points_are_reversed_by_the_undo_and_earned_again_by_redo(app: Momentum) -> None:
    app.items.add_task("Already here")
    total = app.reads.progress().total_points
    result = import_text(app, "todotxt", TODO, award=True)
    assert result.points_awarded > 0
    earned = app.reads.progress().total_points
    undone = app.history.undo()
    assert undone.points < 0
    # an achievement the import unlocked stays (as after any undone completion)
    kept = sum(a.points for a in app.reads.achievements() if a.completed)
    assert kept == 10  # First Step
    assert app.reads.progress().total_points == total + kept
    assert undone.points == -(earned - total - kept)
    consistent(app)
    app.history.redo()
    assert app.reads.progress().total_points == earned
    consistent(app)


def test_a_taskwarrior_update_is_undone_to_the_previous_values(app: Momentum) -> None:
    import_text(app, "taskwarrior", json.dumps(TW_V1))
    first = seen(app)
    newer = [dict(t) for t in TW_V1]
    newer[0].update(due="20260115T120000Z", tags=["deep", "urgent"], project="Office")
    newer[1].update(status="completed", end="20260104T100000Z")
    newer.append({"uuid": "33333333-3333-4333-8333-333333333333", "description": "New one",
                  "status": "pending", "entry": "20260102T090000Z"})
    result = import_text(app, "taskwarrior", json.dumps(newer))
    assert result.totals()["updated"] == 2
    second = seen(app)
    assert app.history.status().undo == "Import taskwarrior: 1 task, 2 updated"
    app.history.undo()
    assert seen(app) == first  # due, tags, project, status back; Office and urgent gone
    consistent(app)
    app.history.redo()
    assert seen(app) == second
    app.history.undo()
    # the identities are as after the first import: the newer file updates again
    again = import_text(app, "taskwarrior", json.dumps(newer))
    assert again.totals() == {"added": 1, "updated": 2, "unchanged": 0, "skipped": 0}
    assert seen(app) == second
    # and the first import is still one action further down
    app.history.undo()
    app.history.undo()
    assert seen(app)["tasks"] == []
    consistent(app)


def test_an_ics_import_of_a_task_and_a_time_slot(app: Momentum) -> None:
    before = seen(app)
    import_text(app, "ics", ICS)
    after = seen(app)
    assert after["slots"] == ["Dentist"] and len(after["tasks"]) == 1
    assert app.history.status().undo == "Import ics: 1 task, 1 time slot"
    app.history.undo()
    assert seen(app) == before
    app.history.redo()
    assert seen(app) == after
    consistent(app)


def test_an_import_that_changes_nothing_is_no_action(app: Momentum) -> None:
    import_text(app, "todotxt", TODO)
    app.items.add_task("Mine")
    import_text(app, "todotxt", TODO)
    assert app.history.status().undo == "Add “Mine”"


def test_a_staged_import_is_still_one_entry(app: Momentum, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    # a small threshold and batch, so a few lines take the staged path in several batches
    monkeypatch.setattr(staged, "STAGE_FROM", 3)
    monkeypatch.setattr(staged, "BATCH", 2)
    monkeypatch.setattr(staged, "YIELD_SECONDS", 0)
    batches: list[int] = []
    stage = staged._stage
    monkeypatch.setattr(staged, "_stage", lambda *a, **k: batches.append(1) or stage(*a, **k))
    text = "".join(f"Task {n} +Big @t{n % 2}\n" for n in range(7))
    before = seen(app)
    import_text(app, "todotxt", text)
    after = seen(app)
    assert len(batches) == 4  # staged: written in four transactions
    assert len(after["tasks"]) == 7 and after["projects"] == ["Big", "Inbox"]
    status = app.history.status()
    assert (status.undo, status.done) == ("Import todotxt: 7 tasks", 1)
    app.history.undo()
    assert seen(app) == before
    app.history.redo()
    assert seen(app) == after
    app.history.undo()
    assert import_text(app, "todotxt", text).totals()["added"] == 7
    consistent(app)
