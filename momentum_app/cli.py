"""The command line of SPEC §9: thin — it parses, calls the services, prints.

Exit status: 0 on success, 2 on bad input (usage, validation, unknown id or project) with
a one-line ``error: …`` on stderr and nothing changed, 1 on any other failure. A user
never sees a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, cast

from . import cli_help
from .cli_io import register_io_commands
from .cli_planning import add_task_options, register_planning_commands
from .cli_planning import task_fields as planning_fields
from .cli_planning import task_json as planning_json
from .cli_rewards import register_reward_commands
from .cli_sync import ITEM_TABLE, register_sync_commands, with_uids
from .cli_text import Printer as Printer  # re-exported: it lived here
from .cli_text import (
    outcome_json,
    outcome_text,
    plural,
    progress_text,
    record_text,
    task_table,
)
from .cli_text import table as _table
from .cli_undo import register_undo_commands
from .core import backups
from .core.catalog import Kind
from .core.engine.outcome import StreakState
from .core.errors import ValidationError
from .core.kinds import EntryType, Status
from .core.services import Momentum
from .core.services.dto import GoalDTO
from .core.services.items import Completed

if TYPE_CHECKING:
    from .core.stats import DayRow

MAX_ID = 2**63 - 1


class UsageError(ValidationError):
    def __init__(self, message: str) -> None:
        super().__init__("usage", message)

    def __str__(self) -> str:
        return self.message


class Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting; a mistyped command or
    option gets "did you mean …?" and the sub-command's ``--help`` (:mod:`.cli_help`)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(cli_help.did_you_mean(message, self.prog,
                                               cli_help.option_strings(self)))

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        words = list(sys.argv[1:] if args is None else args)
        parsed, extras = self.parse_known_args(words, namespace)
        if extras:  # reported by the sub-command they were given to, not the top
            node = cli_help.deepest_parser(self, words)
            raise UsageError(cli_help.did_you_mean(
                f"unrecognized arguments: {' '.join(extras)}", node.prog,
                cli_help.option_strings(node)))
        return parsed


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--db", metavar="PATH", default=default,
                        help="database file (default: MOMENTUM_DB or the user data folder)")
    parser.add_argument("--profile", metavar="NAME", default=default,
                        help="profile to act as (default: the default profile)")
    parser.add_argument("--json", action="store_true",
                        default=argparse.SUPPRESS if suppress else False,
                        help="print machine-readable JSON")


# --- building only the sub-command asked for (issue 14: start-up) -------------------
#
# Filling in the arguments, defaults and help of all ~70 sub-commands costs ~40 ms at
# every start. ``build_parser(words)`` still *lists* every command at every level (its
# name and one-line help: what `--help` and "invalid choice … choose from" print), but
# fills in only the sub-commands whose whole path appears among ``words``; every other
# one gets the stand-in below, which accepts and ignores the calls that would have
# filled it. The command argparse picks is always reached by words of the command line,
# so it is always filled: parsing, `--help` and every error are the same as with the
# whole tree (tests/cli/test_cli_lazy_parser.py compares them command by command).


class _Unfilled:
    """A sub-command parser (or sub-parsers action) the command line does not reach:
    ``add_argument``, ``set_defaults``, ``add_parser``… are accepted and ignored."""

    def __getattr__(self, name: str) -> Callable[..., _Unfilled]:
        return self._ignore

    def _ignore(self, *args: object, **kwargs: object) -> _Unfilled:
        return self


_UNFILLED = _Unfilled()


def build_parser(words: Sequence[str] | None = None) -> Parser:
    """The whole command tree, or (given the command line's ``words``) the tree with only
    the sub-commands those words reach filled in (see :class:`_Unfilled`).

    Each command group is added by its own function below (or, for the groups that live
    in their own modules, by their ``register_*_commands``), in the order ``--help``
    lists them."""
    parser = Parser(prog="momentum", description="Momentum: a gamified task planner.")
    _global_options(parser, suppress=False)
    parser.add_argument("--demo", action="store_true",
                        help="open the window on a temporary database with sample data")
    tree = _Tree(parser, None if words is None else set(words))
    for add_commands in (_task_commands, _goal_commands, _slot_commands, _project_commands,
                         _profile_commands, _read_commands, _event_commands,
                         _maintenance_commands):
        add_commands(tree)
    commands, command, group = tree.commands, tree.command, tree.group
    register_reward_commands(group, command)
    register_io_commands(lambda name, help_text, handler: command(
        commands, name, help_text, handler))
    register_planning_commands(commands, command, group)
    register_sync_commands(commands, command)
    register_undo_commands(commands, command)
    cli_help.teach(parser)  # descriptions, examples and option help (cli_help.py)
    return parser


class _Tree:
    """The command tree being built: :meth:`command` and :meth:`group` add to it and fill
    in only what the command line's words reach (everything when ``reached`` is None)."""

    def __init__(self, parser: Parser, reached: set[str] | None) -> None:
        self.reached = reached
        self.commands = parser.add_subparsers(dest="command", parser_class=Parser)

    def fill(self, p: argparse.ArgumentParser) -> bool:
        # p.prog is "momentum goal step add": the path below the program's name.
        return self.reached is None or self.reached.issuperset(p.prog.split()[1:])

    def command(self, sub: Any, name: str, help_text: str, handler: Callable[..., Any],
                *positionals: str) -> argparse.ArgumentParser:
        """The sub-command ``name`` of ``sub``, run by ``handler``, with the plain
        positional arguments ``positionals`` (in order); the caller adds the rest."""
        if sub is _UNFILLED:  # a sub-command of a group that is not reached
            return cast(argparse.ArgumentParser, _UNFILLED)
        p: argparse.ArgumentParser = sub.add_parser(name, help=help_text)
        if not self.fill(p):
            return cast(argparse.ArgumentParser, _UNFILLED)
        _global_options(p, suppress=True)
        p.set_defaults(handler=handler)
        for positional in positionals:
            p.add_argument(positional)
        return p

    def group(self, name: str, help_text: str, *, under: Any = None,
              dest: str = "action") -> Any:
        """A command group (``task``…), or one inside another group (``goal step``)."""
        if under is _UNFILLED:
            return _UNFILLED
        p = (self.commands if under is None else under).add_parser(name, help=help_text)
        if not self.fill(p):
            return _UNFILLED
        _global_options(p, suppress=True)
        return p.add_subparsers(dest=dest, required=True, parser_class=Parser)


def _task_commands(tree: _Tree) -> None:
    """``task add|list|done|reopen|edit|delete|restore|show``."""
    group, command = tree.group, tree.command
    task = group("task", "add, list, edit, complete and reopen tasks")
    p = command(task, "add", "add a task", cmd_task_add, "title")
    _task_fields(p)
    p = command(task, "list", "list tasks", cmd_task_list)
    p.add_argument("--project")
    p.add_argument("--status", choices=(*Status, "all"), default=Status.OPEN)
    p.add_argument("--search")
    p.add_argument("--tag", metavar="NAME", help="only tasks with this tag, e.g. --tag home")
    p.add_argument("--all", action="store_true", dest="include_hidden",
                   help="also the tasks hidden until a later day (--hide-until)")
    p = _item_commands(tree, task, Kind.TASK, "a task", cmd_task_edit, restorable=True,
                       reopen_note=" (its points are debited)", delete_note=" (points stay)")
    p.add_argument("--title")
    _task_fields(p, edit=True)


def _goal_commands(tree: _Tree) -> None:
    """``goal …`` and ``goal step add|done|reopen|edit|delete``."""
    group, command = tree.group, tree.command
    goal = group("goal", "goals and their steps")
    p = command(goal, "add", "add a goal", cmd_goal_add, "title")
    p.add_argument("--project")
    p.add_argument("--target", help="target date YYYY-MM-DD")
    p.add_argument("--notes", default="")
    command(goal, "list", "list goals", cmd_goal_list)
    p = _item_commands(tree, goal, Kind.GOAL, "a goal", cmd_goal_edit, restorable=True)
    for name in ("--title", "--project", "--target", "--notes"):
        p.add_argument(name)
    step = group("step", "goal steps", under=goal, dest="step_action")
    command(step, "add", "add a step to a goal", cmd_step_add, "goal_id", "title")
    p = _item_commands(tree, step, Kind.STEP, "a step", cmd_step_edit)
    p.add_argument("--title")
    p.add_argument("--position")


def _slot_commands(tree: _Tree) -> None:
    """``slot add|list|done|reopen|edit|delete``."""
    group, command = tree.group, tree.command
    slot = group("slot", "time slots")
    p = command(slot, "add", "add a time slot", cmd_slot_add, "title")
    p.add_argument("--start", required=True)
    p.add_argument("--end", required=True)
    p.add_argument("--task")
    p.add_argument("--goal")
    command(slot, "list", "list time slots", cmd_slot_list)
    p = _item_commands(tree, slot, Kind.SLOT, "a time slot", cmd_slot_edit)
    for name in ("--title", "--start", "--end", "--task", "--goal"):
        p.add_argument(name)


def _item_commands(tree: _Tree, parent: Any, kind: Kind, noun: str, edit: Handler, *,
                   restorable: bool = False, reopen_note: str = "",
                   delete_note: str = "") -> argparse.ArgumentParser:
    """``done``, ``reopen``, ``edit`` and ``delete`` of one kind of item (``noun`` is
    "a task", "a time slot"…), and ``restore`` and ``show`` where it is ``restorable``,
    in the order ``--help`` lists them. Returns ``edit``, for the caller to add the
    fields it changes."""
    def with_id(name: str, help_text: str, handler: Handler) -> argparse.ArgumentParser:
        return tree.command(parent, name, help_text, handler, "id")

    with_id("done", f"complete {noun}", _complete(kind)).add_argument("--at")
    with_id("reopen", f"reopen {noun}{reopen_note}", _reopen(kind))
    edit_parser = with_id("edit", f"change {noun}", edit)
    with_id("delete", f"delete {noun}{delete_note}", _delete(kind))
    if restorable:
        with_id("restore", "undo a delete", _restore(kind))
        with_id("show", f"show one {_label(kind)}", _show(kind))
    return edit_parser


def _project_commands(tree: _Tree) -> None:
    """``project add|list|goals-enabled|rename|delete``."""
    group, command = tree.group, tree.command
    project = group("project", "projects")
    command(project, "add", "add a project", cmd_project_add, "name")
    command(project, "list", "list projects", cmd_project_list)
    p = command(project, "goals-enabled", "show or hide a project's milestones",
                cmd_project_goals, "name")
    p.add_argument("state", choices=("on", "off"))
    command(project, "rename", "rename a project", cmd_project_rename, "name", "new_name")
    command(project, "delete", "delete a project", cmd_project_delete, "name")


def _profile_commands(tree: _Tree) -> None:
    """``profile add|list|set|show`` and ``vacation add|list|delete``."""
    group, command = tree.group, tree.command
    profile = group("profile", "profiles")
    p = command(profile, "add", "add a profile", cmd_profile_add, "name")
    _profile_fields(p)
    command(profile, "list", "list profiles", cmd_profile_list)
    p = command(profile, "set", "change the profile's settings", cmd_profile_set)
    _profile_fields(p)
    p.add_argument("--days-off", dest="days_off", help="e.g. sat,sun (or none)")
    p.add_argument("--name")
    p.add_argument("--game", choices=("full", "quiet", "off"),
                   help="gamification mode: full (default), quiet (no toasts or banners) or "
                        "off (no points, levels, streaks or achievements shown)")
    command(profile, "show", "show the current profile", cmd_profile_show)
    vacation = group("vacation", "vacations (they neither break nor extend streaks)")
    p = command(vacation, "add", "add a vacation", cmd_vacation_add)
    p.add_argument("start", metavar="FROM")
    p.add_argument("end", metavar="TO")
    command(vacation, "list", "list vacations", cmd_vacation_list)
    command(vacation, "delete", "delete a vacation", cmd_vacation_delete, "id")


def _profile_fields(p: argparse.ArgumentParser) -> None:
    """The settings ``profile add`` starts with and ``profile set`` changes."""
    p.add_argument("--timezone")
    p.add_argument("--day-start", dest="day_start")
    p.add_argument("--daily-target", dest="daily_target")


def _read_commands(tree: _Tree) -> None:
    """The read API: progress, leaderboard, achievements, streaks, stats, levels,
    milestones, history."""
    commands, command = tree.commands, tree.command
    command(commands, "progress", "points, level and streaks", cmd_progress)
    p = command(commands, "leaderboard", "profiles ranked by points", cmd_leaderboard)
    p.add_argument("--period", choices=("week", "month", "all"), default="week")
    p = command(commands, "achievements", "unlocked achievements", cmd_achievements)
    p.add_argument("--available", action="store_true", help="locked ones, with progress")
    p.add_argument("--all", action="store_true", dest="everything")
    command(commands, "streaks", "every streak", cmd_streaks)
    p = command(commands, "stats", "points and completions by day", cmd_stats)
    p.add_argument("--from", dest="start")
    p.add_argument("--to", dest="end")
    command(commands, "levels", "the level table", cmd_levels)
    p = command(commands, "milestones", "next-milestone cards and reached ones",
                cmd_milestones)
    p.add_argument("--project")
    p = command(commands, "history", "the points ledger", cmd_history)
    p.add_argument("--limit", default="100")


def _event_commands(tree: _Tree) -> None:
    """``event`` (log one) and ``event-type add|list``."""
    commands, command, group = tree.commands, tree.command, tree.group
    p = command(commands, "event", "log an event", cmd_event, "type")
    p.add_argument("--meta", action="append", default=[], metavar="K=V")
    p.add_argument("--at")
    p.add_argument("--key")
    event_type = group("event-type", "custom event types")
    command(event_type, "add", "add a custom event type", cmd_event_type_add, "name", "points")
    command(event_type, "list", "list custom event types", cmd_event_type_list)


def _maintenance_commands(tree: _Tree) -> None:
    """``doctor``, ``backup``, ``backups`` and ``restore``."""
    commands, command = tree.commands, tree.command
    p = command(commands, "doctor", "check and rebuild derived data", cmd_doctor)
    p.add_argument("--fix", action="store_true")
    p = command(commands, "backup", "back up the database (checked, rotated)", cmd_backup)
    p.add_argument("--out", help="file or folder to write the backup to")
    p.set_defaults(needs_db=False)
    p = command(commands, "backups", "list backups, newest first", cmd_backups)
    p.set_defaults(needs_db=False)
    p = command(commands, "restore", "replace the database with a backup (atomic)",
                cmd_restore, "backup")
    p.set_defaults(needs_db=False)


def _task_fields(p: argparse.ArgumentParser, edit: bool = False) -> None:
    default = None
    p.add_argument("--project", default=default)
    p.add_argument("--goal", default=default)
    p.add_argument("--complexity", default=default, help="1-5")
    p.add_argument("--due", default=default,
                   help="YYYY-MM-DD or a local date and time YYYY-MM-DDTHH:MM")
    p.add_argument("--repeat", default=default,
                   help="daily, weekdays, weekly, monthly, yearly or an RRULE")
    p.add_argument("--notes", default=default)
    add_task_options(p, edit=edit)


# --- output ----------------------------------------------------------------------


def _best_day_text(best: DayRow | None) -> str:
    if not best:
        return "\nBest day: none yet in this range"
    return (f"\nBest day: {best.day.isoformat()} ({plural(best.points, 'point')}, "
            f"{plural(best.completions, 'completion')})")


# --- handlers --------------------------------------------------------------------

Handler = Callable[[Momentum, argparse.Namespace, Printer], None]


def _task_json(task: Any) -> dict[str, Any]:
    data = task.to_json()
    return {"id": data["id"], "title": data["title"], "status": data["status"],
            "project": data["project"], "complexity": data["complexity"], "due": data["due"],
            "completed_at": data["completed_at"], "notes": data["notes"],
            "repeat": data["repeat"], "goal_id": data["goal_id"], **planning_json(task)}


def cmd_task_add(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    task = app.history.perform(lambda: app.items.add_task(
        a.title, project=a.project, goal=a.goal,
        complexity=a.complexity if a.complexity is not None else 1, due=a.due,
        repeat=a.repeat, notes=a.notes or "", **planning_fields(a))).result
    out.emit({"id": task.id}, f"Added task {task.id}: {task.title}")


def cmd_task_list(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    tasks = app.items.list_tasks(project=a.project, status=a.status, search=a.search,
                                 tag=a.tag, include_hidden=a.include_hidden)
    out.emit(lambda: with_uids(app, "tasks", [_task_json(t) for t in tasks]),
             lambda: task_table(tasks))


def cmd_task_edit(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    fields = {name: getattr(a, name) for name in
              ("title", "project", "goal", "complexity", "due", "repeat", "notes")
              if getattr(a, name) is not None}
    fields.update(planning_fields(a, edit=True))
    if not fields:
        raise UsageError("nothing to change: give at least one of --title, --project, "
                         "--goal, --complexity, --due, --repeat, --notes, --tag, --untag, "
                         "--remind, --repeat-after, --hide-until")
    task = app.history.perform(lambda: app.items.edit_task(a.id, **fields)).result
    out.emit(with_uids(app, "tasks", [_task_json(task)])[0],
             f"Updated task {task.id}: {task.title}")


def _label(kind: Kind) -> str:
    return {Kind.TASK: "task", Kind.STEP: "step", Kind.SLOT: "slot", Kind.GOAL: "goal"}[kind]


def _complete(kind: Kind) -> Handler:
    def handler(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
        # Through the one door of every action (issue 15): the typed record comes back
        # with the completion on it, as it does in the window.
        result: Completed = app.history.perform(
            lambda: app.items.complete(kind, a.id, at=a.at)).result
        out.emit(outcome_json(result.outcome), lambda: f"Done: {result.item.title}\n"
                 + outcome_text(result.outcome))
        if kind is Kind.GOAL:  # the window asks first; here the goal is done, and we say
            still_open = [s for s in getattr(result.item, "steps", ()) if s.status != Status.DONE]
            if still_open and not a.json:  # JSON output: the steps are in `goal show`
                app.ctx.notices.append(
                    f"{plural(len(still_open), 'step')} of this goal "
                    f"{'is' if len(still_open) == 1 else 'are'} still open "
                    f"(`momentum goal step done ID` completes one)")
    return handler


def _reopen(kind: Kind) -> Handler:
    def handler(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
        result = app.history.perform(lambda: app.items.reopen(kind, a.id)).result
        out.emit(outcome_json(result.outcome), lambda: f"Reopened: {result.item.title}\n"
                 + outcome_text(result.outcome))
    return handler


def _delete(kind: Kind) -> Handler:
    def handler(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
        item = app.history.perform(lambda: app.items.delete(kind, a.id)).result
        out.emit({"id": item.id, "deleted": True},
                 f"Deleted {_label(kind)} {item.id} (`momentum undo` brings it back; points stay)")
    return handler


def _restore(kind: Kind) -> Handler:
    def handler(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
        item = app.history.perform(lambda: app.items.restore(kind, a.id)).result
        out.emit({"id": item.id, "deleted": False}, f"Restored {_label(kind)} {item.id}")
    return handler


def _show(kind: Kind) -> Handler:
    def handler(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
        item = app.items.get(kind, a.id)
        data = _task_json(item) if kind is Kind.TASK else item.to_json()
        if isinstance(item, GoalDTO):
            data["progress_percent"] = item.progress_percent
        data = with_uids(app, ITEM_TABLE[kind], [data],
                         ("steps", "goal_steps") if kind is Kind.GOAL else None)[0]
        out.emit(data, lambda: record_text(data, skip=("project_id",)))
    return handler


def cmd_goal_add(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    goal = app.history.perform(lambda: app.items.add_goal(
        a.title, project=a.project, target=a.target, notes=a.notes)).result
    out.emit({"id": goal.id}, f"Added goal {goal.id}: {goal.title}")


def _goal_json(goal: Any) -> dict[str, Any]:
    data: dict[str, Any] = goal.to_json()
    data["progress_percent"] = goal.progress_percent
    return data


def cmd_goal_list(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    goals = app.items.list_goals()

    def text() -> str:
        lines = []
        for g in goals:
            lines.append(f"[{'x' if g.status == Status.DONE else ' '}] {g.id}  {g.title}  "
                         f"({g.project}, {g.progress_percent:.0f}%)")
            lines.extend(f"      [{'x' if s.status == Status.DONE else ' '}] step {s.id}: {s.title}"
                         for s in g.steps)
        return "\n".join(lines) or "(no goals)"
    out.emit(with_uids(app, "goals", [_goal_json(g) for g in goals], ("steps", "goal_steps")),
             text)


def cmd_goal_edit(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    fields = {n: getattr(a, n) for n in ("title", "project", "target", "notes")
              if getattr(a, n) is not None}
    if not fields:
        raise UsageError("nothing to change: give --title, --project, --target or --notes")
    goal = app.history.perform(lambda: app.items.edit_goal(a.id, **fields)).result
    out.emit(with_uids(app, "goals", [_goal_json(goal)], ("steps", "goal_steps"))[0],
             f"Updated goal {goal.id}: {goal.title}")


def cmd_step_add(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    step = app.history.perform(lambda: app.items.add_step(a.goal_id, a.title)).result
    out.emit({"id": step.id}, f"Added step {step.id} to goal {step.goal_id}: {step.title}")


def cmd_step_edit(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    fields = {n: getattr(a, n) for n in ("title", "position") if getattr(a, n) is not None}
    if not fields:
        raise UsageError("nothing to change: give --title or --position")
    step = app.history.perform(lambda: app.items.edit_step(a.id, **fields)).result
    out.emit(step.to_json(), f"Updated step {step.id}: {step.title}")


def cmd_slot_add(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    slot = app.history.perform(lambda: app.items.add_slot(
        a.title, a.start, a.end, task=a.task, goal=a.goal)).result
    out.emit({"id": slot.id}, f"Added time slot {slot.id}: {slot.title}")


def cmd_slot_list(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    slots = app.items.list_slots()
    out.emit(with_uids(app, "time_slots", [s.to_json() for s in slots]), lambda: _table(
        [(s.id, s.status, s.start.isoformat(timespec="minutes"), s.minutes, s.title)
         for s in slots], ("id", "status", "start (UTC)", "min", "title")))


def cmd_slot_edit(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    fields = {n: getattr(a, n) for n in ("title", "start", "end", "task", "goal")
              if getattr(a, n) is not None}
    if not fields:
        raise UsageError("nothing to change: give --title, --start, --end, --task or --goal")
    slot = app.history.perform(lambda: app.items.edit_slot(a.id, **fields)).result
    out.emit(slot.to_json(), f"Updated time slot {slot.id}: {slot.title}")


def cmd_project_add(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    project = app.history.perform(lambda: app.projects.add(a.name)).result
    out.emit({"id": project.id}, f"Added project {project.id}: {project.name}")


def cmd_project_list(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    projects = app.projects.list()
    out.emit([p.to_json() for p in projects], lambda: _table(
        [(p.id, p.name, "on" if p.goals_enabled else "off") for p in projects],
        ("id", "name", "goals")))


def cmd_project_goals(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    project = app.history.perform(
        lambda: app.projects.set_goals_enabled(a.name, a.state == "on")).result
    out.emit(project.to_json(), f"Goals for {project.name}: {a.state}")


def cmd_project_rename(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    project = app.history.perform(lambda: app.projects.rename(a.name, a.new_name)).result
    out.emit(project.to_json(), f"Renamed to {project.name}")


def cmd_project_delete(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    project = app.history.perform(lambda: app.projects.delete(a.name)).result
    out.emit(project.to_json(), f"Deleted project {project.name}")


def cmd_profile_add(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    profile = app.history.perform(lambda: app.profiles.add(
        a.name, timezone=a.timezone, day_start_hour=a.day_start if a.day_start is not None
        else 0, daily_target=a.daily_target if a.daily_target is not None else 3)).result
    out.emit({"id": profile.id}, f"Added profile {profile.id}: {profile.name}")


def cmd_profile_list(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    profiles = app.profiles.list()
    out.emit([p.to_json() for p in profiles], lambda: _table(
        [(p.id, p.name, p.timezone, p.day_start_hour, p.daily_target, ",".join(p.days_off))
         for p in profiles], ("id", "name", "timezone", "day start", "target", "days off")))


def cmd_profile_set(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    fields = {"timezone": a.timezone, "day_start_hour": a.day_start,
              "daily_target": a.daily_target, "days_off": a.days_off, "name": a.name,
              "game_mode": a.game}
    if all(value is None for value in fields.values()):
        raise UsageError("nothing to change: give --timezone, --day-start, --daily-target, "
                         "--days-off, --name or --game")
    profile = app.history.perform(lambda: app.profiles.update(**fields)).result
    out.emit(profile.to_json(), f"Updated profile {profile.name}")


def cmd_profile_show(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    profile = app.profiles.current()
    data = profile.to_json()
    out.emit(data, lambda: record_text(data))


def cmd_vacation_add(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    vacation = app.history.perform(lambda: app.profiles.add_vacation(a.start, a.end)).result
    out.emit({"id": vacation.id}, f"Added vacation {vacation.id}: {vacation.start} – "
             f"{vacation.end}")


def cmd_vacation_list(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    vacations = app.profiles.vacations()
    out.emit([x.to_json() for x in vacations], lambda: _table(
        [(x.id, x.start, x.end) for x in vacations], ("id", "from", "to")))


def cmd_vacation_delete(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    asked = _int_arg(a.id, "id")
    done = app.history.perform(lambda: app.profiles.delete_vacation(asked))
    [deleted] = done.ids("vacations") or {asked}  # the record names the row it deleted
    out.emit({"id": deleted, "deleted": True}, f"Deleted vacation {deleted}")


def cmd_progress(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    data = app.reads.progress()
    out.emit(data.to_json, lambda: progress_text(data))


def cmd_leaderboard(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    rows = app.reads.leaderboard(a.period)
    out.emit(lambda: [r.to_json() for r in rows], lambda: _table(
        [(r.rank, r.profile, r.points) for r in rows], ("rank", "profile", "points")))


def cmd_achievements(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    rows = app.reads.achievements(available=a.available, everything=a.everything)
    out.emit(lambda: [r.to_json() for r in rows], lambda: _table(
        [(r.id, r.name, r.category, r.points, f"{r.progress}/{r.target}",
          r.completed_at.isoformat() if r.completed_at else "") for r in rows],
        ("id", "name", "category", "points", "progress", "unlocked")))


def cmd_streaks(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    rows = app.reads.streaks()
    out.emit(lambda: [dict(vars(r)) for r in rows], lambda: _table(
        [(r.type, r.current, r.longest, r.last_activity_date) for r in rows],
        ("type", "current", "longest", "last activity")) + _freezes_text(rows))


def _freezes_text(rows: Sequence[StreakState]) -> str:
    """SPEC v2 §4: the freezes held and the days they bridged, under the streak table."""
    activity = next((r for r in rows if r.type == "daily_activity"), None)
    if activity is None or activity.freezes is None:
        return ""
    frozen = list(activity.frozen_days or ())
    text = f"\nStreak freezes held: {activity.freezes} (of 2)"
    if frozen:
        text += f"\nFrozen days: {', '.join(frozen)}"
    return text


def cmd_stats(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    data = app.reads.stats(a.start, a.end)
    out.emit(data.to_json, lambda: _table(
        [(d.day.isoformat(), d.points, d.tasks, d.goal_steps, d.time_slots, d.goals,
          d.focus_minutes) for d in data.days],
        ("date", "points", "tasks", "steps", "slots", "goals", "focus min"))
        + f"\nTotal: {plural(data.totals.points, 'point')}, "
        f"{plural(data.totals.completions, 'completion')}"
        + _best_day_text(data.best_day))


def cmd_levels(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    rows = app.reads.levels()
    out.emit(lambda: [r.to_json() for r in rows], lambda: _table(
        [(r.number, r.title, r.points_required, r.perk or "—") for r in rows],
        ("level", "title", "points", "perk")))


def cmd_milestones(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    data = app.reads.milestones(a.project)

    def text() -> str:
        cards = _table(
            [(c.scope, c.project or "", c.kind.replace("_", " "),
              f"{c.current}/{c.next}", f"+{c.reward}",
              "done" if c.is_completed else f"{c.progress_percent:.0f}%")
             for c in data.cards],
            ("scope", "project", "kind", "progress", "reward", "complete"))
        reached = _table(
            [(m.granted_at.isoformat()[:10], m.project or "all projects",
              f"{m.threshold} {m.kind.replace('_', ' ')}", f"+{m.points}")
             for m in data.completed], ("reached on", "where", "milestone", "points"))
        return (f"Next milestones\n{cards}\n\n"
                f"Reached ({len(data.completed)})\n{reached}")
    out.emit(data.to_json, text)


def cmd_history(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    rows = app.reads.history(limit=_int_arg(a.limit, "limit"))
    out.emit(lambda: [r.to_json() for r in rows], lambda: _table(
        [(r.created_at.isoformat()[:16].replace("T", " "), r.activity_day.isoformat(),
          ("+" if r.type == EntryType.CREDIT else "-") + str(r.points), r.source, r.reason)
         for r in rows], ("recorded (UTC)", "activity day", "points", "source", "reason")))


def cmd_event(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    meta: dict[str, str] = {}
    for item in a.meta:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValidationError("meta", f"expected KEY=VALUE, got {item!r}")
        meta[key.strip()] = value
    outcome = app.history.perform(
        lambda: app.events.process_event(a.type, meta, at=a.at, key=a.key)).result
    out.emit(outcome_json(outcome), lambda: outcome_text(outcome))


def cmd_event_type_add(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    added = app.history.perform(lambda: app.events.add_type(a.name, a.points)).result
    out.emit(added.to_json, f"Added event type {added.name} ({added.points} points)")


def cmd_event_type_list(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    types = app.events.list_types()
    out.emit(lambda: [t.to_json() for t in types],
             lambda: _table([(t.name, t.points) for t in types], ("name", "points")))


def cmd_doctor(app: Momentum, a: argparse.Namespace, out: Printer) -> None:
    report = app.doctor.run(fix=a.fix)

    def text() -> str:
        lines = [f"Replayed {plural(report.events, 'event')}." if not report.unrepaired
                 else "The events were not replayed."]
        lines += [f"integrity: {p}" for p in report.integrity]
        lines += [f"problem: {p}" for p in report.problems]
        lines += [f"cannot be repaired: {p}" for p in report.unrepaired]
        lines += [f"note: {n}" for n in report.notes]
        for table, diff in report.differences.items():
            if "stale" in diff:
                lines.append(f"{table}: the task search index does not match the tasks")
            else:
                lines.append(f"{table}: {plural(diff['missing'], 'row')} missing, "
                             f"{diff['unexpected']} unexpected")
        if report.fixed and not report.unrepaired:
            lines.append("Repaired: derived tables rebuilt from the events"
                         + (", search index rebuilt." if "tasks_fts" in report.differences
                            else "."))
        elif (report.differences or report.problems) and not report.unrepaired:
            lines.append("Run `momentum doctor --fix` to repair.")
        if report.ok:
            lines.append("No problems found.")
        return "\n".join(lines)
    out.emit(report.to_json(), text)
    if report.integrity or report.unrepaired:
        raise SystemExit(1)


def _int_arg(value: str, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(field, f"not a whole number: {value!r}") from None
    if not 0 <= number <= MAX_ID:
        raise ValidationError(field, f"out of range: {value}")
    return number


# --- commands on the file itself (the database is not opened first) ----------------


def cmd_backup(db_path: Path, a: argparse.Namespace, out: Printer) -> None:
    made = backups.create_backup(db_path, target=Path(a.out) if a.out else None)
    out.emit({"backup": str(made)}, f"Backup written to {made}")


def cmd_backups(db_path: Path, a: argparse.Namespace, out: Printer) -> None:
    found = backups.list_backups(db_path)
    out.emit([b.to_json() for b in found], lambda: _table(
        [(f"{b.modified:%Y-%m-%d %H:%M}", b.size, b.path) for b in found],
        ("modified (UTC)", "bytes", "path")))


def cmd_restore(db_path: Path, a: argparse.Namespace, out: Printer) -> None:
    """Replace the database; its history starts again with the restore (an undo then
    says where the database before it was kept: ``history.mark_database_restored``)."""
    from .core.clock import clock_from_env  # noqa: PLC0415
    from .core.db import open_database  # noqa: PLC0415
    from .core.services.history import mark_database_restored  # noqa: PLC0415

    clock = clock_from_env()
    done = backups.restore_database(Path(a.backup), db_path, clock=clock)
    database = open_database(db_path, scheduled_backup=False, clock=clock)
    try:
        mark_database_restored(database, clock.now(), done.source, done.before)
    finally:
        database.close()
    out.emit({"restored": str(done.path), "from": a.backup},
             f"Restored {done.path} from {a.backup}")
