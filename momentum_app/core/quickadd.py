"""Quick add (SPEC v2 §12): one line of text → a task's fields, and what was recognised.

    Call mom tomorrow 5pm #Home !3 every sun
    → title "Call mom", project Home, complexity 3, due tomorrow 17:00, weekly on Sunday

The grammar, matched word by word (case-insensitive), nothing else:

* ``#Project`` (a letter first: ``#123`` stays text), ``@tag`` (a letter first; an e-mail
  address stays text), ``!1``–``!5``;
* a date: ``today``, ``tomorrow``, ``mon``…``sun`` (or full names; the coming one, today
  included), ``next week`` (next Monday), ``in 3 days`` / ``in 2 weeks`` / ``in 1 month``,
  ``dec 5`` / ``december 5th`` / ``5 dec`` (a month name *with* a day: "May the force"
  stays text), ``2026-12-05``;
* a time: ``5pm``, ``5:30 pm``, ``17:30``, ``noon``, optionally after ``at``; a one-digit
  ``9:30`` only after ``at`` (so "John 3:16" stays text);
* a repeat: ``every day``, ``every weekday``, ``every week``, ``every 2 weeks``,
  ``every mon,thu``, ``every month on the 1st``, ``every year`` …;
* a reminder: ``remind 30m`` (also ``remind me 2h``).

A word must *be* the token: ``Monday.com`` or ``paprika`` are text. Words in double quotes
are never parsed (the quotes are dropped from the title). Each recognised token can be
switched off (``keep``), and then stays in the title. The first date, time, repeat,
project and complexity win; later ones are text. No date library: the grammar is small,
a library's wider guesses are exactly the false positives peers hit, and this module
imports in well under a millisecond on top of dateutil (docs/DESIGN.md, "Planning").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]

from . import planning

WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}
UNITS = {"day": "DAILY", "days": "DAILY", "week": "WEEKLY", "weeks": "WEEKLY",
         "month": "MONTHLY", "months": "MONTHLY", "year": "YEARLY", "years": "YEARLY"}
_DAY_NUMBER = re.compile(r"^(\d{1,2})(st|nd|rd|th)?,?$")
_ORDINAL = re.compile(r"^(\d{1,2})(st|nd|rd|th)$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_AMPM = re.compile(r"^(\d{1,2})(?::(\d{2}))?(am|pm)$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
_PROJECT = re.compile(r"^#([^\W\d_][\w\-/.&]*)$")
_TAG = re.compile(r"^@([^\W\d_][\w\-/.]*)$")
_COMPLEXITY = re.compile(r"^!([1-5])$")
_QUOTED = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class Token:
    """One recognised piece of the line: where it is, what it means, how it is shown."""

    kind: str  # project | tag | complexity | date | time | repeat | remind
    text: str  # as typed
    start: int
    end: int
    label: str  # for a chip: "Home", "@errands", "!3", "Tue 8 Dec", "17:00", "every Sunday"
    value: object = None


@dataclass(frozen=True)
class QuickAdd:
    title: str
    tokens: tuple[Token, ...] = ()
    project: str | None = None
    tags: tuple[str, ...] = ()
    complexity: int | None = None
    due_date: date | None = None
    due_time: time | None = None
    repeat: str | None = None
    repeat_label: str | None = None
    reminders: tuple[str, ...] = ()

    @property
    def due(self) -> str | None:
        """``--due`` as the services take it: ``2026-12-08`` or ``2026-12-08T17:00``."""
        if self.due_date is None:
            return None
        return (f"{self.due_date.isoformat()}T{self.due_time:%H:%M}" if self.due_time
                else self.due_date.isoformat())

    def summary(self) -> str:
        """The one line ``momentum add --dry-run`` prints."""
        parts = [f"title: {self.title!r}"]
        if self.project:
            parts.append(f"project: {self.project}")
        if self.tags:
            parts.append("tags: " + ", ".join(self.tags))
        if self.complexity:
            parts.append(f"complexity: {self.complexity}")
        if self.due:
            parts.append(f"due: {self.due.replace('T', ' ')}")
        if self.repeat:
            parts.append(f"repeat: {self.repeat_label} ({self.repeat})")
        if self.reminders:
            parts.append("remind: " + ", ".join(self.reminders))
        return " · ".join(parts)

    def to_json(self) -> dict[str, object]:
        return {"title": self.title, "project": self.project, "tags": list(self.tags),
                "complexity": self.complexity, "due": self.due, "repeat": self.repeat,
                "remind": list(self.reminders),
                "tokens": [{"kind": t.kind, "text": t.text, "start": t.start, "end": t.end,
                            "label": t.label} for t in self.tokens]}


@dataclass(frozen=True)
class _Word:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower()


@dataclass
class _Found:
    words: int
    kind: str
    label: str
    value: object = None


@dataclass
class _State:
    today: date
    now: datetime
    found: dict[str, Token] = field(default_factory=dict)


Matcher = Callable[[Sequence[_Word], _State], _Found | None]


def _words(text: str) -> tuple[list[_Word], list[tuple[int, int]]]:
    """The unquoted words with their offsets, and the quoted spans (never parsed)."""
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    words: list[_Word] = []
    for m in re.finditer(r"\S+", text):
        if any(a <= m.start() < b for a, b in quoted):
            continue
        words.append(_Word(m.group(), m.start(), m.end()))
    # a word that runs into a quote ('x"a b"') is text too
    return [w for w in words if '"' not in w.text], quoted


# --- matchers: each looks at the words from here on -------------------------------------


def _simple(words: Sequence[_Word], state: _State) -> _Found | None:
    word = words[0].text
    if m := _PROJECT.match(word):
        return _Found(1, "project", m.group(1), m.group(1))
    if m := _TAG.match(word):
        return _Found(1, "tag", "@" + m.group(1), m.group(1))
    if m := _COMPLEXITY.match(word):
        return _Found(1, "complexity", f"!{m.group(1)}", int(m.group(1)))
    return None


def _remind(words: Sequence[_Word], state: _State) -> _Found | None:
    if words[0].low != "remind":
        return None
    skip = 2 if len(words) > 2 and words[1].low == "me" else 1
    if len(words) > skip and planning.is_offset(words[skip].low):
        offset = planning.offset_label(planning.offset_minutes(words[skip].low))
        return _Found(skip + 1, "remind", f"remind {offset} before", offset)
    return None


def _day_of_month(text: str) -> int | None:
    m = _DAY_NUMBER.match(text)
    return int(m.group(1)) if m and 1 <= int(m.group(1)) <= 31 else None


def _month_day(month: int, day: int, year: int | None, today: date) -> date | None:
    try:
        found = date(year or today.year, month, day)
    except ValueError:
        return None
    if year is None and found < today:
        try:
            found = date(today.year + 1, month, day)
        except ValueError:
            return None
    return found


def _year(words: Sequence[_Word], at: int) -> int | None:
    if len(words) > at and re.fullmatch(r"\d{4}", words[at].low):
        year = int(words[at].low)
        return year if 1900 <= year <= 2200 else None
    return None


def _date(words: Sequence[_Word], state: _State) -> _Found | None:
    low = words[0].low.rstrip(",")
    today = state.today
    if low in ("today", "tod"):
        return _day(1, today, state)
    if low in ("tomorrow", "tmr", "tmrw"):
        return _day(1, today + timedelta(days=1), state)
    if low in WEEKDAYS and words[0].low in (low, low + ","):
        ahead = (WEEKDAYS[low] - today.weekday()) % 7
        return _day(1, today + timedelta(days=ahead), state)
    if low == "next" and len(words) > 1:
        nxt = words[1].low.rstrip(",")
        if nxt == "week":
            return _day(2, today + timedelta(days=7 - today.weekday()), state)
        if nxt == "month":
            return _day(2, (today + relativedelta(months=1)).replace(day=1), state)
        if nxt in WEEKDAYS:
            ahead = (WEEKDAYS[nxt] - today.weekday()) % 7 or 7
            return _day(2, today + timedelta(days=ahead), state)
    if low == "in" and len(words) > 2:
        amount = 1 if words[1].low in ("a", "an", "one") else (
            int(words[1].low) if words[1].low.isdigit() and len(words[1].low) <= 3 else None)
        unit = words[2].low.rstrip(",")
        if amount is not None and unit in UNITS and unit[:4] != "year":
            step = {"DAILY": relativedelta(days=amount), "WEEKLY": relativedelta(weeks=amount),
                    "MONTHLY": relativedelta(months=amount)}[UNITS[unit]]
            return _day(3, today + step, state)
    if m := _ISO_DATE.match(low):
        try:
            return _day(1, date(int(m.group(1)), int(m.group(2)), int(m.group(3))), state)
        except ValueError:
            return None
    if low in MONTHS and len(words) > 1 and (day := _day_of_month(words[1].low)):
        year = _year(words, 2)
        found = _month_day(MONTHS[low], day, year, today)
        return _day(3 if year else 2, found, state) if found else None
    if (day := _day_of_month(words[0].low)) and len(words) > 1:
        month = words[1].low.rstrip(",")
        if month in MONTHS:
            year = _year(words, 2)
            found = _month_day(MONTHS[month], day, year, today)
            return _day(3 if year else 2, found, state) if found else None
    return None


def _day(count: int, day: date, state: _State) -> _Found:
    if day == state.today:
        label = "Today"
    elif day == state.today + timedelta(days=1):
        label = "Tomorrow"
    else:
        label = f"{day:%a} {day.day} {day:%b}" + (f" {day.year}" if day.year != state.today.year
                                                  else "")
    return _Found(count, "date", label, day)


def _clock(text: str, after_at: bool) -> time | None:
    low = text.lower()
    if low == "noon":
        return time(12, 0)
    if low == "midnight":
        return time(0, 0)
    if m := _AMPM.match(low):
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        return time(hour % 12 + (12 if m.group(3) == "pm" else 0), minute)
    if m := _CLOCK.match(low):
        hour, minute = int(m.group(1)), int(m.group(2))
        if len(m.group(1)) == 1 and not after_at:
            return None
        return time(hour, minute) if hour <= 23 and minute <= 59 else None
    return None


def _time(words: Sequence[_Word], state: _State) -> _Found | None:
    skip = 1 if words[0].low == "at" and len(words) > 1 else 0
    first = words[skip].low.rstrip(",")
    found = _clock(first, after_at=skip == 1)
    used = skip + 1
    if found is None and len(words) > skip + 1 and words[skip + 1].low.rstrip(",") in ("am", "pm"):
        found = _clock(first + words[skip + 1].low.rstrip(","), after_at=True)
        used = skip + 2
    if found is None:
        return None
    return _Found(used, "time", f"{found:%H:%M}", found)


def _weekday_list(text: str) -> list[int] | None:
    parts = [p for p in re.split(r"[,/]", text.lower()) if p]
    if not parts or any(p not in WEEKDAYS for p in parts):
        return None
    return sorted({WEEKDAYS[p] for p in parts})


def _repeat(words: Sequence[_Word], state: _State) -> _Found | None:
    if words[0].low != "every" or len(words) < 2:
        return None
    word = words[1].low.rstrip(",")
    if word == "weekday":
        return _Found(2, "repeat", "every weekday", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")
    if word in ("weekend", "weekends"):
        return _Found(2, "repeat", "every weekend", "FREQ=WEEKLY;BYDAY=SA,SU")
    days = _weekday_list(word)
    if days is not None:
        used = 2
        while len(words) > used:  # "every mon, thu" / "every mon and thu"
            before, nxt = words[used - 1].low, words[used].low
            if nxt == "and" and len(words) > used + 1 and _weekday_list(
                    words[used + 1].low.rstrip(",")):
                used += 1
                continue
            more = _weekday_list(nxt.rstrip(","))
            if more is None or not (before.endswith(",") or before == "and"):
                break
            days = sorted(set(days) | set(more))
            used += 1
        label = "every " + ", ".join(DAY_NAMES[d] for d in days)
        return _Found(used, "repeat", label,
                      "FREQ=WEEKLY;BYDAY=" + ",".join(RRULE_DAYS[d] for d in days))
    interval, at = 1, 1
    if word.isdigit() and 1 <= int(word) <= 999:
        interval, at = int(word), 2
    elif word == "other":
        interval, at = 2, 2
    if len(words) <= at or words[at].low.rstrip(",") not in UNITS:
        return None
    unit = words[at].low.rstrip(",")
    freq = UNITS[unit]
    if (interval == 1) != (not unit.endswith("s")) and at == 2 and word != "other":
        return None  # "every 2 week", "every 1 weeks": not the grammar
    rule = f"FREQ={freq}" + (f";INTERVAL={interval}" if interval > 1 else "")
    label = f"every {interval} {unit}" if interval > 1 else f"every {unit}"
    used = at + 1
    if freq == "MONTHLY" and len(words) > used + 2 and words[used].low == "on" \
            and words[used + 1].low == "the" and (m := _ORDINAL.match(words[used + 2].low)) \
            and 1 <= int(m.group(1)) <= 31:
        rule += f";BYMONTHDAY={int(m.group(1))}"
        label += f" on the {words[used + 2].text}"
        used += 3
    return _Found(used, "repeat", label, rule)


MATCHERS: tuple[tuple[str, Matcher], ...] = (
    ("simple", _simple), ("remind", _remind), ("repeat", _repeat), ("date", _date),
    ("time", _time),
)
#: Kinds that may appear once; later ones stay text.
SINGLE = frozenset({"project", "complexity", "date", "time", "repeat"})


def parse(text: str, *, now: datetime, tz_name: str,
          keep: Collection[str] = ()) -> QuickAdd:
    """Read one quick-add line. ``now`` is the injected clock's instant; ``keep`` lists
    token texts (as typed, any case) that are switched off and stay in the title."""
    local_now = planning_local(now, tz_name)
    state = _State(local_now.date(), local_now)
    words, quoted = _words(text)
    kept = {k.strip().lower() for k in keep}
    tokens: list[Token] = []
    tags: list[str] = []
    reminders: list[str] = []
    i = 0
    while i < len(words):
        found = None
        for _, matcher in MATCHERS:
            found = matcher(words[i:], state)
            if found is not None:
                break
        if found is not None:
            span = words[i:i + found.words]
            token = Token(found.kind, text[span[0].start:span[-1].end], span[0].start,
                          span[-1].end, found.label, found.value)
            single_taken = found.kind in SINGLE and found.kind in state.found
            if token.text.lower() not in kept and not single_taken:
                tokens.append(token)
                state.found.setdefault(found.kind, token)
                if found.kind == "tag" and \
                        str(found.value).lower() not in {t.lower() for t in tags}:
                    tags.append(str(found.value))
                if found.kind == "remind":
                    reminders.append(str(found.value))
                i += found.words
                continue
        i += 1
    title = _title(text, tokens, quoted)
    return _result(title, tuple(tokens), state, tags, reminders, tz_name)


def planning_local(now: datetime, tz_name: str) -> datetime:
    from .clock import local_time  # local import keeps the module's own import tiny
    return local_time(now, tz_name).replace(tzinfo=None)


def _title(text: str, tokens: Sequence[Token], quoted: Sequence[tuple[int, int]]) -> str:
    pieces: list[str] = []
    cursor = 0
    for token in sorted(tokens, key=lambda t: t.start):
        pieces.append(text[cursor:token.start])
        cursor = token.end
    pieces.append(text[cursor:])
    rest = "".join(pieces)
    if quoted:  # drop the quotes themselves (their words are title text)
        rest = _QUOTED.sub(lambda m: m.group(1), rest)
    return " ".join(rest.split())


def _result(title: str, tokens: tuple[Token, ...], state: _State, tags: list[str],
            reminders: list[str], tz_name: str) -> QuickAdd:
    found = state.found
    day = found["date"].value if "date" in found else None
    clock = found["time"].value if "time" in found else None
    rule = found["repeat"].value if "repeat" in found else None
    assert day is None or isinstance(day, date)
    assert clock is None or isinstance(clock, time)
    if rule is not None and day is None:
        assert isinstance(rule, str)
        start = datetime.combine(state.today, clock or time(0))
        if clock is not None and start < state.now:
            start = datetime.combine(state.today, time(0))
            first = [o for o in planning.occurrences(rule, start, tz_name, after=start,
                                                     count=3, inclusive=True)
                     if datetime.combine(o.date(), clock) >= state.now]
            day = first[0].date() if first else None
        else:
            occurrence = planning.first_occurrence(rule, start, tz_name)
            day = occurrence.date() if occurrence else None
    elif clock is not None and day is None:
        day = state.today if datetime.combine(state.today, clock) > state.now \
            else state.today + timedelta(days=1)
    project = found["project"].value if "project" in found else None
    complexity = found["complexity"].value if "complexity" in found else None
    return QuickAdd(title, tokens, str(project) if project else None, tuple(tags),
                    int(str(complexity)) if complexity else None, day, clock,
                    str(rule) if rule else None,
                    found["repeat"].label if "repeat" in found else None, tuple(reminders))
