"""Validation at the service boundary (SPEC §10): each failure names its field."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from .. import catalog
from ..clock import YEARS, parse_date, parse_instant, zone
from ..errors import ValidationError

#: Friendly repeat words → RFC 5545 rules.
REPEAT_ALIASES = {
    "daily": "FREQ=DAILY",
    "weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "weekly": "FREQ=WEEKLY",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2",
    "monthly": "FREQ=MONTHLY",
    "yearly": "FREQ=YEARLY",
}
MAX_ID = 2**63 - 1
#: Characters that show nothing although Unicode calls them letters or symbols (Hangul
#: and Braille fillers, the Mongolian vowel separator). With every format character
#: (category Cf: bidi marks, isolates, zero-width joiners, U+061C…) and every space or
#: separator (Z*), text made only of these counts as empty.
INVISIBLE = frozenset("\u3164\u115f\u1160\uffa0\u2800\u180e\u00ad\u034f")
#: Line breaks that are not control characters: they would split a one-line field (a
#: title in `task list`) over two lines.
LINE_SEPARATORS = frozenset("\u2028\u2029")
#: Rules are checked for an occurrence within this many years of their start (a task
#: repeating rarer than that is no repeat); the search is bounded by it.
REPEAT_HORIZON_YEARS = 30
#: Tasks fall on days: a rule may repeat at most daily.
REPEAT_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")


def invisible(ch: str) -> bool:
    """Whether ``ch`` shows nothing on its own (see :data:`INVISIBLE`)."""
    return ch in INVISIBLE or ch.isspace() or unicodedata.category(ch)[0] == "Z" \
        or unicodedata.category(ch) == "Cf"
FULL_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def clean_text(value: object, field: str, *, max_length: int, allow_empty: bool = False,
               multiline: bool = False) -> str:
    """Trimmed text that SQLite can store: no lone surrogates, no control characters.

    Plain ASCII (most titles) takes the same rules by cheaper means: it cannot hold a
    surrogate or a U+2028/U+2029, its control characters are exactly what
    ``isprintable`` refuses, and once stripped it is empty or shows something."""
    if not isinstance(value, str):
        raise ValidationError(field, "must be text")
    ascii_only = value.isascii()
    if not ascii_only:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError(field, "contains invalid characters (lone surrogates)"
                                  ) from None
    if not value.isprintable() and _has_control(value, ascii_only, multiline):
        raise ValidationError(field, "contains control characters")
    if not multiline and not ascii_only and not LINE_SEPARATORS.isdisjoint(value):
        raise ValidationError(field, "contains a line break (U+2028/U+2029)")
    text = value.strip()
    if not allow_empty and (not text if ascii_only else all(invisible(ch) for ch in text)):
        raise ValidationError(field, "must not be empty")
    if len(text) > max_length:
        raise ValidationError(field, f"is too long ({len(text)} characters, at most {max_length})")
    return text


def _has_control(value: str, ascii_only: bool, multiline: bool) -> bool:
    """Whether ``value`` holds a control character (Cc) other than a line break or a tab
    in multi-line text."""
    if ascii_only:  # ASCII's unprintable characters are its control characters
        return not (value.replace("\n", "").replace("\t", "") if multiline
                    else value).isprintable()
    allowed = {"\n", "\t"} if multiline else set()
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value)


def title(value: object, field: str = "title") -> str:
    return clean_text(value, field, max_length=catalog.TITLE_MAX)


def notes(value: object) -> str:
    return clean_text(value, "notes", max_length=catalog.NOTES_MAX, allow_empty=True,
                      multiline=True)


def name(value: object, field: str = "name") -> str:
    return clean_text(value, field, max_length=catalog.NAME_MAX)


def changes(absent: object,
            fields: Iterable[tuple[str, object, Callable[[Any], object]]]) -> dict[str, object]:
    """An edit's new column values: of ``(column, value, check)``, each value that was
    given (is not ``absent``), checked in order, so the first bad field is the one named."""
    return {column: check(value) for column, value, check in fields if value is not absent}


def integer(value: object, field: str, low: int, high: int) -> int:
    if isinstance(value, bool):
        raise ValidationError(field, "must be a whole number")
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise ValidationError(field, f"must be a whole number, got {value!r}") from None
    if not isinstance(value, int):
        raise ValidationError(field, "must be a whole number")
    if not low <= value <= high:
        raise ValidationError(field, f"must be between {low} and {high}, got {value}")
    return value


def complexity(value: object) -> int:
    return integer(value, "complexity", catalog.MIN_COMPLEXITY, catalog.MAX_COMPLEXITY)


def timezone_name(value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError("timezone", "must be an IANA zone name")
    zone(value)
    return value.strip()


def day_start_hour(value: object) -> int:
    return integer(value, "day_start_hour", 0, 23)


def daily_target(value: object) -> int:
    return integer(value, "daily_target", 1, 1000)


def days_off(value: object) -> str:
    """``mon,sat`` → ``"0,5"``; at most six days off (a week needs a working day)."""
    if not isinstance(value, str):
        raise ValidationError("days_off", "must be a list like mon,sat")
    text = value.strip().lower()
    if text in ("", "none"):
        return ""
    days = set()
    for part in text.split(","):
        word = part.strip()
        matches = [index for index, full in enumerate(FULL_WEEKDAYS)
                   if word == full or word == full[:3]]
        if not matches:
            raise ValidationError("days_off", f"unknown weekday {word!r} (use mon,tue,…,sun)")
        days.add(matches[0])
    if len(days) == 7:
        raise ValidationError("days_off", "at least one day of the week must be a working day")
    return ",".join(str(d) for d in sorted(days))


def optional_date(value: object, field: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return _in_years(value, field)
    if not isinstance(value, str):
        raise ValidationError(field, "must be a date (YYYY-MM-DD)")
    return _in_years(parse_date(value, field), field)


def _in_years(day: date, field: str) -> date:
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise ValidationError(field, f"year out of range ({YEARS[0]}–{YEARS[1]}): {day}")
    return day


def instant(value: object, field: str, tz_name: str) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValidationError(field, "needs a time zone")
        _in_years(value.date(), field)
        return value
    if not isinstance(value, str):
        raise ValidationError(field, "must be an ISO 8601 date/time")
    parsed = parse_instant(value, field, tz_name)
    if not YEARS[0] <= parsed.year <= YEARS[1]:
        raise ValidationError(field, f"year out of range: {value!r}")
    return parsed


#: A completion may be this far ahead of "now" (clocks of two machines disagree a little).
FUTURE_TOLERANCE = timedelta(minutes=5)
#: The wall-clock time a date alone stands for: noon earns no time-of-day bonus (SPEC §1).
DATE_ALONE_TIME = time(12, 0)


def completion_instant(value: object, now: datetime, tz_name: str,
                       field: str = "at") -> datetime:
    """When something was done (SPEC §1 *v2*): the one rule for every ``--at``.

    ``None`` is now. A date alone (``2026-03-02``) is 12:00 local time of that date, so a
    backdated day never earns a night-owl or early-bird bonus. An instant more than
    :data:`FUTURE_TOLERANCE` after ``now`` is refused: ``at: is in the future``.
    """
    if value is None:
        return now
    if isinstance(value, str) and len(value.strip()) == 10 and "T" not in value.upper():
        day = _in_years(parse_date(value, field), field)
        when = datetime.combine(day, DATE_ALONE_TIME, tzinfo=zone(tz_name)).astimezone(
            UTC)
    else:
        when = instant(value, field, tz_name)
    if when > now + FUTURE_TOLERANCE:
        raise ValidationError(field, "is in the future")
    return when


def repeat_rule(value: object) -> str | None:
    """A repeat rule: daily, weekdays, weekly, biweekly, monthly, yearly or an RRULE."""
    if value is None or value == "":
        return None
    text = clean_text(value, "repeat", max_length=500)
    rule = REPEAT_ALIASES.get(text.lower(), text)
    body = rule[6:] if rule.upper().startswith("RRULE:") else rule
    try:
        recurrence, start = _parse_rule(body.upper(), date(2000, 1, 1))
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        raise ValidationError("repeat", f"not a repeat rule: {text!r} "
                              "(daily, weekdays, weekly, monthly, yearly or an RRULE)") from None
    frequency = body.upper().split("FREQ=", 1)[-1].split(";")[0]
    if frequency not in REPEAT_FREQUENCIES:
        raise ValidationError("repeat", f"a task repeats at most daily, not {frequency}: "
                              f"{text!r}")
    if not _occurs(recurrence, start):
        raise ValidationError("repeat", f"the rule {text!r} never occurs (no date within "
                              f"{REPEAT_HORIZON_YEARS} years)")
    return body.upper()


def _occurs(recurrence: Any, start: datetime) -> bool:
    """Whether the rule gives a date within :data:`REPEAT_HORIZON_YEARS` of ``start``, in
    bounded time. dateutil checks ``UNTIL`` only when a date matches, so a rule that
    never matches walks to year 9999 (seconds). The Gregorian calendar repeats every 400
    years to the weekday, so the same question is asked of the rule moved by a multiple
    of 400 years close to year 9999: the walk ends there after a few centuries at most."""
    cycles = (9999 - REPEAT_HORIZON_YEARS - 1 - start.year) // 400
    moved_start = start.replace(year=start.year + 400 * cycles)
    changes: dict[str, Any] = {"dtstart": moved_start}
    until = recurrence._until
    if until is not None:
        changes["until"] = until.replace(year=min(until.year + 400 * cycles, 9999))
    moved = recurrence.replace(**changes)
    horizon = moved_start.replace(year=moved_start.year + REPEAT_HORIZON_YEARS)
    found = moved.after(moved_start, inc=True)
    return found is not None and found <= horizon


def _parse_rule(rule: str, first: date) -> tuple[Any, datetime]:
    """The rule from ``first``; a UTC ``UNTIL`` (as calendars export it) needs an aware
    start, a date ``UNTIL`` a naive one."""
    start = datetime.combine(first, datetime.min.time())
    if "UNTIL=" in rule and rule.split("UNTIL=", 1)[1].split(";")[0].endswith("Z"):
        start = start.replace(tzinfo=UTC)
    from dateutil.rrule import rrulestr  # type: ignore[import-untyped]  # noqa: PLC0415

    return rrulestr(rule, dtstart=start), start


# --- tags (the services' and the importers': the importers load no SQLAlchemy) ----------

TAG_MAX = 50


def tag_name(value: object, field: str = "tag") -> str:
    """A tag as typed (``@home`` → ``home``): 1–50 characters, no spaces or commas."""
    if isinstance(value, str) and field == "tag":
        return _tag_text(value)  # the same few names repeat across an import
    return _tag_text_of(value, field)


@lru_cache(maxsize=4096)
def _tag_text(value: str) -> str:
    return _tag_text_of(value, "tag")


def _tag_text_of(value: object, field: str) -> str:
    text = clean_text(value, field, max_length=TAG_MAX + 1)
    text = text[1:] if text[:1] in "@+" else text
    if not text or any(ch.isspace() or ch == "," for ch in text) or len(text) > TAG_MAX:
        raise ValidationError(field, f"a tag is one word of 1–{TAG_MAX} characters: {value!r}")
    return text


def is_tag(value: object) -> bool:
    """Whether ``value`` is a tag :func:`tag_name` takes (``tag_names([value],
    lenient=True)`` is not empty)."""
    try:
        tag_name(value)
    except ValidationError:
        return False
    return True


def tag_names(values: Iterable[object] | None, field: str = "tag", *,
              lenient: bool = False) -> list[str]:
    """Validated, without case-insensitive duplicates, in the order given; ``lenient``
    leaves out the ones that are not tags (an import keeps them in the notes)."""
    seen: dict[str, str] = {}
    for value in values or ():
        try:
            name = tag_name(value, field)
        except ValidationError:
            if lenient:
                continue
            raise
        seen.setdefault(name.lower(), name)
    return list(seen.values())
