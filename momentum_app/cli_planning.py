"""CLI commands and options of planning (SPEC v2 §12): quick add, reminders, tags, repeats.

``momentum add TEXT [--dry-run] [--keep WORD]…``, ``momentum remind list``,
``momentum remind snooze ID DURATION``, and the task options ``--tag`` (repeatable),
``--remind`` (repeatable), ``--repeat-after``; ``task list --tag``; ``task edit --untag``.
Thin, like :mod:`.cli`: the parser is :mod:`.core.quickadd`, the rest the services.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from .core.services.dto import TaskDTO

AddCommand = Callable[[Any, str, str, Callable[..., None]], argparse.ArgumentParser]
AddGroup = Callable[[str, str], Any]
RAW = argparse.RawDescriptionHelpFormatter

ADD_EPILOG = """\
The line is read word by word; what is recognised is taken out, the rest is the title:
  #Project            the project (created if new)
  @tag                a tag (several allowed)
  !1 … !5             complexity
  today, tomorrow, mon … sun, next week, in 3 days, dec 5, 2026-12-05   the due date
  5pm, 5:30pm, 17:30, at 9:30, noon                                      the due time
  every day | weekday | week | 2 weeks | mon,thu | month on the 1st      a repeat
  remind 30m | 2h | 1d                                                    a reminder
Words in "double quotes" are never parsed; --keep WORD switches one token off.

examples:
  momentum add "Call mom tomorrow 5pm #Home !3 every sun"
  momentum add --dry-run 'Read "The 5th Wave" @books'
  momentum add "Pay rent every month on the 1st remind 1d" --keep @home"""

REMIND_LIST_EPILOG = """\
Lists the reminders not shown yet of open tasks, soonest first (times in your zone).

example:
  momentum remind list --json"""

REMIND_SNOOZE_EPILOG = """\
DURATION: 10m, 1h, 2d (minutes, hours, days, weeks) or "tomorrow" (09:00 tomorrow).

examples:
  momentum remind snooze 3 10m
  momentum remind snooze 3 tomorrow"""

TASK_PLANNING_EPILOG = """\
planning options (SPEC §12):
  --due 2026-12-01 | 2026-12-01T09:00   a date alone (overdue after the day) or a local
                                        date and time (overdue after that instant)
  --tag NAME         repeatable: --tag home --tag errands
  --remind R         repeatable: 30m, 2h, 1d before the due time, or an instant
                     (2026-12-01T08:30)
  --repeat RULE      on a schedule: daily, weekdays, weekly, monthly, yearly or an RRULE,
                     e.g. "FREQ=WEEKLY;BYDAY=MO;BYHOUR=6;BYMINUTE=55;COUNT=3"
  --repeat-after D   that long after each completion: 3d, 2w, 1m (month)
  --hide-until DATE  out of `task list` and the window's lists until that day
                     (`task list --all` shows it)

example:
  momentum task add "Standup" --due 2026-12-07T09:30 --repeat weekdays --remind 10m --tag work"""


def add_task_options(p: argparse.ArgumentParser, *, edit: bool = False) -> None:
    """``--tag``, ``--remind``, ``--repeat-after`` (and ``--untag`` on edit)."""
    p.add_argument("--tag", action="append", metavar="NAME", dest="tags",
                   help="a tag (repeatable), e.g. --tag home --tag errands"
                   + ("; adds to the task's tags (--tag none removes all)" if edit else ""))
    p.add_argument("--remind", action="append", metavar="R", dest="remind",
                   help="a reminder (repeatable): 30m, 2h, 1d before the due time, or an "
                        "instant like 2026-12-01T08:30" + ("; none removes all" if edit else ""))
    p.add_argument("--repeat-after", dest="repeat_after", metavar="D",
                   help="repeat that long after each completion: 3d, 2w, 1m (month)"
                   + ("; none stops it" if edit else ""))
    p.add_argument("--hide-until", dest="hide_until", metavar="DATE",
                   help="leave the task out of `task list` until that day (YYYY-MM-DD)"
                   + ("; none shows it again" if edit else ""))
    if edit:
        p.add_argument("--untag", action="append", metavar="NAME", dest="untag",
                       help="remove a tag (repeatable), e.g. --untag errands")
    p.epilog = TASK_PLANNING_EPILOG
    p.formatter_class = RAW


def task_fields(a: argparse.Namespace, *, edit: bool = False) -> dict[str, Any]:
    """The planning options given, as keyword arguments of ``add_task``/``edit_task``."""
    fields: dict[str, Any] = {}
    tags = getattr(a, "tags", None)
    if tags and edit and [t.strip().lower() for t in tags] in (["none"], ["-"]):
        fields["set_tags"] = []
    elif tags:
        fields["tags"] = tags
    for name in ("remind", "repeat_after", "hide_until") + (("untag",) if edit else ()):
        if getattr(a, name, None) is not None:
            fields[name] = getattr(a, name)
    return fields


def task_json(task: TaskDTO) -> dict[str, Any]:
    """Keys added to a task's JSON: the due as given (with its time), tags, repeat-after."""
    return {"due": task.due_label, "due_time": task.due_time,
            "due_at": task.due_at.isoformat() if task.due_at else None,
            "tags": list(task.tags), "repeat_after": task.repeat_after,
            "overdue": task.overdue,
            "hidden_until": task.hidden_until.isoformat() if task.hidden_until else None}


