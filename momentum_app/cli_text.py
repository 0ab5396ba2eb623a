"""Plain-text output of the command line that reads as well as its JSON (issue #12):
right plurals, and one record as labelled lines without Python's lists or ``None``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .core.kinds import Status

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
