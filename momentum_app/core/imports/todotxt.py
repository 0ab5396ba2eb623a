"""todo.txt (https://github.com/todotxt/todo.txt) → tasks, one task per non-empty line.

``x 2026-01-10 2026-01-02 (A) Call Mom +Family @phone due:2026-01-12 rec:1w``

* ``x`` → done, with its completion date (noon local time; without one, now);
* ``(A)``/``(B)``/``(C)``/``(D)`` → complexity 5/4/3/2, any other or none → 1 (a done task's
  priority may also be kept as ``pri:A``);
* the creation date → created;
* the first ``+project`` → the task's project (created when missing);
* ``@contexts`` → tags; the title keeps its words in place, ``+projects`` and ``@contexts``
  included, as the
  format intends them to be read ("Call Mom +Family @phone");
* ``due:YYYY-MM-DD`` (also ``2026-1-5``) → due date; a due value that is not a usable date
  (``due:tomorrow``, ``due:3000-01-01``) stays in the notes; ``rec:`` (``1w``, ``+3d``,
  ``2m``, ``1y``, ``1b``): with ``+`` (strict) a repeat rule from the due date, without
  it that long after each completion (Momentum's ``repeat_after``; ``1b``, business days,
  stays a weekday rule); ``t:`` (threshold) → hidden until that day;
  ``h:1`` (hidden) → a deleted task, restorable; any other ``key:value`` → the notes;
* a title longer than 500 characters is cut at a word, the rest first in the notes;
* identity (a second import changes nothing): the title's words; the same line twice is
  two tasks. ``momentum:12`` (Momentum's own export writes it last on each line) is the
  task's own id: the identity is then ``momentum:12``, in no title or note, and the line
  comes back onto task 12 of the database it came from, compared with what the export
  said of it (:mod:`.apply`), so the import back changes nothing and an edited line
  updates that task. A ``momentum:`` value that is not an id stays in the notes.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from ..errors import ValidationError
from ..exports.common import Feedback
from ..kinds import Status
from ..planning import repeat_after as after_completion
from ..services import validation as v
from . import common
from .common import ImportPlan, TaskRecord

PRIORITY_COMPLEXITY = {"A": 5, "B": 4, "C": 3, "D": 2}
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\s+|$)")
_LOOSE_DATE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})(?:\s+|$)")
_PRIORITY = re.compile(r"^\(([A-Z])\)(?:\s+|$)")
#: ``rec:`` values Momentum repeats after each completion (no ``+``; days to years).
_AFTER_COMPLETION = re.compile(r"^\d{1,4}[dwmy]$", re.IGNORECASE)
_KEY_VALUE = re.compile(r"^([A-Za-z][\w-]*):(\S+)$")
#: What Momentum's todo.txt export puts before the ``:`` of a title word that would read
#: as a ``key:value`` ("Fix t:abc", "Read ch:3"): U+2060 WORD JOINER, invisible in every
#: editor, so no todo.txt tool takes the word for a key, and this reader takes it out again.
TITLE_COLON = "\u2060:"


def guarded_word(word: str) -> str:
    """``word`` as the todo.txt export writes it in a title: a word this reader would take
    for a ``key:value`` gets :data:`TITLE_COLON` (a URL, with ``//``, is read as a word)."""
    if _KEY_VALUE.match(word) and "//" not in word:
        return word.replace(":", TITLE_COLON, 1)
    return word


def _title_word(word: str) -> str:
    """A title word as read: :func:`guarded_word` undone."""
    return word.replace(TITLE_COLON, ":", 1) if TITLE_COLON in word else word
#: Momentum's own key (``exports.task_formats.OWN_KEY``; not imported: this module is on
#: the light path, which loads no SQLAlchemy).
OWN_KEY = "momentum"
_OWN_ID = re.compile(r"^[1-9][0-9]{0,17}$")


def _take_date(rest: str, field_name: str) -> tuple[str | None, str]:
    match = _LOOSE_DATE.match(rest)
    if not match:
        return None, rest
    text = match.group(1)
    if not _DATE.match(rest):
        raise ValidationError(field_name, f"not a date (YYYY-MM-DD): {text!r}")
    return text, rest[match.end():]


def _noon(text: str | None, field_name: str, tz_name: str) -> datetime | None:
    day = v.optional_date(text, field_name) if text else None
    return common.local_noon(day, tz_name) if day else None


def _loose_date(value: str) -> date | None:
    """``2026-1-5`` as 2026-01-05; None when it is not a calendar date at all."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _due(value: str, plan: ImportPlan | None) -> date | None:
    """A ``due:`` value: a date (``2026-1-5`` too), else None (the token then stays in the
    notes): a word (``due:tomorrow``) or a date past 2200. Digits that are no calendar date
    (``2026-02-31``, a cut-off ``2026-0``) are an error."""
    day = _loose_date(value)
    if day is not None and common.MIN_YEAR <= day.year <= common.MAX_YEAR:
        return day
    if day is None and value[:1].isdigit():
        raise ValidationError("due", f"not a date (YYYY-MM-DD): {value!r}")
    if plan is not None:
        plan.notice("due: values that are not usable dates kept in the notes")
    return None


def identity(description: str) -> str:
    """A line's identity: its text without the done mark, dates and priority, spaces
    collapsed (so a task found again done, or with another priority, is the same task)."""
    return " ".join(t for t in description.split() if not t.lower().startswith("pri:"))


def task_record(line: int, raw: str, tz_name: str, plan: ImportPlan | None = None
                ) -> TaskRecord:
    rest = raw.strip()
    done = False
    completed = created = None
    priority = None
    if rest.startswith("x ") or rest == "x":
        done = True
        rest = rest[2:].lstrip()
        completed, rest = _take_date(rest, "completed")
        if completed is not None:
            created, rest = _take_date(rest, "created")
    match = _PRIORITY.match(rest)
    if match:
        priority = match.group(1)
        rest = rest[match.end():]
    if created is None:
        created, rest = _take_date(rest, "created")
    description = rest
    words, kept, contexts = [], [], []
    project = None
    due = repeat = after = threshold = own = None
    hidden = False
    for token in rest.split():
        if len(token) > 1 and token[0] == "+":
            project = project or token[1:]
            words.append(token)  # +Project and @context read as words of the title
        elif len(token) > 1 and token[0] == "@":
            words.append(token)
            contexts.append(token[1:])
        elif (kv := _KEY_VALUE.match(token)) and "//" not in token:
            key, value = kv.group(1).lower(), kv.group(2)
            if key == "due" and (day := _due(value, plan)) is not None:
                due = day
            elif key == "rec" and _AFTER_COMPLETION.match(value):  # not strict
                after = after_completion(value, "rec")
            elif key == "rec":
                repeat = common.recurrence_rule(value, "rec")
                if not value.startswith("+") and plan is not None:
                    plan.notice("rec: without + on business days repeats from the due date")
            elif key == "t":
                threshold = _loose_date(value)
                if threshold is None:
                    raise ValidationError("t", f"not a threshold date (YYYY-MM-DD): {value!r}")
                threshold = common.hiding_day(threshold, "t")
            elif key == "h" and value == "1":
                hidden = True
            elif key == OWN_KEY and own is None and _OWN_ID.match(value):
                own = int(value)
            elif key == "pri" and done and priority is None and len(value) == 1:
                priority = value.upper()
            else:
                kept.append(token)
        else:
            words.append(_title_word(token))
    title = " ".join(words) or " ".join(kept) or rest.strip()
    record = TaskRecord(
        line=line, title=title, notes=" ".join(kept), project=project,
        complexity=PRIORITY_COMPLEXITY.get(priority or "", 1), due=due, repeat=repeat,
        status=Status.DONE if done else Status.OPEN,
        created_at=_noon(created, "created", tz_name), tags=contexts,
        source_id=f"{OWN_KEY}:{own}" if own is not None else
        " ".join(words) or identity(description) or raw.strip(),
        hidden_until=threshold, repeat_after=after, own_id=own,
    )
    if done:
        record.completed_at = _noon(completed, "completed", tz_name)
    if hidden:  # topydo's hidden item: kept, out of sight (restorable from the bin)
        record.deleted_at = record.created_at or common.local_noon(date(2000, 1, 1), tz_name)
        if plan is not None:
            plan.notice("hidden items (h:1) imported as deleted (restorable)")
    if record.repeat and record.due is None and record.status == Status.OPEN:
        record.due = (record.created_at.date() if record.created_at else None)
    return record.validate()


def parse_todotxt(text: str, tz_name: str, hooks: Feedback | None = None, *,
                  now: datetime) -> ImportPlan:
    hooks = hooks or Feedback()
    plan = ImportPlan("todotxt")
    occurrences: dict[str, int] = {}
    for number, raw in enumerate(text.split("\n"), start=1):
        raw = raw.rstrip("\r")
        if not raw.strip():
            continue
        with common.located(f"line {number}"):
            record = task_record(number, raw, tz_name, plan)
        assert record.source_id is not None
        seen = occurrences[record.source_id] = occurrences.get(record.source_id, 0) + 1
        if seen > 1:  # the same line twice is two tasks (todo.sh keeps both)
            record.source_id = f"{record.source_id}#{seen}"
            record.own_id = None  # a copy of an own line: a new task, not the same one
        plan.tasks.append(record)
        if number % 2000 == 0:
            hooks.check()
            hooks.report("parse", number, None)
    return plan