def register_planning_commands(commands: Any, add_command: AddCommand,
                               add_group: AddGroup) -> None:
    """``add`` (quick add) and ``remind list|snooze``."""
    p = add_command(commands, "add", "quick add: one line with #project @tag !3 tomorrow "
                    "5pm every mon remind 30m", cmd_quick_add)
    p.description = "Add a task from one line of text (SPEC §12)."
    p.epilog, p.formatter_class = ADD_EPILOG, RAW
    p.add_argument("text", nargs="+", metavar="TEXT",
                   help='the line, e.g. "Call mom tomorrow 5pm #Home !3"')
    p.add_argument("--dry-run", action="store_true", dest="dry_run",
                   help="only print what was recognised (one line); write nothing")
    p.add_argument("--keep", action="append", default=[], metavar="WORD",
                   help="keep this token as title text (repeatable), e.g. --keep tomorrow")
    remind = add_group("remind", "reminders: list upcoming ones, snooze one")
    p = add_command(remind, "list", "upcoming reminders, soonest first", cmd_remind_list)
    p.epilog, p.formatter_class = REMIND_LIST_EPILOG, RAW
    p = add_command(remind, "snooze", "show a reminder again later", cmd_remind_snooze)
    p.epilog, p.formatter_class = REMIND_SNOOZE_EPILOG, RAW
    p.add_argument("id", metavar="ID", help="the reminder's id (from `remind list`), e.g. 3")
    p.add_argument("duration", metavar="DURATION",
                   help="10m, 1h, 1d or tomorrow, e.g. 10m")


def cmd_quick_add(app: Any, a: argparse.Namespace, out: Any) -> None:
    text = " ".join(a.text)
    if a.dry_run:
        parsed = app.planning.parse_quick_add(text, keep=a.keep)
        out.emit(parsed.to_json(), parsed.summary())
        return
    task, created = app.history.perform(lambda: app.planning.quick_add(text, keep=a.keep)).result
    if created:
        import sys
        print(f"note: created project {task.project}", file=sys.stderr)
    due = f", due {task.due_label.replace('T', ' ')}" if task.due_label else ""
    out.emit({"id": task.id}, f"Added task {task.id}: {task.title} ({task.project}{due})")


def cmd_remind_list(app: Any, a: argparse.Namespace, out: Any) -> None:
    rows = app.planning.upcoming()
    zone = app.planning.zone()

    def text() -> str:
        from .cli_text import table as _table
        return _table([(r.id, r.task_id, f"{r.at.astimezone(zone):%Y-%m-%d %H:%M}",
                        r.offset + " before" if r.offset else "fixed time", r.task) for r in rows],
                      ("id", "task", "when", "due", "title"))
    out.emit([{**r.to_json(), "fire_at": r.to_json()["at"]} for r in rows], text)


def cmd_remind_snooze(app: Any, a: argparse.Namespace, out: Any) -> None:
    row = app.history.perform(lambda: app.planning.snooze(a.id, a.duration)).result
    zone = app.planning.zone()
    data = row.to_json()
    out.emit({**data, "fire_at": data["at"]}, f"Reminder {row.id} snoozed until "
             f"{row.at.astimezone(zone):%Y-%m-%d %H:%M}: {row.task}")
