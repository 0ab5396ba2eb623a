"""The command line's light path (issue 14): the hot commands without SQLAlchemy.

``momentum task add TITLE``, ``task done ID``, ``task list`` and ``progress`` are what a
person (or a script, or a shell prompt) runs most, and ``import --format taskwarrior FILE``
is what a person moving from Taskwarrior runs first (issue 18 item 5,
:mod:`.core.imports.light`); through the full command line each
spends ~0.3 s importing SQLAlchemy and the models before a query of a millisecond. Here
they run on a bare sqlite3 connection (:mod:`.core.services.light`) through the same
service functions the full path calls, and print through the same printer and texts
(:mod:`.cli_text`), so their output, errors, exit codes and undo-history entries are
the full path's.

:func:`parse` accepts a strict subset of those commands' spellings — the global
``--db PATH`` and ``--json`` anywhere, ``--complexity`` and ``--notes`` after
``task add``, ``--at`` after ``task done``, ``--status`` and ``--search`` after
``task list`` (text only: ``--json`` lists carry sync ids; the search is
:func:`.core.services.task_listing.search_filter`, the full path's own), ``--format``
and ``--max-size`` after ``import``
— and answers None for anything else (another command or option, ``--profile``,
``--help``, an abbreviation, a value that starts with ``-``), which goes to the full
parser: every usage error is argparse's own. :func:`run` answers None when the database
needs the full opening (see :func:`.core.services.light.open_light`) or the command the
general path (a repeating task's completion, a profile without its Inbox, an import that
updates items or is not Taskwarrior's); nothing has been written or printed
then. ``tests/cli/test_cli_light.py`` checks both paths agree.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .cli_text import Printer, outcome_json, outcome_text, progress_text, task_table
from .core.clock import clock_from_env
from .core.dbfile import canonical_path, default_db_path
from .core.kinds import Status
from .core.services.context import Actor
from .core.services.light import LightDatabase, open_light

#: Each light command: its words, its own options (after its words) and positionals.
COMMANDS: dict[tuple[str, ...], tuple[frozenset[str], int]] = {
    ("task", "add"): (frozenset({"--complexity", "--notes"}), 1),
    ("task", "done"): (frozenset({"--at"}), 1),
    ("task", "list"): (frozenset({"--status", "--search"}), 0),
    ("progress",): (frozenset(), 0),
    ("import",): (frozenset({"--format", "--max-size"}), 1),
}
STATUSES = (*Status, "all")
#: The commands that make the day's scheduled backup when it is due, as the full opening
#: does (the others leave the file to the full path then: the backup is most of their time).
BACKS_UP = frozenset({("import",)})


@dataclass(frozen=True)
class LightCommand:
    """A command line the light path can run, as the full parser would read it."""

    words: tuple[str, ...]
    db: str | None = None
    json: bool = False
    argument: str | None = None
    options: Mapping[str, str] = field(default_factory=dict)

    @property
    def db_path(self) -> Path:
        return canonical_path(self.db if self.db else default_db_path())


def parse(args: list[str]) -> LightCommand | None:
    """``args`` as a light command, or None: the full parser reads them."""
    words: list[str] = []
    positionals: list[str] = []
    options: dict[str, str] = {}
    db: str | None = None
    as_json = False
    index = 0
    while index < len(args):
        word = args[index]
        index += 1
        if word.startswith("-"):
            name, equals, value = word.partition("=")
            if name == "--json" and not equals:
                as_json = True
                continue
            own = COMMANDS.get(tuple(words), (frozenset(), 0))[0]
            if name != "--db" and name not in own:
                return None
            if not equals:
                if index == len(args):
                    return None
                value, index = args[index], index + 1
            if value.startswith("-"):
                return None
            if name == "--db":
                db = value
            else:
                options[name] = value
        elif tuple(words) in COMMANDS:
            positionals.append(word)
        else:
            words.append(word)
            if not any(key[:len(words)] == tuple(words) for key in COMMANDS):
                return None
    command = COMMANDS.get(tuple(words))
    if command is None or len(positionals) != command[1]:
        return None
    if words == ["task", "list"] and (as_json or options.get("--status", Status.OPEN)
                                      not in STATUSES):
        return None
    return LightCommand(tuple(words), db, as_json, positionals[0] if positionals else None,
                        options)


def run(command: LightCommand, out: TextIO) -> int | None:
    """Run ``command``: 0 when done, None (nothing written, nothing printed) when the
    full path must run it instead. A mistake raises as in the full path."""
    clock = clock_from_env()
    database = open_light(command.db_path, clock if command.words in BACKS_UP else None)
    if database is None:
        return None
    try:
        actor = Actor(clock, database.profile_id)
        done = HANDLERS[command.words](database, actor, command, Printer(command.json, out))
    finally:
        database.close()
    if done:  # else the full path opens the file again, and warns itself
        for warning in database.warnings:
            sys.stderr.write(f"warning: {warning}\n")
    return 0 if done else None


Handler = Callable[[LightDatabase, Actor, LightCommand, Printer], bool]


def _task_add(database: LightDatabase, actor: Actor, command: LightCommand,
              out: Printer) -> bool:
    from .core.services.task_add import add_plain_task  # noqa: PLC0415

    with database.write() as conn:
        task = add_plain_task(actor, conn, command.argument,
                              command.options.get("--complexity", 1),
                              command.options.get("--notes") or "")
    if task is None:
        return False
    out.emit({"id": task.id}, f"Added task {task.id}: {task.title}")
    return True


def _task_done(database: LightDatabase, actor: Actor, command: LightCommand,
               out: Printer) -> bool:
    from .core.services.task_completion import complete_and_record  # noqa: PLC0415

    with database.write() as conn:
        result = complete_and_record(actor, conn, command.argument,
                                     command.options.get("--at"), None)
    if result is None:
        return False
    out.emit(outcome_json(result.outcome),
             lambda: f"Done: {result.item.title}\n" + outcome_text(result.outcome))
    return True


def _task_list(database: LightDatabase, actor: Actor, command: LightCommand,
               out: Printer) -> bool:
    from .core.services.task_listing import list_by_status  # noqa: PLC0415

    with database.read() as conn:
        tasks = list_by_status(conn, actor.profile_id,
                               command.options.get("--status", Status.OPEN), actor.now(),
                               search=command.options.get("--search"))
    out.emit(None, lambda: task_table(tasks))
    return True


def _progress(database: LightDatabase, actor: Actor, command: LightCommand,
              out: Printer) -> bool:
    from .core.services.progress import progress_of  # noqa: PLC0415

    with database.read() as conn:
        data = progress_of(conn, actor.profile_id, actor.now())
    out.emit(data.to_json, lambda: progress_text(data))
    return True


def _import(database: LightDatabase, actor: Actor, command: LightCommand,
            out: Printer) -> bool:
    from .cli_io import DEFAULT_MAX_MB, _max_bytes, import_text  # noqa: PLC0415
    from .core.imports.light import FORMATS, import_plain  # noqa: PLC0415

    fmt = command.options.get("--format")
    if fmt not in FORMATS:
        return False  # another format, or none (argparse says it is required)
    assert command.argument is not None and fmt is not None
    result = import_plain(database, actor, fmt, command.argument,
                          _max_bytes(command.options.get("--max-size", str(DEFAULT_MAX_MB))))
    if result is None:
        return False
    out.emit(result.to_json(), lambda: import_text(fmt, result))
    return True


HANDLERS: dict[tuple[str, ...], Handler] = {
    ("task", "add"): _task_add, ("task", "done"): _task_done,
    ("task", "list"): _task_list, ("progress",): _progress, ("import",): _import,
}
