"""The undo history: every change this replica makes, with what takes it back (SPEC v2 §9).

How it works, in three pieces:

* **Recording.** A service that changes something calls :func:`record` (or one of its
  helpers) *inside its own transaction* with the operation(s) that take the change back —
  its **inverse**: a completion's is its reversal (``reopen``), a creation's a (soft)
  delete, an edit's the previous column values (``columns``), a purchase's a refund, a
  custom event's a ``custom_event_reversal``. The first record of a transaction makes one
  :class:`~momentum_app.core.models.UndoEntry` (one user action = one entry), later ones
  in the same transaction join it. A new entry clears the redo side, as in every editor.
* **Operations** (:data:`OPS`) are plain JSON (``{"op": "reopen", "args": {...}}``), so
  the history survives the process: ``momentum task done 3`` then ``momentum undo`` in
  another process, or Ctrl+Z in the window, work alike.
* **Replaying.** :meth:`HistoryService.undo` runs an entry's operations, last first, in
  one transaction. Each operation is itself a recording service call, so while replaying,
  :func:`record` does not make a new entry: it *captures* the inverse of what it just did,
  and that becomes the entry's other side (the undo of a ``reopen`` is a ``complete`` at
  the original instant; the undo of that ``complete`` is a ``reopen`` of the occurrence
  it spawned). Inverses are always computed from the data as it is, never guessed.

The history is per profile (the window's switch of profile shows that profile's
history) and keeps the last :data:`HISTORY_LIMIT` actions (trimmed every 16th entry, so
up to 15 more may wait for the next trim).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import delete, func, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import catalog
from ..catalog import Kind
from ..db import Database
from ..engine.outcome import Outcome
from ..errors import MomentumError, ValidationError
from ..kinds import Status
from ..models import (
    Base,
    Completion,
    Event,
    EventType,
    Goal,
    GoalStep,
    Profile,
    Project,
    Reminder,
    Reward,
    Task,
    TimeSlot,
    UndoEntry,
    Vacation,
    table_of,
)
from . import planning as plan
from .changes import OpChanges, OpChangesWith, Scope, of_ops, outcome_of
from .context import Context
from .engine_store import raw
from .history_log import DONE, HISTORY_LIMIT, UNDONE, columns_op
from .history_log import NOW as NOW  # re-exported: imports record soft deletes with it
from .history_log import Op as Op  # re-exported: the services record with history.Op
from .history_log import _decode as _decode  # the operations' JSON values
from .history_log import _encode as _encode
from .history_log import rows_op as rows_op  # re-exported: imports record with it
from .read_dto import HistoryStatus as HistoryStatus  # re-exported: it lived here
from .screen_reads import history_status_of

if TYPE_CHECKING:
    from . import Momentum

T = TypeVar("T")
#: ``session.info`` keys: the entry this transaction records into, or (while replaying)
#: the list that captures the inverses of the operations run.
_ENTRY, _CAPTURE = "momentum.undo.entry", "momentum.undo.capture"
#: The rows a ``columns`` operation may set back, by table name.
MODELS: dict[str, type[Base]] = {model.__tablename__: model for model in (
    Task, Goal, GoalStep, TimeSlot, Project, Profile, Vacation, Reward, EventType, Reminder)}
#: Columns a ``columns`` operation never touches (keys, bookkeeping).
_FIXED = frozenset({"id", "profile_id", "created_at", "updated_at"})
#: A task's tags travel with its columns under this name.
TAGS = "$tags"


@dataclass(frozen=True)
class Replayed:
    """An undo or a redo that was applied."""

    entry_id: int
    label: str
    #: "undo" or "redo".
    action: str
    #: The engine outcomes of the operations run (a reopen's debits, a redo's credits).
    outcomes: tuple[Outcome, ...]
    #: What the undo or redo changed (the same rows the action touched).
    changes: OpChanges = field(default_factory=OpChanges)

    @property
    def points(self) -> int:
        return sum(o.points_awarded for o in self.outcomes)

    def to_json(self) -> dict[str, Any]:
        verb = "undone" if self.action == "undo" else "redone"
        return {verb: self.label, "id": self.entry_id, "points_awarded": self.points}


# -- recording ------------------------------------------------------------------------------


def record(session: Session, ctx: Context, label: str, *inverse: Op) -> None:
    """Remember that this transaction did something ``inverse`` takes back. ``label``
    names the action ("Complete “Buy milk”"); "" for a part of a larger one."""
    captured: list[Op] | None = session.info.get(_CAPTURE)
    if captured is not None:  # replaying an entry: its other side is being computed
        captured.extend(inverse)
        return
    entry: UndoEntry | None = session.info.get(_ENTRY)
    ops = [op.to_json() for op in inverse]
    if entry is None:
        now = ctx.now()
        session.execute(delete(UndoEntry).where(UndoEntry.profile_id == ctx.profile_id,
                                                UndoEntry.state == UNDONE))
        entry = UndoEntry(profile_id=ctx.profile_id, label=label[:300], ops=ops, state=DONE,
                          created_at=now, updated_at=now)
        session.add(entry)
        session.info[_ENTRY] = entry
        session.flush()
        if entry.id % 16 == 0:  # now and then: the table stays small, a write stays cheap
            _trim(session, ctx.profile_id)
    else:
        if label and not entry.label:  # a part recorded first (a project made on the way)
            entry.label = label[:300]
        entry.ops = [*entry.ops, *ops]  # a new list, so the JSON column sees the change
        session.flush()
    ctx.recorded = entry.id


def _trim(session: Session, profile_id: int) -> None:
    oldest_kept = session.scalar(
        select(UndoEntry.id).where(UndoEntry.profile_id == profile_id)
        .order_by(UndoEntry.id.desc()).offset(HISTORY_LIMIT - 1).limit(1))
    if oldest_kept is not None:
        session.execute(delete(UndoEntry).where(UndoEntry.profile_id == profile_id,
                                                UndoEntry.id < oldest_kept))


def snapshot(session: Session, row: Base) -> dict[str, object]:
    """A row's settable columns (and a task's tags), JSON-ready: what an edit restores."""
    values = {attr.key: _encode(getattr(row, attr.key))
              for attr in inspect(type(row)).column_attrs if attr.key not in _FIXED}
    if isinstance(row, Task) and row.id is not None:
        values[TAGS] = list(plan.task_tags(session, row.id))
    return values


def record_edit(session: Session, ctx: Context, label: str, row: Base,
                before: Mapping[str, object]) -> None:
    """Record an edit of ``row`` since ``before`` (a :func:`snapshot`): its inverse sets
    the changed columns back. An edit that changed nothing is not an action."""
    session.flush()
    after = snapshot(session, row)
    previous = {name: value for name, value in before.items() if after.get(name) != value}
    if previous:
        record(session, ctx, label, _columns_op(row, previous))


def record_created(session: Session, ctx: Context, label: str, row: Base) -> None:
    """Record a creation: its inverse is a soft delete (``deleted_at`` set when undone)."""
    session.flush()
    record(session, ctx, label, _columns_op(row, {"deleted_at": NOW}))


def _columns_op(row: Base, values: Mapping[str, object]) -> Op:
    return columns_op(row.__tablename__, row.id, values)  # type: ignore[attr-defined]


# -- operations ------------------------------------------------------------------------------

OpFunction = Callable[["Momentum", Session, Mapping[str, Any]],
                      Outcome | list[Outcome] | None]


def _apply_columns(app: Momentum, session: Session, args: Mapping[str, Any]) -> None:
    """Set columns of one row back (an edit's undo, a soft delete or its restore)."""
    ctx = app.ctx
    model = MODELS[str(args["table"])]
    row = session.get(model, int(args["id"]))
    if row is None:
        raise ValidationError("undo", "what it changed no longer exists")
    before = snapshot(session, row)
    now = ctx.now()
    values = {name: _decode(value, now) for name, value in dict(args["values"]).items()}
    if isinstance(row, Profile) and values.get("deleted_at") is not None:
        _check_profile_removable(session, ctx, row)
    tags = values.pop(TAGS, None)
    for name, value in values.items():
        setattr(row, name, value)
    if hasattr(row, "updated_at"):
        row.updated_at = now
    if isinstance(row, Task) and tags is not None:
        assert isinstance(tags, list | tuple), tags  # a snapshot stores a task's tags as a list
        plan.clear_tags(session, row.id)
        plan.add_tags(session, row, [str(t) for t in tags], now)
    try:
        session.flush()
    except IntegrityError:
        raise ValidationError("undo", "another row now has the same name") from None
    _settings_follow(session, row, values, now)
    undo_values = {name: before.get(name) for name in args["values"]}
    record(session, ctx, "", _columns_op(row, undo_values))


def _settings_follow(session: Session, row: Base, values: Mapping[str, object],
                     now: datetime) -> None:
    """A profile's rules or vacations moved: the engine logs the settings in force."""
    from .profiles import DISPLAY_ONLY, record_settings  # noqa: PLC0415 (profiles imports us)

    if isinstance(row, Vacation):
        record_settings(session, row.profile_id, now)
    elif isinstance(row, Profile) and row.deleted_at is None and (
            set(values) - DISPLAY_ONLY - {"deleted_at"}):
        record_settings(session, row.id, now)


def _check_profile_removable(session: Session, ctx: Context, profile: Profile) -> None:
    """Undoing a profile's creation: only while it is empty (its data is never thrown
    away by an undo) and not the one in use."""
    if profile.id == ctx.profile_id or profile.is_default:
        raise ValidationError("undo", f"profile {profile.name!r} is in use")
    used = session.scalar(select(func.count()).select_from(Event).where(
        Event.profile_id == profile.id, Event.type != "settings_changed")) or 0
    items = sum(session.scalar(select(func.count()).select_from(model).where(
        model.profile_id == profile.id)) or 0 for model in (Task, Goal, TimeSlot))
    if used or items:
        raise ValidationError("undo", f"profile {profile.name!r} has its own data now; "
                              "it is kept")


def _complete(app: Momentum, session: Session, args: Mapping[str, Any]) -> Outcome:
    return app.items.complete(Kind(args["kind"]), args["id"], at=args.get("at")).outcome


def _reopen(app: Momentum, session: Session, args: Mapping[str, Any]) -> Outcome:
    return app.items.reopen(Kind(args["kind"]), args["id"], spawned=args.get("spawned")).outcome


def _buy(app: Momentum, session: Session, args: Mapping[str, Any]) -> None:
    reward = session.get(Reward, int(args["reward"]))
    if reward is None or reward.deleted_at is not None:
        raise ValidationError("undo", "the reward is no longer in the shop")
    app.rewards.buy(reward.name)


def _refund(app: Momentum, session: Session, args: Mapping[str, Any]) -> None:
    app.rewards.refund(args["purchase"])


def _log_event(app: Momentum, session: Session, args: Mapping[str, Any]) -> Outcome:
    return app.events.process_event(str(args["type"]), dict(args.get("meta") or {}),
                                    at=args.get("at"))


def _reverse_event(app: Momentum, session: Session, args: Mapping[str, Any]) -> Outcome:
    return app.events.reverse_custom(int(args["event"]))


def _add_custom_achievement(app: Momentum, session: Session, args: Mapping[str, Any]) -> None:
    app.events.add_custom_achievement(**dict(args["fields"]))


def _drop_custom_achievement(app: Momentum, session: Session, args: Mapping[str, Any]
                             ) -> None:
    app.events.remove_custom_achievement(int(args["id"]))


def _chunks(values: list[T], size: int = 500) -> Iterable[list[T]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _apply_rows(app: Momentum, session: Session, args: Mapping[str, Any]) -> None:
    """:func:`rows_op`: plain ``UPDATE`` statements, grouped by the values they set; its
    inverse sets the same columns back to what they are now. No tags, no profile rules:
    for items' own columns (a creation's soft delete, its restore)."""
    ctx = app.ctx
    model = MODELS[str(args["table"])]
    table = table_of(model)
    rows = [(int(row_id), dict(values)) for row_id, values in args["rows"]]
    names = sorted({name for _row_id, values in rows for name in values})
    session.flush()
    current: dict[int, dict[str, object]] = {}
    for chunk in _chunks([row_id for row_id, _values in rows]):
        for found in session.execute(select(table.c.id, *(table.c[n] for n in names))
                                     .where(table.c.id.in_(chunk))):
            current[found[0]] = {n: _encode(found[i + 1]) for i, n in enumerate(names)}
    if len(current) != len({row_id for row_id, _values in rows}):
        raise ValidationError("undo", "what it changed no longer exists")
    now = ctx.now()
    groups: dict[str, tuple[dict[str, object], list[int]]] = {}
    for row_id, values in rows:
        key = json.dumps(values, sort_keys=True)
        groups.setdefault(key, (values, []))[1].append(row_id)
    for values, ids in groups.values():
        decoded = {name: _decode(value, now) for name, value in values.items()}
        if "updated_at" in table.c:
            decoded["updated_at"] = now
        for chunk in _chunks(ids):
            session.execute(table.update().where(table.c.id.in_(chunk)).values(**decoded))
    session.expire_all()  # the ORM's copies of those rows are stale now
    record(session, ctx, "", rows_op(model.__tablename__, (
        (row_id, {name: current[row_id][name] for name in values})
        for row_id, values in rows)))


def _apply_sources(app: Momentum, session: Session, args: Mapping[str, Any]) -> None:
    """Set an import's identity rows (``import_sources``, by source id) to the given
    values (``None``: absent, so the next import of that item adds it again); its
    inverse sets them back to what they are now. See :mod:`.import_undo`."""
    from .import_undo import put_sources  # noqa: PLC0415 (it builds on this module)

    previous = put_sources(session, int(args["profile"]), str(args["format"]),
                           dict(args["rows"]))
    record(session, app.ctx, "", Op("sources", {**args, "rows": previous}))


def _apply_tags(app: Momentum, session: Session, args: Mapping[str, Any]) -> None:
    """Drop tags (with their links) or make them again (with theirs); the inverse does
    the other. See :mod:`.import_undo`."""
    from .import_undo import drop_tags, make_tags  # noqa: PLC0415

    profile_id = int(args["profile"])
    made = make_tags(session, profile_id, list(args.get("make") or []), app.ctx.now())
    dropped = drop_tags(session, profile_id, [str(n) for n in args.get("drop") or []])
    record(session, app.ctx, "", Op("tags", {"profile": profile_id, "drop": made,
                                             "make": dropped}))


def _awarded_item(session: Session, kind: Kind, item_id: int) -> Task | TimeSlot:
    """A task or time slot an import's ``--award`` completed (the kinds it completes)."""
    item = (session.get(Task, item_id) if kind is Kind.TASK
            else session.get(TimeSlot, item_id) if kind is Kind.SLOT else None)
    if item is None or item.deleted_at is not None:
        raise ValidationError("undo", "what it completed no longer exists")
    return item


def _completions_of(session: Session, kind: Kind, item_id: int) -> list[Completion]:
    return list(session.scalars(select(Completion).where(
        Completion.kind == kind.value, Completion.item_id == item_id)
        .order_by(Completion.event_id)))


def _reopen_many(app: Momentum, session: Session, args: Mapping[str, Any]) -> list[Outcome]:
    """Reopen many completions at once (an import's ``--award``): their reversals as one
    fold of the engine (:func:`.engine_batch.process_events`), as ``reopen`` would one by
    one; the inverse completes them again at their instants (``complete_many``)."""
    from .engine_batch import NewEvent, process_events  # noqa: PLC0415 (heavy, rarely used)

    now = app.ctx.now()
    events, again = [], []
    for kind_name, item_id in args["items"]:
        kind = Kind(kind_name)
        item = _awarded_item(session, kind, int(item_id))
        completions = _completions_of(session, kind, item.id)
        active = [c for c in completions if c.active]
        if item.status != Status.DONE or not active or item.completed_at is None:
            raise ValidationError("undo", f"“{item.title}” is no longer done")
        reopened = len(completions) - len(active)
        events.append(NewEvent(catalog.REVERSAL_EVENT, {
            "completion": active[-1].event_id, "item_id": item.id, "kind": kind.value}, now,
            f"{kind.value}:{item.id}:reopen:{reopened + 1}"))
        again.append([kind.value, item.id, item.completed_at.isoformat()])
        item.status, item.completed_at = "open", None
    outcomes = process_events(session, now, app.ctx.profile_id, events)
    record(session, app.ctx, "", Op("complete_many", {"items": again}))
    return outcomes


def _complete_many(app: Momentum, session: Session, args: Mapping[str, Any]) -> list[Outcome]:
    """Complete many items at their instants, oldest first, as one fold (the redo of an
    import's ``--award``); the inverse is ``reopen_many``."""
    from .engine_batch import NewEvent, process_events  # noqa: PLC0415

    chosen = sorted(((Kind(k), int(i), datetime.fromisoformat(at)) for k, i, at in
                     args["items"]), key=lambda c: (c[2], c[0].value, c[1]))
    events, back = [], []
    for kind, item_id, when in chosen:
        item = _awarded_item(session, kind, item_id)
        if item.status == Status.DONE:
            raise ValidationError("redo", f"“{item.title}” is already done")
        count = len(_completions_of(session, kind, item.id))
        events.append(NewEvent(catalog.COMPLETION_SOURCE[kind],
                               app.items.completion_meta(session, kind, item), when,
                               f"{kind.value}:{item.id}:done:{count + 1}"))
        back.append([kind.value, item.id])
        item.status, item.completed_at = "done", when
    outcomes = process_events(session, app.ctx.now(), app.ctx.profile_id, events)
    record(session, app.ctx, "", Op("reopen_many", {"items": back[::-1]}))
    return outcomes


def _unrestore(app: Momentum, session: Session, args: Mapping[str, Any]) -> None:
    from .restore_undo import unrestore  # noqa: PLC0415 (it builds on this module)

    unrestore(app, session, args)


def _restore_file(app: Momentum, session: Session, args: Mapping[str, Any]) -> None:
    from .restore_undo import restore_file  # noqa: PLC0415

    restore_file(app, session, args)


OPS: dict[str, OpFunction] = {
    "columns": _apply_columns, "complete": _complete, "reopen": _reopen, "buy": _buy,
    "refund": _refund, "log_event": _log_event, "reverse_event": _reverse_event,
    "add_custom_achievement": _add_custom_achievement,
    "drop_custom_achievement": _drop_custom_achievement,
    "rows": _apply_rows, "sources": _apply_sources, "tags": _apply_tags,
    "reopen_many": _reopen_many, "complete_many": _complete_many,
    "unrestore": _unrestore, "restore_file": _restore_file,
}


# -- a whole-database restore: where the history ends ----------------------------------------

#: The operation of the entry ``momentum restore`` leaves on each profile's history: it
#: is never run; an undo that reaches it says where the database before it is.
RESTORED = "database_restored"


def mark_database_restored(db: Database, now: datetime, source: Path,
                           before: Path | None) -> None:
    """After ``momentum restore FILE`` replaced the database: the history the backup
    brought (another time's actions) is dropped and each profile's history starts with
    the restore, which an undo cannot take back — the history before it was in the
    database replaced. Undo then says so, and where the copy of that database is."""
    op = Op(RESTORED, {"source": str(source), "before": None if before is None
                       else str(before), "at": now.isoformat()})
    with db.transaction() as session:
        session.execute(delete(UndoEntry))
        for profile_id in session.scalars(select(Profile.id)):
            session.add(UndoEntry(profile_id=profile_id, state=DONE, ops=[op.to_json()],
                                  label=f"Restore the database from {source.name}",
                                  created_at=now, updated_at=now))


def _refuse_restored(entry: UndoEntry) -> None:
    """An undo that reached a whole-database restore: refused, the entry stays."""
    if len(entry.ops) != 1 or entry.ops[0].get("op") != RESTORED:
        return
    args = entry.ops[0].get("args") or {}
    before = args.get("before")
    back = (f"the database as it was before is at {before} (`momentum restore {before}` "
            "brings it back)" if before else "there was no sound database before it to "
            "keep a copy of")
    raise ValidationError("undo", f"cannot undo the restore of the database from "
                          f"{args.get('source')} (at {args.get('at')}): the history before "
                          f"it was in the database it replaced; {back}")


# -- undo and redo --------------------------------------------------------------------------


class HistoryService:
    """``momentum undo`` / ``momentum redo`` and the window's Undo/Redo."""

    def __init__(self, app: Momentum) -> None:
        self.app = app
        self.ctx = app.ctx

    def status(self) -> HistoryStatus:
        """One implementation with the window's first screen
        (:func:`.screen_reads.history_status_of`)."""
        with self.ctx.db.reading() as session:
            return history_status_of(raw(session), self.ctx.profile_id)

    def perform(self, action: Callable[[], T], initiator: object | None = None,
                unrecorded: Scope = Scope.NONE) -> OpChangesWith[T]:
        """Run one service call — the one door of every action, the window's and the
        command line's — and return the typed record of what it changed, with the call's
        result on it. The scopes and rows come from what the call recorded in the
        history (nothing recorded: nothing changed); the outcome is the one the call
        returned. ``unrecorded``: what an action the history does not record changes
        (an import: :data:`~.changes.IMPORTED`)."""
        self.ctx.recorded = None
        result = action()
        entry_id = self.ctx.recorded
        outcome = outcome_of(result)
        moved = unrecorded | (Scope.PROGRESS if outcome is not None else Scope.NONE)
        if entry_id is None:  # nothing was recorded: nothing changed but the outcome's
            return OpChangesWith(moved, initiator=initiator, outcome=outcome, result=result)
        with self.ctx.db.reading() as session:
            entry = session.get(UndoEntry, entry_id)
            ops = list(entry.ops) if entry is not None else []
        scopes, touched = of_ops(ops)
        return OpChangesWith(scopes | moved, touched, initiator, outcome, entry_id,
                             result=result)

    def clear(self) -> None:
        """Forget this profile's history (nothing in the data changes)."""
        with self.ctx.db.transaction() as session:
            session.execute(delete(UndoEntry).where(UndoEntry.profile_id == self.ctx.profile_id))

    def undo(self) -> Replayed:
        """Take the latest action back (its inverse, in one transaction)."""
        return self._replay(DONE, UNDONE, "undo")

    def redo(self) -> Replayed:
        """Do the latest undone action again."""
        return self._replay(UNDONE, DONE, "redo")

    def _next(self, session: Session, state: str) -> UndoEntry | None:
        # Undo takes the newest action; redo the one undone last, which is the oldest
        # entry on the redo side (undo walks down the ids).
        order = UndoEntry.id.desc() if state == DONE else UndoEntry.id.asc()
        return session.scalar(select(UndoEntry).where(
            UndoEntry.profile_id == self.ctx.profile_id, UndoEntry.state == state)
            .order_by(order).limit(1))

    def _replay(self, source: str, target: str, verb: str) -> Replayed:
        failed: tuple[int, str, str] | None = None
        with self.ctx.db.transaction() as session:
            entry = self._next(session, source)
            if entry is None:
                raise ValidationError(verb, f"nothing to {verb}")
            _refuse_restored(entry)
            captured: list[Op] = []
            session.info[_CAPTURE] = captured
            try:
                outcomes = tuple(self._run(session, entry))
            except MomentumError as exc:
                reason = exc.message if isinstance(exc, ValidationError) else str(exc)
                failed = (entry.id, entry.label, reason)
                session.rollback()  # nothing of the failed replay is kept
            finally:
                session.info.pop(_CAPTURE, None)
            if failed is None:
                if len(captured) != len(entry.ops):
                    raise RuntimeError(f"an operation of {entry.label!r} recorded no inverse")
                scopes, touched = of_ops(entry.ops)
                entry.ops = [op.to_json() for op in captured]
                entry.state, entry.updated_at = target, self.ctx.now()
                session.flush()
                changes = OpChanges(scopes, touched, None,
                                    outcomes[-1] if outcomes else None, entry.id)
                return Replayed(entry.id, entry.label, verb, outcomes, changes)
        # The action can no longer be taken back (or done again): like an editor's
        # obsolete command it leaves the history, so the actions before it stay reachable.
        entry_id, label, reason = failed
        with self.ctx.db.transaction() as session:
            session.execute(delete(UndoEntry).where(UndoEntry.id == entry_id))
        raise ValidationError(verb, f"cannot {verb} {label}: {reason} (taken off the "
                              "history)")

    def _run(self, session: Session, entry: UndoEntry) -> Iterable[Outcome]:
        for data in reversed(entry.ops):
            op = Op.from_json(data)
            outcome = OPS[op.name](self.app, session, op.args)
            if isinstance(outcome, list):
                yield from outcome
            elif outcome is not None:
                yield outcome
