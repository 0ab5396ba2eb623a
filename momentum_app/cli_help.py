"""The teaching half of ``momentum --help``: a line and examples for every command, the
format of every option, and "did you mean …?" for a mistyped command or option.

:func:`teach` walks the parser that :func:`momentum_app.cli.build_parser` made and fills
in what a command left out: its description (its one-line ``help``), an ``examples:``
epilog, and each option's help from :data:`OPTION_HELP`. Keeping the text here keeps
``cli.py`` about behaviour; ``tests/cli/test_cli_help.py`` walks the whole tree and fails
on a command without an example or an option without help, so a new command cannot
forget them.
"""

from __future__ import annotations

import argparse
import difflib
import re
from collections.abc import Iterator, Sequence

DATE = "YYYY-MM-DD"
INSTANT = ("YYYY-MM-DD (noon local time), or an ISO 8601 instant such as 2026-12-01T18:30 "
           "(local) or 2026-12-01T17:30Z; default: now; not in the future")

#: Examples per command ("task add"), shown under ``examples:`` in its --help; the first
#: example of a group's sub-commands also appears in the group's --help.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "": ("momentum task add \"Write the report\" --due 2026-12-01",
         "momentum progress", "momentum --demo"),
    "task": ("momentum task add \"Call the bank\"", "momentum task list --status all"),
    "task add": ("momentum task add \"Write the report\" --project Work --complexity 3 "
                 "--due 2026-12-01",
                 "momentum task add \"Water the plants\" --repeat weekly"),
    "task list": ("momentum task list", "momentum task list --project Work --status done",
                  "momentum task list --search report"),
    "task done": ("momentum task done 1", "momentum task done 1 --at 2026-11-30",
                  "momentum task done 1 --at 2026-11-30T21:15"),
    "task reopen": ("momentum task reopen 1",),
    "task edit": ("momentum task edit 1 --due 2026-12-03 --complexity 2",
                  "momentum task edit 1 --due none"),
    "task delete": ("momentum task delete 1",),
    "task restore": ("momentum task restore 1",),
    "task show": ("momentum task show 1", "momentum task show 1 --json"),
    "goal": ("momentum goal add \"Run a marathon\"", "momentum goal list"),
    "goal add": ("momentum goal add \"Run a marathon\" --target 2027-04-30 --project Health",),
    "goal list": ("momentum goal list",),
    "goal done": ("momentum goal done 1", "momentum goal done 1 --at 2026-11-30"),
    "goal reopen": ("momentum goal reopen 1",),
    "goal edit": ("momentum goal edit 1 --target 2027-05-31",),
    "goal delete": ("momentum goal delete 1",),
    "goal restore": ("momentum goal restore 1",),
    "goal show": ("momentum goal show 1",),
    "goal step": ("momentum goal step add 1 \"Run 10 km\"", "momentum goal step done 1"),
    "goal step add": ("momentum goal step add 1 \"Run 10 km\"",),
    "goal step done": ("momentum goal step done 1", "momentum goal step done 1 --at 2026-11-30"),
    "goal step reopen": ("momentum goal step reopen 1",),
    "goal step edit": ("momentum goal step edit 1 --title \"Run 12 km\" --position 2",),
    "goal step delete": ("momentum goal step delete 1",),
    "slot": ("momentum slot add \"Deep work\" --start 2026-12-01T09:00 --end 2026-12-01T10:30",),
    "slot add": ("momentum slot add \"Deep work\" --start 2026-12-01T09:00 "
                 "--end 2026-12-01T10:30",
                 "momentum slot add \"Report\" --start 2026-12-01T14:00 --end "
                 "2026-12-01T15:00 --task 1"),
    "slot list": ("momentum slot list",),
    "slot done": ("momentum slot done 1",),
    "slot reopen": ("momentum slot reopen 1",),
    "slot edit": ("momentum slot edit 1 --end 2026-12-01T11:00",),
    "slot delete": ("momentum slot delete 1",),
    "project": ("momentum project add Work", "momentum project list"),
    "project add": ("momentum project add Work",),
    "project list": ("momentum project list",),
    "project goals-enabled": ("momentum project goals-enabled Work off",),
    "project rename": ("momentum project rename Work Office",),
    "project delete": ("momentum project delete Office",),
    "profile": ("momentum profile show", "momentum profile set --days-off sat,sun"),
    "profile add": ("momentum profile add Ada --timezone Europe/London --day-start 4",),
    "profile list": ("momentum profile list",),
    "profile set": ("momentum profile set --timezone Europe/Berlin --daily-target 5",
                    "momentum profile set --days-off sat,sun",
                    "momentum --profile Ada profile set --day-start 4"),
    "profile show": ("momentum profile show",),
    "vacation": ("momentum vacation add 2026-12-24 2026-12-31",),
    "vacation add": ("momentum vacation add 2026-12-24 2026-12-31",),
    "vacation list": ("momentum vacation list",),
    "vacation delete": ("momentum vacation delete 1",),
    "progress": ("momentum progress", "momentum progress --json"),
    "leaderboard": ("momentum leaderboard", "momentum leaderboard --period all"),
    "achievements": ("momentum achievements", "momentum achievements --available"),
    "streaks": ("momentum streaks",),
    "stats": ("momentum stats --from 2026-11-01 --to 2026-11-30",),
    "levels": ("momentum levels",),
    "milestones": ("momentum milestones", "momentum milestones --project Work"),
    "history": ("momentum history --limit 20",),
    "event": ("momentum event meditated", "momentum event meditated --at 2026-11-30T07:00",
              "momentum event meditated --meta minutes=20 --key meditated-2026-11-30"),
    "event-type": ("momentum event-type add meditated 5", "momentum event-type list"),
    "event-type add": ("momentum event-type add meditated 5",),
    "event-type list": ("momentum event-type list",),
    "remind": ("momentum remind list", "momentum remind snooze 1 10m"),
    "reward": ('momentum reward add "Movie night" 300', 'momentum reward buy "Movie night"',
               "momentum reward list"),
    "doctor": ("momentum doctor", "momentum doctor --fix"),
    "undo": ("momentum undo", "momentum undo --json"),
    "redo": ("momentum redo",),
    "backup": ("momentum backup", "momentum backup --out ~/momentum-backup.sqlite3"),
    "backups": ("momentum backups",),
    "restore": ("momentum restore ~/momentum-backup.sqlite3",),
    "export": ("momentum export --format json --out backup.json",
               "momentum export --format csv --out exports/",
               "momentum export --format pdf --out report.pdf --from 2026-11-01"),
    "import": ("momentum import --format json backup.json",
               "momentum import --format todotxt todo.txt --award"),
}

