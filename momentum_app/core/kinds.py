"""The fixed words the database stores and the JSON shows, as string enums (issue 15).

Each enum is a :class:`~enum.StrEnum`: a member *is* its string (``Status.DONE == "done"``,
``json.dumps(Status.DONE) == '"done"'``, SQLite stores ``done``), so the schema, the stored
values and every ``--json`` output stay byte for byte what they were; the enums only give
the code one spelling to compare with and write. A value read back from the database is a
plain ``str`` and compares equal to its member.

* :class:`Status`: a task's, goal's, goal step's or time slot's ``status`` column.
* :class:`EntryType`: a ledger row's ``entry_type`` (and an outcome line's ``type``).
* :class:`UndoState`: an undo entry's ``state``.
* :class:`ReminderState`: a reminder's ``state``.
* :class:`Kind`: the four kinds of completion (SPEC §2); :mod:`.catalog` re-exports it.
* :class:`SourceKind`: the kind of item an ``import_sources`` row points at.

No imports beyond the standard library: the command line's light start-up may load it.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """An item's ``status`` (tasks, goals, goal steps, time slots)."""

    OPEN = "open"
    DONE = "done"


class EntryType(StrEnum):
    """A points-ledger row's ``entry_type``: Total = Σ credits − Σ debits."""

    CREDIT = "credit"
    DEBIT = "debit"


class UndoState(StrEnum):
    """An undo entry's ``state``: ``done`` (undo takes it back) or ``undone`` (redo)."""

    DONE = "done"
    UNDONE = "undone"


class ReminderState(StrEnum):
    """A reminder's ``state``: pending until shown, done once completed from it."""

    PENDING = "pending"
    SHOWN = "shown"
    DONE = "done"


class Kind(StrEnum):
    """The four kinds of completion (SPEC §2)."""

    TASK = "task"
    STEP = "goal_step"
    SLOT = "time_slot"
    GOAL = "goal"


class SourceKind(StrEnum):
    """What an imported item is, in ``import_sources.kind`` (issue 18)."""

    TASK = "task"
    SLOT = "slot"
    GOAL = "goal"


#: The name of a staging profile a large import makes (issue 20; a NUL cannot be typed
#: as a profile name). Here so that start-up checks for leftovers without the ORM.
STAGING_PREFIX = "\x00import-staging-"
