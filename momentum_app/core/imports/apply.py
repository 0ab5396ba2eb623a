"""Writing a validated :class:`~.common.ImportPlan`: matched by source identity, all or nothing.

Every imported item is remembered in ``import_sources`` with its identity in the source
(``ImportPlan``'s records carry ``source_id``: a Taskwarrior ``uuid``, an iCalendar
``UID`` [+ ``RECURRENCE-ID``], a todo.txt line's normalised text, another tool's id) and
the fields as imported. An import then sorts each record into

* **added** — an identity not seen before in this profile and format: a new item;
* **unchanged** — seen, and the source's fields are what was imported last time: nothing
  is written (a second import of the same file changes nothing);
* **updated** — seen, and the source changed some fields since: only *those* fields are
  written, so what the person edited in Momentum meanwhile stays (the outcome lists the
  items and fields).

Items from Momentum's own exports (``task-12@momentum.local``, ``momentum_id``,
``momentum:12``) carry ``own_id``: when that item still exists here with the same title, it
is the item (no duplicate on a round trip). It is compared with its own fields — or, for a
format whose export says less than the item holds (todo.txt: no notes, no due time, the
title with ``+Project @tag`` words), with what that export said of it, read back as the
importer reads it, so nothing the format cannot say is changed.

:func:`preview` runs the same sorting on a read snapshot and writes nothing: the window
shows it before the person confirms.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from .. import catalog, planning
from ..catalog import Kind
from ..errors import ValidationError
from ..exports.common import Feedback
from ..exports.task_formats import todotxt_line
from ..kinds import SourceKind, Status
from ..models import (
    Event,
    Goal,
    GoalStep,
    ImportSource,
    Profile,
    Project,
    Reminder,
    Task,
    TimeSlot,
    table_of,
)
from ..services import Momentum
from ..services.engine_batch import NewEvent, process_events
from ..services.engine_store import insert_rows
from ..services.import_undo import ImportUndo
from ..services.import_undo import label as undo_label
from ..services.planning import (
    add_tags,
    clear_reminders,
    remove_tags,
    reschedule_reminders,
    tags_of,
)
from ..services.profiles import ensure_inbox
from . import identity as identity_of
from . import plain, todotxt
from .common import GoalRecord, ImportPlan, ImportResult, SlotRecord, TaskRecord
from .identity import COUNT_KEY as COUNT_KEY
from .identity import DUPLICATE as DUPLICATE
from .identity import KIND_OF as KIND_OF
from .identity import Award as Award
from .identity import Entry as _Entry
from .identity import Record as Record
from .identity import Sorted as _Sorted
from .identity import award_of as award_of
from .identity import canonical as canonical
from .identity import content_of as content_of
from .identity import digest as digest
from .identity import due_of as _due
from .identity import identify as identify
from .identity import iso as _iso
from .identity import project_names as _project_names
from .identity import slot_row as _slot_row
from .identity import source_row as _source_row

MODEL: dict[str, type[Task] | type[TimeSlot] | type[Goal]] = {
    SourceKind.TASK: Task, SourceKind.SLOT: TimeSlot, SourceKind.GOAL: Goal}


#: Task fields compared only when the source has them (see :func:`.identity.content_of`).
_OPTIONAL = ("due_time", "hidden_until", "repeat_after")


def _row_content(session: Session, kind: str, item: Any) -> dict[str, Any]:
    """The same fields read back from an existing item (for Momentum's own exports)."""
    if kind == SourceKind.TASK:
        project = session.get(Project, item.project_id)
        content = {"title": item.title, "notes": item.notes,
                   "project": None if project is None or project.is_inbox else project.name,
                   "complexity": item.complexity, "due": _iso(item.due_date),
                   "repeat": item.repeat_rule, "status": item.status,
                   "completed_at": _iso(item.completed_at),
                   "deleted": item.deleted_at is not None}
        if item.due_time is not None:
            content["due_time"] = item.due_time
        if item.hidden_until is not None:
            content["hidden_until"] = item.hidden_until.isoformat()
        if item.repeat_after is not None:
            content["repeat_after"] = item.repeat_after
        return content
    if kind == SourceKind.SLOT:
        return {"title": item.title, "start": _iso(item.start_at), "end": _iso(item.end_at),
                "completed_at": _iso(item.completed_at)}
    project = session.get(Project, item.project_id)
    return {"title": item.title, "notes": item.notes,
            "project": None if project is None or project.is_inbox else project.name,
            "target": _iso(item.target_date), "status": item.status,
            "completed_at": _iso(item.completed_at),
            "steps": [[s.title, s.status, _iso(s.completed_at)] for s in item.steps
                      if s.deleted_at is None]}


def _todotxt_said(session: Session, item: Task, tags: tuple[str, ...]
                  ) -> dict[str, Any] | None:
    """What Momentum's own todo.txt export says of ``item`` (with these ``tags``): its
    line read back as the importer reads it (None when that line would not read back)."""
    project = session.get(Project, item.project_id)
    profile = session.get(Profile, item.profile_id)
    assert profile is not None
    line = todotxt_line(item, None if project is None or project.is_inbox else project.name,
                        {}, tags)
    try:
        return content_of(todotxt.task_record(0, line, profile.timezone))
    except ValidationError:
        return None


def _own_content(session: Session, fmt: str, kind: str, item: Any,
                 content: dict[str, Any], tags: dict[int, tuple[str, ...]]
                 ) -> dict[str, Any] | None:
    """The fields of an item an own export points at, to compare the record's
    ``content`` with: what that export said of it (todo.txt; ``tags``: the tasks' tags),
    else its own fields, minus what the format cannot say."""
    if fmt == "todotxt" and kind == SourceKind.TASK:
        return _todotxt_said(session, item, tags.get(item.id, ()))
    before = _row_content(session, kind, item)
    for own in ("tags", "reminders"):  # the item's own ones are not compared
        if own in content:
            before[own] = content[own]
    for unsaid in _OPTIONAL:  # a field the format cannot say is not removed
        if unsaid not in content:
            before.pop(unsaid, None)
    return before


#: Below this many records the remembered identities are looked up by id, not all read.
_LOOKUP_BY_ID = 1000


def _known(session: Session, profile_id: int, fmt: str,
           source_ids: list[str]) -> dict[str, ImportSource]:
    """What earlier imports of this source remembered, for these identities."""
    where = (ImportSource.profile_id == profile_id, ImportSource.format == fmt)
    if len(source_ids) >= _LOOKUP_BY_ID:
        return {row.source_id: row for row in session.scalars(select(ImportSource).where(*where))}
    known: dict[str, ImportSource] = {}
    for start in range(0, len(source_ids), 500):
        chunk = source_ids[start:start + 500]
        known.update((row.source_id, row) for row in session.scalars(
            select(ImportSource).where(*where, ImportSource.source_id.in_(chunk))))
    return known


def _load_items(session: Session, known: Iterable[ImportSource]) -> list[Any]:
    """The items these identities point at, loaded into the session (500 ids a query),
    so that the sorting's ``session.get`` of each finds it there while the caller holds
    the list: a second import of a 10k-task file asked for them one query at a time."""
    loaded: list[Any] = []
    by_kind: dict[str, list[int]] = {}
    for row in known:
        if row.kind in MODEL:
            by_kind.setdefault(row.kind, []).append(row.item_id)
    for kind, ids in by_kind.items():
        model = MODEL[kind]
        for start in range(0, len(ids), 500):
            loaded += session.scalars(select(model).where(model.id.in_(ids[start:start + 500])))
    return loaded


def _sort(session: Session, profile_id: int, plan: ImportPlan,
          skip: frozenset[str] = frozenset(),
          identified: tuple[list[_Entry], int] | None = None) -> _Sorted:
    """Sort the records into added / updated / unchanged against this session's state.
    ``skip``: source ids already written (staged items), left out of the sorting;
    ``identified``: :func:`identify`'s result when already computed."""
    entries, duplicates = identified or identify(plan)
    chosen = [e for e in entries if e.source_id not in skip] if skip else entries
    known = _known(session, profile_id, plan.source, [e.source_id for e in chosen])
    loaded = _load_items(session, known.values())  # held: the session keeps weak references
    out = _Sorted(duplicates=duplicates if not skip else 0)
    # The tags of the tasks an own todo.txt export points at, read once (not per line).
    own_tags = tags_of(session, profile_id, [
        e.record.own_id for e in chosen if e.record.own_id is not None]) \
        if plan.source == "todotxt" else {}
    for identity in chosen:
        record, kind, content = identity.record, identity.kind, identity.content
        entry = _Entry(record, kind, identity.source_id, content, identity.hash, identity.text,
                       known.get(identity.source_id))
        if entry.known is not None:
            entry.item = session.get(MODEL[entry.known.kind], entry.known.item_id)
            if entry.item is None or entry.known.kind != kind or \
                    entry.item.profile_id != profile_id:
                entry.item = None
            else:
                entry.before = entry.known.content
        if entry.item is None and record.own_id is not None:
            # A union of classes: mypy would join the row's type to Base.
            item = cast("Task | TimeSlot | Goal | None", session.get(MODEL[kind], record.own_id))
            before = _own_content(session, plan.source, kind, item, content, own_tags) \
                if item is not None and item.profile_id == profile_id else None
            if before is not None and before["title"] == record.title:
                entry.item, entry.before = item, before
        identity_of.place(out, entry)
    del loaded  # the entries hold the items they found
    return out


def _updated_list(entries: list[_Entry]) -> list[dict[str, Any]]:
    return [{"kind": e.kind, "id": e.item.id, "title": e.record.title, "fields": e.changed}
            for e in entries]


def _new_projects(session: Session, profile_id: int, names: set[str | None]) -> int:
    existing = {name.lower() for name in session.scalars(select(Project.name).where(
        Project.profile_id == profile_id))}
    return sum(1 for n in names if n is not None and n.lower() not in existing | {"inbox"})


def preview(app: Momentum, plan: ImportPlan) -> ImportResult:
    """What :func:`apply_plan` would do, from a read snapshot; nothing is written."""
    result = ImportResult(plan.source, skipped=dict(plan.skipped), notices=dict(plan.notices),
                          dry_run=True)
    with app.db.reading() as session:
        sorted_ = _sort(session, app.profile_id, plan)
        counts = identity_of.figures(result, sorted_)
        result.updated = _updated_list(sorted_.updated)
        counts["projects"] = _new_projects(
            session, app.profile_id, _project_names(sorted_.added + sorted_.updated))
    return result


# --- writing ------------------------------------------------------------------------------


def _project_ids(session: Session, profile_id: int, names: set[str | None], now: datetime,
                 counts: dict[str, int]) -> dict[str | None, int]:
    """The plan's projects (:func:`.plain.project_ids`), the Inbox made if missing."""
    inbox = ensure_inbox(session, profile_id, now).id
    return plain.project_ids(session, profile_id, inbox, names, now, counts)


def apply_plan(app: Momentum, plan: ImportPlan, *, award: bool = False,
               hooks: Feedback | None = None) -> ImportResult:
    """Write a validated plan, all or nothing: in one transaction, or — for a large plan —
    staged in short batches and swapped in by one short transaction (:mod:`.staged`)."""
    hooks = hooks or Feedback()
    from . import staged  # noqa: PLC0415 (it builds on this module)

    if staged.worth_staging(plan):
        result = staged.apply_staged(app, plan, award=award, hooks=hooks)
        if result is not None:
            return result
    result = ImportResult(plan.source, skipped=dict(plan.skipped), notices=dict(plan.notices))
    with app.db.transaction() as session:
        write_plan(app, session, plan, result, award=award, hooks=hooks)
    return result


def write_plan(app: Momentum, session: Session, plan: ImportPlan, result: ImportResult, *,
               award: bool, hooks: Feedback, planned: _Sorted | None = None,
               staged: frozenset[str] = frozenset(),
               staged_awards: list[Award] | None = None,
               identified: tuple[list[_Entry], int] | None = None,
               newest: tuple[int, int] | None = None) -> None:
    """The plan's writes inside the caller's write transaction. ``planned`` (the sorting
    made before items were staged) gives the figures the person sees; ``staged_awards``
    are the completions of items already staged (their source ids: ``staged``), to run
    through the engine here; ``identified``: the records' identities (:func:`identify`),
    when the caller computed them already. ``newest``: the newest project and tag ids
    before a staged import began (the whole import is one undo entry,
    :mod:`..services.import_undo`)."""
    profile = session.get(Profile, app.profile_id)
    assert profile is not None
    now = app.clock.now()
    undo = ImportUndo(session, profile.id, plan.source, staged=staged,
                      newest_project=newest[0] if newest else None,
                      newest_tag=newest[1] if newest else None)
    sorted_ = _sort(session, profile.id, plan, staged, identified)
    made = result.counts.get("projects", 0) if planned is not None else 0  # while staging
    counts = identity_of.figures(result, planned or sorted_, made)
    projects = _project_ids(session, profile.id,
                            _project_names(sorted_.added + sorted_.updated), now, counts)
    awards: list[Award] = list(staged_awards or [])
    by_kind: dict[str, list[_Entry]] = {kind: [e for e in sorted_.added if e.kind == kind]
                                        for kind in SourceKind}
    goal_ids = _insert_goals(session, profile.id, by_kind["goal"], projects, now)
    task_ids, task_rows = plain.new_tasks(session, profile.id, profile.id, by_kind["task"],
                                          projects, now, award, profile.timezone, hooks)
    task_records = [cast(TaskRecord, e.record) for e in by_kind["task"]]  # kind "task"
    _insert_reminders(session, profile.id, zip(task_ids, task_rows, task_records, strict=True),
                      profile.timezone, now)
    slot_rows = [_slot_row(profile.id, e.record, now, award) for e in by_kind["slot"]]
    slot_ids = _insert_with_ids(session, TimeSlot, slot_rows, hooks, "time_slots")
    sources = []
    for entries, ids, rows in ((by_kind["goal"], goal_ids, None),
                               (by_kind["task"], task_ids, task_rows),
                               (by_kind["slot"], slot_ids, slot_rows)):
        for index, (entry, item_id) in enumerate(zip(entries, ids, strict=True)):
            sources.append(_source_row(profile.id, plan.source, entry, item_id, now))
            earned = award_of(entry.record, rows[index], now) \
                if award and rows is not None else None
            if earned is not None:
                awards.append(earned)
    for entry in sorted_.updated:
        undo.before_update(session, entry.item)
        _update(session, entry, projects, now, result, profile.timezone)
    for entry in sorted_.updated + sorted_.unchanged:
        _remember(session, profile.id, plan.source, entry, now, sources)
    insert_rows(session, "import_sources", sources)
    result.updated = _updated_list(sorted_.updated)
    if awards:
        awards.sort(key=lambda a: (a[0], a[1], a[2].value, a[3]["id"]))
        result.points_awarded = _award(app, session, awards, projects[None], hooks)
        counts["awarded"] = len(awards)
    result.undo_entry = undo.record(
        session, app.ctx, undo_label(plan.source, counts, len(sorted_.updated)),
        {"goals": goal_ids, "tasks": task_ids, "time_slots": slot_ids},
        [(kind, row["id"]) for _when, _line, kind, row in awards])


def _insert_reminders(session: Session, profile_id: int,
                      tasks: Iterable[tuple[int, dict[str, Any], TaskRecord]], tz_name: str,
                      now: datetime) -> None:
    """Imported reminders of open tasks (a done or deleted task's would never fire). One
    whose time passed before the import is kept as already shown, not as a missed one."""
    rows = []
    for task_id, row, record in tasks:
        if not record.reminders or row["status"] != Status.OPEN or record.deleted_at is not None:
            continue
        rows += _reminder_rows(profile_id, task_id, record, tz_name, now)
    if rows:
        session.connection().execute(table_of(Reminder).insert(), rows)


def _reminder_rows(profile_id: int, task_id: int, record: TaskRecord, tz_name: str,
                   now: datetime) -> list[dict[str, Any]]:
    due = _due(record, tz_name)
    rows = []
    for reminder in record.reminders:
        if isinstance(reminder, datetime):
            offset, fire_at = None, reminder
        else:
            assert due is not None  # validated: an offset needs a due
            offset, fire_at = reminder, planning.reminder_time(due, reminder, tz_name)
        past = fire_at <= now
        rows.append({"profile_id": profile_id, "task_id": task_id, "offset_minutes": offset,
                     "fire_at": fire_at, "snoozed_until": None,
                     "state": "shown" if past else "pending",
                     "shown_at": now if past else None, "created_at": now})
    return rows


def _insert_goals(session: Session, profile_id: int, entries: list[_Entry],
                  projects: dict[str | None, int], now: datetime) -> list[int]:
    ids = []
    for entry in entries:
        record = entry.record
        assert isinstance(record, GoalRecord)
        goal = Goal(profile_id=profile_id, project_id=projects[record.project],
                    title=record.title, notes=record.notes, target_date=record.target,
                    status=record.status,
                    completed_at=(record.completed_at or now) if record.status == Status.DONE
                    else None,
                    created_at=record.created_at or now, updated_at=record.created_at or now)
        session.add(goal)
        session.flush()
        for position, step in enumerate(record.steps, start=1):
            session.add(GoalStep(goal_id=goal.id, title=step.title, position=position,
                                 status=step.status,
                                 completed_at=(step.completed_at or now)
                                 if step.status == Status.DONE else None,
                                 created_at=record.created_at or now))
        ids.append(goal.id)
    session.flush()
    return ids


def _remember(session: Session, profile_id: int, fmt: str, entry: _Entry, now: datetime,
              sources: list[dict[str, Any]]) -> None:
    """Store what was imported now (an updated or newly linked item)."""
    known = entry.known
    if known is not None and known.item_id == entry.item.id and known.kind == entry.kind:
        if known.content_hash != entry.hash:
            known.content_hash, known.content, known.imported_at = entry.hash, \
                entry.content, now
        return
    if known is not None:
        session.delete(known)
        session.flush()
    sources.append(_source_row(profile_id, fmt, entry, entry.item.id, now))


def _completed_here(session: Session, profile_id: int, kind: str, item_id: int) -> bool:
    """Whether the item was completed through Momentum's engine (it earned points)."""
    return session.scalar(select(func.count()).select_from(Event).where(
        Event.profile_id == profile_id, Event.key.like(f"{kind}:{item_id}:done:%"))) != 0


def _update(session: Session, entry: _Entry, projects: dict[str | None, int], now: datetime,
            result: ImportResult, tz_name: str) -> None:
    """Write the fields the source changed since the last import (and only those)."""
    item, record, changed = entry.item, entry.record, set(entry.changed)
    if entry.kind == SourceKind.SLOT:
        assert isinstance(record, SlotRecord)
        if "title" in changed:
            item.title = record.title
        if changed & {"start", "end"}:
            item.start_at, item.end_at = record.start, record.end
        if "completed_at" in changed:
            _set_status(session, entry, record.completed_at is not None,
                        record.completed_at, now, result)
        item.updated_at = record.updated_at or now
        return
    assert isinstance(record, TaskRecord | GoalRecord)
    for name in ("title", "notes"):
        if name in changed:
            setattr(item, name, getattr(record, name))
    if "project" in changed:
        item.project_id = projects[record.project]
    if isinstance(record, TaskRecord):
        if "complexity" in changed:
            item.complexity = record.complexity
        if changed & {"due", "due_time"}:
            due = _due(record, tz_name)
            item.due_date = record.due
            item.due_time, item.due_at = (due.time, due.at) if due else (None, None)
            reschedule_reminders(session, item, tz_name)
        if "tags" in changed:  # the source's additions and removals; the person's own stay
            before = set((entry.before or {}).get("tags") or [])
            remove_tags(session, item, sorted(before - set(record.tags)))
            add_tags(session, item, [t for t in record.tags if t not in before], now)
        if "reminders" in changed:
            clear_reminders(session, item.id)
            session.flush()
            if item.status == Status.OPEN and item.deleted_at is None:
                rows = _reminder_rows(item.profile_id, item.id, record, tz_name, now)
                if rows:
                    session.connection().execute(table_of(Reminder).insert(), rows)
        if changed & {"repeat", "repeat_after"}:
            item.repeat_rule, item.repeat_after = record.repeat, record.repeat_after
        if "hidden_until" in changed:
            item.hidden_until = record.hidden_until
        if "deleted" in changed:
            item.deleted_at = record.deleted_at
    else:
        if "target" in changed:
            item.target_date = record.target
        if "steps" in changed:
            _update_steps(session, item, record, now)
    if changed & {"status", "completed_at"}:
        _set_status(session, entry, record.status == Status.DONE, record.completed_at, now, result)
    item.updated_at = getattr(record, "updated_at", None) or now


def _set_status(session: Session, entry: _Entry, done: bool, when: datetime | None,
                now: datetime, result: ImportResult) -> None:
    item = entry.item
    if done and item.status != Status.DONE:
        item.status, item.completed_at = Status.DONE, when or now  # history: no points
    elif done and when is not None and item.completed_at != when and \
            not _completed_here(session, item.profile_id, entry.kind, item.id):
        item.completed_at = when
    elif not done and item.status == Status.DONE:
        if _completed_here(session, item.profile_id, entry.kind, item.id):
            reason = "kept done: completed in Momentum (reopen it there to take back points)"
            result.notices[reason] = result.notices.get(reason, 0) + 1
        else:
            item.status, item.completed_at = Status.OPEN, None


def _update_steps(session: Session, goal: Goal, record: GoalRecord, now: datetime) -> None:
    steps = {s.title: s for s in goal.steps if s.deleted_at is None}
    position = max((s.position for s in goal.steps), default=0)
    for step in record.steps:
        existing = steps.get(step.title)
        if existing is None:
            position += 1
            session.add(GoalStep(goal_id=goal.id, title=step.title, position=position,
                                 status=step.status,
                                 completed_at=(step.completed_at or now)
                                 if step.status == Status.DONE else None, created_at=now))
        elif existing.status != step.status and existing.status == Status.OPEN:
            existing.status, existing.completed_at = Status.DONE, step.completed_at or now


def _insert_with_ids(session: Session, model: Any, rows: list[dict[str, Any]],
                     hooks: Feedback, stage: str) -> list[int]:
    """:func:`.plain.insert_with_ids` into ``model``'s table."""
    return plain.insert_with_ids(session, model.__tablename__, rows, hooks, stage)


def _award(app: Momentum, session: Session,
           awards: list[tuple[datetime, int, Kind, dict[str, Any]]], inbox_id: int,
           hooks: Feedback) -> int:
    """Completions through the engine, oldest first, as ``done --at`` would process them —
    as one fold of all of them (:func:`..services.engine_batch.process_events`). Each
    event's meta is what :meth:`ItemService.completion_meta` records, read from the rows
    just inserted (an imported slot belongs to no task or goal: it counts in the Inbox)."""
    events: list[NewEvent] = []
    done: dict[Kind, list[dict[str, Any]]] = {Kind.TASK: [], Kind.SLOT: []}
    for index, (when, _line, kind, row) in enumerate(awards):
        if index % 500 == 0:
            hooks.check()
            hooks.report("award", index, len(awards))
        meta: dict[str, Any] = {"item_id": row["id"], "title": row["title"]}
        if kind is Kind.TASK:
            due = row["due_date"]
            meta.update(complexity=row["complexity"], project_id=row["project_id"],
                        due=due.isoformat() if due else None)
        else:
            meta.update(minutes=int((row["end_at"] - row["start_at"]).total_seconds() // 60),
                        project_id=inbox_id)
        events.append(NewEvent(catalog.COMPLETION_SOURCE[kind], meta, when,
                               f"{kind.value}:{row['id']}:done:1"))
        done[kind].append({"item_id": row["id"], "when": when})
    outcomes = process_events(session, app.clock.now(), app.profile_id, events)
    connection = session.connection()
    for kind, model in ((Kind.TASK, Task), (Kind.SLOT, TimeSlot)):
        if done[kind]:
            table = table_of(model)
            connection.execute(update(table).where(table.c.id == bindparam("item_id"))
                               .values(status=Status.DONE, completed_at=bindparam("when")),
                               done[kind])
    hooks.report("award", len(awards), len(awards))
    return sum(outcome.points_awarded for outcome in outcomes)