#: Help for options a command left without, by destination; "command dest" keys win over
#: plain "dest" ones (an ``id`` is a task's in ``task done``, a goal's in ``goal done``).
OPTION_HELP: dict[str, str] = {
    "title": "the title (1–500 characters; quote it if it has spaces)",
    "notes": "free text (empty to clear it)",
    "project": "project name; a new name creates the project (default: Inbox)",
    "task list project": "only tasks of this project (an existing name)",
    "milestones project": "only this project's cards (an existing name)",
    "goal": "id of the goal this belongs to (a number; none to clear it)",
    "task": "id of the task this slot is for (a number)",
    "status": "which tasks: open (default), done or all",
    "search": "words the title or notes contain",
    "id": "the item's id (a number, as `list` shows it)",
    "task done id": "the task's id (a number, as `task list` shows it)",
    "goal done id": "the goal's id (a number, as `goal list` shows it)",
    "goal step done id": "the step's id (a number, as `goal list` shows it)",
    "slot done id": "the time slot's id (a number, as `slot list` shows it)",
    "vacation delete id": "the vacation's id (a number, as `vacation list` shows it)",
    "goal_id": "the goal's id (a number, as `goal list` shows it)",
    "at": f"when it was done: {INSTANT}",
    "target": f"target date, {DATE} (none to clear it)",
    "position": "place in the goal's list of steps (1 = first)",
    "start": "when it starts: an ISO 8601 time, e.g. 2026-12-01T09:00 (local) or "
             "2026-12-01T08:00Z",
    "end": "when it ends: an ISO 8601 time after the start, e.g. 2026-12-01T10:30",
    "stats start": f"first day, {DATE} (default: 30 days ago)",
    "stats end": f"last day, {DATE} (default: today)",
    "vacation add start": f"first day off, {DATE}",
    "vacation add end": f"last day off, {DATE} (inclusive)",
    "name": "a name (1–100 characters)",
    "profile set name": "a new name for this profile (1–100 characters)",
    "project add name": "the project's name (1–100 characters)",
    "new_name": "the new name (1–100 characters)",
    "state": "on shows its milestone cards, off hides them",
    "timezone": "an IANA time zone such as Europe/Berlin or America/New_York "
                "(default: this computer's)",
    "day_start": "hour the day starts, 0–23 (4 = a night until 04:00 counts as the day "
                 "before; default 0)",
    "daily_target": "completions a day for the daily-target streak, 1–1000 (default 3)",
    "period": "week (default), month or all",
    "everything": "every achievement, locked or not, with progress",
    "limit": "at most this many rows, newest first (default 100)",
    "type": "the event type's name (see `momentum event-type list`)",
    "meta": "extra data as KEY=VALUE (repeat for more)",
    "key": "an idempotency key: the same key twice counts once",
    "event-type add name": "the new type's name (1–100 characters)",
    "points": "points each event of this type earns (a whole number)",
    "fix": "rebuild the derived data from the event log when it differs",
    "backup": "the backup file to restore (see `momentum backups`)",
    "fmt": "file format (one of the choices above)",
    "path": "the file to import",
}

