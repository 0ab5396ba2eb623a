"""Plain-text output of the command line that reads as well as its JSON (issue #12):
right plurals, and one record as labelled lines without Python's lists or ``None``.

Also the printer, tables and outcome texts that the full command line (:mod:`.cli`) and
its light path (:mod:`.cli_light`) share: this module imports no SQLAlchemy."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from .core.kinds import Status

if TYPE_CHECKING:
    from .core.engine.outcome import Outcome
    from .core.services.dto import TaskDTO
    from .core.services.read_dto import ProgressDTO

#: Words whose plural is not the word + "s".
IRREGULAR = {"entry": "entries", "day": "days", "category": "categories",
             "activity": "activities", "this": "these"}
EMPTY = "—"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 goal``, ``2 goals``, ``1,250 events`` (``many`` for an irregular plural)."""
    if count == 1:
        return f"1 {word}"
    return f"{count:,} {many or IRREGULAR.get(word, word + 's')}"


def value_text(value: Any) -> str:
    """One value as a person writes it: none → —, lists → ``a, b``, booleans yes/no."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v) for v in value) if value else EMPTY
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def label(key: str) -> str:
    return key.replace("_", " ")


def record_text(data: Mapping[str, Any], *, skip: tuple[str, ...] = ()) -> str:
    """A record as aligned ``label: value`` lines; a list of records (a goal's steps)
    becomes indented lines below its label."""
    shown = {k: v for k, v in data.items() if k not in skip}
    width = max((len(label(k)) for k in shown), default=0)
    lines = []
    for key, value in shown.items():
        if isinstance(value, list | tuple) and value and isinstance(value[0], Mapping):
            lines.append(f"{label(key) + ':':<{width + 1}} {len(value)}")
            lines.extend(f"  {item_line(item)}" for item in value)
        else:
            lines.append(f"{label(key) + ':':<{width + 1}} {value_text(value)}")
    return "\n".join(lines)


def item_line(item: Mapping[str, Any]) -> str:
    """``[x] 3  Run 10 km`` for a step or task, else the record on one line."""
    if "title" in item:
        mark = "x" if item.get("status") == Status.DONE else " "
        return f"[{mark}] {item.get('id', '')}  {item['title']}"
    return ", ".join(f"{label(k)} {value_text(v)}" for k, v in item.items())


class Printer:
    def __init__(self, as_json: bool, out: TextIO) -> None:
        self.as_json = as_json
        self.out = out

    def emit(self, data: Any, text: str | Callable[[], str]) -> None:
        """``data`` as JSON with ``--json``, else ``text``; either may be a callable, so
        only the form asked for is built (a list of 100k tasks builds one, not both)."""
        if self.as_json:
            json.dump(data() if callable(data) else data, self.out, ensure_ascii=False,
                      default=str)
            self.out.write("\n")
        else:
            self.out.write((text() if callable(text) else text) + "\n")


def outcome_text(outcome: Outcome) -> str:
    sign = "+" if outcome.points_awarded >= 0 else ""
    parts = [f"{sign}{outcome.points_awarded} points"]
    for line in outcome.credits:
        parts.append(f"  + {line.points:>5}  {line.source}: {line.reason}")
    for line in outcome.debits:
        parts.append(f"  - {line.points:>5}  {line.source}: {line.reason}")
    for achievement in outcome.achievements:
        parts.append(f"Achievement unlocked: {achievement.name} (+{achievement.points})")
    for milestone in outcome.milestones:
        parts.append(f"Milestone reached: {milestone.threshold} {milestone.kind}"
                     f"{' in ' + milestone.project if milestone.project else ''}"
                     f" (+{milestone.points})")
    if outcome.level_up:
        parts.append(f"Level up! Level {outcome.level_up.to}: {outcome.level_up.title}")
    if outcome.replayed:
        parts.append("(already processed: nothing changed)")
    parts.append(f"Total: {outcome.total_points} points, level {outcome.level}")
    return "\n".join(parts)


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    return outcome.to_json()


def table(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> str:
    if not rows:
        return "(nothing)"
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def progress_text(data: ProgressDTO) -> str:
    """``momentum progress`` as text."""
    level = data.level
    lines = [f"Level {level.number} {level.title} — {data.total_points} points "
             f"({level.progress_percent}% to {level.next_points_required})",
             f"This week: {data.weekly_points}  This month: {data.monthly_points}",
             f"Coins: {data.coins}"]
    lines += [f"{s.type}: {s.current} (longest {s.longest})" for s in data.streaks]
    return "\n".join(lines)


def task_table(tasks: Sequence[TaskDTO]) -> str:
    """``momentum task list`` as text: one line a task, its tags after its title."""
    return table([(t.id, t.status, t.complexity, (t.due_label or "").replace("T", " "),
                   t.project, t.title + "".join(f"  @{tag}" for tag in t.tags))
                  for t in tasks], ("id", "status", "cx", "due", "project", "title"))
