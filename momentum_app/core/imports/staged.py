"""A large import, written in short batches yet all or nothing for the person (issue #20).

One transaction for 20,000 tasks holds SQLite's write lock for many seconds (each row
also feeds the search index): every other writer — the window, a ``task add`` — waits,
and gives up after the busy timeout. So a plan with more than :data:`STAGE_FROM` new
tasks and slots is written like this:

1. **sort** the plan on a read snapshot (no lock);
2. **prepare** (one short write): the new projects, and a hidden *staging profile*
   (deleted, named ``STAGING_PREFIX…``: the name also records the newest project and tag
   ids before the import) that owns the new items while they are written;
3. **stage** the new tasks and slots, their tags and their import identities, under the
   staging profile, :data:`BATCH` items per short write transaction. Nobody sees them:
   every view, list and count is per profile. Between two batches the import pauses
   only while another writer waits for the lock (:mod:`..write_waiting`);
4. **swap** (one short write): move the staged rows to the person's profile with one
   ``UPDATE … SET profile_id`` per table (0.5 s for 22,000 tasks, no search-index work),
   then write the rest of the plan (goals, updated items, ``--award`` completions)
   exactly as a small import does, and delete the staging profile.

If anything fails or is cancelled before the swap, the staged rows are deleted (again in
short batches) and the projects made in step 2 are removed if still empty: nothing is
left. If the process dies instead, the next start that has the database to itself finds
the staging profile and deletes it (:func:`discard_abandoned`). If another import of the
same source ran meanwhile (the identities changed), the staged rows are discarded and
the plan is written whole in one transaction, as before (None is returned).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from ..exports.common import Feedback
from ..kinds import SourceKind
from ..models import ImportSource, Profile, Project, Tag, Task, TimeSlot
from ..services import Momentum
from ..services.engine_store import insert_rows
from ..staging import BATCH, staging_name
from ..staging import discard as _discard
from ..write_waiting import let_in
from . import apply, identity, plain
from .common import ImportPlan, ImportResult, SlotRecord, TaskRecord

#: Plans with more new tasks and slots than this are staged.
STAGE_FROM = 2000
#: The longest pause between two batches while another writer waits for the lock
#: (:func:`..write_waiting.let_in`: there is none when nobody waits).
YIELD_SECONDS = 0.5


def worth_staging(plan: ImportPlan) -> bool:
    return len(plan.tasks) + len(plan.slots) > STAGE_FROM


def _identities_mark(session: Session, profile_id: int, fmt: str) -> tuple[int, int]:
    """Changes when another import of this source writes (count and newest row)."""
    count, newest = session.execute(select(func.count(), func.max(ImportSource.id)).where(
        ImportSource.profile_id == profile_id, ImportSource.format == fmt)).one()
    return int(count), int(newest or 0)


def apply_staged(app: Momentum, plan: ImportPlan, *, award: bool,
                 hooks: Feedback) -> ImportResult | None:
    """Write a large plan (see the module docstring); None: write it whole instead."""
    identified = apply.identify(plan)  # hashed once, sorted here and again in the swap
    with app.db.reading() as session:
        planned = apply._sort(session, app.profile_id, plan, identified=identified)
        mark = _identities_mark(session, app.profile_id, plan.source)
    entries = [e for e in planned.added if e.kind in (SourceKind.TASK, SourceKind.SLOT)]
    if len(entries) <= STAGE_FROM:
        return None
    now = app.clock.now()
    result = ImportResult(plan.source, skipped=dict(plan.skipped), notices=dict(plan.notices))
    result.counts["projects"] = 0
    with app.db.transaction() as session:
        newest_project = int(session.scalar(select(func.max(Project.id))) or 0)
        newest_tag = int(session.scalar(select(func.max(Tag.id))) or 0)
        projects = apply._project_ids(session, app.profile_id,
                                      identity.project_names(planned.added + planned.updated),
                                      now, result.counts)
        # the name records what a crash-time clean-up must take back (staging.py)
        staging = Profile(name=staging_name(app.profile_id, newest_project, newest_tag,
                                            uuid.uuid4().hex), timezone="UTC",
                          is_default=False, created_at=now, deleted_at=now)
        session.add(staging)
        session.flush()
        staging_id = staging.id
    awards: list[apply.Award] = []
    try:
        for kind, model in ((SourceKind.TASK, Task), (SourceKind.SLOT, TimeSlot)):
            chosen = [e for e in entries if e.kind == kind]
            for start in range(0, len(chosen), BATCH):
                hooks.check()
                chunk = chosen[start:start + BATCH]
                with app.db.transaction() as session:
                    awards += _stage(app, session, plan, chunk, model, projects, staging_id,
                                     award)
                hooks.report("tasks" if kind == SourceKind.TASK else "time_slots",
                             start + len(chunk), len(chosen))
                # Let a waiting writer in (SQLite's busy handler polls, and a loop that
                # begins again at once would win every time) — only when one waits.
                let_in(app.db.path, YIELD_SECONDS)
        hooks.check()
        with app.db.transaction() as session:
            if _identities_mark(session, app.profile_id, plan.source) != mark:
                raise _Changed
            conn = session.connection()
            for table in ("tasks", "time_slots", "reminders", "import_sources"):
                conn.execute(text(f"UPDATE {table} SET profile_id = :person "  # noqa: S608
                                  "WHERE profile_id = :staging"),
                             {"person": app.profile_id, "staging": staging_id})
            conn.execute(delete(Profile).where(Profile.id == staging_id))
            apply.write_plan(app, session, plan, result, award=award, hooks=hooks,
                             planned=planned, staged=frozenset(e.source_id for e in entries),
                             staged_awards=awards, identified=identified,
                             newest=(newest_project, newest_tag))
    except _Changed:
        _discard(app.db, staging_id, app.profile_id, newest_project, newest_tag)
        return None
    except BaseException:
        _discard(app.db, staging_id, app.profile_id, newest_project, newest_tag)
        raise
    return result


class _Changed(Exception):
    """Another import of the same source wrote while this one was staged."""


def _stage(app: Momentum, session: Session, plan: ImportPlan, chunk: list[Any], model: Any,
           projects: dict[str | None, int], staging_id: int,
           award: bool) -> list[apply.Award]:
    """One batch of new items under the staging profile; their ``--award`` completions."""
    now = app.clock.now()
    tz_name = app.profiles.current().timezone
    if model is Task:  # tags are the person's (made on first use, like a small import)
        ids, rows = plain.new_tasks(session, staging_id, app.profile_id, chunk, projects, now,
                                    award, tz_name, Feedback())
        apply._insert_reminders(session, staging_id,
                                zip(ids, rows, (e.record for e in chunk), strict=True),
                                tz_name, now)
    else:
        rows = [identity.slot_row(staging_id, e.record, now, award) for e in chunk]
        ids = apply._insert_with_ids(session, model, rows, Feedback(), model.__tablename__)
    insert_rows(session, "import_sources", [
        identity.source_row(staging_id, plan.source, e, item_id, now)
        for e, item_id in zip(chunk, ids, strict=True)])
    earned = [apply.award_of(e.record, row, now) for e, row in zip(chunk, rows, strict=True)
              if award and isinstance(e.record, TaskRecord | SlotRecord)]
    return [a for a in earned if a is not None]