_EXAMPLES_TITLE = "examples:"
_CHOICE = re.compile(r"invalid choice: '([^']*)' \(choose from (.*)\)")
_UNRECOGNIZED = re.compile(r"unrecognized arguments: (.*)")


def walk(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
         ) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every parser of the tree with its command path, the top one first."""
    yield path, parser
    for action in parser._actions:  # noqa: SLF001 (argparse has no public walk)
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            for name, sub in action.choices.items():
                yield from walk(sub, (*path, name))


def _subcommand_helps(parser: argparse.ArgumentParser) -> dict[str, str]:
    helps: dict[str, str] = {}
    for action in parser._actions:  # noqa: SLF001
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            for choice in action._choices_actions:  # noqa: SLF001
                helps[choice.dest] = choice.help or ""
    return helps


def teach(parser: argparse.ArgumentParser) -> None:
    """Give every command its line, its examples and every option its help."""
    helps: dict[tuple[str, ...], str] = {}
    for path, node in walk(parser):
        for name, text in _subcommand_helps(node).items():
            helps[(*path, name)] = text
    for path, node in walk(parser):
        key = " ".join(path)
        node.formatter_class = argparse.RawDescriptionHelpFormatter
        line = helps.get(path, "")
        if line and not node.description:
            node.description = line[:1].upper() + line[1:] + "."
        examples = EXAMPLES.get(key)
        shown = any(line.strip().startswith(f"momentum {key}".rstrip())
                    for line in (node.epilog or "").splitlines())
        if examples and not shown:
            lines = [node.epilog, ""] if node.epilog else []
            lines += [_EXAMPLES_TITLE, *(f"  {e}" for e in examples)]
            if not path:
                lines += ["", "`momentum COMMAND --help` shows a command's options and "
                          "examples; `momentum` alone opens the window."]
            node.epilog = "\n".join(lines)
        for action in node._actions:  # noqa: SLF001
            if action.help is None and not isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
                action.help = OPTION_HELP.get(f"{key} {action.dest}",
                                              OPTION_HELP.get(action.dest))


def command_path(prog: str) -> str:
    """``momentum task add`` → ``momentum task add`` (argparse's prog, without options)."""
    return " ".join(word for word in prog.split() if not word.startswith("-"))


def did_you_mean(message: str, prog: str, options: Sequence[str]) -> str:
    """argparse's message, with the closest command or option and where to read more."""
    where = command_path(prog)
    choice = _CHOICE.search(message)
    if choice:
        wrong = choice.group(1)
        known = re.findall(r"'([^']*)'", choice.group(2))
        close = difflib.get_close_matches(wrong, known, n=1, cutoff=0.5)
        argument = re.match(r"argument (\S+?):", message)
        if argument and argument.group(1).startswith("-"):  # an option's value
            field = argument.group(1).split("/")[-1].lstrip("-")
            hint = f"; did you mean {close[0]!r}?" if close else ""
            return (f"{field}: invalid choice {wrong!r}{hint} (choose from "
                    f"{', '.join(known)}; see `{where} --help`)")
        hint = f"; did you mean `{where} {close[0]}`?" if close else ""
        return f"unknown command {wrong!r} for `{where}`{hint} (see `{where} --help`)"
    unknown = _UNRECOGNIZED.search(message)
    if unknown:
        words = unknown.group(1).split()
        first = next((w for w in words if w.startswith("-")), words[0] if words else "")
        guess = first.split("=", 1)[0]
        close = difflib.get_close_matches(guess, list(options), n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]}?" if close else ""
        kind = "option" if guess.startswith("-") else "argument"
        return f"unknown {kind} {first!r}{hint} (see `{where} --help`)"
    return f"{message} (see `{where} --help`)"


def deepest_parser(parser: argparse.ArgumentParser, args: Sequence[str]
                   ) -> argparse.ArgumentParser:
    """The sub-command parser ``args`` reach (``task add x --dew`` → ``task add``)."""
    node = parser
    for word in args:
        subs = [a for a in node._actions  # noqa: SLF001
                if isinstance(a, argparse._SubParsersAction)]  # noqa: SLF001
        if subs and word in subs[0].choices:
            node = subs[0].choices[word]
    return node


def option_strings(parser: argparse.ArgumentParser) -> list[str]:
    return [s for action in parser._actions for s in action.option_strings]  # noqa: SLF001
